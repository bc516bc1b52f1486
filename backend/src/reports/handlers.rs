use actix_web::{HttpResponse, http::header, web};
use mes_api_types::{
    ApiError,
    station::{PieceRateQuery, PieceRateReport, ReportFormat},
};

use super::service;
use crate::{auth::session::SessionUser, error::AppResult, http::extract::Query, state::AppState};

/// Piece-rate and labour report (计件) per operator per period. Supervisors, managers and admins
/// see everyone (or `user_id`); an operator sees only themself. `format=csv|xlsx` downloads a
/// file with column names in the user's language.
#[utoipa::path(get, path = "/api/v1/reports/piece-rate", tag = "reports", params(
        ("from" = String, Query, description = "First day, YYYY-MM-DD (plant time zone)"),
        ("to" = String, Query, description = "Last day, YYYY-MM-DD (inclusive)"),
        ("period" = Option<String>, Query, description = "day (default), week or month"),
        ("user_id" = Option<i64>, Query, description = "One operator only"),
        ("format" = Option<String>, Query, description = "json (default), csv or xlsx")),
    responses((status = 200, body = PieceRateReport, description = "JSON, or a CSV / XLSX file"),
        (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub async fn piece_rate_report(
    state: web::Data<AppState>,
    user: SessionUser,
    query: Query<PieceRateQuery>,
) -> AppResult<HttpResponse> {
    let query = query.0;
    let tz = crate::plant::calendar::parse_tz(&state.config.timezone)
        .unwrap_or(chrono_tz::Asia::Shanghai);
    let lang = user.language;
    let format = query.format;
    let (from, to) = (query.from, query.to);
    let report = state
        .db
        .run(move |conn| service::piece_rate(conn, &user, &query, tz, crate::db::now()))
        .await?;
    let file = |ext: &str| format!("attachment; filename=\"piece-rate-{from}-{to}.{ext}\"");
    Ok(match format {
        ReportFormat::Json => HttpResponse::Ok().json(report),
        ReportFormat::Csv => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, file("csv")))
            .body(service::to_csv(&report, lang)?),
        ReportFormat::Xlsx => HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .insert_header((header::CONTENT_DISPOSITION, file("xlsx")))
            .body(service::to_xlsx(&report, lang)?),
    })
}
