//! `mes bench reports`: station reporting under load, over real HTTP.
//!
//! Migrates and seeds a plant with one machine, station, operator and released order per tablet
//! (codes carry a run tag, so runs can repeat on one database), starts the real server in
//! process on a free port, signs every tablet in at its own station, then lets N simulated
//! tablets loop `POST /api/v1/operations/{id}/report` with idempotency keys (awc client) for S
//! seconds. Every 20th write is sent a second time with the same key, as a tablet does after a
//! lost answer: it must not count twice. Afterwards the reports are counted in the database.
//!
//! In the same run a plain durable SQLite insert loop (WAL, synchronous=FULL, one row per
//! commit) is timed beside the database as the ceiling; `ratio` is reports/s over that rate.

use std::{
    cell::RefCell,
    net::TcpListener,
    path::PathBuf,
    rc::Rc,
    time::{Duration, Instant},
};

use diesel::{SqliteConnection, connection::SimpleConnection, prelude::*};
use mes_api_types::{
    auth::Role,
    work_orders::{TransitionRequest, WorkOrderAction},
};
use serde_json::json;

use crate::{
    auth::password,
    config::Config,
    db::{
        Db, DbConnection, DbTarget, now,
        schema::{
            machines, production_reports, products, routing_operations, routings, stations,
            user_roles, users, work_centers, work_order_operations, work_orders,
        },
    },
    http::extract::Actor,
    state::AppState,
    work_orders::{models::NewWorkOrderRow, queries as orders, service as order_service},
};

const PIN: &str = "2468";
/// Every n-th write is replayed with the same key.
const REPLAY_EVERY: u64 = 20;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

struct Seeded {
    /// Per tablet: (station code, badge, operation id).
    tablets: Vec<(String, String, i64)>,
    order_ids: Vec<i64>,
}

/// One work centre, product and routing; per tablet a machine, a station, an operator and a
/// released order with a huge quantity (never finished during the run).
fn seed(conn: &mut DbConnection, tag: &str, tablets: usize) -> Result<Seeded, String> {
    let at = now();
    let actor = Actor::system("bench");
    let pin_hash = password::hash(PIN);
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let wc: i64 = diesel::insert_into(work_centers::table)
            .values((
                work_centers::code.eq(format!("{tag}-WC")),
                work_centers::name.eq("Bench"),
                work_centers::created_at.eq(at),
                work_centers::updated_at.eq(at),
            ))
            .returning(work_centers::id)
            .get_result(conn)?;
        let product: i64 = diesel::insert_into(products::table)
            .values((
                products::code.eq(format!("{tag}-P")),
                products::name.eq("Bench part"),
                products::kind.eq("finished"),
                products::created_at.eq(at),
                products::updated_at.eq(at),
            ))
            .returning(products::id)
            .get_result(conn)?;
        let routing: i64 = diesel::insert_into(routings::table)
            .values((
                routings::product_id.eq(product),
                routings::version.eq(1),
                routings::status.eq("active"),
                routings::created_at.eq(at),
                routings::updated_at.eq(at),
            ))
            .returning(routings::id)
            .get_result(conn)?;
        diesel::insert_into(routing_operations::table)
            .values((
                routing_operations::routing_id.eq(routing),
                routing_operations::seq.eq(10),
                routing_operations::name.eq("Run"),
                routing_operations::work_center_id.eq(wc),
                routing_operations::run_minutes_per_unit.eq(0.1),
                routing_operations::piece_rate.eq(Some(0.2)),
            ))
            .execute(conn)?;
        for i in 0..tablets {
            let machine: i64 = diesel::insert_into(machines::table)
                .values((
                    machines::code.eq(format!("{tag}-M{i}")),
                    machines::name.eq(format!("Bench machine {i}")),
                    machines::work_center_id.eq(wc),
                    machines::created_at.eq(at),
                    machines::updated_at.eq(at),
                ))
                .returning(machines::id)
                .get_result(conn)?;
            diesel::insert_into(stations::table)
                .values((
                    stations::code.eq(format!("{tag}-S{i}")),
                    stations::name.eq(format!("Bench station {i}")),
                    stations::machine_id.eq(machine),
                    stations::created_at.eq(at),
                    stations::updated_at.eq(at),
                ))
                .execute(conn)?;
            // The same PIN hash for all: hashing 200 PINs would only time argon2.
            let user: i64 = diesel::insert_into(users::table)
                .values((
                    users::username.eq(format!("{}-op{i}", tag.to_lowercase())),
                    users::display_name.eq(format!("Operator {i}")),
                    users::password_hash.eq(&pin_hash),
                    users::language.eq("en"),
                    users::badge_code.eq(format!("{tag}-B{i}")),
                    users::pin_hash.eq(&pin_hash),
                    users::active.eq(true),
                    users::created_at.eq(at),
                    users::updated_at.eq(at),
                ))
                .returning(users::id)
                .get_result(conn)?;
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::user_id.eq(user),
                    user_roles::role.eq(Role::Operator.as_str()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
    .map_err(err)?;
    let mut seeded = Seeded {
        tablets: Vec::with_capacity(tablets),
        order_ids: Vec::with_capacity(tablets),
    };
    let product = product_of(conn, tag)?;
    for i in 0..tablets {
        let id = orders::insert(
            conn,
            &NewWorkOrderRow {
                number: format!("{tag}-WO{i}"),
                product_id: product,
                quantity: 1e8,
                due_at: at + chrono::Duration::days(7),
                release_at: None,
                priority: 3,
                customer: String::new(),
                sales_order: String::new(),
                notes: String::new(),
                status: "draft".into(),
                held_from: None,
                hold_reason: None,
                routing_id: None,
                bom_id: None,
                parent_id: None,
                created_at: at,
                updated_at: at,
                released_at: None,
                started_at: None,
            },
        )
        .map_err(err)?;
        order_service::transition(
            conn,
            &actor,
            id,
            WorkOrderAction::Release,
            TransitionRequest::default(),
        )
        .map_err(|e| e.body(Default::default()).message)?;
        let op: i64 = work_order_operations::table
            .filter(work_order_operations::work_order_id.eq(id))
            .select(work_order_operations::id)
            .first(conn)
            .map_err(err)?;
        seeded
            .tablets
            .push((format!("{tag}-S{i}"), format!("{tag}-B{i}"), op));
        seeded.order_ids.push(id);
    }
    Ok(seeded)
}

fn product_of(conn: &mut DbConnection, tag: &str) -> Result<i64, String> {
    products::table
        .filter(products::code.eq(format!("{tag}-P")))
        .select(products::id)
        .first(conn)
        .map_err(err)
}

/// Rows per second of a plain durable insert loop: a fresh SQLite file in `dir`, WAL,
/// synchronous=FULL, one row per commit, for about `seconds`.
pub fn sqlite_insert_loop(dir: &std::path::Path, seconds: f64) -> Result<f64, String> {
    let path = dir.join(format!("insert-loop-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let result = (|| {
        let mut conn = SqliteConnection::establish(&path.to_string_lossy()).map_err(err)?;
        conn.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);",
        )
        .map_err(err)?;
        let start = Instant::now();
        let mut rows = 0u64;
        while start.elapsed().as_secs_f64() < seconds {
            diesel::sql_query("INSERT INTO t (v) VALUES ('a report-sized row of text')")
                .execute(&mut conn)
                .map_err(err)?;
            rows += 1;
        }
        Ok(rows as f64 / start.elapsed().as_secs_f64())
    })();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    result
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[derive(Default)]
struct Tally {
    latencies_ms: Vec<f64>,
    acknowledged: u64,
    replays: u64,
    failures: u64,
    first_failure: Option<String>,
}

pub fn run(database: &str, tablets: usize, seconds: u64) -> Result<(), String> {
    if tablets == 0 || seconds == 0 {
        return Err("--tablets and --seconds must be at least 1".into());
    }
    let target = DbTarget::parse(database)?;
    let loop_dir: PathBuf = match &target {
        DbTarget::Sqlite(path) => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".")),
        DbTarget::Postgres(_) => PathBuf::from("."),
    };
    let mut config = Config {
        database_url: database.to_owned(),
        ..Config::default()
    };
    config.log.level = "warn".into();
    // Every tablet signs in from this one address at once.
    config.login_limit.per_address_per_minute = u32::try_from(tablets * 4).unwrap_or(u32::MAX);
    let db = Db::open(database, config.pool_size)?;
    let tag = format!("BR{}", now().and_utc().timestamp());
    let seeded = {
        let mut conn = db.get().map_err(|e| e.body(Default::default()).message)?;
        seed(&mut conn, &tag, tablets)?
    };
    let insert_loop_per_s = sqlite_insert_loop(&loop_dir, 3.0)?;

    let listener = TcpListener::bind("127.0.0.1:0").map_err(err)?;
    let base = format!("http://{}", listener.local_addr().map_err(err)?);
    let state = AppState::new(config, db.clone());
    let tablet_specs = seeded.tablets.clone();
    let tally = actix_web::rt::System::new().block_on(async move {
        let server = crate::serve(state, listener).map_err(err)?;
        let handle = server.handle();
        actix_web::rt::spawn(server);
        let tally = drive(&base, &tablet_specs, Duration::from_secs(seconds)).await;
        handle.stop(true).await;
        tally
    })?;

    let mut conn = db.get().map_err(|e| e.body(Default::default()).message)?;
    let stored: i64 = production_reports::table
        .filter(production_reports::work_order_id.eq_any(&seeded.order_ids))
        .count()
        .get_result(&mut *conn)
        .map_err(err)?;
    let counted: f64 = work_order_operations::table
        .inner_join(work_orders::table)
        .filter(work_orders::id.eq_any(&seeded.order_ids))
        .select(diesel::dsl::sum(work_order_operations::qty_good))
        .first::<Option<f64>>(&mut *conn)
        .map_err(err)?
        .unwrap_or(0.0);
    let mut latencies = tally.latencies_ms;
    latencies.sort_by(|a, b| a.total_cmp(b));
    let reports_per_s = tally.acknowledged as f64 / seconds as f64;
    let stored = u64::try_from(stored).unwrap_or(0);
    let line = json!({
        "backend": target.kind().as_str(),
        "tablets": tablets,
        "seconds": seconds,
        "reports_per_s": (reports_per_s * 10.0).round() / 10.0,
        "p50_ms": (percentile(&latencies, 0.5) * 100.0).round() / 100.0,
        "p99_ms": (percentile(&latencies, 0.99) * 100.0).round() / 100.0,
        "acknowledged": tally.acknowledged,
        "stored": stored,
        "duplicates": stored.saturating_sub(tally.acknowledged),
        "good_counted": counted,
        "replays": tally.replays,
        "failures": tally.failures,
        "first_failure": tally.first_failure,
        "insert_loop_per_s": insert_loop_per_s.round(),
        "ratio": (reports_per_s / insert_loop_per_s * 100.0).round() / 100.0,
    });
    println!("{line}");
    Ok(())
}

/// Signs every tablet in, then loops reports until the deadline. Runs on this thread's
/// runtime (awc clients are not `Send`); the server has its own worker threads.
async fn drive(
    base: &str,
    tablets: &[(String, String, i64)],
    duration: Duration,
) -> Result<Tally, String> {
    let mut cookies = Vec::with_capacity(tablets.len());
    for (station, badge, _) in tablets {
        let client = awc::Client::builder()
            .timeout(Duration::from_secs(30))
            .finish();
        let mut res = client
            .post(format!("{base}/api/v1/stations/{station}/operators"))
            .send_json(&json!({"badge": badge, "pin": PIN}))
            .await
            .map_err(err)?;
        if !res.status().is_success() {
            let body = res.body().await.map_err(err)?;
            return Err(format!(
                "sign-in at {station} failed: {} {}",
                res.status(),
                String::from_utf8_lossy(&body)
            ));
        }
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .ok_or("sign-in set no station cookie")?
            .to_owned();
        cookies.push(cookie);
    }
    let tally = Rc::new(RefCell::new(Tally::default()));
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::with_capacity(tablets.len());
    for (t, ((_, _, op), cookie)) in tablets.iter().zip(cookies).enumerate() {
        let url = format!("{base}/api/v1/operations/{op}/report");
        let tally = tally.clone();
        tasks.push(actix_web::rt::spawn(async move {
            let client = awc::Client::builder()
                .timeout(Duration::from_secs(30))
                .finish();
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let key = format!("t{t}-{n}");
                let sends = if n.is_multiple_of(REPLAY_EVERY) { 2 } else { 1 };
                for send in 0..sends {
                    let started = Instant::now();
                    let result = client
                        .post(&url)
                        .insert_header(("Cookie", cookie.as_str()))
                        .insert_header(("Idempotency-Key", key.as_str()))
                        .send_json(&json!({"good": 1}))
                        .await;
                    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
                    // Read the body before borrowing the tally: no borrow lives across an await.
                    let outcome = match result {
                        Ok(mut res) => {
                            let status = res.status();
                            let body = res.body().await.unwrap_or_default();
                            Ok((status, body))
                        }
                        Err(e) => Err(e.to_string()),
                    };
                    let mut tally = tally.borrow_mut();
                    match outcome {
                        Ok((status, _)) if status.is_success() => {
                            if send == 0 {
                                tally.latencies_ms.push(elapsed);
                                tally.acknowledged += 1;
                            } else {
                                tally.replays += 1;
                            }
                        }
                        Ok((status, body)) => {
                            tally.failures += 1;
                            if tally.first_failure.is_none() {
                                tally.first_failure =
                                    Some(format!("{status} {}", String::from_utf8_lossy(&body)));
                            }
                        }
                        Err(e) => {
                            tally.failures += 1;
                            if tally.first_failure.is_none() {
                                tally.first_failure = Some(e);
                            }
                        }
                    }
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    Ok(Rc::try_unwrap(tally)
        .map(RefCell::into_inner)
        .unwrap_or_default())
}
