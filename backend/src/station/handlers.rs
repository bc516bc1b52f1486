use actix_web::{HttpRequest, HttpResponse, web};
use mes_api_types::{
    ApiError,
    station::{
        ActionResult, CompleteRequest, OperationView, PauseRequest, QueueItem, ReportRequest,
        ResumeRequest, ScanQuery, ScanResult, StartRequest, StationSession, StationSignIn,
    },
};

use super::{actions, service};
use crate::{
    auth::{
        service::{self as auth, Client, PinIdentity},
        session::{self, SessionUser},
    },
    error::{AppError, AppResult, Detail},
    http::{
        extract::{Json, Query},
        idempotency::{self, Idempotency},
        lang::request_lang,
    },
    state::AppState,
    text,
};

fn remote(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

fn client(req: &HttpRequest) -> Client {
    Client {
        remote_addr: remote(req),
        user_agent: None,
    }
}

/// The tablet's own station session, when the request came from a tablet at this station.
fn tablet_session(user: &SessionUser, code: &str) -> Option<i64> {
    user.station
        .as_ref()
        .filter(|s| s.station_code.eq_ignore_ascii_case(code.trim()))
        .map(|s| s.session_id)
}

/// Sign an operator in at a station with a badge (or user name) and PIN. Adds them to the
/// tablet's station session (cookie `mes_station`, made when absent); several may be signed in.
/// The same rate limit as every sign-in applies.
#[utoipa::path(post, path = "/api/v1/stations/{code}/operators", tag = "station",
    params(("code" = String, Path, description = "Station code")), request_body = StationSignIn,
    responses((status = 200, body = StationSession), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 429, body = ApiError)))]
pub async fn sign_in_operator(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    body: Json<StationSignIn>,
) -> AppResult<HttpResponse> {
    let code = code.into_inner();
    let request = body.0;
    let identity = match (
        request
            .badge
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty()),
        request
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty()),
    ) {
        (Some(badge), None) => PinIdentity::Badge(badge.to_owned()),
        (None, Some(username)) => PinIdentity::Username(username.to_lowercase()),
        _ => {
            return Err(AppError::Validation(vec![Detail::field(
                "badge",
                text!(
                    "请扫描工牌，或输入用户名（二选一）",
                    "Scan a badge or type a user name (one of the two)"
                ),
            )]));
        }
    };
    let user = auth::check_pin(&state, identity, request.pin, &client(&req)).await?;
    let cookie_token = req
        .cookie(session::STATION_COOKIE_NAME)
        .map(|c| c.value().to_owned());
    let remote_addr = remote(&req);
    let token_for_lookup = cookie_token.clone();
    let (view, new_token) = state
        .db
        .run(move |conn| {
            service::sign_in(conn, &code, &user, token_for_lookup.as_deref(), remote_addr)
        })
        .await?;
    if let Some(token) = &cookie_token {
        state
            .sessions
            .forget_token_hash(&session::station_cache_key(&session::token_hash(token)));
    }
    let mut response = HttpResponse::Ok();
    if let Some(token) = new_token {
        response.cookie(session::station_cookie(token, &state.config.session));
    }
    Ok(response.json(view))
}

/// The station: its machine(s) and the operators signed in there.
#[utoipa::path(get, path = "/api/v1/stations/{code}/session", tag = "station",
    params(("code" = String, Path, description = "Station code")),
    responses((status = 200, body = StationSession), (status = 404, body = ApiError)))]
pub async fn get_station_session(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> AppResult<web::Json<StationSession>> {
    let code = code.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| {
                let station = service::find_station(conn, &code)?;
                service::session_view(conn, &station)
            })
            .await?,
    ))
}

/// Sign an operator out at the station (their labour stops). Signing out the last one ends the
/// tablet's session.
#[utoipa::path(delete, path = "/api/v1/stations/{code}/operators/{user_id}", tag = "station",
    params(("code" = String, Path, description = "Station code"), ("user_id" = i64, Path, description = "User id")),
    responses((status = 200, body = StationSession), (status = 404, body = ApiError)))]
pub async fn sign_out_operator(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, user_id) = path.into_inner();
    let acting = service::acting(&user, None, remote(&req))?;
    let tablet = tablet_session(&user, &code);
    let out = state
        .db
        .run(move |conn| service::sign_out(conn, &acting.actor, &code, user_id, tablet))
        .await?;
    for hash in &out.stale_token_hashes {
        state
            .sessions
            .forget_token_hash(&session::station_cache_key(hash));
    }
    let mut response = HttpResponse::Ok();
    if out.own_session_ended {
        response.cookie(session::station_removal_cookie(&state.config.session));
    }
    Ok(response.json(out.session))
}

/// The station's queue: open operations (orders released or in progress) that can run on its
/// machine(s), by priority, due date, order number and sequence.
#[utoipa::path(get, path = "/api/v1/stations/{code}/queue", tag = "station",
    params(("code" = String, Path, description = "Station code")),
    responses((status = 200, body = Vec<QueueItem>), (status = 404, body = ApiError)))]
pub async fn get_station_queue(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> AppResult<web::Json<Vec<QueueItem>>> {
    let code = code.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::queue(conn, &code))
            .await?,
    ))
}

/// Resolve a scanned code: `WO:<number>`, `OP:<number>:<seq>`, `M:<machine>`, `ST:<station>`
/// or a bare order number. Unknown codes are a 404.
#[utoipa::path(get, path = "/api/v1/scan", tag = "station", params(
        ("code" = String, Query, description = "What the scanner typed"),
        ("station" = Option<String>, Query, description = "The scanning station's code")),
    responses((status = 200, body = ScanResult), (status = 404, body = ApiError)))]
pub async fn scan(
    state: web::Data<AppState>,
    query: Query<ScanQuery>,
) -> AppResult<web::Json<ScanResult>> {
    let query = query.0;
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::scan(conn, &query))
            .await?,
    ))
}

/// An operation as the tablet shows it: quantities, phase, instruction, files, allowed actions.
#[utoipa::path(get, path = "/api/v1/operations/{id}", tag = "station",
    params(("id" = i64, Path, description = "Work-order operation id")),
    responses((status = 200, body = OperationView), (status = 404, body = ApiError)))]
pub async fn get_operation(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<OperationView>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::operation_view(conn, id))
            .await?,
    ))
}

/// Start setup or run on a machine. The first start puts the order in progress.
/// Send an `Idempotency-Key` header to make a retry safe.
#[utoipa::path(post, path = "/api/v1/operations/{id}/start", tag = "station",
    params(("id" = i64, Path, description = "Work-order operation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays return the first answer")),
    request_body = StartRequest,
    responses((status = 200, body = ActionResult), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn start_operation(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    id: web::Path<i64>,
    body: Json<StartRequest>,
) -> AppResult<HttpResponse> {
    let ctx = Idempotency::of(&req, &user)?;
    let request = body.0;
    let acting = service::acting(&user, request.operator_id, remote(&req))?;
    let id = id.into_inner();
    let work_request = request.clone();
    idempotency::run(&state, ctx, request, move |conn| {
        actions::start(conn, &acting, id, &work_request)
    })
    .await
}

/// Pause (setup or run) with a downtime reason.
#[utoipa::path(post, path = "/api/v1/operations/{id}/pause", tag = "station",
    params(("id" = i64, Path, description = "Work-order operation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays return the first answer")),
    request_body = PauseRequest,
    responses((status = 200, body = ActionResult), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn pause_operation(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    id: web::Path<i64>,
    body: Json<PauseRequest>,
) -> AppResult<HttpResponse> {
    let ctx = Idempotency::of(&req, &user)?;
    let request = body.0;
    let acting = service::acting(&user, request.operator_id, remote(&req))?;
    let id = id.into_inner();
    let work_request = request.clone();
    idempotency::run(&state, ctx, request, move |conn| {
        actions::pause(conn, &acting, id, &work_request)
    })
    .await
}

/// Resume a paused operation in the phase it was paused from.
#[utoipa::path(post, path = "/api/v1/operations/{id}/resume", tag = "station",
    params(("id" = i64, Path, description = "Work-order operation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays return the first answer")),
    request_body = ResumeRequest,
    responses((status = 200, body = ActionResult), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn resume_operation(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    id: web::Path<i64>,
    body: Json<ResumeRequest>,
) -> AppResult<HttpResponse> {
    let ctx = Idempotency::of(&req, &user)?;
    let request = body.0;
    let acting = service::acting(&user, request.operator_id, remote(&req))?;
    let id = id.into_inner();
    idempotency::run(&state, ctx, request, move |conn| {
        actions::resume(conn, &acting, id)
    })
    .await
}

/// Report good, scrap and rework (by defect reason). Beyond what the previous operation has
/// passed on only with a supervisor's `override`; more than planned gives a warning.
#[utoipa::path(post, path = "/api/v1/operations/{id}/report", tag = "station",
    params(("id" = i64, Path, description = "Work-order operation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays return the first answer")),
    request_body = ReportRequest,
    responses((status = 200, body = ActionResult), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn report_operation(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    id: web::Path<i64>,
    body: Json<ReportRequest>,
) -> AppResult<HttpResponse> {
    let ctx = Idempotency::of(&req, &user)?;
    let request = body.0;
    let acting = service::acting(&user, request.operator_id, remote(&req))?;
    let id = id.into_inner();
    let lang = request_lang(&req);
    let work_request = request.clone();
    idempotency::run(&state, ctx, request, move |conn| {
        actions::report(conn, &acting, id, &work_request, lang)
    })
    .await
}

/// Complete the operation (short only with a supervisor's `override`). Completing the last
/// operation completes the order.
#[utoipa::path(post, path = "/api/v1/operations/{id}/complete", tag = "station",
    params(("id" = i64, Path, description = "Work-order operation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays return the first answer")),
    request_body = CompleteRequest,
    responses((status = 200, body = ActionResult), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn complete_operation(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    id: web::Path<i64>,
    body: Json<CompleteRequest>,
) -> AppResult<HttpResponse> {
    let ctx = Idempotency::of(&req, &user)?;
    let request = body.0;
    let acting = service::acting(&user, request.operator_id, remote(&req))?;
    let id = id.into_inner();
    let work_request = request.clone();
    idempotency::run(&state, ctx, request, move |conn| {
        actions::complete(conn, &acting, id, &work_request)
    })
    .await
}
