use actix_web::web;
use chrono::{DateTime, Utc};
use mes_api_types::{Page, audit::AuditAction, audit::AuditEntry};
use serde::Deserialize;

use super::queries::{self, AuditFilter};
use crate::{
    error::AppResult,
    http::{extract::Query, paging::PageRequest},
    state::AppState,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entity kind, e.g. `user`, `work_order`.
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Part of the actor's user name.
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    /// From this time (inclusive), RFC 3339.
    pub from: Option<DateTime<Utc>>,
    /// Until this time (exclusive), RFC 3339.
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Browse the audit trail, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = mes_api_types::ApiError)))]
pub async fn list_audit(
    state: web::Data<AppState>,
    query: Query<AuditQuery>,
) -> AppResult<web::Json<Page<AuditEntry>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = AuditFilter {
        entity: q.entity,
        entity_id: q.entity_id,
        actor: q.actor,
        action: q.action.map(|a| a.as_str().to_owned()),
        from: q.from.map(|t| t.naive_utc()),
        to: q.to.map(|t| t.naive_utc()),
    };
    let (rows, total) = state
        .db
        .run(move |conn| Ok(queries::list(conn, &filter, page.after, page.fetch())?))
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(web::Json(Page {
        items: rows.into_iter().map(|r| r.to_api()).collect(),
        next_cursor,
        total,
    }))
}
