//! Idempotent writes. Station tablets queue writes while offline and replay them; each carries an
//! `Idempotency-Key` made on the tablet. The first answer (success, or a refusal such as a 409) is
//! stored with the key IN THE SAME TRANSACTION as the effect, so either both land or neither; a
//! replay returns the stored status and body with `Idempotent-Replayed: true`. The same key with
//! another request is a 422. Keys belong to a principal (a user, or a station), so two tablets
//! cannot collide.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::{Lang, events::ShopEvent};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{
    auth::session::SessionUser,
    db::{DbConnection, schema::idempotent_requests, write_transaction},
    error::{AppError, AppResult},
    http::lang::request_lang,
    state::AppState,
    text,
};

pub const KEY_HEADER: &str = "Idempotency-Key";
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";
const KEY_MAX: usize = 200;
/// Stored answers are kept this long: far longer than any tablet stays offline.
pub const RETENTION_DAYS: i64 = 14;

/// What a write did: the response body and the events to publish once it has committed.
pub struct Effect<T> {
    pub status: StatusCode,
    pub body: T,
    pub events: Vec<ShopEvent>,
}

impl<T> Effect<T> {
    pub fn ok(body: T, events: Vec<ShopEvent>) -> Effect<T> {
        Effect {
            status: StatusCode::OK,
            body,
            events,
        }
    }
}

/// The request's idempotency context: its key (if any), whose it is and what it asked.
#[derive(Debug, Clone)]
pub struct Idempotency {
    key: Option<String>,
    principal: String,
    method: String,
    path: String,
    lang: Lang,
}

impl Idempotency {
    pub fn of(req: &HttpRequest, user: &SessionUser) -> AppResult<Idempotency> {
        let key = match req.headers().get(KEY_HEADER) {
            None => None,
            Some(v) => {
                let key = v.to_str().unwrap_or_default().trim().to_owned();
                if key.is_empty() || key.len() > KEY_MAX || key.chars().any(|c| c.is_control()) {
                    return Err(AppError::BadRequest(text!(
                        "Idempotency-Key 无效：须为 1–{KEY_MAX} 个可见字符",
                        "Invalid Idempotency-Key: it must be 1 to {KEY_MAX} visible characters"
                    )));
                }
                Some(key)
            }
        };
        // A station's keys outlive its sessions: a tablet replays after operators changed.
        let principal = match &user.station {
            Some(station) => format!("station:{}", station.station_id),
            None => format!("user:{}", user.id),
        };
        Ok(Idempotency {
            key,
            principal,
            method: req.method().as_str().to_owned(),
            path: req.path().to_owned(),
            lang: request_lang(req),
        })
    }
}

/// Refusals that the same request would get again: stored and replayed. Transient failures
/// (database unavailable, internal errors) are not, so a retry may still succeed.
fn is_final(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Conflict(_)
            | AppError::Validation(_)
            | AppError::BadRequest(_)
            | AppError::NotFound(_)
            | AppError::Unprocessable { .. }
            | AppError::Forbidden
    )
}

enum Outcome<T> {
    Fresh(Effect<T>),
    /// A status and body to send as they are (a stored refusal, or a replay).
    Stored {
        status: u16,
        body: String,
        replayed: bool,
    },
}

enum Failure {
    App(AppError),
    /// Another request with the same key committed first: read its answer.
    KeyTaken,
}

impl From<diesel::result::Error> for Failure {
    fn from(e: diesel::result::Error) -> Self {
        Failure::App(e.into())
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::App(e)
    }
}

#[derive(Queryable)]
struct StoredRow {
    method: String,
    path: String,
    body_hash: String,
    status: i32,
    response_body: String,
}

fn request_hash<R: Serialize>(request: &R) -> AppResult<String> {
    Ok(hex::encode(Sha256::digest(serde_json::to_vec(request)?)))
}

fn find(conn: &mut DbConnection, principal: &str, key: &str) -> QueryResult<Option<StoredRow>> {
    idempotent_requests::table
        .filter(idempotent_requests::principal.eq(principal))
        .filter(idempotent_requests::key.eq(key))
        .select((
            idempotent_requests::method,
            idempotent_requests::path,
            idempotent_requests::body_hash,
            idempotent_requests::status,
            idempotent_requests::response_body,
        ))
        .first(conn)
        .optional()
}

fn replay(stored: StoredRow, ctx: &Idempotency, hash: &str) -> Result<(u16, String), AppError> {
    if stored.method != ctx.method || stored.path != ctx.path || stored.body_hash != hash {
        let (m, p) = (stored.method, stored.path);
        return Err(AppError::Unprocessable {
            message: text!(
                "此 Idempotency-Key 已用于另一个请求（{m} {p}），请为新的操作生成新的键",
                "This Idempotency-Key was used for a different request ({m} {p}); make a new key for a new action"
            ),
            details: Vec::new(),
        });
    }
    Ok((
        u16::try_from(stored.status).unwrap_or(500),
        stored.response_body,
    ))
}

fn store(
    conn: &mut DbConnection,
    ctx: &Idempotency,
    key: &str,
    hash: &str,
    status: u16,
    body: &str,
    at: NaiveDateTime,
) -> Result<(), Failure> {
    let inserted = diesel::insert_into(idempotent_requests::table)
        .values((
            idempotent_requests::principal.eq(&ctx.principal),
            idempotent_requests::key.eq(key),
            idempotent_requests::method.eq(&ctx.method),
            idempotent_requests::path.eq(&ctx.path),
            idempotent_requests::body_hash.eq(hash),
            idempotent_requests::status.eq(i32::from(status)),
            idempotent_requests::response_body.eq(body),
            idempotent_requests::created_at.eq(at),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Err(Failure::KeyTaken),
        Err(e) => Err(e.into()),
    }
}

/// Runs `work` in one write transaction, exactly once per idempotency key, and answers.
///
/// `request` is what the client asked (its canonical JSON is hashed to recognise a reused key);
/// `work` makes the change and returns the response body and the events to publish.
pub fn execute<R, T, F>(
    conn: &mut DbConnection,
    ctx: &Idempotency,
    request: &R,
    work: F,
) -> AppResult<Answer<T>>
where
    R: Serialize,
    T: Serialize,
    F: Fn(&mut DbConnection) -> AppResult<Effect<T>>,
{
    let Some(key) = ctx.key.as_deref() else {
        return write_transaction(conn, &work).map(Answer::Fresh);
    };
    let hash = request_hash(request)?;
    // Two tries: if a twin request commits the key between our check and our insert, our
    // transaction rolls back and the second pass replays the twin's answer.
    for _ in 0..2 {
        let result = write_transaction(conn, |conn| -> Result<Outcome<T>, Failure> {
            if let Some(stored) = find(conn, &ctx.principal, key)? {
                let (status, body) = replay(stored, ctx, &hash)?;
                return Ok(Outcome::Stored {
                    status,
                    body,
                    replayed: true,
                });
            }
            // A savepoint: a refused change leaves nothing behind but its stored answer.
            let at = crate::db::now();
            match conn.transaction(&work) {
                Ok(effect) => {
                    let body = serde_json::to_string(&effect.body).map_err(AppError::from)?;
                    store(conn, ctx, key, &hash, effect.status.as_u16(), &body, at)?;
                    Ok(Outcome::Fresh(effect))
                }
                Err(e) if is_final(&e) => {
                    let status = actix_web::ResponseError::status_code(&e).as_u16();
                    let body = serde_json::to_string(&e.body(ctx.lang)).map_err(AppError::from)?;
                    store(conn, ctx, key, &hash, status, &body, at)?;
                    Ok(Outcome::Stored {
                        status,
                        body,
                        replayed: false,
                    })
                }
                Err(e) => Err(Failure::App(e)),
            }
        });
        match result {
            Ok(Outcome::Fresh(effect)) => return Ok(Answer::Fresh(effect)),
            Ok(Outcome::Stored {
                status,
                body,
                replayed,
            }) => {
                return Ok(Answer::Stored {
                    status,
                    body,
                    replayed,
                });
            }
            Err(Failure::App(e)) => return Err(e),
            Err(Failure::KeyTaken) => continue,
        }
    }
    Err(AppError::Conflict(text!(
        "同一 Idempotency-Key 的请求正在处理，请稍后重试",
        "A request with the same Idempotency-Key is being processed; retry shortly"
    )))
}

/// How to answer: a fresh effect (events still to publish), or a stored status and body.
pub enum Answer<T> {
    Fresh(Effect<T>),
    Stored {
        status: u16,
        body: String,
        replayed: bool,
    },
}

impl<T: Serialize> Answer<T> {
    /// Publishes a fresh effect's events (the transaction has committed) and builds the response.
    pub fn respond(self, state: &AppState) -> HttpResponse {
        match self {
            Answer::Fresh(effect) => {
                for event in effect.events {
                    state.events.publish(event);
                }
                HttpResponse::build(effect.status).json(effect.body)
            }
            Answer::Stored {
                status,
                body,
                replayed,
            } => {
                let mut response = HttpResponse::build(
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                );
                response.content_type("application/json");
                if replayed {
                    response.insert_header((REPLAYED_HEADER, "true"));
                }
                response.body(body)
            }
        }
    }
}

/// The async entry point for handlers: runs [`execute`] on the blocking pool and answers.
pub async fn run<R, T, F>(
    state: &AppState,
    ctx: Idempotency,
    request: R,
    work: F,
) -> AppResult<HttpResponse>
where
    R: Serialize + Send + 'static,
    T: Serialize + Send + 'static,
    F: Fn(&mut DbConnection) -> AppResult<Effect<T>> + Send + 'static,
{
    let answer = state
        .db
        .write(move |conn| execute(conn, &ctx, &request, work))
        .await?;
    Ok(answer.respond(state))
}

/// Forgets stored answers older than the retention (housekeeping).
pub fn purge_old(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        idempotent_requests::table.filter(
            idempotent_requests::created_at.lt(now - chrono::Duration::days(RETENTION_DAYS)),
        ),
    )
    .execute(conn)
}
