//! Server-side sessions. The browser holds a random token in an HttpOnly, SameSite cookie; the
//! database holds only its SHA-256. Sessions slide: activity keeps them alive for `ttl_hours`.
//! A short-lived in-memory cache spares the database a lookup on every request; it is dropped
//! for a user whenever their account changes, and entries live at most a minute anyway.

use std::{sync::Arc, time::Duration};

use actix_web::{
    HttpRequest,
    cookie::{Cookie, SameSite, time::Duration as CookieDuration},
};
use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::{Lang, UserId, auth::Me, auth::Role};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{
    config::SessionConfig,
    db::{DbConnection, schema::sessions},
    error::{AppError, AppResult},
    state::AppState,
    text,
    users::{models, queries as users},
};

pub const COOKIE_NAME: &str = "mes_session";
/// The station tablet's cookie: its station session, where several operators are signed in.
pub const STATION_COOKIE_NAME: &str = "mes_station";
/// Station principals are looked up again at least this often (sign-in and sign-out also drop
/// the cached entry at once).
const STATION_CACHE_HOURS: i64 = 12;

/// An operator signed in on a station session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInOperator {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub language: Lang,
    pub signed_in_at: NaiveDateTime,
}

/// A request made by a station tablet: the station session and its operators, first signed in
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationPrincipal {
    pub session_id: i64,
    pub station_id: i64,
    pub station_code: String,
    pub operators: Vec<SignedInOperator>,
}

impl StationPrincipal {
    pub fn operator(&self, user_id: i64) -> Option<&SignedInOperator> {
        self.operators.iter().find(|o| o.user_id == user_id)
    }
}

/// The signed-in user of a request, as the access check found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub language: Lang,
    pub session_id: i64,
    pub expires_at: NaiveDateTime,
    /// Set when the request came from a station tablet: the user is then its first operator
    /// and `roles` the union of all its operators' roles.
    pub station: Option<StationPrincipal>,
}

impl SessionUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn to_me(&self) -> Me {
        Me {
            id: UserId(self.id),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            roles: self.roles.clone(),
            language: self.language,
        }
    }
}

pub struct SessionCache {
    pub(crate) by_token_hash: moka::sync::Cache<String, Arc<SessionUser>>,
}

impl SessionCache {
    pub fn new() -> SessionCache {
        SessionCache {
            by_token_hash: moka::sync::Cache::builder()
                .max_capacity(50_000)
                .time_to_live(Duration::from_secs(60))
                .support_invalidation_closures()
                .build(),
        }
    }

    /// Forget every cached session of a user (after their roles, status or password changed).
    pub fn forget_user(&self, user_id: i64) {
        // Only fails if closures were not enabled at build time, which they are.
        let _ = self.by_token_hash.invalidate_entries_if(move |_, u| {
            u.id == user_id
                || u.station
                    .as_ref()
                    .is_some_and(|s| s.operator(user_id).is_some())
        });
    }

    pub fn forget_token_hash(&self, token_hash: &str) {
        self.by_token_hash.invalidate(token_hash);
    }
}

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache::new()
    }
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn not_signed_in() -> AppError {
    AppError::Unauthorized(text!("请先登录", "Please sign in first"))
}

fn expired() -> AppError {
    AppError::Unauthorized(text!(
        "登录已过期，请重新登录",
        "Your session has expired; please sign in again"
    ))
}

/// Finds the request's user: a station tablet's cookie (its signed-in operators) first, else the
/// user's session cookie. Cache first, then the database.
pub async fn authenticate(state: &AppState, req: &HttpRequest) -> AppResult<SessionUser> {
    if let Some(station_token) = req.cookie(STATION_COOKIE_NAME)
        && let Some(user) = authenticate_station(state, station_token.value()).await?
    {
        return Ok(user);
    }
    let token = req.cookie(COOKIE_NAME).ok_or_else(not_signed_in)?;
    let hash = token_hash(token.value());
    let now = crate::db::now();
    if let Some(user) = state.sessions.by_token_hash.get(&hash) {
        if user.expires_at > now {
            return Ok((*user).clone());
        }
        state.sessions.forget_token_hash(&hash);
    }
    let ttl = chrono::Duration::hours(i64::from(state.config.session.ttl_hours));
    let lookup_hash = hash.clone();
    let user = state
        .db
        .run(move |conn| Ok(load_and_touch(conn, &lookup_hash, now, ttl)?))
        .await?
        .ok_or_else(expired)?;
    state
        .sessions
        .by_token_hash
        .insert(hash, Arc::new(user.clone()));
    Ok(user)
}

/// The cache key of a station session (user sessions are keyed by their bare hash).
pub fn station_cache_key(token_hash: &str) -> String {
    format!("station:{token_hash}")
}

/// The principal of a live station session with at least one operator signed in.
async fn authenticate_station(state: &AppState, token: &str) -> AppResult<Option<SessionUser>> {
    let hash = token_hash(token);
    let key = station_cache_key(&hash);
    let now = crate::db::now();
    if let Some(user) = state.sessions.by_token_hash.get(&key)
        && user.expires_at > now
    {
        return Ok(Some((*user).clone()));
    }
    let user = state
        .db
        .run(move |conn| Ok(load_station(conn, &hash, now)?))
        .await?;
    if let Some(user) = &user {
        state
            .sessions
            .by_token_hash
            .insert(key, Arc::new(user.clone()));
    }
    Ok(user)
}

/// A station session's principal, from its token hash; `None` when ended or nobody is signed in.
pub fn load_station(
    conn: &mut DbConnection,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<SessionUser>> {
    use crate::db::schema::{station_operators, station_sessions, stations, users as u};
    let Some((session_id, station_id, station_code)) = station_sessions::table
        .inner_join(stations::table)
        .filter(station_sessions::token_hash.eq(hash))
        .filter(station_sessions::ended_at.is_null())
        .select((station_sessions::id, stations::id, stations::code))
        .first::<(i64, i64, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let rows: Vec<(i64, String, String, String, NaiveDateTime)> = station_operators::table
        .inner_join(u::table)
        .filter(station_operators::session_id.eq(session_id))
        .filter(station_operators::signed_out_at.is_null())
        .filter(u::active.eq(true))
        .order((
            station_operators::signed_in_at.asc(),
            station_operators::id.asc(),
        ))
        .select((
            u::id,
            u::username,
            u::display_name,
            u::language,
            station_operators::signed_in_at,
        ))
        .load(conn)?;
    let mut operators = Vec::with_capacity(rows.len());
    for (user_id, username, display_name, language, signed_in_at) in rows {
        operators.push(SignedInOperator {
            user_id,
            username,
            display_name,
            roles: models::roles_from_db(&users::roles_of(conn, user_id)?),
            language: models::lang_from_db(&language),
            signed_in_at,
        });
    }
    let Some(first) = operators.first().cloned() else {
        return Ok(None);
    };
    let mut roles: Vec<Role> = Vec::new();
    for role in operators.iter().flat_map(|o| o.roles.iter()) {
        if !roles.contains(role) {
            roles.push(*role);
        }
    }
    Ok(Some(SessionUser {
        id: first.user_id,
        username: first.username,
        display_name: first.display_name,
        roles,
        language: first.language,
        session_id: 0,
        expires_at: now + chrono::Duration::hours(STATION_CACHE_HOURS),
        station: Some(StationPrincipal {
            session_id,
            station_id,
            station_code,
            operators,
        }),
    }))
}

/// Loads a live session's user; renews the expiry once half the TTL has passed (not on every
/// request: that would be a write per read).
fn load_and_touch(
    conn: &mut DbConnection,
    hash: &str,
    now: NaiveDateTime,
    ttl: chrono::Duration,
) -> QueryResult<Option<SessionUser>> {
    let Some((session_id, user_id, mut expires_at)) = sessions::table
        .filter(sessions::token_hash.eq(hash))
        .filter(sessions::expires_at.gt(now))
        .select((sessions::id, sessions::user_id, sessions::expires_at))
        .first::<(i64, i64, NaiveDateTime)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let Some(user) = users::find(conn, user_id)?.filter(|u| u.active) else {
        return Ok(None);
    };
    if expires_at - now < ttl / 2 {
        expires_at = now + ttl;
        diesel::update(sessions::table.find(session_id))
            .set(sessions::expires_at.eq(expires_at))
            .execute(conn)?;
    }
    let roles = models::roles_from_db(&users::roles_of(conn, user_id)?);
    Ok(Some(SessionUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        roles,
        language: models::lang_from_db(&user.language),
        session_id,
        expires_at,
        station: None,
    }))
}

pub struct NewSession<'a> {
    pub user_id: i64,
    pub method: &'a str,
    pub remote_addr: Option<String>,
    pub user_agent: Option<String>,
}

/// Stores a new session; returns its token (given to the client once, never stored).
pub fn create(
    conn: &mut DbConnection,
    new: NewSession<'_>,
    config: &SessionConfig,
) -> QueryResult<String> {
    let token = new_token();
    let now = crate::db::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash(&token)),
            sessions::user_id.eq(new.user_id),
            sessions::method.eq(new.method),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(now + chrono::Duration::hours(i64::from(config.ttl_hours))),
            sessions::remote_addr.eq(new.remote_addr),
            sessions::user_agent.eq(new.user_agent),
        ))
        .execute(conn)?;
    // Housekeeping on sign-in rather than a timer: expired rows are dead weight only.
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?;
    Ok(token)
}

pub fn delete_by_token_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(hash))).execute(conn)
}

/// Ends every session of a user (password changed, account disabled), optionally but one.
pub fn delete_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    except: Option<i64>,
) -> QueryResult<usize> {
    let mut query =
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).into_boxed();
    if let Some(keep) = except {
        query = query.filter(sessions::id.ne(keep));
    }
    query.execute(conn)
}

/// The cookie lives long in the browser; the server-side expiry decides when a session ends.
pub fn cookie(token: String, config: &SessionConfig) -> Cookie<'static> {
    Cookie::build(COOKIE_NAME, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.cookie_secure)
        .max_age(CookieDuration::days(30))
        .finish()
}

/// The station tablet's cookie: strict (a tablet never arrives from another site), HttpOnly.
pub fn station_cookie(token: String, config: &SessionConfig) -> Cookie<'static> {
    Cookie::build(STATION_COOKIE_NAME, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(config.cookie_secure)
        .max_age(CookieDuration::days(30))
        .finish()
}

pub fn station_removal_cookie(config: &SessionConfig) -> Cookie<'static> {
    let mut c = station_cookie(String::new(), config);
    c.make_removal();
    c
}

pub fn removal_cookie(config: &SessionConfig) -> Cookie<'static> {
    let mut c = cookie(String::new(), config);
    c.make_removal();
    c
}
