use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use mes_api_types::{
    ApiError, Page,
    master_data::{
        Calendar, CalendarInput, Machine, MachineInput, MachineStatus, Reason, ReasonInput,
        Station, StationInput, WorkCenter, WorkCenterInput, WorkingInterval,
    },
};
use serde::Deserialize;

use super::{
    calendar::parse_tz,
    queries::{MachineFilter, ReasonFilter, ReasonList, StationFilter, WorkCenterFilter},
    service,
};
use crate::{
    error::{AppError, AppResult},
    http::{
        extract::{Actor, Json, Query},
        paging::PageRequest,
    },
    state::AppState,
};

// ---- Calendars ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    /// Part of the code or name.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List shift calendars.
#[utoipa::path(get, path = "/api/v1/calendars", tag = "plant", params(CalendarQuery),
    responses((status = 200, body = Page<Calendar>), (status = 400, body = ApiError)))]
pub async fn list_calendars(
    state: web::Data<AppState>,
    query: Query<CalendarQuery>,
) -> AppResult<web::Json<Page<Calendar>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let search = q.q;
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_calendars(conn, search, page))
            .await?,
    ))
}

/// Create a shift calendar: weekly shifts with breaks, and dated exceptions (holidays, overtime,
/// shutdowns). A shift whose end reads earlier than its start ends the next day.
#[utoipa::path(post, path = "/api/v1/calendars", tag = "plant", request_body = CalendarInput,
    responses((status = 201, body = Calendar), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_calendar(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<CalendarInput>,
) -> AppResult<HttpResponse> {
    let cal = state
        .db
        .run(move |conn| service::create_calendar(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(cal))
}

/// One calendar.
#[utoipa::path(get, path = "/api/v1/calendars/{id}", tag = "plant", params(("id" = i64, Path, description = "Calendar id")),
    responses((status = 200, body = Calendar), (status = 404, body = ApiError)))]
pub async fn get_calendar(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<Calendar>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::load_calendar(conn, id))
            .await?,
    ))
}

/// Replace a calendar (shifts and exceptions included).
#[utoipa::path(put, path = "/api/v1/calendars/{id}", tag = "plant", params(("id" = i64, Path, description = "Calendar id")),
    request_body = CalendarInput,
    responses((status = 200, body = Calendar), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_calendar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<CalendarInput>,
) -> AppResult<web::Json<Calendar>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_calendar(conn, &actor, id, body.0))
            .await?,
    ))
}

/// Delete a calendar no work centre or machine uses.
#[utoipa::path(delete, path = "/api/v1/calendars/{id}", tag = "plant", params(("id" = i64, Path, description = "Calendar id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_calendar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_calendar(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---- Work centres ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WorkCenterQuery {
    /// Part of the code or name.
    pub q: Option<String>,
    pub active: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl WorkCenterQuery {
    pub fn filter(&self) -> WorkCenterFilter {
        WorkCenterFilter {
            q: self.q.clone(),
            active: self.active,
        }
    }
}

/// List work centres.
#[utoipa::path(get, path = "/api/v1/work-centers", tag = "plant", params(WorkCenterQuery),
    responses((status = 200, body = Page<WorkCenter>), (status = 400, body = ApiError)))]
pub async fn list_work_centers(
    state: web::Data<AppState>,
    query: Query<WorkCenterQuery>,
) -> AppResult<web::Json<Page<WorkCenter>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = q.filter();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_work_centers(conn, filter, page))
            .await?,
    ))
}

/// Create a work centre.
#[utoipa::path(post, path = "/api/v1/work-centers", tag = "plant", request_body = WorkCenterInput,
    responses((status = 201, body = WorkCenter), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_work_center(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<WorkCenterInput>,
) -> AppResult<HttpResponse> {
    let wc = state
        .db
        .run(move |conn| service::create_work_center(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(wc))
}

/// One work centre.
#[utoipa::path(get, path = "/api/v1/work-centers/{id}", tag = "plant", params(("id" = i64, Path, description = "Work centre id")),
    responses((status = 200, body = WorkCenter), (status = 404, body = ApiError)))]
pub async fn get_work_center(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<WorkCenter>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::load_work_center(conn, id))
            .await?,
    ))
}

/// Replace a work centre; `active: false` retires it.
#[utoipa::path(put, path = "/api/v1/work-centers/{id}", tag = "plant", params(("id" = i64, Path, description = "Work centre id")),
    request_body = WorkCenterInput,
    responses((status = 200, body = WorkCenter), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_work_center(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<WorkCenterInput>,
) -> AppResult<web::Json<WorkCenter>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_work_center(conn, &actor, id, body.0))
            .await?,
    ))
}

/// Delete a work centre nothing refers to (no machines, stations, routings or orders).
#[utoipa::path(delete, path = "/api/v1/work-centers/{id}", tag = "plant", params(("id" = i64, Path, description = "Work centre id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_work_center(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_work_center(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---- Machines ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MachineQuery {
    /// Part of the code, name or kind.
    pub q: Option<String>,
    pub work_center_id: Option<i64>,
    pub status: Option<MachineStatus>,
    pub active: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl MachineQuery {
    /// The filter it selects (also what exports of the list use).
    pub fn filter(&self) -> MachineFilter {
        MachineFilter {
            q: self.q.clone(),
            work_center_id: self.work_center_id,
            status: self.status.map(|s| s.as_str().to_owned()),
            active: self.active,
        }
    }
}

/// List machines.
#[utoipa::path(get, path = "/api/v1/machines", tag = "plant", params(MachineQuery),
    responses((status = 200, body = Page<Machine>), (status = 400, body = ApiError)))]
pub async fn list_machines(
    state: web::Data<AppState>,
    query: Query<MachineQuery>,
) -> AppResult<web::Json<Page<Machine>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = q.filter();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_machines(conn, filter, page))
            .await?,
    ))
}

/// Create a machine. It starts `idle`; its status is driven by the shop floor, not by edits.
#[utoipa::path(post, path = "/api/v1/machines", tag = "plant", request_body = MachineInput,
    responses((status = 201, body = Machine), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_machine(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<MachineInput>,
) -> AppResult<HttpResponse> {
    let machine = state
        .db
        .run(move |conn| service::create_machine(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(machine))
}

/// One machine.
#[utoipa::path(get, path = "/api/v1/machines/{id}", tag = "plant", params(("id" = i64, Path, description = "Machine id")),
    responses((status = 200, body = Machine), (status = 404, body = ApiError)))]
pub async fn get_machine(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<Machine>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::load_machine(conn, id))
            .await?,
    ))
}

/// The machine with this code (what a scanner reads).
#[utoipa::path(get, path = "/api/v1/machines/by-code/{code}", tag = "plant", params(("code" = String, Path, description = "Machine code")),
    responses((status = 200, body = Machine), (status = 404, body = ApiError)))]
pub async fn get_machine_by_code(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> AppResult<web::Json<Machine>> {
    let code = code.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::machine_by_code(conn, &code))
            .await?,
    ))
}

/// Replace a machine's master data (not its status); `active: false` retires it.
#[utoipa::path(put, path = "/api/v1/machines/{id}", tag = "plant", params(("id" = i64, Path, description = "Machine id")),
    request_body = MachineInput,
    responses((status = 200, body = Machine), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_machine(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<MachineInput>,
) -> AppResult<web::Json<Machine>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_machine(conn, &actor, id, body.0))
            .await?,
    ))
}

/// Delete a machine nothing refers to (no station, routing or order).
#[utoipa::path(delete, path = "/api/v1/machines/{id}", tag = "plant", params(("id" = i64, Path, description = "Machine id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_machine(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_machine(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WorkingTimeQuery {
    /// Start of the range (inclusive), RFC 3339.
    pub from: DateTime<Utc>,
    /// End of the range (exclusive), RFC 3339; at most 62 days after `from`.
    pub to: DateTime<Utc>,
}

/// When the machine works in `[from, to)`: its own calendar, else its work centre's, expanded in
/// the plant time zone (breaks, holidays, overtime, shutdowns and DST applied). A machine with no
/// calendar at all is always available: the answer is one interval over the whole range with
/// `shift` = `always`.
#[utoipa::path(get, path = "/api/v1/machines/{id}/working-time", tag = "plant",
    params(("id" = i64, Path, description = "Machine id"), WorkingTimeQuery),
    responses((status = 200, body = Vec<WorkingInterval>), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn machine_working_time(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<WorkingTimeQuery>,
) -> AppResult<web::Json<Vec<WorkingInterval>>> {
    let id = id.into_inner();
    let Query(WorkingTimeQuery { from, to }) = query;
    let zone = state.config.timezone.clone();
    let tz = parse_tz(&zone).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "configured timezone `{zone}` is not an IANA zone"
        ))
    })?;
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::machine_working_time(conn, id, tz, from, to))
            .await?,
    ))
}

// ---- Stations ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StationQuery {
    /// Part of the code or name.
    pub q: Option<String>,
    pub machine_id: Option<i64>,
    pub work_center_id: Option<i64>,
    pub active: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl StationQuery {
    pub fn filter(&self) -> StationFilter {
        StationFilter {
            q: self.q.clone(),
            machine_id: self.machine_id,
            work_center_id: self.work_center_id,
            active: self.active,
        }
    }
}

/// List stations (shop-floor tablets).
#[utoipa::path(get, path = "/api/v1/stations", tag = "plant", params(StationQuery),
    responses((status = 200, body = Page<Station>), (status = 400, body = ApiError)))]
pub async fn list_stations(
    state: web::Data<AppState>,
    query: Query<StationQuery>,
) -> AppResult<web::Json<Page<Station>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = q.filter();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_stations(conn, filter, page))
            .await?,
    ))
}

/// Create a station, bound to exactly one of a machine or a work centre.
#[utoipa::path(post, path = "/api/v1/stations", tag = "plant", request_body = StationInput,
    responses((status = 201, body = Station), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_station(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<StationInput>,
) -> AppResult<HttpResponse> {
    let station = state
        .db
        .run(move |conn| service::create_station(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(station))
}

/// One station.
#[utoipa::path(get, path = "/api/v1/stations/{id}", tag = "plant", params(("id" = i64, Path, description = "Station id")),
    responses((status = 200, body = Station), (status = 404, body = ApiError)))]
pub async fn get_station(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<Station>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::load_station(conn, id))
            .await?,
    ))
}

/// The station with this code (a tablet identifies itself by it).
#[utoipa::path(get, path = "/api/v1/stations/by-code/{code}", tag = "plant", params(("code" = String, Path, description = "Station code")),
    responses((status = 200, body = Station), (status = 404, body = ApiError)))]
pub async fn get_station_by_code(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> AppResult<web::Json<Station>> {
    let code = code.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::station_by_code(conn, &code))
            .await?,
    ))
}

/// Replace a station.
#[utoipa::path(put, path = "/api/v1/stations/{id}", tag = "plant", params(("id" = i64, Path, description = "Station id")),
    request_body = StationInput,
    responses((status = 200, body = Station), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_station(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<StationInput>,
) -> AppResult<web::Json<Station>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_station(conn, &actor, id, body.0))
            .await?,
    ))
}

/// Delete a station.
#[utoipa::path(delete, path = "/api/v1/stations/{id}", tag = "plant", params(("id" = i64, Path, description = "Station id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_station(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_station(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---- Reasons ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReasonQuery {
    /// Part of the code or either name.
    pub q: Option<String>,
    pub active: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

async fn list_reasons(
    state: web::Data<AppState>,
    list: ReasonList,
    q: ReasonQuery,
) -> AppResult<web::Json<Page<Reason>>> {
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = ReasonFilter {
        q: q.q,
        active: q.active,
    };
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_reasons(conn, list, filter, page))
            .await?,
    ))
}

async fn create_reason(
    state: web::Data<AppState>,
    actor: Actor,
    list: ReasonList,
    input: ReasonInput,
) -> AppResult<HttpResponse> {
    let reason = state
        .db
        .run(move |conn| service::create_reason(conn, &actor, list, input))
        .await?;
    Ok(HttpResponse::Created().json(reason))
}

async fn update_reason(
    state: web::Data<AppState>,
    actor: Actor,
    list: ReasonList,
    id: i64,
    input: ReasonInput,
) -> AppResult<web::Json<Reason>> {
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_reason(conn, &actor, list, id, input))
            .await?,
    ))
}

async fn delete_reason(
    state: web::Data<AppState>,
    actor: Actor,
    list: ReasonList,
    id: i64,
) -> AppResult<HttpResponse> {
    state
        .db
        .run(move |conn| service::delete_reason(conn, &actor, list, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List defect reasons (scrap and rework), in display order (`position`, then id).
#[utoipa::path(get, path = "/api/v1/defect-reasons", tag = "plant", params(ReasonQuery),
    responses((status = 200, body = Page<Reason>), (status = 400, body = ApiError)))]
pub async fn list_defect_reasons(
    state: web::Data<AppState>,
    query: Query<ReasonQuery>,
) -> AppResult<web::Json<Page<Reason>>> {
    list_reasons(state, ReasonList::Defect, query.0).await
}

/// Create a defect reason (`planned` does not apply and is stored as false).
#[utoipa::path(post, path = "/api/v1/defect-reasons", tag = "plant", request_body = ReasonInput,
    responses((status = 201, body = Reason), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_defect_reason(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<ReasonInput>,
) -> AppResult<HttpResponse> {
    create_reason(state, actor, ReasonList::Defect, body.0).await
}

/// Replace a defect reason; `active: false` retires it.
#[utoipa::path(put, path = "/api/v1/defect-reasons/{id}", tag = "plant", params(("id" = i64, Path, description = "Reason id")),
    request_body = ReasonInput,
    responses((status = 200, body = Reason), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_defect_reason(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ReasonInput>,
) -> AppResult<web::Json<Reason>> {
    update_reason(state, actor, ReasonList::Defect, id.into_inner(), body.0).await
}

/// Delete a defect reason no record uses.
#[utoipa::path(delete, path = "/api/v1/defect-reasons/{id}", tag = "plant", params(("id" = i64, Path, description = "Reason id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_defect_reason(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    delete_reason(state, actor, ReasonList::Defect, id.into_inner()).await
}

/// List downtime reasons, in display order (`position`, then id).
#[utoipa::path(get, path = "/api/v1/downtime-reasons", tag = "plant", params(ReasonQuery),
    responses((status = 200, body = Page<Reason>), (status = 400, body = ApiError)))]
pub async fn list_downtime_reasons(
    state: web::Data<AppState>,
    query: Query<ReasonQuery>,
) -> AppResult<web::Json<Page<Reason>>> {
    list_reasons(state, ReasonList::Downtime, query.0).await
}

/// Create a downtime reason; `planned` stops (changeover, planned maintenance) count apart in OEE.
#[utoipa::path(post, path = "/api/v1/downtime-reasons", tag = "plant", request_body = ReasonInput,
    responses((status = 201, body = Reason), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_downtime_reason(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<ReasonInput>,
) -> AppResult<HttpResponse> {
    create_reason(state, actor, ReasonList::Downtime, body.0).await
}

/// Replace a downtime reason; `active: false` retires it.
#[utoipa::path(put, path = "/api/v1/downtime-reasons/{id}", tag = "plant", params(("id" = i64, Path, description = "Reason id")),
    request_body = ReasonInput,
    responses((status = 200, body = Reason), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_downtime_reason(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ReasonInput>,
) -> AppResult<web::Json<Reason>> {
    update_reason(state, actor, ReasonList::Downtime, id.into_inner(), body.0).await
}

/// Delete a downtime reason no record uses.
#[utoipa::path(delete, path = "/api/v1/downtime-reasons/{id}", tag = "plant", params(("id" = i64, Path, description = "Reason id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_downtime_reason(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    delete_reason(state, actor, ReasonList::Downtime, id.into_inner()).await
}
