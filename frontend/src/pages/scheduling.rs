//! `/scheduling`: the planner's scheduling screen. Plan (the published plan's KPIs, solver runs
//! with live progress, the proposal against the published plan, publishing), the Gantt chart
//! (server-rendered SVG), the delivery forecast (交期) and the load (负荷) per work centre.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use mes_api_types::{
    ErrorKind,
    scheduling::{
        LoadPeriod, PlanComparison, PlanDetail, PlanKind, PlanKpis, PlanStatus, PlanSummary,
    },
};

use crate::{
    api::FetchError,
    components::{
        Loading,
        errors::{ErrorAlert, error_list},
        notice::use_notices,
    },
    i18n::{self, Key, use_i18n},
    pages::work_orders::{PLANNERS, format_date},
    scheduling_api as sched,
    session::use_session,
    util,
};

/// Solver time limits offered to the planner, in seconds.
const TIME_LIMITS: [u64; 3] = [5, 15, 60];
const DEFAULT_TIME_LIMIT: u64 = 15;
/// Runs listed under "recent runs".
const RECENT_RUNS: i64 = 20;
/// Moves listed under the comparison (a big reshuffle is summarised by its count).
const MAX_MOVES: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Plan,
    Gantt,
    Forecast,
    Load,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Plan, Tab::Gantt, Tab::Forecast, Tab::Load];

    fn key(self) -> Key {
        match self {
            Tab::Plan => Key::SchedTabPlan,
            Tab::Gantt => Key::SchedTabGantt,
            Tab::Forecast => Key::SchedTabForecast,
            Tab::Load => Key::SchedTabLoad,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Tab::Plan => "plan",
            Tab::Gantt => "gantt",
            Tab::Forecast => "forecast",
            Tab::Load => "load",
        }
    }
}

fn status_key(status: PlanStatus) -> Key {
    match status {
        PlanStatus::Running => Key::SchedStatusRunning,
        PlanStatus::Proposed => Key::SchedStatusProposed,
        PlanStatus::Published => Key::SchedStatusPublished,
        PlanStatus::Superseded => Key::SchedStatusSuperseded,
        PlanStatus::Failed => Key::SchedStatusFailed,
        PlanStatus::Cancelled => Key::SchedStatusCancelled,
    }
}

fn kind_key(kind: PlanKind) -> Key {
    match kind {
        PlanKind::Full => Key::SchedKindFull,
        PlanKind::Replan => Key::SchedKindReplan,
    }
}

fn is_not_found(error: &FetchError) -> bool {
    error.kind() == Some(ErrorKind::NotFound)
}

fn opt_datetime(at: Option<DateTime<Utc>>) -> String {
    at.as_ref().map(util::format_datetime).unwrap_or_default()
}

fn signed<T: std::fmt::Display + Default + PartialOrd>(value: Option<T>) -> String {
    match value {
        Some(v) if v > T::default() => format!("+{v}"),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// Midnight (browser time, the plant's) of the day `at` falls in: the Gantt chart's periods
/// start at midnight rather than at the minute the run started.
fn day_start(at: DateTime<Utc>) -> DateTime<Utc> {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    d.set_hours(0);
    d.set_minutes(0);
    d.set_seconds(0);
    d.set_milliseconds(0);
    DateTime::from_timestamp_millis(d.get_time() as i64).unwrap_or(at)
}

fn hours(value: f64) -> String {
    format!("{value:.1}")
}

#[component]
fn PlanStatusBadge(status: PlanStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge plan-{}", status.as_str()) data-status=status.as_str()>
            {i18n.tr(status_key(status))}
        </span>
    }
}

#[component]
pub fn SchedulingPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let can_plan = Memo::new(move |_| session.has_any_role(&PLANNERS));
    let tab = RwSignal::new(Tab::Plan);
    // Bumped whenever a run finishes or a plan is published: every view reloads.
    let refresh = RwSignal::new(0u32);
    // The plan the Gantt chart, the forecast and the load show; `None`: the published one.
    let shown_plan = RwSignal::new(None::<i64>);
    // The plan compared against the published one (a run's result or one picked in the list).
    let compared = RwSignal::new(None::<i64>);

    let published = LocalResource::new(move || {
        refresh.track();
        async move { sched::published_plan().await }
    });
    let runs = LocalResource::new(move || {
        refresh.track();
        async move { sched::list_runs(RECENT_RUNS).await }
    });
    let published_summary =
        Signal::derive(move || published.get().and_then(Result::ok).map(|d| d.plan));
    let run_list = Signal::derive(move || runs.get().and_then(Result::ok).unwrap_or_default());
    let run_state = follow_runs(refresh, compared);
    // A run already working (started before this page was opened) is followed too.
    Effect::new(move |_| {
        if run_state.run.with_untracked(Option::is_none)
            && let Some(working) =
                run_list.with(|r| r.iter().find(|p| p.status == PlanStatus::Running).cloned())
        {
            run_state.run.set(Some(working));
        }
    });

    view! {
        <div class="page wide scheduling">
            <header class="page-header">
                <h1>{i18n.tr(Key::NavScheduling)}</h1>
                <div class="page-actions">
                    <PlanChooser shown_plan=shown_plan runs=run_list/>
                </div>
            </header>
            <div class="tabs schedule-tabs" role="tablist">
                {Tab::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class=format!("tab tab-button schedule-tab-{}", t.class())
                                aria-selected=move || if tab.get() == t { "true" } else { "false" }
                                aria-current=move || (tab.get() == t).then_some("page")
                                on:click=move |_| tab.set(t)
                            >
                                {i18n.tr(t.key())}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            {move || match tab.get() {
                Tab::Plan => {
                    view! {
                        <PlanTab
                            published=published
                            runs=runs
                            refresh=refresh
                            compared=compared
                            shown_plan=shown_plan
                            can_plan=can_plan
                            run_state=run_state
                        />
                    }
                        .into_any()
                }
                Tab::Gantt => {
                    view! {
                        <GanttTab
                            shown_plan=shown_plan
                            published=published_summary
                            runs=run_list
                        />
                    }
                        .into_any()
                }
                Tab::Forecast => {
                    view! { <ForecastTab shown_plan=shown_plan refresh=refresh/> }.into_any()
                }
                Tab::Load => view! { <LoadTab shown_plan=shown_plan refresh=refresh/> }.into_any(),
            }}
        </div>
    }
}

/// Which plan the Gantt chart, forecast and load show: the published one or another version.
#[component]
fn PlanChooser(shown_plan: RwSignal<Option<i64>>, runs: Signal<Vec<PlanSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field inline schedule-plan-chooser">
            <label for="sched-plan">{i18n.tr(Key::SchedShownPlan)}</label>
            <select
                id="sched-plan"
                on:change=move |ev| shown_plan.set(event_target_value(&ev).parse().ok())
            >
                <option value="" selected=move || shown_plan.get().is_none()>
                    {i18n.tr(Key::SchedPublishedPlan)}
                </option>
                {move || {
                    runs.get()
                        .into_iter()
                        .filter(|p| {
                            matches!(p.status, PlanStatus::Proposed | PlanStatus::Superseded)
                        })
                        .map(|p| {
                            let id = p.id;
                            let label = format!(
                                "{} · {}",
                                i18n::plan_version(i18n.lang(), p.version),
                                i18n.t(status_key(p.status)),
                            );
                            view! {
                                <option
                                    value=id.to_string()
                                    selected=move || shown_plan.get() == Some(id)
                                >
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------------------------

#[component]
fn PlanTab(
    published: LocalResource<Result<PlanDetail, FetchError>>,
    runs: LocalResource<Result<Vec<PlanSummary>, FetchError>>,
    refresh: RwSignal<u32>,
    compared: RwSignal<Option<i64>>,
    shown_plan: RwSignal<Option<i64>>,
    can_plan: Memo<bool>,
    run_state: RunState,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card schedule-published" aria-labelledby="sched-published">
            <h2 id="sched-published">{i18n.tr(Key::SchedPublishedPlan)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        match published.await {
                            Ok(detail) => {
                                let plan = detail.plan;
                                Ok(
                                    view! {
                                        <p class="muted">
                                            {i18n::plan_version(i18n.lang(), plan.version)} " · "
                                            {opt_datetime(plan.published_at)}
                                        </p>
                                        {plan.kpis.map(|k| view! { <KpiFacts kpis=k/> })}
                                    }
                                        .into_any(),
                                )
                            }
                            Err(e) if is_not_found(&e) => {
                                Ok(
                                    view! {
                                        <p class="empty">{i18n.tr(Key::SchedNoPublishedPlan)}</p>
                                    }
                                        .into_any(),
                                )
                            }
                            Err(e) => Err(e),
                        }
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
        <Show when=move || can_plan.get()>
            <RunPanel state=run_state refresh=refresh/>
        </Show>
        <Show when=move || compared.get().is_some()>
            <ComparePanel
                plan_id=compared
                refresh=refresh
                can_plan=can_plan
                shown_plan=shown_plan
            />
        </Show>
        <section class="card schedule-runs" aria-labelledby="sched-runs">
            <h2 id="sched-runs">{i18n.tr(Key::SchedRecentRuns)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        runs.await.map(|list| view! { <RunTable runs=list compared=compared/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn KpiFacts(kpis: PlanKpis) -> impl IntoView {
    let i18n = use_i18n();
    let any_late = kpis.late_orders > 0;
    view! {
        <dl class="facts schedule-kpis">
            <dt>{i18n.tr(Key::SchedLateOrders)}</dt>
            <dd class="kpi-late-orders" class:late=any_late>
                {kpis.late_orders}
            </dd>
            <dt>{i18n.tr(Key::SchedWeightedTardiness)}</dt>
            <dd class="kpi-tardiness">{kpis.total_weighted_tardiness_minutes}</dd>
            <dt>{i18n.tr(Key::SchedMakespan)}</dt>
            <dd class="kpi-makespan">{opt_datetime(kpis.makespan_end)}</dd>
        </dl>
    }
}

/// The run being followed. It lives with the page, so switching tabs does not lose it.
#[derive(Clone, Copy)]
struct RunState {
    limit: RwSignal<u64>,
    run: RwSignal<Option<PlanSummary>>,
    error: RwSignal<Option<FetchError>>,
    starting: RwSignal<bool>,
    running: Memo<bool>,
}

/// Follows a run every second while it works; when it ends, the lists reload and a proposal is
/// put up for comparison.
fn follow_runs(refresh: RwSignal<u32>, compared: RwSignal<Option<i64>>) -> RunState {
    let limit = RwSignal::new(DEFAULT_TIME_LIMIT);
    let run = RwSignal::new(None::<PlanSummary>);
    let error = RwSignal::new(None::<FetchError>);
    let starting = RwSignal::new(false);
    let running = Memo::new(move |_| {
        run.with(|r| r.as_ref().is_some_and(|r| r.status == PlanStatus::Running))
    });

    // Poll while the run works; when it ends, the lists reload and a proposal is compared.
    let poll = StoredValue::new(None::<IntervalHandle>);
    Effect::new(move |_| {
        let is_running = running.get();
        if is_running && poll.get_value().is_none() {
            let handle = set_interval_with_handle(
                move || {
                    let Some(id) = run.with_untracked(|r| r.as_ref().map(|r| r.id)) else {
                        return;
                    };
                    leptos::task::spawn_local(async move {
                        match sched::get_run(id).await {
                            Ok(update) => run.set(Some(update)),
                            Err(e) => error.set(Some(e)),
                        }
                    });
                },
                Duration::from_secs(1),
            );
            poll.set_value(handle.ok());
        } else if !is_running && let Some(handle) = poll.get_value() {
            handle.clear();
            poll.set_value(None);
            if let Some(done) = run.get_untracked() {
                if done.status == PlanStatus::Proposed {
                    compared.set(Some(done.id));
                }
                refresh.update(|n| *n += 1);
            }
        }
    });
    on_cleanup(move || {
        if let Some(handle) = poll.get_value() {
            handle.clear();
        }
    });
    RunState {
        limit,
        run,
        error,
        starting,
        running,
    }
}

/// The time limit and the button that starts a run; the followed run's progress below.
#[component]
fn RunPanel(state: RunState, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let RunState {
        limit,
        run,
        error,
        starting,
        running,
    } = state;
    let start = move |_| {
        if starting.get_untracked() || running.get_untracked() {
            return;
        }
        starting.set(true);
        error.set(None);
        let ms = limit.get_untracked() * 1000;
        leptos::task::spawn_local(async move {
            let result = match sched::start_run(Some(ms)).await {
                Ok(started) => sched::get_run(started.id).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(summary) => {
                    run.set(Some(summary));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            starting.set(false);
        });
    };
    let cancel = move |_| {
        let Some(id) = run.with_untracked(|r| r.as_ref().map(|r| r.id)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match sched::cancel_run(id).await {
                Ok(summary) => run.set(Some(summary)),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="card schedule-run" aria-labelledby="sched-run">
            <h2 id="sched-run">{i18n.tr(Key::SchedRunScheduling)}</h2>
            <div class="toolbar">
                <div class="field inline">
                    <label for="sched-limit">{i18n.tr(Key::SchedTimeLimit)}</label>
                    <select
                        id="sched-limit"
                        class="schedule-time-limit"
                        on:change=move |ev| {
                            limit.set(event_target_value(&ev).parse().unwrap_or(DEFAULT_TIME_LIMIT))
                        }
                    >
                        {TIME_LIMITS
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.to_string() selected=move || limit.get() == s>
                                        {move || i18n::seconds(i18n.lang(), s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="toolbar-buttons">
                    <button
                        type="button"
                        class="button primary schedule-run-button"
                        disabled=move || starting.get() || running.get()
                        on:click=start
                    >
                        {i18n.tr(Key::SchedRunScheduling)}
                    </button>
                    <Show when=move || running.get()>
                        <button type="button" class="button schedule-cancel-button" on:click=cancel>
                            {i18n.tr(Key::SchedCancelRun)}
                        </button>
                    </Show>
                </div>
            </div>
            <ErrorAlert error=error/>
            {move || run.get().map(|r| view! { <RunProgressView run=r/> })}
        </section>
    }
}

#[component]
fn RunProgressView(run: PlanSummary) -> impl IntoView {
    let i18n = use_i18n();
    let progress = run.progress.clone();
    let failed = run.status == PlanStatus::Failed;
    view! {
        <div class="schedule-progress" data-status=run.status.as_str() role="status">
            <p>
                {i18n::plan_version(i18n.lang(), run.version)} " "
                <PlanStatusBadge status=run.status/>
                {(run.status == PlanStatus::Running)
                    .then(|| {
                        view! {
                            <span class="spinner" aria-hidden="true"></span>
                            <span class="muted">{i18n.tr(Key::SchedRunning)}</span>
                        }
                    })}
            </p>
            {failed
                .then(|| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            <strong>{i18n.tr(Key::SchedRunFailed)}</strong>
                            <span>{run.error.clone().unwrap_or_default()}</span>
                        </div>
                    }
                })}
            {progress
                .map(|p| {
                    view! {
                        <dl class="facts">
                            <dt>{i18n.tr(Key::SchedIterations)}</dt>
                            <dd class="progress-iterations">{p.iterations}</dd>
                            <dt>{i18n.tr(Key::SchedImprovements)}</dt>
                            <dd>{p.improvements}</dd>
                            <dt>{i18n.tr(Key::SchedBestTardiness)}</dt>
                            <dd>{p.best_weighted_tardiness_minutes.map(|v| v.to_string())}</dd>
                            <dt>{i18n.tr(Key::SchedBestMakespan)}</dt>
                            <dd>{opt_datetime(p.best_makespan_end)}</dd>
                            <dt>{i18n.tr(Key::SchedElapsed)}</dt>
                            <dd class="progress-elapsed">
                                {format!("{:.1} s", p.elapsed_ms as f64 / 1000.0)}
                            </dd>
                        </dl>
                    }
                })}
            {run.kpis.map(|k| view! { <KpiFacts kpis=k/> })}
        </div>
    }
}

/// A plan against the published one, its moves, and publishing it.
#[component]
fn ComparePanel(
    plan_id: RwSignal<Option<i64>>,
    refresh: RwSignal<u32>,
    can_plan: Memo<bool>,
    shown_plan: RwSignal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let publish_error = RwSignal::new(None::<FetchError>);
    let publishing = RwSignal::new(false);
    let data = LocalResource::new(move || {
        refresh.track();
        let id = plan_id.get();
        async move {
            match id {
                Some(id) => {
                    let comparison = sched::compare_plan(id).await?;
                    let detail = sched::get_plan(id).await?;
                    Ok(Some((comparison, detail)))
                }
                None => Ok::<_, FetchError>(None),
            }
        }
    });
    // A new plan under review clears the last publish error.
    Effect::new(move |_| {
        plan_id.track();
        publish_error.set(None);
    });
    let publish = move |_| {
        let Some(id) = plan_id.get_untracked() else {
            return;
        };
        publishing.set(true);
        publish_error.set(None);
        leptos::task::spawn_local(async move {
            match sched::publish_plan(id).await {
                Ok(plan) => {
                    notices.success(format!(
                        "{} · {}",
                        i18n::text(i18n.lang_untracked(), Key::SchedPublishedDone),
                        i18n::plan_version(i18n.lang_untracked(), plan.version)
                    ));
                    if shown_plan.get_untracked() == Some(id) {
                        shown_plan.set(None);
                    }
                    refresh.update(|n| *n += 1);
                }
                Err(e) => publish_error.set(Some(e)),
            }
            publishing.set(false);
        });
    };

    view! {
        <section class="card schedule-compare" aria-labelledby="sched-compare">
            <h2 id="sched-compare">{i18n.tr(Key::SchedProposedPlan)}</h2>
            <ErrorAlert error=publish_error/>
            <Transition fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        data.await
                            .map(|found| {
                                found
                                    .map(|(comparison, detail)| {
                                        let proposed = detail.plan.status == PlanStatus::Proposed;
                                        view! {
                                            <p>
                                                {i18n::plan_version(i18n.lang(), detail.plan.version)}
                                                " "
                                                <PlanStatusBadge status=detail.plan.status/>
                                            </p>
                                            <CompareTable comparison=comparison/>
                                            {(proposed && can_plan.get_untracked())
                                                .then(|| {
                                                    view! {
                                                        <div class="form-actions">
                                                            <button
                                                                type="button"
                                                                class="button primary schedule-publish-button"
                                                                disabled=move || publishing.get()
                                                                on:click=publish
                                                            >
                                                                {i18n.tr(Key::SchedPublish)}
                                                            </button>
                                                        </div>
                                                    }
                                                })}
                                            <MovesTable detail=detail/>
                                        }
                                    })
                            })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn CompareTable(comparison: PlanComparison) -> impl IntoView {
    let i18n = use_i18n();
    if comparison.published_kpis.is_none() {
        return view! {
            <p class="muted">{i18n.tr(Key::SchedNothingToCompare)}</p>
            <KpiFacts kpis=comparison.kpis/>
        }
        .into_any();
    }
    let current = comparison.published_kpis.clone();
    let new = comparison.kpis.clone();
    let makespan_delta = comparison
        .makespan_delta_minutes
        .map(|m| {
            let text = i18n::minutes(i18n.lang_untracked(), m);
            if m > 0 { format!("+{text}") } else { text }
        })
        .unwrap_or_default();
    view! {
        <div class="table-wrap">
            <table class="table schedule-compare-table">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(Key::SchedIndicator)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::SchedCurrent)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::SchedProposed)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::SchedChange)}</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">{i18n.tr(Key::SchedLateOrders)}</th>
                        <td class="num">{current.as_ref().map(|k| k.late_orders)}</td>
                        <td class="num">{new.late_orders}</td>
                        <td
                            class="num delta"
                            class:worse=comparison.late_orders_delta.is_some_and(|d| d > 0)
                            class:better=comparison.late_orders_delta.is_some_and(|d| d < 0)
                        >
                            {signed(comparison.late_orders_delta)}
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">{i18n.tr(Key::SchedWeightedTardiness)}</th>
                        <td class="num">
                            {current.as_ref().map(|k| k.total_weighted_tardiness_minutes)}
                        </td>
                        <td class="num">{new.total_weighted_tardiness_minutes}</td>
                        <td
                            class="num delta"
                            class:worse=comparison
                                .weighted_tardiness_delta_minutes
                                .is_some_and(|d| d > 0)
                            class:better=comparison
                                .weighted_tardiness_delta_minutes
                                .is_some_and(|d| d < 0)
                        >
                            {signed(comparison.weighted_tardiness_delta_minutes)}
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">{i18n.tr(Key::SchedMakespan)}</th>
                        <td class="num nowrap">
                            {opt_datetime(current.as_ref().and_then(|k| k.makespan_end))}
                        </td>
                        <td class="num nowrap">{opt_datetime(new.makespan_end)}</td>
                        <td
                            class="num delta"
                            class:worse=comparison.makespan_delta_minutes.is_some_and(|d| d > 0)
                            class:better=comparison.makespan_delta_minutes.is_some_and(|d| d < 0)
                        >
                            {makespan_delta}
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">{i18n.tr(Key::SchedMovedOps)}</th>
                        <td class="num"></td>
                        <td class="num">{comparison.moved_operations}</td>
                        <td class="num"></td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn MovesTable(detail: PlanDetail) -> impl IntoView {
    let i18n = use_i18n();
    if detail.moves.is_empty() {
        return ().into_any();
    }
    let machine_code = {
        let codes: std::collections::HashMap<_, _> = detail
            .operations
            .iter()
            .map(|op| (op.machine_id, op.machine_code.clone()))
            .collect();
        move |id: mes_api_types::MachineId| {
            codes.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
        }
    };
    let rows = detail
        .moves
        .iter()
        .take(MAX_MOVES)
        .map(|m| {
            let from = m.from_machine_id.map(&machine_code).unwrap_or_default();
            let to = machine_code(m.to_machine_id);
            view! {
                <tr>
                    <td class="mono">{m.work_order_number.clone()}</td>
                    <td class="num">{m.seq}</td>
                    <td class="mono">{from}</td>
                    <td class="nowrap">{opt_datetime(m.from_start)}</td>
                    <td class="mono">{to}</td>
                    <td class="nowrap">{util::format_datetime(&m.to_start)}</td>
                    <td class="muted">{m.reason.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{i18n.tr(Key::SchedMoves)} " (" {detail.moves.len()} ")"</h3>
        <div class="table-wrap">
            <table class="table schedule-moves">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(Key::OrderNumber)}</th>
                        <th scope="col" class="num">"#"</th>
                        <th scope="col">{i18n.tr(Key::SchedFromMachine)}</th>
                        <th scope="col">{i18n.tr(Key::SchedFromStart)}</th>
                        <th scope="col">{i18n.tr(Key::SchedToMachine)}</th>
                        <th scope="col">{i18n.tr(Key::SchedToStart)}</th>
                        <th scope="col">{i18n.tr(Key::SchedReason)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RunTable(runs: Vec<PlanSummary>, compared: RwSignal<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    if runs.is_empty() {
        return view! { <p class="empty">{i18n.tr(Key::SchedNoRuns)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table schedule-runs-table">
                <thead>
                    <tr>
                        <th scope="col" class="num">{i18n.tr(Key::SchedVersion)}</th>
                        <th scope="col">{i18n.tr(Key::Status)}</th>
                        <th scope="col">{i18n.tr(Key::SchedKind)}</th>
                        <th scope="col">{i18n.tr(Key::SchedTrigger)}</th>
                        <th scope="col">{i18n.tr(Key::SchedCreatedBy)}</th>
                        <th scope="col">{i18n.tr(Key::SchedCreatedAt)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::SchedLateOrders)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::SchedWeightedTardiness)}</th>
                        <th scope="col" class="actions"></th>
                    </tr>
                </thead>
                <tbody>
                    {runs
                        .into_iter()
                        .map(|run| {
                            let id = run.id;
                            let reviewable = matches!(
                                run.status,
                                PlanStatus::Proposed | PlanStatus::Published | PlanStatus::Superseded
                            );
                            view! {
                                <tr data-plan=id.to_string() data-status=run.status.as_str()>
                                    <td class="num">{format!("v{}", run.version)}</td>
                                    <td>
                                        <PlanStatusBadge status=run.status/>
                                    </td>
                                    <td>{i18n.tr(kind_key(run.kind))}</td>
                                    <td class="ellipsis" title=run.reason.clone()>
                                        {run.trigger.clone()}
                                    </td>
                                    <td>{run.created_by.clone()}</td>
                                    <td class="nowrap muted">
                                        {util::format_datetime(&run.created_at)}
                                    </td>
                                    <td class="num">{run.kpis.as_ref().map(|k| k.late_orders)}</td>
                                    <td class="num">
                                        {run.kpis.as_ref().map(|k| k.total_weighted_tardiness_minutes)}
                                    </td>
                                    <td class="actions">
                                        {reviewable
                                            .then(|| {
                                                view! {
                                                    <button
                                                        type="button"
                                                        class="button small"
                                                        on:click=move |_| compared.set(Some(id))
                                                    >
                                                        {i18n.tr(Key::SchedShowPlan)}
                                                    </button>
                                                }
                                            })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// Gantt
// ---------------------------------------------------------------------------------------------

#[component]
fn GanttTab(
    shown_plan: RwSignal<Option<i64>>,
    published: Signal<Option<PlanSummary>>,
    runs: Signal<Vec<PlanSummary>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let by_order = RwSignal::new(false);
    let week = RwSignal::new(false);
    // Periods from the plan's origin.
    let offset = RwSignal::new(0i64);
    let plan = Memo::new(move |_| match shown_plan.get() {
        Some(id) => runs.with(|r| r.iter().find(|p| p.id == id).cloned()),
        None => published.get(),
    });
    // Another plan starts at its own origin again.
    Effect::new(move |_| {
        shown_plan.track();
        offset.set(0);
    });
    let url = move || {
        plan.get().map(|p| {
            let span = chrono::Duration::days(if week.get() { 7 } else { 1 });
            let from = day_start(p.origin) + span * offset.get() as i32;
            let to = from + span;
            sched::gantt_url(
                p.id,
                by_order.get(),
                week.get(),
                Some(&from.to_rfc3339()),
                Some(&to.to_rfc3339()),
            )
        })
    };
    let range = move || {
        plan.get().map(|p| {
            let span = chrono::Duration::days(if week.get() { 7 } else { 1 });
            let from = day_start(p.origin) + span * offset.get() as i32;
            if week.get() {
                format!("{} – {}", format_date(&from), format_date(&(from + span)))
            } else {
                format_date(&from)
            }
        })
    };
    let toggle = move |signal: RwSignal<bool>, value: bool, key: Key| {
        view! {
            <button
                type="button"
                aria-pressed=move || if signal.get() == value { "true" } else { "false" }
                on:click=move |_| signal.set(value)
            >
                {i18n.tr(key)}
            </button>
        }
    };
    view! {
        <section class="card schedule-gantt-card">
            <div class="toolbar schedule-gantt-toolbar">
                <div class="segmented schedule-gantt-by" role="group">
                    {toggle(by_order, false, Key::SchedByMachine)}
                    {toggle(by_order, true, Key::SchedByOrder)}
                </div>
                <div class="segmented schedule-gantt-zoom" role="group">
                    {toggle(week, false, Key::SchedZoomDay)}
                    {toggle(week, true, Key::SchedZoomWeek)}
                </div>
                <div class="toolbar-buttons">
                    <button
                        type="button"
                        class="button schedule-gantt-prev"
                        on:click=move |_| offset.update(|o| *o -= 1)
                    >
                        "‹ "
                        {i18n.tr(Key::SchedPrevious)}
                    </button>
                    <span class="schedule-range nowrap">{range}</span>
                    <button
                        type="button"
                        class="button schedule-gantt-next"
                        on:click=move |_| offset.update(|o| *o += 1)
                    >
                        {i18n.tr(Key::SchedNext)}
                        " ›"
                    </button>
                    <button
                        type="button"
                        class="button schedule-gantt-reset"
                        on:click=move |_| offset.set(0)
                    >
                        {i18n.tr(Key::SchedPlanStart)}
                    </button>
                </div>
            </div>
            {move || match url() {
                Some(src) => {
                    view! {
                        <div class="schedule-gantt">
                            <img src=src alt=i18n.tr(Key::SchedTabGantt)/>
                        </div>
                    }
                        .into_any()
                }
                None => {
                    view! { <p class="empty">{i18n.tr(Key::SchedNoPublishedPlan)}</p> }.into_any()
                }
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Delivery forecast (交期)
// ---------------------------------------------------------------------------------------------

#[component]
fn ForecastTab(shown_plan: RwSignal<Option<i64>>, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let forecast = LocalResource::new(move || {
        refresh.track();
        let plan = shown_plan.get();
        async move { sched::forecast(plan).await }
    });
    view! {
        <section class="card schedule-forecast">
            <Transition fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        match forecast.await {
                            Ok(f) if f.orders.is_empty() => {
                                Ok(view! { <p class="empty">{i18n.tr(Key::SchedNoForecast)}</p> }.into_any())
                            }
                            Ok(f) => {
                                let mut orders = f.orders;
                                orders.sort_by(|a, b| {
                                    b.days_late
                                        .total_cmp(&a.days_late)
                                        .then(a.due_at.cmp(&b.due_at))
                                });
                                Ok(
                                    view! {
                                        <div class="table-wrap">
                                            <table class="table">
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{i18n.tr(Key::OrderNumber)}</th>
                                                        <th scope="col">{i18n.tr(Key::Product)}</th>
                                                        <th scope="col" class="num">{i18n.tr(Key::Priority)}</th>
                                                        <th scope="col">{i18n.tr(Key::DueDate)}</th>
                                                        <th scope="col">{i18n.tr(Key::SchedPlannedFinish)}</th>
                                                        <th scope="col" class="num">{i18n.tr(Key::SchedDaysLate)}</th>
                                                        <th scope="col">{i18n.tr(Key::SchedBottleneck)}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {orders
                                                        .into_iter()
                                                        .map(|o| {
                                                            let href = format!("/work-orders/{}", o.work_order_id);
                                                            let bottleneck = match (
                                                                o.bottleneck_machine_code,
                                                                o.bottleneck_work_center_code,
                                                            ) {
                                                                (Some(m), Some(w)) => format!("{m} ({w})"),
                                                                (Some(m), None) => m,
                                                                (None, Some(w)) => w,
                                                                (None, None) => String::new(),
                                                            };
                                                            view! {
                                                                <tr class:late=o.late data-late=o.late.to_string()>
                                                                    <td class="mono">
                                                                        <a href=href>{o.work_order_number}</a>
                                                                    </td>
                                                                    <td class="mono">{o.product_code}</td>
                                                                    <td class="num">
                                                                        <span class=format!("priority p{}", o.priority)>
                                                                            {o.priority}
                                                                        </span>
                                                                    </td>
                                                                    <td class="nowrap">{util::format_datetime(&o.due_at)}</td>
                                                                    <td class="nowrap">
                                                                        {util::format_datetime(&o.planned_finish)}
                                                                    </td>
                                                                    <td class="num days-late" class:late-value=o.late>
                                                                        {if o.late {
                                                                            format!("{:.1}", o.days_late)
                                                                        } else {
                                                                            i18n.t(Key::SchedOnTime).to_owned()
                                                                        }}
                                                                    </td>
                                                                    <td class="mono">{bottleneck}</td>
                                                                </tr>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }
                                        .into_any(),
                                )
                            }
                            Err(e) if is_not_found(&e) => {
                                Ok(view! { <p class="empty">{i18n.tr(Key::SchedNoPublishedPlan)}</p> }.into_any())
                            }
                            Err(e) => Err(e),
                        }
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Load (负荷)
// ---------------------------------------------------------------------------------------------

#[component]
fn LoadTab(shown_plan: RwSignal<Option<i64>>, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let period = RwSignal::new(LoadPeriod::Day);
    let load = LocalResource::new(move || {
        refresh.track();
        let plan = shown_plan.get();
        let period = period.get();
        async move { sched::load(plan, period).await }
    });
    let toggle = move |value: LoadPeriod, key: Key| {
        view! {
            <button
                type="button"
                aria-pressed=move || if period.get() == value { "true" } else { "false" }
                on:click=move |_| period.set(value)
            >
                {i18n.tr(key)}
            </button>
        }
    };
    view! {
        <section class="card schedule-load">
            <div class="toolbar">
                <div class="segmented schedule-load-period" role="group">
                    {toggle(LoadPeriod::Day, Key::SchedZoomDay)}
                    {toggle(LoadPeriod::Week, Key::SchedZoomWeek)}
                </div>
            </div>
            <Transition fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        match load.await {
                            Ok(l) if l.rows.is_empty() => {
                                Ok(view! { <p class="empty">{i18n.tr(Key::SchedNoLoad)}</p> }.into_any())
                            }
                            Ok(l) => {
                                let week = l.period == LoadPeriod::Week;
                                Ok(
                                    view! {
                                        <div class="table-wrap">
                                            <table class="table">
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{i18n.tr(Key::SchedWorkCenter)}</th>
                                                        <th scope="col">{i18n.tr(Key::SchedPeriod)}</th>
                                                        <th scope="col" class="num">{i18n.tr(Key::SchedPlannedHours)}</th>
                                                        <th scope="col" class="num">{i18n.tr(Key::SchedAvailableHours)}</th>
                                                        <th scope="col">{i18n.tr(Key::SchedUtilisation)}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {l
                                                        .rows
                                                        .into_iter()
                                                        .map(|r| {
                                                            let percent = r.utilisation_percent.unwrap_or(0.0);
                                                            let width = percent.clamp(0.0, 100.0);
                                                            let label = r
                                                                .utilisation_percent
                                                                .map(|p| format!("{p:.0}%"))
                                                                .unwrap_or_else(|| "–".to_owned());
                                                            let period_text = if week {
                                                                format!(
                                                                    "{} – {}",
                                                                    format_date(&r.period_start),
                                                                    format_date(&(r.period_end - chrono::Duration::seconds(1))),
                                                                )
                                                            } else {
                                                                format_date(&r.period_start)
                                                            };
                                                            view! {
                                                                <tr
                                                                    class:overloaded=r.overloaded
                                                                    data-overloaded=r.overloaded.to_string()
                                                                >
                                                                    <td>
                                                                        <span class="mono">{r.work_center_code}</span>
                                                                        <span class="muted cell-sub">{r.work_center_name}</span>
                                                                    </td>
                                                                    <td class="nowrap">{period_text}</td>
                                                                    <td class="num">{hours(r.planned_hours)}</td>
                                                                    <td class="num">{hours(r.available_hours)}</td>
                                                                    <td>
                                                                        <div class="load-cell">
                                                                            <div
                                                                                class="load-bar"
                                                                                role="meter"
                                                                                aria-valuemin="0"
                                                                                aria-valuemax="100"
                                                                                aria-valuenow=format!("{percent:.0}")
                                                                            >
                                                                                <div
                                                                                    class="load-fill"
                                                                                    style=format!("width: {width:.0}%")
                                                                                ></div>
                                                                            </div>
                                                                            <span class="load-label">{label}</span>
                                                                            {r
                                                                                .overloaded
                                                                                .then(|| {
                                                                                    view! {
                                                                                        <span class="badge late-badge">
                                                                                            {i18n.tr(Key::SchedOverloaded)}
                                                                                        </span>
                                                                                    }
                                                                                })}
                                                                        </div>
                                                                    </td>
                                                                </tr>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }
                                        .into_any(),
                                )
                            }
                            Err(e) if is_not_found(&e) => {
                                Ok(view! { <p class="empty">{i18n.tr(Key::SchedNoPublishedPlan)}</p> }.into_any())
                            }
                            Err(e) => Err(e),
                        }
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
