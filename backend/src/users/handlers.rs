use actix_web::{HttpResponse, web};
use mes_api_types::{
    ApiError, Page,
    auth::{NewUser, Role, User, UserUpdate},
};
use serde::Deserialize;

use super::{queries::UserFilter, service};
use crate::{
    error::AppResult,
    http::{
        extract::{Actor, Json, Query},
        paging::PageRequest,
    },
    state::AppState,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Part of the user name or name, or an exact badge code.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List users.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = Page<User>), (status = 400, body = ApiError)))]
pub async fn list_users(
    state: web::Data<AppState>,
    query: Query<UserQuery>,
) -> AppResult<web::Json<Page<User>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = UserFilter {
        search: q.q,
        role: q.role,
        active: q.active,
    };
    Ok(web::Json(service::list_users(&state, filter, page).await?))
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = User), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_user(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NewUser>,
) -> AppResult<HttpResponse> {
    let user = state
        .db
        .run(move |conn| service::create_user(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(user))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), (status = 404, body = ApiError)))]
pub async fn get_user(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<User>> {
    let id = id.into_inner();
    Ok(web::Json(
        state.db.run(move |conn| service::load(conn, id)).await?,
    ))
}

/// Change a user: name, roles, language, badge, PIN, password, or disable (`active: false`).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path, description = "User id")),
    request_body = UserUpdate,
    responses((status = 200, body = User), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_user(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<UserUpdate>,
) -> AppResult<web::Json<User>> {
    let id = id.into_inner();
    let user = state
        .db
        .run(move |conn| service::update_user(conn, &actor, id, body.0))
        .await?;
    state.sessions.forget_user(id);
    Ok(web::Json(user))
}
