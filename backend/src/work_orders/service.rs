//! Work-order rules: numbering, validation, what may change in which status, the transitions
//! (on top of the pure table in [`super::lifecycle`]), release (copying the routing and BOM),
//! split, the progress roll-up, the timeline and the audit trail.
//!
//! Every write runs in [`write_transaction`] and checks `lock_version` when it changes the order,
//! so of two concurrent changes exactly one wins and the other gets a 409. Functions ending in
//! `_at` take the time to record (the demo plant back-dates its history); the others use now.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use mes_api_types::{
    AttachmentId, MachineId, Page, ProductId, SortDir, WorkCenterId, WorkOrderId,
    WorkOrderOperationId,
    master_data::{Attachment, EligibleMachine, WorkOrderSettings},
    work_orders::{
        MaterialRequirement, NewWorkOrder, OperationStatus, ScanCode, SplitRequest,
        TransitionRequest, WorkOrder, WorkOrderAction, WorkOrderDetail, WorkOrderEvent,
        WorkOrderOperation, WorkOrderSort, WorkOrderStatus, WorkOrderUpdate,
    },
};
use serde::Serialize;
use serde_json::{Value, json};

use super::{
    cursor::{self, Cursor, Keyset},
    lifecycle::{self, Target, action_en, action_zh, status_en, status_zh},
    models::*,
    progress::{self, Progress},
    queries::{self, ListFilter},
};
use crate::{
    audit,
    db::{DbConnection, now, write_transaction},
    error::{AppError, AppResult, Detail},
    http::{extract::Actor, paging::PageRequest},
    text,
};

/// `settings` key of the generated-number prefix.
pub const NUMBER_PREFIX_KEY: &str = "work_order.number_prefix";
pub const DEFAULT_NUMBER_PREFIX: &str = "WO-";
/// `number_sequences` counter of generated numbers.
const SEQUENCE: &str = "work_order";
/// The detail shows the newest events; a long-running order's older ones stay in the table.
const EVENTS_SHOWN: i64 = 200;
const MAX_QUANTITY: f64 = 1e9;

use WorkOrderStatus as S;

// ---- Reading ----

pub fn load(conn: &mut DbConnection, id: i64) -> AppResult<WorkOrderDetail> {
    let row = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
    detail(conn, row)
}

pub fn load_by_number(conn: &mut DbConnection, number: &str) -> AppResult<WorkOrderDetail> {
    let row = queries::find_by_number(conn, number.trim())?.ok_or_else(|| {
        let number = number.trim().to_owned();
        AppError::NotFound(text!(
            "工单 {number} 不存在",
            "Work order {number} does not exist"
        ))
    })?;
    detail(conn, row)
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound(text!("工单 {id} 不存在", "Work order {id} does not exist"))
}

fn order_dto(
    row: &WorkOrderRow,
    product: Option<&ProductInfo>,
    progress: &Progress,
    at: NaiveDateTime,
) -> WorkOrder {
    let status = row.status();
    WorkOrder {
        id: WorkOrderId(row.id),
        number: row.number.clone(),
        product_id: ProductId(row.product_id),
        product_code: product.map(|p| p.code.clone()).unwrap_or_default(),
        product_name: product.map(|p| p.name.clone()).unwrap_or_default(),
        unit: product.map(|p| p.unit.clone()).unwrap_or_default(),
        quantity: row.quantity,
        due_at: row.due_at.and_utc(),
        release_at: row.release_at.map(|t| t.and_utc()),
        priority: row.priority,
        customer: row.customer.clone(),
        sales_order: row.sales_order.clone(),
        status,
        qty_good: progress.qty_good,
        qty_scrap: progress.qty_scrap,
        qty_remaining: progress.qty_remaining,
        progress: progress.progress,
        late: status.is_open() && row.due_at < at,
        parent_id: row.parent_id.map(WorkOrderId),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    }
}

fn detail(conn: &mut DbConnection, row: WorkOrderRow) -> AppResult<WorkOrderDetail> {
    let product = queries::product(conn, row.product_id)?;
    let ops = queries::operations_of(conn, row.id)?;
    let quantities: Vec<_> = ops.iter().map(OperationRow::quantities).collect();
    let progress = progress::compute(row.quantity, &quantities);

    let op_ids: Vec<i64> = ops.iter().map(|o| o.id).collect();
    let mut machines: HashMap<i64, Vec<EligibleMachine>> = HashMap::new();
    for (op, machine_id, code, run) in queries::operation_machines_of(conn, &op_ids)? {
        machines.entry(op).or_default().push(EligibleMachine {
            machine_id: MachineId(machine_id),
            machine_code: code,
            run_minutes_per_unit: run,
        });
    }
    let wc_ids: Vec<i64> = ops.iter().map(|o| o.work_center_id).collect();
    let wc_codes = queries::work_center_codes(conn, &wc_ids)?;
    let planned_ids: Vec<i64> = ops.iter().filter_map(|o| o.planned_machine_id).collect();
    let planned_codes = queries::machine_codes(conn, &planned_ids)?;
    let source_ids: Vec<i64> = ops.iter().filter_map(|o| o.routing_operation_id).collect();
    let mut files: HashMap<i64, Vec<Attachment>> = HashMap::new();
    for (owner, id, file_name, content_type, size_bytes, created_at) in
        queries::routing_operation_attachments(conn, &source_ids)?
    {
        files.entry(owner).or_default().push(Attachment {
            id: AttachmentId(id),
            file_name,
            content_type,
            size_bytes,
            created_at: created_at.and_utc(),
        });
    }
    let operations = ops
        .iter()
        .zip(&progress.operations)
        .map(|(op, p)| WorkOrderOperation {
            id: WorkOrderOperationId(op.id),
            seq: op.seq,
            name: op.name.clone(),
            work_center_id: WorkCenterId(op.work_center_id),
            work_center_code: wc_codes
                .get(&op.work_center_id)
                .cloned()
                .unwrap_or_default(),
            setup_minutes: op.setup_minutes,
            run_minutes_per_unit: op.run_minutes_per_unit,
            queue_minutes: op.queue_minutes,
            transfer_minutes: op.transfer_minutes,
            inspection_required: op.inspection_required,
            instruction: op.instruction.clone(),
            piece_rate: op.piece_rate,
            status: OperationStatus::parse(&op.status).unwrap_or(OperationStatus::Pending),
            qty_good: op.qty_good,
            qty_scrap: op.qty_scrap,
            qty_rework: op.qty_rework,
            qty_available: p.qty_available,
            qty_remaining: p.qty_remaining,
            started_at: op.started_at.map(|t| t.and_utc()),
            completed_at: op.completed_at.map(|t| t.and_utc()),
            machines: machines.remove(&op.id).unwrap_or_default(),
            planned_machine_id: op.planned_machine_id.map(MachineId),
            planned_machine_code: op
                .planned_machine_id
                .and_then(|m| planned_codes.get(&m).cloned()),
            planned_start: op.planned_start.map(|t| t.and_utc()),
            planned_end: op.planned_end.map(|t| t.and_utc()),
            scan_code: ScanCode::Operation {
                number: row.number.clone(),
                seq: op.seq,
            }
            .to_string(),
            attachments: op
                .routing_operation_id
                .and_then(|r| files.get(&r).cloned())
                .unwrap_or_default(),
        })
        .collect();
    let materials = queries::materials_of(conn, row.id)?
        .into_iter()
        .map(|(m, code, name, unit)| MaterialRequirement {
            product_id: ProductId(m.product_id),
            product_code: code,
            product_name: name,
            unit,
            quantity_required: m.quantity_required,
            quantity_issued: m.quantity_issued,
        })
        .collect();
    let children = queries::children_of(conn, row.id)?
        .iter()
        .map(WorkOrderRow::to_ref)
        .collect();
    let predecessors = queries::predecessors_of(conn, row.id)?
        .iter()
        .map(WorkOrderRow::to_ref)
        .collect();
    let events = queries::events_of(conn, row.id, EVENTS_SHOWN)?
        .into_iter()
        .map(|e| WorkOrderEvent {
            at: e.at.and_utc(),
            kind: e.kind,
            actor_name: e.actor_name,
            detail: serde_json::from_str(&e.detail).unwrap_or_else(|_| json!({})),
        })
        .collect();
    let routing_version = match row.routing_id {
        Some(id) => queries::routing_version(conn, id)?,
        None => None,
    };
    let bom_version = match row.bom_id {
        Some(id) => queries::bom_version(conn, id)?,
        None => None,
    };
    Ok(WorkOrderDetail {
        order: order_dto(&row, product.as_ref(), &progress, now()),
        notes: row.notes.clone(),
        hold_reason: row.hold_reason.clone(),
        routing_version,
        bom_version,
        released_at: row.released_at.map(|t| t.and_utc()),
        started_at: row.started_at.map(|t| t.and_utc()),
        completed_at: row.completed_at.map(|t| t.and_utc()),
        closed_at: row.closed_at.map(|t| t.and_utc()),
        operations,
        materials,
        children,
        predecessors,
        allowed_actions: lifecycle::allowed_actions(row.status()),
        events,
        scan_code: ScanCode::WorkOrder {
            number: row.number.clone(),
        }
        .to_string(),
        lock_version: row.lock_version,
    })
}

/// A list request: filter, sort and page.
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub filter: ListFilter,
    pub sort: WorkOrderSort,
    pub dir: SortDir,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn bad_cursor() -> AppError {
    AppError::invalid(
        "cursor",
        text!(
            "cursor 无效：请从第一页重新开始",
            "The cursor is not valid: start again from the first page"
        ),
    )
}

/// One page of the list (keyset paging; see [`super::cursor`] for how `total` stays cheap).
pub fn list(conn: &mut DbConnection, request: &ListRequest) -> AppResult<Page<WorkOrder>> {
    let page = PageRequest::new(request.limit, None)?;
    let (sort, dir) = (request.sort, request.dir);
    let fingerprint = cursor::fingerprint(&request.filter.canonical());
    let cursor = match request.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
        None => None,
        Some(text) => {
            let cursor = Cursor::decode(text).ok_or_else(bad_cursor)?;
            if cursor.sort != sort || cursor.dir != dir {
                let (s, d) = (cursor.sort.as_str(), cursor.dir.as_str());
                return Err(AppError::invalid(
                    "cursor",
                    text!(
                        "该 cursor 属于按 {s} {d} 排序的列表：请从第一页重新开始",
                        "This cursor belongs to the list sorted by {s} {d}: start again from the first page"
                    ),
                ));
            }
            Some(cursor)
        }
    };
    let total = match &cursor {
        Some(c) if c.filter == fingerprint => c.total,
        _ => queries::count(conn, &request.filter)?,
    };
    let mut rows = queries::list(
        conn,
        &request.filter,
        sort,
        dir,
        cursor.as_ref().map(|c| &c.after),
        page.fetch(),
    )?
    .ok_or_else(bad_cursor)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(page.limit as usize);
    let next_cursor = match rows.last() {
        Some(last) if more => Some(
            Cursor {
                sort,
                dir,
                after: Keyset::of(sort, last),
                total,
                filter: fingerprint,
            }
            .encode(),
        ),
        _ => None,
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let product_ids: Vec<i64> = rows
        .iter()
        .map(|r| r.product_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let products = queries::products_by_id(conn, &product_ids)?;
    let ops = queries::operation_quantities_of(conn, &ids)?;
    let at = request.filter.now;
    let items = rows
        .iter()
        .map(|row| {
            let quantities: Vec<_> = ops
                .get(&row.id)
                .map(|o| o.iter().map(OperationQtyRow::quantities).collect())
                .unwrap_or_default();
            let progress = progress::compute(row.quantity, &quantities);
            order_dto(row, products.get(&row.product_id), &progress, at)
        })
        .collect();
    Ok(Page {
        items,
        next_cursor,
        total,
    })
}

// ---- Progress ----

/// Rolls the operations' quantities up into the order (good out of the last operation, scrap of
/// all) and returns the order's progress. Station reporting calls this after recording
/// quantities, in the same transaction.
pub fn recompute_progress(conn: &mut DbConnection, work_order_id: i64) -> AppResult<Progress> {
    let row = queries::find(conn, work_order_id)?.ok_or_else(|| not_found(work_order_id))?;
    let ops = queries::operations_of(conn, work_order_id)?;
    let quantities: Vec<_> = ops.iter().map(OperationRow::quantities).collect();
    let progress = progress::compute(row.quantity, &quantities);
    if progress.qty_good != row.qty_good || progress.qty_scrap != row.qty_scrap {
        queries::set_rollup(conn, work_order_id, progress.qty_good, progress.qty_scrap)?;
    }
    Ok(progress)
}

// ---- Timeline and audit ----

fn event(
    conn: &mut DbConnection,
    actor: &Actor,
    work_order_id: i64,
    at: NaiveDateTime,
    kind: &str,
    detail: Value,
) -> AppResult<()> {
    queries::insert_event(
        conn,
        &NewEventRow {
            work_order_id,
            at,
            kind: kind.to_owned(),
            actor_id: actor.user_id,
            actor_name: actor.name.clone(),
            detail: detail.to_string(),
        },
    )?;
    Ok(())
}

/// What the audit trail keeps of an order: its own fields, not the (growing) timeline.
#[derive(Debug, Serialize)]
struct Snapshot {
    id: i64,
    number: String,
    product_id: i64,
    quantity: f64,
    due_at: DateTime<Utc>,
    release_at: Option<DateTime<Utc>>,
    priority: i32,
    customer: String,
    sales_order: String,
    notes: String,
    status: String,
    held_from: Option<String>,
    hold_reason: Option<String>,
    routing_id: Option<i64>,
    bom_id: Option<i64>,
    parent_id: Option<i64>,
    predecessors: Vec<i64>,
    lock_version: i32,
}

fn snapshot(conn: &mut DbConnection, id: i64) -> AppResult<Snapshot> {
    let row = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
    let mut predecessors: Vec<i64> = queries::predecessor_edges(conn, &[id])?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    predecessors.sort_unstable();
    Ok(Snapshot {
        id: row.id,
        number: row.number,
        product_id: row.product_id,
        quantity: row.quantity,
        due_at: row.due_at.and_utc(),
        release_at: row.release_at.map(|t| t.and_utc()),
        priority: row.priority,
        customer: row.customer,
        sales_order: row.sales_order,
        notes: row.notes,
        status: row.status,
        held_from: row.held_from,
        hold_reason: row.hold_reason,
        routing_id: row.routing_id,
        bom_id: row.bom_id,
        parent_id: row.parent_id,
        predecessors,
        lock_version: row.lock_version,
    })
}

const ENTITY: &str = "work_order";

fn stale() -> AppError {
    AppError::Conflict(text!(
        "工单已被他人修改，请刷新后重试",
        "The order was changed by someone else meanwhile: reload it and try again"
    ))
}

fn check_lock(row: &WorkOrderRow, expected: Option<i32>) -> AppResult<()> {
    match expected {
        Some(v) if v != row.lock_version => Err(stale()),
        _ => Ok(()),
    }
}

// ---- Validation ----

fn check_quantity(field: &str, q: f64, errors: &mut Vec<Detail>) {
    if !q.is_finite() || q <= 0.0 || q > MAX_QUANTITY {
        errors.push(Detail::field(
            field,
            text!(
                "数量必须大于 0 且不超过 10 亿",
                "The quantity must be more than 0 and at most one billion"
            ),
        ));
    }
}

fn check_priority(p: i32, errors: &mut Vec<Detail>) {
    if !(1..=5).contains(&p) {
        errors.push(Detail::field(
            "priority",
            text!(
                "优先级须为 1（紧急）到 5（低）",
                "The priority must be 1 (rush) to 5 (low)"
            ),
        ));
    }
}

fn check_text(field: &str, value: &str, max: usize, errors: &mut Vec<Detail>) {
    if value.chars().count() > max {
        errors.push(Detail::field(
            field,
            text!("不能超过 {max} 个字符", "At most {max} characters"),
        ));
    }
}

fn check_dates(release_at: Option<NaiveDateTime>, due_at: NaiveDateTime, errors: &mut Vec<Detail>) {
    if release_at.is_some_and(|r| r > due_at) {
        errors.push(Detail::field(
            "release_at",
            text!(
                "最早开工时间不能晚于交期",
                "The earliest start must not be after the due date"
            ),
        ));
    }
}

/// A number given by hand (an ERP's): 1–40 characters, no spaces or control characters.
fn check_number(number: &str, errors: &mut Vec<Detail>) {
    let ok = (1..=40).contains(&number.chars().count())
        && number
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control());
    if !ok {
        errors.push(Detail::field(
            "number",
            text!(
                "工单号须为 1 到 40 个字符，不能含空格",
                "The number must be 1 to 40 characters without spaces"
            ),
        ));
    }
}

/// The product to make: it must exist, be active and be made here (not raw material).
fn check_product(
    conn: &mut DbConnection,
    id: i64,
    errors: &mut Vec<Detail>,
) -> AppResult<Option<ProductInfo>> {
    let product = queries::product(conn, id)?;
    match &product {
        None => errors.push(Detail::field(
            "product_id",
            text!("产品 {id} 不存在", "Product {id} does not exist"),
        )),
        Some(p) if p.kind == "raw" => {
            let code = &p.code;
            errors.push(Detail::field(
                "product_id",
                text!(
                    "{code} 是原材料（外购），不能生产",
                    "{code} is raw material (bought): it is not made here"
                ),
            ))
        }
        Some(p) if !p.active => {
            let code = &p.code;
            errors.push(Detail::field(
                "product_id",
                text!("产品 {code} 已停用", "Product {code} is inactive"),
            ))
        }
        Some(_) => {}
    }
    Ok(product)
}

/// Predecessors must exist, not be the order itself or cancelled, and not close a cycle
/// (the order reachable from one of its own predecessors). Returns them sorted, deduplicated.
fn check_predecessors(
    conn: &mut DbConnection,
    this: Option<i64>,
    wanted: &[WorkOrderId],
    errors: &mut Vec<Detail>,
) -> AppResult<Vec<i64>> {
    let ids: Vec<i64> = wanted
        .iter()
        .map(|w| w.0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(ids);
    }
    let field = "predecessors";
    if this.is_some_and(|t| ids.contains(&t)) {
        errors.push(Detail::field(
            field,
            text!("工单不能等待自己", "An order cannot wait for itself"),
        ));
        return Ok(ids);
    }
    let found = queries::find_many(conn, &ids)?;
    let known: HashSet<i64> = found.iter().map(|r| r.id).collect();
    let missing: Vec<String> = ids
        .iter()
        .filter(|i| !known.contains(i))
        .map(|i| i.to_string())
        .collect();
    if !missing.is_empty() {
        let missing = missing.join(", ");
        errors.push(Detail::field(
            field,
            text!("工单不存在：{missing}", "No such work orders: {missing}"),
        ));
        return Ok(ids);
    }
    let cancelled: Vec<&str> = found
        .iter()
        .filter(|r| r.status() == S::Cancelled)
        .map(|r| r.number.as_str())
        .collect();
    if !cancelled.is_empty() {
        let cancelled = cancelled.join(", ");
        errors.push(Detail::field(
            field,
            text!(
                "不能等待已取消的工单：{cancelled}",
                "Cannot wait for cancelled orders: {cancelled}"
            ),
        ));
    }
    if let Some(this) = this {
        // Walk upstream from the new predecessors; meeting this order again closes a cycle.
        let mut seen: HashSet<i64> = ids.iter().copied().collect();
        let mut frontier = ids.clone();
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for (_, p) in queries::predecessor_edges(conn, &frontier)? {
                if p == this {
                    errors.push(Detail::field(
                        field,
                        text!(
                            "依赖关系形成循环：该工单已（间接）是其中一个前置工单的前置",
                            "The dependencies would form a cycle: this order already comes before one of them"
                        ),
                    ));
                    return Ok(ids);
                }
                if seen.insert(p) {
                    next.push(p);
                }
            }
            frontier = next;
        }
    }
    Ok(ids)
}

fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    // Microseconds: what both databases store exactly.
    use chrono::SubsecRound;
    t.naive_utc().trunc_subsecs(6)
}

// ---- Numbering and settings ----

fn number_prefix(conn: &mut DbConnection) -> AppResult<String> {
    Ok(queries::setting(conn, NUMBER_PREFIX_KEY)?.unwrap_or_else(|| DEFAULT_NUMBER_PREFIX.into()))
}

/// The next free generated number: prefix + the counter, zero-padded to 6 digits. Numbers given
/// by hand may already use a value; those are skipped.
fn next_number(conn: &mut DbConnection) -> AppResult<String> {
    let prefix = number_prefix(conn)?;
    for _ in 0..10_000 {
        let n = queries::take_sequence_value(conn, SEQUENCE)?;
        let number = format!("{prefix}{n:06}");
        if !queries::number_taken(conn, &number)? {
            return Ok(number);
        }
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "no free work-order number after 10,000 tries with prefix {prefix:?}"
    )))
}

fn number_taken_error(number: &str) -> AppError {
    let number = number.to_owned();
    AppError::Conflict(text!(
        "工单号 {number} 已存在",
        "Work order number {number} already exists"
    ))
}

pub fn settings(conn: &mut DbConnection) -> AppResult<WorkOrderSettings> {
    Ok(WorkOrderSettings {
        number_prefix: number_prefix(conn)?,
    })
}

pub fn put_settings(
    conn: &mut DbConnection,
    actor: &Actor,
    new: WorkOrderSettings,
) -> AppResult<WorkOrderSettings> {
    let prefix = new.number_prefix.trim().to_owned();
    let ok = prefix.chars().count() <= 10
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(AppError::invalid(
            "number_prefix",
            text!(
                "前缀最多 10 个字符，只能包含字母、数字、- 和 _",
                "The prefix is at most 10 characters: letters, digits, - and _"
            ),
        ));
    }
    write_transaction(conn, |conn| {
        let before = settings(conn)?;
        queries::put_setting(conn, NUMBER_PREFIX_KEY, &prefix, now())?;
        let after = settings(conn)?;
        audit::updated(conn, actor, "settings", "work_orders", &before, &after)?;
        Ok(after)
    })
}

// ---- Create, update, delete ----

pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewWorkOrder,
) -> AppResult<WorkOrderDetail> {
    create_at(conn, actor, new, now())
}

pub fn create_at(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewWorkOrder,
    at: NaiveDateTime,
) -> AppResult<WorkOrderDetail> {
    let number = new
        .number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let priority = new.priority.unwrap_or(3);
    let due_at = naive(new.due_at);
    let release_at = new.release_at.map(naive);
    let (customer, sales_order, notes) = (
        trimmed(&new.customer),
        trimmed(&new.sales_order),
        new.notes.trim_end().to_owned(),
    );
    write_transaction(conn, |conn| {
        let mut errors = Vec::new();
        if let Some(n) = &number {
            check_number(n, &mut errors);
        }
        let product = check_product(conn, new.product_id.0, &mut errors)?;
        check_quantity("quantity", new.quantity, &mut errors);
        check_priority(priority, &mut errors);
        check_dates(release_at, due_at, &mut errors);
        check_text("customer", &customer, 200, &mut errors);
        check_text("sales_order", &sales_order, 100, &mut errors);
        check_text("notes", &notes, 4000, &mut errors);
        let predecessors = check_predecessors(conn, None, &new.predecessors, &mut errors)?;
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let number = match number {
            Some(n) if queries::number_taken(conn, &n)? => return Err(number_taken_error(&n)),
            Some(n) => n,
            None => next_number(conn)?,
        };
        let id = queries::insert(
            conn,
            &NewWorkOrderRow {
                number: number.clone(),
                product_id: new.product_id.0,
                quantity: new.quantity,
                due_at,
                release_at,
                priority,
                customer,
                sales_order,
                notes,
                status: S::Draft.as_str().into(),
                held_from: None,
                hold_reason: None,
                routing_id: None,
                bom_id: None,
                parent_id: None,
                created_at: at,
                updated_at: at,
                released_at: None,
                started_at: None,
            },
        )?;
        queries::set_predecessors(conn, id, &predecessors)?;
        let product_code = product.map(|p| p.code).unwrap_or_default();
        event(
            conn,
            actor,
            id,
            at,
            "created",
            json!({"number": number, "product": product_code, "quantity": new.quantity,
                   "due_at": new.due_at}),
        )?;
        let after = snapshot(conn, id)?;
        audit::created(conn, actor, ENTITY, id, &after)?;
        load(conn, id)
    })
}

/// Which fields an order's status lets change, and why the others cannot.
fn editable(status: WorkOrderStatus) -> (&'static [&'static str], crate::error::Text) {
    const PLANNING: &[&str] = &[
        "due_at",
        "release_at",
        "priority",
        "customer",
        "sales_order",
        "notes",
        "predecessors",
    ];
    let (zh, en) = (status_zh(status), status_en(status));
    match status {
        S::Draft => (
            &[
                "product_id",
                "quantity",
                "due_at",
                "release_at",
                "priority",
                "customer",
                "sales_order",
                "notes",
                "predecessors",
            ],
            crate::error::Text::new("", ""),
        ),
        S::Released | S::InProgress | S::OnHold => (
            PLANNING,
            text!(
                "工单{zh}后，产品和数量已随工艺路线和物料一起固定；如需改数量请拆分工单",
                "Once an order is {en}, its product and quantity are fixed with the routing and materials copied for them; split the order to change the quantity"
            ),
        ),
        S::Completed | S::Cancelled => (
            &["notes"],
            text!(
                "工单{zh}后只能修改备注",
                "Only the notes of a {en} order can change"
            ),
        ),
        S::Closed => (
            &[],
            text!(
                "已关闭的工单不能再修改",
                "A closed order can no longer change"
            ),
        ),
    }
}

pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    upd: WorkOrderUpdate,
) -> AppResult<WorkOrderDetail> {
    let at = now();
    write_transaction(conn, |conn| {
        let row = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
        check_lock(&row, upd.lock_version)?;
        let current_predecessors: BTreeSet<i64> = queries::predecessor_edges(conn, &[id])?
            .into_iter()
            .map(|(_, p)| p)
            .collect();

        // What the request would change (fields sent with their current value change nothing).
        let due_at = upd.due_at.map(naive).filter(|d| *d != row.due_at);
        let release_at = upd
            .release_at
            .map(naive)
            .filter(|r| Some(*r) != row.release_at);
        let customer = upd
            .customer
            .as_deref()
            .map(trimmed)
            .filter(|c| *c != row.customer);
        let sales_order = upd
            .sales_order
            .as_deref()
            .map(trimmed)
            .filter(|s| *s != row.sales_order);
        let notes = upd
            .notes
            .as_deref()
            .map(|n| n.trim_end().to_owned())
            .filter(|n| *n != row.notes);
        let predecessors = upd
            .predecessors
            .as_ref()
            .filter(|p| p.iter().map(|w| w.0).collect::<BTreeSet<_>>() != current_predecessors);
        let changing: Vec<&str> = [
            (
                "product_id",
                upd.product_id.is_some_and(|p| p.0 != row.product_id),
            ),
            ("quantity", upd.quantity.is_some_and(|q| q != row.quantity)),
            ("due_at", due_at.is_some()),
            ("release_at", release_at.is_some()),
            ("priority", upd.priority.is_some_and(|p| p != row.priority)),
            ("customer", customer.is_some()),
            ("sales_order", sales_order.is_some()),
            ("notes", notes.is_some()),
            ("predecessors", predecessors.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, changes)| changes.then_some(field))
        .collect();
        let status = row.status();
        let (allowed, why) = editable(status);
        let refused: Vec<&str> = changing
            .iter()
            .copied()
            .filter(|f| !allowed.contains(f))
            .collect();
        if !refused.is_empty() {
            let fields = refused.join(", ");
            let (zh, en) = (status_zh(status), status_en(status));
            let (why_zh, why_en) = (
                why.get(mes_api_types::Lang::ZhCn).to_owned(),
                why.get(mes_api_types::Lang::En).to_owned(),
            );
            return Err(AppError::Conflict(text!(
                "工单状态为「{zh}」，不能修改 {fields}：{why_zh}",
                "The order is {en}: {fields} cannot change. {why_en}"
            )));
        }
        if changing.is_empty() {
            return load(conn, id);
        }

        let mut errors = Vec::new();
        let product_id = upd.product_id.map(|p| p.0).filter(|p| *p != row.product_id);
        if let Some(p) = product_id {
            check_product(conn, p, &mut errors)?;
        }
        let quantity = upd.quantity.filter(|q| *q != row.quantity);
        if let Some(q) = quantity {
            check_quantity("quantity", q, &mut errors);
        }
        let priority = upd.priority.filter(|p| *p != row.priority);
        if let Some(p) = priority {
            check_priority(p, &mut errors);
        }
        check_dates(
            release_at.or(row.release_at),
            due_at.unwrap_or(row.due_at),
            &mut errors,
        );
        if let Some(c) = &customer {
            check_text("customer", c, 200, &mut errors);
        }
        if let Some(s) = &sales_order {
            check_text("sales_order", s, 100, &mut errors);
        }
        if let Some(n) = &notes {
            check_text("notes", n, 4000, &mut errors);
        }
        let predecessors = match predecessors {
            Some(p) => Some(check_predecessors(conn, Some(id), p, &mut errors)?),
            None => None,
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }

        let before = snapshot(conn, id)?;
        let changes = WorkOrderChanges {
            product_id,
            quantity,
            due_at,
            release_at: release_at.map(Some),
            priority,
            customer: customer.clone(),
            sales_order: sales_order.clone(),
            notes: notes.clone(),
            updated_at: Some(at),
            ..Default::default()
        };
        if !queries::update_checked(conn, id, row.lock_version, &changes)? {
            return Err(stale());
        }
        if let Some(p) = &predecessors {
            queries::set_predecessors(conn, id, p)?;
        }
        let after = snapshot(conn, id)?;
        let before_json = serde_json::to_value(&before)?;
        let after_json = serde_json::to_value(&after)?;
        let mut diff = serde_json::Map::new();
        for field in &changing {
            diff.insert(
                (*field).to_owned(),
                json!({"from": before_json[*field], "to": after_json[*field]}),
            );
        }
        event(conn, actor, id, at, "updated", json!({ "changes": diff }))?;
        audit::updated(conn, actor, ENTITY, id, &before, &after)?;
        load(conn, id)
    })
}

pub fn delete(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    write_transaction(conn, |conn| {
        let row = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
        let status = row.status();
        if status != S::Draft {
            let (zh, en) = (status_zh(status), status_en(status));
            return Err(AppError::Conflict(text!(
                "只能删除草稿工单；该工单为「{zh}」，请改用取消",
                "Only draft orders can be deleted; this one is {en}: cancel it instead"
            )));
        }
        if !queries::children_of(conn, id)?.is_empty() {
            return Err(AppError::Conflict(text!(
                "该工单已拆分出子工单，请先删除子工单",
                "Orders were split off this one: delete them first"
            )));
        }
        let before = snapshot(conn, id)?;
        // Checked: an order released a moment ago (on PostgreSQL, which does not serialise the
        // two transactions) must not be deleted as the draft it was.
        if !queries::delete_checked(conn, id, row.lock_version)? {
            return Err(stale());
        }
        audit::deleted(conn, actor, ENTITY, id, &before)?;
        Ok(())
    })
}

// ---- Transitions ----

/// What release copies, looked up before anything changes.
struct ReleasePlan {
    routing_id: i64,
    routing_version: i32,
    operations: Vec<RoutingOperationSource>,
    machines: HashMap<i64, Vec<(i64, f64)>>,
    bom: Option<(i64, i32, Vec<BomLineSource>)>,
}

/// The product's active routing (with ≥ 1 operation) and active BOM, if any.
fn release_plan(conn: &mut DbConnection, row: &WorkOrderRow) -> AppResult<ReleasePlan> {
    let product = queries::product(conn, row.product_id)?;
    let code = product.map(|p| p.code).unwrap_or_default();
    let no_routing = || {
        AppError::Conflict(text!(
            "无法下达：产品 {code} 没有含工序的生效工艺路线",
            "Cannot release: product {code} has no active routing with operations"
        ))
    };
    let (routing_id, routing_version) =
        queries::active_routing(conn, row.product_id)?.ok_or_else(no_routing)?;
    let operations = queries::routing_operations_of(conn, routing_id)?;
    if operations.is_empty() {
        return Err(no_routing());
    }
    // Eligible machines with their run time; an operation listing none may run on any active
    // machine of its work centre at the operation's run time (resolved now, like the rest).
    let op_ids: Vec<i64> = operations.iter().map(|o| o.id).collect();
    let run_of: HashMap<i64, f64> = operations
        .iter()
        .map(|o| (o.id, o.run_minutes_per_unit))
        .collect();
    let mut machines: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
    for (op, machine, own_run) in queries::routing_operation_machines_of(conn, &op_ids)? {
        let run = own_run.unwrap_or_else(|| run_of.get(&op).copied().unwrap_or(0.0));
        machines.entry(op).or_default().push((machine, run));
    }
    let open_ops: Vec<&RoutingOperationSource> = operations
        .iter()
        .filter(|o| !machines.contains_key(&o.id))
        .collect();
    if !open_ops.is_empty() {
        let wc_ids: Vec<i64> = open_ops.iter().map(|o| o.work_center_id).collect();
        let mut by_wc: HashMap<i64, Vec<i64>> = HashMap::new();
        for (wc, machine) in queries::active_machines_of_work_centers(conn, &wc_ids)? {
            by_wc.entry(wc).or_default().push(machine);
        }
        for op in open_ops {
            let list = by_wc
                .get(&op.work_center_id)
                .map(|ms| ms.iter().map(|m| (*m, op.run_minutes_per_unit)).collect())
                .unwrap_or_default();
            machines.insert(op.id, list);
        }
    }
    let bom = match queries::active_bom(conn, row.product_id)? {
        Some((id, version)) => Some((id, version, queries::bom_lines_of(conn, id)?)),
        None => None,
    };
    Ok(ReleasePlan {
        routing_id,
        routing_version,
        operations,
        machines,
        bom,
    })
}

/// Copies the plan into the order's own operations and material requirements.
fn copy_release(conn: &mut DbConnection, row: &WorkOrderRow, plan: &ReleasePlan) -> AppResult<()> {
    for op in &plan.operations {
        let op_id = queries::insert_operation(
            conn,
            &NewOperationRow {
                work_order_id: row.id,
                seq: op.seq,
                name: op.name.clone(),
                work_center_id: op.work_center_id,
                routing_operation_id: Some(op.id),
                setup_minutes: op.setup_minutes,
                run_minutes_per_unit: op.run_minutes_per_unit,
                queue_minutes: op.queue_minutes,
                transfer_minutes: op.transfer_minutes,
                inspection_required: op.inspection_required,
                instruction: op.instruction.clone(),
                status: OperationStatus::Pending.as_str().into(),
                piece_rate: op.piece_rate,
            },
        )?;
        let machines: Vec<OperationMachineRow> = plan
            .machines
            .get(&op.id)
            .map(|ms| {
                ms.iter()
                    .map(|(machine_id, run)| OperationMachineRow {
                        operation_id: op_id,
                        machine_id: *machine_id,
                        run_minutes_per_unit: *run,
                    })
                    .collect()
            })
            .unwrap_or_default();
        queries::insert_operation_machines(conn, &machines)?;
    }
    if let Some((_, _, lines)) = &plan.bom {
        let materials: Vec<NewMaterialRow> = lines
            .iter()
            .map(|l| NewMaterialRow {
                work_order_id: row.id,
                position: l.position,
                product_id: l.component_id,
                quantity_required: row.quantity * l.quantity_per / (1.0 - l.scrap_factor),
                quantity_issued: 0.0,
            })
            .collect();
        queries::insert_materials(conn, &materials)?;
    }
    Ok(())
}

fn reason_of(request: &TransitionRequest) -> AppResult<Option<String>> {
    let reason = request
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(AppError::invalid(
            "reason",
            text!(
                "原因不能超过 500 个字符",
                "The reason is at most 500 characters"
            ),
        ));
    }
    Ok(reason)
}

fn reason_required(action: WorkOrderAction) -> AppError {
    let (zh, en) = (action_zh(action), action_en(action));
    AppError::invalid(
        "reason",
        text!(
            "{zh}工单须填写原因",
            "A reason is required to {en} an order"
        ),
    )
}

pub fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    action: WorkOrderAction,
    request: TransitionRequest,
) -> AppResult<WorkOrderDetail> {
    transition_at(conn, actor, id, action, request, now())
}

pub fn transition_at(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    action: WorkOrderAction,
    request: TransitionRequest,
    at: NaiveDateTime,
) -> AppResult<WorkOrderDetail> {
    let reason = reason_of(&request)?;
    write_transaction(conn, |conn| {
        let row = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
        check_lock(&row, request.lock_version)?;
        let from = row.status();
        let to = match lifecycle::transition(from, action).map_err(AppError::Conflict)? {
            Target::To(s) => s,
            Target::HeldFrom => lifecycle::resume_target(row.held_from()),
        };
        let mut changes = WorkOrderChanges {
            status: Some(to.as_str().to_owned()),
            updated_at: Some(at),
            ..Default::default()
        };
        let mut detail = json!({"from": from.as_str(), "to": to.as_str()});
        if let Some(r) = &reason {
            detail["reason"] = json!(r);
        }
        let mut plan = None;
        match action {
            WorkOrderAction::Release => {
                let p = release_plan(conn, &row)?;
                changes.routing_id = Some(Some(p.routing_id));
                changes.bom_id = Some(p.bom.as_ref().map(|b| b.0));
                changes.released_at = Some(Some(at));
                detail["routing_version"] = json!(p.routing_version);
                detail["bom_version"] = json!(p.bom.as_ref().map(|b| b.1));
                detail["operations"] = json!(p.operations.len());
                plan = Some(p);
            }
            WorkOrderAction::Start => {
                if row.started_at.is_none() {
                    changes.started_at = Some(Some(at));
                }
            }
            WorkOrderAction::Complete => {
                let ops = queries::operations_of(conn, id)?;
                let quantities: Vec<_> = ops.iter().map(OperationRow::quantities).collect();
                let progress = progress::compute(row.quantity, &quantities);
                let open: Vec<String> = ops
                    .iter()
                    .zip(&progress.operations)
                    .filter(|(_, p)| p.qty_remaining > 0.0)
                    .map(|(o, p)| format!("{} {} ({})", o.seq, o.name, p.qty_remaining))
                    .collect();
                if !open.is_empty() {
                    if reason.is_none() {
                        let open = open.join(", ");
                        return Err(AppError::Conflict(text!(
                            "工序仍有未完成数量：{open}。如需短完工，请填写原因",
                            "Operations still have quantity to make: {open}. Give a reason to close the order short"
                        )));
                    }
                    detail["short_close"] = json!(true);
                    detail["qty_remaining"] = json!(progress.qty_remaining);
                }
                changes.completed_at = Some(Some(at));
            }
            WorkOrderAction::Close => changes.closed_at = Some(Some(at)),
            WorkOrderAction::Hold => {
                let Some(r) = &reason else {
                    return Err(reason_required(action));
                };
                changes.held_from = Some(Some(from.as_str().to_owned()));
                changes.hold_reason = Some(Some(r.clone()));
            }
            WorkOrderAction::Resume => {
                changes.held_from = Some(None);
                changes.hold_reason = Some(None);
            }
            WorkOrderAction::Cancel => {
                if reason.is_none() {
                    return Err(reason_required(action));
                }
                let reported: f64 = queries::operations_of(conn, id)?
                    .iter()
                    .map(|o| o.qty_good + o.qty_scrap)
                    .sum();
                if reported > 0.0 {
                    return Err(AppError::Conflict(text!(
                        "已报工 {reported}，不能取消；请带原因短完工",
                        "{reported} has been reported already: the order cannot be cancelled; complete it short with a reason instead"
                    )));
                }
                // No longer on hold: the reason stays in the timeline.
                changes.held_from = Some(None);
                changes.hold_reason = Some(None);
            }
            WorkOrderAction::Reopen => {
                changes.completed_at = Some(None);
            }
        }
        let before = snapshot(conn, id)?;
        if !queries::update_checked(conn, id, row.lock_version, &changes)? {
            return Err(stale());
        }
        if let Some(plan) = &plan {
            copy_release(conn, &row, plan)?;
        }
        event(conn, actor, id, at, event_kind(action), detail)?;
        let after = snapshot(conn, id)?;
        audit::updated(conn, actor, ENTITY, id, &before, &after)?;
        load(conn, id)
    })
}

fn event_kind(action: WorkOrderAction) -> &'static str {
    match action {
        WorkOrderAction::Release => "released",
        WorkOrderAction::Start => "started",
        WorkOrderAction::Complete => "completed",
        WorkOrderAction::Close => "closed",
        WorkOrderAction::Hold => "held",
        WorkOrderAction::Resume => "resumed",
        WorkOrderAction::Cancel => "cancelled",
        WorkOrderAction::Reopen => "reopened",
    }
}

// ---- Split ----

/// The status a split-off order starts in: the parent's, except that nothing of it has started.
fn child_status(parent: WorkOrderStatus) -> WorkOrderStatus {
    match parent {
        S::InProgress => S::Released,
        other => other,
    }
}

/// The child's number: the parent's with the next free suffix (`WO-000042-1`, `-2`, …), so the
/// shop floor sees where it came from.
fn child_number(conn: &mut DbConnection, parent: &str) -> AppResult<String> {
    let stem = format!("{parent}-");
    let used: HashSet<u32> = queries::numbers_like(conn, &stem)?
        .iter()
        .filter_map(|n| n.strip_prefix(&stem)?.parse().ok())
        .collect();
    let mut k = used.iter().max().copied().unwrap_or(0) + 1;
    loop {
        let number = format!("{stem}{k}");
        if !queries::number_taken(conn, &number)? {
            return Ok(number);
        }
        k += 1;
    }
}

pub fn split(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    request: SplitRequest,
) -> AppResult<WorkOrderDetail> {
    split_at(conn, actor, id, request, now())
}

pub fn split_at(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    request: SplitRequest,
    at: NaiveDateTime,
) -> AppResult<WorkOrderDetail> {
    write_transaction(conn, |conn| {
        let parent = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
        let status = parent.status();
        if !matches!(status, S::Draft | S::Released | S::OnHold | S::InProgress) {
            let (zh, en) = (status_zh(status), status_en(status));
            return Err(AppError::Conflict(text!(
                "只能拆分草稿、已下达、已暂停或生产中的工单；该工单为「{zh}」",
                "Only draft, released, on-hold or in-progress orders can be split; this one is {en}"
            )));
        }
        let ops = queries::operations_of(conn, id)?;
        let quantities: Vec<_> = ops.iter().map(OperationRow::quantities).collect();
        let unstarted = progress::unstarted(parent.quantity, &quantities);
        let q = request.quantity;
        let due_at = request.due_at.map(naive).unwrap_or(parent.due_at);
        let mut errors = Vec::new();
        check_quantity("quantity", q, &mut errors);
        if errors.is_empty() {
            let total = parent.quantity;
            if q >= total {
                errors.push(Detail::field(
                    "quantity",
                    text!(
                        "拆分数量须小于工单数量 {total}（原工单保留其余数量）",
                        "The quantity split off must be less than the order's {total} (the order keeps the rest)"
                    ),
                ));
            } else if q > unstarted {
                errors.push(Detail::field(
                    "quantity",
                    text!(
                        "最多可拆分 {unstarted}：其余数量首道工序已开始加工",
                        "At most {unstarted} can be split off: the rest has been started at the first operation"
                    ),
                ));
            }
        }
        if parent.release_at.is_some_and(|r| r > due_at) {
            errors.push(Detail::field(
                "due_at",
                text!(
                    "交期不能早于最早开工时间",
                    "The due date must not be before the earliest start"
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }

        let remaining = parent.quantity - q;
        let parent_before = snapshot(conn, id)?;
        let parent_changes = WorkOrderChanges {
            quantity: Some(remaining),
            updated_at: Some(at),
            ..Default::default()
        };
        if !queries::update_checked(conn, id, parent.lock_version, &parent_changes)? {
            return Err(stale());
        }
        let number = child_number(conn, &parent.number)?;
        let child_status = child_status(status);
        let held_from = (child_status == S::OnHold).then(|| S::Released.as_str().to_owned());
        let child_id = queries::insert(
            conn,
            &NewWorkOrderRow {
                number: number.clone(),
                product_id: parent.product_id,
                quantity: q,
                due_at,
                release_at: parent.release_at,
                priority: parent.priority,
                customer: parent.customer.clone(),
                sales_order: parent.sales_order.clone(),
                notes: parent.notes.clone(),
                status: child_status.as_str().to_owned(),
                held_from,
                hold_reason: (child_status == S::OnHold)
                    .then(|| parent.hold_reason.clone())
                    .flatten(),
                routing_id: parent.routing_id,
                bom_id: parent.bom_id,
                parent_id: Some(id),
                created_at: at,
                updated_at: at,
                released_at: parent.released_at,
                started_at: None,
            },
        )?;
        // The same routing copy, nothing done yet.
        let op_ids: Vec<i64> = ops.iter().map(|o| o.id).collect();
        let mut machines: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
        for (op, machine, _, run) in queries::operation_machines_of(conn, &op_ids)? {
            machines.entry(op).or_default().push((machine, run));
        }
        for op in &ops {
            let new_op = queries::insert_operation(
                conn,
                &NewOperationRow {
                    work_order_id: child_id,
                    seq: op.seq,
                    name: op.name.clone(),
                    work_center_id: op.work_center_id,
                    routing_operation_id: op.routing_operation_id,
                    setup_minutes: op.setup_minutes,
                    run_minutes_per_unit: op.run_minutes_per_unit,
                    queue_minutes: op.queue_minutes,
                    transfer_minutes: op.transfer_minutes,
                    inspection_required: op.inspection_required,
                    instruction: op.instruction.clone(),
                    status: OperationStatus::Pending.as_str().into(),
                    piece_rate: op.piece_rate,
                },
            )?;
            let rows: Vec<OperationMachineRow> = machines
                .get(&op.id)
                .map(|ms| {
                    ms.iter()
                        .map(|(m, run)| OperationMachineRow {
                            operation_id: new_op,
                            machine_id: *m,
                            run_minutes_per_unit: *run,
                        })
                        .collect()
                })
                .unwrap_or_default();
            queries::insert_operation_machines(conn, &rows)?;
        }
        // Material requirements are proportional to the quantity; issued material stays with
        // the parent, where it physically is.
        let materials: Vec<NewMaterialRow> = queries::materials_of(conn, id)?
            .into_iter()
            .map(|(m, ..)| NewMaterialRow {
                work_order_id: child_id,
                position: m.position,
                product_id: m.product_id,
                quantity_required: m.quantity_required * q / parent.quantity,
                quantity_issued: 0.0,
            })
            .collect();
        queries::insert_materials(conn, &materials)?;
        queries::scale_materials(conn, id, remaining, parent.quantity)?;
        // The child waits for what the parent waits for, and whatever waits for the parent now
        // waits for the child too.
        for (_, p) in queries::predecessor_edges(conn, &[id])? {
            queries::add_dependency(conn, child_id, p)?;
        }
        for s in queries::successor_ids_of(conn, id)? {
            queries::add_dependency(conn, s, child_id)?;
        }
        recompute_progress(conn, id)?;
        event(
            conn,
            actor,
            id,
            at,
            "split",
            json!({"child": number, "quantity": q, "remaining": remaining}),
        )?;
        event(
            conn,
            actor,
            child_id,
            at,
            "split_from",
            json!({"parent": parent.number, "quantity": q}),
        )?;
        let parent_after = snapshot(conn, id)?;
        audit::updated(conn, actor, ENTITY, id, &parent_before, &parent_after)?;
        let child = snapshot(conn, child_id)?;
        audit::created(conn, actor, ENTITY, child_id, &child)?;
        load(conn, child_id)
    })
}
