//! Database access: one connection type over SQLite and PostgreSQL (diesel `MultiConnection`),
//! chosen by the URL scheme, pooled with r2d2, migrated at start-up.
//!
//! Query code takes `&mut DbConnection` and returns `QueryResult`. Async code reaches the
//! database only through [`Db::run`], which moves the blocking call onto actix's blocking pool.

pub mod group_commit;
pub mod schema;
pub mod sql;

use std::{path::PathBuf, sync::Arc, time::Duration};

use diesel::{Connection, PgConnection, SqliteConnection, connection::SimpleConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{AppError, AppResult};

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Runs one expression per backend on the inner connection, for what the `MultiConnection` enum
/// cannot express (multi-row inserts, dialect-specific SQL). `$c` is bound to the inner connection.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Pg($c) => $body,
        }
    };
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

/// Where the database is, parsed from its URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DbTarget {
    /// `sqlite://./data/mes.sqlite3` (relative) or `sqlite:///var/lib/mes/mes.sqlite3` (absolute).
    Sqlite(PathBuf),
    /// `postgres://` or `postgresql://` as libpq understands it.
    Postgres(String),
}

impl std::fmt::Debug for DbTarget {
    // PostgreSQL URLs may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbTarget::Sqlite(p) => write!(f, "Sqlite({})", p.display()),
            DbTarget::Postgres(url) => write!(f, "Postgres({})", redact_url(url)),
        }
    }
}

/// The URL with any password replaced, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

impl DbTarget {
    pub fn parse(url: &str) -> Result<DbTarget, String> {
        let url = url.trim();
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(format!(
                    "the SQLite URL `{url}` names no file (example: sqlite://./data/mes.sqlite3)"
                ));
            }
            Ok(DbTarget::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbTarget::Postgres(url.to_owned()))
        } else {
            Err(format!(
                "unsupported database URL `{}`: use sqlite://PATH or postgres://USER@HOST/DB",
                redact_url(url)
            ))
        }
    }

    pub fn kind(&self) -> BackendKind {
        match self {
            DbTarget::Sqlite(_) => BackendKind::Sqlite,
            DbTarget::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Opens one connection, configured as the server needs it. Errors are one readable line.
    pub fn connect(&self) -> Result<DbConnection, String> {
        match self {
            DbTarget::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        format!("cannot create the database folder {}: {e}", dir.display())
                    })?;
                }
                let mut conn =
                    SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| {
                        format!("cannot open the SQLite database {}: {e}", path.display())
                    })?;
                // busy_timeout first: switching to WAL itself may wait for a lock. synchronous=FULL
                // makes every acknowledged commit survive a power cut.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = FULL;
                     PRAGMA foreign_keys = ON;",
                )
                .map_err(|e| format!("cannot use the SQLite database {}: {e}", path.display()))?;
                Ok(DbConnection::Sqlite(conn))
            }
            DbTarget::Postgres(url) => {
                let url = with_connect_timeout(url);
                PgConnection::establish(&url)
                    .map(DbConnection::Pg)
                    .map_err(|e| {
                        // libpq's message spans lines; a CLI error is one line.
                        let reason = e
                            .to_string()
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        format!(
                            "cannot connect to PostgreSQL at {}: {reason}",
                            redact_url(&url)
                        )
                    })
            }
        }
    }
}

/// libpq waits for the OS default (minutes) on an unreachable host; a server should fail fast.
fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&connect_timeout=5")
    } else {
        format!("{url}?connect_timeout=5")
    }
}

/// r2d2 manager over [`DbTarget`]: picks the backend from the URL itself, so a refused
/// PostgreSQL connection reports its real cause instead of a generic URL error.
#[derive(Debug, Clone)]
pub struct Manager {
    target: DbTarget,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(String);

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        self.target.connect().map_err(ConnectError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ConnectError(e.to_string()))
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// The pool plus what the server needs to know about it. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    kind: BackendKind,
    /// SQLite: the group-commit writer that [`Db::write`] queues on.
    writer: Option<Arc<group_commit::GroupCommit>>,
}

impl Db {
    /// Connects once directly (so a failure says why, at once), migrates, then builds the pool.
    pub fn open(url: &str, pool_size: Option<u32>) -> Result<Db, String> {
        let target = DbTarget::parse(url)?;
        let kind = target.kind();
        let mut first = target.connect()?;
        run_migrations(&mut first)?;
        drop(first);
        let size = pool_size.unwrap_or(match kind {
            // SQLite has one writer at a time; more connections only add lock waits.
            BackendKind::Sqlite => 8,
            BackendKind::Postgres => 16,
        });
        // SQLite has one writer and a costly fsync per commit: batch the hot writes.
        let writer = match kind {
            BackendKind::Sqlite => Some(Arc::new(group_commit::GroupCommit::start(&target)?)),
            BackendKind::Postgres => None,
        };
        let pool = r2d2::Pool::builder()
            .max_size(size.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(Manager { target })
            .map_err(|e| format!("cannot open the database pool: {e}"))?;
        Ok(Db { pool, kind, writer })
    }

    pub fn kind(&self) -> BackendKind {
        self.kind
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// A connection for synchronous code (CLI commands, tests). Async code uses [`Db::run`].
    pub fn get(&self) -> AppResult<r2d2::PooledConnection<Manager>> {
        Ok(self.pool.get()?)
    }

    /// Runs blocking database work on actix's blocking thread pool.
    pub async fn run<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }

    /// A write transaction for hot, small writes (station reports): on SQLite it joins the
    /// group commit (one fsync per batch, answered after the batch's commit); on PostgreSQL it
    /// is a [`write_transaction`] of its own on the pool.
    pub async fn write<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        match &self.writer {
            Some(writer) => writer.write(work).await,
            None => self.run(move |conn| write_transaction(conn, work)).await,
        }
    }

    /// Like [`Db::run`], inside one transaction: all of `work` lands, or none of it.
    pub async fn transaction<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| conn.transaction(work)).await
    }
}

/// Applies pending migrations of the connection's backend; returns the versions applied.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, String> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| format!("database migration failed: {e}"))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Reverts every applied migration (tests check that down migrations work).
pub fn revert_all_migrations(conn: &mut DbConnection) -> Result<Vec<String>, String> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS),
        DbConnection::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| format!("reverting migrations failed: {e}"))?;
    Ok(reverted.iter().map(|v| v.to_string()).collect())
}

/// A transaction for work that reads and then writes (check a status, then change it).
///
/// On SQLite it begins with `BEGIN IMMEDIATE`, taking the write lock first: a plain (deferred)
/// transaction that read a snapshot cannot upgrade to a writer once another connection has
/// committed, and fails at once with "database is locked" instead of waiting its turn. PostgreSQL
/// uses an ordinary transaction (row locks and `lock_version` checks do the work there). Inside
/// an open transaction it is a savepoint, like [`Connection::transaction`].
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    let outermost = matches!(
        Manager::transaction_manager_status_mut(conn).transaction_depth(),
        Ok(None)
    );
    match conn {
        DbConnection::Sqlite(sqlite) if outermost => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?
        }
        _ => return conn.transaction(work),
    }
    match work(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            Manager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// The current UTC time at microsecond precision: what both databases store exactly.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

impl From<ConnectError> for AppError {
    fn from(e: ConnectError) -> Self {
        AppError::Unavailable(e.0)
    }
}
