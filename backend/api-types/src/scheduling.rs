//! Scheduling: solver runs and the plans they produce (versioned; the planner compares and
//! publishes), dispatch lists per machine, pins, settings, delivery forecast (交期) and load
//! (负荷). Gantt charts are SVG images (`GET /api/v1/schedule/plans/{id}/gantt.svg`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ids::*, work_orders::WorkOrderStatus};

/// running → proposed → published → superseded; failed or cancelled on the side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Running,
    Proposed,
    Published,
    Superseded,
    Failed,
    Cancelled,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 6] = [
        PlanStatus::Running,
        PlanStatus::Proposed,
        PlanStatus::Published,
        PlanStatus::Superseded,
        PlanStatus::Failed,
        PlanStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Running => "running",
            PlanStatus::Proposed => "proposed",
            PlanStatus::Published => "published",
            PlanStatus::Superseded => "superseded",
            PlanStatus::Failed => "failed",
            PlanStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PlanStatus> {
        PlanStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// `full`: a solver run over all open work; `replan`: the published plan repaired after
/// shop-floor events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    Full,
    Replan,
}

impl PlanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Full => "full",
            PlanKind::Replan => "replan",
        }
    }

    pub fn parse(s: &str) -> Option<PlanKind> {
        [PlanKind::Full, PlanKind::Replan]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// `POST /api/v1/schedule/runs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartRun {
    /// Search time, 100–600000 ms; the settings' default when absent.
    #[serde(default)]
    pub time_limit_ms: Option<u64>,
}

/// Figures that make one plan better than another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanKpis {
    /// Open orders that finish after their due date.
    pub late_orders: i32,
    /// Sum over orders of minutes late × priority weight (rush 16, high 8, normal 4, low 2, lowest 1).
    pub total_weighted_tardiness_minutes: i64,
    /// When the last planned operation ends.
    pub makespan_end: Option<DateTime<Utc>>,
    /// Operations whose machine or start differ from the plan published when this one was made.
    pub moved_operations: i32,
    pub solver_iterations: i64,
}

/// A running plan's live progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunProgress {
    pub iterations: u64,
    pub improvements: u64,
    /// Best plan so far: weighted tardiness (minutes × weight) and the end of the last operation.
    pub best_weighted_tardiness_minutes: Option<i64>,
    pub best_makespan_end: Option<DateTime<Utc>>,
    pub elapsed_ms: u64,
}

/// One plan version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanSummary {
    pub id: i64,
    pub version: i32,
    pub status: PlanStatus,
    pub kind: PlanKind,
    /// manual, demo, machine_down, machine_up, rush_order, operation_started,
    /// operation_completed, scrap.
    pub trigger: String,
    /// What caused it, readable (e.g. the machine that went down).
    pub reason: String,
    /// Time 0 of the run: nothing new was planned before it.
    pub origin: DateTime<Utc>,
    pub time_limit_ms: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// Why a failed run failed.
    pub error: Option<String>,
    /// Once the run has finished.
    pub kpis: Option<PlanKpis>,
    /// While the run works.
    pub progress: Option<RunProgress>,
}

/// `202 Accepted` answer to starting a run: poll `GET /api/v1/schedule/runs/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunStarted {
    pub id: i64,
    pub version: i32,
}

/// One operation in a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedOperation {
    pub operation_id: WorkOrderOperationId,
    pub work_order_id: WorkOrderId,
    pub work_order_number: String,
    pub seq: i32,
    pub name: String,
    pub machine_id: MachineId,
    pub machine_code: String,
    pub setup_start: DateTime<Utc>,
    pub run_start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The order finishes after its due date in this plan.
    pub late: bool,
    /// Started or pinned: the solver did not place it.
    pub frozen: bool,
}

/// One operation that moved against the plan published before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanMove {
    pub operation_id: WorkOrderOperationId,
    pub work_order_number: String,
    pub seq: i32,
    pub from_machine_id: Option<MachineId>,
    pub from_start: Option<DateTime<Utc>>,
    pub to_machine_id: MachineId,
    pub to_start: DateTime<Utc>,
    /// machine_down, machine_up, rush_order, operation_progress, new_work, reoptimised.
    pub reason: String,
}

/// A plan with its operations (machine, then start order) and moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDetail {
    pub plan: PlanSummary,
    pub operations: Vec<PlannedOperation>,
    pub moves: Vec<PlanMove>,
}

/// `GET /api/v1/schedule/plans/{id}/compare`: this plan against the published one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanComparison {
    pub plan_id: i64,
    pub kpis: PlanKpis,
    /// None when nothing is published yet.
    pub published_plan_id: Option<i64>,
    pub published_kpis: Option<PlanKpis>,
    /// Operations of this plan on another machine or at another start than in the published one.
    pub moved_operations: i32,
    /// This plan minus the published one (negative is better).
    pub late_orders_delta: Option<i32>,
    pub weighted_tardiness_delta_minutes: Option<i64>,
    pub makespan_delta_minutes: Option<i64>,
}

/// One line of a machine's dispatch list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchEntry {
    pub operation_id: WorkOrderOperationId,
    pub work_order_id: WorkOrderId,
    pub work_order_number: String,
    pub work_order_status: WorkOrderStatus,
    pub product_code: String,
    pub product_name: String,
    pub seq: i32,
    pub name: String,
    /// pending, in_progress, paused.
    pub operation_status: String,
    pub quantity: f64,
    pub qty_good: f64,
    pub priority: i32,
    pub due_at: DateTime<Utc>,
    /// From the published plan; absent without one.
    pub planned_start: Option<DateTime<Utc>>,
    pub planned_end: Option<DateTime<Utc>>,
    pub late: bool,
}

/// `GET /api/v1/machines/{id}/dispatch-list`: what the machine should run next, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchList {
    pub machine_id: MachineId,
    /// The published plan the sequence follows; `None`: released operations by priority and
    /// due date (nothing published yet).
    pub plan_id: Option<i64>,
    pub entries: Vec<DispatchEntry>,
}

/// The planner fixes an operation to a machine and start; later runs keep it there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pin {
    pub id: i64,
    pub operation_id: WorkOrderOperationId,
    pub work_order_number: String,
    pub seq: i32,
    pub machine_id: MachineId,
    pub start: DateTime<Utc>,
    pub pinned_by: String,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/schedule/pins` (an existing pin of the operation is replaced).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPin {
    pub operation_id: WorkOrderOperationId,
    /// One of the operation's eligible machines.
    pub machine_id: MachineId,
    pub start: DateTime<Utc>,
}

/// How scheduling behaves in this plant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleSettings {
    /// Shop-floor events repair and publish the plan at once; off: the repair is proposed.
    pub auto_replan: bool,
    /// Operations due to start within this many minutes are moved only when they must.
    pub frozen_horizon_minutes: i32,
    /// Search time of a run when the request gives none, 100–600000.
    pub default_time_limit_ms: i64,
    /// How far ahead calendars are expanded, 1–365 days.
    pub horizon_days: i32,
    /// How long a machine reported down is assumed to stay down, 1–10080 minutes.
    pub down_estimate_minutes: i32,
    pub lock_version: i32,
}

/// `PUT /api/v1/schedule/settings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettingsUpdate {
    pub auto_replan: bool,
    pub frozen_horizon_minutes: i32,
    pub default_time_limit_ms: i64,
    pub horizon_days: i32,
    pub down_estimate_minutes: i32,
    /// The `lock_version` read; a stale one is a 409.
    pub lock_version: i32,
}

/// Delivery forecast (交期) of one open order in the published plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastRow {
    pub work_order_id: WorkOrderId,
    pub work_order_number: String,
    pub product_code: String,
    pub priority: i32,
    pub due_at: DateTime<Utc>,
    pub planned_finish: DateTime<Utc>,
    /// Days after the due date (fractional; 0 when on time).
    pub days_late: f64,
    pub late: bool,
    /// For a late order: the machine it waits longest in front of, and its work centre.
    pub bottleneck_machine_id: Option<MachineId>,
    pub bottleneck_machine_code: Option<String>,
    pub bottleneck_work_center_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Forecast {
    pub plan_id: i64,
    /// Latest first, then by due date.
    pub orders: Vec<ForecastRow>,
}

/// Load period of `GET /api/v1/schedule/load`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LoadPeriod {
    #[default]
    Day,
    Week,
}

/// Load (负荷) of one work centre in one period (plant-local day or ISO week).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadRow {
    pub work_center_id: WorkCenterId,
    pub work_center_code: String,
    pub work_center_name: String,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    /// Machine time the published plan uses (setup and run) in the period.
    pub planned_hours: f64,
    /// Working time of the centre's machines by their calendars, less maintenance.
    pub available_hours: f64,
    /// planned / available × 100; absent without available time.
    pub utilisation_percent: Option<f64>,
    /// Planned more than available.
    pub overloaded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Load {
    pub plan_id: i64,
    pub period: LoadPeriod,
    pub rows: Vec<LoadRow>,
}
