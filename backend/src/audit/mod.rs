//! The audit trail: every create, update and delete made through the API (and the CLI) is
//! recorded in the same transaction as the change — who, when, what, values before and after.
//! The table is append-only; the database refuses updates and deletions of it.

pub mod handlers;
pub mod models;
pub mod queries;
pub mod routes;

use diesel::QueryResult;
use mes_api_types::audit::AuditAction;
use serde::Serialize;

use crate::{db::DbConnection, http::extract::Actor};

pub fn created(
    conn: &mut DbConnection,
    actor: &Actor,
    entity: &str,
    entity_id: impl ToString,
    after: &impl Serialize,
) -> QueryResult<()> {
    write(
        conn,
        actor,
        AuditAction::Create,
        entity,
        entity_id.to_string(),
        None,
        Some(snapshot(after)),
    )
}

pub fn updated(
    conn: &mut DbConnection,
    actor: &Actor,
    entity: &str,
    entity_id: impl ToString,
    before: &impl Serialize,
    after: &impl Serialize,
) -> QueryResult<()> {
    write(
        conn,
        actor,
        AuditAction::Update,
        entity,
        entity_id.to_string(),
        Some(snapshot(before)),
        Some(snapshot(after)),
    )
}

pub fn deleted(
    conn: &mut DbConnection,
    actor: &Actor,
    entity: &str,
    entity_id: impl ToString,
    before: &impl Serialize,
) -> QueryResult<()> {
    write(
        conn,
        actor,
        AuditAction::Delete,
        entity,
        entity_id.to_string(),
        Some(snapshot(before)),
        None,
    )
}

fn snapshot(value: &impl Serialize) -> String {
    // DTOs always serialise; a failure would be a programming error worth seeing in the trail.
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"snapshot_error\":\"{e}\"}}"))
}

fn write(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    entity: &str,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
) -> QueryResult<()> {
    queries::insert(
        conn,
        &models::NewAuditRow {
            at: crate::db::now(),
            actor_id: actor.user_id,
            actor_name: actor.name.clone(),
            action: action.as_str().to_owned(),
            entity: entity.to_owned(),
            entity_id,
            before_json: before,
            after_json: after,
            remote_addr: actor.remote_addr.clone(),
        },
    )
}
