//! `mes bench …`: benchmarks that print figures (never timed assertions in tests).
//!
//! `mes bench platform` starts this very binary as a server on a fresh SQLite database, measures
//! cold start to ready, idle memory and binary size, then loads it with `wrk` (a standard HTTP
//! load tool) at 64 connections and prints one JSON object.
//!
//! `mes bench work-orders --database URL [--orders 100000]` times the work-order list at scale
//! (see `bench_orders.rs`).
//!
//! `mes bench import --database URL [--rows 10000]` times the import of a generated ERP
//! work-order export (see `import.rs`).
//! `mes bench jssp|jssp-suite|fjsp|fjsp-suite|plant` run the scheduler on standard benchmark
//! instances (see `mes_scheduler::bench`) and print one JSON object on stdout.

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use clap::Subcommand;
use mes_scheduler::bench::{self as scheduler_bench, BenchError, BenchOptions};
use serde_json::{Value, json};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Start-up time, idle memory, binary size and HTTP throughput/latency (needs `wrk`).
    Platform {
        /// Concurrent connections for the load runs.
        #[arg(long, default_value_t = 64)]
        connections: u32,
        /// Seconds per load run.
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        /// wrk threads (default: 2, one per core of the reference machine).
        #[arg(long, default_value_t = 2)]
        threads: u32,
    },
    /// The work-order list at plant scale: fills the database up to N orders, then prints p50/p99
    /// of representative filters, sorts and a deep cursor page.
    WorkOrders {
        /// Database URL (sqlite://PATH or postgres://USER@HOST/DB); orders are added to it.
        #[arg(long, value_name = "URL")]
        database: String,
        /// Orders to have in the database before timing.
        #[arg(long, default_value_t = 100_000)]
        orders: u64,
        /// Timed runs per case.
        #[arg(long, default_value_t = 300)]
        runs: usize,
    },
    /// Station reporting over real HTTP: N tablets loop idempotent reports for S seconds; prints
    /// reports/s, p50/p99, acknowledged vs stored, and the ratio to a plain SQLite insert loop.
    Reports {
        /// Database URL (sqlite://PATH or postgres://USER@HOST/DB); migrated and seeded.
        #[arg(long, value_name = "URL")]
        database: String,
        /// Simulated tablets, each signed in at its own station.
        #[arg(long, default_value_t = 200)]
        tablets: usize,
        /// Seconds of load.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Import of a generated ERP work-order export (products first), through the API's import
    /// code; prints rows/s and elapsed time.
    Import {
        /// Database URL (sqlite://PATH or postgres://USER@HOST/DB); the data is added to it.
        #[arg(long, value_name = "URL")]
        database: String,
        /// Work-order rows in the file.
        #[arg(long, default_value_t = 10_000)]
        rows: u64,
        /// Products they refer to (imported first).
        #[arg(long, default_value_t = 500)]
        products: u64,
    },
    /// Job shop: solve one instance in the standard format; prints makespan and start times.
    Jssp {
        /// Instance file (first line `jobs machines`, then `machine time` pairs per job).
        file: PathBuf,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Job shop: every `*.txt` in DIR, with the gap to DIR/bks.json per instance.
    JsspSuite {
        dir: PathBuf,
        #[command(flatten)]
        solver: SolverArgs,
        /// Print a Markdown table instead of JSON.
        #[arg(long)]
        table: bool,
    },
    /// Flexible job shop: solve one instance in Brandimarte's format; prints machine and start
    /// of every operation.
    Fjsp {
        file: PathBuf,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Flexible job shop: every `*.txt` in DIR, with the gap to DIR/bks.json per instance.
    FjspSuite {
        dir: PathBuf,
        #[command(flatten)]
        solver: SolverArgs,
        /// Print a Markdown table instead of JSON.
        #[arg(long)]
        table: bool,
    },
    /// The product's scheduling at plant scale on a database (e.g. filled by `mes demo`): model
    /// building, first feasible plan, run, publish, replan after the busiest machine breaks down.
    Schedule {
        /// Database URL (sqlite://PATH or postgres://USER@HOST/DB); a plan is published in it.
        #[arg(long, value_name = "URL")]
        database: String,
        /// Plant time zone of the calendars.
        #[arg(long, default_value = "Asia/Shanghai")]
        timezone: String,
        /// Search time of the full run.
        #[arg(long, default_value_t = 2_000)]
        time_limit_ms: u64,
    },
    /// Plant size (300 orders × 5 operations, 25 machines, two shifts): first feasible plan,
    /// plan quality after the time limit, replan after a machine breakdown.
    Plant {
        /// Generator seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Search time for the quality figure (at most 10 000).
        #[arg(long, default_value_t = 1_000)]
        time_limit_ms: u64,
    },
}

/// Solver limits shared by the benchmark-instance commands.
#[derive(Debug, clap::Args)]
pub struct SolverArgs {
    /// Search time per instance.
    #[arg(long, default_value_t = 10_000)]
    time_limit_ms: u64,
    /// Random seed: the same seed and an iteration limit give the same schedule.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Search threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Stop after this many search iterations (deterministic with one thread).
    #[arg(long)]
    iterations: Option<u64>,
}

impl SolverArgs {
    fn options(&self) -> BenchOptions {
        BenchOptions {
            time_limit_ms: self.time_limit_ms,
            seed: self.seed,
            threads: self.threads,
            iterations: self.iterations,
        }
    }
}

/// Prints a scheduler benchmark result: one JSON object, or the Markdown table when asked.
fn print_solver_result(result: Result<Value, BenchError>, table: bool) -> Result<(), String> {
    let value = result.map_err(|e| e.to_string())?;
    if table {
        print!("{}", scheduler_bench::suite_table(&value));
    } else {
        println!("{value}");
    }
    Ok(())
}

pub fn run(command: BenchCommand) -> Result<(), String> {
    match command {
        BenchCommand::Platform {
            connections,
            seconds,
            threads,
        } => platform(connections, seconds, threads),
        BenchCommand::WorkOrders {
            database,
            orders,
            runs,
        } => super::bench_orders::run(&database, orders, runs),
        BenchCommand::Reports {
            database,
            tablets,
            seconds,
        } => super::bench_reports::run(&database, tablets, seconds),
        BenchCommand::Import {
            database,
            rows,
            products,
        } => super::import::bench(&database, rows, products),
        BenchCommand::Jssp { file, solver } => {
            print_solver_result(scheduler_bench::jssp(&file, &solver.options()), false)
        }
        BenchCommand::JsspSuite { dir, solver, table } => {
            print_solver_result(scheduler_bench::jssp_suite(&dir, &solver.options()), table)
        }
        BenchCommand::Fjsp { file, solver } => {
            print_solver_result(scheduler_bench::fjsp(&file, &solver.options()), false)
        }
        BenchCommand::FjspSuite { dir, solver, table } => {
            print_solver_result(scheduler_bench::fjsp_suite(&dir, &solver.options()), table)
        }
        BenchCommand::Schedule {
            database,
            timezone,
            time_limit_ms,
        } => super::bench_schedule::run(&database, &timezone, time_limit_ms),
        BenchCommand::Plant {
            seed,
            time_limit_ms,
        } => print_solver_result(
            Ok(scheduler_bench::plant(seed, time_limit_ms.min(10_000))),
            false,
        ),
    }
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn platform(connections: u32, seconds: u32, threads: u32) -> Result<(), String> {
    let wrk_ok = Command::new("wrk").arg("--version").output().is_ok();
    if !wrk_ok {
        return Err("`wrk` is not installed (Debian: apt-get install wrk)".into());
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("mes-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}", dir.join("bench.sqlite3").display());
    let status = Command::new(&exe)
        .args(["demo", "--database", &url])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("could not fill the demo database".into());
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("valid address");

    // Cold start: from spawning the process to the first healthy answer.
    let started = Instant::now();
    let server = Server {
        child: Command::new(&exe)
            .args(["serve", "--database", &url, "--bind", &addr.to_string()])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?,
    };
    loop {
        if let Ok((200, _, _)) = http(addr, "GET", "/healthz", None, None) {
            break;
        }
        if started.elapsed() > Duration::from_secs(30) {
            return Err("the server did not become ready within 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let ready_ms = started.elapsed().as_secs_f64() * 1000.0;
    std::thread::sleep(Duration::from_secs(2));
    let idle_rss_kib = rss_kib(server.child.id());

    let (status, headers, _) = http(
        addr,
        "POST",
        "/api/v1/auth/login",
        Some(r#"{"username":"manager","password":"manager123"}"#),
        None,
    )?;
    if status != 200 {
        return Err(format!("demo login failed with {status}"));
    }
    let cookie = session_cookie(&headers).ok_or("no session cookie")?;
    let admin = http(
        addr,
        "POST",
        "/api/v1/auth/login",
        Some(r#"{"username":"admin","password":"admin123"}"#),
        None,
    )?;
    let admin_cookie = session_cookie(&admin.1).ok_or("no admin session cookie")?;

    let base = format!("http://{addr}");
    let load =
        |path: &str, cookie: Option<&str>| wrk(&base, path, cookie, connections, seconds, threads);
    let healthz = load("/healthz", None)?;
    let me = load("/api/v1/auth/me", Some(&cookie))?;
    let users = load("/api/v1/users?limit=20", Some(&admin_cookie))?;
    let loaded_rss_kib = rss_kib(server.child.id());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);

    let report = json!({
        "benchmark": "platform",
        "database": "sqlite",
        "binary_bytes": std::fs::metadata(&exe).map(|m| m.len()).unwrap_or(0),
        "cold_start_to_ready_ms": (ready_ms * 10.0).round() / 10.0,
        "idle_rss_mib": idle_rss_kib.map(|k| (k as f64 / 1024.0 * 10.0).round() / 10.0),
        "rss_after_load_mib": loaded_rss_kib.map(|k| (k as f64 / 1024.0 * 10.0).round() / 10.0),
        "connections": connections,
        "seconds_per_run": seconds,
        "healthz": healthz,
        "auth_me": me,
        "users_list_authenticated": users,
    });
    println!("{}", serde_json::to_string_pretty(&report).expect("JSON"));
    Ok(())
}

/// One plain HTTP/1.1 request (no client library needed): (status, raw headers, body).
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
    cookie: Option<&str>,
) -> Result<(u16, String, String), String> {
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let body = body.unwrap_or("");
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{cookie}\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .map_err(|e| e.to_string())?;
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad HTTP reply: {head}"))?;
    Ok((status, head.to_owned(), body.to_owned()))
}

/// `name=value` of the Set-Cookie header in a raw response head.
fn session_cookie(head: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("set-cookie").then(|| {
            value
                .trim()
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
    })
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

fn wrk(
    base: &str,
    path: &str,
    cookie: Option<&str>,
    connections: u32,
    seconds: u32,
    threads: u32,
) -> Result<Value, String> {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "--latency",
        "-t",
        &threads.to_string(),
        "-c",
        &connections.to_string(),
        "-d",
        &format!("{seconds}s"),
    ]);
    if let Some(c) = cookie {
        cmd.args(["-H", &format!("Cookie: {c}")]);
    }
    let out = cmd
        .arg(format!("{base}{path}"))
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let result = parse_wrk(&text).ok_or_else(|| format!("could not read wrk's output:\n{text}"))?;
    // A benchmark of error responses measures nothing worth reporting.
    if result["non_2xx"].as_u64().unwrap_or(0) > 0 {
        return Err(format!(
            "{path}: the server answered with errors under load:\n{text}"
        ));
    }
    Ok(result)
}

/// Reads requests/s, latency percentiles and non-2xx counts from `wrk --latency` output.
fn parse_wrk(text: &str) -> Option<Value> {
    let ms = |v: &str| -> Option<f64> {
        let v = v.trim();
        if let Some(x) = v.strip_suffix("us") {
            x.parse::<f64>().ok().map(|x| x / 1000.0)
        } else if let Some(x) = v.strip_suffix("ms") {
            x.parse().ok()
        } else if let Some(x) = v.strip_suffix('s') {
            x.parse::<f64>().ok().map(|x| x * 1000.0)
        } else {
            None
        }
    };
    let percentile = |p: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(p))
            .and_then(ms)
            .map(|v| (v * 100.0).round() / 100.0)
    };
    let rps = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())?;
    let non_2xx = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let errors = text
        .lines()
        .any(|l| l.trim_start().starts_with("Socket errors"));
    Some(json!({
        "requests_per_s": rps.round(),
        "p50_ms": percentile("50%"),
        "p90_ms": percentile("90%"),
        "p99_ms": percentile("99%"),
        "non_2xx": non_2xx,
        "socket_errors": errors,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_wrk_output() {
        let sample = "Running 10s test @ http://127.0.0.1:1/healthz\n  2 threads and 64 connections\n  Latency Distribution\n     50%  710.00us\n     75%    1.20ms\n     90%    2.05ms\n     99%    5.31ms\n  123 requests in 10.00s, 1.00MB read\nRequests/sec:  12345.67\nTransfer/sec:      1.00MB\n";
        let v = super::parse_wrk(sample).unwrap();
        assert_eq!(v["requests_per_s"], 12346.0);
        assert_eq!(v["p50_ms"], 0.71);
        assert_eq!(v["p99_ms"], 5.31);
        assert_eq!(v["non_2xx"], 0);
    }
}
