//! Typed client for the scheduling endpoints (`/api/v1/schedule/...`).

use mes_api_types::{
    MachineId,
    scheduling::{
        DispatchList, Forecast, Load, LoadPeriod, NewPin, Pin, PlanComparison, PlanDetail,
        PlanSummary, RunStarted, ScheduleSettings, ScheduleSettingsUpdate, StartRun,
    },
};

use crate::api::{Call, FetchError};

/// `POST /api/v1/schedule/runs`: 202 with the run's id; poll [`get_run`].
pub async fn start_run(time_limit_ms: Option<u64>) -> Result<RunStarted, FetchError> {
    Call::post("/api/v1/schedule/runs")
        .json(&StartRun { time_limit_ms })
        .fetch()
        .await
}

/// `GET /api/v1/schedule/runs`: newest first.
pub async fn list_runs(limit: i64) -> Result<Vec<PlanSummary>, FetchError> {
    Call::get("/api/v1/schedule/runs")
        .query("limit", Some(limit))
        .fetch()
        .await
}

/// `GET /api/v1/schedule/runs/{id}`: status, live progress, KPIs when done.
pub async fn get_run(id: i64) -> Result<PlanSummary, FetchError> {
    Call::get(format!("/api/v1/schedule/runs/{id}"))
        .fetch()
        .await
}

/// `POST /api/v1/schedule/runs/{id}/cancel`.
pub async fn cancel_run(id: i64) -> Result<PlanSummary, FetchError> {
    Call::post(format!("/api/v1/schedule/runs/{id}/cancel"))
        .fetch()
        .await
}

/// `GET /api/v1/schedule/plans/published`: 404 when nothing is published yet.
pub async fn published_plan() -> Result<PlanDetail, FetchError> {
    Call::get("/api/v1/schedule/plans/published").fetch().await
}

/// `GET /api/v1/schedule/plans/{id}`.
pub async fn get_plan(id: i64) -> Result<PlanDetail, FetchError> {
    Call::get(format!("/api/v1/schedule/plans/{id}"))
        .fetch()
        .await
}

/// `GET /api/v1/schedule/plans/{id}/compare`: the plan against the published one.
pub async fn compare_plan(id: i64) -> Result<PlanComparison, FetchError> {
    Call::get(format!("/api/v1/schedule/plans/{id}/compare"))
        .fetch()
        .await
}

/// `POST /api/v1/schedule/plans/{id}/publish`: a 409 says why it cannot be published.
pub async fn publish_plan(id: i64) -> Result<PlanSummary, FetchError> {
    Call::post(format!("/api/v1/schedule/plans/{id}/publish"))
        .fetch()
        .await
}

/// The address of a plan's Gantt chart (an SVG image, shown with `<img>`).
pub fn gantt_url(
    id: i64,
    by_order: bool,
    week: bool,
    from: Option<&str>,
    to: Option<&str>,
) -> String {
    let mut url = format!(
        "/api/v1/schedule/plans/{id}/gantt.svg?by={}&zoom={}",
        if by_order { "order" } else { "machine" },
        if week { "week" } else { "day" },
    );
    if let Some(from) = from {
        url.push_str("&from=");
        url.push_str(&crate::util::encode_uri_component(from));
    }
    if let Some(to) = to {
        url.push_str("&to=");
        url.push_str(&crate::util::encode_uri_component(to));
    }
    url
}

/// `GET /api/v1/schedule/forecast`: the delivery forecast (交期), latest first.
pub async fn forecast(plan_id: Option<i64>) -> Result<Forecast, FetchError> {
    Call::get("/api/v1/schedule/forecast")
        .query("plan_id", plan_id)
        .fetch()
        .await
}

/// `GET /api/v1/schedule/load`: load (负荷) per work centre and period.
pub async fn load(plan_id: Option<i64>, period: LoadPeriod) -> Result<Load, FetchError> {
    let period = match period {
        LoadPeriod::Day => "day",
        LoadPeriod::Week => "week",
    };
    Call::get("/api/v1/schedule/load")
        .query("period", Some(period))
        .query("plan_id", plan_id)
        .fetch()
        .await
}

/// `GET /api/v1/machines/{id}/dispatch-list`.
#[allow(dead_code)]
pub async fn dispatch_list(machine: MachineId) -> Result<DispatchList, FetchError> {
    Call::get(format!("/api/v1/machines/{machine}/dispatch-list"))
        .fetch()
        .await
}

/// `GET /api/v1/schedule/pins`.
#[allow(dead_code)]
pub async fn list_pins() -> Result<Vec<Pin>, FetchError> {
    Call::get("/api/v1/schedule/pins").fetch().await
}

/// `POST /api/v1/schedule/pins`: replaces an existing pin of the operation.
#[allow(dead_code)]
pub async fn create_pin(pin: &NewPin) -> Result<Pin, FetchError> {
    Call::post("/api/v1/schedule/pins").json(pin).fetch().await
}

/// `DELETE /api/v1/schedule/pins/{id}`.
#[allow(dead_code)]
pub async fn delete_pin(id: i64) -> Result<(), FetchError> {
    Call::delete(format!("/api/v1/schedule/pins/{id}"))
        .execute()
        .await
}

/// `GET /api/v1/schedule/settings`.
#[allow(dead_code)]
pub async fn settings() -> Result<ScheduleSettings, FetchError> {
    Call::get("/api/v1/schedule/settings").fetch().await
}

/// `PUT /api/v1/schedule/settings`: a stale `lock_version` is a 409.
#[allow(dead_code)]
pub async fn save_settings(
    update: &ScheduleSettingsUpdate,
) -> Result<ScheduleSettings, FetchError> {
    Call::put("/api/v1/schedule/settings")
        .json(update)
        .fetch()
        .await
}
