use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use mes_api_types::{
    ApiError, Page, SortDir,
    master_data::WorkOrderSettings,
    work_orders::{
        NewWorkOrder, SplitRequest, TransitionRequest, WorkOrder, WorkOrderAction, WorkOrderDetail,
        WorkOrderSort, WorkOrderStatus, WorkOrderUpdate,
    },
};
use serde::Deserialize;

use super::{
    queries::ListFilter,
    service::{self, ListRequest},
};
use crate::{
    db::now,
    error::{AppError, AppResult},
    http::extract::{Actor, Json, Query},
    state::AppState,
    text,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WorkOrderQuery {
    /// Comma-separated statuses, e.g. `released,in_progress`.
    pub status: Option<String>,
    pub product_id: Option<i64>,
    /// Part of the number, customer, sales order, or product code or name (any case).
    pub q: Option<String>,
    /// Due at or after this time (RFC 3339).
    pub due_from: Option<DateTime<Utc>>,
    /// Due before this time (RFC 3339).
    pub due_to: Option<DateTime<Utc>>,
    /// `true`: open (released, in progress, on hold) and past the due date.
    pub late: Option<bool>,
    /// Default `due_at`. Ties are broken by due date, then id.
    #[param(value_type = Option<String>)]
    pub sort: Option<WorkOrderSort>,
    /// Default `asc`.
    #[param(value_type = Option<String>)]
    pub dir: Option<SortDir>,
    /// Rows per page, 1–500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page (same filter and sort).
    pub cursor: Option<String>,
}

fn parse_statuses(text: Option<&str>) -> AppResult<Vec<WorkOrderStatus>> {
    let mut statuses = Vec::new();
    for part in text
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match WorkOrderStatus::parse(part) {
            Some(s) if !statuses.contains(&s) => statuses.push(s),
            Some(_) => {}
            None => {
                let part = part.to_owned();
                return Err(AppError::invalid(
                    "status",
                    text!(
                        "未知状态 {part}（可用：draft, released, in_progress, on_hold, completed, closed, cancelled）",
                        "Unknown status {part} (use draft, released, in_progress, on_hold, completed, closed, cancelled)"
                    ),
                ));
            }
        }
    }
    Ok(statuses)
}

impl WorkOrderQuery {
    /// The list request it makes (also what exports of the list use).
    pub fn request(self) -> AppResult<ListRequest> {
        Ok(ListRequest {
            filter: ListFilter {
                statuses: parse_statuses(self.status.as_deref())?,
                product_id: self.product_id,
                search: self.q,
                due_from: self.due_from.map(|t| t.naive_utc()),
                due_to: self.due_to.map(|t| t.naive_utc()),
                late: self.late,
                now: now(),
            },
            sort: self.sort.unwrap_or_default(),
            dir: self.dir.unwrap_or_default(),
            limit: self.limit,
            cursor: self.cursor,
        })
    }
}

/// List work orders: filter, search, sort, keyset paging.
#[utoipa::path(get, path = "/api/v1/work-orders", tag = "work-orders", params(WorkOrderQuery),
    responses((status = 200, body = Page<WorkOrder>), (status = 400, body = ApiError)))]
pub async fn list_work_orders(
    state: web::Data<AppState>,
    query: Query<WorkOrderQuery>,
) -> AppResult<web::Json<Page<WorkOrder>>> {
    let request = query.0.request()?;
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list(conn, &request))
            .await?,
    ))
}

/// Create a work order (draft). Leave `number` out for the next generated one.
#[utoipa::path(post, path = "/api/v1/work-orders", tag = "work-orders", request_body = NewWorkOrder,
    responses((status = 201, body = WorkOrderDetail), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NewWorkOrder>,
) -> AppResult<HttpResponse> {
    let order = state
        .db
        .run(move |conn| service::create(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(order))
}

/// One work order with its operations, materials, timeline and what it allows next.
#[utoipa::path(get, path = "/api/v1/work-orders/{id}", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")),
    responses((status = 200, body = WorkOrderDetail), (status = 404, body = ApiError)))]
pub async fn get_work_order(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    let id = id.into_inner();
    Ok(web::Json(
        state.db.run(move |conn| service::load(conn, id)).await?,
    ))
}

/// One work order by its number (what travelers and scanners carry).
#[utoipa::path(get, path = "/api/v1/work-orders/by-number/{number}", tag = "work-orders",
    params(("number" = String, Path, description = "Work-order number, e.g. WO-000042")),
    responses((status = 200, body = WorkOrderDetail), (status = 404, body = ApiError)))]
pub async fn get_work_order_by_number(
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    let number = number.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::load_by_number(conn, &number))
            .await?,
    ))
}

/// Change a work order. Draft: anything. Released, in progress, on hold: dates, priority,
/// customer, sales order, notes, predecessors. Completed, cancelled: notes. Closed: nothing.
/// Absent fields stay as they are (an earliest start, once set, can be moved but not removed).
#[utoipa::path(patch, path = "/api/v1/work-orders/{id}", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = WorkOrderUpdate,
    responses((status = 200, body = WorkOrderDetail), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<WorkOrderUpdate>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update(conn, &actor, id, body.0))
            .await?,
    ))
}

/// Delete a draft work order (others are cancelled instead).
#[utoipa::path(delete, path = "/api/v1/work-orders/{id}", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn transition(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
    action: WorkOrderAction,
) -> AppResult<web::Json<WorkOrderDetail>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::transition(conn, &actor, id, action, body.0))
            .await?,
    ))
}

/// Release a draft: copies the product's active routing and BOM into the order.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/release", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = TransitionRequest,
    responses((status = 200, body = WorkOrderDetail), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn release_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    transition(state, actor, id, body, WorkOrderAction::Release).await
}

/// Start a released order.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/start", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = TransitionRequest,
    responses((status = 200, body = WorkOrderDetail), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn start_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    transition(state, actor, id, body, WorkOrderAction::Start).await
}

/// Complete an order in progress. With quantity still to make, a `reason` closes it short.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/complete", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = TransitionRequest,
    responses((status = 200, body = WorkOrderDetail), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn complete_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    transition(state, actor, id, body, WorkOrderAction::Complete).await
}

/// Close a completed order: no more changes.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/close", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = TransitionRequest,
    responses((status = 200, body = WorkOrderDetail), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn close_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    transition(state, actor, id, body, WorkOrderAction::Close).await
}

/// Put a released or in-progress order on hold (`reason` required).
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/hold", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = TransitionRequest,
    responses((status = 200, body = WorkOrderDetail), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn hold_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    transition(state, actor, id, body, WorkOrderAction::Hold).await
}

/// Resume an order on hold: back to the status it was held from.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/resume", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = TransitionRequest,
    responses((status = 200, body = WorkOrderDetail), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn resume_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    transition(state, actor, id, body, WorkOrderAction::Resume).await
}

/// Cancel a draft, released or on-hold order with nothing reported (`reason` required).
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/cancel", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = TransitionRequest,
    responses((status = 200, body = WorkOrderDetail), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn cancel_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    transition(state, actor, id, body, WorkOrderAction::Cancel).await
}

/// Reopen a completed order (back to in progress).
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/reopen", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = TransitionRequest,
    responses((status = 200, body = WorkOrderDetail), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn reopen_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TransitionRequest>,
) -> AppResult<web::Json<WorkOrderDetail>> {
    transition(state, actor, id, body, WorkOrderAction::Reopen).await
}

/// Split a quantity off into a new order (number: the parent's plus `-1`, `-2`, …), with the
/// same routing and BOM copies, in the parent's status (released if the parent is in progress).
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/split", tag = "work-orders",
    params(("id" = i64, Path, description = "Work-order id")), request_body = SplitRequest,
    responses((status = 201, body = WorkOrderDetail), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn split_work_order(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<SplitRequest>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let child = state
        .db
        .run(move |conn| service::split(conn, &actor, id, body.0))
        .await?;
    Ok(HttpResponse::Created().json(child))
}

/// Work-order settings (number prefix).
#[utoipa::path(get, path = "/api/v1/settings/work-orders", tag = "work-orders",
    responses((status = 200, body = WorkOrderSettings)))]
pub async fn get_work_order_settings(
    state: web::Data<AppState>,
) -> AppResult<web::Json<WorkOrderSettings>> {
    Ok(web::Json(state.db.run(service::settings).await?))
}

/// Change the work-order settings. The prefix applies to numbers generated from now on.
#[utoipa::path(put, path = "/api/v1/settings/work-orders", tag = "work-orders",
    request_body = WorkOrderSettings,
    responses((status = 200, body = WorkOrderSettings), (status = 400, body = ApiError)))]
pub async fn put_work_order_settings(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<WorkOrderSettings>,
) -> AppResult<web::Json<WorkOrderSettings>> {
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::put_settings(conn, &actor, body.0))
            .await?,
    ))
}
