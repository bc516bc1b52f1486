//! diesel queries of station reporting: stations and their sessions, phases, labour, reports.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::*;
use crate::db::{
    DbConnection,
    schema::{
        defect_reasons, downtime_reasons, labour_entries, machines, operation_phases,
        production_report_defects, production_reports, station_operators, station_sessions,
        stations, work_order_operation_machines, work_order_operations, work_orders,
    },
};

// ---- Stations and sessions ----

pub fn station_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<StationRow>> {
    stations::table
        .filter(stations::code.eq(code))
        .select(StationRow::as_select())
        .first(conn)
        .optional()
}

/// The station of the machine with this code (an active one first): tablets are addressed by
/// their machine (`/station/CNC-01`).
pub fn station_of_machine(
    conn: &mut DbConnection,
    machine_code: &str,
) -> QueryResult<Option<StationRow>> {
    stations::table
        .inner_join(machines::table.on(stations::machine_id.eq(machines::id.nullable())))
        .filter(machines::code.eq(machine_code))
        .order((stations::active.desc(), stations::id.asc()))
        .select(StationRow::as_select())
        .first(conn)
        .optional()
}

pub fn station(conn: &mut DbConnection, id: i64) -> QueryResult<Option<StationRow>> {
    stations::table
        .find(id)
        .select(StationRow::as_select())
        .first(conn)
        .optional()
}

/// The station's machine, or the active machines of its work centre, by code.
pub fn machines_of_station(
    conn: &mut DbConnection,
    station: &StationRow,
) -> QueryResult<Vec<MachineRow>> {
    let mut query = machines::table.into_boxed();
    query = match (station.machine_id, station.work_center_id) {
        (Some(m), _) => query.filter(machines::id.eq(m)),
        (None, Some(wc)) => query
            .filter(machines::work_center_id.eq(wc))
            .filter(machines::active.eq(true)),
        (None, None) => return Ok(Vec::new()),
    };
    query
        .order(machines::code.asc())
        .select(MachineRow::as_select())
        .load(conn)
}

pub fn machine(conn: &mut DbConnection, id: i64) -> QueryResult<Option<MachineRow>> {
    machines::table
        .find(id)
        .select(MachineRow::as_select())
        .first(conn)
        .optional()
}

pub fn machine_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<MachineRow>> {
    machines::table
        .filter(machines::code.eq(code))
        .select(MachineRow::as_select())
        .first(conn)
        .optional()
}

pub fn set_machine_status(
    conn: &mut DbConnection,
    id: i64,
    status: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(machines::table.find(id))
        .set((machines::status.eq(status), machines::updated_at.eq(at)))
        .execute(conn)
}

/// The live session of a token, with its station.
pub fn live_session_by_hash(
    conn: &mut DbConnection,
    hash: &str,
) -> QueryResult<Option<(i64, i64)>> {
    station_sessions::table
        .filter(station_sessions::token_hash.eq(hash))
        .filter(station_sessions::ended_at.is_null())
        .select((station_sessions::id, station_sessions::station_id))
        .first(conn)
        .optional()
}

pub fn insert_session(
    conn: &mut DbConnection,
    station_id: i64,
    hash: &str,
    at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(station_sessions::table)
        .values((
            station_sessions::station_id.eq(station_id),
            station_sessions::token_hash.eq(hash),
            station_sessions::started_at.eq(at),
        ))
        .returning(station_sessions::id)
        .get_result(conn)
}

pub fn end_session(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(station_sessions::table.find(id))
        .set(station_sessions::ended_at.eq(at))
        .execute(conn)
}

/// Open sign-ins (operator rows) of live sessions at a station: (row id, session id, user id,
/// signed in at), first signed in first.
pub fn signed_in_at_station(
    conn: &mut DbConnection,
    station_id: i64,
) -> QueryResult<Vec<(i64, i64, i64, NaiveDateTime)>> {
    station_operators::table
        .inner_join(station_sessions::table)
        .filter(station_sessions::station_id.eq(station_id))
        .filter(station_sessions::ended_at.is_null())
        .filter(station_operators::signed_out_at.is_null())
        .order((
            station_operators::signed_in_at.asc(),
            station_operators::id.asc(),
        ))
        .select((
            station_operators::id,
            station_operators::session_id,
            station_operators::user_id,
            station_operators::signed_in_at,
        ))
        .load(conn)
}

/// A user's open sign-ins anywhere: (row id, session id, station id).
pub fn open_sign_ins_of_user(
    conn: &mut DbConnection,
    user_id: i64,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    station_operators::table
        .inner_join(station_sessions::table)
        .filter(station_operators::user_id.eq(user_id))
        .filter(station_operators::signed_out_at.is_null())
        .select((
            station_operators::id,
            station_operators::session_id,
            station_sessions::station_id,
        ))
        .load(conn)
}

pub fn insert_sign_in(
    conn: &mut DbConnection,
    session_id: i64,
    user_id: i64,
    at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(station_operators::table)
        .values((
            station_operators::session_id.eq(session_id),
            station_operators::user_id.eq(user_id),
            station_operators::signed_in_at.eq(at),
        ))
        .returning(station_operators::id)
        .get_result(conn)
}

pub fn sign_out(conn: &mut DbConnection, row_id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(station_operators::table.find(row_id))
        .set(station_operators::signed_out_at.eq(at))
        .execute(conn)
}

pub fn open_sign_in_count(conn: &mut DbConnection, session_id: i64) -> QueryResult<i64> {
    station_operators::table
        .filter(station_operators::session_id.eq(session_id))
        .filter(station_operators::signed_out_at.is_null())
        .count()
        .get_result(conn)
}

pub fn session_token_hash(conn: &mut DbConnection, session_id: i64) -> QueryResult<String> {
    station_sessions::table
        .find(session_id)
        .select(station_sessions::token_hash)
        .first(conn)
}

// ---- Operations and phases ----

pub fn operation(conn: &mut DbConnection, id: i64) -> QueryResult<Option<OperationLite>> {
    work_order_operations::table
        .find(id)
        .select(OperationLite::as_select())
        .first(conn)
        .optional()
}

/// Machines an operation may run on (empty: any machine of its work centre).
pub fn eligible_machines(conn: &mut DbConnection, operation_id: i64) -> QueryResult<Vec<i64>> {
    work_order_operation_machines::table
        .filter(work_order_operation_machines::operation_id.eq(operation_id))
        .select(work_order_operation_machines::machine_id)
        .load(conn)
}

/// PostgreSQL: takes the order's row lock, so concurrent reports on it run one after another.
/// SQLite's `BEGIN IMMEDIATE` has serialised writers already.
pub fn lock_order(conn: &mut DbConnection, work_order_id: i64) -> QueryResult<()> {
    if let DbConnection::Pg(pg) = conn {
        work_orders::table
            .find(work_order_id)
            .select(work_orders::id)
            .for_update()
            .first::<i64>(pg)?;
    }
    Ok(())
}

pub fn current_phase(
    conn: &mut DbConnection,
    operation_id: i64,
) -> QueryResult<Option<(PhaseRow, String)>> {
    operation_phases::table
        .inner_join(machines::table)
        .filter(operation_phases::operation_id.eq(operation_id))
        .filter(operation_phases::ended_at.is_null())
        .select((PhaseRow::as_select(), machines::code))
        .first(conn)
        .optional()
}

/// Current phases of many operations, by operation.
pub fn current_phases(
    conn: &mut DbConnection,
    operation_ids: &[i64],
) -> QueryResult<Vec<(PhaseRow, String)>> {
    operation_phases::table
        .inner_join(machines::table)
        .filter(operation_phases::operation_id.eq_any(operation_ids))
        .filter(operation_phases::ended_at.is_null())
        .select((PhaseRow::as_select(), machines::code))
        .load(conn)
}

/// The kind of the operation's latest working phase (setup or run): where `resume` returns.
pub fn last_working_kind(
    conn: &mut DbConnection,
    operation_id: i64,
) -> QueryResult<Option<String>> {
    operation_phases::table
        .filter(operation_phases::operation_id.eq(operation_id))
        .filter(operation_phases::kind.ne("paused"))
        .order((
            operation_phases::started_at.desc(),
            operation_phases::id.desc(),
        ))
        .select(operation_phases::kind)
        .first(conn)
        .optional()
}

pub fn insert_phase(conn: &mut DbConnection, row: &NewPhaseRow) -> QueryResult<i64> {
    diesel::insert_into(operation_phases::table)
        .values(row)
        .returning(operation_phases::id)
        .get_result(conn)
}

pub fn end_phase(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(operation_phases::table.find(id))
        .set(operation_phases::ended_at.eq(at))
        .execute(conn)
}

/// Open working phases (setup, run) started at a station: (phase id, operation id, kind).
pub fn open_working_phases_at_station(
    conn: &mut DbConnection,
    station_id: i64,
) -> QueryResult<Vec<(i64, i64, String)>> {
    operation_phases::table
        .filter(operation_phases::station_id.eq(station_id))
        .filter(operation_phases::ended_at.is_null())
        .filter(operation_phases::kind.ne("paused"))
        .select((
            operation_phases::id,
            operation_phases::operation_id,
            operation_phases::kind,
        ))
        .load(conn)
}

/// Stations bound to a machine (directly, or through its work centre).
pub fn stations_of_machine(
    conn: &mut DbConnection,
    machine_id: i64,
    work_center_id: i64,
) -> QueryResult<Vec<i64>> {
    stations::table
        .filter(
            stations::machine_id
                .eq(machine_id)
                .or(stations::work_center_id.eq(work_center_id)),
        )
        .filter(stations::active.eq(true))
        .select(stations::id)
        .load(conn)
}

pub fn downtime_reason(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(bool, bool)>> {
    downtime_reasons::table
        .find(id)
        .select((downtime_reasons::planned, downtime_reasons::active))
        .first(conn)
        .optional()
}

/// Active defect reasons among `ids`.
pub fn active_defect_reasons(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    defect_reasons::table
        .filter(defect_reasons::id.eq_any(ids))
        .filter(defect_reasons::active.eq(true))
        .select(defect_reasons::id)
        .load(conn)
}

// ---- Labour ----

pub fn open_labour(
    conn: &mut DbConnection,
    user_id: i64,
    operation_id: i64,
    phase_id: i64,
    kind: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(labour_entries::table)
        .values((
            labour_entries::user_id.eq(user_id),
            labour_entries::operation_id.eq(operation_id),
            labour_entries::phase_id.eq(phase_id),
            labour_entries::kind.eq(kind),
            labour_entries::started_at.eq(at),
        ))
        .execute(conn)
}

pub fn close_labour_of_phase(
    conn: &mut DbConnection,
    phase_id: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        labour_entries::table
            .filter(labour_entries::phase_id.eq(phase_id))
            .filter(labour_entries::ended_at.is_null()),
    )
    .set(labour_entries::ended_at.eq(at))
    .execute(conn)
}

pub fn close_labour_of_user(
    conn: &mut DbConnection,
    user_id: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        labour_entries::table
            .filter(labour_entries::user_id.eq(user_id))
            .filter(labour_entries::ended_at.is_null()),
    )
    .set(labour_entries::ended_at.eq(at))
    .execute(conn)
}

// ---- Reports ----

pub fn insert_report(conn: &mut DbConnection, row: &NewReportRow) -> QueryResult<i64> {
    diesel::insert_into(production_reports::table)
        .values(row)
        .returning(production_reports::id)
        .get_result(conn)
}

pub fn insert_defect(
    conn: &mut DbConnection,
    report_id: i64,
    reason_id: i64,
    disposition: &str,
    quantity: f64,
) -> QueryResult<usize> {
    diesel::insert_into(production_report_defects::table)
        .values((
            production_report_defects::report_id.eq(report_id),
            production_report_defects::reason_id.eq(reason_id),
            production_report_defects::disposition.eq(disposition),
            production_report_defects::quantity.eq(quantity),
        ))
        .execute(conn)
}

/// Adds quantities in SQL (`qty = qty + x`): two tablets reporting at once both count.
pub fn add_quantities(
    conn: &mut DbConnection,
    operation_id: i64,
    good: f64,
    scrap: f64,
    rework: f64,
) -> QueryResult<usize> {
    use work_order_operations as o;
    diesel::update(o::table.find(operation_id))
        .set((
            o::qty_good.eq(o::qty_good + good),
            o::qty_scrap.eq(o::qty_scrap + scrap),
            o::qty_rework.eq(o::qty_rework + rework),
            o::lock_version.eq(o::lock_version + 1),
        ))
        .execute(conn)
}

pub fn set_operation_status(
    conn: &mut DbConnection,
    operation_id: i64,
    status: &str,
    started_at: Option<NaiveDateTime>,
    completed_at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    use work_order_operations as o;
    diesel::update(o::table.find(operation_id))
        .set((
            o::status.eq(status),
            o::started_at.eq(started_at),
            o::completed_at.eq(completed_at),
            o::lock_version.eq(o::lock_version + 1),
        ))
        .execute(conn)
}
