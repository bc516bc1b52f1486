use super::handlers as h;
use crate::http::{Access, Api};

pub fn routes(api: &mut Api) {
    api.add::<h::__path_login, _, _>(Access::Public, h::login)
        .add::<h::__path_badge_login, _, _>(Access::Public, h::badge_login)
        .add::<h::__path_logout, _, _>(Access::Public, h::logout)
        .add::<h::__path_me, _, _>(Access::Authenticated, h::me)
        .add::<h::__path_set_preferences, _, _>(Access::Authenticated, h::set_preferences)
        .add::<h::__path_change_password, _, _>(Access::Authenticated, h::change_password);
}
