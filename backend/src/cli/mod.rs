//! The `mes` command line: serve, migrate, user, demo, backup, bench. Every failure ends in one
//! readable line on stderr and a non-zero exit status.

mod backup;
mod bench;
mod bench_orders;
mod bench_reports;
mod bench_schedule;
pub mod import;
mod user;

use std::{
    io::IsTerminal,
    net::TcpListener,
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::{Parser, Subcommand};

use crate::{config::Config, db::Db, state::AppState};

#[derive(Debug, Parser)]
#[command(
    name = "mes",
    version,
    about = "Manufacturing execution system for one plant: work orders, scheduling, station reporting, quality, maintenance, dashboards."
)]
pub struct Cli {
    /// Configuration file (default: ./mes.toml when present). Also MES_CONFIG.
    #[arg(long, global = true, env = "MES_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args, Clone, Default)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB. Overrides MES_DATABASE_URL and the file.
    #[arg(long, value_name = "URL", global = true)]
    pub database: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (API and web app). Migrates the database first.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on [default: 0.0.0.0:8080].
        #[arg(long, value_name = "ADDR:PORT")]
        bind: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Manage user accounts.
    User {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: user::UserCommand,
    },
    /// Fill the database with a realistic demo plant and print the demo logins.
    Demo {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write a consistent copy of a running SQLite database to FILE.
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// Where to write the copy (must not exist yet).
        file: PathBuf,
    },
    /// Import an ERP export (CSV or XLSX) of machines, products, boms, routings or work-orders,
    /// all or nothing; bad rows are listed as `line N, column C: reason`.
    Import {
        #[command(flatten)]
        db: DbArgs,
        /// machines, products, boms, routings or work-orders.
        kind: String,
        /// The file: .csv (UTF-8 or GBK; `,` `;` or tab) or .xlsx.
        file: PathBuf,
    },
    /// Benchmarks that print figures as JSON.
    Bench {
        #[command(subcommand)]
        what: bench::BenchCommand,
    },
}

pub fn main(cli: Cli) -> ExitCode {
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mes: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(file: Option<&Path>, db: &DbArgs) -> Result<Config, String> {
    let mut config = Config::load(file)?;
    if let Some(url) = &db.database {
        crate::db::DbTarget::parse(url)?;
        config.database_url = url.clone();
    }
    Ok(config)
}

fn open_db(config: &Config) -> Result<Db, String> {
    Db::open(&config.database_url, config.pool_size)
}

pub fn run(cli: Cli) -> Result<(), String> {
    let file = cli.config.as_deref();
    match cli.command {
        Command::Serve { db, bind } => {
            let mut config = load_config(file, &db)?;
            if let Some(bind) = bind {
                config.bind = bind;
            }
            serve(config)
        }
        Command::Migrate { db } => {
            let config = load_config(file, &db)?;
            let target = crate::db::DbTarget::parse(&config.database_url)?;
            let mut conn = target.connect()?;
            let applied = crate::db::run_migrations(&mut conn)?;
            if applied.is_empty() {
                println!("database is up to date");
            } else {
                for v in applied {
                    println!("applied {v}");
                }
            }
            Ok(())
        }
        Command::User { db, action } => {
            let config = load_config(file, &db)?;
            user::run(&open_db(&config)?, action)
        }
        Command::Demo { db } => {
            let config = load_config(file, &db)?;
            let db = open_db(&config)?;
            let logins = crate::demo::fill(&db)
                .map_err(|e| format!("demo data: {}", e.body(Default::default()).message))?;
            let tz = crate::plant::calendar::parse_tz(&config.timezone)
                .ok_or_else(|| format!("timezone `{}` is not an IANA zone", config.timezone))?;
            crate::demo::fill_schedule(&db, tz)
                .map_err(|e| format!("demo schedule: {}", e.body(Default::default()).message))?;
            println!("Demo plant ready. Sign in with:");
            println!(
                "  {:<12} {:<14} {:<14} roles",
                "user", "password", "badge / PIN"
            );
            for l in logins {
                println!(
                    "  {:<12} {:<14} {:<14} {}",
                    l.username,
                    l.password,
                    l.badge.unwrap_or_default(),
                    l.roles
                );
            }
            Ok(())
        }
        Command::Backup { db, file: target } => {
            let config = load_config(file, &db)?;
            backup::run(&config.database_url, &target)
        }
        Command::Import {
            db,
            kind,
            file: path,
        } => {
            let config = load_config(file, &db)?;
            import::run(&open_db(&config)?, &config.timezone, &kind, &path)
        }
        Command::Bench { what } => bench::run(what),
    }
}

fn serve(config: Config) -> Result<(), String> {
    crate::telemetry::init(&config.log);
    let started = std::time::Instant::now();
    let db = open_db(&config)?;
    let listener = TcpListener::bind(&config.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let backend = db.kind().as_str();
    let state = AppState::new(config, db);
    actix_web::rt::System::new().block_on(async move {
        let server = crate::serve(state, listener).map_err(|e| format!("cannot start the server: {e}"))?;
        tracing::info!(%addr, backend, ready_ms = started.elapsed().as_millis() as u64, "mes ready");
        if std::io::stderr().is_terminal() {
            eprintln!("mes is ready at http://{addr}/ ({backend})");
        }
        server.await.map_err(|e| format!("server stopped: {e}"))
    })
}
