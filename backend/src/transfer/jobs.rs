//! Running imports, as the UI polls them: held in the [`crate::state::AppState`], each finished
//! job forgotten an hour after it ended. Messages are kept in both languages and rendered for
//! whoever asks.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use mes_api_types::{
    ErrorDetail, Lang,
    import::{ImportJob, ImportKind, ImportStatus},
};
use rand::Rng;

use super::import::ImportReport;
use crate::error::Detail;

/// How long a finished job stays readable.
pub const KEEP_FINISHED: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
struct JobState {
    kind: ImportKind,
    file_name: String,
    /// Who started it: only they (or an admin) read it.
    owner: Option<i64>,
    status: ImportStatus,
    total_rows: u64,
    processed_rows: u64,
    created: u64,
    updated: u64,
    errors: Vec<Detail>,
    ignored_columns: Vec<String>,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    finished: Option<Instant>,
}

#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<String, JobState>>,
}

fn render(id: &str, job: &JobState, lang: Lang) -> ImportJob {
    ImportJob {
        id: id.to_owned(),
        kind: job.kind,
        file_name: job.file_name.clone(),
        status: job.status,
        total_rows: job.total_rows,
        processed_rows: job.processed_rows,
        created: job.created,
        updated: job.updated,
        errors: job
            .errors
            .iter()
            .map(|d| ErrorDetail {
                field: d.field.clone(),
                line: d.line,
                column: d.column.clone(),
                message: d.message.get(lang).to_owned(),
            })
            .collect(),
        ignored_columns: job.ignored_columns.clone(),
        started_at: job.started_at,
        finished_at: job.finished_at,
    }
}

impl ImportJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, JobState>> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn prune(jobs: &mut HashMap<String, JobState>) {
        jobs.retain(|_, j| j.finished.is_none_or(|t| t.elapsed() < KEEP_FINISHED));
    }

    /// Registers a new job and returns its id (128 random bits: not guessable).
    pub fn start(
        &self,
        kind: ImportKind,
        file_name: &str,
        owner: Option<i64>,
        total_rows: u64,
    ) -> String {
        let id = format!("{:032x}", rand::rng().random::<u128>());
        let mut jobs = self.lock();
        Self::prune(&mut jobs);
        jobs.insert(
            id.clone(),
            JobState {
                kind,
                file_name: file_name.to_owned(),
                owner,
                status: ImportStatus::Validating,
                total_rows,
                processed_rows: 0,
                created: 0,
                updated: 0,
                errors: Vec::new(),
                ignored_columns: Vec::new(),
                started_at: Utc::now(),
                finished_at: None,
                finished: None,
            },
        );
        id
    }

    pub fn set_total(&self, id: &str, total_rows: u64) {
        if let Some(job) = self.lock().get_mut(id) {
            job.total_rows = total_rows;
        }
    }

    pub fn progress(&self, id: &str, status: ImportStatus, processed: u64) {
        if let Some(job) = self.lock().get_mut(id) {
            job.status = status;
            job.processed_rows = processed;
        }
    }

    pub fn finish(&self, id: &str, report: &ImportReport) {
        if let Some(job) = self.lock().get_mut(id) {
            job.status = if report.errors.is_empty() {
                ImportStatus::Done
            } else {
                ImportStatus::Failed
            };
            job.total_rows = report.total_rows;
            if report.errors.is_empty() {
                job.processed_rows = report.total_rows;
            }
            job.created = report.created;
            job.updated = report.updated;
            job.errors = report.errors.clone();
            job.ignored_columns = report.ignored_columns.clone();
            job.finished_at = Some(Utc::now());
            job.finished = Some(Instant::now());
        }
    }

    /// A fault (not a bad row) ended the job: one message without line or column.
    pub fn fail(&self, id: &str, message: crate::error::Text) {
        if let Some(job) = self.lock().get_mut(id) {
            job.status = ImportStatus::Failed;
            job.errors = vec![Detail {
                field: None,
                line: None,
                column: None,
                message,
            }];
            job.finished_at = Some(Utc::now());
            job.finished = Some(Instant::now());
        }
    }

    /// The job as `viewer` may see it: their own, or any for an admin.
    pub fn get(&self, id: &str, viewer: Option<i64>, admin: bool, lang: Lang) -> Option<ImportJob> {
        let mut jobs = self.lock();
        Self::prune(&mut jobs);
        jobs.get(id)
            .filter(|j| admin || j.owner == viewer)
            .map(|j| render(id, j, lang))
    }

    pub fn is_finished(&self, id: &str) -> bool {
        self.lock().get(id).is_none_or(|j| j.finished.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_private_and_finish() {
        let jobs = ImportJobs::default();
        let id = jobs.start(ImportKind::Products, "p.csv", Some(7), 3);
        jobs.progress(&id, ImportStatus::Writing, 2);
        let job = jobs.get(&id, Some(7), false, Lang::En).unwrap();
        assert_eq!((job.processed_rows, job.total_rows), (2, 3));
        assert!(jobs.get(&id, Some(8), false, Lang::En).is_none());
        assert!(jobs.get(&id, Some(8), true, Lang::En).is_some());
        assert!(!jobs.is_finished(&id));
        let report = ImportReport {
            total_rows: 3,
            created: 3,
            ..ImportReport::default()
        };
        jobs.finish(&id, &report);
        let job = jobs.get(&id, Some(7), false, Lang::En).unwrap();
        assert_eq!(job.status, ImportStatus::Done);
        assert_eq!(job.processed_rows, 3);
    }
}
