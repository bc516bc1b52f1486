//! Master data for work-order tests, inserted directly (the master-data API lives in its own
//! domain): a small plant with two work centres, three machines, raw materials, a semi-finished
//! bracket and a finished pump with active routings and BOMs.

use chrono::{Duration, NaiveDateTime, SubsecRound, Utc};
use diesel::prelude::*;
use mes_backend::{
    db::{
        Db, DbConnection,
        schema::{
            attachments, bom_lines, boms, machines, products, routing_operation_machines,
            routing_operations, routings, work_centers,
        },
    },
    work_orders::{models::NewWorkOrderRow, queries, service},
};

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// What [`plant`] made.
#[derive(Debug, Clone)]
pub struct Plant {
    pub machining: i64,
    pub assembly: i64,
    /// CNC-01, CNC-02 (machining), ASM-01 (assembly).
    pub machines: Vec<(i64, &'static str)>,
    pub steel: i64,
    pub screw: i64,
    /// Semi-finished: routing v1 (10 cut on any machining machine, 20 drill on CNC-02 at its
    /// own run time), BOM v1 (0.5 steel, 10 % scrap).
    pub bracket: i64,
    pub bracket_routing: i64,
    /// Finished: routing v1 (10 machine, 20 assemble, 30 test), BOM v1 (2 brackets, 4 screws).
    pub pump: i64,
    pub pump_routing: i64,
    /// Finished, with no routing at all.
    pub orphan: i64,
    /// Ids of the pump's routing operations, by seq.
    pub pump_operations: Vec<i64>,
}

fn work_center(conn: &mut DbConnection, code: &str, name: &str) -> i64 {
    let at = now();
    diesel::insert_into(work_centers::table)
        .values((
            work_centers::code.eq(code),
            work_centers::name.eq(name),
            work_centers::created_at.eq(at),
            work_centers::updated_at.eq(at),
        ))
        .returning(work_centers::id)
        .get_result(conn)
        .expect("work centre")
}

fn machine(conn: &mut DbConnection, code: &str, work_center: i64) -> i64 {
    let at = now();
    diesel::insert_into(machines::table)
        .values((
            machines::code.eq(code),
            machines::name.eq(code),
            machines::work_center_id.eq(work_center),
            machines::created_at.eq(at),
            machines::updated_at.eq(at),
        ))
        .returning(machines::id)
        .get_result(conn)
        .expect("machine")
}

pub fn product(conn: &mut DbConnection, code: &str, name: &str, kind: &str) -> i64 {
    let at = now();
    diesel::insert_into(products::table)
        .values((
            products::code.eq(code),
            products::name.eq(name),
            products::kind.eq(kind),
            products::created_at.eq(at),
            products::updated_at.eq(at),
        ))
        .returning(products::id)
        .get_result(conn)
        .expect("product")
}

/// One routing operation to create: (seq, name, work centre, setup, run per unit,
/// eligible machines with their own run time).
pub struct OpSpec {
    pub seq: i32,
    pub name: &'static str,
    pub work_center: i64,
    pub setup: f64,
    pub run: f64,
    pub machines: Vec<(i64, Option<f64>)>,
}

/// Adds the next routing version of `product` and activates it (archiving the active one).
/// Returns the routing id and its operations' ids.
pub fn activate_routing(conn: &mut DbConnection, product: i64, ops: &[OpSpec]) -> (i64, Vec<i64>) {
    let at = now();
    let version: Option<i32> = routings::table
        .filter(routings::product_id.eq(product))
        .select(diesel::dsl::max(routings::version))
        .first(conn)
        .expect("max version");
    diesel::update(
        routings::table
            .filter(routings::product_id.eq(product))
            .filter(routings::status.eq("active")),
    )
    .set(routings::status.eq("archived"))
    .execute(conn)
    .expect("archive");
    let routing: i64 = diesel::insert_into(routings::table)
        .values((
            routings::product_id.eq(product),
            routings::version.eq(version.unwrap_or(0) + 1),
            routings::status.eq("active"),
            routings::created_at.eq(at),
            routings::updated_at.eq(at),
        ))
        .returning(routings::id)
        .get_result(conn)
        .expect("routing");
    let mut ids = Vec::new();
    for op in ops {
        let id: i64 = diesel::insert_into(routing_operations::table)
            .values((
                routing_operations::routing_id.eq(routing),
                routing_operations::seq.eq(op.seq),
                routing_operations::name.eq(op.name),
                routing_operations::work_center_id.eq(op.work_center),
                routing_operations::setup_minutes.eq(op.setup),
                routing_operations::run_minutes_per_unit.eq(op.run),
                routing_operations::inspection_required.eq(op.seq == 30),
                routing_operations::instruction.eq(format!("{} carefully", op.name)),
            ))
            .returning(routing_operations::id)
            .get_result(conn)
            .expect("routing operation");
        for (m, run) in &op.machines {
            diesel::insert_into(routing_operation_machines::table)
                .values((
                    routing_operation_machines::operation_id.eq(id),
                    routing_operation_machines::machine_id.eq(*m),
                    routing_operation_machines::run_minutes_per_unit.eq(*run),
                ))
                .execute(conn)
                .expect("eligible machine");
        }
        ids.push(id);
    }
    (routing, ids)
}

/// Adds the next BOM version of `product`, active: (component, quantity per, scrap factor).
pub fn activate_bom(conn: &mut DbConnection, product: i64, lines: &[(i64, f64, f64)]) -> i64 {
    let at = now();
    diesel::update(
        boms::table
            .filter(boms::product_id.eq(product))
            .filter(boms::status.eq("active")),
    )
    .set(boms::status.eq("archived"))
    .execute(conn)
    .expect("archive");
    let version: Option<i32> = boms::table
        .filter(boms::product_id.eq(product))
        .select(diesel::dsl::max(boms::version))
        .first(conn)
        .expect("max version");
    let bom: i64 = diesel::insert_into(boms::table)
        .values((
            boms::product_id.eq(product),
            boms::version.eq(version.unwrap_or(0) + 1),
            boms::status.eq("active"),
            boms::created_at.eq(at),
            boms::updated_at.eq(at),
        ))
        .returning(boms::id)
        .get_result(conn)
        .expect("bom");
    for (i, (component, per, scrap)) in lines.iter().enumerate() {
        diesel::insert_into(bom_lines::table)
            .values((
                bom_lines::bom_id.eq(bom),
                bom_lines::position.eq(i as i32 + 1),
                bom_lines::component_id.eq(*component),
                bom_lines::quantity_per.eq(*per),
                bom_lines::scrap_factor.eq(*scrap),
            ))
            .execute(conn)
            .expect("bom line");
    }
    bom
}

pub fn attach(conn: &mut DbConnection, routing_operation: i64, file_name: &str) -> i64 {
    let data = b"%PDF-1.4 test".to_vec();
    diesel::insert_into(attachments::table)
        .values((
            attachments::owner_kind.eq("routing_operation"),
            attachments::owner_id.eq(routing_operation),
            attachments::file_name.eq(file_name),
            attachments::content_type.eq("application/pdf"),
            attachments::size_bytes.eq(data.len() as i64),
            attachments::sha256.eq("0"),
            attachments::data.eq(data),
            attachments::created_at.eq(now()),
        ))
        .returning(attachments::id)
        .get_result(conn)
        .expect("attachment")
}

pub fn plant(db: &Db) -> Plant {
    let mut conn = db.get().expect("connection");
    let conn = &mut *conn;
    let machining = work_center(conn, "MACH", "机加工");
    let assembly = work_center(conn, "ASM", "装配");
    let cnc1 = machine(conn, "CNC-01", machining);
    let cnc2 = machine(conn, "CNC-02", machining);
    let asm1 = machine(conn, "ASM-01", assembly);
    let steel = product(conn, "RM-STEEL", "钢板", "raw");
    let screw = product(conn, "RM-SCREW", "螺丝 M6", "raw");
    let bracket = product(conn, "SF-BRACKET", "支架", "semi");
    let pump = product(conn, "FG-PUMP", "水泵 Pump", "finished");
    let orphan = product(conn, "FG-ORPHAN", "无工艺产品", "finished");
    let (bracket_routing, _) = activate_routing(
        conn,
        bracket,
        &[
            OpSpec {
                seq: 10,
                name: "Cut",
                work_center: machining,
                setup: 10.0,
                run: 1.0,
                machines: vec![],
            },
            OpSpec {
                seq: 20,
                name: "Drill",
                work_center: machining,
                setup: 5.0,
                run: 2.0,
                machines: vec![(cnc2, Some(1.5))],
            },
        ],
    );
    activate_bom(conn, bracket, &[(steel, 0.5, 0.1)]);
    let (pump_routing, pump_operations) = activate_routing(
        conn,
        pump,
        &[
            OpSpec {
                seq: 10,
                name: "Machine",
                work_center: machining,
                setup: 30.0,
                run: 3.0,
                machines: vec![(cnc1, None), (cnc2, Some(2.5))],
            },
            OpSpec {
                seq: 20,
                name: "Assemble",
                work_center: assembly,
                setup: 0.0,
                run: 5.0,
                machines: vec![(asm1, None)],
            },
            OpSpec {
                seq: 30,
                name: "Test",
                work_center: assembly,
                setup: 0.0,
                run: 1.0,
                machines: vec![(asm1, None)],
            },
        ],
    );
    activate_bom(conn, pump, &[(bracket, 2.0, 0.0), (screw, 4.0, 0.2)]);
    Plant {
        machining,
        assembly,
        machines: vec![(cnc1, "CNC-01"), (cnc2, "CNC-02"), (asm1, "ASM-01")],
        steel,
        screw,
        bracket,
        bracket_routing,
        pump,
        pump_routing,
        orphan,
        pump_operations,
    }
}

/// Records what an operation (by `seq`) of an order has made, as station reporting will, and
/// rolls the order's progress up.
pub fn report(db: &Db, work_order: i64, seq: i32, good: f64, scrap: f64) {
    let mut conn = db.get().expect("connection");
    let conn = &mut *conn;
    let op = queries::operations_of(conn, work_order)
        .expect("operations")
        .into_iter()
        .find(|o| o.seq == seq)
        .expect("operation with that seq");
    let at = now();
    queries::set_operation_quantities(conn, op.id, "in_progress", good, scrap, 0.0, Some(at), None)
        .expect("quantities");
    service::recompute_progress(conn, work_order).expect("progress");
}

/// Inserts many draft-like orders in multi-row batches (fast), for paging tests.
pub fn bulk_orders(db: &Db, rows: &[NewWorkOrderRow]) {
    let mut conn = db.get().expect("connection");
    let conn = &mut *conn;
    for chunk in rows.chunks(500) {
        mes_backend::on_backend!(conn, |c| diesel::insert_into(
            mes_backend::db::schema::work_orders::table
        )
        .values(chunk)
        .execute(c))
        .expect("bulk insert");
    }
}

/// A day offset from now, for due dates.
pub fn days(n: i64) -> NaiveDateTime {
    now() + Duration::days(n)
}
