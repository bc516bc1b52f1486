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

/// `GET /api/v1/system/info`: what every screen needs to know about the plant, before sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemInfo {
    pub plant_name: String,
    /// IANA zone of the plant: shifts, days and displayed times are in this zone.
    pub timezone: String,
    pub version: String,
}
