use std::collections::HashMap;

use diesel::prelude::*;
use mes_api_types::auth::Role;

use super::models::{NewUserRow, UserChanges, UserRow};
use crate::db::{
    DbConnection,
    schema::{user_roles, users},
    sql::{contains_pattern, lower},
};

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_badge(conn: &mut DbConnection, badge: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::badge_code.eq(badge))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn roles_of(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<String>> {
    user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select(user_roles::role)
        .load(conn)
}

/// Roles of several users in one query (no N+1 on list pages).
pub fn roles_of_many(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, role) in rows {
        map.entry(id).or_default().push(role);
    }
    Ok(map)
}

pub fn insert(conn: &mut DbConnection, row: &NewUserRow) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values(row)
        .returning(users::id)
        .get_result(conn)
}

pub fn set_roles(conn: &mut DbConnection, user_id: i64, roles: &[Role]) -> QueryResult<()> {
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(user_id))).execute(conn)?;
    for role in roles {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::role.eq(role.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &UserChanges) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(changes)
        .execute(conn)
}

/// Active users holding `role`, other than `except`: guards against removing the last admin.
pub fn count_active_with_role(
    conn: &mut DbConnection,
    role: Role,
    except: Option<i64>,
) -> QueryResult<i64> {
    let mut query = users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq(role.as_str()))
        .filter(users::active.eq(true))
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(users::id.ne(id));
    }
    query.count().get_result(conn)
}

#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub search: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// One page of users ordered by id, plus the count of all matches.
pub fn list(
    conn: &mut DbConnection,
    filter: &UserFilter,
    after: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<UserRow>, i64)> {
    let filtered = || {
        let mut query = users::table.into_boxed();
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            let pattern = contains_pattern(search);
            query = query.filter(
                lower(users::username)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(users::display_name).like(pattern).escape('\\'))
                    .or(users::badge_code.eq(search.trim().to_owned())),
            );
        }
        if let Some(role) = filter.role {
            query = query.filter(
                users::id.eq_any(
                    user_roles::table
                        .filter(user_roles::role.eq(role.as_str()))
                        .select(user_roles::user_id),
                ),
            );
        }
        if let Some(active) = filter.active {
            query = query.filter(users::active.eq(active));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(after) = after {
        page = page.filter(users::id.gt(after));
    }
    let rows = page
        .order(users::id.asc())
        .limit(fetch)
        .select(UserRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
