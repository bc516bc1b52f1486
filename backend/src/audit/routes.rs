use mes_api_types::auth::Role;

use super::handlers;
use crate::http::{Access, Api};

pub fn routes(api: &mut Api) {
    api.add::<handlers::__path_list_audit, _, _>(
        Access::Roles(&[Role::Admin]),
        handlers::list_audit,
    );
}
