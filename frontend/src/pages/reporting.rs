//! Reporting (报工) in the office: the piece-rate and labour report (计件) with its exports, and
//! the andon calls of the floor with acknowledge and resolve.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use mes_api_types::station::{AndonCall, AndonStatus, AndonUpdate, PieceRateReport, ReportPeriod};

use crate::{
    api::{Call, FetchError},
    components::{Loading, errors::ErrorAlert, hooks::use_now},
    i18n::{self, Key, use_i18n},
    station::{api as station_api, qty},
    util,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    PieceRate,
    Andon,
}

#[component]
pub fn ReportingPage() -> impl IntoView {
    let i18n = use_i18n();
    let tab = RwSignal::new(Tab::PieceRate);
    let tab_button = move |t: Tab, key: Key, class: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class=format!("tab tab-button {class}")
                aria-selected=move || if tab.get() == t { "true" } else { "false" }
                on:click=move |_| tab.set(t)
            >
                {i18n.tr(key)}
            </button>
        }
    };
    view! {
        <div class="page wide reporting">
            <header class="page-header">
                <h1>{i18n.tr(Key::NavReporting)}</h1>
            </header>
            <div class="tabs" role="tablist">
                {tab_button(Tab::PieceRate, Key::PieceRateReport, "reporting-tab-piece-rate")}
                {tab_button(Tab::Andon, Key::AndonCalls, "reporting-tab-andon")}
            </div>
            {move || match tab.get() {
                Tab::PieceRate => view! { <PieceRate/> }.into_any(),
                Tab::Andon => view! { <AndonCalls/> }.into_any(),
            }}
        </div>
    }
}

fn period_str(p: ReportPeriod) -> &'static str {
    match p {
        ReportPeriod::Day => "day",
        ReportPeriod::Week => "week",
        ReportPeriod::Month => "month",
    }
}

fn today_minus(days: i64) -> String {
    let ms = util::now_ms() - (days as f64) * 86_400_000.0;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

#[component]
fn PieceRate() -> impl IntoView {
    let i18n = use_i18n();
    let from = RwSignal::new(today_minus(6));
    let to = RwSignal::new(today_minus(0));
    let period = RwSignal::new(ReportPeriod::Day);
    let query = move || {
        format!(
            "from={}&to={}&period={}",
            from.get(),
            to.get(),
            period_str(period.get())
        )
    };
    let report = LocalResource::new(move || {
        let q = query();
        async move {
            Call::get(format!("/api/v1/reports/piece-rate?{q}"))
                .fetch::<PieceRateReport>()
                .await
        }
    });
    view! {
        <section class="piece-rate">
            <div class="filters">
                <label class="field inline">
                    <span>{i18n.tr(Key::From)}</span>
                    <input type="date" bind:value=from/>
                </label>
                <label class="field inline">
                    <span>{i18n.tr(Key::To)}</span>
                    <input type="date" bind:value=to/>
                </label>
                <label class="field inline">
                    <span>{i18n.tr(Key::Period)}</span>
                    <select on:change=move |ev| {
                        period.set(match event_target_value(&ev).as_str() {
                            "week" => ReportPeriod::Week,
                            "month" => ReportPeriod::Month,
                            _ => ReportPeriod::Day,
                        })
                    }>
                        <option value="day">{i18n.tr(Key::PeriodDay)}</option>
                        <option value="week">{i18n.tr(Key::PeriodWeek)}</option>
                        <option value="month">{i18n.tr(Key::PeriodMonth)}</option>
                    </select>
                </label>
                <a class="button" href=move || format!("/api/v1/reports/piece-rate?{}&format=csv", query())>
                    {i18n.tr(Key::ExportCsv)}
                </a>
                <a class="button" href=move || format!("/api/v1/reports/piece-rate?{}&format=xlsx", query())>
                    {i18n.tr(Key::ExportXlsx)}
                </a>
            </div>
            <Transition fallback=|| view! { <Loading/> }>
                {move || report.get().map(|r| match r {
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(report) if report.rows.is_empty() => view! { <p class="muted">{i18n.tr(Key::NoReportsInRange)}</p> }.into_any(),
                    Ok(report) => view! {
                        <div class="table-wrap">
                            <table class="table piece-rate-table">
                                <thead>
                                    <tr>
                                        <th>{i18n.tr(Key::Operator)}</th>
                                        <th>{i18n.tr(Key::Period)}</th>
                                        <th>{i18n.tr(Key::Operations)}</th>
                                        <th class="num">{i18n.tr(Key::QtyGood)}</th>
                                        <th class="num">{i18n.tr(Key::Hours)}</th>
                                        <th class="num">{i18n.tr(Key::Amount)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {report.rows.into_iter().map(|row| {
                                        let name = if row.display_name.trim().is_empty() { row.username.clone() } else { row.display_name.clone() };
                                        view! {
                                            <tr>
                                                <td>{name}</td>
                                                <td>{row.period_start.to_string()}</td>
                                                <td>
                                                    <ul class="plain">
                                                        {row.lines.into_iter().map(|l| view! {
                                                            <li>
                                                                <span class="mono">{l.work_order_number} " / " {l.seq}</span> " " {l.operation_name}
                                                                " · " {qty(l.good)} " × " {l.piece_rate.map(|r| format!("{r:.2}")).unwrap_or_else(|| "—".into())}
                                                            </li>
                                                        }).collect_view()}
                                                    </ul>
                                                </td>
                                                <td class="num">{qty(row.good)}</td>
                                                <td class="num">{format!("{:.2}", row.hours)}</td>
                                                <td class="num">{format!("{:.2}", row.amount)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                                <tfoot>
                                    <tr>
                                        <th colspan="5">{i18n.tr(Key::Total)}</th>
                                        <th class="num">{format!("{:.2}", report.total_amount)}</th>
                                    </tr>
                                </tfoot>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Open and acknowledged andon calls, live: whoever answers acknowledges, then resolves.
#[component]
fn AndonCalls() -> impl IntoView {
    let i18n = use_i18n();
    let calls = RwSignal::new(None::<Vec<AndonCall>>);
    let error = RwSignal::new(None::<FetchError>);
    let now = use_now(Duration::from_secs(1));
    let refresh = move || {
        spawn_local(async move {
            match station_api::open_andon_calls(None).await {
                Ok(mut all) => {
                    all.sort_by_key(|c| c.raised_at);
                    error.set(None);
                    calls.set(Some(all));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    refresh();
    if let Ok(timer) = set_interval_with_handle(refresh, Duration::from_secs(10)) {
        on_cleanup(move || timer.clear());
    }
    let act = move |id: i64, verb: &'static str| {
        spawn_local(async move {
            let result = Call::post(format!("/api/v1/andon/{id}/{verb}"))
                .json(&AndonUpdate::default())
                .execute()
                .await;
            match result {
                Ok(()) => refresh(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="andon-calls">
            <ErrorAlert error=Signal::derive(move || error.get())/>
            {move || match calls.get() {
                None => view! { <Loading/> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="muted">{i18n.tr(Key::NoOpenAndon)}</p> }.into_any(),
                Some(list) => view! {
                    <div class="table-wrap">
                        <table class="table andon-table">
                            <thead>
                                <tr>
                                    <th>{i18n.tr(Key::AndonCall)}</th>
                                    <th>{i18n.tr(Key::Machine)}</th>
                                    <th>{i18n.tr(Key::Status)}</th>
                                    <th>{i18n.tr(Key::Waiting)}</th>
                                    <th>{i18n.tr(Key::Note)}</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|c| {
                                    let id = c.id.0;
                                    let raised = c.raised_at.timestamp_millis() as f64;
                                    let open = c.status == AndonStatus::Open;
                                    view! {
                                        <tr data-status=c.status.as_str()>
                                            <td>{i18n::andon_kind(i18n.lang(), c.kind)}</td>
                                            <td class="mono">{c.machine_code.clone().or(c.station_code.clone()).unwrap_or_default()}</td>
                                            <td>{if open { i18n.t(Key::AndonOpen) } else { i18n.t(Key::AndonAcknowledged) }}</td>
                                            <td>{move || i18n::minutes(i18n.lang(), ((now.get() - raised) / 60_000.0).max(0.0) as i64)}</td>
                                            <td>{c.note.clone()} " " {c.raised_by.clone().unwrap_or_default()}</td>
                                            <td class="actions">
                                                {open.then(|| view! { <button type="button" class="button small" on:click=move |_| act(id, "acknowledge")>{i18n.tr(Key::Acknowledge)}</button> })}
                                                <button type="button" class="button small primary" on:click=move |_| act(id, "resolve")>{i18n.tr(Key::Resolve)}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
