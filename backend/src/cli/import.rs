//! `mes import KIND FILE`: the API's import, in place. Prints progress on stderr and, when the
//! file has bad rows, every `line N, column C: reason`, then exits non-zero; nothing is stored
//! then. `mes bench import` times the same code on a generated 10,000-row ERP export.

use std::{
    io::{IsTerminal, Write},
    path::Path,
    time::Instant,
};

use chrono_tz::Tz;
use mes_api_types::{
    Lang,
    import::{ImportKind, ImportStatus},
};
use serde_json::json;

use crate::{
    db::Db,
    http::extract::Actor,
    plant::calendar::parse_tz,
    transfer::{import::ImportReport, service::import_file},
};

/// The language of messages: zh-CN when the environment's locale is Chinese.
pub fn cli_lang() -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default();
    if locale.to_lowercase().starts_with("zh") {
        Lang::ZhCn
    } else {
        Lang::En
    }
}

pub fn parse_kind(text: &str) -> Result<ImportKind, String> {
    ImportKind::from_slug(text).ok_or_else(|| {
        format!(
            "unknown import kind {text:?} (use machines, products, boms, routings, work-orders)"
        )
    })
}

fn tz_of(name: &str) -> Tz {
    parse_tz(name).unwrap_or(Tz::UTC)
}

fn import_with_progress(
    db: &Db,
    tz: Tz,
    kind: ImportKind,
    file_name: &str,
    data: &[u8],
    show: bool,
) -> Result<ImportReport, String> {
    let mut conn = db.get().map_err(|e| e.body(cli_lang()).message)?;
    let actor = Actor::system("cli");
    let mut last = Instant::now();
    let mut progress = |status: ImportStatus, processed: u64| {
        if show && last.elapsed().as_millis() >= 200 {
            last = Instant::now();
            let status = match status {
                ImportStatus::Validating => "checking",
                _ => "writing",
            };
            eprint!("\r{status}: {processed} rows");
            let _ = std::io::stderr().flush();
        }
    };
    let report = import_file(&mut conn, &actor, tz, kind, file_name, data, &mut progress)
        .map_err(|e| e.body(cli_lang()).message)?;
    if show {
        eprint!("\r\x1b[K");
    }
    Ok(report)
}

pub fn run(db: &Db, timezone: &str, kind: &str, file: &Path) -> Result<(), String> {
    let kind = parse_kind(kind)?;
    let data = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let show = std::io::stderr().is_terminal();
    let started = Instant::now();
    let report = import_with_progress(db, tz_of(timezone), kind, &file_name, &data, show)?;
    let lang = cli_lang();
    if !report.ignored_columns.is_empty() {
        eprintln!("ignored columns: {}", report.ignored_columns.join(", "));
    }
    if report.errors.is_empty() {
        println!(
            "imported {} rows of {} from {} in {:.1} s: {} created, {} updated",
            report.total_rows,
            kind.slug(),
            file.display(),
            started.elapsed().as_secs_f64(),
            report.created,
            report.updated
        );
        return Ok(());
    }
    for e in &report.errors {
        let message = e.message.get(lang);
        match (e.line, &e.column) {
            (Some(line), Some(column)) => eprintln!("line {line}, column {column}: {message}"),
            (Some(line), None) => eprintln!("line {line}: {message}"),
            _ => eprintln!("{message}"),
        }
    }
    Err(format!(
        "{} problem(s) in {}; nothing was imported",
        report.errors.len(),
        file.display()
    ))
}

/// Generates a realistic ERP product list (`products` rows) and work-order export (`rows`
/// rows, Chinese headers as a Chinese ERP writes them), imports both through the same code and
/// prints one JSON line with the work-order figures.
pub fn bench(database: &str, rows: u64, products: u64) -> Result<(), String> {
    let db = Db::open(database, None)?;
    let tz = tz_of("Asia/Shanghai");
    let run = chrono::Utc::now().format("%Y%m%d%H%M%S");

    let mut product_csv = String::from("物料编码,物料名称,单位,类型,规格型号\n");
    for i in 0..products {
        let kind = ["成品", "半成品"][(i % 2) as usize];
        product_csv.push_str(&format!(
            "BP-{i:05},\"法兰 型号 {i}\",件,{kind},\"Φ{} × {} mm\"\n",
            40 + i % 60,
            10 + i % 25
        ));
    }
    let started = Instant::now();
    let report = import_with_progress(
        &db,
        tz,
        ImportKind::Products,
        "products.csv",
        product_csv.as_bytes(),
        false,
    )?;
    let products_s = started.elapsed().as_secs_f64();
    check(&report)?;

    let mut order_csv = String::from(
        "生产订单号,物料编码,计划数量,计划开工日期,完工日期,优先级,客户名称,销售订单号,备注\n",
    );
    let today = chrono::Utc::now().date_naive();
    for i in 0..rows {
        let start = today + chrono::Days::new(i % 60);
        let due = start + chrono::Days::new(3 + i % 20);
        order_csv.push_str(&format!(
            "MO{run}-{i:06},BP-{:05},{},{},{},{},客户 {},SO-{:06},\"批次 {}\"\n",
            (i * 7919) % products.max(1),
            10 + (i * 37) % 490,
            start.format("%Y/%m/%d"),
            due.format("%Y-%m-%d"),
            1 + i % 5,
            i % 40,
            i / 3,
            i
        ));
    }
    let started = Instant::now();
    let report = import_with_progress(
        &db,
        tz,
        ImportKind::WorkOrders,
        "work-orders.csv",
        order_csv.as_bytes(),
        false,
    )?;
    let elapsed = started.elapsed().as_secs_f64();
    check(&report)?;
    let line = json!({
        "bench": "import",
        "backend": db.kind().as_str(),
        "kind": "work-orders",
        "rows": report.total_rows,
        "created": report.created,
        "updated": report.updated,
        "bytes": order_csv.len(),
        "elapsed_s": (elapsed * 1000.0).round() / 1000.0,
        "rows_per_s": (report.total_rows as f64 / elapsed).round(),
        "products": products,
        "products_elapsed_s": (products_s * 1000.0).round() / 1000.0,
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
    });
    println!("{line}");
    Ok(())
}

fn check(report: &ImportReport) -> Result<(), String> {
    match report.errors.first() {
        None => Ok(()),
        Some(e) => Err(format!(
            "the generated file was refused: line {:?}, column {:?}: {}",
            e.line,
            e.column,
            e.message.get(Lang::En)
        )),
    }
}
