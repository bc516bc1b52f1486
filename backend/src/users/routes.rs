use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

const ADMIN: Access = Access::Roles(&[Role::Admin]);

pub fn routes(api: &mut Api) {
    api.add::<h::__path_list_users, _, _>(ADMIN, h::list_users)
        .add::<h::__path_create_user, _, _>(ADMIN, h::create_user)
        .add::<h::__path_get_user, _, _>(ADMIN, h::get_user)
        .add::<h::__path_update_user, _, _>(ADMIN, h::update_user);
}
