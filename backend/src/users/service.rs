//! Account rules: what a valid user name, password, badge and PIN are; the last active admin
//! cannot be disabled or lose the role; every change is audited.

use diesel::Connection;
use mes_api_types::{
    Lang, Page,
    auth::{NewUser, Role, User, UserUpdate},
};

use super::{
    models::{self, NewUserRow, UserChanges},
    queries::{self, UserFilter},
};
use crate::{
    audit,
    auth::{password, session},
    db::{DbConnection, now},
    error::{AppError, AppResult, Detail},
    http::{extract::Actor, paging::PageRequest},
    state::AppState,
    text,
};

pub fn validate_password(field: &str, password: &str) -> AppResult<()> {
    let n = password.chars().count();
    if !(8..=200).contains(&n) {
        return Err(AppError::invalid(
            field,
            text!(
                "密码长度须为 8 到 200 个字符",
                "The password must be 8 to 200 characters long"
            ),
        ));
    }
    Ok(())
}

fn check_username(username: &str, errors: &mut Vec<Detail>) {
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !(2..=64).contains(&username.len()) || !ok_chars {
        errors.push(Detail::field(
            "username",
            text!(
                "用户名须为 2 到 64 个字符，只能包含小写字母、数字和 . _ -",
                "The user name must be 2 to 64 characters: lower-case letters, digits and . _ -"
            ),
        ));
    }
}

fn check_display_name(name: &str, errors: &mut Vec<Detail>) {
    if name.trim().is_empty() || name.chars().count() > 100 {
        errors.push(Detail::field(
            "display_name",
            text!(
                "姓名不能为空，且不超过 100 个字符",
                "The name must not be empty or longer than 100 characters"
            ),
        ));
    }
}

fn check_roles(roles: &[Role], errors: &mut Vec<Detail>) {
    if roles.is_empty() {
        errors.push(Detail::field(
            "roles",
            text!("至少选择一个角色", "Choose at least one role"),
        ));
    }
}

fn check_badge(badge: &str, errors: &mut Vec<Detail>) {
    if badge.chars().count() > 64 || badge.chars().any(char::is_whitespace) {
        errors.push(Detail::field(
            "badge_code",
            text!(
                "工牌号不能含空格，且不超过 64 个字符",
                "The badge code must have no spaces and at most 64 characters"
            ),
        ));
    }
}

fn check_pin(pin: &str, errors: &mut Vec<Detail>) {
    if !(4..=8).contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        errors.push(Detail::field(
            "pin",
            text!("PIN 须为 4 到 8 位数字", "The PIN must be 4 to 8 digits"),
        ));
    }
}

fn dedup(mut roles: Vec<Role>) -> Vec<Role> {
    roles.sort();
    roles.dedup();
    roles
}

/// The one-line answer when a unique column is taken, naming which.
fn taken(field: &str) -> AppError {
    match field {
        "username" => {
            AppError::Conflict(text!("用户名已被使用", "That user name is already taken"))
        }
        _ => AppError::Conflict(text!(
            "工牌号已分配给其他用户",
            "That badge is already assigned to another user"
        )),
    }
}

/// Creates a user (API, CLI and demo data all come through here).
pub fn create_user(conn: &mut DbConnection, actor: &Actor, new: NewUser) -> AppResult<User> {
    let username = new.username.trim().to_lowercase();
    let display_name = new
        .display_name
        .clone()
        .unwrap_or_else(|| username.clone())
        .trim()
        .to_owned();
    let badge = new
        .badge_code
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_owned);
    let roles = dedup(new.roles);
    let mut errors = Vec::new();
    check_username(&username, &mut errors);
    check_display_name(&display_name, &mut errors);
    if let Err(AppError::Validation(mut d)) = validate_password("password", &new.password) {
        errors.append(&mut d);
    }
    check_roles(&roles, &mut errors);
    if let Some(b) = &badge {
        check_badge(b, &mut errors);
    }
    if let Some(pin) = &new.pin {
        check_pin(pin, &mut errors);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    conn.transaction(|conn| {
        if queries::find_by_username(conn, &username)?.is_some() {
            return Err(taken("username"));
        }
        if let Some(b) = &badge
            && queries::find_by_badge(conn, b)?.is_some()
        {
            return Err(taken("badge_code"));
        }
        let at = now();
        let id = queries::insert(
            conn,
            &NewUserRow {
                username,
                display_name,
                password_hash: password::hash(&new.password),
                language: new.language.unwrap_or_default().tag().to_owned(),
                badge_code: badge,
                pin_hash: new.pin.as_deref().map(password::hash),
                active: true,
                created_at: at,
                updated_at: at,
            },
        )?;
        queries::set_roles(conn, id, &roles)?;
        let user = load(conn, id)?;
        audit::created(conn, actor, "user", id, &user)?;
        Ok(user)
    })
}

pub fn load(conn: &mut DbConnection, id: i64) -> AppResult<User> {
    let row = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
    let roles = models::roles_from_db(&queries::roles_of(conn, id)?);
    Ok(row.to_api(roles))
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound(text!("用户 {id} 不存在", "User {id} does not exist"))
}

/// Applies a partial update. Changing roles, status or secrets ends the user's cached sessions
/// (the caller drops them from the cache); disabling or a new password also ends stored ones.
pub fn update_user(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    update: UserUpdate,
) -> AppResult<User> {
    let mut errors = Vec::new();
    if let Some(name) = &update.display_name {
        check_display_name(name, &mut errors);
    }
    let roles = update.roles.clone().map(dedup);
    if let Some(r) = &roles {
        check_roles(r, &mut errors);
    }
    let badge = update
        .badge_code
        .as_deref()
        .map(str::trim)
        .map(str::to_owned);
    if let Some(b) = badge.as_deref().filter(|b| !b.is_empty()) {
        check_badge(b, &mut errors);
    }
    if let Some(pin) = update.pin.as_deref().filter(|p| !p.is_empty()) {
        check_pin(pin, &mut errors);
    }
    if let Some(pw) = &update.password
        && let Err(AppError::Validation(mut d)) = validate_password("password", pw)
    {
        errors.append(&mut d);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    conn.transaction(|conn| {
        let before = load(conn, id)?;
        let loses_admin = before.roles.contains(&Role::Admin)
            && before.active
            && (update.active == Some(false)
                || roles.as_ref().is_some_and(|r| !r.contains(&Role::Admin)));
        if loses_admin && queries::count_active_with_role(conn, Role::Admin, Some(id))? == 0 {
            return Err(AppError::Conflict(text!(
                "不能停用最后一位管理员或移除其管理员角色",
                "The last active admin cannot be disabled or lose the admin role"
            )));
        }
        if let Some(b) = badge.as_deref().filter(|b| !b.is_empty())
            && queries::find_by_badge(conn, b)?.is_some_and(|u| u.id != id)
        {
            return Err(taken("badge_code"));
        }
        let changes = UserChanges {
            display_name: update.display_name.as_ref().map(|n| n.trim().to_owned()),
            password_hash: update.password.as_deref().map(password::hash),
            language: update.language.map(|l: Lang| l.tag().to_owned()),
            badge_code: badge.map(|b| Some(b).filter(|b| !b.is_empty())),
            pin_hash: update
                .pin
                .as_deref()
                .map(|p| Some(p).filter(|p| !p.is_empty()).map(password::hash)),
            active: update.active,
            updated_at: Some(now()),
            last_login_at: None,
        };
        queries::update(conn, id, &changes)?;
        if let Some(r) = &roles {
            queries::set_roles(conn, id, r)?;
        }
        if update.active == Some(false) || update.password.is_some() {
            session::delete_for_user(conn, id, None)?;
        }
        let after = load(conn, id)?;
        let mut after_snapshot = serde_json::to_value(&after)?;
        if update.password.is_some() {
            after_snapshot["password"] = "(changed)".into();
        }
        if update.pin.is_some() {
            after_snapshot["pin"] = "(changed)".into();
        }
        audit::updated(conn, actor, "user", id, &before, &after_snapshot)?;
        Ok(after)
    })
}

pub async fn list_users(
    state: &AppState,
    filter: UserFilter,
    page: PageRequest,
) -> AppResult<Page<User>> {
    let (rows, roles, total) = state
        .db
        .run(move |conn| {
            let (rows, total) = queries::list(conn, &filter, page.after, page.fetch())?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let roles = queries::roles_of_many(conn, &ids)?;
            Ok((rows, roles, total))
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(Page {
        items: rows
            .iter()
            .map(|r| {
                r.to_api(models::roles_from_db(
                    roles.get(&r.id).map(Vec::as_slice).unwrap_or_default(),
                ))
            })
            .collect(),
        next_cursor,
        total,
    })
}
