use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use mes_api_types::{
    ApiError,
    events::ShopEvent,
    station::{AndonCall, AndonQuery, AndonStatus, AndonUpdate, BoardAndonCall, NewAndonCall},
};
use tokio::sync::broadcast::error::RecvError;

use super::service;
use crate::{
    auth::session::SessionUser,
    error::AppResult,
    http::{
        extract::{Json, Query},
        idempotency::{self, Idempotency},
    },
    state::AppState,
    station::service::acting,
};

fn remote(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

/// Andon calls, newest first, with response and resolution times in seconds.
#[utoipa::path(get, path = "/api/v1/andon", tag = "andon", params(
        ("status" = Option<String>, Query, description = "open, acknowledged or resolved"),
        ("machine_id" = Option<i64>, Query, description = "Only this machine's calls")),
    responses((status = 200, body = Vec<AndonCall>), (status = 400, body = ApiError)))]
pub async fn list_andon_calls(
    state: web::Data<AppState>,
    query: Query<AndonQuery>,
) -> AppResult<web::Json<Vec<AndonCall>>> {
    let query = query.0;
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list(conn, &query))
            .await?,
    ))
}

/// The calls still waiting (open or acknowledged), oldest first, for the wall board: public, so
/// without who raised them or notes.
#[utoipa::path(get, path = "/api/v1/board/andon", tag = "andon",
    responses((status = 200, body = Vec<BoardAndonCall>)))]
pub async fn board_andon_calls(
    state: web::Data<AppState>,
) -> AppResult<web::Json<Vec<BoardAndonCall>>> {
    let calls = state
        .db
        .run(move |conn| {
            let mut calls = Vec::new();
            for status in [AndonStatus::Open, AndonStatus::Acknowledged] {
                let query = AndonQuery {
                    status: Some(status),
                    machine_id: None,
                };
                calls.extend(service::list(conn, &query)?);
            }
            Ok::<_, crate::error::AppError>(calls)
        })
        .await?;
    let mut calls: Vec<BoardAndonCall> = calls
        .into_iter()
        .map(|c| BoardAndonCall {
            id: c.id,
            kind: c.kind,
            status: c.status,
            machine_code: c.machine_code,
            station_code: c.station_code,
            raised_at: c.raised_at,
        })
        .collect();
    calls.sort_by_key(|c| c.raised_at);
    Ok(web::Json(calls))
}

/// Raise an andon call at a machine or a station (kind maintenance, quality, material or
/// supervisor). Accepts an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/andon", tag = "andon", request_body = NewAndonCall,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays return the first answer")),
    responses((status = 201, body = AndonCall), (status = 400, body = ApiError), (status = 422, body = ApiError)))]
pub async fn raise_andon_call(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    body: Json<NewAndonCall>,
) -> AppResult<HttpResponse> {
    let ctx = Idempotency::of(&req, &user)?;
    let request = body.0;
    let acting = acting(&user, request.operator_id, remote(&req))?;
    let work_request = request.clone();
    idempotency::run(&state, ctx, request, move |conn| {
        service::raise(conn, &acting, &work_request)
    })
    .await
}

/// Acknowledge an open call (someone is on the way).
#[utoipa::path(post, path = "/api/v1/andon/{id}/acknowledge", tag = "andon", request_body = AndonUpdate,
    params(("id" = i64, Path, description = "Andon call id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays return the first answer")),
    responses((status = 200, body = AndonCall), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn acknowledge_andon_call(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    id: web::Path<i64>,
    body: Json<AndonUpdate>,
) -> AppResult<HttpResponse> {
    let ctx = Idempotency::of(&req, &user)?;
    let acting = acting(&user, None, remote(&req))?;
    let id = id.into_inner();
    let request = body.0;
    let work_request = request.clone();
    idempotency::run(&state, ctx, request, move |conn| {
        service::acknowledge(conn, &acting, id, &work_request)
    })
    .await
}

/// Resolve a call (with an optional note on what was done).
#[utoipa::path(post, path = "/api/v1/andon/{id}/resolve", tag = "andon", request_body = AndonUpdate,
    params(("id" = i64, Path, description = "Andon call id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays return the first answer")),
    responses((status = 200, body = AndonCall), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn resolve_andon_call(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    id: web::Path<i64>,
    body: Json<AndonUpdate>,
) -> AppResult<HttpResponse> {
    let ctx = Idempotency::of(&req, &user)?;
    let acting = acting(&user, None, remote(&req))?;
    let id = id.into_inner();
    let request = body.0;
    let work_request = request.clone();
    idempotency::run(&state, ctx, request, move |conn| {
        service::resolve(conn, &acting, id, &work_request)
    })
    .await
}

/// How often an idle stream sends a comment, so proxies keep it open and clients notice a drop.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

fn sse_frame(event: &ShopEvent) -> web::Bytes {
    let data = serde_json::to_string(event).unwrap_or_default();
    web::Bytes::from(format!("data: {data}\n\n"))
}

/// Shop-floor events as server-sent events (`text/event-stream`), one JSON `ShopEvent` per
/// `data:` line: andon calls, machine states, operation and order changes.
#[utoipa::path(get, path = "/api/v1/events", tag = "andon",
    responses((status = 200, description = "text/event-stream of ShopEvent JSON", body = ShopEvent)))]
pub async fn event_stream(state: web::Data<AppState>) -> HttpResponse {
    let receiver = state.events.subscribe();
    let mut tick = tokio::time::interval(KEEP_ALIVE);
    tick.reset();
    let stream = futures_util::stream::unfold((receiver, tick), |(mut rx, mut tick)| async move {
        loop {
            tokio::select! {
                message = rx.recv() => match message {
                    Ok(event) => return Some((Ok::<_, std::convert::Infallible>(sse_frame(&event)), (rx, tick))),
                    // A slow reader skips what it missed; the board reloads on its own.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
                _ = tick.tick() => {
                    return Some((Ok(web::Bytes::from_static(b": keep-alive\n\n")), (rx, tick)));
                }
            }
        }
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        // The compression middleware would buffer the stream; identity makes it pass through.
        .insert_header(("Content-Encoding", "identity"))
        .streaming(stream)
}
