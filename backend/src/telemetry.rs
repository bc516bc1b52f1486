//! Logging setup: `tracing` to stderr as text or JSON, filtered by config or `RUST_LOG`.

use tracing_subscriber::{EnvFilter, fmt};

use crate::config::LogConfig;

pub fn init(config: &LogConfig) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.level));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second init (tests) keeps the first subscriber.
    let _ = if config.format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
