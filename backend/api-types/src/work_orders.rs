//! Work orders: the lifecycle, their operations (the routing copied at release), material
//! requirements (the BOM copied at release), progress and timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ids::*, master_data::EligibleMachine};

/// draft → released → in_progress → completed → closed; on_hold and cancelled on the side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkOrderStatus {
    Draft,
    Released,
    InProgress,
    OnHold,
    Completed,
    Closed,
    Cancelled,
}

impl WorkOrderStatus {
    pub const ALL: [WorkOrderStatus; 7] = [
        WorkOrderStatus::Draft,
        WorkOrderStatus::Released,
        WorkOrderStatus::InProgress,
        WorkOrderStatus::OnHold,
        WorkOrderStatus::Completed,
        WorkOrderStatus::Closed,
        WorkOrderStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkOrderStatus::Draft => "draft",
            WorkOrderStatus::Released => "released",
            WorkOrderStatus::InProgress => "in_progress",
            WorkOrderStatus::OnHold => "on_hold",
            WorkOrderStatus::Completed => "completed",
            WorkOrderStatus::Closed => "closed",
            WorkOrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<WorkOrderStatus> {
        WorkOrderStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Still to be made: counts for load, lateness and the shop floor.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            WorkOrderStatus::Released | WorkOrderStatus::InProgress | WorkOrderStatus::OnHold
        )
    }
}

/// The transitions, each `POST /api/v1/work-orders/{id}/{action}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkOrderAction {
    /// draft → released: copies the active routing and BOM into the order.
    Release,
    /// released → in_progress (reporting the first quantity does this too).
    Start,
    /// in_progress → completed.
    Complete,
    /// completed → closed: no more changes.
    Close,
    /// released / in_progress → on_hold, with a reason.
    Hold,
    /// on_hold → the status it was held from.
    Resume,
    /// draft / released / on_hold (nothing reported yet) → cancelled.
    Cancel,
    /// completed → in_progress, to correct or finish more.
    Reopen,
}

impl WorkOrderAction {
    pub const ALL: [WorkOrderAction; 8] = [
        WorkOrderAction::Release,
        WorkOrderAction::Start,
        WorkOrderAction::Complete,
        WorkOrderAction::Close,
        WorkOrderAction::Hold,
        WorkOrderAction::Resume,
        WorkOrderAction::Cancel,
        WorkOrderAction::Reopen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkOrderAction::Release => "release",
            WorkOrderAction::Start => "start",
            WorkOrderAction::Complete => "complete",
            WorkOrderAction::Close => "close",
            WorkOrderAction::Hold => "hold",
            WorkOrderAction::Resume => "resume",
            WorkOrderAction::Cancel => "cancel",
            WorkOrderAction::Reopen => "reopen",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OperationStatus {
    Pending,
    InProgress,
    Paused,
    Done,
}

impl OperationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OperationStatus::Pending => "pending",
            OperationStatus::InProgress => "in_progress",
            OperationStatus::Paused => "paused",
            OperationStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<OperationStatus> {
        [
            OperationStatus::Pending,
            OperationStatus::InProgress,
            OperationStatus::Paused,
            OperationStatus::Done,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A row of the work-order list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrder {
    pub id: WorkOrderId,
    pub number: String,
    pub product_id: ProductId,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    pub quantity: f64,
    pub due_at: DateTime<Utc>,
    /// Earliest start (material available from).
    pub release_at: Option<DateTime<Utc>>,
    /// 1 (rush) … 5 (low); 3 is normal.
    pub priority: i32,
    pub customer: String,
    pub sales_order: String,
    pub status: WorkOrderStatus,
    /// Good quantity out of the last operation.
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub qty_remaining: f64,
    /// 0–1: finished share of the order's total operation work.
    pub progress: f64,
    /// Open and past its due date.
    pub late: bool,
    /// The order it was split from.
    pub parent_id: Option<WorkOrderId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderOperation {
    pub id: WorkOrderOperationId,
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
    /// Pay per good unit (计件单价), copied from the routing at release.
    pub piece_rate: Option<f64>,
    pub status: OperationStatus,
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub qty_rework: f64,
    /// What the previous operation has passed on (the order quantity for the first) minus
    /// what this one has finished, good or scrap.
    pub qty_available: f64,
    pub qty_remaining: f64,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub machines: Vec<EligibleMachine>,
    pub planned_machine_id: Option<MachineId>,
    pub planned_machine_code: Option<String>,
    pub planned_start: Option<DateTime<Utc>>,
    pub planned_end: Option<DateTime<Utc>>,
    /// What the station scanner reads for this operation (`OP:<number>:<seq>`).
    pub scan_code: String,
    /// Work-instruction files of the routing operation it was copied from.
    pub attachments: Vec<crate::master_data::Attachment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialRequirement {
    pub product_id: ProductId,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    pub quantity_required: f64,
    pub quantity_issued: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderEvent {
    pub at: DateTime<Utc>,
    /// created, updated, released, started, completed, closed, held, resumed, cancelled,
    /// reopened, split, split_from, reported, ...
    pub kind: String,
    pub actor_name: String,
    pub detail: serde_json::Value,
}

/// Short reference to another order (split children, dependencies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderRef {
    pub id: WorkOrderId,
    pub number: String,
    pub status: WorkOrderStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderDetail {
    #[serde(flatten)]
    pub order: WorkOrder,
    pub notes: String,
    pub hold_reason: Option<String>,
    pub routing_version: Option<i32>,
    pub bom_version: Option<i32>,
    pub released_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub operations: Vec<WorkOrderOperation>,
    pub materials: Vec<MaterialRequirement>,
    /// Orders split off this one.
    pub children: Vec<WorkOrderRef>,
    /// Orders this one waits for.
    pub predecessors: Vec<WorkOrderRef>,
    /// What this order's status allows next.
    pub allowed_actions: Vec<WorkOrderAction>,
    pub events: Vec<WorkOrderEvent>,
    /// What the station scanner reads for the order (`WO:<number>`).
    pub scan_code: String,
    /// Changes with every edit and transition; send it back in `WorkOrderUpdate` or
    /// `TransitionRequest` to be refused (409) if someone else changed the order meanwhile.
    pub lock_version: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWorkOrder {
    /// Leave out for the next generated number.
    #[serde(default)]
    pub number: Option<String>,
    pub product_id: ProductId,
    pub quantity: f64,
    pub due_at: DateTime<Utc>,
    #[serde(default)]
    pub release_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub priority: Option<i32>,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub sales_order: String,
    #[serde(default)]
    pub notes: String,
    /// Orders this one must wait for.
    #[serde(default)]
    pub predecessors: Vec<WorkOrderId>,
}

/// Partial update; absent fields stay. Product and quantity change only while draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkOrderUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<ProductId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predecessors: Option<Vec<WorkOrderId>>,
    /// The `lock_version` the client read; the update is refused (409) if the order changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_version: Option<i32>,
}

/// Body of a transition; `reason` is required for hold and cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    #[serde(default)]
    pub reason: Option<String>,
    /// The `lock_version` the client read; refused (409) if the order changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_version: Option<i32>,
}

/// Split `quantity` off into a new order (same product, routing copy, due date unless given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    pub quantity: f64,
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
}

/// Sort order of the work-order list (`?sort=`). Ties are broken by due date, then id, so the
/// order is total and keyset paging never skips or repeats a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkOrderSort {
    #[default]
    DueAt,
    Number,
    Priority,
    CreatedAt,
    Status,
    Quantity,
}

impl WorkOrderSort {
    pub const ALL: [WorkOrderSort; 6] = [
        WorkOrderSort::DueAt,
        WorkOrderSort::Number,
        WorkOrderSort::Priority,
        WorkOrderSort::CreatedAt,
        WorkOrderSort::Status,
        WorkOrderSort::Quantity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkOrderSort::DueAt => "due_at",
            WorkOrderSort::Number => "number",
            WorkOrderSort::Priority => "priority",
            WorkOrderSort::CreatedAt => "created_at",
            WorkOrderSort::Status => "status",
            WorkOrderSort::Quantity => "quantity",
        }
    }

    pub fn parse(s: &str) -> Option<WorkOrderSort> {
        WorkOrderSort::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a station's scanner read, resolved: `WO:<number>`, `OP:<number>:<seq>`,
/// `M:<machine code>`, `ST:<station code>`. Printed as QR codes on travelers and labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScanCode {
    WorkOrder { number: String },
    Operation { number: String, seq: i32 },
    Machine { code: String },
    Station { code: String },
}

impl ScanCode {
    pub fn parse(text: &str) -> Option<ScanCode> {
        let text = text.trim();
        let (prefix, rest) = text.split_once(':')?;
        let rest = rest.trim();
        if rest.is_empty() {
            return None;
        }
        match prefix.trim().to_ascii_uppercase().as_str() {
            "WO" => Some(ScanCode::WorkOrder {
                number: rest.to_owned(),
            }),
            "OP" => {
                // `OP:<number>:<seq>` (printed labels) or `OP:<number>/<seq>` (older travelers).
                let (number, seq) = rest.rsplit_once([':', '/'])?;
                Some(ScanCode::Operation {
                    number: number.to_owned(),
                    seq: seq.parse().ok()?,
                })
            }
            "M" => Some(ScanCode::Machine {
                code: rest.to_owned(),
            }),
            "ST" => Some(ScanCode::Station {
                code: rest.to_owned(),
            }),
            _ => None,
        }
    }
}

impl std::fmt::Display for ScanCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanCode::WorkOrder { number } => write!(f, "WO:{number}"),
            ScanCode::Operation { number, seq } => write!(f, "OP:{number}:{seq}"),
            ScanCode::Machine { code } => write!(f, "M:{code}"),
            ScanCode::Station { code } => write!(f, "ST:{code}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ScanCode;

    #[test]
    fn scan_codes_round_trip() {
        for code in [
            ScanCode::WorkOrder {
                number: "WO-000042".into(),
            },
            ScanCode::Operation {
                number: "WO-000042".into(),
                seq: 20,
            },
            ScanCode::Machine {
                code: "CNC-01".into(),
            },
            ScanCode::Station { code: "T-3".into() },
        ] {
            assert_eq!(ScanCode::parse(&code.to_string()), Some(code));
        }
        assert_eq!(
            ScanCode::parse(" op:A/B/10 "),
            Some(ScanCode::Operation {
                number: "A/B".into(),
                seq: 10
            })
        );
        assert_eq!(ScanCode::parse("WO:"), None);
        assert_eq!(ScanCode::parse("hello"), None);
        assert_eq!(ScanCode::parse("OP:WO-1/x"), None);
    }
}
