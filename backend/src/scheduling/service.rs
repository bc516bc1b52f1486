//! Scheduling rules: building the model from the plant, solver runs on a background thread,
//! storing plans, comparing and publishing them, pins and settings.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration as StdDuration, Instant},
};

use chrono::{DateTime, Duration, DurationRound, NaiveDateTime, Utc};
use chrono_tz::Tz;
use diesel::Connection;
use mes_api_types::{
    MachineId, WorkOrderOperationId,
    events::ShopEvent,
    scheduling::{
        NewPin, Pin, PlanComparison, PlanDetail, PlanKind, PlanMove, PlanStatus, PlanSummary,
        RunProgress, ScheduleSettings, ScheduleSettingsUpdate,
    },
};
use mes_scheduler::{Plan, Progress, SolveOptions};

use super::{
    model::{self, MachineInput, Model, ModelInput, OperationInput, OrderInput, PinInput},
    models::*,
    queries,
};
use crate::{
    audit,
    db::{Db, DbConnection, now, write_transaction},
    error::{AppError, AppResult, Detail},
    events::EventBus,
    http::extract::Actor,
    plant::{
        calendar::{self, CalendarModel},
        service::calendar_model,
    },
    text,
};

/// Limits of a run's search time.
pub const MIN_TIME_LIMIT_MS: u64 = 100;
pub const MAX_TIME_LIMIT_MS: u64 = 600_000;
/// Started operations further back than this are assumed to have started this long ago (the
/// calendar is not expanded further into the past).
const MAX_LOOKBACK_DAYS: i64 = 30;

/// Runs in progress: their live progress and cancel flags, by plan id. Lives in the app state.
#[derive(Default)]
pub struct Runs {
    live: Mutex<HashMap<i64, LiveRun>>,
}

#[derive(Clone)]
struct LiveRun {
    progress: Arc<Progress>,
    cancel: Arc<AtomicBool>,
    started: Instant,
    origin: DateTime<Utc>,
}

impl Runs {
    pub fn new() -> Runs {
        Runs::default()
    }

    fn insert(&self, plan_id: i64, run: LiveRun) {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(plan_id, run);
    }

    fn remove(&self, plan_id: i64) {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&plan_id);
    }

    fn get(&self, plan_id: i64) -> Option<LiveRun> {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&plan_id)
            .cloned()
    }

    /// Live figures of a running plan.
    pub fn progress(&self, plan_id: i64) -> Option<RunProgress> {
        let run = self.get(plan_id)?;
        let best = run.progress.best();
        Some(RunProgress {
            iterations: run.progress.iterations(),
            improvements: run.progress.improvements(),
            best_weighted_tardiness_minutes: best.map(|c| c.primary),
            best_makespan_end: best.map(|c| model::time_at(run.origin, c.secondary)),
            elapsed_ms: run.started.elapsed().as_millis() as u64,
        })
    }

    /// Asks a running plan to stop; false when it is not running here.
    pub fn cancel(&self, plan_id: i64) -> bool {
        match self.get(plan_id) {
            Some(run) => {
                run.cancel.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

/// The plan origin: now, on the whole minute (plans of different runs then share a grid).
pub fn origin_now() -> DateTime<Utc> {
    Utc::now()
        .duration_trunc(Duration::minutes(1))
        .unwrap_or_else(|_| Utc::now())
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

fn plan_not_found(id: i64) -> AppError {
    AppError::NotFound(text!(
        "排程方案 {id} 不存在",
        "Schedule plan {id} does not exist"
    ))
}

fn load_plan(conn: &mut DbConnection, id: i64) -> AppResult<PlanRow> {
    queries::find_plan(conn, id)?.ok_or_else(|| plan_not_found(id))
}

// ---- Settings ----

pub fn settings(conn: &mut DbConnection) -> AppResult<ScheduleSettings> {
    Ok(queries::settings(conn)?.to_api())
}

pub fn update_settings(
    conn: &mut DbConnection,
    actor: &Actor,
    update: ScheduleSettingsUpdate,
) -> AppResult<ScheduleSettings> {
    let mut details = Vec::new();
    if update.frozen_horizon_minutes < 0 || update.frozen_horizon_minutes > 10_080 {
        details.push(Detail::field(
            "frozen_horizon_minutes",
            text!(
                "冻结期应在 0 到 10080 分钟之间",
                "The frozen horizon must be 0–10080 minutes"
            ),
        ));
    }
    let limit = update.default_time_limit_ms;
    if limit < MIN_TIME_LIMIT_MS as i64 || limit > MAX_TIME_LIMIT_MS as i64 {
        details.push(Detail::field(
            "default_time_limit_ms",
            text!(
                "求解时间应在 {MIN_TIME_LIMIT_MS} 到 {MAX_TIME_LIMIT_MS} 毫秒之间",
                "The time limit must be {MIN_TIME_LIMIT_MS}–{MAX_TIME_LIMIT_MS} ms"
            ),
        ));
    }
    if !(1..=365).contains(&update.horizon_days) {
        details.push(Detail::field(
            "horizon_days",
            text!(
                "排程范围应在 1 到 365 天之间",
                "The horizon must be 1–365 days"
            ),
        ));
    }
    if !(1..=10_080).contains(&update.down_estimate_minutes) {
        details.push(Detail::field(
            "down_estimate_minutes",
            text!(
                "预计停机时长应在 1 到 10080 分钟之间",
                "The assumed downtime must be 1–10080 minutes"
            ),
        ));
    }
    if !details.is_empty() {
        return Err(AppError::Validation(details));
    }
    write_transaction(conn, |conn| {
        let before = queries::settings(conn)?;
        let after = SettingsRow {
            auto_replan: update.auto_replan,
            frozen_horizon_minutes: update.frozen_horizon_minutes,
            default_time_limit_ms: update.default_time_limit_ms,
            horizon_days: update.horizon_days,
            down_estimate_minutes: update.down_estimate_minutes,
            lock_version: update.lock_version + 1,
        };
        if queries::update_settings(conn, &after, update.lock_version, now())? == 0 {
            return Err(AppError::Conflict(text!(
                "排程设置已被他人修改，请刷新后重试",
                "The scheduling settings were changed meanwhile; reload and try again"
            )));
        }
        audit::updated(conn, actor, "schedule_settings", 1, &before, &after)?;
        Ok(after.to_api())
    })
}

// ---- Model building from the database ----

/// The plant's open work as the solver's problem, at `origin`.
pub fn build_model(conn: &mut DbConnection, tz: Tz, origin: DateTime<Utc>) -> AppResult<Model> {
    let settings = queries::settings(conn)?;
    let input = model_input(conn, tz, origin, &settings)?;
    Ok(model::build(&input))
}

pub fn model_input(
    conn: &mut DbConnection,
    tz: Tz,
    origin: DateTime<Utc>,
    settings: &SettingsRow,
) -> AppResult<ModelInput> {
    let orders = queries::open_orders(conn)?;
    let operations = queries::open_operations(conn)?;
    let earliest_start = operations
        .iter()
        .filter_map(|o| o.started_at)
        .min()
        .map(model_utc)
        .unwrap_or(origin)
        .max(origin - Duration::days(MAX_LOOKBACK_DAYS))
        .min(origin);
    let from = earliest_start - Duration::days(1);
    let to = origin + Duration::days(i64::from(settings.horizon_days));

    let plant_machines = machine_calendars(conn, tz, from, to)?;
    let mut machines_of_center: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in &plant_machines {
        machines_of_center
            .entry(m.work_center_id)
            .or_default()
            .push(m.id);
    }
    let machines = plant_machines
        .into_iter()
        .map(|m| MachineInput {
            id: m.id,
            working: m.working,
            unavailable: m.unavailable,
        })
        .collect();

    let mut eligible: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
    for (op, machine, run) in queries::open_operation_machines(conn)? {
        eligible.entry(op).or_default().push((machine, run));
    }
    let mut predecessors: HashMap<i64, Vec<i64>> = HashMap::new();
    for (order, pred) in queries::open_dependencies(conn)? {
        predecessors.entry(order).or_default().push(pred);
    }
    let mut ops_of: HashMap<i64, Vec<OperationInput>> = HashMap::new();
    for op in operations {
        let machines_for_op = eligible.remove(&op.id).unwrap_or_else(|| {
            machines_of_center
                .get(&op.work_center_id)
                .into_iter()
                .flatten()
                .map(|&m| (m, op.run_minutes_per_unit))
                .collect()
        });
        let started = match (op.status.as_str(), op.started_at) {
            ("in_progress" | "paused", Some(at)) => op
                .planned_machine_id
                .filter(|m| machines_for_op.iter().any(|e| e.0 == *m))
                .or_else(|| machines_for_op.first().map(|e| e.0))
                .map(|m| (m, model_utc(at).max(earliest_start))),
            _ => None,
        };
        ops_of
            .entry(op.work_order_id)
            .or_default()
            .push(OperationInput {
                id: op.id,
                seq: op.seq,
                setup_minutes: op.setup_minutes,
                queue_minutes: op.queue_minutes,
                transfer_minutes: op.transfer_minutes,
                qty_good: op.qty_good,
                qty_scrap: op.qty_scrap,
                started,
                eligible: machines_for_op,
            });
    }
    let orders = orders
        .into_iter()
        .map(|o| OrderInput {
            id: o.id,
            quantity: o.quantity,
            due_at: model_utc(o.due_at),
            release_at: o.release_at.map(model_utc),
            priority: o.priority,
            predecessors: predecessors.remove(&o.id).unwrap_or_default(),
            operations: ops_of.remove(&o.id).unwrap_or_default(),
        })
        .collect();
    let pins = queries::pins(conn)?
        .into_iter()
        .map(|p| PinInput {
            operation_id: p.operation_id,
            machine_id: p.machine_id,
            start: model_utc(p.start_at),
        })
        .collect();
    Ok(ModelInput {
        origin,
        machines,
        orders,
        pins,
        down_estimate_minutes: i64::from(settings.down_estimate_minutes),
    })
}

/// An active machine and when it works in a range.
#[derive(Debug, Clone)]
pub struct MachineCalendar {
    pub id: i64,
    pub code: String,
    pub work_center_id: i64,
    /// `None`: no calendar (its own or its work centre's), always available.
    pub working: Option<Vec<(DateTime<Utc>, DateTime<Utc>)>>,
    /// Down or in maintenance now.
    pub unavailable: bool,
}

/// Every active machine's working intervals in `[from, to)` (its own calendar, else its work
/// centre's).
pub fn machine_calendars(
    conn: &mut DbConnection,
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<MachineCalendar>> {
    let center_calendars: HashMap<i64, Option<i64>> = queries::work_centers(conn)?
        .into_iter()
        .map(|(id, _, _, cal)| (id, cal))
        .collect();
    let mut calendars: HashMap<i64, CalendarModel> = HashMap::new();
    let mut out = Vec::new();
    for (id, code, wc, own_calendar, status) in queries::active_machines(conn)? {
        let calendar_id = own_calendar.or_else(|| center_calendars.get(&wc).copied().flatten());
        let working = match calendar_id {
            Some(cid) => {
                if let std::collections::hash_map::Entry::Vacant(slot) = calendars.entry(cid) {
                    slot.insert(calendar_model(conn, cid)?);
                }
                Some(
                    calendar::working_intervals(&calendars[&cid], tz, from, to)
                        .into_iter()
                        .map(|i| (i.start, i.end))
                        .collect(),
                )
            }
            None => None,
        };
        out.push(MachineCalendar {
            id,
            code,
            work_center_id: wc,
            working,
            unavailable: status == "down" || status == "maintenance",
        });
    }
    Ok(out)
}

fn model_utc(t: NaiveDateTime) -> DateTime<Utc> {
    utc(t)
}

// ---- Runs ----

/// Validates the request and records a running plan; the caller then runs it in the background
/// with [`execute_run`].
pub fn begin_run(
    conn: &mut DbConnection,
    actor: &Actor,
    time_limit_ms: Option<u64>,
    trigger: &str,
) -> AppResult<PlanRow> {
    if let Some(limit) = time_limit_ms
        && !(MIN_TIME_LIMIT_MS..=MAX_TIME_LIMIT_MS).contains(&limit)
    {
        return Err(AppError::invalid(
            "time_limit_ms",
            text!(
                "求解时间应在 {MIN_TIME_LIMIT_MS} 到 {MAX_TIME_LIMIT_MS} 毫秒之间",
                "The time limit must be {MIN_TIME_LIMIT_MS}–{MAX_TIME_LIMIT_MS} ms"
            ),
        ));
    }
    write_transaction(conn, |conn| {
        if let Some(running) = queries::running_plan(conn)? {
            let version = running.version;
            return Err(AppError::Conflict(text!(
                "排程 V{version} 正在计算，请等它结束",
                "Schedule run V{version} is still working; wait for it to finish"
            )));
        }
        let settings = queries::settings(conn)?;
        let limit = time_limit_ms.map_or(settings.default_time_limit_ms, |l| l as i64);
        let row = NewPlanRow {
            version: queries::next_version(conn)?,
            status: PlanStatus::Running.as_str().to_owned(),
            kind: PlanKind::Full.as_str().to_owned(),
            trigger_kind: trigger.to_owned(),
            reason: String::new(),
            base_plan_id: queries::published_plan(conn)?.map(|p| p.id),
            origin: naive(origin_now()),
            time_limit_ms: limit,
            created_by: actor.user_id,
            created_by_name: actor.name.clone(),
            created_at: now(),
        };
        let id = queries::insert_plan(conn, &row)?;
        let plan = load_plan(conn, id)?;
        audit::created(conn, actor, "schedule_plan", id, &plan)?;
        Ok(plan)
    })
}

/// Solves a running plan and stores the result as `proposed` (or `failed`). Blocking: call it
/// on a thread of its own.
pub fn execute_run(db: &Db, runs: &Runs, tz: Tz, plan_id: i64) {
    if let Err(e) = solve_and_store(db, runs, tz, plan_id) {
        runs.remove(plan_id);
        tracing::error!(plan_id, error = %e, "schedule run failed");
        let message = match &e {
            AppError::Internal(inner) => format!("{inner:#}"),
            other => other.body(Default::default()).message,
        };
        if let Ok(mut conn) = db.get() {
            let _ = queries::fail_plan(&mut conn, plan_id, "failed", now(), Some(&message));
        }
    }
}

fn solve_and_store(db: &Db, runs: &Runs, tz: Tz, plan_id: i64) -> AppResult<()> {
    let mut conn = db.get()?;
    let row = load_plan(&mut conn, plan_id)?;
    let origin = utc(row.origin);
    let model = build_model(&mut conn, tz, origin)?;
    let live = LiveRun {
        progress: Arc::new(Progress::new()),
        cancel: Arc::new(AtomicBool::new(false)),
        started: Instant::now(),
        origin,
    };
    runs.insert(plan_id, live.clone());
    let options = SolveOptions {
        time_limit: Some(StdDuration::from_millis(row.time_limit_ms.max(0) as u64)),
        progress: Some(live.progress.clone()),
        cancel: Some(live.cancel.clone()),
        ..Default::default()
    };
    let result = mes_scheduler::solve(&model.problem, &options);
    let cancelled = live.cancel.load(Ordering::Relaxed);
    runs.remove(plan_id);
    let result = result.map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    if cancelled {
        queries::fail_plan(&mut conn, plan_id, "cancelled", now(), None)?;
        return Ok(());
    }
    let published = match queries::published_plan(&mut conn)? {
        Some(p) => queries::planned_ops(&mut conn, p.id)?,
        None => Vec::new(),
    };
    let rows = plan_rows(plan_id, &model, &result.plan);
    let moves = diff_moves(plan_id, &published, &rows.0);
    write_transaction(&mut conn, |conn| {
        store_plan(
            conn,
            plan_id,
            &result.plan,
            &rows,
            &moves,
            result.stats.iterations,
            "proposed",
        )
    })
}

/// The stored form of a plan: operations and per-order outcomes.
pub type PlanRows = (Vec<PlannedOpRow>, Vec<PlannedOrderRow>);

pub fn plan_rows(plan_id: i64, model: &Model, plan: &Plan) -> PlanRows {
    let at = |m: i64| naive(model::time_at(model.origin, m));
    let mut ops = Vec::new();
    let mut orders = Vec::new();
    for (j, planned) in plan.ops.iter().enumerate() {
        let outcome = &plan.jobs[j];
        let late = outcome.tardiness > 0;
        for (k, p) in planned.iter().enumerate() {
            ops.push(PlannedOpRow {
                plan_id,
                operation_id: model.operation_ids[j][k],
                machine_id: model.machine_ids[p.machine],
                setup_start: at(p.start),
                run_start: at(p.setup_end),
                end_at: at(p.end),
                late,
                frozen: p.frozen,
            });
        }
        orders.push(PlannedOrderRow {
            plan_id,
            work_order_id: model.order_ids[j],
            planned_finish: at(outcome.completion),
            tardiness_minutes: outcome.tardiness,
            bottleneck_machine_id: outcome.bottleneck.map(|m| model.machine_ids[m]),
        });
    }
    (ops, orders)
}

/// Operations placed differently than in the published plan (or new to it).
pub fn diff_moves(plan_id: i64, published: &[PlannedOpRow], new: &[PlannedOpRow]) -> Vec<MoveRow> {
    let before: HashMap<i64, &PlannedOpRow> =
        published.iter().map(|p| (p.operation_id, p)).collect();
    if before.is_empty() {
        return Vec::new();
    }
    new.iter()
        .filter_map(|n| match before.get(&n.operation_id) {
            Some(b) if b.machine_id == n.machine_id && b.setup_start == n.setup_start => None,
            Some(b) => Some(MoveRow {
                plan_id,
                operation_id: n.operation_id,
                from_machine_id: Some(b.machine_id),
                from_start: Some(b.setup_start),
                to_machine_id: n.machine_id,
                to_start: n.setup_start,
                reason: "reoptimised".into(),
            }),
            None => Some(MoveRow {
                plan_id,
                operation_id: n.operation_id,
                from_machine_id: None,
                from_start: None,
                to_machine_id: n.machine_id,
                to_start: n.setup_start,
                reason: "new_work".into(),
            }),
        })
        .collect()
}

/// Writes a solved plan's rows and KPIs and sets its status.
#[allow(clippy::too_many_arguments)]
pub fn store_plan(
    conn: &mut DbConnection,
    plan_id: i64,
    plan: &Plan,
    rows: &PlanRows,
    moves: &[MoveRow],
    iterations: u64,
    status: &str,
) -> AppResult<()> {
    queries::insert_planned_ops(conn, &rows.0)?;
    queries::insert_planned_orders(conn, &rows.1)?;
    queries::insert_moves(conn, moves)?;
    let makespan_end = rows.0.iter().map(|r| r.end_at).max();
    let moved = moves.iter().filter(|m| m.from_machine_id.is_some()).count() as i32;
    queries::finish_plan(
        conn,
        plan_id,
        status,
        now(),
        plan.late_jobs as i32,
        plan.total_weighted_tardiness,
        makespan_end,
        moved,
        iterations as i64,
    )?;
    Ok(())
}

pub fn cancel_run(conn: &mut DbConnection, runs: &Runs, plan_id: i64) -> AppResult<PlanSummary> {
    let row = load_plan(conn, plan_id)?;
    if row.status() != PlanStatus::Running {
        return Err(AppError::Conflict(text!(
            "只能取消正在计算的排程",
            "Only a running schedule can be cancelled"
        )));
    }
    if !runs.cancel(plan_id) {
        // Not running in this process (left over by a stopped server).
        queries::fail_plan(conn, plan_id, "cancelled", now(), None)?;
    }
    Ok(load_plan(conn, plan_id)?.to_api(runs.progress(plan_id)))
}

pub fn get_plan(conn: &mut DbConnection, runs: &Runs, plan_id: i64) -> AppResult<PlanSummary> {
    let row = load_plan(conn, plan_id)?;
    Ok(row.to_api(runs.progress(plan_id)))
}

pub fn list_plans(
    conn: &mut DbConnection,
    runs: &Runs,
    status: Option<PlanStatus>,
    before: Option<i64>,
    limit: i64,
) -> AppResult<Vec<PlanSummary>> {
    Ok(
        queries::list_plans(conn, status.map(|s| s.as_str()), before, limit)?
            .into_iter()
            .map(|r| {
                let progress = runs.progress(r.id);
                r.to_api(progress)
            })
            .collect(),
    )
}

pub fn plan_detail(conn: &mut DbConnection, runs: &Runs, plan_id: i64) -> AppResult<PlanDetail> {
    let row = load_plan(conn, plan_id)?;
    let operations = queries::planned_op_views(conn, plan_id, None, None)?
        .iter()
        .map(PlannedOpView::to_api)
        .collect();
    let moves = queries::moves(conn, plan_id)?
        .into_iter()
        .map(|(m, number, seq)| PlanMove {
            operation_id: WorkOrderOperationId(m.operation_id),
            work_order_number: number,
            seq,
            from_machine_id: m.from_machine_id.map(MachineId),
            from_start: m.from_start.map(utc),
            to_machine_id: MachineId(m.to_machine_id),
            to_start: utc(m.to_start),
            reason: m.reason,
        })
        .collect();
    Ok(PlanDetail {
        plan: row.to_api(runs.progress(plan_id)),
        operations,
        moves,
    })
}

fn finished_kpis(row: &PlanRow) -> AppResult<mes_api_types::scheduling::PlanKpis> {
    let version = row.version;
    row.kpis().ok_or_else(|| {
        AppError::Conflict(text!(
            "排程 V{version} 尚无结果",
            "Schedule V{version} has no result yet"
        ))
    })
}

pub fn compare(conn: &mut DbConnection, plan_id: i64) -> AppResult<PlanComparison> {
    let row = load_plan(conn, plan_id)?;
    let kpis = finished_kpis(&row)?;
    let published = queries::published_plan(conn)?;
    let (published_plan_id, published_kpis, moved) = match &published {
        Some(p) => {
            let before = queries::planned_ops(conn, p.id)?;
            let after = queries::planned_ops(conn, plan_id)?;
            let moved = if p.id == plan_id {
                0
            } else {
                diff_moves(plan_id, &before, &after)
                    .iter()
                    .filter(|m| m.from_machine_id.is_some())
                    .count() as i32
            };
            (Some(p.id), p.kpis(), moved)
        }
        None => (None, None, 0),
    };
    let pk = published_kpis.as_ref();
    Ok(PlanComparison {
        plan_id,
        late_orders_delta: pk.map(|p| kpis.late_orders - p.late_orders),
        weighted_tardiness_delta_minutes: pk
            .map(|p| kpis.total_weighted_tardiness_minutes - p.total_weighted_tardiness_minutes),
        makespan_delta_minutes: pk
            .and_then(|p| Some((kpis.makespan_end? - p.makespan_end?).num_minutes())),
        kpis,
        published_plan_id,
        published_kpis,
        moved_operations: moved,
    })
}

/// Makes a proposed plan the published one; the previous one is superseded and every
/// operation's planned machine and times follow the new plan. Audited.
pub fn publish(conn: &mut DbConnection, actor: &Actor, plan_id: i64) -> AppResult<PlanSummary> {
    write_transaction(conn, |conn| {
        let before = load_plan(conn, plan_id)?;
        if before.status() != PlanStatus::Proposed {
            let status = before.status().as_str();
            return Err(AppError::Conflict(text!(
                "只能发布待审核的排程（当前状态：{status}）",
                "Only a proposed schedule can be published (it is {status})"
            )));
        }
        if let Some(current) = queries::published_plan(conn)? {
            queries::set_plan_status(conn, current.id, "published", "superseded")?;
        }
        queries::mark_published(conn, plan_id, now(), actor.user_id)?;
        for op in queries::planned_ops(conn, plan_id)? {
            queries::set_operation_plan(
                conn,
                op.operation_id,
                op.machine_id,
                op.setup_start,
                op.end_at,
            )?;
        }
        let after = load_plan(conn, plan_id)?;
        audit::updated(conn, actor, "schedule_plan", plan_id, &before, &after)?;
        Ok(after.to_api(None))
    })
}

/// Tells the live screens and stations that dispatch lists changed.
pub fn announce_published(events: &EventBus, plan_id: i64) {
    events.publish(ShopEvent::PlanPublished {
        plan_id,
        at: Utc::now(),
    });
}

// ---- Pins ----

fn pin_to_api(conn: &mut DbConnection, row: &PinRow) -> AppResult<Pin> {
    let (_, number, seq, _, _) = queries::operation_info(conn, row.operation_id)?.unwrap_or((
        0,
        String::new(),
        0,
        String::new(),
        String::new(),
    ));
    Ok(Pin {
        id: row.id,
        operation_id: WorkOrderOperationId(row.operation_id),
        work_order_number: number,
        seq,
        machine_id: MachineId(row.machine_id),
        start: utc(row.start_at),
        pinned_by: row.pinned_by_name.clone(),
        created_at: utc(row.created_at),
    })
}

pub fn list_pins(conn: &mut DbConnection) -> AppResult<Vec<Pin>> {
    let rows = queries::pins(conn)?;
    rows.iter().map(|r| pin_to_api(conn, r)).collect()
}

pub fn create_pin(conn: &mut DbConnection, actor: &Actor, pin: NewPin) -> AppResult<Pin> {
    write_transaction(conn, |conn| {
        let op = pin.operation_id.0;
        let Some((_, number, seq, op_status, order_status)) = queries::operation_info(conn, op)?
        else {
            return Err(AppError::invalid(
                "operation_id",
                text!("工序 {op} 不存在", "Operation {op} does not exist"),
            ));
        };
        if op_status != "pending" {
            return Err(AppError::Conflict(text!(
                "{number} 第 {seq} 道工序已开工或完成，不能再固定",
                "Operation {seq} of {number} has started or is done; it cannot be pinned"
            )));
        }
        if !queries::PLANNED_ORDER_STATUSES.contains(&order_status.as_str()) {
            return Err(AppError::Conflict(text!(
                "工单 {number} 未下达或已结束，不参与排程",
                "Work order {number} is not released or is finished; it is not scheduled"
            )));
        }
        let machine = pin.machine_id.0;
        if !queries::eligible_machines(conn, op)?.contains(&machine) {
            return Err(AppError::invalid(
                "machine_id",
                text!(
                    "设备 {machine} 不能加工 {number} 第 {seq} 道工序",
                    "Machine {machine} cannot run operation {seq} of {number}"
                ),
            ));
        }
        if let Some(old) = queries::pins(conn)?
            .into_iter()
            .find(|p| p.operation_id == op)
        {
            queries::delete_pin(conn, old.id)?;
            audit::deleted(conn, actor, "schedule_pin", old.id, &old)?;
        }
        let id = queries::insert_pin(
            conn,
            &NewPinRow {
                operation_id: op,
                machine_id: machine,
                start_at: naive(pin.start),
                pinned_by: actor.user_id,
                pinned_by_name: actor.name.clone(),
                created_at: now(),
            },
        )?;
        let row = queries::find_pin(conn, id)?.ok_or_else(|| plan_not_found(id))?;
        audit::created(conn, actor, "schedule_pin", id, &row)?;
        pin_to_api(conn, &row)
    })
}

pub fn delete_pin(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        let row = queries::find_pin(conn, id)?.ok_or_else(|| {
            AppError::NotFound(text!("固定 {id} 不存在", "Pin {id} does not exist"))
        })?;
        queries::delete_pin(conn, id)?;
        audit::deleted(conn, actor, "schedule_pin", id, &row)?;
        Ok(())
    })
}
