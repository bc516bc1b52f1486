//! Shop-floor events, as the server publishes them in process (scheduler replans, boards) and
//! streams them to screens (`GET /api/v1/events`, server-sent events).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ShopEvent {
    /// A machine's state changed (running, setup, idle, down, maintenance, offline).
    MachineStatus {
        machine_id: MachineId,
        status: crate::master_data::MachineStatus,
        at: DateTime<Utc>,
    },
    /// An operation started a phase (setup or run) on a machine.
    OperationStarted {
        operation_id: WorkOrderOperationId,
        work_order_id: WorkOrderId,
        machine_id: MachineId,
        at: DateTime<Utc>,
    },
    /// An operation stopped for a reason (a downtime reason; planned or not).
    OperationPaused {
        operation_id: WorkOrderOperationId,
        work_order_id: WorkOrderId,
        machine_id: MachineId,
        downtime_reason_id: ReasonId,
        planned: bool,
        at: DateTime<Utc>,
    },
    /// Quantities were reported on an operation.
    Reported {
        operation_id: WorkOrderOperationId,
        work_order_id: WorkOrderId,
        machine_id: Option<MachineId>,
        good: f64,
        scrap: f64,
        rework: f64,
        at: DateTime<Utc>,
    },
    /// An operation finished on a machine.
    OperationCompleted {
        operation_id: WorkOrderOperationId,
        work_order_id: WorkOrderId,
        machine_id: Option<MachineId>,
        at: DateTime<Utc>,
    },
    /// A work order changed status (released, held, completed, ...). `priority` 1 is a rush.
    WorkOrderStatus {
        work_order_id: WorkOrderId,
        status: crate::work_orders::WorkOrderStatus,
        priority: i32,
        at: DateTime<Utc>,
    },
    /// An andon call was raised, acknowledged or resolved.
    Andon {
        call_id: i64,
        status: String,
        kind: String,
        machine_id: Option<MachineId>,
        at: DateTime<Utc>,
    },
    /// A schedule was published; dispatch lists changed.
    PlanPublished { plan_id: i64, at: DateTime<Utc> },
}
