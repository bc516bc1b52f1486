use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{AuditRow, NewAuditRow};
use crate::db::{
    DbConnection,
    schema::audit_log,
    sql::{contains_pattern, lower},
};

pub fn insert(conn: &mut DbConnection, row: &NewAuditRow) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Matches the actor's name (part of it, any case).
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// Newest first; `before` continues below that id.
pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    before: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    let filtered = || {
        let mut query = audit_log::table.into_boxed();
        if let Some(entity) = &filter.entity {
            query = query.filter(audit_log::entity.eq(entity.clone()));
        }
        if let Some(entity_id) = &filter.entity_id {
            query = query.filter(audit_log::entity_id.eq(entity_id.clone()));
        }
        if let Some(actor) = filter.actor.as_deref().filter(|a| !a.trim().is_empty()) {
            query = query.filter(
                lower(audit_log::actor_name)
                    .like(contains_pattern(actor))
                    .escape('\\'),
            );
        }
        if let Some(action) = &filter.action {
            query = query.filter(audit_log::action.eq(action.clone()));
        }
        if let Some(from) = filter.from {
            query = query.filter(audit_log::at.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(audit_log::at.lt(to));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(before) = before {
        page = page.filter(audit_log::id.lt(before));
    }
    let rows = page
        .order(audit_log::id.desc())
        .limit(fetch)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
