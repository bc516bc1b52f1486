//! The station tablet's API calls. Reads go straight to the server; writes go through the
//! [`super::outbox::Outbox`], which gives each an idempotency key and replays it after a network
//! drop.

use mes_api_types::{
    Page, UserId, WorkOrderOperationId,
    master_data::Reason,
    station::{
        AndonCall, AndonStatus, OperationView, QueueItem, ScanResult, StationSession, StationSignIn,
    },
};

use crate::api::{Call, FetchError};

fn station_path(code: &str, rest: &str) -> String {
    format!(
        "/api/v1/stations/{}{rest}",
        crate::util::encode_uri_component(code)
    )
}

/// `GET /api/v1/stations/{code}/session`: who is signed in at this tablet (401: nobody).
pub async fn session(code: &str) -> Result<StationSession, FetchError> {
    Call::get(station_path(code, "/session")).fetch().await
}

/// `POST /api/v1/stations/{code}/operators`: one more operator signs in here.
pub async fn sign_in(code: &str, request: &StationSignIn) -> Result<StationSession, FetchError> {
    Call::post(station_path(code, "/operators"))
        .json(request)
        .fetch()
        .await
}

/// `DELETE /api/v1/stations/{code}/operators/{user_id}`: one operator signs out.
pub async fn sign_out(code: &str, user_id: UserId) -> Result<(), FetchError> {
    Call::delete(station_path(code, &format!("/operators/{}", user_id.0)))
        .execute()
        .await
}

pub async fn queue(code: &str) -> Result<Vec<QueueItem>, FetchError> {
    Call::get(station_path(code, "/queue")).fetch().await
}

pub async fn scan(code: &str, station: &str) -> Result<ScanResult, FetchError> {
    Call::get("/api/v1/scan")
        .query("code", Some(code))
        .query("station", Some(station))
        .fetch()
        .await
}

pub async fn operation(id: WorkOrderOperationId) -> Result<OperationView, FetchError> {
    Call::get(format!("/api/v1/operations/{}", id.0))
        .fetch()
        .await
}

pub async fn open_andon_calls(machine_id: Option<i64>) -> Result<Vec<AndonCall>, FetchError> {
    let open: Vec<AndonCall> = Call::get("/api/v1/andon")
        .query("status", Some(AndonStatus::Open.as_str()))
        .query("machine_id", machine_id)
        .fetch()
        .await?;
    let acknowledged: Vec<AndonCall> = Call::get("/api/v1/andon")
        .query("status", Some(AndonStatus::Acknowledged.as_str()))
        .query("machine_id", machine_id)
        .fetch()
        .await?;
    Ok(open.into_iter().chain(acknowledged).collect())
}

/// Active defect (`defect`) or downtime (`downtime`) reasons, in their configured order.
pub async fn reasons(list: &str) -> Result<Vec<Reason>, FetchError> {
    let page: Page<Reason> = Call::get(format!("/api/v1/{list}-reasons"))
        .query("active", Some(true))
        .query("limit", Some(500))
        .fetch()
        .await?;
    let mut reasons = page.items;
    reasons.sort_by_key(|r| r.position);
    Ok(reasons)
}
