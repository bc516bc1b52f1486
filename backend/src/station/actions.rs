//! The operation actions at a station: start (setup or run), pause, resume, report, complete.
//!
//! The state machine is the pure [`check`] (order status × operation status × phase × action);
//! the functions below add the checks that need data (the previous operation's quantity, the
//! machine, the reasons) and make the effects: phases, labour, quantities (SQL increments inside
//! one write transaction, the order row locked on PostgreSQL), machine status, the order's
//! lifecycle, the timeline, the audit trail and the events to publish after commit.
//!
//! ```text
//!             start_setup  start_run   pause   resume  report  complete
//! (no phase)  setup        run         ·       ·       ✓       ✓
//! setup       ·            run         paused  ·       ✓       ✓
//! run         ·            ·           paused  ·       ✓       ✓
//! paused      ·            ·           ·       ✓       ✓       ✓
//! done / order not released or in progress: nothing
//! ```

use chrono::NaiveDateTime;
use mes_api_types::{
    Lang, MachineId, ProductionReportId, ReasonId, WorkOrderId, WorkOrderOperationId,
    events::ShopEvent,
    master_data::MachineStatus,
    station::{
        ActionResult, CompleteRequest, DefectQuantity, PauseRequest, PhaseKind, ReportRequest,
        StartRequest, StationAction, Warning,
    },
    work_orders::{OperationStatus, TransitionRequest, WorkOrderAction, WorkOrderStatus},
};
use serde_json::json;

use super::{
    models::*,
    queries,
    service::{Acting, operation_not_found, order_open},
};
use crate::{
    audit,
    db::{DbConnection, write_transaction},
    error::{AppError, AppResult, Detail, Text},
    http::idempotency::Effect,
    text,
    work_orders::{
        lifecycle::{status_en, status_zh},
        models::{NewEventRow, OperationRow, WorkOrderRow},
        progress, queries as orders, service as order_service,
    },
};

use StationAction as A;

/// Quantities closer than this are equal (float noise of repeated additions).
const EPS: f64 = 1e-6;
const MAX_QUANTITY: f64 = 1e9;
const NOTE_MAX: usize = 500;

/// The state machine: may `action` happen now? `Err` says why not, in both languages.
pub fn check(
    order_number: &str,
    order: WorkOrderStatus,
    op: OperationStatus,
    phase: Option<PhaseKind>,
    action: StationAction,
) -> Result<(), Text> {
    if !order_open(order) {
        let (zh, en) = (status_zh(order), status_en(order));
        return Err(text!(
            "工单 {order_number} 当前为「{zh}」，不能在工位上操作",
            "Order {order_number} is {en}: nothing can be done on it at a station"
        ));
    }
    if op == OperationStatus::Done {
        return Err(text!("该工序已完工", "The operation is completed already"));
    }
    use PhaseKind as P;
    match (phase, action) {
        (_, A::Report | A::Complete) => Ok(()),
        (None, A::StartSetup | A::StartRun) | (Some(P::Setup), A::StartRun) => Ok(()),
        (Some(P::Setup | P::Run), A::Pause) => Ok(()),
        (Some(P::Paused), A::Resume) => Ok(()),
        (Some(P::Paused), A::StartSetup | A::StartRun) => Err(text!(
            "工序已暂停，请先恢复",
            "The operation is paused: resume it first"
        )),
        (Some(P::Setup), A::StartSetup) => Err(text!("已在调机中", "Setup is running already")),
        (Some(P::Run), A::StartRun) => Err(text!("已在生产中", "The run is going already")),
        (Some(P::Run), A::StartSetup) => Err(text!(
            "正在生产，不能再调机；请先暂停或完工",
            "The run is going: pause or complete it before a new setup"
        )),
        (None | Some(P::Paused), A::Pause) => Err(text!(
            "工序未在调机或生产，无法暂停",
            "The operation is not in setup or running: nothing to pause"
        )),
        (_, A::Resume) => Err(text!(
            "工序未暂停，无需恢复",
            "The operation is not paused: nothing to resume"
        )),
    }
}

/// What the tablet's buttons may offer now.
pub fn allowed(
    order: WorkOrderStatus,
    op: OperationStatus,
    phase: Option<PhaseKind>,
) -> Vec<StationAction> {
    [
        A::StartSetup,
        A::StartRun,
        A::Pause,
        A::Resume,
        A::Report,
        A::Complete,
    ]
    .into_iter()
    .filter(|a| check("", order, op, phase, *a).is_ok())
    .collect()
}

struct Loaded {
    op: OperationLite,
    order: WorkOrderRow,
    phase: Option<PhaseRow>,
    /// The code of the current phase's machine.
    machine_code: String,
}

fn op_status(op: &OperationLite) -> OperationStatus {
    OperationStatus::parse(&op.status).unwrap_or(OperationStatus::Pending)
}

/// Loads the operation with its order locked, and checks the state machine.
fn load_checked(conn: &mut DbConnection, id: i64, action: StationAction) -> AppResult<Loaded> {
    let op = queries::operation(conn, id)?.ok_or_else(|| operation_not_found(id))?;
    queries::lock_order(conn, op.work_order_id)?;
    let order = orders::find(conn, op.work_order_id)?.ok_or_else(|| operation_not_found(id))?;
    let (phase, machine_code) = match queries::current_phase(conn, id)? {
        Some((p, code)) => (Some(p), code),
        None => (None, String::new()),
    };
    check(
        &order.number,
        order.status(),
        op_status(&op),
        phase.as_ref().map(PhaseRow::kind),
        action,
    )
    .map_err(AppError::Conflict)?;
    Ok(Loaded {
        op,
        order,
        phase,
        machine_code,
    })
}

fn event(
    conn: &mut DbConnection,
    acting: &Acting,
    order_id: i64,
    at: NaiveDateTime,
    kind: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    orders::insert_event(
        conn,
        &NewEventRow {
            work_order_id: order_id,
            at,
            kind: kind.to_owned(),
            actor_id: acting.actor.user_id,
            actor_name: acting.actor.name.clone(),
            detail: detail.to_string(),
        },
    )?;
    Ok(())
}

/// The first start (or report) on a released order puts it in progress, through its lifecycle.
fn ensure_order_started(
    conn: &mut DbConnection,
    acting: &Acting,
    order: &WorkOrderRow,
    at: NaiveDateTime,
    events: &mut Vec<ShopEvent>,
) -> AppResult<()> {
    if order.status() != WorkOrderStatus::Released {
        return Ok(());
    }
    order_service::transition_at(
        conn,
        &acting.actor,
        order.id,
        WorkOrderAction::Start,
        TransitionRequest::default(),
        at,
    )?;
    events.push(ShopEvent::WorkOrderStatus {
        work_order_id: WorkOrderId(order.id),
        status: WorkOrderStatus::InProgress,
        priority: order.priority,
        at: at.and_utc(),
    });
    Ok(())
}

/// The machine follows the phase, unless a machine signal owns its state (down, maintenance,
/// offline).
fn follow_machine(
    conn: &mut DbConnection,
    machine_id: i64,
    to: MachineStatus,
    at: NaiveDateTime,
    events: &mut Vec<ShopEvent>,
) -> AppResult<()> {
    let Some(machine) = queries::machine(conn, machine_id)? else {
        return Ok(());
    };
    let now = machine.status();
    if matches!(
        now,
        MachineStatus::Down | MachineStatus::Maintenance | MachineStatus::Offline
    ) || now == to
    {
        return Ok(());
    }
    queries::set_machine_status(conn, machine_id, to.as_str(), at)?;
    events.push(ShopEvent::MachineStatus {
        machine_id: MachineId(machine_id),
        status: to,
        at: at.and_utc(),
    });
    Ok(())
}

/// Operators working on a phase started now: those signed in at the acting tablet's station,
/// else at the stations of the machine.
fn operators_for_labour(
    conn: &mut DbConnection,
    acting: &Acting,
    machine: &MachineRow,
) -> AppResult<Vec<i64>> {
    let stations = match acting.station_id {
        Some(s) => vec![s],
        None => queries::stations_of_machine(conn, machine.id, machine.work_center_id)?,
    };
    let mut users = Vec::new();
    for station in stations {
        for (_, _, user, _) in queries::signed_in_at_station(conn, station)? {
            if !users.contains(&user) {
                users.push(user);
            }
        }
    }
    Ok(users)
}

#[allow(clippy::too_many_arguments)]
fn start_phase(
    conn: &mut DbConnection,
    acting: &Acting,
    op: &OperationLite,
    machine: &MachineRow,
    kind: PhaseKind,
    downtime_reason_id: Option<i64>,
    note: String,
    at: NaiveDateTime,
) -> AppResult<i64> {
    let phase_id = queries::insert_phase(
        conn,
        &NewPhaseRow {
            operation_id: op.id,
            work_order_id: op.work_order_id,
            machine_id: machine.id,
            station_id: acting.station_id,
            kind: kind.as_str().to_owned(),
            downtime_reason_id,
            note,
            started_at: at,
        },
    )?;
    if kind != PhaseKind::Paused {
        for user in operators_for_labour(conn, acting, machine)? {
            queries::open_labour(conn, user, op.id, phase_id, kind.as_str(), at)?;
        }
    }
    Ok(phase_id)
}

fn end_phase(conn: &mut DbConnection, phase: &PhaseRow, at: NaiveDateTime) -> AppResult<()> {
    queries::end_phase(conn, phase.id, at)?;
    queries::close_labour_of_phase(conn, phase.id, at)?;
    Ok(())
}

fn machine_status_of(kind: PhaseKind) -> MachineStatus {
    match kind {
        PhaseKind::Setup => MachineStatus::Setup,
        PhaseKind::Run => MachineStatus::Running,
        PhaseKind::Paused => MachineStatus::Idle,
    }
}

fn set_in_progress(
    conn: &mut DbConnection,
    op: &OperationLite,
    at: NaiveDateTime,
) -> AppResult<()> {
    if op_status(op) != OperationStatus::InProgress {
        queries::set_operation_status(
            conn,
            op.id,
            OperationStatus::InProgress.as_str(),
            Some(op.started_at.unwrap_or(at)),
            None,
        )?;
    }
    Ok(())
}

/// The operation's state after an action.
fn result(
    conn: &mut DbConnection,
    id: i64,
    report_id: Option<i64>,
    warnings: Vec<Warning>,
) -> AppResult<ActionResult> {
    let op = queries::operation(conn, id)?.ok_or_else(|| operation_not_found(id))?;
    let order = orders::find(conn, op.work_order_id)?.ok_or_else(|| operation_not_found(id))?;
    let ops = orders::operations_of(conn, order.id)?;
    let (available, remaining) = quantities_of(&order, &ops, id);
    let phase = queries::current_phase(conn, id)?.map(|(p, code)| p.to_api(code));
    Ok(ActionResult {
        operation_id: WorkOrderOperationId(op.id),
        work_order_id: WorkOrderId(order.id),
        status: op_status(&op),
        phase,
        qty_good: op.qty_good,
        qty_scrap: op.qty_scrap,
        qty_rework: op.qty_rework,
        qty_available: available,
        qty_remaining: remaining,
        work_order_status: order.status(),
        report_id: report_id.map(ProductionReportId),
        warnings,
    })
}

/// (available from the previous operation, remaining to the target) of operation `id`.
fn quantities_of(order: &WorkOrderRow, ops: &[OperationRow], id: i64) -> (f64, f64) {
    let quantities: Vec<_> = ops.iter().map(OperationRow::quantities).collect();
    let progress = progress::compute(order.quantity, &quantities);
    ops.iter()
        .position(|o| o.id == id)
        .and_then(|i| progress.operations.get(i))
        .map(|p| (p.qty_available, p.qty_remaining))
        .unwrap_or((0.0, 0.0))
}

fn check_note(note: Option<&str>, errors: &mut Vec<Detail>) -> String {
    let note = note.map(str::trim).unwrap_or_default().to_owned();
    if note.chars().count() > NOTE_MAX {
        errors.push(Detail::field(
            "note",
            text!(
                "备注不能超过 {NOTE_MAX} 个字符",
                "The note is at most {NOTE_MAX} characters"
            ),
        ));
    }
    note
}

fn machine_for(
    conn: &mut DbConnection,
    acting: &Acting,
    op: &OperationLite,
    machine_id: i64,
) -> AppResult<MachineRow> {
    let invalid = |t: Text| AppError::invalid("machine_id", t);
    let machine = queries::machine(conn, machine_id)?.ok_or_else(|| {
        invalid(text!(
            "设备 {machine_id} 不存在",
            "Machine {machine_id} does not exist"
        ))
    })?;
    let code = machine.code.clone();
    if !machine.active {
        return Err(invalid(text!(
            "设备 {code} 已停用",
            "Machine {code} is deactivated"
        )));
    }
    let eligible = queries::eligible_machines(conn, op.id)?;
    let fits = if eligible.is_empty() {
        machine.work_center_id == op.work_center_id
    } else {
        eligible.contains(&machine.id)
    };
    if !fits {
        let name = &op.name;
        return Err(invalid(text!(
            "设备 {code} 不能加工工序「{name}」",
            "Machine {code} cannot run the operation \"{name}\""
        )));
    }
    if let Some(station) = acting
        .station_id
        .and_then(|s| queries::station(conn, s).transpose())
    {
        let station = station?;
        let here = queries::machines_of_station(conn, &station)?;
        if !here.iter().any(|m| m.id == machine.id) {
            let st = station.code;
            return Err(invalid(text!(
                "设备 {code} 不属于工位 {st}",
                "Machine {code} is not at station {st}"
            )));
        }
    }
    Ok(machine)
}

// ---- Start, pause, resume ----

pub fn start(
    conn: &mut DbConnection,
    acting: &Acting,
    id: i64,
    request: &StartRequest,
) -> AppResult<Effect<ActionResult>> {
    let action = match request.phase {
        PhaseKind::Setup => A::StartSetup,
        PhaseKind::Run => A::StartRun,
        PhaseKind::Paused => {
            return Err(AppError::invalid(
                "phase",
                text!(
                    "开工阶段须为调机（setup）或生产（run）",
                    "The phase to start is setup or run"
                ),
            ));
        }
    };
    write_transaction(conn, |conn| {
        let at = crate::db::now();
        let loaded = load_checked(conn, id, action)?;
        let machine = machine_for(conn, acting, &loaded.op, request.machine_id.0)?;
        let mut events = Vec::new();
        if let Some(setup) = &loaded.phase {
            end_phase(conn, setup, at)?;
        }
        ensure_order_started(conn, acting, &loaded.order, at, &mut events)?;
        set_in_progress(conn, &loaded.op, at)?;
        start_phase(
            conn,
            acting,
            &loaded.op,
            &machine,
            request.phase,
            None,
            String::new(),
            at,
        )?;
        follow_machine(
            conn,
            machine.id,
            machine_status_of(request.phase),
            at,
            &mut events,
        )?;
        event(
            conn,
            acting,
            loaded.order.id,
            at,
            "operation_started",
            json!({"operation_id": id, "seq": loaded.op.seq, "phase": request.phase.as_str(), "machine": machine.code}),
        )?;
        events.push(ShopEvent::OperationStarted {
            operation_id: WorkOrderOperationId(id),
            work_order_id: WorkOrderId(loaded.order.id),
            machine_id: MachineId(machine.id),
            at: at.and_utc(),
        });
        Ok(Effect::ok(result(conn, id, None, Vec::new())?, events))
    })
}

pub fn pause(
    conn: &mut DbConnection,
    acting: &Acting,
    id: i64,
    request: &PauseRequest,
) -> AppResult<Effect<ActionResult>> {
    let mut errors = Vec::new();
    let note = check_note(request.note.as_deref(), &mut errors);
    write_transaction(conn, |conn| {
        let reason_id = request.downtime_reason_id.0;
        let planned = match queries::downtime_reason(conn, reason_id)? {
            Some((planned, true)) => planned,
            Some((_, false)) => {
                errors.push(Detail::field(
                    "downtime_reason_id",
                    text!(
                        "停机原因 {reason_id} 已停用",
                        "Downtime reason {reason_id} is deactivated"
                    ),
                ));
                false
            }
            None => {
                errors.push(Detail::field(
                    "downtime_reason_id",
                    text!(
                        "停机原因 {reason_id} 不存在",
                        "Downtime reason {reason_id} does not exist"
                    ),
                ));
                false
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors.clone()));
        }
        let at = crate::db::now();
        let loaded = load_checked(conn, id, A::Pause)?;
        let running = loaded
            .phase
            .as_ref()
            .ok_or_else(|| operation_not_found(id))?;
        let machine =
            queries::machine(conn, running.machine_id)?.ok_or_else(|| operation_not_found(id))?;
        end_phase(conn, running, at)?;
        start_phase(
            conn,
            acting,
            &loaded.op,
            &machine,
            PhaseKind::Paused,
            Some(reason_id),
            note.clone(),
            at,
        )?;
        queries::set_operation_status(
            conn,
            id,
            OperationStatus::Paused.as_str(),
            loaded.op.started_at,
            None,
        )?;
        let mut events = Vec::new();
        follow_machine(conn, machine.id, MachineStatus::Idle, at, &mut events)?;
        event(
            conn,
            acting,
            loaded.order.id,
            at,
            "operation_paused",
            json!({"operation_id": id, "seq": loaded.op.seq, "downtime_reason_id": reason_id, "note": note}),
        )?;
        events.push(ShopEvent::OperationPaused {
            operation_id: WorkOrderOperationId(id),
            work_order_id: WorkOrderId(loaded.order.id),
            machine_id: MachineId(machine.id),
            downtime_reason_id: ReasonId(reason_id),
            planned,
            at: at.and_utc(),
        });
        Ok(Effect::ok(result(conn, id, None, Vec::new())?, events))
    })
}

pub fn resume(
    conn: &mut DbConnection,
    acting: &Acting,
    id: i64,
) -> AppResult<Effect<ActionResult>> {
    write_transaction(conn, |conn| {
        let at = crate::db::now();
        let loaded = load_checked(conn, id, A::Resume)?;
        let paused = loaded
            .phase
            .as_ref()
            .ok_or_else(|| operation_not_found(id))?;
        let machine =
            queries::machine(conn, paused.machine_id)?.ok_or_else(|| operation_not_found(id))?;
        let kind = queries::last_working_kind(conn, id)?
            .as_deref()
            .and_then(PhaseKind::parse)
            .unwrap_or(PhaseKind::Run);
        end_phase(conn, paused, at)?;
        start_phase(
            conn,
            acting,
            &loaded.op,
            &machine,
            kind,
            None,
            String::new(),
            at,
        )?;
        queries::set_operation_status(
            conn,
            id,
            OperationStatus::InProgress.as_str(),
            Some(loaded.op.started_at.unwrap_or(at)),
            None,
        )?;
        let mut events = Vec::new();
        follow_machine(conn, machine.id, machine_status_of(kind), at, &mut events)?;
        event(
            conn,
            acting,
            loaded.order.id,
            at,
            "operation_resumed",
            json!({"operation_id": id, "seq": loaded.op.seq, "phase": kind.as_str()}),
        )?;
        events.push(ShopEvent::OperationStarted {
            operation_id: WorkOrderOperationId(id),
            work_order_id: WorkOrderId(loaded.order.id),
            machine_id: MachineId(machine.id),
            at: at.and_utc(),
        });
        Ok(Effect::ok(result(conn, id, None, Vec::new())?, events))
    })
}

// ---- Report ----

fn check_defects(
    conn: &mut DbConnection,
    field: &str,
    lines: &[DefectQuantity],
    errors: &mut Vec<Detail>,
) -> AppResult<f64> {
    let ids: Vec<i64> = lines.iter().map(|l| l.reason_id.0).collect();
    let active = queries::active_defect_reasons(conn, &ids)?;
    let mut sum = 0.0;
    for (i, line) in lines.iter().enumerate() {
        let q = line.quantity;
        if !q.is_finite() || q <= 0.0 || q > MAX_QUANTITY {
            errors.push(Detail::field(
                format!("{field}[{i}].quantity"),
                text!("数量须大于 0", "The quantity must be more than 0"),
            ));
        } else {
            sum += q;
        }
        let reason = line.reason_id.0;
        if !active.contains(&reason) {
            errors.push(Detail::field(
                format!("{field}[{i}].reason_id"),
                text!(
                    "缺陷原因 {reason} 不存在或已停用",
                    "Defect reason {reason} does not exist or is deactivated"
                ),
            ));
        }
    }
    Ok(sum)
}

fn fmt_qty(q: f64) -> String {
    let r = (q * 1e6).round() / 1e6;
    format!("{r}")
}

pub fn report(
    conn: &mut DbConnection,
    acting: &Acting,
    id: i64,
    request: &ReportRequest,
    lang: Lang,
) -> AppResult<Effect<ActionResult>> {
    let mut errors = Vec::new();
    let good = request.good;
    if !good.is_finite() || !(0.0..=MAX_QUANTITY).contains(&good) {
        errors.push(Detail::field(
            "good",
            text!("合格数不能为负数", "The good quantity cannot be negative"),
        ));
    }
    let note = check_note(request.note.as_deref(), &mut errors);
    write_transaction(conn, |conn| {
        let mut errors = errors.clone();
        let scrap = check_defects(conn, "scrap", &request.scrap, &mut errors)?;
        let rework = check_defects(conn, "rework", &request.rework, &mut errors)?;
        if errors.is_empty() && good + scrap + rework <= 0.0 {
            errors.push(Detail::field(
                "good",
                text!(
                    "没有可报的数量：请填写合格、报废或返工数",
                    "Nothing to report: give a good, scrap or rework quantity"
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let at = crate::db::now();
        let loaded = load_checked(conn, id, A::Report)?;
        let ops = orders::operations_of(conn, loaded.order.id)?;
        let index = ops
            .iter()
            .position(|o| o.id == id)
            .ok_or_else(|| operation_not_found(id))?;
        let (available, remaining) = quantities_of(&loaded.order, &ops, id);
        let amount = good + scrap;
        // The first operation has nothing before it: only later ones wait for material.
        let beyond_available = index > 0 && amount > available + EPS;
        let mut override_by = None;
        if beyond_available {
            let (a, n) = (fmt_qty(available), fmt_qty(amount));
            if !request.supervisor_override {
                return Err(AppError::Conflict(text!(
                    "上道工序只转来 {a}，本次报工 {n} 超出；需主管确认后才能超报",
                    "Only {a} has come from the previous operation; reporting {n} exceeds it. A supervisor must override"
                )));
            }
            let Some(supervisor) = acting.supervisor_id else {
                return Err(AppError::Conflict(text!(
                    "上道工序只转来 {a}，本次报工 {n} 超出；只有主管可以确认超报",
                    "Only {a} has come from the previous operation; reporting {n} exceeds it, and only a supervisor can override"
                )));
            };
            override_by = Some(supervisor);
        }
        let mut warnings = Vec::new();
        if amount > remaining + EPS {
            let over = fmt_qty(amount - remaining);
            warnings.push(Warning {
                code: "over_run".into(),
                message: text!("超出计划数量 {over}", "{over} more than planned")
                    .get(lang)
                    .to_owned(),
            });
        }
        let machine_id = loaded.phase.as_ref().map(|p| p.machine_id);
        let row = NewReportRow {
            operation_id: id,
            work_order_id: loaded.order.id,
            machine_id,
            station_id: acting.station_id,
            operator_id: Some(acting.user_id),
            good,
            scrap,
            rework,
            reported_at: at,
            supervisor_override: override_by.is_some(),
            override_by,
            note: note.clone(),
        };
        let report_id = queries::insert_report(conn, &row)?;
        for line in &request.scrap {
            queries::insert_defect(conn, report_id, line.reason_id.0, "scrap", line.quantity)?;
        }
        for line in &request.rework {
            queries::insert_defect(conn, report_id, line.reason_id.0, "rework", line.quantity)?;
        }
        queries::add_quantities(conn, id, good, scrap, rework)?;
        let mut events = Vec::new();
        ensure_order_started(conn, acting, &loaded.order, at, &mut events)?;
        set_in_progress(conn, &loaded.op, at)?;
        // The order is locked and the operations were read after the lock: adding this
        // report to them in memory gives what the database now holds, without reading again.
        let mut ops = ops;
        if let Some(op) = ops.iter_mut().find(|o| o.id == id) {
            op.qty_good += good;
            op.qty_scrap += scrap;
            op.qty_rework += rework;
        }
        let quantities: Vec<_> = ops.iter().map(OperationRow::quantities).collect();
        let rollup = progress::compute(loaded.order.quantity, &quantities);
        if rollup.qty_good != loaded.order.qty_good || rollup.qty_scrap != loaded.order.qty_scrap {
            orders::set_rollup(conn, loaded.order.id, rollup.qty_good, rollup.qty_scrap)?;
        }
        event(
            conn,
            acting,
            loaded.order.id,
            at,
            "reported",
            json!({"operation_id": id, "seq": loaded.op.seq, "good": good, "scrap": scrap,
                   "rework": rework, "report_id": report_id, "override_by": override_by}),
        )?;
        audit::created(conn, &acting.actor, "production_report", report_id, &row)?;
        events.push(ShopEvent::Reported {
            operation_id: WorkOrderOperationId(id),
            work_order_id: WorkOrderId(loaded.order.id),
            machine_id: machine_id.map(MachineId),
            good,
            scrap,
            rework,
            at: at.and_utc(),
        });
        let op = &ops[index];
        let mine = rollup.operations.get(index);
        let body = ActionResult {
            operation_id: WorkOrderOperationId(id),
            work_order_id: WorkOrderId(loaded.order.id),
            status: OperationStatus::InProgress,
            phase: loaded
                .phase
                .as_ref()
                .map(|p| p.to_api(loaded.machine_code.clone())),
            qty_good: op.qty_good,
            qty_scrap: op.qty_scrap,
            qty_rework: op.qty_rework,
            qty_available: mine.map(|p| p.qty_available).unwrap_or(0.0),
            qty_remaining: mine.map(|p| p.qty_remaining).unwrap_or(0.0),
            // A released order was started just above.
            work_order_status: WorkOrderStatus::InProgress,
            report_id: Some(ProductionReportId(report_id)),
            warnings,
        };
        Ok(Effect::ok(body, events))
    })
}

// ---- Complete ----

pub fn complete(
    conn: &mut DbConnection,
    acting: &Acting,
    id: i64,
    request: &CompleteRequest,
) -> AppResult<Effect<ActionResult>> {
    let mut errors = Vec::new();
    let note = check_note(request.note.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    write_transaction(conn, |conn| {
        let at = crate::db::now();
        let loaded = load_checked(conn, id, A::Complete)?;
        let ops = orders::operations_of(conn, loaded.order.id)?;
        let (_, remaining) = quantities_of(&loaded.order, &ops, id);
        let short = remaining > EPS;
        if short {
            let r = fmt_qty(remaining);
            if !request.supervisor_override {
                return Err(AppError::Conflict(text!(
                    "该工序还有 {r} 未完成：请先报工，或由主管确认短完工",
                    "{r} is still to make on this operation: report it, or a supervisor completes it short"
                )));
            }
            if acting.supervisor_id.is_none() {
                return Err(AppError::Conflict(text!(
                    "该工序还有 {r} 未完成，只有主管可以确认短完工",
                    "{r} is still to make on this operation, and only a supervisor can complete it short"
                )));
            }
        }
        let mut events = Vec::new();
        let machine_id = loaded.phase.as_ref().map(|p| p.machine_id);
        if let Some(phase) = &loaded.phase {
            end_phase(conn, phase, at)?;
            follow_machine(conn, phase.machine_id, MachineStatus::Idle, at, &mut events)?;
        }
        ensure_order_started(conn, acting, &loaded.order, at, &mut events)?;
        queries::set_operation_status(
            conn,
            id,
            OperationStatus::Done.as_str(),
            Some(loaded.op.started_at.unwrap_or(at)),
            Some(at),
        )?;
        event(
            conn,
            acting,
            loaded.order.id,
            at,
            "operation_completed",
            json!({"operation_id": id, "seq": loaded.op.seq, "short": short,
                   "override_by": short.then_some(acting.supervisor_id).flatten(), "note": note}),
        )?;
        audit::updated(
            conn,
            &acting.actor,
            "work_order_operation",
            id,
            &json!({"status": loaded.op.status}),
            &json!({"status": "done", "short": short, "qty_remaining": remaining,
                    "override_by": short.then_some(acting.supervisor_id).flatten()}),
        )?;
        events.push(ShopEvent::OperationCompleted {
            operation_id: WorkOrderOperationId(id),
            work_order_id: WorkOrderId(loaded.order.id),
            machine_id: machine_id.map(MachineId),
            at: at.and_utc(),
        });
        // Completing the last operation completes the order, through its own lifecycle.
        if ops.last().is_some_and(|last| last.id == id) {
            let seq = loaded.op.seq;
            let reason = short.then(|| {
                format!("工序 {seq} 由主管在工位短完工 / operation {seq} completed short at a station by a supervisor")
            });
            order_service::transition_at(
                conn,
                &acting.actor,
                loaded.order.id,
                WorkOrderAction::Complete,
                TransitionRequest {
                    reason,
                    lock_version: None,
                },
                at,
            )?;
            events.push(ShopEvent::WorkOrderStatus {
                work_order_id: WorkOrderId(loaded.order.id),
                status: WorkOrderStatus::Completed,
                priority: loaded.order.priority,
                at: at.and_utc(),
            });
        }
        Ok(Effect::ok(result(conn, id, None, Vec::new())?, events))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_cell_by_cell() {
        use PhaseKind as P;
        let s = OperationStatus::InProgress;
        let open = WorkOrderStatus::InProgress;
        assert_eq!(
            allowed(open, s, None),
            vec![A::StartSetup, A::StartRun, A::Report, A::Complete]
        );
        assert_eq!(
            allowed(open, s, Some(P::Setup)),
            vec![A::StartRun, A::Pause, A::Report, A::Complete]
        );
        assert_eq!(
            allowed(open, s, Some(P::Run)),
            vec![A::Pause, A::Report, A::Complete]
        );
        assert_eq!(
            allowed(open, s, Some(P::Paused)),
            vec![A::Resume, A::Report, A::Complete]
        );
        assert!(allowed(open, OperationStatus::Done, None).is_empty());
        for status in [
            WorkOrderStatus::Draft,
            WorkOrderStatus::OnHold,
            WorkOrderStatus::Completed,
            WorkOrderStatus::Closed,
            WorkOrderStatus::Cancelled,
        ] {
            assert!(allowed(status, s, None).is_empty(), "{status:?}");
        }
        let why = check("WO-9", WorkOrderStatus::Cancelled, s, None, A::Report).unwrap_err();
        assert!(
            why.get(Lang::En).contains("WO-9 is cancelled"),
            "{}",
            why.get(Lang::En)
        );
    }
}
