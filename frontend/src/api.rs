//! Typed client for the MES HTTP API: one function per endpoint.
//!
//! Every request is same-origin with the session cookie (`credentials: same-origin`) and carries
//! `Accept-Language` in the UI's current language, so server messages come back in the language
//! the user reads. Failures are split into three cases the UI treats differently: no answer at all
//! ([`FetchError::Network`]), an answer with the contract's error body ([`FetchError::Api`]), and
//! an answer that does not follow the contract ([`FetchError::Unexpected`]).

use std::cell::Cell;

use gloo_net::http::{Method, RequestBuilder, Response};
use mes_api_types::{
    ApiError, ErrorKind, Lang, Page, UserId,
    audit::{AuditAction, AuditEntry},
    auth::{LoginRequest, Me, NewUser, PasswordChange, PreferencesUpdate, Role, User, UserUpdate},
    system::Health,
};
use serde::{Serialize, de::DeserializeOwned};
use web_sys::RequestCredentials;

thread_local! {
    /// The UI language sent as `Accept-Language`. The app is single-threaded WASM; the i18n
    /// context updates this whenever the user switches language.
    static LANGUAGE: Cell<Lang> = const { Cell::new(Lang::ZhCn) };
}

/// Sets the language sent with every following request.
pub fn set_language(lang: Lang) {
    LANGUAGE.with(|l| l.set(lang));
}

fn language() -> Lang {
    LANGUAGE.with(Cell::get)
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// The request got no HTTP answer: the tablet is offline, the server is down or restarting.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error status. `error.message` is already in the request's
    /// language; it is empty when the body was not the contract's error body (a proxy's HTML page).
    #[error("{} ({status})", .error.message)]
    Api { status: u16, error: ApiError },
    /// The server answered successfully, but the body does not match the contract.
    #[error("unexpected response: {0}")]
    Unexpected(String),
}

impl FetchError {
    /// The API error kind, when the server answered with one.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            FetchError::Api { error, .. } => Some(error.error),
            FetchError::Network(_) | FetchError::Unexpected(_) => None,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        self.kind() == Some(ErrorKind::Unauthorized)
    }

    /// The server's message in the user's language, if there is a useful one.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            FetchError::Api { error, .. } if !error.message.trim().is_empty() => {
                Some(error.message.as_str())
            }
            _ => None,
        }
    }

    /// The field-level problems of a validation error.
    pub fn details(&self) -> &[mes_api_types::ErrorDetail] {
        match self {
            FetchError::Api { error, .. } => &error.details,
            FetchError::Network(_) | FetchError::Unexpected(_) => &[],
        }
    }
}

/// The error kind for a status when the body is not an error body.
fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        405 => ErrorKind::MethodNotAllowed,
        409 => ErrorKind::Conflict,
        413 => ErrorKind::PayloadTooLarge,
        415 => ErrorKind::UnsupportedMediaType,
        422 => ErrorKind::Unprocessable,
        429 => ErrorKind::RateLimited,
        502..=504 => ErrorKind::Unavailable,
        400..=499 => ErrorKind::BadRequest,
        _ => ErrorKind::Internal,
    }
}

/// One API request being built. Endpoint functions here and in the station's module use it.
#[must_use]
pub(crate) struct Call {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Result<String, String>>,
}

impl Call {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Call {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn get(path: impl Into<String>) -> Self {
        Call::new(Method::GET, path)
    }

    pub(crate) fn post(path: impl Into<String>) -> Self {
        Call::new(Method::POST, path)
    }

    pub(crate) fn put(path: impl Into<String>) -> Self {
        Call::new(Method::PUT, path)
    }

    pub(crate) fn patch(path: impl Into<String>) -> Self {
        Call::new(Method::PATCH, path)
    }

    pub(crate) fn delete(path: impl Into<String>) -> Self {
        Call::new(Method::DELETE, path)
    }

    /// Adds a query parameter; `None` and empty values are left out.
    pub(crate) fn query(mut self, key: &'static str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value.map(|v| v.to_string()).filter(|v| !v.is_empty()) {
            self.query.push((key, value));
        }
        self
    }

    pub(crate) fn json<B: Serialize>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_string(body).map_err(|e| e.to_string()));
        self
    }

    /// A body already serialised (the station's queued writes keep theirs as text).
    pub(crate) fn json_text(mut self, body: String) -> Self {
        self.body = Some(Ok(body));
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) async fn send(self) -> Result<Response, FetchError> {
        let mut builder = RequestBuilder::new(&self.path)
            .method(self.method)
            .credentials(RequestCredentials::SameOrigin)
            .header("Accept", "application/json")
            .header("Accept-Language", language().tag());
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        if !self.query.is_empty() {
            builder = builder.query(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let request = match self.body {
            Some(body) => {
                let body = body.map_err(FetchError::Unexpected)?;
                builder
                    .header("Content-Type", "application/json")
                    .body(body)
            }
            None => builder.build(),
        }
        .map_err(|e| FetchError::Unexpected(e.to_string()))?;
        let response = request
            .send()
            .await
            .map_err(|e| FetchError::Network(e.to_string()))?;
        if response.ok() {
            Ok(response)
        } else {
            Err(error_from(response).await)
        }
    }

    /// Sends and decodes a JSON answer.
    pub(crate) async fn fetch<T: DeserializeOwned>(self) -> Result<T, FetchError> {
        let response = self.send().await?;
        response
            .json::<T>()
            .await
            .map_err(|e| FetchError::Unexpected(e.to_string()))
    }

    /// Sends and ignores the answer's body (204 No Content).
    pub(crate) async fn execute(self) -> Result<(), FetchError> {
        self.send().await.map(drop)
    }
}

async fn error_from(response: Response) -> FetchError {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let error = serde_json::from_str::<ApiError>(&body).unwrap_or_else(|_| ApiError {
        error: kind_for_status(status),
        message: String::new(),
        details: Vec::new(),
    });
    FetchError::Api { status, error }
}

// ---------------------------------------------------------------------------------------------
// System
// ---------------------------------------------------------------------------------------------

/// How long a health check may take before the server counts as unreachable: a hung server must
/// show as "offline" on the station and the board, not as fine.
const HEALTH_TIMEOUT_MS: u32 = 5_000;

/// `GET /healthz`. A degraded server answers 503 with the same body, which is still a health
/// report, not a failure of the call.
pub async fn health() -> Result<Health, FetchError> {
    let timeout = web_sys::AbortSignal::timeout_with_u32(HEALTH_TIMEOUT_MS);
    let request = RequestBuilder::new("/healthz")
        .abort_signal(Some(&timeout))
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json")
        .header("Accept-Language", language().tag())
        .build()
        .map_err(|e| FetchError::Unexpected(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    match serde_json::from_str::<Health>(&body) {
        Ok(health) => Ok(health),
        Err(_) if (200..300).contains(&status) => Err(FetchError::Unexpected(format!(
            "/healthz answered {status}"
        ))),
        Err(_) => Err(FetchError::Api {
            status,
            error: serde_json::from_str::<ApiError>(&body).unwrap_or(ApiError {
                error: kind_for_status(status),
                message: String::new(),
                details: Vec::new(),
            }),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Sign-in and the signed-in user
// ---------------------------------------------------------------------------------------------

/// `POST /api/v1/auth/login`: sets the session cookie.
pub async fn login(request: &LoginRequest) -> Result<Me, FetchError> {
    Call::post("/api/v1/auth/login").json(request).fetch().await
}

/// `POST /api/v1/auth/logout`.
pub async fn logout() -> Result<(), FetchError> {
    Call::post("/api/v1/auth/logout").execute().await
}

/// `GET /api/v1/auth/me`: 401 when no session.
pub async fn me() -> Result<Me, FetchError> {
    Call::get("/api/v1/auth/me").fetch().await
}

/// `PUT /api/v1/auth/me/preferences`.
pub async fn update_preferences(update: &PreferencesUpdate) -> Result<Me, FetchError> {
    Call::put("/api/v1/auth/me/preferences")
        .json(update)
        .fetch()
        .await
}

/// `POST /api/v1/auth/me/password`.
pub async fn change_password(change: &PasswordChange) -> Result<(), FetchError> {
    Call::post("/api/v1/auth/me/password")
        .json(change)
        .execute()
        .await
}

// ---------------------------------------------------------------------------------------------
// Users (admin)
// ---------------------------------------------------------------------------------------------

/// Filters and position of a user list page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserQuery {
    pub q: String,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub limit: u32,
    pub cursor: Option<String>,
}

/// `GET /api/v1/users`.
pub async fn list_users(query: &UserQuery) -> Result<Page<User>, FetchError> {
    Call::get("/api/v1/users")
        .query("limit", Some(query.limit))
        .query("cursor", query.cursor.as_ref())
        .query("q", Some(query.q.trim()))
        .query("role", query.role.map(Role::as_str))
        .query("active", query.active)
        .fetch()
        .await
}

/// `POST /api/v1/users`.
pub async fn create_user(user: &NewUser) -> Result<User, FetchError> {
    Call::post("/api/v1/users").json(user).fetch().await
}

/// `GET /api/v1/users/{id}`.
pub async fn get_user(id: UserId) -> Result<User, FetchError> {
    Call::get(format!("/api/v1/users/{id}")).fetch().await
}

/// `PATCH /api/v1/users/{id}`: absent fields stay as they are; `{"active": false}` disables.
pub async fn update_user(id: UserId, update: &UserUpdate) -> Result<User, FetchError> {
    Call::patch(format!("/api/v1/users/{id}"))
        .json(update)
        .fetch()
        .await
}

// ---------------------------------------------------------------------------------------------
// Audit trail (admin)
// ---------------------------------------------------------------------------------------------

/// Filters and position of an audit page. `from`/`to` are RFC 3339.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    pub entity: String,
    pub entity_id: String,
    pub actor: String,
    pub action: Option<AuditAction>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: u32,
    pub cursor: Option<String>,
}

/// `GET /api/v1/audit`.
pub async fn list_audit(query: &AuditQuery) -> Result<Page<AuditEntry>, FetchError> {
    Call::get("/api/v1/audit")
        .query("entity", Some(query.entity.trim()))
        .query("entity_id", Some(query.entity_id.trim()))
        .query("actor", Some(query.actor.trim()))
        .query("action", query.action.map(AuditAction::as_str))
        .query("from", query.from.as_ref())
        .query("to", query.to.as_ref())
        .query("limit", Some(query.limit))
        .query("cursor", query.cursor.as_ref())
        .fetch()
        .await
}
