//! What the board can show today: whether the system is up, and since when it last heard from
//! the server. Production figures join as their features land.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use mes_api_types::station::{AndonStatus, BoardAndonCall};

use crate::{
    api::Call,
    components::hooks::{use_health, use_now},
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
        <BoardAndon/>
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

/// Andon calls still waiting, oldest first, with how long: readable from across the hall.
#[component]
fn BoardAndon() -> impl IntoView {
    let i18n = use_i18n();
    let calls = RwSignal::new(Vec::<BoardAndonCall>::new());
    let now = use_now(Duration::from_secs(1));
    let refresh = move || {
        spawn_local(async move {
            // A failed poll keeps the last list; the connection banner says the board is stale.
            if let Ok(list) = Call::get("/api/v1/board/andon")
                .fetch::<Vec<BoardAndonCall>>()
                .await
            {
                calls.set(list);
            }
        });
    };
    refresh();
    if let Ok(timer) = set_interval_with_handle(refresh, Duration::from_secs(5)) {
        on_cleanup(move || timer.clear());
    }
    view! {
        <section class="tile tile-wide board-andon" data-state=move || if calls.with(Vec::is_empty) { "good" } else { "bad" }>
            <h2 class="tile-label">{i18n.tr(Key::AndonCalls)}</h2>
            {move || {
                let list = calls.get();
                if list.is_empty() {
                    view! { <p class="tile-value">{i18n.tr(Key::NoOpenAndon)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="board-andon-list">
                            {list.into_iter().map(|c| {
                                let raised = c.raised_at.timestamp_millis() as f64;
                                view! {
                                    <li data-status=c.status.as_str()>
                                        <span class="mono">{c.machine_code.clone().or(c.station_code.clone()).unwrap_or_default()}</span>
                                        <span>{i18n::andon_kind(i18n.lang(), c.kind)}</span>
                                        <span>{if c.status == AndonStatus::Open { i18n.t(Key::AndonOpen) } else { i18n.t(Key::AndonAcknowledged) }}</span>
                                        <span>{move || i18n::minutes(i18n.lang(), ((now.get() - raised) / 60_000.0).max(0.0) as i64)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
