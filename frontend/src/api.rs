//! Typed client for the MES HTTP API: one function per endpoint.
//!
//! Every request is same-origin with the session cookie (`credentials: same-origin`) and carries
//! `Accept-Language` in the UI's current language, so server messages come back in the language
//! the user reads. Failures are split into three cases the UI treats differently: no answer at all
//! ([`FetchError::Network`]), an answer with the contract's error body ([`FetchError::Api`]), and
//! an answer that does not follow the contract ([`FetchError::Unexpected`]).

use std::cell::Cell;

use gloo_net::http::{Method, RequestBuilder, Response};
use mes_api_types::{
    ApiError, BomId, CalendarId, ErrorKind, Lang, MachineId, Page, ProductId, ReasonId, RoutingId,
    SortDir, StationId, UserId, WorkCenterId, WorkOrderId,
    audit::{AuditAction, AuditEntry},
    auth::{LoginRequest, Me, NewUser, PasswordChange, PreferencesUpdate, Role, User, UserUpdate},
    import::ImportJob,
    master_data::{
        Bom, BomInput, BomNode, Calendar, CalendarInput, Machine, MachineInput, MachineStatus,
        Product, ProductInput, ProductKind, Reason, ReasonInput, Routing, RoutingInput, Station,
        StationInput, VersionStatus, WorkCenter, WorkCenterInput,
    },
    system::Health,
    work_orders::{
        NewWorkOrder, SplitRequest, TransitionRequest, WorkOrder, WorkOrderAction, WorkOrderDetail,
        WorkOrderSort, WorkOrderStatus, WorkOrderUpdate,
    },
};
use serde::{Serialize, de::DeserializeOwned};
use web_sys::RequestCredentials;

thread_local! {
    /// The UI language sent as `Accept-Language`. The app is single-threaded WASM; the i18n
    /// context updates this whenever the user switches language.
    static LANGUAGE: Cell<Lang> = const { Cell::new(Lang::ZhCn) };
}

/// Sets the language sent with every following request.
pub fn set_language(lang: Lang) {
    LANGUAGE.with(|l| l.set(lang));
}

fn language() -> Lang {
    LANGUAGE.with(Cell::get)
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// The request got no HTTP answer: the tablet is offline, the server is down or restarting.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error status. `error.message` is already in the request's
    /// language; it is empty when the body was not the contract's error body (a proxy's HTML page).
    #[error("{} ({status})", .error.message)]
    Api { status: u16, error: ApiError },
    /// The server answered successfully, but the body does not match the contract.
    #[error("unexpected response: {0}")]
    Unexpected(String),
}

impl FetchError {
    /// The API error kind, when the server answered with one.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            FetchError::Api { error, .. } => Some(error.error),
            FetchError::Network(_) | FetchError::Unexpected(_) => None,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        self.kind() == Some(ErrorKind::Unauthorized)
    }

    /// The server's message in the user's language, if there is a useful one.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            FetchError::Api { error, .. } if !error.message.trim().is_empty() => {
                Some(error.message.as_str())
            }
            _ => None,
        }
    }

    /// The field-level problems of a validation error.
    pub fn details(&self) -> &[mes_api_types::ErrorDetail] {
        match self {
            FetchError::Api { error, .. } => &error.details,
            FetchError::Network(_) | FetchError::Unexpected(_) => &[],
        }
    }
}

/// The error kind for a status when the body is not an error body.
fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        405 => ErrorKind::MethodNotAllowed,
        409 => ErrorKind::Conflict,
        413 => ErrorKind::PayloadTooLarge,
        415 => ErrorKind::UnsupportedMediaType,
        422 => ErrorKind::Unprocessable,
        429 => ErrorKind::RateLimited,
        502..=504 => ErrorKind::Unavailable,
        400..=499 => ErrorKind::BadRequest,
        _ => ErrorKind::Internal,
    }
}

/// One API request being built. Endpoint functions here and in the station's module use it.
#[must_use]
pub(crate) struct Call {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Result<String, String>>,
}

impl Call {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Call {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn get(path: impl Into<String>) -> Self {
        Call::new(Method::GET, path)
    }

    pub(crate) fn post(path: impl Into<String>) -> Self {
        Call::new(Method::POST, path)
    }

    pub(crate) fn put(path: impl Into<String>) -> Self {
        Call::new(Method::PUT, path)
    }

    pub(crate) fn patch(path: impl Into<String>) -> Self {
        Call::new(Method::PATCH, path)
    }

    pub(crate) fn delete(path: impl Into<String>) -> Self {
        Call::new(Method::DELETE, path)
    }

    /// Adds a query parameter; `None` and empty values are left out.
    pub(crate) fn query(mut self, key: &'static str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value.map(|v| v.to_string()).filter(|v| !v.is_empty()) {
            self.query.push((key, value));
        }
        self
    }

    pub(crate) fn json<B: Serialize>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_string(body).map_err(|e| e.to_string()));
        self
    }

    /// A body already serialised (the station's queued writes keep theirs as text).
    pub(crate) fn json_text(mut self, body: String) -> Self {
        self.body = Some(Ok(body));
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) async fn send(self) -> Result<Response, FetchError> {
        let mut builder = RequestBuilder::new(&self.path)
            .method(self.method)
            .credentials(RequestCredentials::SameOrigin)
            .header("Accept", "application/json")
            .header("Accept-Language", language().tag());
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        if !self.query.is_empty() {
            builder = builder.query(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let request = match self.body {
            Some(body) => {
                let body = body.map_err(FetchError::Unexpected)?;
                builder
                    .header("Content-Type", "application/json")
                    .body(body)
            }
            None => builder.build(),
        }
        .map_err(|e| FetchError::Unexpected(e.to_string()))?;
        let response = request
            .send()
            .await
            .map_err(|e| FetchError::Network(e.to_string()))?;
        if response.ok() {
            Ok(response)
        } else {
            Err(error_from(response).await)
        }
    }

    /// Sends and decodes a JSON answer.
    pub(crate) async fn fetch<T: DeserializeOwned>(self) -> Result<T, FetchError> {
        let response = self.send().await?;
        response
            .json::<T>()
            .await
            .map_err(|e| FetchError::Unexpected(e.to_string()))
    }

    /// Sends and ignores the answer's body (204 No Content).
    pub(crate) async fn execute(self) -> Result<(), FetchError> {
        self.send().await.map(drop)
    }
}

/// `POST`s a file as the raw request body (imports): the server reads the bytes as they come.
pub async fn upload<T: DeserializeOwned>(
    path: &str,
    content_type: &str,
    body: web_sys::Blob,
) -> Result<T, FetchError> {
    let request = RequestBuilder::new(path)
        .method(Method::POST)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json")
        .header("Accept-Language", language().tag())
        .header("Content-Type", content_type)
        .body(body)
        .map_err(|e| FetchError::Unexpected(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(error_from(response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|e| FetchError::Unexpected(e.to_string()))
}

async fn error_from(response: Response) -> FetchError {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let error = serde_json::from_str::<ApiError>(&body).unwrap_or_else(|_| ApiError {
        error: kind_for_status(status),
        message: String::new(),
        details: Vec::new(),
    });
    FetchError::Api { status, error }
}

// ---------------------------------------------------------------------------------------------
// System
// ---------------------------------------------------------------------------------------------

/// How long a health check may take before the server counts as unreachable: a hung server must
/// show as "offline" on the station and the board, not as fine.
const HEALTH_TIMEOUT_MS: u32 = 5_000;

/// `GET /healthz`. A degraded server answers 503 with the same body, which is still a health
/// report, not a failure of the call.
pub async fn health() -> Result<Health, FetchError> {
    let timeout = web_sys::AbortSignal::timeout_with_u32(HEALTH_TIMEOUT_MS);
    let request = RequestBuilder::new("/healthz")
        .abort_signal(Some(&timeout))
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json")
        .header("Accept-Language", language().tag())
        .build()
        .map_err(|e| FetchError::Unexpected(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    match serde_json::from_str::<Health>(&body) {
        Ok(health) => Ok(health),
        Err(_) if (200..300).contains(&status) => Err(FetchError::Unexpected(format!(
            "/healthz answered {status}"
        ))),
        Err(_) => Err(FetchError::Api {
            status,
            error: serde_json::from_str::<ApiError>(&body).unwrap_or(ApiError {
                error: kind_for_status(status),
                message: String::new(),
                details: Vec::new(),
            }),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Sign-in and the signed-in user
// ---------------------------------------------------------------------------------------------

/// `POST /api/v1/auth/login`: sets the session cookie.
pub async fn login(request: &LoginRequest) -> Result<Me, FetchError> {
    Call::post("/api/v1/auth/login").json(request).fetch().await
}

/// `POST /api/v1/auth/logout`.
pub async fn logout() -> Result<(), FetchError> {
    Call::post("/api/v1/auth/logout").execute().await
}

/// `GET /api/v1/auth/me`: 401 when no session.
pub async fn me() -> Result<Me, FetchError> {
    Call::get("/api/v1/auth/me").fetch().await
}

/// `PUT /api/v1/auth/me/preferences`.
pub async fn update_preferences(update: &PreferencesUpdate) -> Result<Me, FetchError> {
    Call::put("/api/v1/auth/me/preferences")
        .json(update)
        .fetch()
        .await
}

/// `POST /api/v1/auth/me/password`.
pub async fn change_password(change: &PasswordChange) -> Result<(), FetchError> {
    Call::post("/api/v1/auth/me/password")
        .json(change)
        .execute()
        .await
}

// ---------------------------------------------------------------------------------------------
// Users (admin)
// ---------------------------------------------------------------------------------------------

/// Filters and position of a user list page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserQuery {
    pub q: String,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub limit: u32,
    pub cursor: Option<String>,
}

/// `GET /api/v1/users`.
pub async fn list_users(query: &UserQuery) -> Result<Page<User>, FetchError> {
    Call::get("/api/v1/users")
        .query("limit", Some(query.limit))
        .query("cursor", query.cursor.as_ref())
        .query("q", Some(query.q.trim()))
        .query("role", query.role.map(Role::as_str))
        .query("active", query.active)
        .fetch()
        .await
}

/// `POST /api/v1/users`.
pub async fn create_user(user: &NewUser) -> Result<User, FetchError> {
    Call::post("/api/v1/users").json(user).fetch().await
}

/// `GET /api/v1/users/{id}`.
pub async fn get_user(id: UserId) -> Result<User, FetchError> {
    Call::get(format!("/api/v1/users/{id}")).fetch().await
}

/// `PATCH /api/v1/users/{id}`: absent fields stay as they are; `{"active": false}` disables.
pub async fn update_user(id: UserId, update: &UserUpdate) -> Result<User, FetchError> {
    Call::patch(format!("/api/v1/users/{id}"))
        .json(update)
        .fetch()
        .await
}

// ---------------------------------------------------------------------------------------------
// Audit trail (admin)
// ---------------------------------------------------------------------------------------------

/// Filters and position of an audit page. `from`/`to` are RFC 3339.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    pub entity: String,
    pub entity_id: String,
    pub actor: String,
    pub action: Option<AuditAction>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: u32,
    pub cursor: Option<String>,
}

/// `GET /api/v1/audit`.
pub async fn list_audit(query: &AuditQuery) -> Result<Page<AuditEntry>, FetchError> {
    Call::get("/api/v1/audit")
        .query("entity", Some(query.entity.trim()))
        .query("entity_id", Some(query.entity_id.trim()))
        .query("actor", Some(query.actor.trim()))
        .query("action", query.action.map(AuditAction::as_str))
        .query("from", query.from.as_ref())
        .query("to", query.to.as_ref())
        .query("limit", Some(query.limit))
        .query("cursor", query.cursor.as_ref())
        .fetch()
        .await
}

// ---------------------------------------------------------------------------------------------
// Work orders
// ---------------------------------------------------------------------------------------------

/// Filters, sort and position of a work-order list page. Dates are RFC 3339 instants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkOrderQuery {
    pub statuses: Vec<WorkOrderStatus>,
    pub product_id: Option<ProductId>,
    pub q: String,
    pub due_from: Option<String>,
    pub due_to: Option<String>,
    pub late: bool,
    pub sort: WorkOrderSort,
    pub dir: SortDir,
    pub limit: u32,
    pub cursor: Option<String>,
}

impl WorkOrderQuery {
    /// The filter as query parameters (no paging): shared by the list and the export links.
    pub fn filter_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if !self.statuses.is_empty() {
            let statuses: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
            params.push(("status", statuses.join(",")));
        }
        if let Some(product) = self.product_id {
            params.push(("product_id", product.to_string()));
        }
        if !self.q.trim().is_empty() {
            params.push(("q", self.q.trim().to_owned()));
        }
        if let Some(from) = &self.due_from {
            params.push(("due_from", from.clone()));
        }
        if let Some(to) = &self.due_to {
            params.push(("due_to", to.clone()));
        }
        if self.late {
            params.push(("late", "true".to_owned()));
        }
        params.push(("sort", self.sort.as_str().to_owned()));
        params.push(("dir", self.dir.as_str().to_owned()));
        params
    }
}

/// `GET /api/v1/work-orders`: the server filters, sorts and pages (keyset), so a page costs the
/// same at 100 or 100,000 orders.
pub async fn list_work_orders(query: &WorkOrderQuery) -> Result<Page<WorkOrder>, FetchError> {
    let mut call = Call::get("/api/v1/work-orders");
    call.query.extend(query.filter_params());
    call.query("limit", Some(query.limit))
        .query("cursor", query.cursor.as_ref())
        .fetch()
        .await
}

/// `GET /api/v1/work-orders/{id}`.
pub async fn get_work_order(id: WorkOrderId) -> Result<WorkOrderDetail, FetchError> {
    Call::get(format!("/api/v1/work-orders/{id}")).fetch().await
}

/// `POST /api/v1/work-orders`.
pub async fn create_work_order(order: &NewWorkOrder) -> Result<WorkOrderDetail, FetchError> {
    Call::post("/api/v1/work-orders").json(order).fetch().await
}

/// `PATCH /api/v1/work-orders/{id}`.
pub async fn update_work_order(
    id: WorkOrderId,
    update: &WorkOrderUpdate,
) -> Result<WorkOrderDetail, FetchError> {
    Call::patch(format!("/api/v1/work-orders/{id}"))
        .json(update)
        .fetch()
        .await
}

/// `POST /api/v1/work-orders/{id}/{action}`: a 409 says why the order's state does not allow it.
pub async fn transition_work_order(
    id: WorkOrderId,
    action: WorkOrderAction,
    request: &TransitionRequest,
) -> Result<WorkOrderDetail, FetchError> {
    Call::post(format!("/api/v1/work-orders/{id}/{}", action.as_str()))
        .json(request)
        .fetch()
        .await
}

/// `POST /api/v1/work-orders/{id}/split`: answers the new order.
pub async fn split_work_order(
    id: WorkOrderId,
    request: &SplitRequest,
) -> Result<WorkOrderDetail, FetchError> {
    Call::post(format!("/api/v1/work-orders/{id}/split"))
        .json(request)
        .fetch()
        .await
}

// ---------------------------------------------------------------------------------------------
// Master data: plant model
// ---------------------------------------------------------------------------------------------

/// Search and position of a master-data list page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    pub q: String,
    pub limit: u32,
    pub cursor: Option<String>,
}

/// `GET /api/v1/work-centers`.
pub async fn list_work_centers(query: &ListQuery) -> Result<Page<WorkCenter>, FetchError> {
    list("/api/v1/work-centers", query).fetch().await
}

fn list(path: &'static str, query: &ListQuery) -> Call {
    Call::get(path)
        .query("q", Some(query.q.trim()))
        .query("limit", Some(query.limit))
        .query("cursor", query.cursor.as_ref())
}

/// `POST /api/v1/work-centers` or `PUT /api/v1/work-centers/{id}`.
pub async fn save_work_center(
    id: Option<WorkCenterId>,
    input: &WorkCenterInput,
) -> Result<WorkCenter, FetchError> {
    save("/api/v1/work-centers", id.map(|i| i.0))
        .json(input)
        .fetch()
        .await
}

fn save(path: &'static str, id: Option<i64>) -> Call {
    match id {
        Some(id) => Call::put(format!("{path}/{id}")),
        None => Call::post(path),
    }
}

/// `GET /api/v1/machines`.
pub async fn list_machines(
    query: &ListQuery,
    work_center: Option<WorkCenterId>,
    status: Option<MachineStatus>,
) -> Result<Page<Machine>, FetchError> {
    list("/api/v1/machines", query)
        .query("work_center_id", work_center)
        .query("status", status.map(MachineStatus::as_str))
        .fetch()
        .await
}

/// `POST /api/v1/machines` or `PUT /api/v1/machines/{id}`.
pub async fn save_machine(
    id: Option<MachineId>,
    input: &MachineInput,
) -> Result<Machine, FetchError> {
    save("/api/v1/machines", id.map(|i| i.0))
        .json(input)
        .fetch()
        .await
}

/// `GET /api/v1/stations`.
pub async fn list_stations(query: &ListQuery) -> Result<Page<Station>, FetchError> {
    list("/api/v1/stations", query).fetch().await
}

/// `POST /api/v1/stations` or `PUT /api/v1/stations/{id}`.
pub async fn save_station(
    id: Option<StationId>,
    input: &StationInput,
) -> Result<Station, FetchError> {
    save("/api/v1/stations", id.map(|i| i.0))
        .json(input)
        .fetch()
        .await
}

/// `GET /api/v1/calendars`.
pub async fn list_calendars(query: &ListQuery) -> Result<Page<Calendar>, FetchError> {
    list("/api/v1/calendars", query).fetch().await
}

/// `POST /api/v1/calendars` or `PUT /api/v1/calendars/{id}`.
pub async fn save_calendar(
    id: Option<CalendarId>,
    input: &CalendarInput,
) -> Result<Calendar, FetchError> {
    save("/api/v1/calendars", id.map(|i| i.0))
        .json(input)
        .fetch()
        .await
}

/// The two configurable reason lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonList {
    Defect,
    Downtime,
}

impl ReasonList {
    fn path(self) -> &'static str {
        match self {
            ReasonList::Defect => "/api/v1/defect-reasons",
            ReasonList::Downtime => "/api/v1/downtime-reasons",
        }
    }
}

/// `GET /api/v1/defect-reasons` or `/api/v1/downtime-reasons`.
pub async fn list_reasons(
    list_kind: ReasonList,
    query: &ListQuery,
) -> Result<Page<Reason>, FetchError> {
    list(list_kind.path(), query).fetch().await
}

/// Creates or replaces a reason of either list.
pub async fn save_reason(
    list_kind: ReasonList,
    id: Option<ReasonId>,
    input: &ReasonInput,
) -> Result<Reason, FetchError> {
    save(list_kind.path(), id.map(|i| i.0))
        .json(input)
        .fetch()
        .await
}

// ---------------------------------------------------------------------------------------------
// Master data: products, BOMs, routings
// ---------------------------------------------------------------------------------------------

/// `GET /api/v1/products`.
pub async fn list_products(
    query: &ListQuery,
    kind: Option<ProductKind>,
) -> Result<Page<Product>, FetchError> {
    list("/api/v1/products", query)
        .query("kind", kind.map(ProductKind::as_str))
        .fetch()
        .await
}

/// `GET /api/v1/products/{id}`.
pub async fn get_product(id: ProductId) -> Result<Product, FetchError> {
    Call::get(format!("/api/v1/products/{id}")).fetch().await
}

/// `POST /api/v1/products` or `PUT /api/v1/products/{id}`.
pub async fn save_product(
    id: Option<ProductId>,
    input: &ProductInput,
) -> Result<Product, FetchError> {
    save("/api/v1/products", id.map(|i| i.0))
        .json(input)
        .fetch()
        .await
}

/// `GET /api/v1/products/{id}/bom-tree?quantity=`: the active BOMs exploded over every level.
pub async fn bom_tree(id: ProductId, quantity: f64) -> Result<BomNode, FetchError> {
    Call::get(format!("/api/v1/products/{id}/bom-tree"))
        .query("quantity", Some(quantity))
        .fetch()
        .await
}

/// Which versioned document of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versioned {
    Bom,
    Routing,
}

impl Versioned {
    fn path(self) -> &'static str {
        match self {
            Versioned::Bom => "/api/v1/boms",
            Versioned::Routing => "/api/v1/routings",
        }
    }
}

/// `GET /api/v1/boms?product_id=`: every version, newest first.
pub async fn list_boms(product: ProductId) -> Result<Page<Bom>, FetchError> {
    Call::get(Versioned::Bom.path())
        .query("product_id", Some(product))
        .query("limit", Some(100))
        .fetch()
        .await
}

/// `GET /api/v1/routings?product_id=`: every version, newest first.
pub async fn list_routings(
    product: ProductId,
    status: Option<VersionStatus>,
) -> Result<Page<Routing>, FetchError> {
    Call::get(Versioned::Routing.path())
        .query("product_id", Some(product))
        .query("status", status.map(VersionStatus::as_str))
        .query("limit", Some(100))
        .fetch()
        .await
}

/// `POST /api/v1/boms` (new draft version) or `PUT /api/v1/boms/{id}` (replace a draft).
pub async fn save_bom(id: Option<BomId>, input: &BomInput) -> Result<Bom, FetchError> {
    save(Versioned::Bom.path(), id.map(|i| i.0))
        .json(input)
        .fetch()
        .await
}

/// `POST /api/v1/routings` (new draft version) or `PUT /api/v1/routings/{id}` (replace a draft).
pub async fn save_routing(
    id: Option<RoutingId>,
    input: &RoutingInput,
) -> Result<Routing, FetchError> {
    save(Versioned::Routing.path(), id.map(|i| i.0))
        .json(input)
        .fetch()
        .await
}

/// `POST /api/v1/{boms|routings}/{id}/activate`: makes the draft current, archives the old one.
pub async fn activate_version(kind: Versioned, id: i64) -> Result<(), FetchError> {
    Call::post(format!("{}/{id}/activate", kind.path()))
        .execute()
        .await
}

/// `POST /api/v1/{boms|routings}/{id}/copy`: a new draft from any version.
pub async fn copy_version(kind: Versioned, id: i64) -> Result<(), FetchError> {
    Call::post(format!("{}/{id}/copy", kind.path()))
        .execute()
        .await
}

/// `DELETE /api/v1/{boms|routings}/{id}`: drafts only.
pub async fn delete_version(kind: Versioned, id: i64) -> Result<(), FetchError> {
    Call::delete(format!("{}/{id}", kind.path()))
        .execute()
        .await
}

// ---------------------------------------------------------------------------------------------
// Import jobs (files are sent by the import dialog itself: multipart is not JSON)
// ---------------------------------------------------------------------------------------------

/// `GET /api/v1/import/jobs/{id}`.
pub async fn import_job(id: &str) -> Result<ImportJob, FetchError> {
    Call::get(format!(
        "/api/v1/import/jobs/{}",
        crate::util::encode_uri_component(id)
    ))
    .fetch()
    .await
}
