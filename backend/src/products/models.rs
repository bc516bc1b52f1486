use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::{
    AttachmentId, ProductId,
    master_data::{Attachment, Product, ProductKind, VersionStatus},
};

use crate::db::schema::{
    attachments, bom_lines, boms, products, routing_operation_machines, routing_operations,
    routings,
};

/// `attachments.owner_kind` of work-instruction files.
pub const OWNER_ROUTING_OPERATION: &str = "routing_operation";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct ProductRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub description: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = products)]
pub struct ProductValues {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub description: String,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

impl ProductRow {
    pub fn kind(&self) -> ProductKind {
        ProductKind::parse(&self.kind).unwrap_or(ProductKind::Raw)
    }

    pub fn to_api(
        &self,
        active_bom_version: Option<i32>,
        active_routing_version: Option<i32>,
    ) -> Product {
        Product {
            id: ProductId(self.id),
            code: self.code.clone(),
            name: self.name.clone(),
            unit: self.unit.clone(),
            kind: self.kind(),
            description: self.description.clone(),
            active: self.active,
            active_bom_version,
            active_routing_version,
            updated_at: self.updated_at.and_utc(),
        }
    }
}

/// A BOM or routing version header: the two tables have the same shape.
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub id: i64,
    pub product_id: i64,
    pub version: i32,
    pub status: String,
    pub note: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl VersionRow {
    pub fn status(&self) -> VersionStatus {
        VersionStatus::parse(&self.status).unwrap_or(VersionStatus::Archived)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = boms)]
pub struct BomRow {
    pub id: i64,
    pub product_id: i64,
    pub version: i32,
    pub status: String,
    pub note: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<BomRow> for VersionRow {
    fn from(r: BomRow) -> VersionRow {
        VersionRow {
            id: r.id,
            product_id: r.product_id,
            version: r.version,
            status: r.status,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = routings)]
pub struct RoutingRow {
    pub id: i64,
    pub product_id: i64,
    pub version: i32,
    pub status: String,
    pub note: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<RoutingRow> for VersionRow {
    fn from(r: RoutingRow) -> VersionRow {
        VersionRow {
            id: r.id,
            product_id: r.product_id,
            version: r.version,
            status: r.status,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bom_lines)]
pub struct BomLineRow {
    pub id: i64,
    pub bom_id: i64,
    pub position: i32,
    pub component_id: i64,
    pub quantity_per: f64,
    pub scrap_factor: f64,
    pub note: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = bom_lines)]
pub struct NewBomLine {
    pub bom_id: i64,
    pub position: i32,
    pub component_id: i64,
    pub quantity_per: f64,
    pub scrap_factor: f64,
    pub note: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = routing_operations)]
pub struct OperationRow {
    pub id: i64,
    pub routing_id: i64,
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

/// An operation's content; the routing it belongs to is given apart.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = routing_operations)]
pub struct OperationValues {
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

impl OperationRow {
    pub fn values(&self) -> OperationValues {
        OperationValues {
            seq: self.seq,
            name: self.name.clone(),
            work_center_id: self.work_center_id,
            setup_minutes: self.setup_minutes,
            run_minutes_per_unit: self.run_minutes_per_unit,
            queue_minutes: self.queue_minutes,
            transfer_minutes: self.transfer_minutes,
            inspection_required: self.inspection_required,
            instruction: self.instruction.clone(),
            piece_rate: self.piece_rate,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = routing_operation_machines)]
pub struct OperationMachineRow {
    pub operation_id: i64,
    pub machine_id: i64,
    pub run_minutes_per_unit: Option<f64>,
}

/// An attachment without its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentMeta {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: NaiveDateTime,
}

impl AttachmentMeta {
    pub fn to_api(&self) -> Attachment {
        Attachment {
            id: AttachmentId(self.id),
            file_name: self.file_name.clone(),
            content_type: self.content_type.clone(),
            size_bytes: self.size_bytes,
            created_at: self.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = attachments)]
pub struct NewAttachment {
    pub owner_kind: String,
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub data: Vec<u8>,
    pub created_at: NaiveDateTime,
}
