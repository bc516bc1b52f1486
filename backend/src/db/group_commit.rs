//! Group commit for SQLite writes. A durable commit (WAL, `synchronous=FULL`) costs an fsync —
//! a few milliseconds on ordinary disks, so one commit per request caps a plant at a few hundred
//! writes a second. Here one writer thread takes the queued write jobs, runs them all in ONE
//! transaction, each in its own SAVEPOINT (a failing job rolls back alone and the others still
//! land), commits once, and only then answers each job: nothing is acknowledged before it is on
//! disk, and the fsync is shared by the whole batch.

use std::{
    sync::mpsc::{self, Receiver, Sender},
    thread,
};

use diesel::Connection;
use tokio::sync::oneshot;

use super::{DbConnection, DbTarget, write_transaction};
use crate::error::{AppError, AppResult};

/// Jobs per transaction at most: bounds the latency a batch adds to its first job.
const MAX_BATCH: usize = 256;

/// Runs in the writer's transaction; returns what to do once the batch has committed (or not).
type Job = Box<dyn FnOnce(&mut DbConnection) -> Finish + Send>;
type Finish = Box<dyn FnOnce(Result<(), String>) + Send>;

pub struct GroupCommit {
    sender: Sender<Job>,
}

impl GroupCommit {
    /// Starts the writer thread on a connection of its own.
    pub fn start(target: &DbTarget) -> Result<GroupCommit, String> {
        let mut conn = target.connect()?;
        let (sender, receiver) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("mes-writer".into())
            .spawn(move || writer(&mut conn, receiver))
            .map_err(|e| format!("cannot start the database writer: {e}"))?;
        Ok(GroupCommit { sender })
    }

    /// Queues `work` for the next batch and waits until its batch has committed.
    pub async fn write<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<AppResult<T>>();
        let job: Job = Box::new(move |conn| {
            // A savepoint: this job's failure leaves the rest of the batch alone.
            let result = conn.transaction(work);
            Box::new(move |committed: Result<(), String>| {
                let answer = match committed {
                    Ok(()) => result,
                    // The effect never reached the disk: say so, never acknowledge it.
                    Err(e) => Err(AppError::Unavailable(e)),
                };
                let _ = reply.send(answer);
            })
        });
        self.sender
            .send(job)
            .map_err(|_| AppError::Unavailable("the database writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| AppError::Unavailable("the database writer has stopped".into()))?
    }
}

fn writer(conn: &mut DbConnection, receiver: Receiver<Job>) {
    while let Ok(first) = receiver.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let mut finishers = Vec::with_capacity(jobs.len());
        let committed = write_transaction(conn, |conn| {
            for job in jobs {
                // A panicking job drops its reply (its caller gets an error); the batch goes on.
                if let Ok(finish) =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(conn)))
                {
                    finishers.push(finish);
                }
            }
            Ok::<_, diesel::result::Error>(())
        })
        .map_err(|e| format!("commit failed: {e}"));
        if let Err(e) = &committed {
            tracing::error!(error = %e, "group commit failed; the batch was not acknowledged");
        }
        for finish in finishers {
            finish(committed.clone());
        }
    }
}
