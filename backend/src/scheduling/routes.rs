use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

/// Reading plans, views and dispatch lists: every signed-in role (operators see their queue).
const READ: Access = Access::Roles(&Role::ALL);
/// Running, publishing, pinning and settings: the planning office.
const PLAN: Access = Access::Roles(&[Role::Admin, Role::Manager, Role::Planner]);

pub fn routes(api: &mut Api) {
    api.add::<h::__path_start_run, _, _>(PLAN, h::start_run)
        .add::<h::__path_list_runs, _, _>(READ, h::list_runs)
        .add::<h::__path_get_run, _, _>(READ, h::get_run)
        .add::<h::__path_cancel_run, _, _>(PLAN, h::cancel_run)
        .add::<h::__path_get_published_plan, _, _>(READ, h::get_published_plan)
        .add::<h::__path_get_plan, _, _>(READ, h::get_plan)
        .add::<h::__path_compare_plan, _, _>(READ, h::compare_plan)
        .add::<h::__path_publish_plan, _, _>(PLAN, h::publish_plan)
        .add::<h::__path_gantt, _, _>(READ, h::gantt)
        .add::<h::__path_forecast, _, _>(READ, h::forecast)
        .add::<h::__path_load, _, _>(READ, h::load)
        .add::<h::__path_dispatch_list, _, _>(READ, h::dispatch_list)
        .add::<h::__path_list_pins, _, _>(READ, h::list_pins)
        .add::<h::__path_create_pin, _, _>(PLAN, h::create_pin)
        .add::<h::__path_delete_pin, _, _>(PLAN, h::delete_pin)
        .add::<h::__path_get_settings, _, _>(READ, h::get_settings)
        .add::<h::__path_put_settings, _, _>(PLAN, h::put_settings);
}
