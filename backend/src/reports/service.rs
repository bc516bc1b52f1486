//! The piece-rate report: reports and labour entries of a date range, bucketed per operator per
//! local day, week (from Monday) or month, and its CSV and XLSX renderings.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use diesel::prelude::*;
use mes_api_types::{
    Lang, UserId, WorkOrderOperationId,
    auth::Role,
    station::{PieceRateLine, PieceRateQuery, PieceRateReport, PieceRateRow, ReportPeriod},
};

use crate::{
    auth::session::SessionUser,
    db::{
        DbConnection,
        schema::{
            labour_entries, production_reports, products, users, work_order_operations, work_orders,
        },
    },
    error::{AppError, AppResult},
    text,
};

/// Longest range one report covers.
const MAX_DAYS: i64 = 366;

fn sees_everyone(user: &SessionUser) -> bool {
    user.roles
        .iter()
        .any(|r| matches!(r, Role::Admin | Role::Manager | Role::Supervisor))
}

/// The first day of the period holding `day`.
pub fn period_start(day: NaiveDate, period: ReportPeriod) -> NaiveDate {
    match period {
        ReportPeriod::Day => day,
        ReportPeriod::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
        ReportPeriod::Month => day.with_day(1).unwrap_or(day),
    }
}

fn next_period(start: NaiveDate, period: ReportPeriod) -> NaiveDate {
    match period {
        ReportPeriod::Day => start + Days::new(1),
        ReportPeriod::Week => start + Days::new(7),
        ReportPeriod::Month => start + Months::new(1),
    }
}

/// Local midnight of `day` as UTC (the earliest instant of a DST-ambiguous midnight).
fn utc_midnight(day: NaiveDate, tz: Tz) -> NaiveDateTime {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(local)
}

fn local_day(at: NaiveDateTime, tz: Tz) -> NaiveDate {
    tz.from_utc_datetime(&at).date_naive()
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// A report as the piece-rate report reads it: operator, time, operation id, order number, seq,
/// operation name, product code, good quantity, piece rate.
type ReportLine = (
    Option<i64>,
    NaiveDateTime,
    i64,
    String,
    i32,
    String,
    String,
    f64,
    Option<f64>,
);

#[derive(Default)]
struct Bucket {
    lines: BTreeMap<i64, PieceRateLine>,
    hours: f64,
}

pub fn piece_rate(
    conn: &mut DbConnection,
    user: &SessionUser,
    query: &PieceRateQuery,
    tz: Tz,
    now: NaiveDateTime,
) -> AppResult<PieceRateReport> {
    if query.to < query.from {
        return Err(AppError::invalid(
            "to",
            text!(
                "结束日期早于开始日期",
                "The end date is before the start date"
            ),
        ));
    }
    if (query.to - query.from).num_days() >= MAX_DAYS {
        return Err(AppError::invalid(
            "to",
            text!(
                "报表最多覆盖 {MAX_DAYS} 天",
                "A report covers at most {MAX_DAYS} days"
            ),
        ));
    }
    let only_user = match query.user_id {
        Some(id) if id.0 != user.id && !sees_everyone(user) => return Err(AppError::Forbidden),
        Some(id) => Some(id.0),
        None if sees_everyone(user) => None,
        None => Some(user.id),
    };
    let start = utc_midnight(query.from, tz);
    let end = utc_midnight(query.to + Days::new(1), tz);
    let period = query.period;

    let mut reports = production_reports::table
        .inner_join(
            work_order_operations::table.inner_join(work_orders::table.inner_join(products::table)),
        )
        .filter(production_reports::reported_at.ge(start))
        .filter(production_reports::reported_at.lt(end))
        .filter(production_reports::operator_id.is_not_null())
        .into_boxed();
    if let Some(u) = only_user {
        reports = reports.filter(production_reports::operator_id.eq(u));
    }
    let rows: Vec<ReportLine> = reports
        .select((
            production_reports::operator_id,
            production_reports::reported_at,
            production_reports::operation_id,
            work_orders::number,
            work_order_operations::seq,
            work_order_operations::name,
            products::code,
            production_reports::good,
            work_order_operations::piece_rate,
        ))
        .load(conn)?;

    let mut labour = labour_entries::table
        .filter(labour_entries::started_at.lt(end))
        .filter(
            labour_entries::ended_at
                .is_null()
                .or(labour_entries::ended_at.gt(start)),
        )
        .into_boxed();
    if let Some(u) = only_user {
        labour = labour.filter(labour_entries::user_id.eq(u));
    }
    let intervals: Vec<(i64, NaiveDateTime, Option<NaiveDateTime>)> = labour
        .select((
            labour_entries::user_id,
            labour_entries::started_at,
            labour_entries::ended_at,
        ))
        .load(conn)?;

    let mut buckets: BTreeMap<(i64, NaiveDate), Bucket> = BTreeMap::new();
    for (operator, at, op_id, number, seq, name, product, good, rate) in rows {
        let Some(operator) = operator else { continue };
        let key = (operator, period_start(local_day(at, tz), period));
        let line = buckets
            .entry(key)
            .or_default()
            .lines
            .entry(op_id)
            .or_insert_with(|| PieceRateLine {
                operation_id: WorkOrderOperationId(op_id),
                work_order_number: number,
                seq,
                operation_name: name,
                product_code: product,
                good: 0.0,
                piece_rate: rate,
                amount: 0.0,
            });
        line.good += good;
    }
    // Labour hours, split at period boundaries (a night shift spans two days).
    for (operator, from, to) in intervals {
        let mut cur = from.max(start);
        let stop = to.unwrap_or(now).min(end);
        while cur < stop {
            let bucket_start = period_start(local_day(cur, tz), period);
            let boundary = utc_midnight(next_period(bucket_start, period), tz).min(stop);
            let seconds = (boundary - cur).num_seconds().max(0) as f64;
            buckets.entry((operator, bucket_start)).or_default().hours += seconds / 3600.0;
            if boundary <= cur {
                break;
            }
            cur = boundary;
        }
    }

    let user_ids: Vec<i64> = buckets.keys().map(|(u, _)| *u).collect();
    let names: HashMap<i64, (String, String)> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::username, users::display_name))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, u, d)| (id, (u, d)))
        .collect();
    let mut out: Vec<PieceRateRow> = buckets
        .into_iter()
        .map(|((user_id, period_start), bucket)| {
            let lines: Vec<PieceRateLine> = bucket
                .lines
                .into_values()
                .map(|mut l| {
                    l.good = round(l.good, 6);
                    l.amount = round(l.good * l.piece_rate.unwrap_or(0.0), 2);
                    l
                })
                .collect();
            let (username, display_name) = names.get(&user_id).cloned().unwrap_or_default();
            PieceRateRow {
                user_id: UserId(user_id),
                username,
                display_name,
                period_start,
                good: round(lines.iter().map(|l| l.good).sum(), 6),
                amount: round(lines.iter().map(|l| l.amount).sum(), 2),
                hours: round(bucket.hours, 2),
                lines,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.period_start
            .cmp(&b.period_start)
            .then(a.username.cmp(&b.username))
    });
    let total_amount = round(out.iter().map(|r| r.amount).sum(), 2);
    Ok(PieceRateReport {
        from: query.from,
        to: query.to,
        period,
        rows: out,
        total_amount,
    })
}

fn headers(lang: Lang) -> [&'static str; 11] {
    match lang {
        Lang::ZhCn => [
            "期间",
            "工号",
            "姓名",
            "工单",
            "工序号",
            "工序",
            "产品",
            "合格数",
            "计件单价",
            "金额",
            "工时（小时）",
        ],
        Lang::En => [
            "Period",
            "User",
            "Name",
            "Work order",
            "Seq",
            "Operation",
            "Product",
            "Good",
            "Piece rate",
            "Amount",
            "Hours",
        ],
    }
}

fn total_label(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "合计",
        Lang::En => "Total",
    }
}

/// One table for both files: each operation line, then the operator's period total with hours.
fn table(report: &PieceRateReport, lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for r in &report.rows {
        let period = r.period_start.to_string();
        for l in &r.lines {
            rows.push(vec![
                Cell::Text(period.clone()),
                Cell::Text(r.username.clone()),
                Cell::Text(r.display_name.clone()),
                Cell::Text(l.work_order_number.clone()),
                Cell::Number(f64::from(l.seq)),
                Cell::Text(l.operation_name.clone()),
                Cell::Text(l.product_code.clone()),
                Cell::Number(l.good),
                l.piece_rate.map(Cell::Number).unwrap_or(Cell::Empty),
                Cell::Number(l.amount),
                Cell::Empty,
            ]);
        }
        rows.push(vec![
            Cell::Text(period),
            Cell::Text(r.username.clone()),
            Cell::Text(r.display_name.clone()),
            Cell::Empty,
            Cell::Empty,
            Cell::Text(total_label(lang).to_owned()),
            Cell::Empty,
            Cell::Number(r.good),
            Cell::Empty,
            Cell::Number(r.amount),
            Cell::Number(r.hours),
        ]);
    }
    rows
}

enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

/// CSV, UTF-8 with a byte-order mark: without it Excel reads Chinese as mojibake.
pub fn to_csv(report: &PieceRateReport, lang: Lang) -> AppResult<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer
            .write_record(headers(lang))
            .map_err(|e| AppError::Internal(e.into()))?;
        for row in table(report, lang) {
            writer
                .write_record(row.iter().map(|c| match c {
                    Cell::Text(t) => t.clone(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Empty => String::new(),
                }))
                .map_err(|e| AppError::Internal(e.into()))?;
        }
        writer.flush().map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok(out)
}

pub fn to_xlsx(report: &PieceRateReport, lang: Lang) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(match lang {
            Lang::ZhCn => "计件",
            Lang::En => "Piece rate",
        })
        .map_err(internal)?;
    let bold = Format::new().set_bold();
    for (col, title) in headers(lang).iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *title, &bold)
            .map_err(internal)?;
    }
    for (i, row) in table(report, lang).into_iter().enumerate() {
        let r = (i + 1) as u32;
        for (col, cell) in row.into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(t) => sheet.write_string(r, col, t).map(drop),
                Cell::Number(n) => sheet.write_number(r, col, n).map(drop),
                Cell::Empty => Ok(()),
            }
            .map_err(internal)?;
        }
    }
    workbook.save_to_buffer().map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_on_day_monday_and_first() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(); // a Thursday
        assert_eq!(period_start(d, ReportPeriod::Day), d);
        assert_eq!(
            period_start(d, ReportPeriod::Week),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(
            period_start(d, ReportPeriod::Month),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
        assert_eq!(
            next_period(
                NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                ReportPeriod::Month
            ),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }
}
