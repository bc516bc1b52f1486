//! Database access of the scheduling domain.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::*;
use crate::db::{
    DbConnection,
    schema::{
        machines, products, schedule_moves, schedule_pins, schedule_planned_operations,
        schedule_planned_orders, schedule_plans, schedule_settings, work_centers,
        work_order_dependencies, work_order_operation_machines, work_order_operations, work_orders,
    },
};

/// Work-order statuses the scheduler plans (on hold waits, so it is left out).
pub const PLANNED_ORDER_STATUSES: &[&str] = &["released", "in_progress"];
/// Operation statuses still to run.
pub const OPEN_OPERATION_STATUSES: &[&str] = &["pending", "in_progress", "paused"];

pub fn settings(conn: &mut DbConnection) -> QueryResult<SettingsRow> {
    schedule_settings::table
        .find(1_i64)
        .select(SettingsRow::as_select())
        .first(conn)
}

pub fn update_settings(
    conn: &mut DbConnection,
    s: &SettingsRow,
    expected_lock_version: i32,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        schedule_settings::table
            .find(1_i64)
            .filter(schedule_settings::lock_version.eq(expected_lock_version)),
    )
    .set((
        schedule_settings::auto_replan.eq(s.auto_replan),
        schedule_settings::frozen_horizon_minutes.eq(s.frozen_horizon_minutes),
        schedule_settings::default_time_limit_ms.eq(s.default_time_limit_ms),
        schedule_settings::horizon_days.eq(s.horizon_days),
        schedule_settings::down_estimate_minutes.eq(s.down_estimate_minutes),
        schedule_settings::lock_version.eq(expected_lock_version + 1),
        schedule_settings::updated_at.eq(at),
    ))
    .execute(conn)
}

// ---- Plans ----

pub fn find_plan(conn: &mut DbConnection, id: i64) -> QueryResult<Option<PlanRow>> {
    schedule_plans::table
        .find(id)
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

pub fn published_plan(conn: &mut DbConnection) -> QueryResult<Option<PlanRow>> {
    schedule_plans::table
        .filter(schedule_plans::status.eq("published"))
        .order(schedule_plans::id.desc())
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

pub fn running_plan(conn: &mut DbConnection) -> QueryResult<Option<PlanRow>> {
    schedule_plans::table
        .filter(schedule_plans::status.eq("running"))
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

/// Newest first; `before`: plan ids below it (keyset paging).
pub fn list_plans(
    conn: &mut DbConnection,
    status: Option<&str>,
    before: Option<i64>,
    fetch: i64,
) -> QueryResult<Vec<PlanRow>> {
    let mut q = schedule_plans::table.into_boxed();
    if let Some(s) = status {
        q = q.filter(schedule_plans::status.eq(s.to_owned()));
    }
    if let Some(b) = before {
        q = q.filter(schedule_plans::id.lt(b));
    }
    q.order(schedule_plans::id.desc())
        .limit(fetch)
        .select(PlanRow::as_select())
        .load(conn)
}

pub fn next_version(conn: &mut DbConnection) -> QueryResult<i32> {
    let max: Option<i32> = schedule_plans::table
        .select(diesel::dsl::max(schedule_plans::version))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn insert_plan(conn: &mut DbConnection, row: &NewPlanRow) -> QueryResult<i64> {
    diesel::insert_into(schedule_plans::table)
        .values(row)
        .returning(schedule_plans::id)
        .get_result(conn)
}

/// Stores a finished run's KPIs and status.
#[allow(clippy::too_many_arguments)]
pub fn finish_plan(
    conn: &mut DbConnection,
    id: i64,
    status: &str,
    at: NaiveDateTime,
    late_orders: i32,
    tardiness: i64,
    makespan_end: Option<NaiveDateTime>,
    moved: i32,
    iterations: i64,
) -> QueryResult<usize> {
    diesel::update(schedule_plans::table.find(id))
        .set((
            schedule_plans::status.eq(status),
            schedule_plans::finished_at.eq(Some(at)),
            schedule_plans::late_orders.eq(Some(late_orders)),
            schedule_plans::total_weighted_tardiness_minutes.eq(Some(tardiness)),
            schedule_plans::makespan_end.eq(makespan_end),
            schedule_plans::moved_operations.eq(Some(moved)),
            schedule_plans::solver_iterations.eq(Some(iterations)),
        ))
        .execute(conn)
}

pub fn fail_plan(
    conn: &mut DbConnection,
    id: i64,
    status: &str,
    at: NaiveDateTime,
    error: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(
        schedule_plans::table
            .find(id)
            .filter(schedule_plans::status.eq("running")),
    )
    .set((
        schedule_plans::status.eq(status),
        schedule_plans::finished_at.eq(Some(at)),
        schedule_plans::error.eq(error),
    ))
    .execute(conn)
}

/// Runs a server stop left behind: they will never finish.
pub fn fail_abandoned_runs(conn: &mut DbConnection, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(schedule_plans::table.filter(schedule_plans::status.eq("running")))
        .set((
            schedule_plans::status.eq("failed"),
            schedule_plans::finished_at.eq(Some(at)),
            schedule_plans::error.eq(Some("the server stopped during the run")),
        ))
        .execute(conn)
}

pub fn set_plan_status(
    conn: &mut DbConnection,
    id: i64,
    from: &str,
    to: &str,
) -> QueryResult<usize> {
    diesel::update(
        schedule_plans::table
            .find(id)
            .filter(schedule_plans::status.eq(from)),
    )
    .set(schedule_plans::status.eq(to))
    .execute(conn)
}

pub fn mark_published(
    conn: &mut DbConnection,
    id: i64,
    at: NaiveDateTime,
    by: Option<i64>,
) -> QueryResult<usize> {
    diesel::update(
        schedule_plans::table
            .find(id)
            .filter(schedule_plans::status.eq("proposed")),
    )
    .set((
        schedule_plans::status.eq("published"),
        schedule_plans::published_at.eq(Some(at)),
        schedule_plans::published_by.eq(by),
    ))
    .execute(conn)
}

pub fn insert_planned_ops(conn: &mut DbConnection, rows: &[PlannedOpRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::on_backend!(conn, |c| diesel::insert_into(
            schedule_planned_operations::table
        )
        .values(chunk)
        .execute(c))?;
    }
    Ok(())
}

pub fn insert_planned_orders(conn: &mut DbConnection, rows: &[PlannedOrderRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::on_backend!(conn, |c| diesel::insert_into(
            schedule_planned_orders::table
        )
        .values(chunk)
        .execute(c))?;
    }
    Ok(())
}

pub fn insert_moves(conn: &mut DbConnection, rows: &[MoveRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::on_backend!(conn, |c| diesel::insert_into(schedule_moves::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

pub fn planned_ops(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<PlannedOpRow>> {
    schedule_planned_operations::table
        .filter(schedule_planned_operations::plan_id.eq(plan_id))
        .select(PlannedOpRow::as_select())
        .load(conn)
}

/// A plan's operations with order and machine, by machine then start; optionally only those
/// overlapping `[from, to)` and only one machine's.
pub fn planned_op_views(
    conn: &mut DbConnection,
    plan_id: i64,
    machine_id: Option<i64>,
    range: Option<(NaiveDateTime, NaiveDateTime)>,
) -> QueryResult<Vec<PlannedOpView>> {
    let mut q = schedule_planned_operations::table
        .inner_join(work_order_operations::table.inner_join(work_orders::table))
        .inner_join(machines::table)
        .filter(schedule_planned_operations::plan_id.eq(plan_id))
        .into_boxed();
    if let Some(m) = machine_id {
        q = q.filter(schedule_planned_operations::machine_id.eq(m));
    }
    if let Some((from, to)) = range {
        q = q
            .filter(schedule_planned_operations::end_at.gt(from))
            .filter(schedule_planned_operations::setup_start.lt(to));
    }
    q.order((
        machines::code.asc(),
        schedule_planned_operations::setup_start.asc(),
        schedule_planned_operations::id.asc(),
    ))
    .select((
        schedule_planned_operations::operation_id,
        schedule_planned_operations::machine_id,
        schedule_planned_operations::setup_start,
        schedule_planned_operations::run_start,
        schedule_planned_operations::end_at,
        schedule_planned_operations::late,
        schedule_planned_operations::frozen,
        work_order_operations::seq,
        work_order_operations::name,
        work_orders::id,
        work_orders::number,
        machines::code,
    ))
    .load(conn)
}

pub fn planned_orders(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<PlannedOrderRow>> {
    schedule_planned_orders::table
        .filter(schedule_planned_orders::plan_id.eq(plan_id))
        .select(PlannedOrderRow::as_select())
        .load(conn)
}

/// Moves of a plan with the order number and step: (move, number, seq).
pub fn moves(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<(MoveRow, String, i32)>> {
    schedule_moves::table
        .inner_join(work_order_operations::table.inner_join(work_orders::table))
        .filter(schedule_moves::plan_id.eq(plan_id))
        .order(schedule_moves::id.asc())
        .select((
            MoveRow::as_select(),
            work_orders::number,
            work_order_operations::seq,
        ))
        .load(conn)
}

/// Copies the published plan onto the orders' operations (what the order screens show).
pub fn set_operation_plan(
    conn: &mut DbConnection,
    operation_id: i64,
    machine_id: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(work_order_operations::table.find(operation_id))
        .set((
            work_order_operations::planned_machine_id.eq(Some(machine_id)),
            work_order_operations::planned_start.eq(Some(start)),
            work_order_operations::planned_end.eq(Some(end)),
        ))
        .execute(conn)
}

// ---- What the model is built from ----

/// A machine as the model needs it: (id, code, work centre, calendar of its own, status).
pub type MachineFacts = (i64, String, i64, Option<i64>, String);
/// An operation with its order: (order id, number, seq, status, order status).
pub type OperationFacts = (i64, String, i32, String, String);

/// Active machines.
pub fn active_machines(conn: &mut DbConnection) -> QueryResult<Vec<MachineFacts>> {
    machines::table
        .filter(machines::active.eq(true))
        .order(machines::id.asc())
        .select((
            machines::id,
            machines::code,
            machines::work_center_id,
            machines::calendar_id,
            machines::status,
        ))
        .load(conn)
}

/// A work centre: (id, code, name, calendar).
pub type WorkCenterFacts = (i64, String, String, Option<i64>);

/// Work centres.
pub fn work_centers(conn: &mut DbConnection) -> QueryResult<Vec<WorkCenterFacts>> {
    work_centers::table
        .order(work_centers::code.asc())
        .select((
            work_centers::id,
            work_centers::code,
            work_centers::name,
            work_centers::calendar_id,
        ))
        .load(conn)
}

#[derive(Debug, Clone, Queryable)]
pub struct OpenOrderRow {
    pub id: i64,
    pub number: String,
    pub product_code: String,
    pub quantity: f64,
    pub due_at: NaiveDateTime,
    pub release_at: Option<NaiveDateTime>,
    pub priority: i32,
    pub status: String,
}

pub fn open_orders(conn: &mut DbConnection) -> QueryResult<Vec<OpenOrderRow>> {
    work_orders::table
        .inner_join(products::table)
        .filter(work_orders::status.eq_any(PLANNED_ORDER_STATUSES.to_vec()))
        .order((work_orders::due_at.asc(), work_orders::id.asc()))
        .select((
            work_orders::id,
            work_orders::number,
            products::code,
            work_orders::quantity,
            work_orders::due_at,
            work_orders::release_at,
            work_orders::priority,
            work_orders::status,
        ))
        .load(conn)
}

#[derive(Debug, Clone, Queryable)]
pub struct OpenOperationRow {
    pub id: i64,
    pub work_order_id: i64,
    pub seq: i32,
    pub work_center_id: i64,
    pub setup_minutes: f64,
    pub run_minutes_per_unit: f64,
    pub queue_minutes: f64,
    pub transfer_minutes: f64,
    pub status: String,
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub started_at: Option<NaiveDateTime>,
    /// Where it runs once started (the published plan's machine, else its first eligible one).
    pub planned_machine_id: Option<i64>,
}

/// Open operations of open orders, by order then sequence.
pub fn open_operations(conn: &mut DbConnection) -> QueryResult<Vec<OpenOperationRow>> {
    work_order_operations::table
        .inner_join(work_orders::table)
        .filter(work_orders::status.eq_any(PLANNED_ORDER_STATUSES.to_vec()))
        .filter(work_order_operations::status.eq_any(OPEN_OPERATION_STATUSES.to_vec()))
        .order((
            work_order_operations::work_order_id.asc(),
            work_order_operations::seq.asc(),
        ))
        .select((
            work_order_operations::id,
            work_order_operations::work_order_id,
            work_order_operations::seq,
            work_order_operations::work_center_id,
            work_order_operations::setup_minutes,
            work_order_operations::run_minutes_per_unit,
            work_order_operations::queue_minutes,
            work_order_operations::transfer_minutes,
            work_order_operations::status,
            work_order_operations::qty_good,
            work_order_operations::qty_scrap,
            work_order_operations::started_at,
            work_order_operations::planned_machine_id,
        ))
        .load(conn)
}

/// Eligible machines of open operations of open orders: (operation, machine, run per unit).
pub fn open_operation_machines(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64, f64)>> {
    work_order_operation_machines::table
        .inner_join(work_order_operations::table.inner_join(work_orders::table))
        .filter(work_orders::status.eq_any(PLANNED_ORDER_STATUSES.to_vec()))
        .filter(work_order_operations::status.eq_any(OPEN_OPERATION_STATUSES.to_vec()))
        .select((
            work_order_operation_machines::operation_id,
            work_order_operation_machines::machine_id,
            work_order_operation_machines::run_minutes_per_unit,
        ))
        .load(conn)
}

/// (order, predecessor) pairs between open orders.
pub fn open_dependencies(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64)>> {
    work_order_dependencies::table
        .inner_join(
            work_orders::table.on(work_orders::id.eq(work_order_dependencies::work_order_id)),
        )
        .filter(work_orders::status.eq_any(PLANNED_ORDER_STATUSES.to_vec()))
        .select((
            work_order_dependencies::work_order_id,
            work_order_dependencies::predecessor_id,
        ))
        .load(conn)
}

// ---- Pins ----

pub fn pins(conn: &mut DbConnection) -> QueryResult<Vec<PinRow>> {
    schedule_pins::table
        .order(schedule_pins::id.asc())
        .select(PinRow::as_select())
        .load(conn)
}

pub fn find_pin(conn: &mut DbConnection, id: i64) -> QueryResult<Option<PinRow>> {
    schedule_pins::table
        .find(id)
        .select(PinRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete_pin_of_operation(conn: &mut DbConnection, operation_id: i64) -> QueryResult<usize> {
    diesel::delete(schedule_pins::table.filter(schedule_pins::operation_id.eq(operation_id)))
        .execute(conn)
}

pub fn insert_pin(conn: &mut DbConnection, row: &NewPinRow) -> QueryResult<i64> {
    diesel::insert_into(schedule_pins::table)
        .values(row)
        .returning(schedule_pins::id)
        .get_result(conn)
}

pub fn delete_pin(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(schedule_pins::table.find(id)).execute(conn)
}

/// An operation with its order.
pub fn operation_info(
    conn: &mut DbConnection,
    operation_id: i64,
) -> QueryResult<Option<OperationFacts>> {
    work_order_operations::table
        .inner_join(work_orders::table)
        .filter(work_order_operations::id.eq(operation_id))
        .select((
            work_orders::id,
            work_orders::number,
            work_order_operations::seq,
            work_order_operations::status,
            work_orders::status,
        ))
        .first(conn)
        .optional()
}

/// Machines an operation may run on: its own list, else its work centre's active machines.
pub fn eligible_machines(conn: &mut DbConnection, operation_id: i64) -> QueryResult<Vec<i64>> {
    let own: Vec<i64> = work_order_operation_machines::table
        .filter(work_order_operation_machines::operation_id.eq(operation_id))
        .select(work_order_operation_machines::machine_id)
        .load(conn)?;
    if !own.is_empty() {
        return Ok(own);
    }
    let wc: Option<i64> = work_order_operations::table
        .find(operation_id)
        .select(work_order_operations::work_center_id)
        .first(conn)
        .optional()?;
    match wc {
        Some(wc) => machines::table
            .filter(machines::work_center_id.eq(wc))
            .filter(machines::active.eq(true))
            .select(machines::id)
            .load(conn),
        None => Ok(Vec::new()),
    }
}

// ---- Dispatch ----

#[derive(Debug, Clone, Queryable)]
pub struct DispatchRow {
    pub operation_id: i64,
    pub work_order_id: i64,
    pub number: String,
    pub order_status: String,
    pub product_code: String,
    pub product_name: String,
    pub seq: i32,
    pub name: String,
    pub status: String,
    pub quantity: f64,
    pub qty_good: f64,
    pub priority: i32,
    pub due_at: NaiveDateTime,
    pub work_center_id: i64,
}

/// Open operations of orders on the floor (released, in progress) that `machine_id` may run:
/// listed for it, or of its work centre without a machine list of their own.
pub fn dispatchable_operations(
    conn: &mut DbConnection,
    machine_id: i64,
    work_center_id: i64,
) -> QueryResult<Vec<DispatchRow>> {
    let listed = work_order_operation_machines::table
        .filter(work_order_operation_machines::machine_id.eq(machine_id))
        .select(work_order_operation_machines::operation_id);
    let with_list = work_order_operation_machines::table
        .select(work_order_operation_machines::operation_id)
        .distinct();
    work_order_operations::table
        .inner_join(work_orders::table.inner_join(products::table))
        .filter(work_orders::status.eq_any(PLANNED_ORDER_STATUSES.to_vec()))
        .filter(work_order_operations::status.eq_any(OPEN_OPERATION_STATUSES.to_vec()))
        .filter(
            work_order_operations::id
                .eq_any(listed)
                .or(work_order_operations::work_center_id
                    .eq(work_center_id)
                    .and(work_order_operations::id.ne_all(with_list))),
        )
        .order((
            work_orders::priority.asc(),
            work_orders::due_at.asc(),
            work_orders::id.asc(),
            work_order_operations::seq.asc(),
        ))
        .select((
            work_order_operations::id,
            work_orders::id,
            work_orders::number,
            work_orders::status,
            products::code,
            products::name,
            work_order_operations::seq,
            work_order_operations::name,
            work_order_operations::status,
            work_orders::quantity,
            work_order_operations::qty_good,
            work_orders::priority,
            work_orders::due_at,
            work_order_operations::work_center_id,
        ))
        .load(conn)
}

/// The same rows for given operations (the published plan's sequence on a machine).
pub fn dispatch_rows_of(
    conn: &mut DbConnection,
    operation_ids: &[i64],
) -> QueryResult<Vec<DispatchRow>> {
    work_order_operations::table
        .inner_join(work_orders::table.inner_join(products::table))
        .filter(work_order_operations::id.eq_any(operation_ids))
        .filter(work_orders::status.eq_any(PLANNED_ORDER_STATUSES.to_vec()))
        .filter(work_order_operations::status.eq_any(OPEN_OPERATION_STATUSES.to_vec()))
        .select((
            work_order_operations::id,
            work_orders::id,
            work_orders::number,
            work_orders::status,
            products::code,
            products::name,
            work_order_operations::seq,
            work_order_operations::name,
            work_order_operations::status,
            work_orders::quantity,
            work_order_operations::qty_good,
            work_orders::priority,
            work_orders::due_at,
            work_order_operations::work_center_id,
        ))
        .load(conn)
}
