//! Request extractors whose failures are [`AppError`]s naming the problem (field path, line and
//! column of bad JSON) in the caller's language, instead of actix's plain-text defaults.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::header, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::{
    auth::session::SessionUser,
    error::{AppError, Detail},
    state::AppState,
    text,
};

/// A JSON body. Content type must be JSON; size is capped by `max_json_bytes`; a type error
/// names the field path (`roles[2]`) so forms can show it beside the field.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.config.max_json_bytes)
            .unwrap_or(1024 * 1024);
        let content_type_ok = req.mime_type().ok().flatten().is_some_and(|m| {
            m.subtype() == mime_json() || m.suffix().is_some_and(|s| s == mime_json())
        });
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(AppError::UnsupportedMediaType(text!(
                    "请求体必须是 JSON（Content-Type: application/json）",
                    "The request body must be JSON (Content-Type: application/json)"
                )));
            }
            if declared_len.is_some_and(|n| n > limit) {
                return Err(too_large(limit));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    AppError::BadRequest(text!(
                        "读取请求体失败：{e}",
                        "Could not read the request body: {e}"
                    ))
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(too_large(limit));
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(Json)
        })
    }
}

fn mime_json() -> &'static str {
    "json"
}

fn too_large(limit: usize) -> AppError {
    let kib = limit / 1024;
    AppError::PayloadTooLarge(text!(
        "请求体过大（上限 {kib} KiB）",
        "The request body is too large (limit {kib} KiB)"
    ))
}

/// Parses JSON, turning serde's error into a 400 that says where and what.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let field =
            missing_field(&inner.to_string(), &path).or_else(|| (path != ".").then_some(path));
        json_error(inner, field)
    })?;
    de.end().map_err(|e| json_error(e, None))?;
    Ok(value)
}

fn json_error(inner: serde_json::Error, field: Option<String>) -> AppError {
    let (line, column) = (inner.line(), inner.column());
    let reason = strip_position(&inner.to_string());
    match inner.classify() {
        serde_json::error::Category::Data => AppError::Validation(vec![Detail {
            field,
            line: None,
            column: None,
            message: text!("值无效：{reason}", "Invalid value: {reason}"),
        }]),
        _ => AppError::BadRequest(text!(
            "请求体不是有效的 JSON（第 {line} 行第 {column} 列）：{reason}",
            "The request body is not valid JSON (line {line}, column {column}): {reason}"
        )),
    }
}

/// serde reports a missing field at the path of the object that lacks it; forms want the
/// field itself (`due_at`, `lines[2].quantity`).
fn missing_field(message: &str, path: &str) -> Option<String> {
    let name = message.strip_prefix("missing field `")?.split('`').next()?;
    Some(if path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    })
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Query-string parameters; an unknown or mistyped parameter is a 400 naming it.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let field = err.path().to_string();
        let reason = err.into_inner().to_string();
        AppError::Validation(vec![Detail {
            field: (field != ".").then_some(field),
            line: None,
            column: None,
            message: text!(
                "查询参数无效：{reason}",
                "Invalid query parameter: {reason}"
            ),
        }])
    })
}

/// The signed-in user. Only on routes whose access rule requires sign-in: the access middleware
/// has put it in the request already.
impl FromRequest for SessionUser {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            req.extensions()
                .get::<SessionUser>()
                .cloned()
                .ok_or_else(|| AppError::Unauthorized(text!("请先登录", "Please sign in first"))),
        )
    }
}

/// Who makes a change, for the audit trail: the user and the address the request came from.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub remote_addr: Option<String>,
}

impl Actor {
    /// Changes made outside the API (CLI, demo data, the scheduler itself).
    pub fn system(name: &str) -> Actor {
        Actor {
            user_id: None,
            name: name.to_owned(),
            remote_addr: None,
        }
    }
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = req.extensions().get::<SessionUser>().cloned();
        std::future::ready(match user {
            Some(user) => Ok(Actor {
                user_id: Some(user.id),
                name: user.username.clone(),
                remote_addr: req.peer_addr().map(|a| a.ip().to_string()),
            }),
            None => Err(AppError::Unauthorized(text!(
                "请先登录",
                "Please sign in first"
            ))),
        })
    }
}

/// Path-parameter errors (`/users/abc` where a number is expected) are "no such thing": 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        let reason = err.to_string();
        AppError::NotFound(text!(
            "地址中的参数无效：{reason}",
            "Invalid parameter in the address: {reason}"
        ))
        .into()
    })
}
