use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use mes_api_types::{
    ApiError,
    scheduling::{
        DispatchList, Forecast, Load, LoadPeriod, NewPin, Pin, PlanComparison, PlanDetail,
        PlanStatus, PlanSummary, RunStarted, ScheduleSettings, ScheduleSettingsUpdate, StartRun,
    },
};
use serde::Deserialize;

use super::{
    dispatch, service,
    views::{self, GanttBy, GanttZoom},
};
use crate::{
    error::{AppError, AppResult},
    http::extract::{Actor, Json, Query},
    plant::calendar::parse_tz,
    state::AppState,
    text,
};

pub fn plant_tz(state: &AppState) -> AppResult<Tz> {
    let zone = state.config.timezone.clone();
    parse_tz(&zone).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "configured timezone `{zone}` is not an IANA zone"
        ))
    })
}

/// Start a scheduling run over all released and in-progress orders on a background thread.
/// Poll `GET /api/v1/schedule/runs/{id}` for progress; the result is stored as `proposed`.
#[utoipa::path(post, path = "/api/v1/schedule/runs", tag = "scheduling", request_body = StartRun,
    responses((status = 202, body = RunStarted), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn start_run(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<StartRun>,
) -> AppResult<HttpResponse> {
    let tz = plant_tz(&state)?;
    let limit = body.0.time_limit_ms;
    let plan = state
        .db
        .run(move |conn| service::begin_run(conn, &actor, limit, "manual"))
        .await?;
    let id = plan.id;
    let worker = state.clone();
    std::thread::Builder::new()
        .name(format!("schedule-run-{id}"))
        .spawn(move || service::execute_run(&worker.db, &worker.runs, tz, id))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot start the run thread: {e}")))?;
    Ok(HttpResponse::Accepted().json(RunStarted {
        id,
        version: plan.version,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RunListQuery {
    /// Only plans in this status.
    #[param(value_type = Option<String>)]
    pub status: Option<PlanStatus>,
    /// Plans with ids below this one (the last id of the previous page).
    pub before: Option<i64>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

/// Runs and plans, newest first.
#[utoipa::path(get, path = "/api/v1/schedule/runs", tag = "scheduling", params(RunListQuery),
    responses((status = 200, body = Vec<PlanSummary>), (status = 400, body = ApiError)))]
pub async fn list_runs(
    state: web::Data<AppState>,
    query: Query<RunListQuery>,
) -> AppResult<web::Json<Vec<PlanSummary>>> {
    let q = query.0;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            text!("limit 应在 1 到 200 之间", "limit must be 1–200"),
        ));
    }
    let st = state.clone();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_plans(conn, &st.runs, q.status, q.before, limit))
            .await?,
    ))
}

/// One run: status, live progress while it works, KPIs when done.
#[utoipa::path(get, path = "/api/v1/schedule/runs/{id}", tag = "scheduling",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = PlanSummary), (status = 404, body = ApiError)))]
pub async fn get_run(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<PlanSummary>> {
    let id = id.into_inner();
    let st = state.clone();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::get_plan(conn, &st.runs, id))
            .await?,
    ))
}

/// Stop a running run early: it ends as `cancelled`.
#[utoipa::path(post, path = "/api/v1/schedule/runs/{id}/cancel", tag = "scheduling",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = PlanSummary), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn cancel_run(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<PlanSummary>> {
    let id = id.into_inner();
    let st = state.clone();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::cancel_run(conn, &st.runs, id))
            .await?,
    ))
}

/// The published plan with its operations and moves.
#[utoipa::path(get, path = "/api/v1/schedule/plans/published", tag = "scheduling",
    responses((status = 200, body = PlanDetail), (status = 404, body = ApiError)))]
pub async fn get_published_plan(state: web::Data<AppState>) -> AppResult<web::Json<PlanDetail>> {
    let st = state.clone();
    Ok(web::Json(
        state
            .db
            .run(move |conn| {
                let plan = views::view_plan(conn, None)?;
                service::plan_detail(conn, &st.runs, plan.id)
            })
            .await?,
    ))
}

/// A plan with its operations (by machine, then start) and the moves against the plan
/// published when it was made.
#[utoipa::path(get, path = "/api/v1/schedule/plans/{id}", tag = "scheduling",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = PlanDetail), (status = 404, body = ApiError)))]
pub async fn get_plan(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<PlanDetail>> {
    let id = id.into_inner();
    let st = state.clone();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::plan_detail(conn, &st.runs, id))
            .await?,
    ))
}

/// KPIs of a plan against the published one: late orders, weighted tardiness, makespan, moved
/// operations.
#[utoipa::path(get, path = "/api/v1/schedule/plans/{id}/compare", tag = "scheduling",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = PlanComparison), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn compare_plan(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<PlanComparison>> {
    let id = id.into_inner();
    Ok(web::Json(
        state.db.run(move |conn| service::compare(conn, id)).await?,
    ))
}

/// Publish a proposed plan: the previous one is superseded, dispatch lists follow the new one.
#[utoipa::path(post, path = "/api/v1/schedule/plans/{id}/publish", tag = "scheduling",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = PlanSummary), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn publish_plan(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<web::Json<PlanSummary>> {
    let id = id.into_inner();
    let plan = state
        .db
        .run(move |conn| service::publish(conn, &actor, id))
        .await?;
    service::announce_published(&state.events, id);
    Ok(web::Json(plan))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct GanttQuery {
    /// Rows per machine (default) or per order.
    #[param(value_type = Option<String>)]
    pub by: Option<GanttBy>,
    /// `day` (default: one day from `from`, hour ticks) or `week` (seven days, day ticks).
    #[param(value_type = Option<String>)]
    pub zoom: Option<GanttZoom>,
    /// Start of the chart (RFC 3339); default the plan's origin.
    pub from: Option<DateTime<Utc>>,
    /// End of the chart; default `from` plus the zoom's span. At most 92 days.
    pub to: Option<DateTime<Utc>>,
}

/// Gantt chart of a plan as SVG: bars coloured by order, late orders red, maintenance and
/// breakdowns grey hatched, non-working time shaded, a line at now.
#[utoipa::path(get, path = "/api/v1/schedule/plans/{id}/gantt.svg", tag = "scheduling",
    params(("id" = i64, Path, description = "Plan id"), GanttQuery),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn gantt(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<GanttQuery>,
) -> AppResult<HttpResponse> {
    let tz = plant_tz(&state)?;
    let id = id.into_inner();
    let q = query.0;
    let svg = state
        .db
        .run(move |conn| {
            views::gantt_svg(
                conn,
                tz,
                id,
                q.by.unwrap_or_default(),
                q.zoom.unwrap_or_default(),
                q.from,
                q.to,
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .body(svg))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    /// Another plan than the published one (e.g. a proposal under review).
    pub plan_id: Option<i64>,
}

/// Delivery forecast (交期): per open order, planned finish against due date, days late and
/// the bottleneck machine and work centre that make it late.
#[utoipa::path(get, path = "/api/v1/schedule/forecast", tag = "scheduling", params(PlanQuery),
    responses((status = 200, body = Forecast), (status = 404, body = ApiError)))]
pub async fn forecast(
    state: web::Data<AppState>,
    query: Query<PlanQuery>,
) -> AppResult<web::Json<Forecast>> {
    let plan_id = query.0.plan_id;
    Ok(web::Json(
        state
            .db
            .run(move |conn| views::forecast(conn, plan_id))
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LoadQuery {
    /// `day` (default) or `week` (Monday to Sunday), in plant time.
    #[param(value_type = Option<String>)]
    pub period: Option<LoadPeriod>,
    pub plan_id: Option<i64>,
    /// Default: the plan's origin.
    pub from: Option<DateTime<Utc>>,
    /// Default: the plan's last operation end. At most 92 days after `from`.
    pub to: Option<DateTime<Utc>>,
}

/// Load (负荷) per work centre and period: planned hours against available hours.
#[utoipa::path(get, path = "/api/v1/schedule/load", tag = "scheduling", params(LoadQuery),
    responses((status = 200, body = Load), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn load(
    state: web::Data<AppState>,
    query: Query<LoadQuery>,
) -> AppResult<web::Json<Load>> {
    let tz = plant_tz(&state)?;
    let q = query.0;
    Ok(web::Json(
        state
            .db
            .run(move |conn| {
                views::load(
                    conn,
                    tz,
                    q.plan_id,
                    q.period.unwrap_or_default(),
                    q.from,
                    q.to,
                )
            })
            .await?,
    ))
}

/// What the machine should run next: the published plan's sequence of its open operations
/// (then operations released since); without a published plan, by priority and due date.
#[utoipa::path(get, path = "/api/v1/machines/{id}/dispatch-list", tag = "scheduling",
    params(("id" = i64, Path, description = "Machine id")),
    responses((status = 200, body = DispatchList), (status = 404, body = ApiError)))]
pub async fn dispatch_list(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<DispatchList>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| dispatch::dispatch_sequence(conn, id))
            .await?,
    ))
}

/// The planner's pins.
#[utoipa::path(get, path = "/api/v1/schedule/pins", tag = "scheduling",
    responses((status = 200, body = Vec<Pin>)))]
pub async fn list_pins(state: web::Data<AppState>) -> AppResult<web::Json<Vec<Pin>>> {
    Ok(web::Json(state.db.run(service::list_pins).await?))
}

/// Pin (or move) a pending operation to one of its machines at a start; the next runs keep it
/// there. A previous pin of the operation is replaced.
#[utoipa::path(post, path = "/api/v1/schedule/pins", tag = "scheduling", request_body = NewPin,
    responses((status = 201, body = Pin), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_pin(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NewPin>,
) -> AppResult<HttpResponse> {
    let pin = state
        .db
        .run(move |conn| service::create_pin(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(pin))
}

/// Remove a pin: the operation is free to move again.
#[utoipa::path(delete, path = "/api/v1/schedule/pins/{id}", tag = "scheduling",
    params(("id" = i64, Path, description = "Pin id")),
    responses((status = 204), (status = 404, body = ApiError)))]
pub async fn delete_pin(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_pin(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Scheduling settings: auto-replan, frozen horizon, default time limit, horizon, assumed
/// downtime.
#[utoipa::path(get, path = "/api/v1/schedule/settings", tag = "scheduling",
    responses((status = 200, body = ScheduleSettings)))]
pub async fn get_settings(state: web::Data<AppState>) -> AppResult<web::Json<ScheduleSettings>> {
    Ok(web::Json(state.db.run(service::settings).await?))
}

/// Change the scheduling settings (audited; `lock_version` guards against lost updates).
#[utoipa::path(put, path = "/api/v1/schedule/settings", tag = "scheduling",
    request_body = ScheduleSettingsUpdate,
    responses((status = 200, body = ScheduleSettings), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn put_settings(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<ScheduleSettingsUpdate>,
) -> AppResult<web::Json<ScheduleSettings>> {
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_settings(conn, &actor, body.0))
            .await?,
    ))
}
