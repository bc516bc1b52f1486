use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

/// Anyone on the floor may call, and everyone sees the calls.
const ALL: Access = Access::Roles(&Role::ALL);
/// Those who answer calls.
const RESPOND: Access = Access::Roles(&[
    Role::Admin,
    Role::Manager,
    Role::Supervisor,
    Role::Quality,
    Role::Maintenance,
]);

pub fn routes(api: &mut Api) {
    api.add::<h::__path_list_andon_calls, _, _>(ALL, h::list_andon_calls)
        // The wall board has no sign-in; it shows calls without names.
        .add::<h::__path_board_andon_calls, _, _>(Access::Public, h::board_andon_calls)
        .add::<h::__path_raise_andon_call, _, _>(ALL, h::raise_andon_call)
        .add::<h::__path_acknowledge_andon_call, _, _>(RESPOND, h::acknowledge_andon_call)
        .add::<h::__path_resolve_andon_call, _, _>(RESPOND, h::resolve_andon_call)
        .add::<h::__path_event_stream, _, _>(ALL, h::event_stream);
}
