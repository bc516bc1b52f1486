//! The plant model (work centres, machines, stations, shift calendars, reason lists) and product
//! master data (products, versioned BOMs and routings, attachments).
//!
//! Durations are minutes; quantities are in the product's unit. Times of day are `"HH:MM"` in
//! plant time. Inputs are full documents: `POST` creates, `PUT` replaces.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MachineStatus {
    Idle,
    Running,
    Setup,
    Down,
    Maintenance,
    Offline,
}

impl MachineStatus {
    pub const ALL: [MachineStatus; 6] = [
        MachineStatus::Idle,
        MachineStatus::Running,
        MachineStatus::Setup,
        MachineStatus::Down,
        MachineStatus::Maintenance,
        MachineStatus::Offline,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MachineStatus::Idle => "idle",
            MachineStatus::Running => "running",
            MachineStatus::Setup => "setup",
            MachineStatus::Down => "down",
            MachineStatus::Maintenance => "maintenance",
            MachineStatus::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<MachineStatus> {
        MachineStatus::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Raw material (bought), semi-finished (made, goes into other products), finished (sold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    Raw,
    Semi,
    Finished,
}

impl ProductKind {
    pub const ALL: [ProductKind; 3] = [ProductKind::Raw, ProductKind::Semi, ProductKind::Finished];

    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::Raw => "raw",
            ProductKind::Semi => "semi",
            ProductKind::Finished => "finished",
        }
    }

    pub fn parse(s: &str) -> Option<ProductKind> {
        ProductKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A BOM or routing version: drafts are edited; activating one makes it current and archives the
/// previous active version; active and archived versions never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Draft,
    Active,
    Archived,
}

impl VersionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Draft => "draft",
            VersionStatus::Active => "active",
            VersionStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<VersionStatus> {
        [
            VersionStatus::Draft,
            VersionStatus::Active,
            VersionStatus::Archived,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

// ---- Calendars ----

/// A shift on some weekdays (1 = Monday … 7 = Sunday). `end` before `start` means the shift ends
/// the next day (a night shift 22:00–06:00 belongs to the day it starts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Shift {
    pub name: String,
    pub weekdays: Vec<u8>,
    /// `"HH:MM"`.
    pub start: String,
    /// `"HH:MM"`.
    pub end: String,
    /// Unpaid breaks inside the shift.
    #[serde(default)]
    pub breaks: Vec<TimeRange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    /// `"HH:MM"`.
    pub start: String,
    /// `"HH:MM"`.
    pub end: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CalendarExceptionKind {
    /// No work that day.
    Holiday,
    /// Extra working time that day (`start`–`end`).
    Overtime,
    /// No work from `start` to `end` that day.
    Shutdown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarException {
    pub day: NaiveDate,
    pub kind: CalendarExceptionKind,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Calendar {
    pub id: CalendarId,
    pub code: String,
    pub name: String,
    pub description: String,
    pub shifts: Vec<Shift>,
    pub exceptions: Vec<CalendarException>,
    /// Planned working hours in an ordinary week (shifts minus breaks).
    pub weekly_hours: f64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub shifts: Vec<Shift>,
    #[serde(default)]
    pub exceptions: Vec<CalendarException>,
}

/// One working interval, as calendars resolve for a machine (`GET …/working-time`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkingInterval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The shift it belongs to, or `overtime`; `always` when the machine has no calendar at all
    /// (neither its own nor its work centre's) and so is available the whole range.
    pub shift: String,
}

// ---- Plant model ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkCenter {
    pub id: WorkCenterId,
    pub code: String,
    pub name: String,
    pub description: String,
    pub calendar_id: Option<CalendarId>,
    pub calendar_code: Option<String>,
    pub active: bool,
    pub machine_count: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkCenterInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub calendar_id: Option<CalendarId>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Machine {
    pub id: MachineId,
    pub code: String,
    pub name: String,
    pub work_center_id: WorkCenterId,
    pub work_center_code: String,
    pub kind: String,
    pub status: MachineStatus,
    /// The machine's own calendar; `None` means its work centre's.
    pub calendar_id: Option<CalendarId>,
    pub calendar_code: Option<String>,
    pub description: String,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MachineInput {
    pub code: String,
    pub name: String,
    pub work_center_id: WorkCenterId,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub calendar_id: Option<CalendarId>,
    #[serde(default)]
    pub description: String,
    #[serde(default = "yes")]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Station {
    pub id: StationId,
    pub code: String,
    pub name: String,
    /// Bound to exactly one of a machine or a work centre.
    pub machine_id: Option<MachineId>,
    pub machine_code: Option<String>,
    pub work_center_id: Option<WorkCenterId>,
    pub work_center_code: Option<String>,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StationInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub machine_id: Option<MachineId>,
    #[serde(default)]
    pub work_center_id: Option<WorkCenterId>,
    #[serde(default = "yes")]
    pub active: bool,
}

/// A defect reason (for scrap and rework) or a downtime reason, named in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    pub id: ReasonId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Downtime reasons only: planned stops (changeover, planned maintenance) count apart in OEE.
    pub planned: bool,
    pub active: bool,
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(default)]
    pub planned: bool,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub position: i32,
}

// ---- Products, BOMs, routings ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: ProductId,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: ProductKind,
    pub description: String,
    pub active: bool,
    /// Version of the active BOM / routing, if any.
    pub active_bom_version: Option<i32>,
    pub active_routing_version: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    pub code: String,
    pub name: String,
    #[serde(default = "pcs")]
    pub unit: String,
    pub kind: ProductKind,
    #[serde(default)]
    pub description: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn pcs() -> String {
    "pcs".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BomLine {
    pub position: i32,
    pub component_id: ProductId,
    pub component_code: String,
    pub component_name: String,
    pub unit: String,
    pub quantity_per: f64,
    /// Expected loss, 0 ≤ f < 1: requirement = quantity × quantity_per / (1 − f).
    pub scrap_factor: f64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bom {
    pub id: BomId,
    pub product_id: ProductId,
    pub product_code: String,
    pub version: i32,
    pub status: VersionStatus,
    pub note: String,
    pub lines: Vec<BomLine>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BomLineInput {
    pub component_id: ProductId,
    pub quantity_per: f64,
    #[serde(default)]
    pub scrap_factor: f64,
    #[serde(default)]
    pub note: String,
}

/// Creates a new draft version (`POST /boms`) or replaces a draft (`PUT /boms/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BomInput {
    pub product_id: ProductId,
    #[serde(default)]
    pub note: String,
    pub lines: Vec<BomLineInput>,
}

/// A multi-level explosion of a product's active BOMs for a quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BomNode {
    pub product_id: ProductId,
    pub product_code: String,
    pub product_name: String,
    pub kind: ProductKind,
    pub unit: String,
    /// Required quantity for the requested top quantity, scrap included.
    pub quantity: f64,
    pub bom_version: Option<i32>,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<BomNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EligibleMachine {
    pub machine_id: MachineId,
    pub machine_code: String,
    /// This machine's run time per unit (the operation's when it has none of its own).
    pub run_minutes_per_unit: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: AttachmentId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoutingOperation {
    pub id: RoutingOperationId,
    pub seq: i32,
    pub name: String,
    pub work_center_id: WorkCenterId,
    pub work_center_code: String,
    pub setup_minutes: f64,
    pub run_minutes_per_unit: f64,
    pub queue_minutes: f64,
    pub transfer_minutes: f64,
    pub inspection_required: bool,
    pub instruction: String,
    /// Pay per good unit (计件单价); `None`: not paid by the piece.
    pub piece_rate: Option<f64>,
    /// Empty: any machine of the work centre.
    pub machines: Vec<EligibleMachine>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Routing {
    pub id: RoutingId,
    pub product_id: ProductId,
    pub product_code: String,
    pub version: i32,
    pub status: VersionStatus,
    pub note: String,
    pub operations: Vec<RoutingOperation>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EligibleMachineInput {
    pub machine_id: MachineId,
    /// Leave out to use the operation's run time.
    #[serde(default)]
    pub run_minutes_per_unit: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoutingOperationInput {
    pub seq: i32,
    pub name: String,
    pub work_center_id: WorkCenterId,
    #[serde(default)]
    pub setup_minutes: f64,
    #[serde(default)]
    pub run_minutes_per_unit: f64,
    #[serde(default)]
    pub queue_minutes: f64,
    #[serde(default)]
    pub transfer_minutes: f64,
    #[serde(default)]
    pub inspection_required: bool,
    #[serde(default)]
    pub instruction: String,
    /// Pay per good unit (计件单价); leave out when not paid by the piece.
    #[serde(default)]
    pub piece_rate: Option<f64>,
    #[serde(default)]
    pub machines: Vec<EligibleMachineInput>,
}

/// Creates a new draft version (`POST /routings`) or replaces a draft (`PUT /routings/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoutingInput {
    pub product_id: ProductId,
    #[serde(default)]
    pub note: String,
    pub operations: Vec<RoutingOperationInput>,
}

/// Work-order numbering and other plant-wide settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkOrderSettings {
    /// Prefix of generated work-order numbers, e.g. `WO-` gives `WO-000042`.
    pub number_prefix: String,
}
