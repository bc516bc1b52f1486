//! Rows of the scheduling tables and their API form.

use chrono::{NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use mes_api_types::{
    MachineId, WorkOrderOperationId,
    scheduling::{PlanKind, PlanKpis, PlanStatus, PlanSummary, RunProgress, ScheduleSettings},
};

use crate::db::schema::{
    schedule_moves, schedule_pins, schedule_planned_operations, schedule_planned_orders,
    schedule_plans, schedule_settings,
};

pub fn utc(t: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = schedule_plans)]
pub struct PlanRow {
    pub id: i64,
    pub version: i32,
    pub status: String,
    pub kind: String,
    pub trigger_kind: String,
    pub reason: String,
    pub base_plan_id: Option<i64>,
    pub origin: NaiveDateTime,
    pub time_limit_ms: i64,
    pub created_by: Option<i64>,
    pub created_by_name: String,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub published_by: Option<i64>,
    pub error: Option<String>,
    pub late_orders: Option<i32>,
    pub total_weighted_tardiness_minutes: Option<i64>,
    pub makespan_end: Option<NaiveDateTime>,
    pub moved_operations: Option<i32>,
    pub solver_iterations: Option<i64>,
}

impl PlanRow {
    pub fn status(&self) -> PlanStatus {
        PlanStatus::parse(&self.status).unwrap_or(PlanStatus::Failed)
    }

    pub fn kpis(&self) -> Option<PlanKpis> {
        Some(PlanKpis {
            late_orders: self.late_orders?,
            total_weighted_tardiness_minutes: self.total_weighted_tardiness_minutes?,
            makespan_end: self.makespan_end.map(utc),
            moved_operations: self.moved_operations.unwrap_or(0),
            solver_iterations: self.solver_iterations.unwrap_or(0),
        })
    }

    pub fn to_api(&self, progress: Option<RunProgress>) -> PlanSummary {
        PlanSummary {
            id: self.id,
            version: self.version,
            status: self.status(),
            kind: PlanKind::parse(&self.kind).unwrap_or(PlanKind::Full),
            trigger: self.trigger_kind.clone(),
            reason: self.reason.clone(),
            origin: utc(self.origin),
            time_limit_ms: self.time_limit_ms,
            created_by: self.created_by_name.clone(),
            created_at: utc(self.created_at),
            finished_at: self.finished_at.map(utc),
            published_at: self.published_at.map(utc),
            error: self.error.clone(),
            kpis: self.kpis(),
            progress,
        }
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = schedule_plans)]
pub struct NewPlanRow {
    pub version: i32,
    pub status: String,
    pub kind: String,
    pub trigger_kind: String,
    pub reason: String,
    pub base_plan_id: Option<i64>,
    pub origin: NaiveDateTime,
    pub time_limit_ms: i64,
    pub created_by: Option<i64>,
    pub created_by_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = schedule_planned_operations)]
pub struct PlannedOpRow {
    pub plan_id: i64,
    pub operation_id: i64,
    pub machine_id: i64,
    pub setup_start: NaiveDateTime,
    pub run_start: NaiveDateTime,
    pub end_at: NaiveDateTime,
    pub late: bool,
    pub frozen: bool,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = schedule_planned_orders)]
pub struct PlannedOrderRow {
    pub plan_id: i64,
    pub work_order_id: i64,
    pub planned_finish: NaiveDateTime,
    pub tardiness_minutes: i64,
    pub bottleneck_machine_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = schedule_moves)]
pub struct MoveRow {
    pub plan_id: i64,
    pub operation_id: i64,
    pub from_machine_id: Option<i64>,
    pub from_start: Option<NaiveDateTime>,
    pub to_machine_id: i64,
    pub to_start: NaiveDateTime,
    pub reason: String,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = schedule_pins)]
pub struct PinRow {
    pub id: i64,
    pub operation_id: i64,
    pub machine_id: i64,
    pub start_at: NaiveDateTime,
    pub pinned_by: Option<i64>,
    pub pinned_by_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = schedule_pins)]
pub struct NewPinRow {
    pub operation_id: i64,
    pub machine_id: i64,
    pub start_at: NaiveDateTime,
    pub pinned_by: Option<i64>,
    pub pinned_by_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = schedule_settings)]
pub struct SettingsRow {
    pub auto_replan: bool,
    pub frozen_horizon_minutes: i32,
    pub default_time_limit_ms: i64,
    pub horizon_days: i32,
    pub down_estimate_minutes: i32,
    pub lock_version: i32,
}

impl SettingsRow {
    pub fn to_api(&self) -> ScheduleSettings {
        ScheduleSettings {
            auto_replan: self.auto_replan,
            frozen_horizon_minutes: self.frozen_horizon_minutes,
            default_time_limit_ms: self.default_time_limit_ms,
            horizon_days: self.horizon_days,
            down_estimate_minutes: self.down_estimate_minutes,
            lock_version: self.lock_version,
        }
    }
}

/// Planned operation with what the views show about it.
#[derive(Debug, Clone, Queryable)]
pub struct PlannedOpView {
    pub operation_id: i64,
    pub machine_id: i64,
    pub setup_start: NaiveDateTime,
    pub run_start: NaiveDateTime,
    pub end_at: NaiveDateTime,
    pub late: bool,
    pub frozen: bool,
    pub seq: i32,
    pub name: String,
    pub work_order_id: i64,
    pub work_order_number: String,
    pub machine_code: String,
}

impl PlannedOpView {
    pub fn to_api(&self) -> mes_api_types::scheduling::PlannedOperation {
        mes_api_types::scheduling::PlannedOperation {
            operation_id: WorkOrderOperationId(self.operation_id),
            work_order_id: mes_api_types::WorkOrderId(self.work_order_id),
            work_order_number: self.work_order_number.clone(),
            seq: self.seq,
            name: self.name.clone(),
            machine_id: MachineId(self.machine_id),
            machine_code: self.machine_code.clone(),
            setup_start: utc(self.setup_start),
            run_start: utc(self.run_start),
            end: utc(self.end_at),
            late: self.late,
            frozen: self.frozen,
        }
    }
}
