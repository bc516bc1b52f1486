//! Configuration in layers: built-in defaults, then `mes.toml` (or the file named by `--config` /
//! `MES_CONFIG`), then `MES_*` environment variables (`MES_SESSION__TTL_HOURS` for nested keys),
//! then command-line flags. `mes.example.toml` documents every key.

use std::path::{Path, PathBuf};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port the server listens on.
    pub bind: String,
    /// `sqlite://PATH` (embedded, the default) or `postgres://USER:PASSWORD@HOST/DB`.
    pub database_url: String,
    /// Pooled database connections; default 8 for SQLite, 16 for PostgreSQL.
    pub pool_size: Option<u32>,
    /// Shown in the header and on the board.
    pub plant_name: String,
    /// IANA zone of the plant, for showing times and cutting shifts and days.
    pub timezone: String,
    pub session: SessionConfig,
    pub login_limit: LoginLimitConfig,
    /// Largest JSON request body, in bytes.
    pub max_json_bytes: usize,
    /// Largest upload (import files, attachments), in bytes.
    pub max_upload_bytes: usize,
    pub log: LogConfig,
    /// Serve the frontend from this folder instead of the copy built into the binary (development).
    pub frontend_dir: Option<PathBuf>,
    /// Actix worker threads; default: one per CPU core.
    pub workers: Option<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionConfig {
    /// A session ends after this many hours without activity.
    pub ttl_hours: u32,
    /// Mark the cookie `Secure` (set when served over HTTPS, e.g. behind a TLS proxy).
    pub cookie_secure: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginLimitConfig {
    /// Sign-in attempts per minute for one account (or badge).
    pub per_account_per_minute: u32,
    /// Sign-in attempts per minute from one client address.
    pub per_address_per_minute: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `tracing` filter, e.g. `info` or `mes_backend=debug,info`. `RUST_LOG` overrides it.
    pub level: String,
    /// `text` for people, `json` for log collectors.
    pub format: String,
}

const TOP_LEVEL_KEYS: [&str; 12] = [
    "bind",
    "database_url",
    "pool_size",
    "plant_name",
    "timezone",
    "session",
    "login_limit",
    "max_json_bytes",
    "max_upload_bytes",
    "log",
    "frontend_dir",
    "workers",
];

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "0.0.0.0:8080".into(),
            database_url: "sqlite://./data/mes.sqlite3".into(),
            pool_size: None,
            plant_name: "MES".into(),
            timezone: "Asia/Shanghai".into(),
            session: SessionConfig::default(),
            login_limit: LoginLimitConfig::default(),
            max_json_bytes: 1024 * 1024,
            max_upload_bytes: 32 * 1024 * 1024,
            log: LogConfig::default(),
            frontend_dir: None,
            workers: None,
        }
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            ttl_hours: 12,
            cookie_secure: false,
        }
    }
}

impl Default for LoginLimitConfig {
    fn default() -> Self {
        LoginLimitConfig {
            per_account_per_minute: 10,
            per_address_per_minute: 60,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".into(),
            format: "text".into(),
        }
    }
}

impl std::fmt::Debug for Config {
    // The database URL may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("database_url", &crate::db::redact_url(&self.database_url))
            .field("pool_size", &self.pool_size)
            .field("plant_name", &self.plant_name)
            .field("timezone", &self.timezone)
            .field("session", &self.session)
            .field("login_limit", &self.login_limit)
            .field("max_json_bytes", &self.max_json_bytes)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("log", &self.log)
            .field("frontend_dir", &self.frontend_dir)
            .field("workers", &self.workers)
            .finish()
    }
}

impl Config {
    /// Defaults ← config file ← `MES_*` environment. A missing default file is fine; a missing
    /// file that was asked for explicitly is an error.
    pub fn load(explicit_file: Option<&Path>) -> Result<Config, String> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match explicit_file {
            Some(path) => {
                if !path.exists() {
                    return Err(format!(
                        "configuration file {} does not exist",
                        path.display()
                    ));
                }
                figment = figment.merge(Toml::file_exact(path));
            }
            None => figment = figment.merge(Toml::file("mes.toml")),
        }
        // Only keys the config knows: other `MES_*` variables (tests, tools) are not config errors.
        figment = figment.merge(Env::prefixed("MES_").split("__").filter(|key| {
            // After `split`, nested keys read `session.ttl_hours`.
            let top = key.as_str().split('.').next().unwrap_or_default();
            TOP_LEVEL_KEYS.iter().any(|k| k.eq_ignore_ascii_case(top))
        }));
        let config: Config = figment.extract().map_err(|e| {
            e.into_iter()
                .map(|e| format!("configuration error: {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        crate::db::DbTarget::parse(&self.database_url)?;
        if self.session.ttl_hours == 0 {
            return Err("configuration error: session.ttl_hours must be at least 1".into());
        }
        if self.login_limit.per_account_per_minute == 0
            || self.login_limit.per_address_per_minute == 0
        {
            return Err("configuration error: login_limit values must be at least 1".into());
        }
        if crate::plant::calendar::parse_tz(&self.timezone).is_none() {
            return Err(format!(
                "configuration error: timezone `{}` is not an IANA time zone (example: Asia/Shanghai)",
                self.timezone
            ));
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return Err(format!(
                "configuration error: log.format must be `text` or `json`, not `{}`",
                self.log.format
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
// figment::Jail's closures must return its (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_database_password() {
        let config = Config {
            database_url: "postgres://mes:hunter2@db/mes".into(),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"));
    }

    #[test]
    fn file_then_environment_layers() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "mes.toml",
                "bind = \"127.0.0.1:9000\"\nplant_name = \"A\"\n[session]\nttl_hours = 8\n",
            )?;
            jail.set_env("MES_PLANT_NAME", "B");
            jail.set_env("MES_SESSION__COOKIE_SECURE", "true");
            // Variables for other tools share the prefix and must not be config errors.
            jail.set_env("MES_BASE_URL", "http://x");
            let config = Config::load(None).expect("config loads");
            assert_eq!(config.bind, "127.0.0.1:9000");
            assert_eq!(config.plant_name, "B");
            assert_eq!(config.session.ttl_hours, 8);
            assert!(config.session.cookie_secure);
            Ok(())
        });
    }

    #[test]
    fn example_file_is_valid_and_matches_the_defaults() {
        // Inside a jail: other tests set MES_* variables, and the jail serialises them.
        figment::Jail::expect_with(|_| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mes.example.toml");
            let config = Config::load(Some(&path)).expect("mes.example.toml loads");
            assert_eq!(
                serde_json::to_value(&config).unwrap(),
                serde_json::to_value(Config::default()).unwrap(),
                "mes.example.toml shows the defaults"
            );
            Ok(())
        });
    }

    #[test]
    fn timezone_must_be_an_iana_zone() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("mes.toml", "timezone = \"Mars/Olympus\"\n")?;
            let err = Config::load(None).expect_err("unknown zone is an error");
            assert!(err.contains("Mars/Olympus"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_reported() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("mes.toml", "bnid = \"x\"\n")?;
            let err = Config::load(None).expect_err("typo is an error");
            assert!(err.contains("bnid"), "{err}");
            Ok(())
        });
    }
}
