use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

/// Supervisors, managers and admins read everyone; operators read their own (checked inside).
const READ: Access = Access::Roles(&[Role::Admin, Role::Manager, Role::Supervisor, Role::Operator]);

pub fn routes(api: &mut Api) {
    api.add::<h::__path_piece_rate_report, _, _>(READ, h::piece_rate_report);
}
