use actix_web::{HttpRequest, HttpResponse, http::header, web};
use mes_api_types::{
    ApiError,
    auth::{BadgeLoginRequest, LoginRequest, Me, PasswordChange, PreferencesUpdate},
};

use super::{
    service::{self, Client},
    session::{self, SessionUser},
};
use crate::{
    error::AppResult,
    http::extract::{Actor, Json},
    state::AppState,
};

fn client(req: &HttpRequest) -> Client {
    Client {
        remote_addr: req.peer_addr().map(|a| a.ip().to_string()),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(200).collect()),
    }
}

/// Sign in with user name and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 429, body = ApiError)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let (me, token) = service::login(&state, body.0, client(&req)).await?;
    Ok(HttpResponse::Ok()
        .cookie(session::cookie(token, &state.config.session))
        .json(me))
}

/// Sign in at a station with a badge and PIN; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/badge-login", tag = "auth", request_body = BadgeLoginRequest,
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 429, body = ApiError)))]
pub async fn badge_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<BadgeLoginRequest>,
) -> AppResult<HttpResponse> {
    let (me, token) = service::badge_login(&state, body.0, client(&req)).await?;
    Ok(HttpResponse::Ok()
        .cookie(session::cookie(token, &state.config.session))
        .json(me))
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let token = req
        .cookie(session::COOKIE_NAME)
        .map(|c| c.value().to_owned());
    service::logout(&state, token).await?;
    Ok(HttpResponse::NoContent()
        .cookie(session::removal_cookie(&state.config.session))
        .finish())
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = ApiError)))]
pub async fn me(user: SessionUser) -> web::Json<Me> {
    web::Json(user.to_me())
}

/// Change one's own preferences (the UI language).
#[utoipa::path(put, path = "/api/v1/auth/me/preferences", tag = "auth", request_body = PreferencesUpdate,
    responses((status = 200, body = Me), (status = 400, body = ApiError)))]
pub async fn set_preferences(
    state: web::Data<AppState>,
    user: SessionUser,
    actor: Actor,
    body: Json<PreferencesUpdate>,
) -> AppResult<web::Json<Me>> {
    Ok(web::Json(
        service::set_language(&state, &user, actor, body.0.language).await?,
    ))
}

/// Change one's own password. Other sessions of the user end.
#[utoipa::path(post, path = "/api/v1/auth/me/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 400, body = ApiError)))]
pub async fn change_password(
    state: web::Data<AppState>,
    user: SessionUser,
    actor: Actor,
    body: Json<PasswordChange>,
) -> AppResult<HttpResponse> {
    service::change_password(&state, &user, actor, body.0).await?;
    Ok(HttpResponse::NoContent().finish())
}
