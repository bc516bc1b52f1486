//! Andon at the station: one tap calls maintenance, quality, material or a supervisor; the open
//! calls of this machine show with how long they have waited.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use mes_api_types::station::{AndonCall, AndonKind, AndonStatus, NewAndonCall};

use super::{
    api,
    outbox::{Outcome, use_outbox},
    use_station,
};
use crate::{
    components::hooks::use_now,
    i18n::{self, Key, use_i18n},
};

const REFRESH_EVERY: Duration = Duration::from_secs(20);

#[component]
pub fn AndonBar() -> impl IntoView {
    let i18n = use_i18n();
    let station = use_station();
    let outbox = use_outbox();
    let calls = RwSignal::new(Vec::<AndonCall>::new());
    let queued = RwSignal::new(None::<AndonKind>);
    let refused = RwSignal::new(None::<String>);
    let now = use_now(Duration::from_secs(1));
    let refresh = move || {
        let machine = station.machine().map(|m| m.id.0);
        spawn_local(async move {
            // Offline: keep showing the last list rather than nothing.
            if let Ok(list) = api::open_andon_calls(machine).await {
                calls.set(list);
            }
        });
    };
    Effect::new(move |_| {
        outbox.applied();
        refresh();
    });
    if let Ok(timer) = set_interval_with_handle(refresh, REFRESH_EVERY) {
        on_cleanup(move || timer.clear());
    }
    let call = move |kind: AndonKind| {
        let body = serde_json::to_string(&NewAndonCall {
            machine_id: station.machine().map(|m| m.id),
            station: Some(station.station_code()),
            kind,
            note: None,
            operator_id: station.operator_id(),
        })
        .unwrap_or_default();
        let label = format!(
            "{} {}",
            i18n.t(Key::AndonCall),
            i18n::andon_kind(i18n.lang_untracked(), kind)
        );
        spawn_local(async move {
            refused.set(None);
            match outbox.submit("/api/v1/andon".to_owned(), body, label).await {
                Outcome::Applied(_) => queued.set(None),
                Outcome::Queued => queued.set(Some(kind)),
                Outcome::Rejected(message) => refused.set(Some(message)),
            }
        });
    };
    view! {
        <footer class="andon-bar" aria-label=i18n.tr(Key::AndonCall)>
            <span class="andon-title">{i18n.tr(Key::AndonCall)}</span>
            {AndonKind::ALL
                .into_iter()
                .map(|kind| {
                    let open = move || calls.with(|c| c.iter().any(|c| c.kind == kind));
                    view! {
                        <button
                            type="button"
                            class="button touch andon-button"
                            class:calling=open
                            data-kind=kind.as_str()
                            on:click=move |_| call(kind)
                        >
                            {move || i18n::andon_kind(i18n.lang(), kind)}
                        </button>
                    }
                })
                .collect_view()}
            <ul class="andon-open" aria-live="polite">
                {move || {
                    calls
                        .get()
                        .into_iter()
                        .map(|c| {
                            let waited = ((now.get() - c.raised_at.timestamp_millis() as f64) / 60_000.0).max(0.0) as i64;
                            view! {
                                <li class:acknowledged=c.status == AndonStatus::Acknowledged>
                                    {i18n::andon_kind(i18n.lang(), c.kind)} " · "
                                    {if c.status == AndonStatus::Acknowledged { i18n.t(Key::AndonAcknowledged) } else { i18n.t(Key::AndonOpen) }}
                                    " · " {i18n::minutes(i18n.lang(), waited)}
                                </li>
                            }
                        })
                        .collect_view()
                }}
                {move || queued.get().map(|k| view! { <li class="queued">{i18n::andon_kind(i18n.lang(), k)} " · " {i18n.tr(Key::QueuedOnTablet)}</li> })}
                {move || refused.get().map(|m| view! { <li class="refused" role="alert">{m}</li> })}
            </ul>
        </footer>
    }
}
