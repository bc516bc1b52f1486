//! Shift calendars as time: expands a weekly shift pattern with breaks and dated exceptions
//! into the UTC working intervals of a time range. Pure (no database, no HTTP), so the scheduler,
//! load analysis and OEE can use it and it can be tested alone.
//!
//! Conventions:
//! - Times of day are minutes from local midnight in the plant's time zone. A shift belongs to
//!   the day it starts: a night shift 22:00–06:00 has `end_minute` = 1800 and works into the
//!   next morning. A holiday cancels the shifts *starting* that day, so the tail of the previous
//!   evening's night shift still runs on the holiday's early morning.
//! - Overtime adds working time on its day (even on a holiday); a shutdown removes time on its
//!   day from everything, overtime included. Both may cross midnight like shifts.
//! - Local times become UTC through the zone's rules, DST included: a night shift across the
//!   spring change is an hour shorter in real time, across the autumn change an hour longer.
//!   A local time that does not exist (inside the spring gap) means the moment the gap ends; a
//!   local time that happens twice (the autumn repeat) means its first occurrence. The mapping
//!   is monotonic, so intervals never turn inside out.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use mes_api_types::master_data::{CalendarExceptionKind, WorkingInterval};

/// Minutes in a day.
pub const DAY: i32 = 1440;

/// The label of working time added by an overtime exception.
pub const OVERTIME: &str = "overtime";

/// A half-open range of minutes from local midnight of some day; `end` may pass 1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinuteRange {
    pub start: i32,
    pub end: i32,
}

impl MinuteRange {
    pub fn new(start: i32, end: i32) -> MinuteRange {
        MinuteRange { start, end }
    }

    pub fn len(&self) -> i32 {
        (self.end - self.start).max(0)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn overlaps(&self, other: &MinuteRange) -> bool {
        self.start < other.end && other.start < self.end
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftModel {
    pub name: String,
    /// Bit 0 = Monday … bit 6 = Sunday.
    pub weekdays: u8,
    pub start_minute: i32,
    /// After `start_minute`, at most a day later.
    pub end_minute: i32,
    /// Unpaid breaks inside the shift, in the shift's minutes.
    pub breaks: Vec<MinuteRange>,
}

impl ShiftModel {
    pub fn works_on(&self, weekday: chrono::Weekday) -> bool {
        self.weekdays & (1 << weekday.num_days_from_monday()) != 0
    }

    /// Paid minutes of one occurrence: the shift less its breaks.
    pub fn working_minutes(&self) -> i32 {
        subtract_minutes(
            MinuteRange::new(self.start_minute, self.end_minute),
            &self.breaks,
        )
        .iter()
        .map(MinuteRange::len)
        .sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionModel {
    pub day: NaiveDate,
    pub kind: CalendarExceptionKind,
    /// The affected time of overtime and shutdowns; none for holidays.
    pub range: Option<MinuteRange>,
}

/// A calendar as the expansion needs it (the database rows or a validated input make one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarModel {
    pub shifts: Vec<ShiftModel>,
    pub exceptions: Vec<ExceptionModel>,
}

impl CalendarModel {
    /// Planned working minutes in an ordinary week (no exceptions).
    pub fn weekly_minutes(&self) -> i64 {
        self.shifts
            .iter()
            .map(|s| i64::from(s.working_minutes()) * i64::from(s.weekdays.count_ones()))
            .sum()
    }
}

/// One working interval in UTC, `[start, end)`, labelled with its shift (or [`OVERTIME`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub shift: String,
}

impl From<Interval> for WorkingInterval {
    fn from(i: Interval) -> WorkingInterval {
        WorkingInterval {
            start: i.start,
            end: i.end,
            shift: i.shift,
        }
    }
}

/// The working intervals of `cal` inside `[from, to)`, in time order, never overlapping, cut at
/// `from` and `to`. Empty when `from >= to`.
pub fn working_intervals(
    cal: &CalendarModel,
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Interval> {
    if from >= to {
        return Vec::new();
    }
    // Shifts and exceptions reach at most one day past the day they start on.
    let first_day = from.with_timezone(&tz).date_naive() - Duration::days(1);
    let last_day = to.with_timezone(&tz).date_naive();
    let mut by_day: HashMap<NaiveDate, Vec<&ExceptionModel>> = HashMap::new();
    for e in &cal.exceptions {
        if e.day >= first_day && e.day <= last_day {
            by_day.entry(e.day).or_default().push(e);
        }
    }

    let mut shifts: Vec<Interval> = Vec::new();
    let mut overtime: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let mut shutdowns: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let mut day = first_day;
    while day <= last_day {
        let exceptions = by_day.get(&day).map(Vec::as_slice).unwrap_or_default();
        let holiday = exceptions
            .iter()
            .any(|e| e.kind == CalendarExceptionKind::Holiday);
        if !holiday {
            for shift in cal.shifts.iter().filter(|s| s.works_on(day.weekday())) {
                let whole = MinuteRange::new(shift.start_minute, shift.end_minute);
                for piece in subtract_minutes(whole, &shift.breaks) {
                    let (start, end) = to_utc(tz, day, piece);
                    if start < end {
                        shifts.push(Interval {
                            start,
                            end,
                            shift: shift.name.clone(),
                        });
                    }
                }
            }
        }
        for e in exceptions {
            match (e.kind, e.range) {
                (CalendarExceptionKind::Overtime, Some(r)) => overtime.push(to_utc(tz, day, r)),
                (CalendarExceptionKind::Shutdown, Some(r)) => shutdowns.push(to_utc(tz, day, r)),
                _ => {}
            }
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }

    // Shifts were validated not to overlap; still, rows written outside the API must not make
    // the result overlap: a later shift gives way to an earlier one.
    shifts.sort_by_key(|i| (i.start, i.end));
    let mut working: Vec<Interval> = Vec::with_capacity(shifts.len());
    for mut i in shifts {
        if let Some(last) = working.last()
            && i.start < last.end
        {
            i.start = last.end;
        }
        if i.start < i.end {
            working.push(i);
        }
    }
    // Overtime labels only the time the shifts do not already cover.
    let covered: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        working.iter().map(|i| (i.start, i.end)).collect();
    for (start, end) in subtract_utc(&merge(overtime), &covered) {
        working.push(Interval {
            start,
            end,
            shift: OVERTIME.to_owned(),
        });
    }
    working.sort_by_key(|i| i.start);

    let shutdowns = merge(shutdowns);
    let mut out = Vec::with_capacity(working.len());
    for i in working {
        for (start, end) in subtract_utc(&[(i.start, i.end)], &shutdowns) {
            let (start, end) = (start.max(from), end.min(to));
            if start < end {
                out.push(Interval {
                    start,
                    end,
                    shift: i.shift.clone(),
                });
            }
        }
    }
    out
}

/// `whole` less the `holes`, in order (the holes may be unsorted or overlap).
pub fn subtract_minutes(whole: MinuteRange, holes: &[MinuteRange]) -> Vec<MinuteRange> {
    let mut holes: Vec<MinuteRange> = holes.iter().copied().filter(|h| !h.is_empty()).collect();
    holes.sort_by_key(|h| h.start);
    let mut out = Vec::new();
    let mut cur = whole.start;
    for h in holes {
        if h.end <= cur || h.start >= whole.end {
            continue;
        }
        if h.start > cur {
            out.push(MinuteRange::new(cur, h.start));
        }
        cur = cur.max(h.end);
    }
    if cur < whole.end {
        out.push(MinuteRange::new(cur, whole.end));
    }
    out
}

type Span = (DateTime<Utc>, DateTime<Utc>);

/// Sorted, merged, non-empty.
fn merge(mut v: Vec<Span>) -> Vec<Span> {
    v.retain(|(s, e)| s < e);
    v.sort();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// `spans` less `holes`; both sorted and without overlaps among themselves.
fn subtract_utc(spans: &[Span], holes: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for &(start, end) in spans {
        let mut cur = start;
        for &(hs, he) in holes {
            if he <= cur {
                continue;
            }
            if hs >= end {
                break;
            }
            if hs > cur {
                out.push((cur, hs));
            }
            cur = cur.max(he);
        }
        if cur < end {
            out.push((cur, end));
        }
    }
    out
}

/// The UTC span of `range` (minutes from local midnight) on local `day`.
fn to_utc(tz: Tz, day: NaiveDate, range: MinuteRange) -> Span {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    (
        local_to_utc(tz, midnight + Duration::minutes(i64::from(range.start))),
        local_to_utc(tz, midnight + Duration::minutes(i64::from(range.end))),
    )
}

/// A plant wall-clock time as UTC: the first occurrence when it happens twice, the end of the
/// gap when it does not exist (see the module notes).
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Inside a gap: the first wall-clock minute after it. Gaps are an hour or two; a day
            // bounds the search for any zone's history.
            let mut probe = local;
            for _ in 0..DAY {
                probe += Duration::minutes(1);
                match tz.from_local_datetime(&probe) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                        return t.with_timezone(&Utc);
                    }
                    LocalResult::None => {}
                }
            }
            // Unreachable for real zones; read it as UTC rather than fail.
            local.and_utc()
        }
    }
}

/// `"HH:MM"` (the hour may have one digit) as minutes from midnight, 0..=1439; `24:00` (1440)
/// only when `end_of_day` is allowed.
pub fn parse_hhmm(s: &str, end_of_day: bool) -> Option<i32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    if !h.bytes().all(|b| b.is_ascii_digit()) || !m.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (0..=23, 0..=59) => Some(h * 60 + m),
        (24, 0) if end_of_day => Some(DAY),
        _ => None,
    }
}

/// Minutes from midnight (of the start day, possibly the next day) as `"HH:MM"`. An end exactly
/// at the first midnight reads `24:00`, so `00:00`–`24:00` round-trips.
pub fn format_minute(minute: i32, is_end: bool) -> String {
    if is_end && minute == DAY {
        return "24:00".to_owned();
    }
    let m = minute.rem_euclid(DAY);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Weekday numbers 1 (Monday) … 7 (Sunday) as the bit mask the database stores.
pub fn weekdays_to_mask(days: &[u8]) -> u8 {
    days.iter()
        .filter(|d| (1..=7).contains(*d))
        .fold(0, |mask, d| mask | 1 << (d - 1))
}

pub fn mask_to_weekdays(mask: u8) -> Vec<u8> {
    (1..=7u8).filter(|d| mask & (1 << (d - 1)) != 0).collect()
}

/// The plant zone, e.g. `Asia/Shanghai`.
pub fn parse_tz(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// Shift occurrences of a week as ranges of minutes from Monday 00:00, wrapping Sunday night into
/// Monday morning: for finding shifts that overlap, within a day or across midnight.
pub fn week_ranges(shift: &ShiftModel) -> Vec<MinuteRange> {
    const WEEK: i32 = 7 * DAY;
    let mut out = Vec::new();
    for d in 0..7 {
        if shift.weekdays & (1 << d) == 0 {
            continue;
        }
        let start = d * DAY + shift.start_minute;
        let end = d * DAY + shift.end_minute;
        if end <= WEEK {
            out.push(MinuteRange::new(start, end));
        } else {
            out.push(MinuteRange::new(start, WEEK));
            out.push(MinuteRange::new(0, end - WEEK));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn shift(
        name: &str,
        weekdays: &[u8],
        start: &str,
        end: &str,
        breaks: &[(&str, &str)],
    ) -> ShiftModel {
        let s = parse_hhmm(start, false).expect("start");
        let mut e = parse_hhmm(end, true).expect("end");
        if e <= s {
            e += DAY;
        }
        let breaks = breaks
            .iter()
            .map(|(bs, be)| {
                let mut bs = parse_hhmm(bs, false).expect("break start");
                let mut be = parse_hhmm(be, true).expect("break end");
                if bs < s {
                    bs += DAY;
                }
                while be <= bs {
                    be += DAY;
                }
                MinuteRange::new(bs, be)
            })
            .collect();
        ShiftModel {
            name: name.into(),
            weekdays: weekdays_to_mask(weekdays),
            start_minute: s,
            end_minute: e,
            breaks,
        }
    }

    fn two_shifts() -> CalendarModel {
        CalendarModel {
            shifts: vec![
                shift(
                    "早班",
                    &[1, 2, 3, 4, 5],
                    "08:00",
                    "16:30",
                    &[("12:00", "12:30")],
                ),
                shift(
                    "中班",
                    &[1, 2, 3, 4, 5],
                    "16:30",
                    "01:00",
                    &[("20:30", "21:00")],
                ),
            ],
            exceptions: vec![],
        }
    }

    fn spans(v: &[Interval]) -> Vec<(String, String, String)> {
        v.iter()
            .map(|i| {
                (
                    i.start.format("%Y-%m-%dT%H:%MZ").to_string(),
                    i.end.format("%Y-%m-%dT%H:%MZ").to_string(),
                    i.shift.clone(),
                )
            })
            .collect()
    }

    fn s(a: &str, b: &str, l: &str) -> (String, String, String) {
        (a.into(), b.into(), l.into())
    }

    fn hours(v: &[Interval]) -> f64 {
        v.iter()
            .map(|i| (i.end - i.start).num_minutes() as f64)
            .sum::<f64>()
            / 60.0
    }

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;
    const BERLIN: Tz = chrono_tz::Europe::Berlin;

    #[test]
    fn hhmm_parses_and_formats() {
        assert_eq!(parse_hhmm("08:00", false), Some(480));
        assert_eq!(parse_hhmm("8:05", false), Some(485));
        assert_eq!(parse_hhmm("23:59", false), Some(1439));
        assert_eq!(parse_hhmm("24:00", false), None);
        assert_eq!(parse_hhmm("24:00", true), Some(1440));
        for bad in [
            "", "8", "08:0", "08:60", "25:00", "-1:00", "08:00:00", "ab:cd", "+8:00", "008:00",
        ] {
            assert_eq!(parse_hhmm(bad, true), None, "{bad}");
        }
        assert_eq!(format_minute(480, false), "08:00");
        assert_eq!(format_minute(1500, true), "01:00");
        assert_eq!(format_minute(1440, true), "24:00");
        assert_eq!(format_minute(0, false), "00:00");
    }

    #[test]
    fn weekday_masks_round_trip() {
        assert_eq!(weekdays_to_mask(&[1, 2, 3, 4, 5]), 0b001_1111);
        assert_eq!(weekdays_to_mask(&[7]), 0b100_0000);
        assert_eq!(mask_to_weekdays(0b100_0001), vec![1, 7]);
    }

    #[test]
    fn day_shift_with_break_in_plant_time() {
        let cal = CalendarModel {
            shifts: vec![shift("早班", &[1], "08:00", "16:30", &[("12:00", "12:30")])],
            exceptions: vec![],
        };
        // Monday 2026-11-30 in Shanghai (UTC+8).
        let got = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-11-29T00:00:00Z"),
            utc("2026-12-01T00:00:00Z"),
        );
        assert_eq!(
            spans(&got),
            vec![
                s("2026-11-30T00:00Z", "2026-11-30T04:00Z", "早班"),
                s("2026-11-30T04:30Z", "2026-11-30T08:30Z", "早班"),
            ]
        );
    }

    #[test]
    fn night_shift_crosses_midnight_and_belongs_to_its_start_day() {
        let cal = CalendarModel {
            shifts: vec![shift("夜班", &[5], "22:00", "06:00", &[("02:00", "02:30")])],
            exceptions: vec![],
        };
        // Friday 2026-12-04 22:00 to Saturday 06:00, Shanghai.
        let got = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-12-03T00:00:00Z"),
            utc("2026-12-07T00:00:00Z"),
        );
        assert_eq!(
            spans(&got),
            vec![
                s("2026-12-04T14:00Z", "2026-12-04T18:00Z", "夜班"),
                s("2026-12-04T18:30Z", "2026-12-04T22:00Z", "夜班"),
            ]
        );
        // A range starting inside the shift still sees it (expansion starts a day early).
        let tail = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-12-04T19:00:00Z"),
            utc("2026-12-04T20:00:00Z"),
        );
        assert_eq!(
            spans(&tail),
            vec![s("2026-12-04T19:00Z", "2026-12-04T20:00Z", "夜班")]
        );
    }

    #[test]
    fn two_shift_week_has_the_planned_hours() {
        let cal = two_shifts();
        assert_eq!(cal.weekly_minutes(), 5 * (8 * 60 + 8 * 60));
        // Monday 2026-11-30 00:00 to next Monday 00:00 Shanghai time.
        let got = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-11-29T16:00:00Z"),
            utc("2026-12-06T16:00:00Z"),
        );
        assert_eq!(hours(&got), 80.0);
        assert_eq!(got.len(), 20);
        assert!(
            got.windows(2).all(|w| w[0].end <= w[1].start),
            "ordered, no overlap"
        );
    }

    #[test]
    fn holiday_cancels_shifts_starting_that_day_only() {
        let mut cal = two_shifts();
        cal.exceptions.push(ExceptionModel {
            day: day("2026-10-01"),
            kind: CalendarExceptionKind::Holiday,
            range: None,
        });
        // 2026-09-30 (Wed) and 2026-10-01 (Thu), Shanghai.
        let got = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-09-30T00:00:00Z"),
            utc("2026-10-01T16:00:00Z"),
        );
        assert_eq!(
            spans(&got),
            vec![
                s("2026-09-30T00:00Z", "2026-09-30T04:00Z", "早班"),
                s("2026-09-30T04:30Z", "2026-09-30T08:30Z", "早班"),
                s("2026-09-30T08:30Z", "2026-09-30T12:30Z", "中班"),
                // The Wednesday evening shift runs to 01:00 on the holiday.
                s("2026-09-30T13:00Z", "2026-09-30T17:00Z", "中班"),
            ]
        );
    }

    #[test]
    fn overtime_adds_time_and_merges_with_shifts() {
        let mut cal = two_shifts();
        // Saturday overtime 08:00–16:30, and Monday overtime 06:00–09:00 overlapping the early shift.
        cal.exceptions.push(ExceptionModel {
            day: day("2026-12-05"),
            kind: CalendarExceptionKind::Overtime,
            range: Some(MinuteRange::new(480, 990)),
        });
        cal.exceptions.push(ExceptionModel {
            day: day("2026-12-07"),
            kind: CalendarExceptionKind::Overtime,
            range: Some(MinuteRange::new(360, 540)),
        });
        let sat = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-12-04T18:00:00Z"),
            utc("2026-12-05T16:00:00Z"),
        );
        assert_eq!(
            spans(&sat),
            vec![s("2026-12-05T00:00Z", "2026-12-05T08:30Z", "overtime")]
        );
        let mon = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-12-06T16:00:00Z"),
            utc("2026-12-07T04:00:00Z"),
        );
        assert_eq!(
            spans(&mon),
            vec![
                s("2026-12-06T22:00Z", "2026-12-07T00:00Z", "overtime"),
                s("2026-12-07T00:00Z", "2026-12-07T04:00Z", "早班"),
            ]
        );
    }

    #[test]
    fn overtime_on_a_holiday_works_and_shutdown_cuts_everything() {
        let mut cal = two_shifts();
        cal.exceptions.extend([
            ExceptionModel {
                day: day("2026-10-01"),
                kind: CalendarExceptionKind::Holiday,
                range: None,
            },
            ExceptionModel {
                day: day("2026-10-01"),
                kind: CalendarExceptionKind::Overtime,
                range: Some(MinuteRange::new(600, 720)),
            },
            // Power work Friday 2026-10-02 10:00 to 14:00: cuts the morning shift around the break.
            ExceptionModel {
                day: day("2026-10-02"),
                kind: CalendarExceptionKind::Shutdown,
                range: Some(MinuteRange::new(600, 840)),
            },
        ]);
        let hol = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-09-30T18:00:00Z"),
            utc("2026-10-01T16:00:00Z"),
        );
        assert_eq!(
            spans(&hol),
            vec![s("2026-10-01T02:00Z", "2026-10-01T04:00Z", "overtime")]
        );
        let fri = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-10-01T16:00:00Z"),
            utc("2026-10-02T08:30:00Z"),
        );
        assert_eq!(
            spans(&fri),
            vec![
                s("2026-10-02T00:00Z", "2026-10-02T02:00Z", "早班"),
                s("2026-10-02T06:00Z", "2026-10-02T08:30Z", "早班"),
            ]
        );
    }

    #[test]
    fn shutdown_across_midnight_cuts_a_night_shift() {
        let mut cal = two_shifts();
        // Tuesday 2026-12-01 23:00 to Wednesday 00:30.
        cal.exceptions.push(ExceptionModel {
            day: day("2026-12-01"),
            kind: CalendarExceptionKind::Shutdown,
            range: Some(MinuteRange::new(1380, 1470)),
        });
        let got = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-12-01T12:30:00Z"),
            utc("2026-12-01T18:00:00Z"),
        );
        assert_eq!(
            spans(&got),
            vec![
                s("2026-12-01T13:00Z", "2026-12-01T15:00Z", "中班"),
                s("2026-12-01T16:30Z", "2026-12-01T17:00Z", "中班"),
            ]
        );
    }

    #[test]
    fn range_cuts_intervals_and_empty_range_is_empty() {
        let cal = two_shifts();
        let got = working_intervals(
            &cal,
            SHANGHAI,
            utc("2026-11-30T01:00:00Z"),
            utc("2026-11-30T05:00:00Z"),
        );
        assert_eq!(
            spans(&got),
            vec![
                s("2026-11-30T01:00Z", "2026-11-30T04:00Z", "早班"),
                s("2026-11-30T04:30Z", "2026-11-30T05:00Z", "早班"),
            ]
        );
        assert!(
            working_intervals(
                &cal,
                SHANGHAI,
                utc("2026-11-30T05:00:00Z"),
                utc("2026-11-30T05:00:00Z")
            )
            .is_empty()
        );
        assert!(
            working_intervals(
                &cal,
                SHANGHAI,
                utc("2026-11-30T06:00:00Z"),
                utc("2026-11-30T05:00:00Z")
            )
            .is_empty()
        );
        assert!(
            working_intervals(
                &CalendarModel::default(),
                SHANGHAI,
                utc("2026-11-30T00:00:00Z"),
                utc("2026-12-30T00:00:00Z")
            )
            .is_empty()
        );
    }

    #[test]
    fn berlin_night_shift_is_shorter_in_spring_and_longer_in_autumn() {
        let cal = CalendarModel {
            shifts: vec![shift("Nacht", &[6], "22:00", "06:00", &[])],
            exceptions: vec![],
        };
        // Saturday 2027-03-27 22:00 CET (21:00Z) to Sunday 06:00 CEST (04:00Z): 7 hours.
        let spring = working_intervals(
            &cal,
            BERLIN,
            utc("2027-03-26T00:00:00Z"),
            utc("2027-03-29T00:00:00Z"),
        );
        assert_eq!(
            spans(&spring),
            vec![s("2027-03-27T21:00Z", "2027-03-28T04:00Z", "Nacht")]
        );
        // Saturday 2026-10-24 22:00 CEST (20:00Z) to Sunday 06:00 CET (05:00Z): 9 hours.
        let autumn = working_intervals(
            &cal,
            BERLIN,
            utc("2026-10-23T00:00:00Z"),
            utc("2026-10-26T00:00:00Z"),
        );
        assert_eq!(
            spans(&autumn),
            vec![s("2026-10-24T20:00Z", "2026-10-25T05:00Z", "Nacht")]
        );
    }

    #[test]
    fn berlin_times_in_the_gap_and_the_repeat() {
        // A shift starting in the spring gap (02:30 does not exist on 2027-03-28) starts when the
        // gap ends, 03:00 CEST; a break in the autumn repeat takes the first 02:15–02:45.
        let cal = CalendarModel {
            shifts: vec![
                shift("Früh", &[7], "02:30", "10:00", &[]),
                shift("Lang", &[7], "00:00", "12:00", &[("02:15", "02:45")]),
            ],
            exceptions: vec![],
        };
        let spring = working_intervals(
            &CalendarModel {
                shifts: vec![cal.shifts[0].clone()],
                exceptions: vec![],
            },
            BERLIN,
            utc("2027-03-27T00:00:00Z"),
            utc("2027-03-29T00:00:00Z"),
        );
        assert_eq!(
            spans(&spring),
            vec![s("2027-03-28T01:00Z", "2027-03-28T08:00Z", "Früh")]
        );
        let autumn = working_intervals(
            &CalendarModel {
                shifts: vec![cal.shifts[1].clone()],
                exceptions: vec![],
            },
            BERLIN,
            utc("2026-10-24T00:00:00Z"),
            utc("2026-10-26T00:00:00Z"),
        );
        assert_eq!(
            spans(&autumn),
            vec![
                s("2026-10-24T22:00Z", "2026-10-25T00:15Z", "Lang"),
                s("2026-10-25T00:45Z", "2026-10-25T11:00Z", "Lang"),
            ]
        );
        // 13 hours of wall-clock shift (the repeated hour counts), less the half-hour break.
        assert_eq!(hours(&autumn), 12.5);
    }

    #[test]
    fn local_to_utc_is_monotonic_through_changes() {
        let base = NaiveDate::from_ymd_opt(2026, 10, 25)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date");
        let mut last = local_to_utc(BERLIN, base);
        for m in 1..(24 * 60) {
            let t = local_to_utc(BERLIN, base + Duration::minutes(m));
            assert!(t > last, "minute {m}");
            last = t;
        }
        let base = NaiveDate::from_ymd_opt(2027, 3, 28)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date");
        let mut last = local_to_utc(BERLIN, base);
        for m in 1..(24 * 60) {
            let t = local_to_utc(BERLIN, base + Duration::minutes(m));
            assert!(t >= last, "minute {m}");
            last = t;
        }
        assert_eq!(
            local_to_utc(BERLIN, base + Duration::minutes(150)),
            Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap()
        );
    }

    #[test]
    fn week_ranges_wrap_sunday_night() {
        let sun = shift("N", &[7], "22:00", "06:00", &[]);
        assert_eq!(
            week_ranges(&sun),
            vec![
                MinuteRange::new(6 * DAY + 1320, 7 * DAY),
                MinuteRange::new(0, 360)
            ]
        );
    }
}
