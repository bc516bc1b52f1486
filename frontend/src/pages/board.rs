//! What the board can show today: whether the system is up, and since when it last heard from
//! the server. Production figures join as their features land.

use std::time::Duration;

use leptos::prelude::*;

use crate::{
    components::hooks::use_health,
    i18n::{self, Key, use_i18n},
    pages::home::{database_kind, health_status_key},
    util,
};

#[component]
pub fn BoardOverview() -> impl IntoView {
    let i18n = use_i18n();
    let poll = use_health(Duration::from_secs(10));
    let connected = move || poll.reachable.get() != Some(false);
    let status = move || {
        if !connected() {
            return (i18n.t(Key::ConnectionLost).to_owned(), "bad");
        }
        match poll.health.get() {
            None => (i18n.t(Key::Loading).to_owned(), "unknown"),
            Some(h) => match health_status_key(&h.status) {
                Some(Key::HealthOk) => (i18n.t(Key::HealthOk).to_owned(), "good"),
                Some(k) => (i18n.t(k).to_owned(), "warn"),
                None => (h.status, "warn"),
            },
        }
    };
    let database = move || {
        poll.health.get().map(|h| {
            let state = health_status_key(&h.database)
                .map(|k| i18n.t(k).to_owned())
                .unwrap_or(h.database.clone());
            (
                state,
                h.database == "ok",
                database_kind(&h.backend).to_owned(),
            )
        })
    };
    view! {
        <div class="tiles">
            <section class="tile tile-wide" data-state=move || status().1>
                <h2 class="tile-label">{i18n.tr(Key::SystemStatus)}</h2>
                <p class="tile-value">
                    <span class="state-dot" aria-hidden="true"></span>
                    {move || status().0}
                </p>
            </section>
            <section
                class="tile"
                data-state=move || match database() {
                    Some((_, true, _)) => "good",
                    Some((_, false, _)) => "warn",
                    None => "unknown",
                }
            >
                <h2 class="tile-label">{i18n.tr(Key::Database)}</h2>
                <p class="tile-value">{move || database().map(|d| d.0).unwrap_or_else(|| "—".to_owned())}</p>
                <p class="tile-sub">{move || database().map(|d| d.2)}</p>
            </section>
            <section class="tile">
                <h2 class="tile-label">{i18n.tr(Key::LastUpdate)}</h2>
                <p class="tile-value">
                    {move || {
                        poll.updated_at
                            .get()
                            .map(util::format_clock)
                            .unwrap_or_else(|| "—".to_owned())
                    }}
                </p>
                <p class="tile-sub">{i18n.tr(Key::RefreshesAutomatically)}</p>
            </section>
            <section class="tile">
                <h2 class="tile-label">{i18n.tr(Key::Version)}</h2>
                <p class="tile-value mono">
                    {move || poll.health.get().map(|h| h.version).unwrap_or_else(|| "—".to_owned())}
                </p>
            </section>
        </div>
        <Show when=move || !connected()>
            <p class="board-banner" role="status">
                {move || {
                    poll.updated_at
                        .get()
                        .map(|at| i18n::updated_at(i18n.lang(), &util::format_clock(at)))
                }}
                " · "
                {i18n.tr(Key::ReconnectingAutomatically)}
            </p>
        </Show>
    }
}
