use std::collections::HashMap;

use diesel::prelude::*;

use super::models::{
    BreakRow, CalendarRow, DefectReasonRow, DefectReasonValues, DowntimeReasonRow,
    DowntimeReasonValues, ExceptionRow, MachineRow, MachineValues, NewCalendarRow, NewExceptionRow,
    NewShiftRow, ReasonRow, ShiftRow, StationRow, StationValues, WorkCenterRow, WorkCenterValues,
};
use crate::db::{
    DbConnection,
    schema::{
        calendar_breaks, calendar_exceptions, calendar_shifts, calendars, defect_reasons,
        downtime_reasons, machines, products, routing_operation_machines, routing_operations,
        routings, stations, work_centers, work_order_operation_machines, work_order_operations,
    },
    sql::{contains_pattern, lower},
};

fn search(q: &Option<String>) -> Option<String> {
    q.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(contains_pattern)
}

// ---- Calendars ----

pub fn find_calendar(conn: &mut DbConnection, id: i64) -> QueryResult<Option<CalendarRow>> {
    calendars::table
        .find(id)
        .select(CalendarRow::as_select())
        .first(conn)
        .optional()
}

pub fn calendar_id_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<i64>> {
    calendars::table
        .filter(calendars::code.eq(code))
        .select(calendars::id)
        .first(conn)
        .optional()
}

pub fn list_calendars(
    conn: &mut DbConnection,
    q: &Option<String>,
    after: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<CalendarRow>, i64)> {
    let pattern = search(q);
    let filtered = || {
        let mut query = calendars::table.into_boxed();
        if let Some(p) = &pattern {
            query = query.filter(
                lower(calendars::code)
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(calendars::name).like(p.clone()).escape('\\')),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(after) = after {
        page = page.filter(calendars::id.gt(after));
    }
    let rows = page
        .order(calendars::id.asc())
        .limit(fetch)
        .select(CalendarRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_calendar(conn: &mut DbConnection, row: &NewCalendarRow) -> QueryResult<i64> {
    diesel::insert_into(calendars::table)
        .values(row)
        .returning(calendars::id)
        .get_result(conn)
}

pub fn update_calendar(
    conn: &mut DbConnection,
    id: i64,
    row: &NewCalendarRow,
) -> QueryResult<usize> {
    diesel::update(calendars::table.find(id))
        .set((
            calendars::code.eq(&row.code),
            calendars::name.eq(&row.name),
            calendars::description.eq(&row.description),
            calendars::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
}

pub fn delete_calendar(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(calendars::table.find(id)).execute(conn)
}

pub fn shifts_of(conn: &mut DbConnection, calendar_ids: &[i64]) -> QueryResult<Vec<ShiftRow>> {
    calendar_shifts::table
        .filter(calendar_shifts::calendar_id.eq_any(calendar_ids))
        .order(calendar_shifts::id.asc())
        .select(ShiftRow::as_select())
        .load(conn)
}

pub fn breaks_of(conn: &mut DbConnection, shift_ids: &[i64]) -> QueryResult<Vec<BreakRow>> {
    calendar_breaks::table
        .filter(calendar_breaks::shift_id.eq_any(shift_ids))
        .order((
            calendar_breaks::start_minute.asc(),
            calendar_breaks::id.asc(),
        ))
        .select(BreakRow::as_select())
        .load(conn)
}

pub fn exceptions_of(
    conn: &mut DbConnection,
    calendar_ids: &[i64],
) -> QueryResult<Vec<ExceptionRow>> {
    calendar_exceptions::table
        .filter(calendar_exceptions::calendar_id.eq_any(calendar_ids))
        .order((
            calendar_exceptions::day.asc(),
            calendar_exceptions::id.asc(),
        ))
        .select(ExceptionRow::as_select())
        .load(conn)
}

/// Replaces the shifts (with their breaks) and exceptions of a calendar.
pub fn replace_calendar_content(
    conn: &mut DbConnection,
    calendar_id: i64,
    shifts: &[(NewShiftRow, Vec<(i32, i32)>)],
    exceptions: &[NewExceptionRow],
) -> QueryResult<()> {
    let old_shifts = calendar_shifts::table
        .filter(calendar_shifts::calendar_id.eq(calendar_id))
        .select(calendar_shifts::id);
    diesel::delete(calendar_breaks::table.filter(calendar_breaks::shift_id.eq_any(old_shifts)))
        .execute(conn)?;
    diesel::delete(calendar_shifts::table.filter(calendar_shifts::calendar_id.eq(calendar_id)))
        .execute(conn)?;
    diesel::delete(
        calendar_exceptions::table.filter(calendar_exceptions::calendar_id.eq(calendar_id)),
    )
    .execute(conn)?;
    for (shift, breaks) in shifts {
        let shift_id: i64 = diesel::insert_into(calendar_shifts::table)
            .values(shift)
            .returning(calendar_shifts::id)
            .get_result(conn)?;
        for &(start, end) in breaks {
            diesel::insert_into(calendar_breaks::table)
                .values((
                    calendar_breaks::shift_id.eq(shift_id),
                    calendar_breaks::start_minute.eq(start),
                    calendar_breaks::end_minute.eq(end),
                ))
                .execute(conn)?;
        }
    }
    for e in exceptions {
        diesel::insert_into(calendar_exceptions::table)
            .values(e)
            .execute(conn)?;
    }
    Ok(())
}

/// Work centres and machines that use a calendar.
pub fn calendar_users(conn: &mut DbConnection, id: i64) -> QueryResult<(i64, i64)> {
    let wcs = work_centers::table
        .filter(work_centers::calendar_id.eq(id))
        .count()
        .get_result(conn)?;
    let ms = machines::table
        .filter(machines::calendar_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok((wcs, ms))
}

pub fn calendar_codes(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = calendars::table
        .filter(calendars::id.eq_any(ids))
        .select((calendars::id, calendars::code))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

pub fn calendar_exists(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(calendars::table.find(id))).get_result(conn)
}

// ---- Work centres ----

pub fn find_work_center(conn: &mut DbConnection, id: i64) -> QueryResult<Option<WorkCenterRow>> {
    work_centers::table
        .find(id)
        .select(WorkCenterRow::as_select())
        .first(conn)
        .optional()
}

pub fn work_center_id_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<i64>> {
    work_centers::table
        .filter(work_centers::code.eq(code))
        .select(work_centers::id)
        .first(conn)
        .optional()
}

pub fn count_work_centers(conn: &mut DbConnection) -> QueryResult<i64> {
    work_centers::table.count().get_result(conn)
}

#[derive(Debug, Default, Clone)]
pub struct WorkCenterFilter {
    pub q: Option<String>,
    pub active: Option<bool>,
}

pub fn list_work_centers(
    conn: &mut DbConnection,
    filter: &WorkCenterFilter,
    after: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<WorkCenterRow>, i64)> {
    let pattern = search(&filter.q);
    let filtered = || {
        let mut query = work_centers::table.into_boxed();
        if let Some(p) = &pattern {
            query = query.filter(
                lower(work_centers::code)
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(work_centers::name).like(p.clone()).escape('\\')),
            );
        }
        if let Some(active) = filter.active {
            query = query.filter(work_centers::active.eq(active));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(after) = after {
        page = page.filter(work_centers::id.gt(after));
    }
    let rows = page
        .order(work_centers::id.asc())
        .limit(fetch)
        .select(WorkCenterRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_work_center(conn: &mut DbConnection, values: &WorkCenterValues) -> QueryResult<i64> {
    diesel::insert_into(work_centers::table)
        .values((values, work_centers::created_at.eq(values.updated_at)))
        .returning(work_centers::id)
        .get_result(conn)
}

pub fn update_work_center(
    conn: &mut DbConnection,
    id: i64,
    values: &WorkCenterValues,
) -> QueryResult<usize> {
    diesel::update(work_centers::table.find(id))
        .set(values)
        .execute(conn)
}

pub fn delete_work_center(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(work_centers::table.find(id)).execute(conn)
}

pub fn machine_counts(conn: &mut DbConnection, wc_ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = machines::table
        .filter(machines::work_center_id.eq_any(wc_ids))
        .group_by(machines::work_center_id)
        .select((machines::work_center_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
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

/// What refers to a work centre: machines, stations, routing operations, order operations.
pub fn work_center_references(conn: &mut DbConnection, id: i64) -> QueryResult<[i64; 4]> {
    Ok([
        machines::table
            .filter(machines::work_center_id.eq(id))
            .count()
            .get_result(conn)?,
        stations::table
            .filter(stations::work_center_id.eq(id))
            .count()
            .get_result(conn)?,
        routing_operations::table
            .filter(routing_operations::work_center_id.eq(id))
            .count()
            .get_result(conn)?,
        work_order_operations::table
            .filter(work_order_operations::work_center_id.eq(id))
            .count()
            .get_result(conn)?,
    ])
}

// ---- Machines ----

pub fn find_machine(conn: &mut DbConnection, id: i64) -> QueryResult<Option<MachineRow>> {
    machines::table
        .find(id)
        .select(MachineRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_machine_by_code(
    conn: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<MachineRow>> {
    machines::table
        .filter(machines::code.eq(code))
        .select(MachineRow::as_select())
        .first(conn)
        .optional()
}

#[derive(Debug, Default, Clone)]
pub struct MachineFilter {
    pub q: Option<String>,
    pub work_center_id: Option<i64>,
    pub status: Option<String>,
    pub active: Option<bool>,
}

pub fn list_machines(
    conn: &mut DbConnection,
    filter: &MachineFilter,
    after: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<MachineRow>, i64)> {
    let pattern = search(&filter.q);
    let filtered = || {
        let mut query = machines::table.into_boxed();
        if let Some(p) = &pattern {
            query = query.filter(
                lower(machines::code)
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(machines::name).like(p.clone()).escape('\\'))
                    .or(lower(machines::kind).like(p.clone()).escape('\\')),
            );
        }
        if let Some(wc) = filter.work_center_id {
            query = query.filter(machines::work_center_id.eq(wc));
        }
        if let Some(status) = &filter.status {
            query = query.filter(machines::status.eq(status.clone()));
        }
        if let Some(active) = filter.active {
            query = query.filter(machines::active.eq(active));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(after) = after {
        page = page.filter(machines::id.gt(after));
    }
    let rows = page
        .order(machines::id.asc())
        .limit(fetch)
        .select(MachineRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_machine(conn: &mut DbConnection, values: &MachineValues) -> QueryResult<i64> {
    diesel::insert_into(machines::table)
        .values((
            values,
            machines::status.eq("idle"),
            machines::created_at.eq(values.updated_at),
        ))
        .returning(machines::id)
        .get_result(conn)
}

pub fn update_machine(
    conn: &mut DbConnection,
    id: i64,
    values: &MachineValues,
) -> QueryResult<usize> {
    diesel::update(machines::table.find(id))
        .set(values)
        .execute(conn)
}

pub fn delete_machine(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(machines::table.find(id)).execute(conn)
}

pub fn machine_codes(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = machines::table
        .filter(machines::id.eq_any(ids))
        .select((machines::id, machines::code))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// What refers to a machine: stations, routings (as an eligible machine) and work orders
/// (eligible or planned).
pub fn machine_references(conn: &mut DbConnection, id: i64) -> QueryResult<[i64; 3]> {
    let routing_uses: i64 = routing_operation_machines::table
        .filter(routing_operation_machines::machine_id.eq(id))
        .count()
        .get_result(conn)?;
    let order_uses: i64 = work_order_operation_machines::table
        .filter(work_order_operation_machines::machine_id.eq(id))
        .count()
        .get_result(conn)?;
    let planned: i64 = work_order_operations::table
        .filter(work_order_operations::planned_machine_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok([
        stations::table
            .filter(stations::machine_id.eq(id))
            .count()
            .get_result(conn)?,
        routing_uses,
        order_uses + planned,
    ])
}

/// Codes of (at most five) products whose routings list a machine, for the conflict message.
pub fn products_routing_on_machine(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<String>> {
    routing_operation_machines::table
        .inner_join(
            routing_operations::table.inner_join(routings::table.inner_join(products::table)),
        )
        .filter(routing_operation_machines::machine_id.eq(id))
        .select(products::code)
        .distinct()
        .order(products::code.asc())
        .limit(5)
        .load(conn)
}

/// Routing operations outside work centre `wc_id` that list the machine as eligible.
pub fn routing_uses_outside(
    conn: &mut DbConnection,
    machine_id: i64,
    wc_id: i64,
) -> QueryResult<i64> {
    routing_operation_machines::table
        .inner_join(routing_operations::table)
        .filter(routing_operation_machines::machine_id.eq(machine_id))
        .filter(routing_operations::work_center_id.ne(wc_id))
        .count()
        .get_result(conn)
}

// ---- Stations ----

pub fn find_station(conn: &mut DbConnection, id: i64) -> QueryResult<Option<StationRow>> {
    stations::table
        .find(id)
        .select(StationRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_station_by_code(
    conn: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<StationRow>> {
    stations::table
        .filter(stations::code.eq(code))
        .select(StationRow::as_select())
        .first(conn)
        .optional()
}

#[derive(Debug, Default, Clone)]
pub struct StationFilter {
    pub q: Option<String>,
    pub machine_id: Option<i64>,
    pub work_center_id: Option<i64>,
    pub active: Option<bool>,
}

pub fn list_stations(
    conn: &mut DbConnection,
    filter: &StationFilter,
    after: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<StationRow>, i64)> {
    let pattern = search(&filter.q);
    let filtered = || {
        let mut query = stations::table.into_boxed();
        if let Some(p) = &pattern {
            query = query.filter(
                lower(stations::code)
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(stations::name).like(p.clone()).escape('\\')),
            );
        }
        if let Some(m) = filter.machine_id {
            query = query.filter(stations::machine_id.eq(m));
        }
        if let Some(wc) = filter.work_center_id {
            query = query.filter(stations::work_center_id.eq(wc));
        }
        if let Some(active) = filter.active {
            query = query.filter(stations::active.eq(active));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(after) = after {
        page = page.filter(stations::id.gt(after));
    }
    let rows = page
        .order(stations::id.asc())
        .limit(fetch)
        .select(StationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_station(conn: &mut DbConnection, values: &StationValues) -> QueryResult<i64> {
    diesel::insert_into(stations::table)
        .values((values, stations::created_at.eq(values.updated_at)))
        .returning(stations::id)
        .get_result(conn)
}

pub fn update_station(
    conn: &mut DbConnection,
    id: i64,
    values: &StationValues,
) -> QueryResult<usize> {
    diesel::update(stations::table.find(id))
        .set(values)
        .execute(conn)
}

pub fn delete_station(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(stations::table.find(id)).execute(conn)
}

pub fn station_id_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<i64>> {
    stations::table
        .filter(stations::code.eq(code))
        .select(stations::id)
        .first(conn)
        .optional()
}

pub fn machine_id_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<i64>> {
    machines::table
        .filter(machines::code.eq(code))
        .select(machines::id)
        .first(conn)
        .optional()
}

// ---- Reason lists ----

/// Which of the two reason lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonList {
    Defect,
    Downtime,
}

#[derive(Debug, Default, Clone)]
pub struct ReasonFilter {
    pub q: Option<String>,
    pub active: Option<bool>,
}

pub fn find_reason(
    conn: &mut DbConnection,
    list: ReasonList,
    id: i64,
) -> QueryResult<Option<ReasonRow>> {
    Ok(match list {
        ReasonList::Defect => defect_reasons::table
            .find(id)
            .select(DefectReasonRow::as_select())
            .first(conn)
            .optional()?
            .map(Into::into),
        ReasonList::Downtime => downtime_reasons::table
            .find(id)
            .select(DowntimeReasonRow::as_select())
            .first(conn)
            .optional()?
            .map(Into::into),
    })
}

pub fn reason_id_by_code(
    conn: &mut DbConnection,
    list: ReasonList,
    code: &str,
) -> QueryResult<Option<i64>> {
    match list {
        ReasonList::Defect => defect_reasons::table
            .filter(defect_reasons::code.eq(code))
            .select(defect_reasons::id)
            .first(conn)
            .optional(),
        ReasonList::Downtime => downtime_reasons::table
            .filter(downtime_reasons::code.eq(code))
            .select(downtime_reasons::id)
            .first(conn)
            .optional(),
    }
}

/// Ordered by `position`, then id; `after` is the (position, id) of the last row already seen.
pub fn list_reasons(
    conn: &mut DbConnection,
    list: ReasonList,
    filter: &ReasonFilter,
    after: Option<(i32, i64)>,
    fetch: i64,
) -> QueryResult<(Vec<ReasonRow>, i64)> {
    let pattern = search(&filter.q);
    macro_rules! run {
        ($t:ident, $row:ty) => {{
            let filtered = || {
                let mut query = $t::table.into_boxed();
                if let Some(p) = &pattern {
                    query = query.filter(
                        lower($t::code)
                            .like(p.clone())
                            .escape('\\')
                            .or(lower($t::name_zh).like(p.clone()).escape('\\'))
                            .or(lower($t::name_en).like(p.clone()).escape('\\')),
                    );
                }
                if let Some(active) = filter.active {
                    query = query.filter($t::active.eq(active));
                }
                query
            };
            let total = filtered().count().get_result(conn)?;
            let mut page = filtered();
            if let Some((position, id)) = after {
                page = page.filter(
                    $t::position
                        .gt(position)
                        .or($t::position.eq(position).and($t::id.gt(id))),
                );
            }
            let rows: Vec<$row> = page
                .order(($t::position.asc(), $t::id.asc()))
                .limit(fetch)
                .select(<$row>::as_select())
                .load(conn)?;
            Ok((rows.into_iter().map(Into::into).collect(), total))
        }};
    }
    match list {
        ReasonList::Defect => run!(defect_reasons, DefectReasonRow),
        ReasonList::Downtime => run!(downtime_reasons, DowntimeReasonRow),
    }
}

pub fn insert_reason(conn: &mut DbConnection, list: ReasonList, r: &ReasonRow) -> QueryResult<i64> {
    match list {
        ReasonList::Defect => diesel::insert_into(defect_reasons::table)
            .values(defect_values(r))
            .returning(defect_reasons::id)
            .get_result(conn),
        ReasonList::Downtime => diesel::insert_into(downtime_reasons::table)
            .values(downtime_values(r))
            .returning(downtime_reasons::id)
            .get_result(conn),
    }
}

pub fn update_reason(
    conn: &mut DbConnection,
    list: ReasonList,
    id: i64,
    r: &ReasonRow,
) -> QueryResult<usize> {
    match list {
        ReasonList::Defect => diesel::update(defect_reasons::table.find(id))
            .set(defect_values(r))
            .execute(conn),
        ReasonList::Downtime => diesel::update(downtime_reasons::table.find(id))
            .set(downtime_values(r))
            .execute(conn),
    }
}

pub fn delete_reason(conn: &mut DbConnection, list: ReasonList, id: i64) -> QueryResult<usize> {
    match list {
        ReasonList::Defect => diesel::delete(defect_reasons::table.find(id)).execute(conn),
        ReasonList::Downtime => diesel::delete(downtime_reasons::table.find(id)).execute(conn),
    }
}

fn defect_values(r: &ReasonRow) -> DefectReasonValues {
    DefectReasonValues {
        code: r.code.clone(),
        name_zh: r.name_zh.clone(),
        name_en: r.name_en.clone(),
        active: r.active,
        position: r.position,
    }
}

fn downtime_values(r: &ReasonRow) -> DowntimeReasonValues {
    DowntimeReasonValues {
        code: r.code.clone(),
        name_zh: r.name_zh.clone(),
        name_en: r.name_en.clone(),
        planned: r.planned,
        active: r.active,
        position: r.position,
    }
}
