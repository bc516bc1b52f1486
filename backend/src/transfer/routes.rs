use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

/// Who imports master data and orders (the same people who maintain them).
const IMPORT: Access = Access::Roles(&[Role::Admin, Role::Manager, Role::Planner]);
/// Exports, templates and print pages: everyone signed in (they read what the lists show).
const READ: Access = Access::Authenticated;

pub fn routes(api: &mut Api) {
    // The literal `jobs` segment before `{kind}`.
    api.add::<h::__path_get_import_job, _, _>(IMPORT, h::get_import_job)
        .add::<h::__path_start_import, _, _>(IMPORT, h::start_import)
        .add::<h::__path_import_template, _, _>(READ, h::import_template)
        .add::<h::__path_export_list, _, _>(READ, h::export_list)
        .add::<h::__path_traveler, _, _>(READ, h::traveler)
        .add::<h::__path_machine_labels, _, _>(READ, h::machine_labels)
        .add::<h::__path_station_labels, _, _>(READ, h::station_labels);
}
