use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::{
    AuditId, UserId,
    audit::{AuditAction, AuditEntry},
};

use crate::db::schema::audit_log;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub remote_addr: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow {
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub remote_addr: Option<String>,
}

impl AuditRow {
    pub fn to_api(self) -> AuditEntry {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntry {
            id: AuditId(self.id),
            at: self.at.and_utc(),
            actor_id: self.actor_id.map(UserId),
            actor_name: self.actor_name,
            action: AuditAction::parse(&self.action).unwrap_or(AuditAction::Update),
            entity: self.entity,
            entity_id: self.entity_id,
            before: parse(self.before_json),
            after: parse(self.after_json),
            remote_addr: self.remote_addr,
        }
    }
}
