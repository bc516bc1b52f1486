//! What the planner looks at: delivery forecast (交期), load per work centre (负荷) and the
//! Gantt chart, all from one plan (the published one unless another is asked for).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use mes_api_types::{
    MachineId, WorkCenterId, WorkOrderId,
    scheduling::{Forecast, ForecastRow, Load, LoadPeriod, LoadRow},
};

use super::{
    gantt::{self, Bar, Chart, Row, Zoom},
    models::{PlanRow, utc},
    queries, service,
};
use crate::{
    db::DbConnection,
    error::{AppError, AppResult},
    plant::calendar::local_to_utc,
    text,
};

/// Longest range the load and the Gantt chart cover at once.
pub const MAX_RANGE_DAYS: i64 = 92;

/// The plan a view shows: `plan_id`, else the published one.
pub fn view_plan(conn: &mut DbConnection, plan_id: Option<i64>) -> AppResult<PlanRow> {
    match plan_id {
        Some(id) => queries::find_plan(conn, id)?.ok_or_else(|| {
            AppError::NotFound(text!(
                "排程方案 {id} 不存在",
                "Schedule plan {id} does not exist"
            ))
        }),
        None => queries::published_plan(conn)?.ok_or_else(|| {
            AppError::NotFound(text!(
                "还没有已发布的排程",
                "No schedule has been published yet"
            ))
        }),
    }
}

fn check_range(from: DateTime<Utc>, to: DateTime<Utc>) -> AppResult<()> {
    if to <= from {
        return Err(AppError::invalid(
            "to",
            text!("to 必须晚于 from", "to must be after from"),
        ));
    }
    if to - from > Duration::days(MAX_RANGE_DAYS) {
        return Err(AppError::invalid(
            "to",
            text!(
                "时间范围最长 {MAX_RANGE_DAYS} 天",
                "The range may span at most {MAX_RANGE_DAYS} days"
            ),
        ));
    }
    Ok(())
}

/// Delivery forecast: every open order of the plan, planned finish against due date.
pub fn forecast(conn: &mut DbConnection, plan_id: Option<i64>) -> AppResult<Forecast> {
    let plan = view_plan(conn, plan_id)?;
    let orders: HashMap<i64, queries::OpenOrderRow> = queries::open_orders(conn)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let machines: HashMap<i64, (String, i64)> = queries::active_machines(conn)?
        .into_iter()
        .map(|(id, code, wc, _, _)| (id, (code, wc)))
        .collect();
    let centers: HashMap<i64, String> = queries::work_centers(conn)?
        .into_iter()
        .map(|(id, code, _, _)| (id, code))
        .collect();
    let mut rows: Vec<ForecastRow> = queries::planned_orders(conn, plan.id)?
        .into_iter()
        .filter_map(|p| {
            let order = orders.get(&p.work_order_id)?;
            let finish = utc(p.planned_finish);
            let due = utc(order.due_at);
            let late_minutes = (finish - due).num_minutes().max(0);
            let bottleneck = p.bottleneck_machine_id.filter(|_| late_minutes > 0);
            let machine = bottleneck.and_then(|m| machines.get(&m));
            Some(ForecastRow {
                work_order_id: WorkOrderId(order.id),
                work_order_number: order.number.clone(),
                product_code: order.product_code.clone(),
                priority: order.priority,
                due_at: due,
                planned_finish: finish,
                days_late: (late_minutes as f64 / 1440.0 * 100.0).round() / 100.0,
                late: late_minutes > 0,
                bottleneck_machine_id: bottleneck.map(MachineId),
                bottleneck_machine_code: machine.map(|m| m.0.clone()),
                bottleneck_work_center_code: machine.and_then(|m| centers.get(&m.1).cloned()),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.days_late
            .total_cmp(&a.days_late)
            .then(a.due_at.cmp(&b.due_at))
            .then(a.work_order_number.cmp(&b.work_order_number))
    });
    Ok(Forecast {
        plan_id: plan.id,
        orders: rows,
    })
}

/// Plant-local period starts covering `[from, to)`: local midnights, or Mondays for weeks.
fn periods(
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    period: LoadPeriod,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut day = from.with_timezone(&tz).date_naive();
    if period == LoadPeriod::Week {
        day -= Duration::days(i64::from(day.weekday().num_days_from_monday()));
    }
    let step = match period {
        LoadPeriod::Day => 1,
        LoadPeriod::Week => 7,
    };
    let mut out = Vec::new();
    loop {
        let start = local_to_utc(tz, day.and_time(NaiveTime::MIN));
        if start >= to {
            break;
        }
        let next = day + Duration::days(step);
        let end = local_to_utc(tz, next.and_time(NaiveTime::MIN));
        out.push((start, end));
        day = next;
    }
    out
}

fn overlap_minutes(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> i64 {
    (a.1.min(b.1) - a.0.max(b.0)).num_seconds().max(0) / 60
}

/// Minutes of `span` that fall in working time (`None`: always working).
fn working_minutes(
    working: Option<&[(DateTime<Utc>, DateTime<Utc>)]>,
    span: (DateTime<Utc>, DateTime<Utc>),
) -> i64 {
    match working {
        None => overlap_minutes(span, span),
        Some(ws) => ws.iter().map(|w| overlap_minutes(*w, span)).sum(),
    }
}

/// Load per work centre and period: planned machine time against available time.
pub fn load(
    conn: &mut DbConnection,
    tz: Tz,
    plan_id: Option<i64>,
    period: LoadPeriod,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> AppResult<Load> {
    let plan = view_plan(conn, plan_id)?;
    let ops = queries::planned_ops(conn, plan.id)?;
    let from = from.unwrap_or_else(|| utc(plan.origin));
    let to = to.unwrap_or_else(|| {
        let last = ops.iter().map(|o| utc(o.end_at)).max().unwrap_or(from);
        let minimum = from
            + match period {
                LoadPeriod::Day => Duration::days(1),
                LoadPeriod::Week => Duration::days(7),
            };
        last.max(minimum).min(from + Duration::days(MAX_RANGE_DAYS))
    });
    check_range(from, to)?;
    let periods = periods(tz, from, to, period);
    let (first, last) = (
        periods.first().map_or(from, |p| p.0),
        periods.last().map_or(to, |p| p.1),
    );
    let settings = queries::settings(conn)?;
    let machines = service::machine_calendars(conn, tz, first, last)?;
    let down_until =
        utc(plan.origin) + Duration::minutes(i64::from(settings.down_estimate_minutes));
    let mut rows = Vec::new();
    for (wc, code, name, _) in queries::work_centers(conn)? {
        let members: Vec<&service::MachineCalendar> =
            machines.iter().filter(|m| m.work_center_id == wc).collect();
        if members.is_empty() {
            continue;
        }
        for &(start, end) in &periods {
            let mut available = 0;
            let mut planned = 0;
            for m in &members {
                let working = m.working.as_deref();
                available += working_minutes(working, (start, end));
                if m.unavailable {
                    let blocked = (utc(plan.origin).max(start), down_until.min(end));
                    if blocked.0 < blocked.1 {
                        available -= working_minutes(working, blocked);
                    }
                }
                planned += ops
                    .iter()
                    .filter(|o| o.machine_id == m.id)
                    .map(|o| {
                        let span = (utc(o.setup_start).max(start), utc(o.end_at).min(end));
                        if span.0 < span.1 {
                            working_minutes(working, span)
                        } else {
                            0
                        }
                    })
                    .sum::<i64>();
            }
            let available = available.max(0);
            rows.push(LoadRow {
                work_center_id: WorkCenterId(wc),
                work_center_code: code.clone(),
                work_center_name: name.clone(),
                period_start: start,
                period_end: end,
                planned_hours: (planned as f64 / 60.0 * 100.0).round() / 100.0,
                available_hours: (available as f64 / 60.0 * 100.0).round() / 100.0,
                utilisation_percent: (available > 0)
                    .then(|| (planned as f64 / available as f64 * 1000.0).round() / 10.0),
                overloaded: planned > available,
            });
        }
    }
    Ok(Load {
        plan_id: plan.id,
        period,
        rows,
    })
}

/// Rows of the Gantt chart: by machine or by order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GanttBy {
    #[default]
    Machine,
    Order,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GanttZoom {
    #[default]
    Day,
    Week,
}

pub fn gantt_svg(
    conn: &mut DbConnection,
    tz: Tz,
    plan_id: i64,
    by: GanttBy,
    zoom: GanttZoom,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> AppResult<String> {
    let plan = view_plan(conn, Some(plan_id))?;
    let from = from.unwrap_or_else(|| utc(plan.origin));
    let to = to.unwrap_or_else(|| {
        from + match zoom {
            GanttZoom::Day => Duration::days(1),
            GanttZoom::Week => Duration::days(7),
        }
    });
    check_range(from, to)?;
    let ops = queries::planned_op_views(
        conn,
        plan.id,
        None,
        Some((from.naive_utc(), to.naive_utc())),
    )?;
    let settings = queries::settings(conn)?;
    let machines = service::machine_calendars(conn, tz, from, to)?;
    let bar = |o: &super::models::PlannedOpView, label: String| Bar {
        start: utc(o.setup_start),
        setup_end: utc(o.run_start),
        end: utc(o.end_at),
        order_id: o.work_order_id,
        label,
        late: o.late,
    };
    let rows: Vec<Row> = match by {
        GanttBy::Machine => machines
            .iter()
            .map(|m| {
                let mut off = Vec::new();
                if let Some(ws) = &m.working {
                    let mut t = from;
                    for &(a, b) in ws {
                        if a > t {
                            off.push((t, a));
                        }
                        t = t.max(b);
                    }
                    if t < to {
                        off.push((t, to));
                    }
                }
                let blocked = if m.unavailable {
                    let start = utc(plan.origin);
                    vec![(
                        start,
                        start + Duration::minutes(i64::from(settings.down_estimate_minutes)),
                    )]
                } else {
                    Vec::new()
                };
                Row {
                    label: m.code.clone(),
                    bars: ops
                        .iter()
                        .filter(|o| o.machine_id == m.id)
                        .map(|o| bar(o, o.work_order_number.clone()))
                        .collect(),
                    off,
                    blocked,
                }
            })
            .collect(),
        GanttBy::Order => {
            let mut rows: Vec<Row> = Vec::new();
            let mut index: HashMap<i64, usize> = HashMap::new();
            let mut sorted: Vec<&super::models::PlannedOpView> = ops.iter().collect();
            sorted.sort_by_key(|o| (o.work_order_number.clone(), o.seq));
            for o in sorted {
                let i = *index.entry(o.work_order_id).or_insert_with(|| {
                    rows.push(Row {
                        label: o.work_order_number.clone(),
                        bars: Vec::new(),
                        off: Vec::new(),
                        blocked: Vec::new(),
                    });
                    rows.len() - 1
                });
                rows[i].bars.push(bar(o, o.machine_code.clone()));
            }
            rows
        }
    };
    let mut legend: Vec<(i64, String, bool)> = ops
        .iter()
        .map(|o| (o.work_order_id, o.work_order_number.clone(), o.late))
        .collect();
    legend.sort_by(|a, b| a.1.cmp(&b.1));
    legend.dedup_by_key(|e| e.0);
    let title = format!(
        "排程 V{} · {} · {}",
        plan.version,
        match by {
            GanttBy::Machine => "按设备",
            GanttBy::Order => "按工单",
        },
        from.with_timezone(&tz).format("%Y-%m-%d %H:%M")
    );
    Ok(gantt::render(&Chart {
        title,
        from,
        to,
        now: Utc::now(),
        zoom: match zoom {
            GanttZoom::Day => Zoom::Day,
            GanttZoom::Week => Zoom::Week,
        },
        tz,
        rows,
        legend,
    }))
}
