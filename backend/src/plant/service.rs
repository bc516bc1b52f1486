//! Plant-model rules: what a valid calendar, work centre, machine, station and reason is; codes
//! are unique; nothing in use is deleted (deactivate it instead); every change is audited.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use diesel::Connection;
use mes_api_types::{
    CalendarId, Page,
    master_data::{
        Calendar, CalendarException, CalendarExceptionKind, CalendarInput, Machine, MachineInput,
        Reason, ReasonInput, Shift, Station, StationInput, TimeRange, WorkCenter, WorkCenterInput,
        WorkingInterval,
    },
};

use super::{
    calendar::{
        self, CalendarModel, DAY, ExceptionModel, MinuteRange, ShiftModel, format_minute,
        mask_to_weekdays, parse_hhmm, weekdays_to_mask,
    },
    models::{
        CalendarRow, ExceptionRow, MachineRow, MachineValues, NewCalendarRow, NewExceptionRow,
        NewShiftRow, ReasonRow, StationRow, StationValues, WorkCenterRow, WorkCenterValues,
        exception_kind_str,
    },
    queries::{self, MachineFilter, ReasonFilter, ReasonList, StationFilter, WorkCenterFilter},
};
use crate::{
    audit,
    db::{DbConnection, now},
    error::{AppError, AppResult},
    http::{extract::Actor, paging::PageRequest},
    text,
    validate::{Errors, NAME_MAX, NOTE_MAX},
};

/// Longest working-time query: about two months of intervals.
pub const MAX_WORKING_TIME_DAYS: i64 = 62;
/// The label of the single interval a machine without any calendar answers with.
pub const ALWAYS: &str = "always";

const SHIFT_NAME_MAX: usize = 64;
const KIND_MAX: usize = 64;
const EXCEPTION_NOTE_MAX: usize = 200;
const MAX_SHIFTS: usize = 50;
const MAX_BREAKS: usize = 10;
const MAX_EXCEPTIONS: usize = 2000;

fn page_of<T>(page: PageRequest, items: Vec<T>, total: i64, id: impl Fn(&T) -> i64) -> Page<T> {
    let (items, next_cursor) = page.finish(items, id);
    Page {
        items,
        next_cursor,
        total,
    }
}

// ---- Calendars ----

/// A checked calendar input: what gets stored.
struct ValidCalendar {
    code: String,
    name: String,
    description: String,
    model: CalendarModel,
    /// One per exception of `model`.
    exception_notes: Vec<String>,
}

fn hhmm_error(end: bool) -> crate::error::Text {
    if end {
        text!(
            "时间格式应为 HH:MM（00:00–24:00）",
            "Expected a time as HH:MM (00:00–24:00)"
        )
    } else {
        text!(
            "时间格式应为 HH:MM（00:00–23:59）",
            "Expected a time as HH:MM (00:00–23:59)"
        )
    }
}

/// Minutes of an end time that comes after `start` (the next day when it reads earlier, or the
/// same time, which makes 24 hours).
fn end_after(start: i32, end: i32) -> i32 {
    if end <= start { end + DAY } else { end }
}

fn check_shift(i: usize, s: &Shift, errors: &mut Errors) -> Option<ShiftModel> {
    let name = errors.name(&format!("shifts[{i}].name"), &s.name, SHIFT_NAME_MAX);
    if s.weekdays.is_empty() {
        errors.add(
            format!("shifts[{i}].weekdays"),
            text!("至少选择一个工作日", "Choose at least one weekday"),
        );
    }
    let mut days_ok = true;
    for (j, d) in s.weekdays.iter().enumerate() {
        if !(1..=7).contains(d) {
            days_ok = false;
            errors.add(
                format!("shifts[{i}].weekdays[{j}]"),
                text!(
                    "星期应为 1（周一）到 7（周日）",
                    "A weekday is 1 (Monday) to 7 (Sunday)"
                ),
            );
        }
    }
    let start = parse_hhmm(&s.start, false);
    if start.is_none() {
        errors.add(format!("shifts[{i}].start"), hhmm_error(false));
    }
    let end = parse_hhmm(&s.end, true);
    if end.is_none() {
        errors.add(format!("shifts[{i}].end"), hhmm_error(true));
    }
    if s.breaks.len() > MAX_BREAKS {
        errors.add(
            format!("shifts[{i}].breaks"),
            text!(
                "每个班次最多 {MAX_BREAKS} 次休息",
                "At most {MAX_BREAKS} breaks per shift"
            ),
        );
    }
    let (start, end) = (start?, end?);
    let end = end_after(start, end);
    let mut breaks: Vec<MinuteRange> = Vec::new();
    for (j, b) in s.breaks.iter().enumerate() {
        let bs = parse_hhmm(&b.start, false);
        if bs.is_none() {
            errors.add(format!("shifts[{i}].breaks[{j}].start"), hhmm_error(false));
        }
        let be = parse_hhmm(&b.end, true);
        if be.is_none() {
            errors.add(format!("shifts[{i}].breaks[{j}].end"), hhmm_error(true));
        }
        let (Some(bs), Some(be)) = (bs, be) else {
            continue;
        };
        // Break times read in the shift's days: before the shift's start means the next day.
        let bs = if bs < start { bs + DAY } else { bs };
        let be = if be < start { be + DAY } else { be };
        let (shift_start, shift_end) = (format_minute(start, false), format_minute(end, true));
        if be <= bs {
            errors.add(
                format!("shifts[{i}].breaks[{j}].end"),
                text!(
                    "休息结束时间必须晚于开始时间",
                    "The break must end after it starts"
                ),
            );
        } else if bs < start || bs >= end {
            errors.add(
                format!("shifts[{i}].breaks[{j}].start"),
                text!(
                    "休息必须在班次时间内（{shift_start}–{shift_end}）",
                    "The break must lie inside its shift ({shift_start}–{shift_end})"
                ),
            );
        } else if be > end {
            errors.add(
                format!("shifts[{i}].breaks[{j}].end"),
                text!(
                    "休息必须在班次时间内（{shift_start}–{shift_end}）",
                    "The break must lie inside its shift ({shift_start}–{shift_end})"
                ),
            );
        } else {
            let range = MinuteRange::new(bs, be);
            if let Some(k) = breaks.iter().position(|other| other.overlaps(&range)) {
                errors.add(
                    format!("shifts[{i}].breaks[{j}].start"),
                    text!(
                        "与第 {k} 次休息重叠（从 0 计）",
                        "Overlaps break {k} (counting from 0)"
                    ),
                );
            }
            breaks.push(range);
        }
    }
    days_ok.then(|| ShiftModel {
        name,
        weekdays: weekdays_to_mask(&s.weekdays),
        start_minute: start,
        end_minute: end,
        breaks,
    })
}

fn check_exception(
    i: usize,
    e: &CalendarException,
    errors: &mut Errors,
) -> (Option<ExceptionModel>, String) {
    let note = errors.note(
        &format!("exceptions[{i}].note"),
        &e.note,
        EXCEPTION_NOTE_MAX,
    );
    let needs_times = e.kind != CalendarExceptionKind::Holiday;
    let start = e.start.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let end = e.end.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if !needs_times {
        if start.is_some() || end.is_some() {
            errors.add(
                format!("exceptions[{i}].start"),
                text!(
                    "节假日全天不工作，不填时间",
                    "A holiday is a whole day off: leave the times out"
                ),
            );
            return (None, note);
        }
        let model = ExceptionModel {
            day: e.day,
            kind: e.kind,
            range: None,
        };
        return (Some(model), note);
    }
    let mut parsed = [None, None];
    for (k, (value, field, is_end)) in [(start, "start", false), (end, "end", true)]
        .into_iter()
        .enumerate()
    {
        match value {
            None => errors.add(
                format!("exceptions[{i}].{field}"),
                text!(
                    "加班和停产需要填写开始和结束时间",
                    "Overtime and shutdowns need a start and an end time"
                ),
            ),
            Some(v) => match parse_hhmm(v, is_end) {
                Some(m) => parsed[k] = Some(m),
                None => errors.add(format!("exceptions[{i}].{field}"), hhmm_error(is_end)),
            },
        }
    }
    match parsed {
        [Some(s), Some(e_min)] => {
            let model = ExceptionModel {
                day: e.day,
                kind: e.kind,
                range: Some(MinuteRange::new(s, end_after(s, e_min))),
            };
            (Some(model), note)
        }
        _ => (None, note),
    }
}

fn check_calendar(input: &CalendarInput) -> AppResult<ValidCalendar> {
    let mut errors = Errors::new();
    let code = errors.code("code", &input.code);
    let name = errors.name("name", &input.name, NAME_MAX);
    let description = errors.note("description", &input.description, NOTE_MAX);
    if input.shifts.len() > MAX_SHIFTS {
        errors.add(
            "shifts",
            text!("最多 {MAX_SHIFTS} 个班次", "At most {MAX_SHIFTS} shifts"),
        );
    }
    if input.exceptions.len() > MAX_EXCEPTIONS {
        errors.add(
            "exceptions",
            text!(
                "最多 {MAX_EXCEPTIONS} 条例外",
                "At most {MAX_EXCEPTIONS} exceptions"
            ),
        );
    }
    let shifts: Vec<Option<ShiftModel>> = input
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| check_shift(i, s, &mut errors))
        .collect();
    // Shifts may not overlap in the week, within a day or across midnight.
    for (b, sb) in shifts.iter().enumerate() {
        let Some(sb) = sb else { continue };
        for sa in shifts.iter().take(b) {
            let Some(sa) = sa else { continue };
            let ra = calendar::week_ranges(sa);
            let clash = calendar::week_ranges(sb).into_iter().find_map(|x| {
                ra.iter()
                    .find(|y| y.overlaps(&x))
                    .map(|y| x.start.max(y.start))
            });
            if let Some(minute) = clash {
                let weekday = minute / DAY + 1;
                let other = &sa.name;
                errors.add(
                    format!("shifts[{b}]"),
                    text!(
                        "与班次 {other} 在星期 {weekday} 时间重叠",
                        "Overlaps shift {other} on weekday {weekday}"
                    ),
                );
            }
        }
    }
    let mut exceptions = Vec::new();
    let mut exception_notes = Vec::new();
    for (i, e) in input.exceptions.iter().enumerate() {
        let (model, note) = check_exception(i, e, &mut errors);
        if let Some(m) = model {
            exceptions.push(m);
            exception_notes.push(note);
        }
    }
    errors.finish()?;
    Ok(ValidCalendar {
        code,
        name,
        description,
        model: CalendarModel {
            shifts: shifts.into_iter().flatten().collect(),
            exceptions,
        },
        exception_notes,
    })
}

fn calendar_not_found(id: i64) -> AppError {
    AppError::NotFound(text!("日历 {id} 不存在", "Calendar {id} does not exist"))
}

fn code_taken(code: &str, what_zh: &str, what_en: &str) -> AppError {
    AppError::Conflict(text!(
        "编码（code）{code} 已被其他{what_zh}使用",
        "The code {code} is already used by another {what_en}"
    ))
}

/// Calendars with their shifts, breaks and exceptions, in the order of `rows`.
fn calendars_to_api(conn: &mut DbConnection, rows: &[CalendarRow]) -> AppResult<Vec<Calendar>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let shifts = queries::shifts_of(conn, &ids)?;
    let shift_ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
    let mut breaks: HashMap<i64, Vec<MinuteRange>> = HashMap::new();
    for b in queries::breaks_of(conn, &shift_ids)? {
        breaks
            .entry(b.shift_id)
            .or_default()
            .push(MinuteRange::new(b.start_minute, b.end_minute));
    }
    let mut shifts_by: HashMap<i64, Vec<ShiftModel>> = HashMap::new();
    for s in shifts {
        shifts_by
            .entry(s.calendar_id)
            .or_default()
            .push(ShiftModel {
                name: s.name,
                weekdays: u8::try_from(s.weekdays).unwrap_or(0),
                start_minute: s.start_minute,
                end_minute: s.end_minute,
                breaks: breaks.remove(&s.id).unwrap_or_default(),
            });
    }
    let mut exceptions_by: HashMap<i64, Vec<ExceptionRow>> = HashMap::new();
    for e in queries::exceptions_of(conn, &ids)? {
        exceptions_by.entry(e.calendar_id).or_default().push(e);
    }
    Ok(rows
        .iter()
        .map(|r| {
            let shifts = shifts_by.remove(&r.id).unwrap_or_default();
            let exceptions = exceptions_by.remove(&r.id).unwrap_or_default();
            let model = CalendarModel {
                shifts,
                exceptions: Vec::new(),
            };
            Calendar {
                id: CalendarId(r.id),
                code: r.code.clone(),
                name: r.name.clone(),
                description: r.description.clone(),
                shifts: model.shifts.iter().map(shift_to_api).collect(),
                exceptions: exceptions.iter().map(ExceptionRow::to_api).collect(),
                weekly_hours: (model.weekly_minutes() as f64 / 60.0 * 100.0).round() / 100.0,
                updated_at: r.updated_at.and_utc(),
            }
        })
        .collect())
}

fn shift_to_api(s: &ShiftModel) -> Shift {
    Shift {
        name: s.name.clone(),
        weekdays: mask_to_weekdays(s.weekdays),
        start: format_minute(s.start_minute, false),
        end: format_minute(s.end_minute, true),
        breaks: s
            .breaks
            .iter()
            .map(|b| TimeRange {
                start: format_minute(b.start, false),
                end: format_minute(b.end, true),
            })
            .collect(),
    }
}

pub fn load_calendar(conn: &mut DbConnection, id: i64) -> AppResult<Calendar> {
    let row = queries::find_calendar(conn, id)?.ok_or_else(|| calendar_not_found(id))?;
    calendars_to_api(conn, &[row])?
        .pop()
        .ok_or_else(|| calendar_not_found(id))
}

/// The calendar as the expansion needs it (for the scheduler and load analysis).
pub fn calendar_model(conn: &mut DbConnection, id: i64) -> AppResult<CalendarModel> {
    let row = queries::find_calendar(conn, id)?.ok_or_else(|| calendar_not_found(id))?;
    let shifts = queries::shifts_of(conn, &[row.id])?;
    let shift_ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
    let mut breaks: HashMap<i64, Vec<MinuteRange>> = HashMap::new();
    for b in queries::breaks_of(conn, &shift_ids)? {
        breaks
            .entry(b.shift_id)
            .or_default()
            .push(MinuteRange::new(b.start_minute, b.end_minute));
    }
    Ok(CalendarModel {
        shifts: shifts
            .into_iter()
            .map(|s| ShiftModel {
                breaks: breaks.remove(&s.id).unwrap_or_default(),
                name: s.name,
                weekdays: u8::try_from(s.weekdays).unwrap_or(0),
                start_minute: s.start_minute,
                end_minute: s.end_minute,
            })
            .collect(),
        exceptions: queries::exceptions_of(conn, &[row.id])?
            .iter()
            .map(ExceptionRow::to_model)
            .collect(),
    })
}

pub fn list_calendars(
    conn: &mut DbConnection,
    q: Option<String>,
    page: PageRequest,
) -> AppResult<Page<Calendar>> {
    let (rows, total) = queries::list_calendars(conn, &q, page.after, page.fetch())?;
    let items = calendars_to_api(conn, &rows)?;
    Ok(page_of(page, items, total, |c| c.id.0))
}

fn store_calendar_content(
    conn: &mut DbConnection,
    id: i64,
    valid: &ValidCalendar,
) -> AppResult<()> {
    let shifts: Vec<(NewShiftRow, Vec<(i32, i32)>)> = valid
        .model
        .shifts
        .iter()
        .map(|s| {
            (
                NewShiftRow {
                    calendar_id: id,
                    name: s.name.clone(),
                    weekdays: i16::from(s.weekdays),
                    start_minute: s.start_minute,
                    end_minute: s.end_minute,
                },
                s.breaks.iter().map(|b| (b.start, b.end)).collect(),
            )
        })
        .collect();
    let exceptions: Vec<NewExceptionRow> = valid
        .model
        .exceptions
        .iter()
        .zip(&valid.exception_notes)
        .map(|(e, note)| NewExceptionRow {
            calendar_id: id,
            day: e.day,
            kind: exception_kind_str(e.kind).to_owned(),
            start_minute: e.range.map(|r| r.start),
            end_minute: e.range.map(|r| r.end),
            note: note.clone(),
        })
        .collect();
    queries::replace_calendar_content(conn, id, &shifts, &exceptions)?;
    Ok(())
}

pub fn create_calendar(
    conn: &mut DbConnection,
    actor: &Actor,
    input: CalendarInput,
) -> AppResult<Calendar> {
    let valid = check_calendar(&input)?;
    conn.transaction(|conn| {
        if queries::calendar_id_by_code(conn, &valid.code)?.is_some() {
            return Err(code_taken(&valid.code, "日历", "calendar"));
        }
        let at = now();
        let id = queries::insert_calendar(
            conn,
            &NewCalendarRow {
                code: valid.code.clone(),
                name: valid.name.clone(),
                description: valid.description.clone(),
                created_at: at,
                updated_at: at,
            },
        )?;
        store_calendar_content(conn, id, &valid)?;
        let cal = load_calendar(conn, id)?;
        audit::created(conn, actor, "calendar", id, &cal)?;
        Ok(cal)
    })
}

pub fn update_calendar(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    input: CalendarInput,
) -> AppResult<Calendar> {
    let valid = check_calendar(&input)?;
    conn.transaction(|conn| {
        let before = load_calendar(conn, id)?;
        if queries::calendar_id_by_code(conn, &valid.code)?.is_some_and(|other| other != id) {
            return Err(code_taken(&valid.code, "日历", "calendar"));
        }
        let at = now();
        queries::update_calendar(
            conn,
            id,
            &NewCalendarRow {
                code: valid.code.clone(),
                name: valid.name.clone(),
                description: valid.description.clone(),
                created_at: at,
                updated_at: at,
            },
        )?;
        store_calendar_content(conn, id, &valid)?;
        let after = load_calendar(conn, id)?;
        audit::updated(conn, actor, "calendar", id, &before, &after)?;
        Ok(after)
    })
}

pub fn delete_calendar(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        let before = load_calendar(conn, id)?;
        let (wcs, machines) = queries::calendar_users(conn, id)?;
        if wcs + machines > 0 {
            return Err(AppError::Conflict(text!(
                "日历仍被 {wcs} 个工作中心和 {machines} 台设备使用，请先改用其他日历",
                "The calendar is still used by {wcs} work centre(s) and {machines} machine(s); assign them another calendar first"
            )));
        }
        queries::delete_calendar(conn, id)?;
        audit::deleted(conn, actor, "calendar", id, &before)?;
        Ok(())
    })
}

/// The calendar that governs a machine: its own, else its work centre's; `None` when neither
/// has one (the machine is then always available).
pub fn machine_calendar(
    conn: &mut DbConnection,
    machine_id: i64,
) -> AppResult<Option<CalendarModel>> {
    let machine =
        queries::find_machine(conn, machine_id)?.ok_or_else(|| machine_not_found(machine_id))?;
    let calendar_id = match machine.calendar_id {
        Some(id) => Some(id),
        None => {
            queries::find_work_center(conn, machine.work_center_id)?.and_then(|wc| wc.calendar_id)
        }
    };
    calendar_id.map(|id| calendar_model(conn, id)).transpose()
}

/// Checks a working-time query range: `to` after `from`, at most [`MAX_WORKING_TIME_DAYS`].
pub fn check_range(from: DateTime<Utc>, to: DateTime<Utc>) -> AppResult<()> {
    if to <= from {
        return Err(AppError::invalid(
            "to",
            text!("to 必须晚于 from", "to must be after from"),
        ));
    }
    if to - from > Duration::days(MAX_WORKING_TIME_DAYS) {
        return Err(AppError::invalid(
            "to",
            text!(
                "时间范围最长 {MAX_WORKING_TIME_DAYS} 天",
                "The range may span at most {MAX_WORKING_TIME_DAYS} days"
            ),
        ));
    }
    Ok(())
}

/// When a machine works in `[from, to)`. A machine with no calendar (neither its own nor its
/// work centre's) is always available: one interval labelled [`ALWAYS`] covers the range.
pub fn machine_working_time(
    conn: &mut DbConnection,
    machine_id: i64,
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<WorkingInterval>> {
    check_range(from, to)?;
    Ok(match machine_calendar(conn, machine_id)? {
        Some(model) => calendar::working_intervals(&model, tz, from, to)
            .into_iter()
            .map(WorkingInterval::from)
            .collect(),
        None => vec![WorkingInterval {
            start: from,
            end: to,
            shift: ALWAYS.to_owned(),
        }],
    })
}

// ---- Work centres ----

fn work_center_not_found(id: i64) -> AppError {
    AppError::NotFound(text!(
        "工作中心 {id} 不存在",
        "Work centre {id} does not exist"
    ))
}

fn check_calendar_ref(
    conn: &mut DbConnection,
    calendar_id: Option<i64>,
    errors: &mut Errors,
) -> AppResult<()> {
    if let Some(id) = calendar_id
        && !queries::calendar_exists(conn, id)?
    {
        errors.add(
            "calendar_id",
            text!("日历 {id} 不存在", "Calendar {id} does not exist"),
        );
    }
    Ok(())
}

fn work_centers_to_api(
    conn: &mut DbConnection,
    rows: &[WorkCenterRow],
) -> AppResult<Vec<WorkCenter>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let cal_ids: Vec<i64> = rows.iter().filter_map(|r| r.calendar_id).collect();
    let counts = queries::machine_counts(conn, &ids)?;
    let cal_codes = queries::calendar_codes(conn, &cal_ids)?;
    Ok(rows
        .iter()
        .map(|r| {
            r.to_api(
                r.calendar_id.and_then(|c| cal_codes.get(&c).cloned()),
                counts.get(&r.id).copied().unwrap_or(0),
            )
        })
        .collect())
}

pub fn load_work_center(conn: &mut DbConnection, id: i64) -> AppResult<WorkCenter> {
    let row = queries::find_work_center(conn, id)?.ok_or_else(|| work_center_not_found(id))?;
    work_centers_to_api(conn, &[row])?
        .pop()
        .ok_or_else(|| work_center_not_found(id))
}

pub fn list_work_centers(
    conn: &mut DbConnection,
    filter: WorkCenterFilter,
    page: PageRequest,
) -> AppResult<Page<WorkCenter>> {
    let (rows, total) = queries::list_work_centers(conn, &filter, page.after, page.fetch())?;
    let items = work_centers_to_api(conn, &rows)?;
    Ok(page_of(page, items, total, |w| w.id.0))
}

fn check_work_center(
    conn: &mut DbConnection,
    input: &WorkCenterInput,
) -> AppResult<WorkCenterValues> {
    let mut errors = Errors::new();
    let values = WorkCenterValues {
        code: errors.code("code", &input.code),
        name: errors.name("name", &input.name, NAME_MAX),
        description: errors.note("description", &input.description, NOTE_MAX),
        calendar_id: input.calendar_id.map(|c| c.0),
        active: input.active,
        updated_at: now(),
    };
    check_calendar_ref(conn, values.calendar_id, &mut errors)?;
    errors.finish()?;
    Ok(values)
}

pub fn create_work_center(
    conn: &mut DbConnection,
    actor: &Actor,
    input: WorkCenterInput,
) -> AppResult<WorkCenter> {
    conn.transaction(|conn| {
        let values = check_work_center(conn, &input)?;
        if queries::work_center_id_by_code(conn, &values.code)?.is_some() {
            return Err(code_taken(&values.code, "工作中心", "work centre"));
        }
        let id = queries::insert_work_center(conn, &values)?;
        let wc = load_work_center(conn, id)?;
        audit::created(conn, actor, "work_center", id, &wc)?;
        Ok(wc)
    })
}

pub fn update_work_center(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    input: WorkCenterInput,
) -> AppResult<WorkCenter> {
    conn.transaction(|conn| {
        let before = load_work_center(conn, id)?;
        let values = check_work_center(conn, &input)?;
        if queries::work_center_id_by_code(conn, &values.code)?.is_some_and(|o| o != id) {
            return Err(code_taken(&values.code, "工作中心", "work centre"));
        }
        queries::update_work_center(conn, id, &values)?;
        let after = load_work_center(conn, id)?;
        audit::updated(conn, actor, "work_center", id, &before, &after)?;
        Ok(after)
    })
}

pub fn delete_work_center(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        let before = load_work_center(conn, id)?;
        let [machines, stations, ops, order_ops] = queries::work_center_references(conn, id)?;
        if machines + stations + ops + order_ops > 0 {
            return Err(AppError::Conflict(text!(
                "工作中心仍被使用（设备 {machines} 台、工位 {stations} 个、工艺工序 {ops} 道、工单工序 {order_ops} 道），不能删除；可改为停用",
                "The work centre is still in use ({machines} machine(s), {stations} station(s), {ops} routing operation(s), {order_ops} work-order operation(s)); deactivate it instead"
            )));
        }
        queries::delete_work_center(conn, id)?;
        audit::deleted(conn, actor, "work_center", id, &before)?;
        Ok(())
    })
}

// ---- Machines ----

fn machine_not_found(id: i64) -> AppError {
    AppError::NotFound(text!("设备 {id} 不存在", "Machine {id} does not exist"))
}

fn machines_to_api(conn: &mut DbConnection, rows: &[MachineRow]) -> AppResult<Vec<Machine>> {
    let wc_ids: Vec<i64> = rows.iter().map(|r| r.work_center_id).collect();
    let cal_ids: Vec<i64> = rows.iter().filter_map(|r| r.calendar_id).collect();
    let wc_codes = queries::work_center_codes(conn, &wc_ids)?;
    let cal_codes = queries::calendar_codes(conn, &cal_ids)?;
    Ok(rows
        .iter()
        .map(|r| {
            r.to_api(
                wc_codes.get(&r.work_center_id).cloned().unwrap_or_default(),
                r.calendar_id.and_then(|c| cal_codes.get(&c).cloned()),
            )
        })
        .collect())
}

pub fn load_machine(conn: &mut DbConnection, id: i64) -> AppResult<Machine> {
    let row = queries::find_machine(conn, id)?.ok_or_else(|| machine_not_found(id))?;
    machines_to_api(conn, &[row])?
        .pop()
        .ok_or_else(|| machine_not_found(id))
}

pub fn machine_by_code(conn: &mut DbConnection, code: &str) -> AppResult<Machine> {
    let code = code.trim();
    let not_found =
        || AppError::NotFound(text!("设备 {code} 不存在", "Machine {code} does not exist"));
    let row = queries::find_machine_by_code(conn, code)?.ok_or_else(not_found)?;
    machines_to_api(conn, &[row])?.pop().ok_or_else(not_found)
}

pub fn list_machines(
    conn: &mut DbConnection,
    filter: MachineFilter,
    page: PageRequest,
) -> AppResult<Page<Machine>> {
    let (rows, total) = queries::list_machines(conn, &filter, page.after, page.fetch())?;
    let items = machines_to_api(conn, &rows)?;
    Ok(page_of(page, items, total, |m| m.id.0))
}

fn check_machine(conn: &mut DbConnection, input: &MachineInput) -> AppResult<MachineValues> {
    let mut errors = Errors::new();
    let values = MachineValues {
        code: errors.code("code", &input.code),
        name: errors.name("name", &input.name, NAME_MAX),
        work_center_id: input.work_center_id.0,
        kind: errors.note("kind", &input.kind, KIND_MAX),
        calendar_id: input.calendar_id.map(|c| c.0),
        description: errors.note("description", &input.description, NOTE_MAX),
        active: input.active,
        updated_at: now(),
    };
    if queries::find_work_center(conn, values.work_center_id)?.is_none() {
        let id = values.work_center_id;
        errors.add(
            "work_center_id",
            text!("工作中心 {id} 不存在", "Work centre {id} does not exist"),
        );
    }
    check_calendar_ref(conn, values.calendar_id, &mut errors)?;
    errors.finish()?;
    Ok(values)
}

/// Creates a machine; it starts `idle` (the shop floor drives its status from then on).
pub fn create_machine(
    conn: &mut DbConnection,
    actor: &Actor,
    input: MachineInput,
) -> AppResult<Machine> {
    conn.transaction(|conn| {
        let values = check_machine(conn, &input)?;
        if queries::machine_id_by_code(conn, &values.code)?.is_some() {
            return Err(code_taken(&values.code, "设备", "machine"));
        }
        let id = queries::insert_machine(conn, &values)?;
        let machine = load_machine(conn, id)?;
        audit::created(conn, actor, "machine", id, &machine)?;
        Ok(machine)
    })
}

pub fn update_machine(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    input: MachineInput,
) -> AppResult<Machine> {
    conn.transaction(|conn| {
        let before = load_machine(conn, id)?;
        let values = check_machine(conn, &input)?;
        if queries::machine_id_by_code(conn, &values.code)?.is_some_and(|o| o != id) {
            return Err(code_taken(&values.code, "设备", "machine"));
        }
        if values.work_center_id != before.work_center_id.0
            && queries::routing_uses_outside(conn, id, values.work_center_id)? > 0
        {
            let products = queries::products_routing_on_machine(conn, id)?.join(", ");
            return Err(AppError::Conflict(text!(
                "该设备是其他工作中心工艺路线的可选设备（产品 {products}），不能移到别的工作中心",
                "The machine is eligible in routings of its current work centre (products {products}); it cannot move to another work centre"
            )));
        }
        queries::update_machine(conn, id, &values)?;
        let after = load_machine(conn, id)?;
        audit::updated(conn, actor, "machine", id, &before, &after)?;
        Ok(after)
    })
}

pub fn delete_machine(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        let before = load_machine(conn, id)?;
        let [stations, routings, orders] = queries::machine_references(conn, id)?;
        if routings > 0 {
            let products = queries::products_routing_on_machine(conn, id)?.join(", ");
            return Err(AppError::Conflict(text!(
                "该设备在产品 {products} 的工艺路线中是可选设备，不能删除；可改为停用",
                "The machine is eligible in the routings of products {products}; deactivate it instead"
            )));
        }
        if stations + orders > 0 {
            return Err(AppError::Conflict(text!(
                "该设备仍被使用（工位 {stations} 个、工单工序 {orders} 道），不能删除；可改为停用",
                "The machine is still in use ({stations} station(s), {orders} work-order operation(s)); deactivate it instead"
            )));
        }
        queries::delete_machine(conn, id)?;
        audit::deleted(conn, actor, "machine", id, &before)?;
        Ok(())
    })
}

// ---- Stations ----

fn station_not_found(id: i64) -> AppError {
    AppError::NotFound(text!("工位 {id} 不存在", "Station {id} does not exist"))
}

fn stations_to_api(conn: &mut DbConnection, rows: &[StationRow]) -> AppResult<Vec<Station>> {
    let m_ids: Vec<i64> = rows.iter().filter_map(|r| r.machine_id).collect();
    let wc_ids: Vec<i64> = rows.iter().filter_map(|r| r.work_center_id).collect();
    let m_codes = queries::machine_codes(conn, &m_ids)?;
    let wc_codes = queries::work_center_codes(conn, &wc_ids)?;
    Ok(rows
        .iter()
        .map(|r| {
            r.to_api(
                r.machine_id.and_then(|m| m_codes.get(&m).cloned()),
                r.work_center_id.and_then(|w| wc_codes.get(&w).cloned()),
            )
        })
        .collect())
}

pub fn load_station(conn: &mut DbConnection, id: i64) -> AppResult<Station> {
    let row = queries::find_station(conn, id)?.ok_or_else(|| station_not_found(id))?;
    stations_to_api(conn, &[row])?
        .pop()
        .ok_or_else(|| station_not_found(id))
}

pub fn station_by_code(conn: &mut DbConnection, code: &str) -> AppResult<Station> {
    let code = code.trim();
    let not_found =
        || AppError::NotFound(text!("工位 {code} 不存在", "Station {code} does not exist"));
    let row = queries::find_station_by_code(conn, code)?.ok_or_else(not_found)?;
    stations_to_api(conn, &[row])?.pop().ok_or_else(not_found)
}

pub fn list_stations(
    conn: &mut DbConnection,
    filter: StationFilter,
    page: PageRequest,
) -> AppResult<Page<Station>> {
    let (rows, total) = queries::list_stations(conn, &filter, page.after, page.fetch())?;
    let items = stations_to_api(conn, &rows)?;
    Ok(page_of(page, items, total, |s| s.id.0))
}

fn check_station(conn: &mut DbConnection, input: &StationInput) -> AppResult<StationValues> {
    let mut errors = Errors::new();
    let values = StationValues {
        code: errors.code("code", &input.code),
        name: errors.name("name", &input.name, NAME_MAX),
        machine_id: input.machine_id.map(|m| m.0),
        work_center_id: input.work_center_id.map(|w| w.0),
        active: input.active,
        updated_at: now(),
    };
    match (values.machine_id, values.work_center_id) {
        (Some(m), None) => {
            if queries::find_machine(conn, m)?.is_none() {
                errors.add(
                    "machine_id",
                    text!("设备 {m} 不存在", "Machine {m} does not exist"),
                );
            }
        }
        (None, Some(w)) => {
            if queries::find_work_center(conn, w)?.is_none() {
                errors.add(
                    "work_center_id",
                    text!("工作中心 {w} 不存在", "Work centre {w} does not exist"),
                );
            }
        }
        _ => errors.add(
            "machine_id",
            text!(
                "工位必须绑定一台设备或一个工作中心（二选一）",
                "Bind the station to exactly one of a machine or a work centre"
            ),
        ),
    }
    errors.finish()?;
    Ok(values)
}

pub fn create_station(
    conn: &mut DbConnection,
    actor: &Actor,
    input: StationInput,
) -> AppResult<Station> {
    conn.transaction(|conn| {
        let values = check_station(conn, &input)?;
        if queries::station_id_by_code(conn, &values.code)?.is_some() {
            return Err(code_taken(&values.code, "工位", "station"));
        }
        let id = queries::insert_station(conn, &values)?;
        let station = load_station(conn, id)?;
        audit::created(conn, actor, "station", id, &station)?;
        Ok(station)
    })
}

pub fn update_station(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    input: StationInput,
) -> AppResult<Station> {
    conn.transaction(|conn| {
        let before = load_station(conn, id)?;
        let values = check_station(conn, &input)?;
        if queries::station_id_by_code(conn, &values.code)?.is_some_and(|o| o != id) {
            return Err(code_taken(&values.code, "工位", "station"));
        }
        queries::update_station(conn, id, &values)?;
        let after = load_station(conn, id)?;
        audit::updated(conn, actor, "station", id, &before, &after)?;
        Ok(after)
    })
}

pub fn delete_station(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        let before = load_station(conn, id)?;
        queries::delete_station(conn, id)?;
        audit::deleted(conn, actor, "station", id, &before)?;
        Ok(())
    })
}

// ---- Reasons ----

fn entity(list: ReasonList) -> &'static str {
    match list {
        ReasonList::Defect => "defect_reason",
        ReasonList::Downtime => "downtime_reason",
    }
}

fn reason_not_found(list: ReasonList, id: i64) -> AppError {
    match list {
        ReasonList::Defect => AppError::NotFound(text!(
            "不良原因 {id} 不存在",
            "Defect reason {id} does not exist"
        )),
        ReasonList::Downtime => AppError::NotFound(text!(
            "停机原因 {id} 不存在",
            "Downtime reason {id} does not exist"
        )),
    }
}

fn reason_code_taken(list: ReasonList, code: &str) -> AppError {
    match list {
        ReasonList::Defect => code_taken(code, "不良原因", "defect reason"),
        ReasonList::Downtime => code_taken(code, "停机原因", "downtime reason"),
    }
}

fn check_reason(list: ReasonList, input: &ReasonInput) -> AppResult<ReasonRow> {
    let mut errors = Errors::new();
    let row = ReasonRow {
        id: 0,
        code: errors.code("code", &input.code),
        name_zh: errors.name("name_zh", &input.name_zh, NAME_MAX),
        name_en: errors.name("name_en", &input.name_en, NAME_MAX),
        // Only downtime counts planned stops apart; defects have no such thing.
        planned: list == ReasonList::Downtime && input.planned,
        active: input.active,
        position: input.position,
    };
    errors.finish()?;
    Ok(row)
}

pub fn list_reasons(
    conn: &mut DbConnection,
    list: ReasonList,
    filter: ReasonFilter,
    page: PageRequest,
) -> AppResult<Page<Reason>> {
    // The list is ordered by (position, id); the cursor is the id of the last row seen.
    let after = match page.after {
        Some(id) => Some(
            queries::find_reason(conn, list, id)?
                .map(|r| (r.position, r.id))
                .ok_or_else(|| {
                    AppError::invalid(
                        "cursor",
                        text!(
                            "cursor 已失效（该行已删除），请从第一页重新开始",
                            "The cursor is no longer valid (its row was deleted); start from the first page"
                        ),
                    )
                })?,
        ),
        None => None,
    };
    let (rows, total) = queries::list_reasons(conn, list, &filter, after, page.fetch())?;
    let items = rows.iter().map(ReasonRow::to_api).collect();
    Ok(page_of(page, items, total, |r: &Reason| r.id.0))
}

pub fn load_reason(conn: &mut DbConnection, list: ReasonList, id: i64) -> AppResult<Reason> {
    queries::find_reason(conn, list, id)?
        .map(|r| r.to_api())
        .ok_or_else(|| reason_not_found(list, id))
}

pub fn create_reason(
    conn: &mut DbConnection,
    actor: &Actor,
    list: ReasonList,
    input: ReasonInput,
) -> AppResult<Reason> {
    let row = check_reason(list, &input)?;
    conn.transaction(|conn| {
        if queries::reason_id_by_code(conn, list, &row.code)?.is_some() {
            return Err(reason_code_taken(list, &row.code));
        }
        let id = queries::insert_reason(conn, list, &row)?;
        let reason = load_reason(conn, list, id)?;
        audit::created(conn, actor, entity(list), id, &reason)?;
        Ok(reason)
    })
}

pub fn update_reason(
    conn: &mut DbConnection,
    actor: &Actor,
    list: ReasonList,
    id: i64,
    input: ReasonInput,
) -> AppResult<Reason> {
    let row = check_reason(list, &input)?;
    conn.transaction(|conn| {
        let before = load_reason(conn, list, id)?;
        if queries::reason_id_by_code(conn, list, &row.code)?.is_some_and(|o| o != id) {
            return Err(reason_code_taken(list, &row.code));
        }
        queries::update_reason(conn, list, id, &row)?;
        let after = load_reason(conn, list, id)?;
        audit::updated(conn, actor, entity(list), id, &before, &after)?;
        Ok(after)
    })
}

/// Deletes a reason nothing refers to yet; one used in reports stays (the database refuses),
/// and is deactivated instead.
pub fn delete_reason(
    conn: &mut DbConnection,
    actor: &Actor,
    list: ReasonList,
    id: i64,
) -> AppResult<()> {
    conn.transaction(|conn| {
        let before = load_reason(conn, list, id)?;
        queries::delete_reason(conn, list, id).map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => AppError::Conflict(text!(
                "该原因已被记录引用，不能删除；可改为停用",
                "The reason is used in records; deactivate it instead"
            )),
            other => other,
        })?;
        audit::deleted(conn, actor, entity(list), id, &before)?;
        Ok(())
    })
}
