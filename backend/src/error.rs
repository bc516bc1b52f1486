//! One error type for the whole server. Query code returns diesel's `QueryResult`; services and
//! handlers return [`AppResult`]. Every variant has exactly one HTTP status, and every message
//! exists in both product languages ([`Text`]); the response is rendered in the caller's language
//! by [`crate::http::lang`]. Unknown faults are logged with their cause and become a plain 500.

use std::borrow::Cow;

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use mes_api_types::{ApiError, ErrorDetail, ErrorKind, Lang};

pub type AppResult<T> = Result<T, AppError>;

/// A user-facing message in every language the product speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    zh: Cow<'static, str>,
    en: Cow<'static, str>,
}

impl Text {
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// `text!("中文 {x}", "English {x}")`: a [`Text`] with inline format arguments captured from scope.
#[macro_export]
macro_rules! text {
    ($zh:literal, $en:literal $(,)?) => {
        $crate::error::Text::new(format!($zh), format!($en))
    };
}

/// A problem with one field of a request, or one line/column of an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub field: Option<String>,
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: Text,
}

impl Detail {
    pub fn field(field: impl Into<String>, message: Text) -> Self {
        Detail {
            field: Some(field.into()),
            line: None,
            column: None,
            message,
        }
    }

    pub fn cell(line: u64, column: impl Into<String>, message: Text) -> Self {
        Detail {
            field: None,
            line: Some(line),
            column: Some(column.into()),
            message,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request")]
    BadRequest(Text),
    #[error("validation failed")]
    Validation(Vec<Detail>),
    #[error("unauthorized")]
    Unauthorized(Text),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound(Text),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict")]
    Conflict(Text),
    #[error("payload too large")]
    PayloadTooLarge(Text),
    #[error("unsupported media type")]
    UnsupportedMediaType(Text),
    #[error("unprocessable")]
    Unprocessable { message: Text, details: Vec<Detail> },
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::BadRequest(_) => ErrorKind::BadRequest,
            AppError::Validation(_) => ErrorKind::Validation,
            AppError::Unauthorized(_) => ErrorKind::Unauthorized,
            AppError::Forbidden => ErrorKind::Forbidden,
            AppError::NotFound(_) => ErrorKind::NotFound,
            AppError::MethodNotAllowed => ErrorKind::MethodNotAllowed,
            AppError::Conflict(_) => ErrorKind::Conflict,
            AppError::PayloadTooLarge(_) => ErrorKind::PayloadTooLarge,
            AppError::UnsupportedMediaType(_) => ErrorKind::UnsupportedMediaType,
            AppError::Unprocessable { .. } => ErrorKind::Unprocessable,
            AppError::RateLimited { .. } => ErrorKind::RateLimited,
            AppError::Unavailable(_) => ErrorKind::Unavailable,
            AppError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// One invalid field: the common case of a validation error.
    pub fn invalid(field: impl Into<String>, message: Text) -> Self {
        AppError::Validation(vec![Detail::field(field, message)])
    }

    pub fn not_found(what: Text) -> Self {
        AppError::NotFound(what)
    }

    /// The body as the client sees it, in `lang`. Causes of internal errors never leave the server.
    pub fn body(&self, lang: Lang) -> ApiError {
        let message = match self {
            AppError::BadRequest(t)
            | AppError::Unauthorized(t)
            | AppError::NotFound(t)
            | AppError::Conflict(t)
            | AppError::PayloadTooLarge(t)
            | AppError::UnsupportedMediaType(t)
            | AppError::Unprocessable { message: t, .. } => t.get(lang).to_owned(),
            AppError::Validation(details) => {
                let n = details.len();
                text!(
                    "请求中有 {n} 处无效内容",
                    "The request has {n} invalid value(s)"
                )
                .get(lang)
                .to_owned()
            }
            AppError::Forbidden => text!("您的角色无权执行此操作", "Your role does not allow this")
                .get(lang)
                .to_owned(),
            AppError::MethodNotAllowed => text!(
                "此地址不支持该请求方法",
                "This address does not support that method"
            )
            .get(lang)
            .to_owned(),
            AppError::RateLimited { retry_after_secs } => text!(
                "尝试次数过多，请 {retry_after_secs} 秒后再试",
                "Too many attempts; try again in {retry_after_secs} s"
            )
            .get(lang)
            .to_owned(),
            AppError::Unavailable(_) => text!(
                "数据库暂时无法访问，请稍后再试",
                "The database is unavailable; try again shortly"
            )
            .get(lang)
            .to_owned(),
            AppError::Internal(_) => text!(
                "服务器内部错误，已记录日志",
                "Internal server error; it has been logged"
            )
            .get(lang)
            .to_owned(),
        };
        let details = match self {
            AppError::Validation(details) | AppError::Unprocessable { details, .. } => details
                .iter()
                .map(|d| ErrorDetail {
                    field: d.field.clone(),
                    line: d.line,
                    column: d.column.clone(),
                    message: d.message.get(lang).to_owned(),
                })
                .collect(),
            _ => Vec::new(),
        };
        ApiError {
            error: self.kind(),
            message,
            details,
        }
    }
}

/// Stashed in the response so the language middleware can re-render the body for the caller.
#[derive(Clone)]
pub(crate) struct RenderedError(pub std::sync::Arc<AppError>);

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.kind().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error")
            }
            AppError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        if let AppError::RateLimited { retry_after_secs } = self {
            response.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        let mut response = response.json(self.body(Lang::default()));
        // Re-rendered per request language; the copy keeps only what rendering needs.
        response
            .extensions_mut()
            .insert(RenderedError(std::sync::Arc::new(self.renderable_copy())));
        response
    }
}

impl AppError {
    /// A copy without the (non-Clone) internal cause, for re-rendering in another language.
    fn renderable_copy(&self) -> AppError {
        match self {
            AppError::BadRequest(t) => AppError::BadRequest(t.clone()),
            AppError::Validation(d) => AppError::Validation(d.clone()),
            AppError::Unauthorized(t) => AppError::Unauthorized(t.clone()),
            AppError::Forbidden => AppError::Forbidden,
            AppError::NotFound(t) => AppError::NotFound(t.clone()),
            AppError::MethodNotAllowed => AppError::MethodNotAllowed,
            AppError::Conflict(t) => AppError::Conflict(t.clone()),
            AppError::PayloadTooLarge(t) => AppError::PayloadTooLarge(t.clone()),
            AppError::UnsupportedMediaType(t) => AppError::UnsupportedMediaType(t.clone()),
            AppError::Unprocessable { message, details } => AppError::Unprocessable {
                message: message.clone(),
                details: details.clone(),
            },
            AppError::RateLimited { retry_after_secs } => AppError::RateLimited {
                retry_after_secs: *retry_after_secs,
            },
            AppError::Unavailable(s) => AppError::Unavailable(s.clone()),
            AppError::Internal(_) => AppError::Internal(anyhow::anyhow!("logged")),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound(text!("记录不存在", "No such record")),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict(text!(
                    "已存在相同编码的记录",
                    "A record with the same key already exists"
                ))
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::Conflict(text!(
                    "该记录仍被其他数据引用，或引用的数据不存在",
                    "The record is still referenced elsewhere, or refers to something that does not exist"
                ))
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::Unavailable(info.message().to_owned())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        AppError::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Internal(e.into())
    }
}
