use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::work_orders::{WorkOrderRef, WorkOrderStatus};
use mes_api_types::{ProductId, WorkOrderId};

use super::progress::OpQuantities;
use crate::db::schema::{
    work_order_events, work_order_materials, work_order_operation_machines, work_order_operations,
    work_orders,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = work_orders)]
pub struct WorkOrderRow {
    pub id: i64,
    pub number: String,
    pub product_id: i64,
    pub quantity: f64,
    pub due_at: NaiveDateTime,
    pub release_at: Option<NaiveDateTime>,
    pub priority: i32,
    pub customer: String,
    pub sales_order: String,
    pub notes: String,
    pub status: String,
    pub held_from: Option<String>,
    pub hold_reason: Option<String>,
    pub routing_id: Option<i64>,
    pub bom_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub lock_version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub released_at: Option<NaiveDateTime>,
    pub started_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

impl WorkOrderRow {
    /// The status column; the CHECK constraint keeps it one of the known words.
    pub fn status(&self) -> WorkOrderStatus {
        status_from_db(&self.status)
    }

    pub fn held_from(&self) -> Option<WorkOrderStatus> {
        self.held_from.as_deref().and_then(WorkOrderStatus::parse)
    }

    pub fn to_ref(&self) -> WorkOrderRef {
        WorkOrderRef {
            id: WorkOrderId(self.id),
            number: self.number.clone(),
            status: self.status(),
        }
    }
}

pub fn status_from_db(s: &str) -> WorkOrderStatus {
    WorkOrderStatus::parse(s).unwrap_or(WorkOrderStatus::Draft)
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = work_orders)]
pub struct NewWorkOrderRow {
    pub number: String,
    pub product_id: i64,
    pub quantity: f64,
    pub due_at: NaiveDateTime,
    pub release_at: Option<NaiveDateTime>,
    pub priority: i32,
    pub customer: String,
    pub sales_order: String,
    pub notes: String,
    pub status: String,
    pub held_from: Option<String>,
    pub hold_reason: Option<String>,
    pub routing_id: Option<i64>,
    pub bom_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub released_at: Option<NaiveDateTime>,
    pub started_at: Option<NaiveDateTime>,
}

/// A partial update of an order: `None` leaves a column alone; `Some(None)` clears it.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = work_orders)]
pub struct WorkOrderChanges {
    pub product_id: Option<i64>,
    pub quantity: Option<f64>,
    pub due_at: Option<NaiveDateTime>,
    pub release_at: Option<Option<NaiveDateTime>>,
    pub priority: Option<i32>,
    pub customer: Option<String>,
    pub sales_order: Option<String>,
    pub notes: Option<String>,
    pub status: Option<String>,
    pub held_from: Option<Option<String>>,
    pub hold_reason: Option<Option<String>>,
    pub routing_id: Option<Option<i64>>,
    pub bom_id: Option<Option<i64>>,
    pub updated_at: Option<NaiveDateTime>,
    pub released_at: Option<Option<NaiveDateTime>>,
    pub started_at: Option<Option<NaiveDateTime>>,
    pub completed_at: Option<Option<NaiveDateTime>>,
    pub closed_at: Option<Option<NaiveDateTime>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = work_order_operations)]
pub struct OperationRow {
    pub id: i64,
    pub work_order_id: i64,
    pub seq: i32,
    pub name: String,
    pub work_center_id: i64,
    pub routing_operation_id: Option<i64>,
    pub setup_minutes: f64,
    pub run_minutes_per_unit: f64,
    pub queue_minutes: f64,
    pub transfer_minutes: f64,
    pub inspection_required: bool,
    pub instruction: String,
    pub status: String,
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub qty_rework: f64,
    pub started_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub planned_machine_id: Option<i64>,
    pub planned_start: Option<NaiveDateTime>,
    pub planned_end: Option<NaiveDateTime>,
    pub lock_version: i32,
    pub piece_rate: Option<f64>,
}

impl OperationRow {
    pub fn quantities(&self) -> OpQuantities {
        OpQuantities {
            setup_minutes: self.setup_minutes,
            run_minutes_per_unit: self.run_minutes_per_unit,
            qty_good: self.qty_good,
            qty_scrap: self.qty_scrap,
        }
    }
}

/// What list pages need of an operation to show progress.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = work_order_operations)]
pub struct OperationQtyRow {
    pub work_order_id: i64,
    pub seq: i32,
    pub setup_minutes: f64,
    pub run_minutes_per_unit: f64,
    pub qty_good: f64,
    pub qty_scrap: f64,
}

impl OperationQtyRow {
    pub fn quantities(&self) -> OpQuantities {
        OpQuantities {
            setup_minutes: self.setup_minutes,
            run_minutes_per_unit: self.run_minutes_per_unit,
            qty_good: self.qty_good,
            qty_scrap: self.qty_scrap,
        }
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = work_order_operations)]
pub struct NewOperationRow {
    pub work_order_id: i64,
    pub seq: i32,
    pub name: String,
    pub work_center_id: i64,
    pub routing_operation_id: Option<i64>,
    pub setup_minutes: f64,
    pub run_minutes_per_unit: f64,
    pub queue_minutes: f64,
    pub transfer_minutes: f64,
    pub inspection_required: bool,
    pub instruction: String,
    pub status: String,
    pub piece_rate: Option<f64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = work_order_operation_machines)]
pub struct OperationMachineRow {
    pub operation_id: i64,
    pub machine_id: i64,
    pub run_minutes_per_unit: f64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = work_order_materials)]
pub struct MaterialRow {
    pub id: i64,
    pub work_order_id: i64,
    pub position: i32,
    pub product_id: i64,
    pub quantity_required: f64,
    pub quantity_issued: f64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = work_order_materials)]
pub struct NewMaterialRow {
    pub work_order_id: i64,
    pub position: i32,
    pub product_id: i64,
    pub quantity_required: f64,
    pub quantity_issued: f64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = work_order_events)]
pub struct EventRow {
    pub id: i64,
    pub work_order_id: i64,
    pub at: NaiveDateTime,
    pub kind: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub detail: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = work_order_events)]
pub struct NewEventRow {
    pub work_order_id: i64,
    pub at: NaiveDateTime,
    pub kind: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub detail: String,
}

/// A product as work orders show it.
#[derive(Debug, Clone, Queryable)]
pub struct ProductInfo {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub active: bool,
}

impl ProductInfo {
    pub fn api_id(&self) -> ProductId {
        ProductId(self.id)
    }
}

/// A routing operation as release copies it.
#[derive(Debug, Clone, Queryable)]
pub struct RoutingOperationSource {
    pub id: i64,
    pub seq: i32,
    pub name: String,
    pub work_center_id: i64,
    pub setup_minutes: f64,
    pub run_minutes_per_unit: f64,
    pub queue_minutes: f64,
    pub transfer_minutes: f64,
    pub inspection_required: bool,
    pub instruction: String,
    pub piece_rate: Option<f64>,
}

/// A BOM line as release explodes it.
#[derive(Debug, Clone, Queryable)]
pub struct BomLineSource {
    pub position: i32,
    pub component_id: i64,
    pub quantity_per: f64,
    pub scrap_factor: f64,
}
