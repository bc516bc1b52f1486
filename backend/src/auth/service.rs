//! Sign-in rules. A failed sign-in never says which part was wrong, and takes as long whether
//! the account exists or not.

use diesel::Connection;
use mes_api_types::{
    Lang,
    auth::{BadgeLoginRequest, LoginRequest, Me, PasswordChange},
};

use super::{
    password,
    session::{self, NewSession, SessionUser},
};
use crate::{
    audit,
    error::{AppError, AppResult},
    http::extract::Actor,
    state::AppState,
    text,
    users::{
        models::{self, UserChanges},
        queries as users,
        service::validate_password,
    },
};

/// Where a sign-in comes from, for rate limits and the session record.
pub struct Client {
    pub remote_addr: Option<String>,
    pub user_agent: Option<String>,
}

fn bad_credentials() -> AppError {
    AppError::Unauthorized(text!("用户名或密码错误", "Wrong user name or password"))
}

fn bad_badge() -> AppError {
    AppError::Unauthorized(text!("工牌或 PIN 错误", "Wrong badge or PIN"))
}

/// Checks the password and opens a session. Returns the user and the session token.
pub async fn login(
    state: &AppState,
    request: LoginRequest,
    client: Client,
) -> AppResult<(Me, String)> {
    let username = request.username.trim().to_lowercase();
    state
        .login_limiter
        .check(&username, client.remote_addr.as_deref())?;
    let config = state.config.session.clone();
    state
        .db
        .run(move |conn| {
            let user = users::find_by_username(conn, &username)?;
            let Some(user) = user.filter(|u| u.active) else {
                password::verify_dummy(&request.password);
                return Err(bad_credentials());
            };
            if !password::verify(&user.password_hash, &request.password) {
                return Err(bad_credentials());
            }
            open_session(conn, user, "password", client, &config)
        })
        .await
}

/// Station sign-in: the badge (scanned) and the operator's PIN.
pub async fn badge_login(
    state: &AppState,
    request: BadgeLoginRequest,
    client: Client,
) -> AppResult<(Me, String)> {
    let badge = request.badge.trim().to_owned();
    state
        .login_limiter
        .check(&format!("badge:{badge}"), client.remote_addr.as_deref())?;
    let config = state.config.session.clone();
    state
        .db
        .run(move |conn| {
            let user = users::find_by_badge(conn, &badge)?;
            let Some((user, pin_hash)) = user
                .filter(|u| u.active)
                .and_then(|u| u.pin_hash.clone().map(|h| (u, h)))
            else {
                password::verify_dummy(&request.pin);
                return Err(bad_badge());
            };
            if !password::verify(&pin_hash, &request.pin) {
                return Err(bad_badge());
            }
            open_session(conn, user, "badge", client, &config)
        })
        .await
}

/// Who signs in at a station: a scanned badge, or a typed user name.
pub enum PinIdentity {
    Badge(String),
    Username(String),
}

/// Checks an operator's PIN (rate-limited per badge or name and address, constant time whether
/// the account exists or not). Returns the user; the caller opens whatever session it needs.
pub async fn check_pin(
    state: &AppState,
    identity: PinIdentity,
    pin: String,
    client: &Client,
) -> AppResult<models::UserRow> {
    let limit_key = match &identity {
        PinIdentity::Badge(b) => format!("badge:{b}"),
        PinIdentity::Username(u) => u.clone(),
    };
    state
        .login_limiter
        .check(&limit_key, client.remote_addr.as_deref())?;
    state
        .db
        .run(move |conn| {
            let user = match &identity {
                PinIdentity::Badge(b) => users::find_by_badge(conn, b)?,
                PinIdentity::Username(u) => users::find_by_username(conn, u)?,
            };
            let Some((user, pin_hash)) = user
                .filter(|u| u.active)
                .and_then(|u| u.pin_hash.clone().map(|h| (u, h)))
            else {
                password::verify_dummy(&pin);
                return Err(bad_badge());
            };
            if !password::verify(&pin_hash, &pin) {
                return Err(bad_badge());
            }
            Ok(user)
        })
        .await
}

fn open_session(
    conn: &mut crate::db::DbConnection,
    user: models::UserRow,
    method: &'static str,
    client: Client,
    config: &crate::config::SessionConfig,
) -> AppResult<(Me, String)> {
    conn.transaction(|conn| {
        let token = session::create(
            conn,
            NewSession {
                user_id: user.id,
                method,
                remote_addr: client.remote_addr,
                user_agent: client.user_agent,
            },
            config,
        )?;
        users::update(
            conn,
            user.id,
            &UserChanges {
                last_login_at: Some(Some(crate::db::now())),
                ..UserChanges::default()
            },
        )?;
        let roles = models::roles_from_db(&users::roles_of(conn, user.id)?);
        let me = user.to_api(roles);
        Ok((
            Me {
                id: me.id,
                username: me.username,
                display_name: me.display_name,
                roles: me.roles,
                language: me.language,
            },
            token,
        ))
    })
}

pub async fn logout(state: &AppState, token: Option<String>) -> AppResult<()> {
    let Some(token) = token else { return Ok(()) };
    let hash = session::token_hash(&token);
    state.sessions.forget_token_hash(&hash);
    state
        .db
        .run(move |conn| Ok(session::delete_by_token_hash(conn, &hash).map(drop)?))
        .await
}

/// A user changes their own password; their other sessions end.
pub async fn change_password(
    state: &AppState,
    user: &SessionUser,
    actor: Actor,
    change: PasswordChange,
) -> AppResult<()> {
    validate_password("new_password", &change.new_password)?;
    let (user_id, session_id) = (user.id, user.session_id);
    state
        .db
        .transaction(move |conn| {
            let row = users::find(conn, user_id)?.ok_or_else(bad_credentials)?;
            if !password::verify(&row.password_hash, &change.current_password) {
                return Err(AppError::invalid(
                    "current_password",
                    text!("当前密码不正确", "The current password is not correct"),
                ));
            }
            users::update(
                conn,
                user_id,
                &UserChanges {
                    password_hash: Some(password::hash(&change.new_password)),
                    updated_at: Some(crate::db::now()),
                    ..UserChanges::default()
                },
            )?;
            session::delete_for_user(conn, user_id, Some(session_id))?;
            audit::updated(
                conn,
                &actor,
                "user",
                user_id,
                &serde_json::json!({"password": "(old)"}),
                &serde_json::json!({"password": "(changed)"}),
            )?;
            Ok(())
        })
        .await?;
    state.sessions.forget_user(user_id);
    Ok(())
}

pub async fn set_language(
    state: &AppState,
    user: &SessionUser,
    actor: Actor,
    language: Lang,
) -> AppResult<Me> {
    let user_id = user.id;
    let before = user.language;
    state
        .db
        .transaction(move |conn| {
            users::update(
                conn,
                user_id,
                &UserChanges {
                    language: Some(language.tag().to_owned()),
                    updated_at: Some(crate::db::now()),
                    ..UserChanges::default()
                },
            )?;
            audit::updated(
                conn,
                &actor,
                "user",
                user_id,
                &serde_json::json!({ "language": before }),
                &serde_json::json!({ "language": language }),
            )?;
            Ok(())
        })
        .await?;
    state.sessions.forget_user(user_id);
    let mut me = user.to_me();
    me.language = language;
    Ok(me)
}
