//! Online backup. SQLite: `VACUUM INTO` writes a consistent, compacted copy while the server keeps
//! running (readers and writers are not blocked for long). PostgreSQL has its own tool for this.

use std::path::Path;

use diesel::connection::SimpleConnection;

use crate::db::{DbConnection, DbTarget};

pub fn run(url: &str, target: &Path) -> Result<(), String> {
    if target.exists() {
        return Err(format!(
            "{} already exists; choose a new file name",
            target.display()
        ));
    }
    let db = DbTarget::parse(url)?;
    if let DbTarget::Sqlite(path) = &db
        && !path.exists()
    {
        return Err(format!("there is no SQLite database at {}", path.display()));
    }
    match db.connect()? {
        DbConnection::Sqlite(mut conn) => {
            let quoted = target.to_string_lossy().replace('\'', "''");
            conn.batch_execute(&format!("VACUUM INTO '{quoted}'"))
                .map_err(|e| format!("backup to {} failed: {e}", target.display()))?;
            let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
            println!(
                "backup written to {} ({} KiB)",
                target.display(),
                size / 1024
            );
            Ok(())
        }
        DbConnection::Pg(_) => Err(format!(
            "PostgreSQL databases are backed up with pg_dump, e.g.: pg_dump --format=custom --file {} '{}'",
            target.display(),
            crate::db::redact_url(url)
        )),
    }
}
