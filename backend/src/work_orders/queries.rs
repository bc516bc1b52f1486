//! Work-order queries. Master data (products, routings, BOMs, machines) is read here with plain
//! queries of our own, so this domain does not depend on the master-data services.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::{
    dsl::sql,
    prelude::*,
    sql_types::{BigInt, Bool, Double, Integer, Text, Timestamp},
};
use mes_api_types::{
    SortDir,
    work_orders::{WorkOrderSort, WorkOrderStatus},
};

use super::{
    cursor::{Keyset, SortValue},
    models::*,
};
use crate::db::{
    BackendKind, DbConnection, MultiBackend,
    schema::{
        attachments, bom_lines, boms, machines, number_sequences, products,
        routing_operation_machines, routing_operations, routings, settings, work_centers,
        work_order_dependencies, work_order_events, work_order_materials,
        work_order_operation_machines, work_order_operations, work_orders,
    },
    sql::{contains_pattern, lower},
};

// ---- Master data, read-only ----

type ProductColumns = (
    products::id,
    products::code,
    products::name,
    products::unit,
    products::kind,
    products::active,
);

const PRODUCT_COLUMNS: ProductColumns = (
    products::id,
    products::code,
    products::name,
    products::unit,
    products::kind,
    products::active,
);

pub fn product(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ProductInfo>> {
    products::table
        .find(id)
        .select(PRODUCT_COLUMNS)
        .first(conn)
        .optional()
}

pub fn products_by_id(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<HashMap<i64, ProductInfo>> {
    let rows: Vec<ProductInfo> = products::table
        .filter(products::id.eq_any(ids))
        .select(PRODUCT_COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

/// The product's active routing (id, version), if it has one.
pub fn active_routing(conn: &mut DbConnection, product_id: i64) -> QueryResult<Option<(i64, i32)>> {
    routings::table
        .filter(routings::product_id.eq(product_id))
        .filter(routings::status.eq("active"))
        .order(routings::version.desc())
        .select((routings::id, routings::version))
        .first(conn)
        .optional()
}

pub fn active_bom(conn: &mut DbConnection, product_id: i64) -> QueryResult<Option<(i64, i32)>> {
    boms::table
        .filter(boms::product_id.eq(product_id))
        .filter(boms::status.eq("active"))
        .order(boms::version.desc())
        .select((boms::id, boms::version))
        .first(conn)
        .optional()
}

pub fn routing_version(conn: &mut DbConnection, id: i64) -> QueryResult<Option<i32>> {
    routings::table
        .find(id)
        .select(routings::version)
        .first(conn)
        .optional()
}

pub fn bom_version(conn: &mut DbConnection, id: i64) -> QueryResult<Option<i32>> {
    boms::table
        .find(id)
        .select(boms::version)
        .first(conn)
        .optional()
}

pub fn routing_operations_of(
    conn: &mut DbConnection,
    routing_id: i64,
) -> QueryResult<Vec<RoutingOperationSource>> {
    routing_operations::table
        .filter(routing_operations::routing_id.eq(routing_id))
        .order(routing_operations::seq.asc())
        .select((
            routing_operations::id,
            routing_operations::seq,
            routing_operations::name,
            routing_operations::work_center_id,
            routing_operations::setup_minutes,
            routing_operations::run_minutes_per_unit,
            routing_operations::queue_minutes,
            routing_operations::transfer_minutes,
            routing_operations::inspection_required,
            routing_operations::instruction,
            routing_operations::piece_rate,
        ))
        .load(conn)
}

/// Eligible machines of routing operations: (operation id, machine id, own run time).
pub fn routing_operation_machines_of(
    conn: &mut DbConnection,
    operation_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, Option<f64>)>> {
    routing_operation_machines::table
        .inner_join(machines::table)
        .filter(routing_operation_machines::operation_id.eq_any(operation_ids))
        .order((
            routing_operation_machines::operation_id.asc(),
            machines::code.asc(),
        ))
        .select((
            routing_operation_machines::operation_id,
            routing_operation_machines::machine_id,
            routing_operation_machines::run_minutes_per_unit,
        ))
        .load(conn)
}

/// Active machines of work centres: (work centre id, machine id).
pub fn active_machines_of_work_centers(
    conn: &mut DbConnection,
    work_center_ids: &[i64],
) -> QueryResult<Vec<(i64, i64)>> {
    machines::table
        .filter(machines::work_center_id.eq_any(work_center_ids))
        .filter(machines::active.eq(true))
        .order(machines::code.asc())
        .select((machines::work_center_id, machines::id))
        .load(conn)
}

pub fn bom_lines_of(conn: &mut DbConnection, bom_id: i64) -> QueryResult<Vec<BomLineSource>> {
    bom_lines::table
        .filter(bom_lines::bom_id.eq(bom_id))
        .order((bom_lines::position.asc(), bom_lines::id.asc()))
        .select((
            bom_lines::position,
            bom_lines::component_id,
            bom_lines::quantity_per,
            bom_lines::scrap_factor,
        ))
        .load(conn)
}

pub fn work_center_codes(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = work_centers::table
        .filter(work_centers::id.eq_any(ids))
        .select((work_centers::id, work_centers::code))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

pub fn machine_codes(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = machines::table
        .filter(machines::id.eq_any(ids))
        .select((machines::id, machines::code))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// File metadata (never the data) attached to routing operations:
/// (owner id, id, file name, content type, size, created at).
pub type AttachmentMeta = (i64, i64, String, String, i64, NaiveDateTime);

pub fn routing_operation_attachments(
    conn: &mut DbConnection,
    routing_operation_ids: &[i64],
) -> QueryResult<Vec<AttachmentMeta>> {
    attachments::table
        .filter(attachments::owner_kind.eq("routing_operation"))
        .filter(attachments::owner_id.eq_any(routing_operation_ids))
        .order(attachments::id.asc())
        .select((
            attachments::owner_id,
            attachments::id,
            attachments::file_name,
            attachments::content_type,
            attachments::size_bytes,
            attachments::created_at,
        ))
        .load(conn)
}

/// Active made products (not raw) whose active routing has operations: what can be released,
/// by id: (id, kind).
pub fn releasable_products(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    products::table
        .filter(products::kind.ne("raw"))
        .filter(products::active.eq(true))
        .filter(
            products::id.eq_any(
                routings::table
                    .filter(routings::status.eq("active"))
                    .filter(
                        routings::id.eq_any(
                            routing_operations::table.select(routing_operations::routing_id),
                        ),
                    )
                    .select(routings::product_id),
            ),
        )
        .order(products::id.asc())
        .select((products::id, products::kind))
        .load(conn)
}

// ---- Settings and numbering ----

pub fn setting(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()
}

pub fn put_setting(
    conn: &mut DbConnection,
    key: &str,
    value: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(settings::table.find(key))
        .set((settings::value.eq(value), settings::updated_at.eq(at)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(key),
                settings::value.eq(value),
                settings::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Takes the next value of a counter. The row stays locked until the transaction ends, so two
/// creators never get the same value; a rolled-back creation gives its value back.
pub fn take_sequence_value(conn: &mut DbConnection, name: &str) -> QueryResult<i64> {
    let next: Option<i64> = diesel::update(number_sequences::table.find(name))
        .set(number_sequences::next_value.eq(number_sequences::next_value + 1))
        .returning(number_sequences::next_value)
        .get_result(conn)
        .optional()?;
    match next {
        Some(next) => Ok(next - 1),
        None => {
            diesel::insert_into(number_sequences::table)
                .values((
                    number_sequences::name.eq(name),
                    number_sequences::next_value.eq(2_i64),
                ))
                .execute(conn)?;
            Ok(1)
        }
    }
}

// ---- Orders ----

pub fn any_orders(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        work_orders::table.select(work_orders::id),
    ))
    .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<WorkOrderRow>> {
    work_orders::table
        .find(id)
        .select(WorkOrderRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_number(conn: &mut DbConnection, number: &str) -> QueryResult<Option<WorkOrderRow>> {
    work_orders::table
        .filter(work_orders::number.eq(number))
        .select(WorkOrderRow::as_select())
        .first(conn)
        .optional()
}

pub fn number_taken(conn: &mut DbConnection, number: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        work_orders::table.filter(work_orders::number.eq(number)),
    ))
    .get_result(conn)
}

pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<WorkOrderRow>> {
    work_orders::table
        .filter(work_orders::id.eq_any(ids))
        .order(work_orders::id.asc())
        .select(WorkOrderRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, row: &NewWorkOrderRow) -> QueryResult<i64> {
    diesel::insert_into(work_orders::table)
        .values(row)
        .returning(work_orders::id)
        .get_result(conn)
}

/// Applies `changes` only if the order still has `lock_version`, and bumps it. Returns whether
/// it did: `false` means someone else changed the order first.
pub fn update_checked(
    conn: &mut DbConnection,
    id: i64,
    lock_version: i32,
    changes: &WorkOrderChanges,
) -> QueryResult<bool> {
    let n = diesel::update(
        work_orders::table
            .filter(work_orders::id.eq(id))
            .filter(work_orders::lock_version.eq(lock_version)),
    )
    .set((changes, work_orders::lock_version.eq(lock_version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Stores the rolled-up quantities (not a user edit: the lock version stays).
pub fn set_rollup(conn: &mut DbConnection, id: i64, good: f64, scrap: f64) -> QueryResult<()> {
    diesel::update(work_orders::table.find(id))
        .set((
            work_orders::qty_good.eq(good),
            work_orders::qty_scrap.eq(scrap),
        ))
        .execute(conn)
        .map(drop)
}

/// Deletes the order if it still has `lock_version`; `false` means it changed meanwhile.
pub fn delete_checked(conn: &mut DbConnection, id: i64, lock_version: i32) -> QueryResult<bool> {
    let n = diesel::delete(
        work_orders::table
            .filter(work_orders::id.eq(id))
            .filter(work_orders::lock_version.eq(lock_version)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

pub fn children_of(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<WorkOrderRow>> {
    work_orders::table
        .filter(work_orders::parent_id.eq(id))
        .order(work_orders::id.asc())
        .select(WorkOrderRow::as_select())
        .load(conn)
}

/// Numbers starting with `prefix` (split children `WO-000042-1`, `-2`, …).
pub fn numbers_like(conn: &mut DbConnection, prefix: &str) -> QueryResult<Vec<String>> {
    let mut pattern = String::new();
    for ch in prefix.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    work_orders::table
        .filter(work_orders::number.like(pattern).escape('\\'))
        .select(work_orders::number)
        .load(conn)
}

// ---- Dependencies ----

pub fn predecessors_of(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<WorkOrderRow>> {
    work_orders::table
        .filter(
            work_orders::id.eq_any(
                work_order_dependencies::table
                    .filter(work_order_dependencies::work_order_id.eq(id))
                    .select(work_order_dependencies::predecessor_id),
            ),
        )
        .order(work_orders::number.asc())
        .select(WorkOrderRow::as_select())
        .load(conn)
}

pub fn successor_ids_of(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
    work_order_dependencies::table
        .filter(work_order_dependencies::predecessor_id.eq(id))
        .select(work_order_dependencies::work_order_id)
        .load(conn)
}

/// Predecessors of several orders at once: (order, predecessor) pairs.
pub fn predecessor_edges(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    work_order_dependencies::table
        .filter(work_order_dependencies::work_order_id.eq_any(ids))
        .select((
            work_order_dependencies::work_order_id,
            work_order_dependencies::predecessor_id,
        ))
        .load(conn)
}

pub fn set_predecessors(conn: &mut DbConnection, id: i64, predecessors: &[i64]) -> QueryResult<()> {
    diesel::delete(
        work_order_dependencies::table.filter(work_order_dependencies::work_order_id.eq(id)),
    )
    .execute(conn)?;
    for p in predecessors {
        add_dependency(conn, id, *p)?;
    }
    Ok(())
}

pub fn add_dependency(conn: &mut DbConnection, id: i64, predecessor: i64) -> QueryResult<()> {
    diesel::insert_into(work_order_dependencies::table)
        .values((
            work_order_dependencies::work_order_id.eq(id),
            work_order_dependencies::predecessor_id.eq(predecessor),
        ))
        .execute(conn)
        .map(drop)
}

// ---- Operations and materials ----

pub fn operations_of(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<OperationRow>> {
    work_order_operations::table
        .filter(work_order_operations::work_order_id.eq(id))
        .order(work_order_operations::seq.asc())
        .select(OperationRow::as_select())
        .load(conn)
}

/// The progress-relevant quantities of several orders' operations, grouped by order, in `seq`
/// order.
pub fn operation_quantities_of(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<OperationQtyRow>>> {
    let rows: Vec<OperationQtyRow> = work_order_operations::table
        .filter(work_order_operations::work_order_id.eq_any(ids))
        .order((
            work_order_operations::work_order_id.asc(),
            work_order_operations::seq.asc(),
        ))
        .select(OperationQtyRow::as_select())
        .load(conn)?;
    let mut map: HashMap<i64, Vec<OperationQtyRow>> = HashMap::new();
    for row in rows {
        map.entry(row.work_order_id).or_default().push(row);
    }
    Ok(map)
}

pub fn insert_operation(conn: &mut DbConnection, row: &NewOperationRow) -> QueryResult<i64> {
    diesel::insert_into(work_order_operations::table)
        .values(row)
        .returning(work_order_operations::id)
        .get_result(conn)
}

pub fn insert_operation_machines(
    conn: &mut DbConnection,
    rows: &[OperationMachineRow],
) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    crate::on_backend!(conn, |c| diesel::insert_into(
        work_order_operation_machines::table
    )
    .values(rows)
    .execute(c))
    .map(drop)
}

/// Eligible machines of order operations: (operation id, machine id, machine code, run time).
pub fn operation_machines_of(
    conn: &mut DbConnection,
    operation_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, String, f64)>> {
    work_order_operation_machines::table
        .inner_join(machines::table)
        .filter(work_order_operation_machines::operation_id.eq_any(operation_ids))
        .order((
            work_order_operation_machines::operation_id.asc(),
            machines::code.asc(),
        ))
        .select((
            work_order_operation_machines::operation_id,
            work_order_operation_machines::machine_id,
            machines::code,
            work_order_operation_machines::run_minutes_per_unit,
        ))
        .load(conn)
}

/// Sets what an operation has done: for the demo plant and tests until station reporting
/// records it. Progress is rolled up by the caller.
#[allow(clippy::too_many_arguments)]
pub fn set_operation_quantities(
    conn: &mut DbConnection,
    operation_id: i64,
    status: &str,
    good: f64,
    scrap: f64,
    rework: f64,
    started_at: Option<NaiveDateTime>,
    completed_at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    diesel::update(work_order_operations::table.find(operation_id))
        .set((
            work_order_operations::status.eq(status),
            work_order_operations::qty_good.eq(good),
            work_order_operations::qty_scrap.eq(scrap),
            work_order_operations::qty_rework.eq(rework),
            work_order_operations::started_at.eq(started_at),
            work_order_operations::completed_at.eq(completed_at),
            work_order_operations::lock_version.eq(work_order_operations::lock_version + 1),
        ))
        .execute(conn)
}

/// Materials of an order with their product (code, name, unit), by position.
pub fn materials_of(
    conn: &mut DbConnection,
    id: i64,
) -> QueryResult<Vec<(MaterialRow, String, String, String)>> {
    work_order_materials::table
        .inner_join(products::table)
        .filter(work_order_materials::work_order_id.eq(id))
        .order((
            work_order_materials::position.asc(),
            work_order_materials::id.asc(),
        ))
        .select((
            MaterialRow::as_select(),
            products::code,
            products::name,
            products::unit,
        ))
        .load(conn)
}

pub fn insert_materials(conn: &mut DbConnection, rows: &[NewMaterialRow]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    crate::on_backend!(conn, |c| diesel::insert_into(work_order_materials::table)
        .values(rows)
        .execute(c))
    .map(drop)
}

/// Scales the required quantities of an order's materials by `new / old` (after a split):
/// multiplied first, so whole quantities stay whole.
pub fn scale_materials(conn: &mut DbConnection, id: i64, new: f64, old: f64) -> QueryResult<usize> {
    diesel::update(work_order_materials::table.filter(work_order_materials::work_order_id.eq(id)))
        .set(
            work_order_materials::quantity_required
                .eq(work_order_materials::quantity_required * new / old),
        )
        .execute(conn)
}

// ---- Timeline ----

pub fn insert_event(conn: &mut DbConnection, row: &NewEventRow) -> QueryResult<()> {
    diesel::insert_into(work_order_events::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Newest first.
pub fn events_of(conn: &mut DbConnection, id: i64, limit: i64) -> QueryResult<Vec<EventRow>> {
    work_order_events::table
        .filter(work_order_events::work_order_id.eq(id))
        .order((work_order_events::at.desc(), work_order_events::id.desc()))
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
}

// ---- The list ----

#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Any of these statuses (all when empty).
    pub statuses: Vec<WorkOrderStatus>,
    pub product_id: Option<i64>,
    /// Part of the number, customer, sales order, or the product's code or name.
    pub search: Option<String>,
    /// Due at or after.
    pub due_from: Option<NaiveDateTime>,
    /// Due before.
    pub due_to: Option<NaiveDateTime>,
    /// `Some(true)`: open and due before `now`; `Some(false)`: anything else.
    pub late: Option<bool>,
    pub now: NaiveDateTime,
}

impl ListFilter {
    /// A canonical text of the filter (without `now`), to tell whether a cursor's count applies.
    pub fn canonical(&self) -> String {
        let statuses: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
        format!(
            "s={};p={:?};q={:?};f={:?};t={:?};l={:?}",
            statuses.join(","),
            self.product_id,
            self.search
                .as_deref()
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty()),
            self.due_from,
            self.due_to,
            self.late
        )
    }
}

const OPEN: [&str; 3] = ["released", "in_progress", "on_hold"];

type Condition = Box<dyn BoxableExpression<work_orders::table, MultiBackend, SqlType = Bool>>;

/// `(columns) > (values)` (or `<` going down): the rows strictly after the cursor, written as a
/// row-value comparison so both databases seek straight to it in the matching index.
fn after_keyset(sort: WorkOrderSort, dir: SortDir, k: &Keyset) -> Option<Condition> {
    let op = match dir {
        SortDir::Asc => ">",
        SortDir::Desc => "<",
    };
    let condition: Condition = match (sort, &k.value, k.due_at) {
        (WorkOrderSort::DueAt, SortValue::Time(t), _) => Box::new(
            sql::<Bool>(&format!("(work_orders.due_at, work_orders.id) {op} ("))
                .bind::<Timestamp, _>(*t)
                .sql(", ")
                .bind::<BigInt, _>(k.id)
                .sql(")"),
        ),
        (WorkOrderSort::CreatedAt, SortValue::Time(t), _) => Box::new(
            sql::<Bool>(&format!("(work_orders.created_at, work_orders.id) {op} ("))
                .bind::<Timestamp, _>(*t)
                .sql(", ")
                .bind::<BigInt, _>(k.id)
                .sql(")"),
        ),
        (WorkOrderSort::Number, SortValue::Text(n), _) => {
            Box::new(sql::<Bool>(&format!("work_orders.number {op} ")).bind::<Text, _>(n.clone()))
        }
        (WorkOrderSort::Priority, SortValue::Int(p), Some(due)) => Box::new(
            sql::<Bool>(&format!(
                "(work_orders.priority, work_orders.due_at, work_orders.id) {op} ("
            ))
            .bind::<Integer, _>(*p)
            .sql(", ")
            .bind::<Timestamp, _>(due)
            .sql(", ")
            .bind::<BigInt, _>(k.id)
            .sql(")"),
        ),
        (WorkOrderSort::Status, SortValue::Text(s), Some(due)) => Box::new(
            sql::<Bool>(&format!(
                "(work_orders.status, work_orders.due_at, work_orders.id) {op} ("
            ))
            .bind::<Text, _>(s.clone())
            .sql(", ")
            .bind::<Timestamp, _>(due)
            .sql(", ")
            .bind::<BigInt, _>(k.id)
            .sql(")"),
        ),
        (WorkOrderSort::Quantity, SortValue::Float(q), _) => Box::new(
            sql::<Bool>(&format!("(work_orders.quantity, work_orders.id) {op} ("))
                .bind::<Double, _>(*q)
                .sql(", ")
                .bind::<BigInt, _>(k.id)
                .sql(")"),
        ),
        _ => return None,
    };
    Some(condition)
}

fn backend_of(conn: &DbConnection) -> BackendKind {
    match conn {
        DbConnection::Sqlite(_) => BackendKind::Sqlite,
        DbConnection::Pg(_) => BackendKind::Postgres,
    }
}

fn filtered(
    filter: &ListFilter,
    backend: BackendKind,
) -> work_orders::BoxedQuery<'static, MultiBackend> {
    let mut query = work_orders::table.into_boxed();
    match filter.statuses.as_slice() {
        [] => {}
        // `= 'x'`, not `= ANY('{x}')`: PostgreSQL reads an index in order only for the former.
        [one] => query = query.filter(work_orders::status.eq(one.as_str())),
        many => {
            let statuses: Vec<&'static str> = many.iter().map(|s| s.as_str()).collect();
            query = query.filter(work_orders::status.eq_any(statuses));
        }
    }
    if let Some(product_id) = filter.product_id {
        query = query.filter(work_orders::product_id.eq(product_id));
    }
    if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let pattern = contains_pattern(search);
        let products_matching = products::table
            .filter(
                lower(products::code)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(products::name).like(pattern.clone()).escape('\\')),
            )
            .select(products::id);
        query = match backend {
            // lower() on every row is most of a search's cost on SQLite, and buys nothing there:
            // SQLite's LIKE already ignores ASCII case, and its lower() folds only ASCII.
            BackendKind::Sqlite => query.filter(
                work_orders::number
                    .like(pattern.clone())
                    .escape('\\')
                    .or(work_orders::customer.like(pattern.clone()).escape('\\'))
                    .or(work_orders::sales_order.like(pattern).escape('\\'))
                    .or(work_orders::product_id.eq_any(products_matching)),
            ),
            BackendKind::Postgres => query.filter(
                lower(work_orders::number)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(work_orders::customer)
                        .like(pattern.clone())
                        .escape('\\'))
                    .or(lower(work_orders::sales_order).like(pattern).escape('\\'))
                    .or(work_orders::product_id.eq_any(products_matching)),
            ),
        };
    }
    if let Some(from) = filter.due_from {
        query = query.filter(work_orders::due_at.ge(from));
    }
    if let Some(to) = filter.due_to {
        query = query.filter(work_orders::due_at.lt(to));
    }
    match filter.late {
        Some(true) => {
            query = query
                .filter(work_orders::status.eq_any(OPEN))
                .filter(work_orders::due_at.lt(filter.now));
        }
        Some(false) => {
            query = query.filter(
                work_orders::status
                    .ne_all(OPEN)
                    .or(work_orders::due_at.ge(filter.now)),
            );
        }
        None => {}
    }
    query
}

pub fn count(conn: &mut DbConnection, filter: &ListFilter) -> QueryResult<i64> {
    filtered(filter, backend_of(conn)).count().get_result(conn)
}

/// Applies the sort's full order (ties broken as described in [`super::cursor`]).
fn ordered(
    query: work_orders::BoxedQuery<'static, MultiBackend>,
    sort: WorkOrderSort,
    dir: SortDir,
) -> work_orders::BoxedQuery<'static, MultiBackend> {
    use work_orders::dsl as w;
    match (sort, dir) {
        (WorkOrderSort::DueAt, SortDir::Asc) => query.order((w::due_at.asc(), w::id.asc())),
        (WorkOrderSort::DueAt, SortDir::Desc) => query.order((w::due_at.desc(), w::id.desc())),
        (WorkOrderSort::Number, SortDir::Asc) => query.order(w::number.asc()),
        (WorkOrderSort::Number, SortDir::Desc) => query.order(w::number.desc()),
        (WorkOrderSort::Priority, SortDir::Asc) => {
            query.order((w::priority.asc(), w::due_at.asc(), w::id.asc()))
        }
        (WorkOrderSort::Priority, SortDir::Desc) => {
            query.order((w::priority.desc(), w::due_at.desc(), w::id.desc()))
        }
        (WorkOrderSort::CreatedAt, SortDir::Asc) => query.order((w::created_at.asc(), w::id.asc())),
        (WorkOrderSort::CreatedAt, SortDir::Desc) => {
            query.order((w::created_at.desc(), w::id.desc()))
        }
        (WorkOrderSort::Status, SortDir::Asc) => {
            query.order((w::status.asc(), w::due_at.asc(), w::id.asc()))
        }
        (WorkOrderSort::Status, SortDir::Desc) => {
            query.order((w::status.desc(), w::due_at.desc(), w::id.desc()))
        }
        (WorkOrderSort::Quantity, SortDir::Asc) => query.order((w::quantity.asc(), w::id.asc())),
        (WorkOrderSort::Quantity, SortDir::Desc) => query.order((w::quantity.desc(), w::id.desc())),
    }
}

/// The statuses a filter can match: its own list, narrowed to the open ones by `late=true`.
/// `None`: any status.
fn status_set(filter: &ListFilter) -> Option<Vec<WorkOrderStatus>> {
    let open = |s: &WorkOrderStatus| s.is_open();
    match (filter.statuses.is_empty(), filter.late) {
        (true, Some(true)) => Some(WorkOrderStatus::ALL.into_iter().filter(open).collect()),
        (true, _) => None,
        (false, Some(true)) => Some(filter.statuses.iter().copied().filter(open).collect()),
        (false, _) => Some(filter.statuses.clone()),
    }
}

/// One page in sort order, starting after `after`. `None` if `after` does not fit the sort.
///
/// A list narrowed to a few statuses (open orders, late orders) is read status by status, each
/// from its `(status, sort key…)` index, and the candidates are put in order by the database.
/// One query over all the statuses would walk the plain sort index and skip the rest: open
/// orders are the newest few percent, so sorted by due date, number or creation they sit at
/// the far end of a 100,000-row index, and PostgreSQL, which assumes no such correlation,
/// plans that walk (50 ms instead of 1).
pub fn list(
    conn: &mut DbConnection,
    filter: &ListFilter,
    sort: WorkOrderSort,
    dir: SortDir,
    after: Option<&Keyset>,
    fetch: i64,
) -> QueryResult<Option<Vec<WorkOrderRow>>> {
    let backend = backend_of(conn);
    if after.is_some_and(|k| after_keyset(sort, dir, k).is_none()) {
        return Ok(None);
    }
    // Rows strictly after the cursor (a boxed condition is used up by its query: one each).
    let page_of = |filter: &ListFilter| {
        let mut query = filtered(filter, backend);
        if let Some(condition) = after.and_then(|k| after_keyset(sort, dir, k)) {
            query = query.filter(condition);
        }
        ordered(query, sort, dir).limit(fetch)
    };
    let statuses = match status_set(filter) {
        Some(s) if s.is_empty() => return Ok(Some(Vec::new())),
        Some(s) if s.len() > 1 => s,
        _ => {
            return page_of(filter)
                .select(WorkOrderRow::as_select())
                .load(conn)
                .map(Some);
        }
    };
    let mut candidates: Vec<i64> = Vec::new();
    for status in statuses {
        let one = ListFilter {
            statuses: vec![status],
            ..filter.clone()
        };
        let ids: Vec<i64> = page_of(&one).select(work_orders::id).load(conn)?;
        candidates.extend(ids);
    }
    if candidates.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let query = work_orders::table
        .filter(work_orders::id.eq_any(candidates))
        .into_boxed();
    ordered(query, sort, dir)
        .limit(fetch)
        .select(WorkOrderRow::as_select())
        .load(conn)
        .map(Some)
}
