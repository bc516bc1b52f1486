//! The machine's queue: what to run next, in dispatch order, and the scan field. A scanner types
//! the code on a traveler and Enter; the operation opens.

use std::time::Duration;

use leptos::{ev, html, prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;
use mes_api_types::{
    WorkOrderOperationId,
    station::{PhaseKind, QueueItem, ScanKind},
};

use super::{api, cache, cached, outbox::use_outbox, qty, use_station};
use crate::{
    api::FetchError,
    components::{
        Loading,
        errors::ErrorAlert,
        icons::{Icon, IconView},
    },
    i18n::{self, Key, use_i18n},
    util,
};

const REFRESH_EVERY: Duration = Duration::from_secs(15);

#[component]
pub fn StationQueue() -> impl IntoView {
    let i18n = use_i18n();
    let station = use_station();
    let outbox = use_outbox();
    let items = RwSignal::new(None::<Vec<QueueItem>>);
    let error = RwSignal::new(None::<FetchError>);
    let stale = RwSignal::new(false);
    let navigate = use_navigate();
    let cache_key = move || format!("queue.{}", station.code.get_untracked());

    let refresh = move || {
        let code = station.station_code();
        spawn_local(async move {
            match api::queue(&code).await {
                Ok(queue) => {
                    cache(&cache_key(), &queue);
                    items.set(Some(queue));
                    stale.set(false);
                    error.set(None);
                }
                Err(FetchError::Network(_)) => {
                    if items.with_untracked(Option::is_none) {
                        items.set(Some(cached(&cache_key()).unwrap_or_default()));
                    }
                    stale.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        outbox.applied();
        station.code.track();
        refresh();
    });
    if let Ok(timer) = set_interval_with_handle(refresh, REFRESH_EVERY) {
        on_cleanup(move || timer.clear());
    }

    let open = Callback::new(move |id: WorkOrderOperationId| {
        navigate(
            &format!(
                "/station/{}/op/{}",
                util::encode_uri_component(&station.code.get_untracked()),
                id.0
            ),
            Default::default(),
        );
    });

    view! {
        <section class="station-panel work-area" aria-labelledby="queue-title">
            <ScanField items=items on_operation=open/>
            <div class="queue-head">
                <h1 id="queue-title">{i18n.tr(Key::Queue)}</h1>
                {move || stale.get().then(|| view! { <span class="badge warn">{i18n.tr(Key::ShownFromTablet)}</span> })}
            </div>
            <ErrorAlert error=Signal::derive(move || error.get())/>
            {move || match items.get() {
                None => view! { <Loading/> }.into_any(),
                Some(list) if list.is_empty() => {
                    view! {
                        <div class="empty-queue">
                            <IconView icon=Icon::WorkOrders/>
                            <h2>{i18n.tr(Key::NoWorkQueued)}</h2>
                            <p>
                                {i18n.tr(Key::NoWorkQueuedHint)} " "
                                <strong class="mono">{move || station.code.get()}</strong>
                            </p>
                        </div>
                    }
                        .into_any()
                }
                Some(list) => {
                    view! {
                        <ol class="queue">
                            {list
                                .into_iter()
                                .map(|item| {
                                    let id = item.operation_id;
                                    view! {
                                        <li>
                                            <button type="button" class="queue-item" on:click=move |_| open.run(id)>
                                                <QueueLine item=item/>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn QueueLine(item: QueueItem) -> impl IntoView {
    let i18n = use_i18n();
    let phase = item.phase.as_ref().map(|p| p.kind);
    let done = item.qty_good + item.qty_scrap;
    let percent = if item.qty_planned > 0.0 {
        (done / item.qty_planned * 100.0).min(100.0)
    } else {
        0.0
    };
    let late = (item.due_at.timestamp_millis() as f64) < util::now_ms();
    view! {
        <span class="queue-main">
            <span class="queue-order mono">{item.work_order_number.clone()} " / " {item.seq}</span>
            <span class="queue-op">{item.name.clone()}</span>
            <span class="queue-product">{item.product_code.clone()} " " {item.product_name.clone()}</span>
        </span>
        <span class="queue-qty">
            <span class="big">{qty(item.qty_good)} " / " {qty(item.qty_planned)}</span>
            <span class="muted">{move || i18n::available_qty(i18n.lang(), &qty(item.qty_available), &item.unit)}</span>
            <span class="progress"><span style=format!("width:{percent:.0}%")></span></span>
        </span>
        <span class="queue-flags">
            {match phase {
                Some(PhaseKind::Setup) => Some(view! { <span class="badge info">{i18n.tr(Key::PhaseSetup)}</span> }),
                Some(PhaseKind::Run) => Some(view! { <span class="badge ok">{i18n.tr(Key::PhaseRun)}</span> }),
                Some(PhaseKind::Paused) => Some(view! { <span class="badge warn">{i18n.tr(Key::PhasePaused)}</span> }),
                None => None,
            }}
            {(item.priority <= 1).then(|| view! { <span class="badge danger">{i18n.tr(Key::Rush)}</span> })}
            <span class="due" class:late=late>
                {i18n.tr(Key::Due)} " " {util::format_datetime(&item.due_at)}
            </span>
        </span>
    }
}

/// The scan field keeps the focus, so a keyboard-wedge scanner works without a tap. Codes of
/// operations in the queue open at once, even offline; others are resolved by the server.
#[component]
pub fn ScanField(
    items: RwSignal<Option<Vec<QueueItem>>>,
    on_operation: Callback<WorkOrderOperationId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let station = use_station();
    let value = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let resolve = move |code: String| {
        let local = items.with_untracked(|items| {
            items.as_ref().and_then(|items| {
                items
                    .iter()
                    .find(|i| {
                        i.scan_code.eq_ignore_ascii_case(&code)
                            || i.work_order_number.eq_ignore_ascii_case(&code)
                            || format!("WO:{}", i.work_order_number).eq_ignore_ascii_case(&code)
                    })
                    .map(|i| i.operation_id)
            })
        });
        if let Some(id) = local {
            on_operation.run(id);
            return;
        }
        let station_code = station.station_code();
        spawn_local(async move {
            match api::scan(&code, &station_code).await {
                Ok(found) => match (found.kind, found.operation_id) {
                    (ScanKind::Operation | ScanKind::WorkOrder, Some(id)) => on_operation.run(id),
                    (ScanKind::Operation | ScanKind::WorkOrder, None) => {
                        message.set(Some(i18n::nothing_to_do_here(i18n.lang_untracked(), &code)))
                    }
                    (ScanKind::Machine | ScanKind::Station, _) => {
                        message.set(Some(i18n::other_place_code(i18n.lang_untracked(), &code)))
                    }
                },
                Err(FetchError::Network(_)) => {
                    message.set(Some(i18n.t(Key::ScanNeedsNetwork).to_owned()))
                }
                Err(e) => message.set(Some(
                    e.server_message()
                        .map(str::to_owned)
                        .unwrap_or_else(|| e.to_string()),
                )),
            }
        });
    };
    view! {
        <form
            class="scan-form"
            on:submit=move |ev: ev::SubmitEvent| {
                ev.prevent_default();
                let code = value.get_untracked().trim().to_owned();
                value.set(String::new());
                message.set(None);
                if !code.is_empty() {
                    resolve(code);
                }
            }
        >
            <label for="station-scan" class="scan-label">
                <IconView icon=Icon::Search/>
                {i18n.tr(Key::ScanPrompt)}
            </label>
            <input
                id="station-scan"
                node_ref=input
                type="text"
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                enterkeyhint="go"
                bind:value=value
            />
            <button type="submit" class="button primary touch">{i18n.tr(Key::Open)}</button>
        </form>
        {move || message.get().map(|m| view! { <div class="alert alert-info" role="status">{m}</div> })}
    }
}
