//! The station's work area after sign-in. The machine's queue arrives with the work-order and
//! reporting features; until then it says plainly that nothing is queued.

use leptos::prelude::*;

use crate::{
    components::icons::{Icon, IconView},
    i18n::{self, Key, use_i18n},
    layouts::station::StationContext,
    session::use_session,
};

#[component]
pub fn StationHome() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let station = expect_context::<StationContext>();
    let name = move || {
        session
            .me()
            .map(|me| {
                if me.display_name.trim().is_empty() {
                    me.username
                } else {
                    me.display_name
                }
            })
            .unwrap_or_default()
    };
    view! {
        <section class="station-panel work-area" aria-labelledby="work-title">
            <p class="lead">{move || i18n::welcome(i18n.lang(), &name())}</p>
            <div class="empty-queue">
                <IconView icon=Icon::WorkOrders/>
                <h1 id="work-title">{i18n.tr(Key::NoWorkQueued)}</h1>
                <p>
                    {i18n.tr(Key::NoWorkQueuedHint)} " "
                    <strong class="mono">{move || station.machine_code.get()}</strong>
                </p>
            </div>
        </section>
    }
}
