//! The demo plant's work orders: about 300 in every state, with history back-dated from `now`
//! (created, released, started, reported, held, completed, closed), so every screen has
//! something realistic to show: late orders, partial progress, holds with reasons, splits and
//! orders waiting for their components. Deterministic: a fixed seed, no clock but `now`.
//!
//! Runs after the plant part (products, routings, BOMs) and reads what it made; does nothing
//! when orders exist already or nothing can be made.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use mes_api_types::work_orders::{NewWorkOrder, SplitRequest, TransitionRequest, WorkOrderAction};

use crate::{
    db::{DbConnection, write_transaction},
    error::AppResult,
    http::extract::Actor,
    work_orders::{queries, service},
};

/// SplitMix64: tiny, fast, and the same sequence on every platform and crate version.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo + 1).max(1) as u64;
        lo + (self.next() % span) as i64
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const CUSTOMERS: &[&str] = &[
    "苏州精密机械有限公司",
    "宁波东方汽车配件有限公司",
    "深圳华联电子科技有限公司",
    "青岛海工装备股份有限公司",
    "无锡长江液压件厂",
    "广州白云空调设备有限公司",
    "杭州西子电梯配件有限公司",
    "东莞众诚五金制品有限公司",
    "天津滨海泵业有限公司",
    "重庆山城摩托车配件有限公司",
    "武汉光谷智能装备有限公司",
    "成都蜀能机电有限公司",
    "佛山顺德家电配件厂",
    "上海浦江阀门有限公司",
    "常州恒力传动机械有限公司",
    "厦门海沧船舶配件有限公司",
];

const NOTES: &[&str] = &[
    "",
    "",
    "",
    "",
    "客户要求加急，优先安排",
    "包装按出口标准（木箱+防锈）",
    "首件需送客户确认后再批量生产",
    "随货附材质证明和检验报告",
    "分两批发货",
];

const HOLD_REASONS: &[&str] = &[
    "缺料：等待铝棒到货（预计 3 天）",
    "设备故障：主轴异响，等待维修",
    "质量问题：首件检验不合格，待工艺确认",
    "客户要求暂停：图纸变更中",
    "模具维修中",
    "等待外协热处理返回",
];

const CANCEL_REASONS: &[&str] = &[
    "客户取消订单",
    "重复下单",
    "设计变更，改用新版本产品",
    "客户合并到后续订单",
];

const SHORT_CLOSE_REASONS: &[&str] =
    &["客户只需部分数量，余量取消", "材料不足，按实际完工数量结案"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Goal {
    Draft,
    Released,
    InProgress,
    OnHold { started: bool },
    Completed { short: bool },
    Closed,
    Cancelled { released: bool },
}

/// How many of each: about 300 orders, most of them open, as a plant in the middle of a month.
fn goals(rng: &mut Rng) -> Vec<Goal> {
    let mut goals = Vec::new();
    let counts: [(Goal, usize); 10] = [
        (Goal::Draft, 42),
        (Goal::Released, 78),
        (Goal::InProgress, 66),
        (Goal::OnHold { started: false }, 8),
        (Goal::OnHold { started: true }, 12),
        (Goal::Completed { short: false }, 34),
        (Goal::Completed { short: true }, 4),
        (Goal::Closed, 30),
        (Goal::Cancelled { released: false }, 8),
        (Goal::Cancelled { released: true }, 8),
    ];
    for (goal, n) in counts {
        goals.extend(std::iter::repeat_n(goal, n));
    }
    // Fisher–Yates, so states interleave over numbers and time.
    for i in (1..goals.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        goals.swap(i, j);
    }
    goals
}

/// A made product the demo can order, with the components of its active BOM.
struct Orderable {
    id: i64,
    kind: String,
    components: Vec<i64>,
}

/// An order made so far: what later orders may wait for.
struct Made {
    id: i64,
    product_id: i64,
    due_at: NaiveDateTime,
    open: bool,
}

/// Due at 17:00 plant time (UTC+8), the usual dispatch cut-off.
fn due_on(day: NaiveDateTime) -> NaiveDateTime {
    day.date()
        .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
}

pub fn fill_orders(conn: &mut DbConnection, actor: &Actor, now: NaiveDateTime) -> AppResult<()> {
    if queries::any_orders(conn)? {
        return Ok(());
    }
    let mut products = Vec::new();
    for (id, kind) in queries::releasable_products(conn)? {
        let components = match queries::active_bom(conn, id)? {
            Some((bom, _)) => queries::bom_lines_of(conn, bom)?
                .into_iter()
                .map(|l| l.component_id)
                .collect(),
            None => Vec::new(),
        };
        products.push(Orderable {
            id,
            kind,
            components,
        });
    }
    if products.is_empty() {
        return Ok(());
    }
    write_transaction(conn, |conn| fill(conn, actor, now, &products))
}

fn fill(
    conn: &mut DbConnection,
    actor: &Actor,
    now: NaiveDateTime,
    products: &[Orderable],
) -> AppResult<()> {
    let mut rng = Rng(0x4D45_535F_4445_4D4F); // "MES_DEMO"
    let finished: Vec<&Orderable> = products.iter().filter(|p| p.kind == "finished").collect();
    let semi: Vec<&Orderable> = products.iter().filter(|p| p.kind != "finished").collect();
    let mut made: Vec<Made> = Vec::new();
    let mut splits = 0;
    let mut waiting = 0;
    for (i, goal) in goals(&mut rng).into_iter().enumerate() {
        let product = if semi.is_empty() || (!finished.is_empty() && rng.chance(0.6)) {
            *rng.pick(&finished)
        } else {
            *rng.pick(&semi)
        };
        let is_finished = product.kind == "finished";
        let quantity = if is_finished {
            (rng.range(2, 50) * 10) as f64
        } else {
            (rng.range(2, 40) * 50) as f64
        };
        let age_days = match goal {
            Goal::Draft => rng.range(0, 4),
            Goal::Released => rng.range(1, 8),
            Goal::InProgress | Goal::OnHold { .. } => rng.range(3, 14),
            Goal::Completed { .. } => rng.range(6, 20),
            Goal::Closed => rng.range(15, 45),
            Goal::Cancelled { .. } => rng.range(2, 30),
        };
        let created = now - Duration::days(age_days) - Duration::minutes(rng.range(30, 600));
        let open = matches!(
            goal,
            Goal::Released | Goal::InProgress | Goal::OnHold { .. }
        );
        let due_at = due_on(match goal {
            // About one open order in eight is late.
            _ if open && rng.chance(0.12) => now - Duration::days(rng.range(1, 6)),
            Goal::Draft => now + Duration::days(rng.range(7, 42)),
            _ if open => now + Duration::days(rng.range(1, 35)),
            _ => created + Duration::days(rng.range(5, 25)),
        });
        let release_at = (matches!(goal, Goal::Draft | Goal::Released) && rng.chance(0.25))
            .then(|| due_at - Duration::days(rng.range(3, 10)))
            .filter(|r| *r > created)
            .map(|r| r.and_utc());
        // A finished order may wait for an open order of one of its components.
        let mut predecessors = Vec::new();
        if is_finished
            && matches!(goal, Goal::Draft | Goal::Released)
            && waiting < 12
            && let Some(m) = made
                .iter()
                .rev()
                .find(|m| m.open && m.due_at < due_at && product.components.contains(&m.product_id))
        {
            predecessors.push(mes_api_types::WorkOrderId(m.id));
            waiting += 1;
        }
        let priority = match rng.range(0, 19) {
            0 => 1,
            1..=3 => 2,
            4..=15 => 3,
            16..=18 => 4,
            _ => 5,
        };
        let detail = service::create_at(
            conn,
            actor,
            NewWorkOrder {
                number: None,
                product_id: mes_api_types::ProductId(product.id),
                quantity,
                due_at: due_at.and_utc(),
                release_at,
                priority: Some(priority),
                customer: if is_finished {
                    (*rng.pick(CUSTOMERS)).to_owned()
                } else {
                    String::new()
                },
                sales_order: if is_finished {
                    format!("SO{}-{:04}", created.format("%y%m"), 100 + i * 7 % 900)
                } else {
                    String::new()
                },
                notes: if is_finished {
                    (*rng.pick(NOTES)).to_owned()
                } else {
                    "半成品备货".to_owned()
                },
                predecessors,
            },
            created,
        )?;
        let id = detail.order.id.0;
        made.push(Made {
            id,
            product_id: product.id,
            due_at,
            open: !matches!(
                goal,
                Goal::Completed { .. } | Goal::Closed | Goal::Cancelled { .. }
            ),
        });
        run(conn, actor, &mut rng, id, quantity, goal, created, now)?;
        // A few released or running orders were split (part delivered earlier, or a second
        // line takes part of the quantity).
        if matches!(goal, Goal::Released | Goal::InProgress) && splits < 12 && rng.chance(0.1) {
            let order = service::load(conn, id)?;
            let first = order.operations.first();
            let unstarted = quantity - first.map(|o| o.qty_good + o.qty_scrap).unwrap_or(0.0);
            let part = (unstarted * 0.4 / 10.0).floor() * 10.0;
            if part >= 10.0 && part < quantity {
                let when = now - Duration::hours(rng.range(1, 24));
                service::split_at(
                    conn,
                    actor,
                    id,
                    SplitRequest {
                        quantity: part,
                        due_at: Some((due_at + Duration::days(rng.range(2, 7))).and_utc()),
                    },
                    when.max(created + Duration::minutes(1)),
                )?;
                splits += 1;
            }
        }
    }
    Ok(())
}

fn act(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    action: WorkOrderAction,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> AppResult<()> {
    service::transition_at(
        conn,
        actor,
        id,
        action,
        TransitionRequest {
            reason: reason.map(str::to_owned),
            lock_version: None,
        },
        at,
    )
    .map(drop)
}

/// Moves a new draft to its goal, reporting work on its operations on the way.
#[allow(clippy::too_many_arguments)]
fn run(
    conn: &mut DbConnection,
    actor: &Actor,
    rng: &mut Rng,
    id: i64,
    quantity: f64,
    goal: Goal,
    created: NaiveDateTime,
    now: NaiveDateTime,
) -> AppResult<()> {
    use WorkOrderAction as A;
    // Each step happens after the previous one and before now.
    let span = (now - created).num_minutes().max(60);
    let mut clock = created;
    let mut step = |rng: &mut Rng, share: f64| {
        let minutes = ((span as f64 * share) as i64).max(1);
        clock = (clock + Duration::minutes(rng.range(minutes / 2, minutes))).min(now);
        clock
    };
    match goal {
        Goal::Draft => Ok(()),
        Goal::Cancelled { released } => {
            if released {
                act(conn, actor, id, A::Release, None, step(rng, 0.1))?;
            }
            let reason = *rng.pick(CANCEL_REASONS);
            act(conn, actor, id, A::Cancel, Some(reason), step(rng, 0.3))
        }
        Goal::Released => act(conn, actor, id, A::Release, None, step(rng, 0.1)),
        Goal::OnHold { started: false } => {
            act(conn, actor, id, A::Release, None, step(rng, 0.1))?;
            let reason = *rng.pick(HOLD_REASONS);
            act(conn, actor, id, A::Hold, Some(reason), step(rng, 0.3))
        }
        Goal::InProgress | Goal::OnHold { started: true } => {
            act(conn, actor, id, A::Release, None, step(rng, 0.1))?;
            let started = step(rng, 0.1);
            act(conn, actor, id, A::Start, None, started)?;
            let share = rng.unit() * 0.9;
            let until = step(rng, 0.4);
            report(conn, rng, id, quantity, share, started, until)?;
            if goal == Goal::InProgress {
                return Ok(());
            }
            let reason = *rng.pick(HOLD_REASONS);
            act(conn, actor, id, A::Hold, Some(reason), step(rng, 0.2))
        }
        Goal::Completed { .. } | Goal::Closed => {
            // A short-closed order stops part-way, with the reason on record.
            let short = goal == Goal::Completed { short: true };
            act(conn, actor, id, A::Release, None, step(rng, 0.05))?;
            let started = step(rng, 0.05);
            act(conn, actor, id, A::Start, None, started)?;
            let done_at = step(rng, 0.5);
            let share = if short { 0.85 } else { 1.0 };
            report(conn, rng, id, quantity, share, started, done_at)?;
            let reason = short.then(|| *rng.pick(SHORT_CLOSE_REASONS));
            act(conn, actor, id, A::Complete, reason, done_at)?;
            if goal == Goal::Closed {
                act(conn, actor, id, A::Close, None, step(rng, 0.2))?;
            }
            Ok(())
        }
    }
}

/// Records work on the order's operations in sequence: the first `share` of them finished
/// (with a little scrap), the next one part-way, the rest not started.
fn report(
    conn: &mut DbConnection,
    rng: &mut Rng,
    id: i64,
    quantity: f64,
    share: f64,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> AppResult<()> {
    let ops = queries::operations_of(conn, id)?;
    let n = ops.len();
    if n == 0 {
        return Ok(());
    }
    let done = ((share * n as f64).floor() as usize).min(n);
    let mut input = quantity;
    let minutes = (until - from).num_minutes().max(n as i64);
    for (i, op) in ops.iter().enumerate() {
        let start = from + Duration::minutes(minutes * i as i64 / n as i64);
        let end = from + Duration::minutes(minutes * (i as i64 + 1) / n as i64);
        let scrap_of = |rng: &mut Rng, q: f64| {
            if rng.chance(0.4) {
                (q * rng.unit() * 0.03).round()
            } else {
                0.0
            }
        };
        if i < done {
            let scrap = scrap_of(rng, input);
            let good = input - scrap;
            queries::set_operation_quantities(
                conn,
                op.id,
                "done",
                good,
                scrap,
                0.0,
                Some(start),
                Some(end),
            )?;
            input = good;
        } else if i == done && share < 1.0 {
            let part = (input * (0.15 + rng.unit() * 0.7)).round();
            if part >= 1.0 {
                let scrap = scrap_of(rng, part).min(part);
                let status = if rng.chance(0.2) {
                    "paused"
                } else {
                    "in_progress"
                };
                queries::set_operation_quantities(
                    conn,
                    op.id,
                    status,
                    part - scrap,
                    scrap,
                    0.0,
                    Some(start),
                    None,
                )?;
            }
            break;
        } else {
            break;
        }
    }
    service::recompute_progress(conn, id)?;
    Ok(())
}
