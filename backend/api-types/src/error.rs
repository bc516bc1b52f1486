//! The error body every failing API call returns: `{"error": kind, "message": text, "details": [...]}`.
//! Clients match on `error`; `message` is already in the caller's language.

use serde::{Deserialize, Serialize};

/// What went wrong, as a stable machine-readable word. Each kind has exactly one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// 400: the request body or query is malformed (bad JSON, wrong type, unknown field).
    BadRequest,
    /// 400: well-formed but invalid values; `details` name the fields.
    Validation,
    /// 401: not signed in, session expired, or wrong credentials.
    Unauthorized,
    /// 403: signed in, but no role that allows this.
    Forbidden,
    /// 404: no such resource or route.
    NotFound,
    /// 405: the route exists, but not with this method.
    MethodNotAllowed,
    /// 409: conflicts with the current state (illegal transition, duplicate key).
    Conflict,
    /// 413: the body is larger than allowed.
    PayloadTooLarge,
    /// 415: the body is not in a supported format.
    UnsupportedMediaType,
    /// 422: understood but cannot be processed (an import file with bad rows).
    Unprocessable,
    /// 429: too many attempts; retry later.
    RateLimited,
    /// 500: a fault on the server; details are in its log, never in the response.
    Internal,
    /// 503: the server is up but cannot serve (database unreachable).
    Unavailable,
}

impl ErrorKind {
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest | ErrorKind::Validation => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::Conflict => 409,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::Unprocessable => 422,
            ErrorKind::RateLimited => 429,
            ErrorKind::Internal => 500,
            ErrorKind::Unavailable => 503,
        }
    }
}

/// One problem inside a request: a field, or a line and column of an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{message}")]
pub struct ApiError {
    pub error: ErrorKind,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ErrorDetail>,
}
