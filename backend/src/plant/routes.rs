use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

/// Master data is read by everyone signed in (the station tablets need machines and reasons).
const READ: Access = Access::Authenticated;
/// Who maintains the plant model.
const WRITE: Access = Access::Roles(&[Role::Admin, Role::Manager, Role::Planner]);
/// Quality engineers keep the defect reasons too.
const WRITE_DEFECTS: Access =
    Access::Roles(&[Role::Admin, Role::Manager, Role::Planner, Role::Quality]);
/// Maintenance keeps the downtime reasons too.
const WRITE_DOWNTIME: Access =
    Access::Roles(&[Role::Admin, Role::Manager, Role::Planner, Role::Maintenance]);

pub fn routes(api: &mut Api) {
    api.add::<h::__path_list_calendars, _, _>(READ, h::list_calendars)
        .add::<h::__path_create_calendar, _, _>(WRITE, h::create_calendar)
        .add::<h::__path_get_calendar, _, _>(READ, h::get_calendar)
        .add::<h::__path_update_calendar, _, _>(WRITE, h::update_calendar)
        .add::<h::__path_delete_calendar, _, _>(WRITE, h::delete_calendar)
        .add::<h::__path_list_work_centers, _, _>(READ, h::list_work_centers)
        .add::<h::__path_create_work_center, _, _>(WRITE, h::create_work_center)
        .add::<h::__path_get_work_center, _, _>(READ, h::get_work_center)
        .add::<h::__path_update_work_center, _, _>(WRITE, h::update_work_center)
        .add::<h::__path_delete_work_center, _, _>(WRITE, h::delete_work_center)
        .add::<h::__path_list_machines, _, _>(READ, h::list_machines)
        .add::<h::__path_create_machine, _, _>(WRITE, h::create_machine)
        .add::<h::__path_get_machine, _, _>(READ, h::get_machine)
        .add::<h::__path_get_machine_by_code, _, _>(READ, h::get_machine_by_code)
        .add::<h::__path_update_machine, _, _>(WRITE, h::update_machine)
        .add::<h::__path_delete_machine, _, _>(WRITE, h::delete_machine)
        .add::<h::__path_machine_working_time, _, _>(READ, h::machine_working_time)
        .add::<h::__path_list_stations, _, _>(READ, h::list_stations)
        .add::<h::__path_create_station, _, _>(WRITE, h::create_station)
        .add::<h::__path_get_station, _, _>(READ, h::get_station)
        .add::<h::__path_get_station_by_code, _, _>(READ, h::get_station_by_code)
        .add::<h::__path_update_station, _, _>(WRITE, h::update_station)
        .add::<h::__path_delete_station, _, _>(WRITE, h::delete_station)
        .add::<h::__path_list_defect_reasons, _, _>(READ, h::list_defect_reasons)
        .add::<h::__path_create_defect_reason, _, _>(WRITE_DEFECTS, h::create_defect_reason)
        .add::<h::__path_update_defect_reason, _, _>(WRITE_DEFECTS, h::update_defect_reason)
        .add::<h::__path_delete_defect_reason, _, _>(WRITE_DEFECTS, h::delete_defect_reason)
        .add::<h::__path_list_downtime_reasons, _, _>(READ, h::list_downtime_reasons)
        .add::<h::__path_create_downtime_reason, _, _>(WRITE_DOWNTIME, h::create_downtime_reason)
        .add::<h::__path_update_downtime_reason, _, _>(WRITE_DOWNTIME, h::update_downtime_reason)
        .add::<h::__path_delete_downtime_reason, _, _>(WRITE_DOWNTIME, h::delete_downtime_reason);
}
