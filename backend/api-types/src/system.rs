use serde::{Deserialize, Serialize};

/// `GET /healthz`: the process is alive and can reach its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: String,
    /// `ok` or the reason the database check failed.
    pub database: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    pub version: String,
}
