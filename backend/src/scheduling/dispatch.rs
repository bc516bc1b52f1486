//! Dispatch lists: what a machine should run next. The published plan's sequence of the
//! machine's open operations; operations released since (not in the plan yet) follow by
//! priority and due date. Without a published plan: everything the machine may run, by
//! priority and due date.

use std::collections::{HashMap, HashSet};

use mes_api_types::{
    MachineId, WorkOrderId, WorkOrderOperationId,
    scheduling::{DispatchEntry, DispatchList},
};

use super::{models::utc, queries};
use crate::{
    db::DbConnection,
    error::{AppError, AppResult},
    plant, text,
    work_orders::models::status_from_db,
};

fn entry(
    row: &queries::DispatchRow,
    planned: Option<&super::models::PlannedOpRow>,
) -> DispatchEntry {
    DispatchEntry {
        operation_id: WorkOrderOperationId(row.operation_id),
        work_order_id: WorkOrderId(row.work_order_id),
        work_order_number: row.number.clone(),
        work_order_status: status_from_db(&row.order_status),
        product_code: row.product_code.clone(),
        product_name: row.product_name.clone(),
        seq: row.seq,
        name: row.name.clone(),
        operation_status: row.status.clone(),
        quantity: row.quantity,
        qty_good: row.qty_good,
        priority: row.priority,
        due_at: utc(row.due_at),
        planned_start: planned.map(|p| utc(p.setup_start)),
        planned_end: planned.map(|p| utc(p.end_at)),
        late: planned.is_some_and(|p| p.late),
    }
}

/// The machine's queue for the station tablet and the planner (see the module comment).
pub fn dispatch_sequence(conn: &mut DbConnection, machine_id: i64) -> AppResult<DispatchList> {
    let machine = plant::queries::find_machine(conn, machine_id)?.ok_or_else(|| {
        AppError::NotFound(text!(
            "设备 {machine_id} 不存在",
            "Machine {machine_id} does not exist"
        ))
    })?;
    let candidates = queries::dispatchable_operations(conn, machine_id, machine.work_center_id)?;
    let Some(plan) = queries::published_plan(conn)? else {
        return Ok(DispatchList {
            machine_id: MachineId(machine_id),
            plan_id: None,
            entries: candidates.iter().map(|r| entry(r, None)).collect(),
        });
    };
    let planned_all = queries::planned_ops(conn, plan.id)?;
    let in_plan: HashSet<i64> = planned_all.iter().map(|p| p.operation_id).collect();
    let mut on_machine: Vec<_> = planned_all
        .into_iter()
        .filter(|p| p.machine_id == machine_id)
        .collect();
    on_machine.sort_by_key(|p| (p.setup_start, p.operation_id));
    let ids: Vec<i64> = on_machine.iter().map(|p| p.operation_id).collect();
    let rows: HashMap<i64, queries::DispatchRow> = queries::dispatch_rows_of(conn, &ids)?
        .into_iter()
        .map(|r| (r.operation_id, r))
        .collect();
    let mut entries: Vec<DispatchEntry> = on_machine
        .iter()
        .filter_map(|p| rows.get(&p.operation_id).map(|r| entry(r, Some(p))))
        .collect();
    entries.extend(
        candidates
            .iter()
            .filter(|r| !in_plan.contains(&r.operation_id))
            .map(|r| entry(r, None)),
    );
    Ok(DispatchList {
        machine_id: MachineId(machine_id),
        plan_id: Some(plan.id),
        entries,
    })
}
