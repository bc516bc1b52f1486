//! The append-only audit trail: who changed what, when, from which values to which.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AuditId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    Delete,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        [
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Delete,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: DateTime<Utc>,
    /// None for changes made by the system itself (CLI, scheduler, device).
    pub actor_id: Option<UserId>,
    pub actor_name: String,
    pub action: AuditAction,
    /// The kind of thing changed, e.g. `user`, `work_order`.
    pub entity: String,
    pub entity_id: String,
    /// Values before the change (absent on create).
    pub before: Option<serde_json::Value>,
    /// Values after the change (absent on delete).
    pub after: Option<serde_json::Value>,
    /// Client address the change came from.
    pub remote_addr: Option<String>,
}
