use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

/// Reading the station's state: every signed-in role (boards and the office look too).
const READ: Access = Access::Roles(&Role::ALL);
/// Acting on operations: the shop floor and those above it.
const WORK: Access = Access::Roles(&[Role::Admin, Role::Manager, Role::Supervisor, Role::Operator]);

pub fn routes(api: &mut Api) {
    // Sign-in is how a tablet gets its principal: public, rate-limited, PIN-checked.
    api.add::<h::__path_sign_in_operator, _, _>(Access::Public, h::sign_in_operator)
        .add::<h::__path_sign_out_operator, _, _>(WORK, h::sign_out_operator)
        .add::<h::__path_get_station_session, _, _>(READ, h::get_station_session)
        .add::<h::__path_get_station_queue, _, _>(READ, h::get_station_queue)
        .add::<h::__path_scan, _, _>(READ, h::scan)
        .add::<h::__path_get_operation, _, _>(READ, h::get_operation)
        .add::<h::__path_start_operation, _, _>(WORK, h::start_operation)
        .add::<h::__path_pause_operation, _, _>(WORK, h::pause_operation)
        .add::<h::__path_resume_operation, _, _>(WORK, h::resume_operation)
        .add::<h::__path_report_operation, _, _>(WORK, h::report_operation)
        .add::<h::__path_complete_operation, _, _>(WORK, h::complete_operation);
}
