use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

/// Reading: every signed-in role (the shop floor needs orders as much as the office).
const READ: Access = Access::Roles(&Role::ALL);
/// Planning: create, change, release, hold, split, cancel, close, settings.
const PLAN: Access = Access::Roles(&[Role::Admin, Role::Manager, Role::Planner]);
/// Running the order on the floor: start and complete, also supervisors.
const RUN: Access = Access::Roles(&[Role::Admin, Role::Manager, Role::Planner, Role::Supervisor]);

pub fn routes(api: &mut Api) {
    api.add::<h::__path_list_work_orders, _, _>(READ, h::list_work_orders)
        .add::<h::__path_create_work_order, _, _>(PLAN, h::create_work_order)
        .add::<h::__path_get_work_order_by_number, _, _>(READ, h::get_work_order_by_number)
        .add::<h::__path_get_work_order, _, _>(READ, h::get_work_order)
        .add::<h::__path_update_work_order, _, _>(PLAN, h::update_work_order)
        .add::<h::__path_delete_work_order, _, _>(PLAN, h::delete_work_order)
        .add::<h::__path_release_work_order, _, _>(PLAN, h::release_work_order)
        .add::<h::__path_start_work_order, _, _>(RUN, h::start_work_order)
        .add::<h::__path_complete_work_order, _, _>(RUN, h::complete_work_order)
        .add::<h::__path_close_work_order, _, _>(PLAN, h::close_work_order)
        .add::<h::__path_hold_work_order, _, _>(PLAN, h::hold_work_order)
        .add::<h::__path_resume_work_order, _, _>(PLAN, h::resume_work_order)
        .add::<h::__path_cancel_work_order, _, _>(PLAN, h::cancel_work_order)
        .add::<h::__path_reopen_work_order, _, _>(PLAN, h::reopen_work_order)
        .add::<h::__path_split_work_order, _, _>(PLAN, h::split_work_order)
        .add::<h::__path_get_work_order_settings, _, _>(READ, h::get_work_order_settings)
        .add::<h::__path_put_work_order_settings, _, _>(PLAN, h::put_work_order_settings);
}
