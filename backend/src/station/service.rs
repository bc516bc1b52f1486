//! Station sessions (several operators signed in on one tablet), the acting operator of a
//! request, the machine's queue, scanning and the operation view.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::{
    MachineId, ProductId, StationId, UserId, WorkCenterId, WorkOrderId, WorkOrderOperationId,
    auth::Role,
    station::{
        OperationView, QueueItem, ScanKind, ScanQuery, ScanResult, StationOperator, StationSession,
    },
    work_orders::{OperationStatus, ScanCode, WorkOrderStatus},
};
use serde_json::json;

use super::{actions, models::*, queries};
use crate::{
    audit,
    auth::session::{self, SessionUser},
    db::{
        DbConnection,
        schema::{attachments, work_order_operation_machines, work_order_operations, work_orders},
        write_transaction,
    },
    error::{AppError, AppResult},
    http::extract::Actor,
    products::models::AttachmentMeta,
    text,
    users::{models as user_models, queries as users},
    work_orders::{models::OperationRow, progress, queries as orders, service as order_service},
};

/// Roles that may override the previous-operation limit and complete short.
pub const SUPERVISORY: [Role; 3] = [Role::Supervisor, Role::Manager, Role::Admin];

pub fn station_not_found(code: &str) -> AppError {
    AppError::NotFound(text!("工位 {code} 不存在", "Station {code} does not exist"))
}

pub fn find_station(conn: &mut DbConnection, code: &str) -> AppResult<StationRow> {
    let code = code.trim();
    let station = match queries::station_by_code(conn, code)? {
        Some(station) => station,
        None => queries::station_of_machine(conn, code)?.ok_or_else(|| station_not_found(code))?,
    };
    if !station.active {
        return Err(AppError::Conflict(text!(
            "工位 {code} 已停用",
            "Station {code} is deactivated"
        )));
    }
    Ok(station)
}

// ---- Who acts ----

/// The operator a station action is made by, and what the station around them allows.
#[derive(Debug, Clone)]
pub struct Acting {
    pub actor: Actor,
    pub user_id: i64,
    /// The station the request came from (a tablet), if any.
    pub station_id: Option<i64>,
    /// A supervisor (or manager, admin) is the actor or is signed in at the station.
    pub supervisor_id: Option<i64>,
}

/// Resolves `operator_id` against the request's principal: on a tablet it must be signed in
/// there (default: the first signed in); elsewhere it can only be the user themself.
pub fn acting(
    user: &SessionUser,
    operator_id: Option<UserId>,
    remote_addr: Option<String>,
) -> AppResult<Acting> {
    let is_supervisor = |roles: &[Role]| roles.iter().any(|r| SUPERVISORY.contains(r));
    match &user.station {
        Some(station) => {
            let operator = match operator_id {
                Some(id) => station.operator(id.0).ok_or_else(|| {
                    let code = &station.station_code;
                    AppError::invalid(
                        "operator_id",
                        text!(
                            "操作员 {id} 未在工位 {code} 登录",
                            "Operator {id} is not signed in at station {code}"
                        ),
                    )
                })?,
                None => station.operators.first().ok_or_else(|| {
                    AppError::Unauthorized(text!("请先登录", "Please sign in first"))
                })?,
            };
            let supervisor_id = if is_supervisor(&operator.roles) {
                Some(operator.user_id)
            } else {
                station
                    .operators
                    .iter()
                    .find(|o| is_supervisor(&o.roles))
                    .map(|o| o.user_id)
            };
            Ok(Acting {
                actor: Actor {
                    user_id: Some(operator.user_id),
                    name: operator.username.clone(),
                    remote_addr,
                },
                user_id: operator.user_id,
                station_id: Some(station.station_id),
                supervisor_id,
            })
        }
        None => {
            if let Some(id) = operator_id.filter(|id| id.0 != user.id) {
                return Err(AppError::invalid(
                    "operator_id",
                    text!(
                        "只能以本人身份操作（操作员 {id} 不是当前用户）",
                        "You can only act as yourself (operator {id} is not you)"
                    ),
                ));
            }
            Ok(Acting {
                actor: Actor {
                    user_id: Some(user.id),
                    name: user.username.clone(),
                    remote_addr,
                },
                user_id: user.id,
                station_id: None,
                supervisor_id: is_supervisor(&user.roles).then_some(user.id),
            })
        }
    }
}

// ---- Sessions ----

fn operators_of(conn: &mut DbConnection, station_id: i64) -> AppResult<Vec<StationOperator>> {
    let rows = queries::signed_in_at_station(conn, station_id)?;
    let mut seen = Vec::new();
    let mut operators = Vec::with_capacity(rows.len());
    for (_, _, user_id, signed_in_at) in rows {
        if seen.contains(&user_id) {
            continue;
        }
        seen.push(user_id);
        let Some(user) = users::find(conn, user_id)? else {
            continue;
        };
        operators.push(StationOperator {
            user_id: UserId(user.id),
            username: user.username,
            display_name: user.display_name,
            roles: user_models::roles_from_db(&users::roles_of(conn, user_id)?),
            signed_in_at: signed_in_at.and_utc(),
        });
    }
    Ok(operators)
}

/// The station, its machines and who is signed in there (live sessions).
pub fn session_view(conn: &mut DbConnection, station: &StationRow) -> AppResult<StationSession> {
    let machines = queries::machines_of_station(conn, station)?;
    let operators = operators_of(conn, station.id)?;
    let started_at = operators
        .first()
        .map(|o| o.signed_in_at)
        .unwrap_or_else(|| crate::db::now().and_utc());
    Ok(StationSession {
        station_id: StationId(station.id),
        station_code: station.code.clone(),
        station_name: station.name.clone(),
        work_center_id: station.work_center_id.map(WorkCenterId),
        machines: machines.iter().map(MachineRow::to_api).collect(),
        operators,
        started_at,
    })
}

/// Signs `user` in on the tablet's session at `station` (a new session when the tablet has
/// none there). Returns the session token to set when a new session was made. A user signed in
/// at another station is signed out there first: one person's labour runs at one place.
pub fn sign_in(
    conn: &mut DbConnection,
    station_code: &str,
    user: &user_models::UserRow,
    cookie_token: Option<&str>,
    remote_addr: Option<String>,
) -> AppResult<(StationSession, Option<String>)> {
    let actor = Actor {
        user_id: Some(user.id),
        name: user.username.clone(),
        remote_addr,
    };
    write_transaction(conn, |conn| {
        let station = find_station(conn, station_code)?;
        let at = crate::db::now();
        let existing = match cookie_token {
            Some(token) => queries::live_session_by_hash(conn, &session::token_hash(token))?
                .filter(|(_, station_id)| *station_id == station.id)
                .map(|(id, _)| id),
            None => None,
        };
        let (session_id, new_token) = match existing {
            Some(id) => (id, None),
            None => {
                let token = session::new_token();
                let id =
                    queries::insert_session(conn, station.id, &session::token_hash(&token), at)?;
                (id, Some(token))
            }
        };
        let mut already_here = false;
        for (row_id, other_session, other_station) in queries::open_sign_ins_of_user(conn, user.id)?
        {
            if other_session == session_id {
                already_here = true;
                continue;
            }
            sign_out_row(
                conn,
                &actor,
                row_id,
                other_session,
                other_station,
                user.id,
                at,
            )?;
        }
        if !already_here {
            let row_id = queries::insert_sign_in(conn, session_id, user.id, at)?;
            // Work already running at the station now has this operator on it too.
            for (phase_id, operation_id, kind) in
                queries::open_working_phases_at_station(conn, station.id)?
            {
                queries::open_labour(conn, user.id, operation_id, phase_id, &kind, at)?;
            }
            audit::created(
                conn,
                &actor,
                "station_sign_in",
                row_id,
                &json!({"station": station.code, "user_id": user.id, "session_id": session_id}),
            )?;
        }
        Ok((session_view(conn, &station)?, new_token))
    })
}

/// Ends one sign-in: closes the operator's labour, and the session when nobody is left.
/// Returns whether the session ended.
fn sign_out_row(
    conn: &mut DbConnection,
    actor: &Actor,
    row_id: i64,
    session_id: i64,
    station_id: i64,
    user_id: i64,
    at: NaiveDateTime,
) -> AppResult<bool> {
    queries::sign_out(conn, row_id, at)?;
    queries::close_labour_of_user(conn, user_id, at)?;
    let ended = queries::open_sign_in_count(conn, session_id)? == 0;
    if ended {
        queries::end_session(conn, session_id, at)?;
    }
    audit::deleted(
        conn,
        actor,
        "station_sign_in",
        row_id,
        &json!({"station_id": station_id, "user_id": user_id, "session_id": session_id}),
    )?;
    Ok(ended)
}

/// What a sign-out changed: the station now, and the token hashes whose cached principals
/// are stale (the tablet's session, possibly ended).
pub struct SignedOut {
    pub session: StationSession,
    pub stale_token_hashes: Vec<String>,
    /// The request's own tablet session ended: clear its cookie.
    pub own_session_ended: bool,
}

/// Signs `user_id` out at the station. From a tablet, on that tablet's session; from elsewhere
/// (a supervisor's PC), on every live session at the station.
pub fn sign_out(
    conn: &mut DbConnection,
    actor: &Actor,
    station_code: &str,
    user_id: i64,
    tablet_session: Option<i64>,
) -> AppResult<SignedOut> {
    write_transaction(conn, |conn| {
        let station = find_station(conn, station_code)?;
        let at = crate::db::now();
        let rows: Vec<_> = queries::signed_in_at_station(conn, station.id)?
            .into_iter()
            .filter(|(_, session, user, _)| {
                *user == user_id && tablet_session.is_none_or(|s| s == *session)
            })
            .collect();
        if rows.is_empty() {
            let code = &station.code;
            return Err(AppError::NotFound(text!(
                "用户 {user_id} 未在工位 {code} 登录",
                "User {user_id} is not signed in at station {code}"
            )));
        }
        let mut stale = Vec::new();
        let mut own_session_ended = false;
        for (row_id, session_id, _, _) in rows {
            let ended = sign_out_row(conn, actor, row_id, session_id, station.id, user_id, at)?;
            if ended && tablet_session == Some(session_id) {
                own_session_ended = true;
            }
            stale.push(queries::session_token_hash(conn, session_id)?);
        }
        Ok(SignedOut {
            session: session_view(conn, &station)?,
            stale_token_hashes: stale,
            own_session_ended,
        })
    })
}

// ---- Queue ----

/// The order in which a station's queue lists operations: the published plan's dispatch lists
/// of the station's machines first (in planned order, machine by machine), then what the plan
/// does not hold (released since it was published, or no plan yet) by priority (1 = rush
/// first), due date, order number and operation sequence.
fn queue_order(
    conn: &mut DbConnection,
    machine_ids: &[i64],
    items: &mut [QueueItem],
) -> AppResult<()> {
    let mut rank: HashMap<i64, usize> = HashMap::new();
    for &machine_id in machine_ids {
        let list = crate::scheduling::dispatch::dispatch_sequence(conn, machine_id)?;
        if list.plan_id.is_none() {
            continue;
        }
        for entry in list.entries {
            let next = rank.len();
            rank.entry(entry.operation_id.0).or_insert(next);
        }
    }
    items.sort_by(|a, b| {
        let planned = |i: &QueueItem| rank.get(&i.operation_id.0).copied().unwrap_or(usize::MAX);
        planned(a)
            .cmp(&planned(b))
            .then(a.priority.cmp(&b.priority))
            .then(a.due_at.cmp(&b.due_at))
            .then(a.work_order_number.cmp(&b.work_order_number))
            .then(a.seq.cmp(&b.seq))
    });
    Ok(())
}

/// Whether an operation can run on one of `machine_ids` (its eligible machines, or any machine
/// of its work centre when it lists none).
fn runs_on(op: &OperationRow, eligible: &HashMap<i64, Vec<i64>>, machines: &[MachineRow]) -> bool {
    match eligible.get(&op.id) {
        Some(list) if !list.is_empty() => machines.iter().any(|m| list.contains(&m.id)),
        _ => machines
            .iter()
            .any(|m| m.work_center_id == op.work_center_id),
    }
}

fn eligible_of(conn: &mut DbConnection, op_ids: &[i64]) -> AppResult<HashMap<i64, Vec<i64>>> {
    let rows: Vec<(i64, i64)> = work_order_operation_machines::table
        .filter(work_order_operation_machines::operation_id.eq_any(op_ids))
        .select((
            work_order_operation_machines::operation_id,
            work_order_operation_machines::machine_id,
        ))
        .load(conn)?;
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for (op, machine) in rows {
        map.entry(op).or_default().push(machine);
    }
    Ok(map)
}

const OPEN_ORDER_STATUSES: [&str; 2] = ["released", "in_progress"];

/// Open operations (orders released or in progress) that can run at the station.
pub fn queue(conn: &mut DbConnection, station_code: &str) -> AppResult<Vec<QueueItem>> {
    let station = find_station(conn, station_code)?;
    let machines = queries::machines_of_station(conn, &station)?;
    let wc_ids: Vec<i64> = machines.iter().map(|m| m.work_center_id).collect();
    let machine_ids: Vec<i64> = machines.iter().map(|m| m.id).collect();
    // Candidates: open operations at the machines' work centres or listing one of the machines.
    let listed: Vec<i64> = work_order_operation_machines::table
        .filter(work_order_operation_machines::machine_id.eq_any(&machine_ids))
        .select(work_order_operation_machines::operation_id)
        .load(conn)?;
    let order_ids: Vec<i64> = work_order_operations::table
        .inner_join(work_orders::table)
        .filter(work_orders::status.eq_any(OPEN_ORDER_STATUSES.to_vec()))
        .filter(work_order_operations::status.ne(OperationStatus::Done.as_str()))
        .filter(
            work_order_operations::work_center_id
                .eq_any(&wc_ids)
                .or(work_order_operations::id.eq_any(&listed)),
        )
        .select(work_order_operations::work_order_id)
        .distinct()
        .load(conn)?;
    let orders_by_id: HashMap<i64, _> = orders::find_many(conn, &order_ids)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let products = orders::products_by_id(
        conn,
        &orders_by_id
            .values()
            .map(|o| o.product_id)
            .collect::<Vec<_>>(),
    )?;
    let mut items = Vec::new();
    let mut candidates = Vec::new();
    for order in orders_by_id.values() {
        let ops = orders::operations_of(conn, order.id)?;
        let quantities: Vec<_> = ops.iter().map(OperationRow::quantities).collect();
        let progress = progress::compute(order.quantity, &quantities);
        for (op, p) in ops.into_iter().zip(progress.operations) {
            if op.status != OperationStatus::Done.as_str() {
                candidates.push((order.id, op, p));
            }
        }
    }
    let op_ids: Vec<i64> = candidates.iter().map(|(_, op, _)| op.id).collect();
    let eligible = eligible_of(conn, &op_ids)?;
    let mut phases: HashMap<i64, _> = queries::current_phases(conn, &op_ids)?
        .into_iter()
        .map(|(phase, code)| (phase.operation_id, phase.to_api(code)))
        .collect();
    for (order_id, op, p) in candidates {
        if !runs_on(&op, &eligible, &machines) {
            continue;
        }
        let order = &orders_by_id[&order_id];
        let product = products.get(&order.product_id);
        items.push(QueueItem {
            operation_id: WorkOrderOperationId(op.id),
            work_order_id: WorkOrderId(order.id),
            work_order_number: order.number.clone(),
            work_order_status: order.status(),
            product_id: ProductId(order.product_id),
            product_code: product.map(|p| p.code.clone()).unwrap_or_default(),
            product_name: product.map(|p| p.name.clone()).unwrap_or_default(),
            unit: product.map(|p| p.unit.clone()).unwrap_or_default(),
            seq: op.seq,
            name: op.name.clone(),
            status: OperationStatus::parse(&op.status).unwrap_or(OperationStatus::Pending),
            qty_planned: order.quantity,
            qty_good: op.qty_good,
            qty_scrap: op.qty_scrap,
            qty_rework: op.qty_rework,
            qty_remaining: p.qty_remaining,
            qty_available: p.qty_available,
            phase: phases.remove(&op.id),
            has_instruction: !op.instruction.trim().is_empty()
                || op
                    .routing_operation_id
                    .is_some_and(|r| has_instruction_files(conn, r).unwrap_or(false)),
            due_at: order.due_at.and_utc(),
            priority: order.priority,
            scan_code: ScanCode::Operation {
                number: order.number.clone(),
                seq: op.seq,
            }
            .to_string(),
        });
    }
    queue_order(conn, &machine_ids, &mut items)?;
    Ok(items)
}

fn has_instruction_files(conn: &mut DbConnection, routing_operation_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        attachments::table
            .filter(attachments::owner_kind.eq("routing_operation"))
            .filter(attachments::owner_id.eq(routing_operation_id)),
    ))
    .get_result(conn)
}

// ---- Scan ----

fn unknown_code(code: &str) -> AppError {
    AppError::NotFound(text!(
        "无法识别的条码「{code}」：不是工单、工序、设备或工位",
        "Unknown code \"{code}\": not a work order, operation, machine or station"
    ))
}

/// Resolves what a scanner typed. For an order, picks the operation to open at the station.
pub fn scan(conn: &mut DbConnection, query: &ScanQuery) -> AppResult<ScanResult> {
    let code = query.code.trim().to_owned();
    if code.is_empty() {
        return Err(AppError::invalid(
            "code",
            text!("请扫描或输入条码", "Scan or type a code"),
        ));
    }
    let mut result = ScanResult {
        kind: ScanKind::WorkOrder,
        code: code.clone(),
        work_order_id: None,
        work_order_number: None,
        operation_id: None,
        machine_id: None,
        station_id: None,
        station_code: None,
    };
    let order_number = match ScanCode::parse(&code) {
        Some(ScanCode::Machine { code: m }) => {
            let machine = queries::machine_by_code(conn, &m)?.ok_or_else(|| unknown_code(&code))?;
            result.kind = ScanKind::Machine;
            result.machine_id = Some(MachineId(machine.id));
            return Ok(result);
        }
        Some(ScanCode::Station { code: s }) => {
            let station = queries::station_by_code(conn, &s)?.ok_or_else(|| unknown_code(&code))?;
            result.kind = ScanKind::Station;
            result.station_id = Some(StationId(station.id));
            result.station_code = Some(station.code);
            result.machine_id = station.machine_id.map(MachineId);
            return Ok(result);
        }
        Some(ScanCode::Operation { number, seq }) => {
            let order =
                orders::find_by_number(conn, &number)?.ok_or_else(|| unknown_code(&code))?;
            let op = orders::operations_of(conn, order.id)?
                .into_iter()
                .find(|o| o.seq == seq)
                .ok_or_else(|| unknown_code(&code))?;
            result.kind = ScanKind::Operation;
            result.work_order_id = Some(WorkOrderId(order.id));
            result.work_order_number = Some(order.number);
            result.operation_id = Some(WorkOrderOperationId(op.id));
            return Ok(result);
        }
        Some(ScanCode::WorkOrder { number }) => number,
        None => code.clone(),
    };
    let order = orders::find_by_number(conn, &order_number)?.ok_or_else(|| unknown_code(&code))?;
    let ops: Vec<OperationRow> = orders::operations_of(conn, order.id)?
        .into_iter()
        .filter(|o| o.status != OperationStatus::Done.as_str())
        .collect();
    let here = match query
        .station
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(station_code) => {
            let station = queries::station_by_code(conn, station_code)?
                .ok_or_else(|| station_not_found(station_code))?;
            let machines = queries::machines_of_station(conn, &station)?;
            let eligible = eligible_of(conn, &ops.iter().map(|o| o.id).collect::<Vec<_>>())?;
            ops.iter()
                .find(|o| runs_on(o, &eligible, &machines))
                .map(|o| o.id)
        }
        None => None,
    };
    result.work_order_id = Some(WorkOrderId(order.id));
    result.work_order_number = Some(order.number);
    result.operation_id = here.or(ops.first().map(|o| o.id)).map(WorkOrderOperationId);
    Ok(result)
}

// ---- Operation view ----

pub fn operation_not_found(id: i64) -> AppError {
    AppError::NotFound(text!("工序 {id} 不存在", "Operation {id} does not exist"))
}

pub fn operation_view(conn: &mut DbConnection, id: i64) -> AppResult<OperationView> {
    let op = queries::operation(conn, id)?.ok_or_else(|| operation_not_found(id))?;
    let detail = order_service::load(conn, op.work_order_id)?;
    let operation = detail
        .operations
        .iter()
        .find(|o| o.id.0 == id)
        .cloned()
        .ok_or_else(|| operation_not_found(id))?;
    let phase = queries::current_phase(conn, id)?;
    let product_attachments: Vec<AttachmentMeta> = attachments::table
        .filter(attachments::owner_kind.eq("product"))
        .filter(attachments::owner_id.eq(detail.order.product_id.0))
        .order(attachments::id.asc())
        .select(AttachmentMeta::as_select())
        .load(conn)?;
    let allowed_actions = actions::allowed(
        detail.order.status,
        operation.status,
        phase.as_ref().map(|(p, _)| p.kind()),
    );
    Ok(OperationView {
        work_order_id: detail.order.id,
        work_order_number: detail.order.number.clone(),
        work_order_status: detail.order.status,
        product_id: detail.order.product_id,
        product_code: detail.order.product_code.clone(),
        product_name: detail.order.product_name.clone(),
        unit: detail.order.unit.clone(),
        order_quantity: detail.order.quantity,
        due_at: detail.order.due_at,
        priority: detail.order.priority,
        operation,
        phase: phase.map(|(p, code)| p.to_api(code)),
        product_attachments: product_attachments
            .iter()
            .map(AttachmentMeta::to_api)
            .collect(),
        allowed_actions,
    })
}

/// Orders whose operations the station may act on.
pub fn order_open(status: WorkOrderStatus) -> bool {
    matches!(
        status,
        WorkOrderStatus::Released | WorkOrderStatus::InProgress
    )
}
