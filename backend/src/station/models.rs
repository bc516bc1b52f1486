//! Rows of station reporting and their API shapes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::{
    MachineId, OperationPhaseId, ReasonId,
    master_data::MachineStatus,
    station::{CurrentPhase, PhaseKind, StationMachine},
};

use crate::db::schema::{
    machines, operation_phases, production_reports, stations, work_order_operations,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = stations)]
pub struct StationRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub machine_id: Option<i64>,
    pub work_center_id: Option<i64>,
    pub active: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = machines)]
pub struct MachineRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub work_center_id: i64,
    pub status: String,
    pub active: bool,
}

impl MachineRow {
    pub fn status(&self) -> MachineStatus {
        MachineStatus::parse(&self.status).unwrap_or(MachineStatus::Idle)
    }

    pub fn to_api(&self) -> StationMachine {
        StationMachine {
            id: MachineId(self.id),
            code: self.code.clone(),
            name: self.name.clone(),
            status: self.status(),
        }
    }
}

/// What the actions need of an operation.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = work_order_operations)]
pub struct OperationLite {
    pub id: i64,
    pub work_order_id: i64,
    pub seq: i32,
    pub name: String,
    pub work_center_id: i64,
    pub status: String,
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub qty_rework: f64,
    pub started_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = operation_phases)]
pub struct PhaseRow {
    pub id: i64,
    pub operation_id: i64,
    pub work_order_id: i64,
    pub machine_id: i64,
    pub station_id: Option<i64>,
    pub kind: String,
    pub downtime_reason_id: Option<i64>,
    pub note: String,
    pub started_at: NaiveDateTime,
}

impl PhaseRow {
    pub fn kind(&self) -> PhaseKind {
        PhaseKind::parse(&self.kind).unwrap_or(PhaseKind::Run)
    }

    pub fn to_api(&self, machine_code: String) -> CurrentPhase {
        CurrentPhase {
            id: OperationPhaseId(self.id),
            kind: self.kind(),
            machine_id: MachineId(self.machine_id),
            machine_code,
            started_at: self.started_at.and_utc(),
            downtime_reason_id: self.downtime_reason_id.map(ReasonId),
            note: self.note.clone(),
        }
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = operation_phases)]
pub struct NewPhaseRow {
    pub operation_id: i64,
    pub work_order_id: i64,
    pub machine_id: i64,
    pub station_id: Option<i64>,
    pub kind: String,
    pub downtime_reason_id: Option<i64>,
    pub note: String,
    pub started_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable, serde::Serialize)]
#[diesel(table_name = production_reports)]
pub struct NewReportRow {
    pub operation_id: i64,
    pub work_order_id: i64,
    pub machine_id: Option<i64>,
    pub station_id: Option<i64>,
    pub operator_id: Option<i64>,
    pub good: f64,
    pub scrap: f64,
    pub rework: f64,
    pub reported_at: NaiveDateTime,
    pub supervisor_override: bool,
    pub override_by: Option<i64>,
    pub note: String,
}
