//! Station reporting (报工): the operators' tablet. Sign-in of several operators on one station
//! session, the machine's queue, scanning, the operation actions (start, pause, resume, report,
//! complete), andon calls and the piece-rate report.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    auth::Role,
    ids::*,
    master_data::{Attachment, MachineStatus},
    work_orders::{OperationStatus, WorkOrderOperation, WorkOrderStatus},
};

// ---- Sign-in and session ----

/// Sign an operator in at a station: a scanned badge, or the user name, with the PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StationSignIn {
    #[serde(default)]
    pub badge: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    pub pin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationOperator {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub signed_in_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationMachine {
    pub id: MachineId,
    pub code: String,
    pub name: String,
    pub status: MachineStatus,
}

/// The tablet's session at a station: where it is and who is signed in (first = default actor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationSession {
    pub station_id: StationId,
    pub station_code: String,
    pub station_name: String,
    pub work_center_id: Option<WorkCenterId>,
    /// The station's machine, or the active machines of its work centre.
    pub machines: Vec<StationMachine>,
    pub operators: Vec<StationOperator>,
    pub started_at: DateTime<Utc>,
}

// ---- Queue, scan, operation view ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    Setup,
    Run,
    Paused,
}

impl PhaseKind {
    pub const ALL: [PhaseKind; 3] = [PhaseKind::Setup, PhaseKind::Run, PhaseKind::Paused];

    pub fn as_str(self) -> &'static str {
        match self {
            PhaseKind::Setup => "setup",
            PhaseKind::Run => "run",
            PhaseKind::Paused => "paused",
        }
    }

    pub fn parse(s: &str) -> Option<PhaseKind> {
        PhaseKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What an operation is doing now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentPhase {
    pub id: OperationPhaseId,
    pub kind: PhaseKind,
    pub machine_id: MachineId,
    pub machine_code: String,
    pub started_at: DateTime<Utc>,
    /// Set while paused.
    pub downtime_reason_id: Option<ReasonId>,
    pub note: String,
}

/// One line of a station's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub operation_id: WorkOrderOperationId,
    pub work_order_id: WorkOrderId,
    pub work_order_number: String,
    pub work_order_status: WorkOrderStatus,
    pub product_id: ProductId,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    pub seq: i32,
    pub name: String,
    pub status: OperationStatus,
    /// The order quantity.
    pub qty_planned: f64,
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub qty_rework: f64,
    pub qty_remaining: f64,
    /// What the previous operation has passed on and this one has not finished yet.
    pub qty_available: f64,
    pub phase: Option<CurrentPhase>,
    pub has_instruction: bool,
    pub due_at: DateTime<Utc>,
    /// 1 (rush) … 5 (low).
    pub priority: i32,
    /// What the scanner reads for it (`OP:<number>:<seq>`).
    pub scan_code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScanKind {
    WorkOrder,
    Operation,
    Machine,
    Station,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScanQuery {
    /// What the scanner typed: `WO:<number>`, `OP:<number>:<seq>`, `M:<machine>`,
    /// `ST:<station>` or a bare order number.
    pub code: String,
    /// The station scanning, to pick the operation of an order that runs there.
    #[serde(default)]
    pub station: Option<String>,
}

/// A resolved scan. For an order, `operation_id` is the operation to open at this station (the
/// first open one that can run there, else the first open one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanResult {
    pub kind: ScanKind,
    pub code: String,
    pub work_order_id: Option<WorkOrderId>,
    pub work_order_number: Option<String>,
    pub operation_id: Option<WorkOrderOperationId>,
    pub machine_id: Option<MachineId>,
    pub station_id: Option<StationId>,
    pub station_code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StationAction {
    StartSetup,
    StartRun,
    Pause,
    Resume,
    Report,
    Complete,
}

/// An operation as the tablet shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperationView {
    pub work_order_id: WorkOrderId,
    pub work_order_number: String,
    pub work_order_status: WorkOrderStatus,
    pub product_id: ProductId,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    pub order_quantity: f64,
    pub due_at: DateTime<Utc>,
    pub priority: i32,
    /// Quantities, instruction text and work-instruction files (links: `/api/v1/attachments/{id}`).
    pub operation: WorkOrderOperation,
    pub phase: Option<CurrentPhase>,
    /// Drawings and other files of the product.
    pub product_attachments: Vec<Attachment>,
    /// What the operation's state allows now.
    pub allowed_actions: Vec<StationAction>,
}

// ---- Actions ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    pub machine_id: MachineId,
    /// `setup` or `run`.
    pub phase: PhaseKind,
    /// The operator acting (signed in at the station); default the first signed in.
    #[serde(default)]
    pub operator_id: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PauseRequest {
    pub downtime_reason_id: ReasonId,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub operator_id: Option<UserId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResumeRequest {
    #[serde(default)]
    pub operator_id: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DefectQuantity {
    pub reason_id: ReasonId,
    pub quantity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    #[serde(default)]
    pub good: f64,
    /// Scrap by defect reason.
    #[serde(default)]
    pub scrap: Vec<DefectQuantity>,
    /// Rework by defect reason.
    #[serde(default)]
    pub rework: Vec<DefectQuantity>,
    /// A supervisor lets the report exceed what the previous operation has passed on.
    #[serde(default, rename = "override")]
    pub supervisor_override: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub operator_id: Option<UserId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// A supervisor completes the operation short (quantity still open).
    #[serde(default, rename = "override")]
    pub supervisor_override: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub operator_id: Option<UserId>,
}

/// Something done but worth a look (an over-run): `code` for programs, `message` for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    pub code: String,
    pub message: String,
}

/// The state of an operation after an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionResult {
    pub operation_id: WorkOrderOperationId,
    pub work_order_id: WorkOrderId,
    pub status: OperationStatus,
    pub phase: Option<CurrentPhase>,
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub qty_rework: f64,
    pub qty_available: f64,
    pub qty_remaining: f64,
    pub work_order_status: WorkOrderStatus,
    /// The report made, for `/report`.
    pub report_id: Option<ProductionReportId>,
    pub warnings: Vec<Warning>,
}

// ---- Andon ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AndonKind {
    Maintenance,
    Quality,
    Material,
    Supervisor,
}

impl AndonKind {
    pub const ALL: [AndonKind; 4] = [
        AndonKind::Maintenance,
        AndonKind::Quality,
        AndonKind::Material,
        AndonKind::Supervisor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AndonKind::Maintenance => "maintenance",
            AndonKind::Quality => "quality",
            AndonKind::Material => "material",
            AndonKind::Supervisor => "supervisor",
        }
    }

    pub fn parse(s: &str) -> Option<AndonKind> {
        AndonKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AndonStatus {
    Open,
    Acknowledged,
    Resolved,
}

impl AndonStatus {
    pub const ALL: [AndonStatus; 3] = [
        AndonStatus::Open,
        AndonStatus::Acknowledged,
        AndonStatus::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AndonStatus::Open => "open",
            AndonStatus::Acknowledged => "acknowledged",
            AndonStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<AndonStatus> {
        AndonStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Raise an andon call at a machine, or at a station (its machine when it has one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAndonCall {
    #[serde(default)]
    pub machine_id: Option<MachineId>,
    #[serde(default)]
    pub station: Option<String>,
    pub kind: AndonKind,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub operator_id: Option<UserId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AndonUpdate {
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AndonQuery {
    #[serde(default)]
    pub status: Option<AndonStatus>,
    #[serde(default)]
    pub machine_id: Option<MachineId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AndonCall {
    pub id: AndonCallId,
    pub kind: AndonKind,
    pub status: AndonStatus,
    pub machine_id: Option<MachineId>,
    pub machine_code: Option<String>,
    pub station_id: Option<StationId>,
    pub station_code: Option<String>,
    pub note: String,
    pub raised_by: Option<String>,
    pub raised_at: DateTime<Utc>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution_note: String,
    /// Seconds from raised to acknowledged.
    pub response_seconds: Option<i64>,
    /// Seconds from raised to resolved.
    pub resolution_seconds: Option<i64>,
}

/// An unanswered andon call as the wall board shows it: no names, no notes (the board is public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardAndonCall {
    pub id: AndonCallId,
    pub kind: AndonKind,
    pub status: AndonStatus,
    pub machine_code: Option<String>,
    pub station_code: Option<String>,
    pub raised_at: DateTime<Utc>,
}

// ---- Piece rate ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportPeriod {
    #[default]
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    #[default]
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PieceRateQuery {
    /// First day (inclusive), in the plant's time zone.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    #[serde(default)]
    pub period: ReportPeriod,
    #[serde(default)]
    pub user_id: Option<UserId>,
    #[serde(default)]
    pub format: ReportFormat,
}

/// One operation's good quantity in a period and what it pays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PieceRateLine {
    pub operation_id: WorkOrderOperationId,
    pub work_order_number: String,
    pub seq: i32,
    pub operation_name: String,
    pub product_code: String,
    pub good: f64,
    pub piece_rate: Option<f64>,
    pub amount: f64,
}

/// One operator in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PieceRateRow {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    /// First day of the period (Monday for weeks, the 1st for months).
    pub period_start: NaiveDate,
    pub good: f64,
    pub amount: f64,
    /// Labour hours (setup and run) from the labour entries.
    pub hours: f64,
    pub lines: Vec<PieceRateLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PieceRateReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub period: ReportPeriod,
    pub rows: Vec<PieceRateRow>,
    pub total_amount: f64,
}
