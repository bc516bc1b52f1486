use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;
use mes_api_types::system::{Health, SystemInfo};

use crate::{error::AppError, state::AppState};

/// The generated API description, made once at start-up.
pub struct ApiDocs {
    pub json: String,
    pub html: String,
}

/// Liveness and database reachability. 200 when both are fine, 503 otherwise.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let db = state
        .db
        .run(|conn| conn.batch_execute("SELECT 1").map_err(AppError::from))
        .await;
    let health = Health {
        status: if db.is_ok() { "ok" } else { "degraded" }.into(),
        database: match &db {
            Ok(()) => "ok".into(),
            Err(AppError::Unavailable(reason)) => reason.clone(),
            Err(_) => "error".into(),
        },
        backend: state.db.kind().as_str().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    if db.is_ok() {
        HttpResponse::Ok().json(health)
    } else {
        HttpResponse::ServiceUnavailable().json(health)
    }
}

/// Plant name, time zone and version: public, shown on the sign-in page and the board.
#[utoipa::path(get, path = "/api/v1/system/info", tag = "system", responses((status = 200, body = SystemInfo)))]
pub async fn system_info(state: web::Data<AppState>) -> web::Json<SystemInfo> {
    web::Json(SystemInfo {
        plant_name: state.config.plant_name.clone(),
        timezone: state.config.timezone.clone(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&state.db))
}

/// This API's OpenAPI 3 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "system",
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json")))]
pub async fn openapi_json(docs: web::Data<ApiDocs>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(docs.json.clone())
}

/// Human-readable API documentation.
#[utoipa::path(get, path = "/api/docs", tag = "system",
    responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn docs_page(docs: web::Data<ApiDocs>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(docs.html.clone())
}
