//! Running an import from a file: reading it, then [`super::import::import`], as a background
//! job for the API or in place for the CLI.

use actix_web::web;
use chrono_tz::Tz;
use mes_api_types::import::{ImportKind, ImportStatus};

use super::{
    import::{self, ImportReport},
    table,
};
use crate::{
    db::DbConnection,
    error::{AppResult, Detail},
    http::extract::Actor,
    plant::calendar::parse_tz,
    state::AppState,
    text,
};

/// The plant's time zone, for reading and writing local dates; UTC if the configuration names
/// none that exists (the configuration check reports that at start-up).
pub fn plant_tz(state: &AppState) -> Tz {
    parse_tz(&state.config.timezone).unwrap_or(Tz::UTC)
}

/// The last part of a path, at most 255 characters: what the job shows.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    if base.is_empty() {
        "upload".into()
    } else {
        base
    }
}

/// Reads and imports a file in place. A file that cannot be read at all is one error without
/// a line.
pub fn import_file(
    conn: &mut DbConnection,
    actor: &Actor,
    tz: Tz,
    kind: ImportKind,
    file_name: &str,
    data: &[u8],
    progress: import::Progress<'_>,
) -> AppResult<ImportReport> {
    let table = match table::read(file_name, data) {
        Ok(t) => t,
        Err(message) => {
            return Ok(ImportReport {
                errors: vec![Detail {
                    field: None,
                    line: None,
                    column: None,
                    message,
                }],
                ..ImportReport::default()
            });
        }
    };
    import::import(conn, actor, tz, kind, &table, progress)
}

/// Starts an import job on the blocking pool and returns its id at once.
pub fn spawn_import(
    state: web::Data<AppState>,
    actor: Actor,
    kind: ImportKind,
    file_name: String,
    data: Vec<u8>,
) -> String {
    let id = state.import_jobs.start(kind, &file_name, actor.user_id, 0);
    let job = id.clone();
    actix_web::rt::spawn(async move {
        let tz = plant_tz(&state);
        let worker = state.clone();
        let job_id = job.clone();
        let outcome = web::block(move || -> AppResult<ImportReport> {
            let mut conn = worker.db.get()?;
            let jobs = &worker.import_jobs;
            let table = table::read(&file_name, &data);
            let table = match table {
                Ok(t) => t,
                Err(message) => {
                    return Ok(ImportReport {
                        errors: vec![Detail {
                            field: None,
                            line: None,
                            column: None,
                            message,
                        }],
                        ..ImportReport::default()
                    });
                }
            };
            jobs.set_total(&job_id, table.rows.len() as u64);
            let mut progress =
                |status: ImportStatus, processed: u64| jobs.progress(&job_id, status, processed);
            import::import(&mut conn, &actor, tz, kind, &table, &mut progress)
        })
        .await;
        match outcome {
            Ok(Ok(report)) => state.import_jobs.finish(&job, &report),
            Ok(Err(e)) => {
                tracing::error!(job = %job, error = %e, "import failed");
                state.import_jobs.fail(
                    &job,
                    text!(
                        "导入因服务器错误中止，未保存任何数据；请稍后重试",
                        "The import stopped on a server error and stored nothing; try again later"
                    ),
                );
            }
            Err(e) => {
                tracing::error!(job = %job, error = %e, "import task failed");
                state.import_jobs.fail(
                    &job,
                    text!(
                        "导入因服务器错误中止，未保存任何数据；请稍后重试",
                        "The import stopped on a server error and stored nothing; try again later"
                    ),
                );
            }
        }
    });
    id
}
