//! What every request handler can reach: configuration, database, session cache, rate limits
//! and metrics. Built once by [`AppState::new`]; there is no global state.

use std::{sync::Arc, time::Instant};

use crate::{
    auth::{ratelimit::LoginLimiter, session::SessionCache},
    config::Config,
    db::Db,
    events::EventBus,
    http::metrics::Metrics,
    scheduling::service::Runs,
    transfer::jobs::ImportJobs,
};

pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub sessions: SessionCache,
    pub login_limiter: LoginLimiter,
    pub metrics: Metrics,
    pub events: EventBus,
    /// Running and recently finished imports.
    pub import_jobs: ImportJobs,
    /// Scheduling runs in progress (live progress, cancel flags).
    pub runs: Runs,
    pub started_at: Instant,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> AppState {
        let login_limiter = LoginLimiter::new(&config.login_limit);
        AppState {
            config: Arc::new(config),
            db,
            sessions: SessionCache::new(),
            login_limiter,
            metrics: Metrics::new(),
            events: EventBus::new(),
            import_jobs: ImportJobs::default(),
            runs: Runs::new(),
            started_at: Instant::now(),
        }
    }
}
