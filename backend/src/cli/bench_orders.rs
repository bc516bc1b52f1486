//! `mes bench work-orders`: the work-order list at plant scale. Fills the database up to N orders
//! (multi-row inserts in large transactions: seconds, not minutes), then times the list through
//! the service layer — the same function the HTTP handler calls — for representative filters,
//! sorts and a deep cursor, and prints p50/p99 per case as JSON.
//!
//! The orders look like a plant's history: three years of orders, almost all closed; the open
//! ones due over the coming weeks, some late; 40 customers; three operations each.

use std::time::Instant;

use chrono::{Duration, NaiveDateTime};
use diesel::{connection::SimpleConnection, prelude::*};
use mes_api_types::{
    SortDir,
    work_orders::{WorkOrderSort, WorkOrderStatus},
};
use serde_json::{Value, json};

use crate::{
    db::{
        Db, DbConnection, now,
        schema::{products, work_centers, work_order_operations, work_orders},
    },
    demo::orders::Rng,
    work_orders::{
        cursor::{Cursor, Keyset, fingerprint},
        models::{NewOperationRow, NewWorkOrderRow, WorkOrderRow},
        queries::{self, ListFilter},
        service::{self, ListRequest},
    },
};

const PRODUCTS: usize = 40;
const BATCH: usize = 1000;

const CUSTOMER_STEMS: &[&str] = &[
    "苏州精密机械",
    "宁波东方汽配",
    "深圳华联电子",
    "青岛海工装备",
    "无锡长江液压",
    "广州白云空调",
    "杭州西子电梯",
    "东莞众诚五金",
    "天津滨海泵业",
    "重庆山城摩配",
    "武汉光谷智能",
    "成都蜀能机电",
    "佛山顺德家电",
    "上海浦江阀门",
    "常州恒力传动",
    "厦门海沧船配",
    "ACME Tools",
    "Bosch Rexroth",
    "Nordic Pumps",
    "Atlas Drives",
];

fn customer(i: u64) -> String {
    let stem = CUSTOMER_STEMS[(i % CUSTOMER_STEMS.len() as u64) as usize];
    if i.is_multiple_of(2) {
        format!("{stem}有限公司")
    } else {
        format!("{stem} 二分厂")
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The bench's own work centre and products (codes `BENCH-…`), made once.
fn master_data(conn: &mut DbConnection) -> QueryResult<(i64, Vec<i64>)> {
    let at = now();
    let wc: Option<i64> = work_centers::table
        .filter(work_centers::code.eq("BENCH-WC"))
        .select(work_centers::id)
        .first(conn)
        .optional()?;
    let wc = match wc {
        Some(id) => id,
        None => diesel::insert_into(work_centers::table)
            .values((
                work_centers::code.eq("BENCH-WC"),
                work_centers::name.eq("基准测试工作中心"),
                work_centers::created_at.eq(at),
                work_centers::updated_at.eq(at),
            ))
            .returning(work_centers::id)
            .get_result(conn)?,
    };
    let mut ids = Vec::new();
    for p in 0..PRODUCTS {
        let code = format!("BENCH-P{p:02}");
        let id: Option<i64> = products::table
            .filter(products::code.eq(&code))
            .select(products::id)
            .first(conn)
            .optional()?;
        let id = match id {
            Some(id) => id,
            None => diesel::insert_into(products::table)
                .values((
                    products::code.eq(&code),
                    products::name.eq(format!("基准产品 {p:02}")),
                    products::kind.eq(if p % 4 == 0 { "semi" } else { "finished" }),
                    products::created_at.eq(at),
                    products::updated_at.eq(at),
                ))
                .returning(products::id)
                .get_result(conn)?,
        };
        ids.push(id);
    }
    Ok((wc, ids))
}

/// Order `k` of `n`: created over three years up to now; statuses by age.
fn order_row(
    k: u64,
    n: u64,
    rng: &mut Rng,
    products: &[i64],
    at: NaiveDateTime,
) -> NewWorkOrderRow {
    let span_minutes = 3 * 365 * 24 * 60;
    let created = at - Duration::minutes(((n - k) * span_minutes / n.max(1)) as i64);
    let due_at = created + Duration::days(rng.range(7, 45));
    let age_days = (at - created).num_days();
    let status = if age_days > 60 {
        match rng.range(0, 99) {
            0..=2 => WorkOrderStatus::Cancelled,
            3..=4 => WorkOrderStatus::Completed,
            _ => WorkOrderStatus::Closed,
        }
    } else {
        match rng.range(0, 99) {
            0..=14 => WorkOrderStatus::Draft,
            15..=44 => WorkOrderStatus::Released,
            45..=69 => WorkOrderStatus::InProgress,
            70..=74 => WorkOrderStatus::OnHold,
            75..=89 => WorkOrderStatus::Completed,
            90..=94 => WorkOrderStatus::Closed,
            _ => WorkOrderStatus::Cancelled,
        }
    };
    let released = !matches!(status, WorkOrderStatus::Draft | WorkOrderStatus::Cancelled);
    NewWorkOrderRow {
        number: format!("BW-{k:07}"),
        product_id: products[rng.range(0, products.len() as i64 - 1) as usize],
        quantity: (rng.range(1, 200) * 5) as f64,
        due_at,
        release_at: None,
        priority: [3, 3, 3, 3, 2, 2, 4, 1, 5, 3][rng.range(0, 9) as usize],
        customer: customer(rng.range(0, 79) as u64),
        sales_order: format!("SO{}-{:05}", created.format("%y%m"), k % 100_000),
        notes: String::new(),
        status: status.as_str().to_owned(),
        held_from: (status == WorkOrderStatus::OnHold).then(|| "released".to_owned()),
        hold_reason: (status == WorkOrderStatus::OnHold).then(|| "缺料".to_owned()),
        routing_id: None,
        bom_id: None,
        parent_id: None,
        created_at: created,
        updated_at: created,
        released_at: released.then_some(created + Duration::hours(4)),
        started_at: None,
    }
}

/// Adds orders until there are `target`; returns how many it added.
fn fill(conn: &mut DbConnection, target: u64) -> Result<u64, String> {
    let have: i64 = work_orders::table.count().get_result(conn).map_err(err)?;
    let have = have.max(0) as u64;
    if have >= target {
        return Ok(0);
    }
    let (wc, products) = conn.transaction(master_data).map_err(err)?;
    let at = now();
    let mut rng = Rng(0x0042_454E_4348); // "BENCH"
    let mut k = have;
    while k < target {
        // Ten batches per transaction: few fsyncs, bounded memory.
        conn.transaction(|conn| {
            for _ in 0..10 {
                if k >= target {
                    break;
                }
                let end = (k + BATCH as u64).min(target);
                let rows: Vec<NewWorkOrderRow> = (k..end)
                    .map(|i| order_row(i, target, &mut rng, &products, at))
                    .collect();
                let ids: Vec<(i64, String)> = crate::on_backend!(conn, |c| {
                    diesel::insert_into(work_orders::table)
                        .values(&rows)
                        .returning((work_orders::id, work_orders::status))
                        .get_results(c)
                })?;
                let ops: Vec<NewOperationRow> = ids
                    .iter()
                    .filter(|(_, s)| s != "draft" && s != "cancelled")
                    .flat_map(|(id, _)| {
                        (1..=3).map(move |seq| NewOperationRow {
                            work_order_id: *id,
                            seq: seq * 10,
                            name: ["下料", "加工", "装配"][seq as usize - 1].to_owned(),
                            work_center_id: wc,
                            routing_operation_id: None,
                            setup_minutes: 20.0,
                            run_minutes_per_unit: 1.5,
                            queue_minutes: 0.0,
                            transfer_minutes: 0.0,
                            inspection_required: seq == 3,
                            instruction: String::new(),
                            status: "pending".to_owned(),
                            piece_rate: None,
                        })
                    })
                    .collect();
                for chunk in ops.chunks(BATCH) {
                    crate::on_backend!(conn, |c| {
                        diesel::insert_into(work_order_operations::table)
                            .values(chunk)
                            .execute(c)
                    })?;
                }
                k = end;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .map_err(err)?;
    }
    Ok(target - have)
}

struct Case {
    name: &'static str,
    query: String,
    request: ListRequest,
}

fn request(filter: ListFilter, sort: WorkOrderSort, dir: SortDir) -> ListRequest {
    ListRequest {
        filter,
        sort,
        dir,
        limit: Some(50),
        cursor: None,
    }
}

/// A cursor `offset` rows into the list, as a client paging that far would hold.
fn deep_cursor(
    conn: &mut DbConnection,
    filter: &ListFilter,
    sort: WorkOrderSort,
    dir: SortDir,
    offset: i64,
) -> Result<String, String> {
    use work_orders::dsl as w;
    let base = work_orders::table.select(WorkOrderRow::as_select());
    let row: WorkOrderRow = match (sort, dir) {
        (WorkOrderSort::DueAt, SortDir::Asc) => base
            .order((w::due_at.asc(), w::id.asc()))
            .offset(offset)
            .first(conn),
        (WorkOrderSort::Quantity, SortDir::Desc) => base
            .order((w::quantity.desc(), w::id.desc()))
            .offset(offset)
            .first(conn),
        (WorkOrderSort::Status, SortDir::Asc) => base
            .order((w::status.asc(), w::due_at.asc(), w::id.asc()))
            .offset(offset)
            .first(conn),
        _ => return Err("deep cursors are made for due_at asc, quantity desc, status asc".into()),
    }
    .map_err(err)?;
    let total = queries::count(conn, filter).map_err(err)?;
    Ok(Cursor {
        sort,
        dir,
        after: Keyset::of(sort, &row),
        total,
        filter: fingerprint(&filter.canonical()),
    }
    .encode())
}

fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted_ms.len() as f64).ceil() as usize).clamp(1, sorted_ms.len());
    (sorted_ms[rank - 1] * 1000.0).round() / 1000.0
}

pub fn run(database: &str, orders: u64, runs: usize) -> Result<(), String> {
    let db = Db::open(database, Some(2))?;
    let mut conn = db.get().map_err(|e| e.body(Default::default()).message)?;
    let conn = &mut *conn;
    let fill_started = Instant::now();
    let added = fill(conn, orders)?;
    // Fresh statistics and visibility map, as autovacuum (PostgreSQL) or `PRAGMA optimize`
    // (SQLite) give a database that has been running for a while.
    match conn {
        // One statement each: VACUUM refuses to run in the implicit transaction of a batch.
        DbConnection::Pg(_) => conn
            .batch_execute("VACUUM ANALYZE work_orders")
            .and_then(|()| conn.batch_execute("ANALYZE")),
        DbConnection::Sqlite(_) => conn.batch_execute("ANALYZE"),
    }
    .map_err(err)?;

    let fill_s = fill_started.elapsed().as_secs_f64();
    let count: i64 = work_orders::table.count().get_result(conn).map_err(err)?;
    let at = now();
    let all = || ListFilter {
        now: at,
        ..Default::default()
    };
    let open = vec![
        WorkOrderStatus::Released,
        WorkOrderStatus::InProgress,
        WorkOrderStatus::OnHold,
    ];
    let some_product: Option<i64> = products::table
        .filter(products::code.eq("BENCH-P07"))
        .select(products::id)
        .first(conn)
        .optional()
        .map_err(err)?;
    let depth = (count * 9 / 10).max(0);
    let mut cases = vec![
        Case {
            name: "first_page",
            query: "sort=due_at".into(),
            request: request(all(), WorkOrderSort::DueAt, SortDir::Asc),
        },
        Case {
            name: "open_by_due",
            query: "status=released,in_progress,on_hold&sort=due_at".into(),
            request: request(
                ListFilter {
                    statuses: open.clone(),
                    ..all()
                },
                WorkOrderSort::DueAt,
                SortDir::Asc,
            ),
        },
        Case {
            name: "released_by_priority",
            query: "status=released&sort=priority".into(),
            request: request(
                ListFilter {
                    statuses: vec![WorkOrderStatus::Released],
                    ..all()
                },
                WorkOrderSort::Priority,
                SortDir::Asc,
            ),
        },
        Case {
            name: "open_by_number",
            query: "status=released,in_progress,on_hold&sort=number".into(),
            request: request(
                ListFilter {
                    statuses: open.clone(),
                    ..all()
                },
                WorkOrderSort::Number,
                SortDir::Asc,
            ),
        },
        Case {
            name: "late",
            query: "late=true&sort=due_at".into(),
            request: request(
                ListFilter {
                    late: Some(true),
                    ..all()
                },
                WorkOrderSort::DueAt,
                SortDir::Asc,
            ),
        },
        Case {
            name: "search_customer",
            query: "q=海工&sort=due_at&dir=desc".into(),
            request: request(
                ListFilter {
                    search: Some("海工".into()),
                    ..all()
                },
                WorkOrderSort::DueAt,
                SortDir::Desc,
            ),
        },
        Case {
            name: "search_number",
            query: "q=BW-00012&sort=number".into(),
            request: request(
                ListFilter {
                    search: Some("BW-00012".into()),
                    ..all()
                },
                WorkOrderSort::Number,
                SortDir::Asc,
            ),
        },
        Case {
            name: "product_newest_first",
            query: "product_id=<BENCH-P07>&sort=created_at&dir=desc".into(),
            request: request(
                ListFilter {
                    product_id: some_product,
                    ..all()
                },
                WorkOrderSort::CreatedAt,
                SortDir::Desc,
            ),
        },
        Case {
            name: "largest_quantity",
            query: "sort=quantity&dir=desc".into(),
            request: request(all(), WorkOrderSort::Quantity, SortDir::Desc),
        },
    ];
    for (name, sort, dir) in [
        ("deep_cursor_due", WorkOrderSort::DueAt, SortDir::Asc),
        (
            "deep_cursor_quantity_desc",
            WorkOrderSort::Quantity,
            SortDir::Desc,
        ),
        ("deep_cursor_status", WorkOrderSort::Status, SortDir::Asc),
    ] {
        let cursor = deep_cursor(conn, &all(), sort, dir, depth)?;
        let mut req = request(all(), sort, dir);
        req.cursor = Some(cursor);
        cases.push(Case {
            name,
            query: format!(
                "sort={}&dir={}&cursor=<row {depth}>",
                sort.as_str(),
                dir.as_str()
            ),
            request: req,
        });
    }
    // The second page of a search: the total comes with the cursor, only the page is read.
    if let Some(search) = cases.iter().find(|c| c.name == "search_customer") {
        let first =
            service::list(conn, &search.request).map_err(|e| e.body(Default::default()).message)?;
        let mut next = search.request.clone();
        next.cursor = first.next_cursor;
        let query = format!("{}&cursor=<page 2>", search.query);
        cases.push(Case {
            name: "search_customer_page_2",
            query,
            request: next,
        });
    }
    let mut results: Vec<Value> = Vec::new();
    for case in &cases {
        // One warm-up run, like a server that has answered before.
        let first =
            service::list(conn, &case.request).map_err(|e| e.body(Default::default()).message)?;
        let mut ms = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let page = service::list(conn, &case.request)
                .map_err(|e| e.body(Default::default()).message)?;
            ms.push(started.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(page);
        }
        ms.sort_by(f64::total_cmp);
        results.push(json!({
            "case": case.name,
            "query": case.query,
            "rows": first.items.len(),
            "total": first.total,
            "p50_ms": percentile(&ms, 0.50),
            "p99_ms": percentile(&ms, 0.99),
            "max_ms": percentile(&ms, 1.0),
        }));
    }
    let report = json!({
        "benchmark": "work_orders_list",
        "database": db.kind().as_str(),
        "orders": count,
        "added": added,
        "fill_s": (fill_s * 10.0).round() / 10.0,
        "runs_per_case": runs,
        "page_size": 50,
        "cases": results,
    });
    println!("{}", serde_json::to_string_pretty(&report).map_err(err)?);
    Ok(())
}
