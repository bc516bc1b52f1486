//! Scheduling over the API, on both databases: runs give proposed plans that respect
//! precedence, eligible machines and calendars; publishing drives dispatch lists; comparisons,
//! pins, replanning on a machine breakdown (auto-publish on and off), forecast and load on a
//! small known case, the Gantt SVG, and who may do what.

use std::{collections::HashMap, time::Duration as StdDuration};

use chrono::{DateTime, Duration, Timelike, Utc};
use diesel::prelude::*;
use mes_api_types::{MachineId, auth::Role, events::ShopEvent, master_data::MachineStatus};
use mes_backend::db::schema::{machines, work_order_operations};
use mes_tests::{Client, both_backends, fixtures};
use serde_json::{Value, json};

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("a time: {v}"))
        .with_timezone(&Utc)
}

/// Creates and releases a pump order; returns (id, number).
async fn released_order(
    client: &Client,
    product: i64,
    quantity: f64,
    due: DateTime<Utc>,
    priority: i32,
) -> (i64, String) {
    let res = client
        .post(
            "/api/v1/work-orders",
            &json!({"product_id": product, "quantity": quantity, "due_at": due.to_rfc3339(), "priority": priority}),
        )
        .await;
    res.assert_status(201);
    let id = res.body["id"].as_i64().unwrap();
    let number = res.body["number"].as_str().unwrap().to_owned();
    client
        .post(&format!("/api/v1/work-orders/{id}/release"), &json!({}))
        .await
        .assert_status(200);
    (id, number)
}

/// Starts a run and waits for it to finish; returns the plan id.
async fn run_schedule(client: &Client, time_limit_ms: u64) -> i64 {
    let res = client
        .post(
            "/api/v1/schedule/runs",
            &json!({"time_limit_ms": time_limit_ms}),
        )
        .await;
    res.assert_status(202);
    let id = res.body["id"].as_i64().unwrap();
    wait_finished(client, id).await;
    id
}

async fn wait_finished(client: &Client, id: i64) -> Value {
    for _ in 0..300 {
        let res = client.get(&format!("/api/v1/schedule/runs/{id}")).await;
        res.assert_status(200);
        if res.body["status"] != "running" {
            assert_eq!(res.body["status"], "proposed", "{}", res.text);
            return res.body.clone();
        }
        actix_web::rt::time::sleep(StdDuration::from_millis(100)).await;
    }
    panic!("run {id} did not finish");
}

async fn detail(client: &Client, id: i64) -> Value {
    let res = client.get(&format!("/api/v1/schedule/plans/{id}")).await;
    res.assert_status(200);
    res.body
}

/// Checks a plan independently of the solver: every open operation once, steps in sequence,
/// eligible machines, no two operations on a machine at once.
fn check_plan(plan: &Value, eligible: &HashMap<i32, Vec<i64>>, orders: &[i64]) {
    let ops = plan["operations"].as_array().unwrap();
    let mut by_order: HashMap<i64, Vec<&Value>> = HashMap::new();
    for op in ops {
        by_order
            .entry(op["work_order_id"].as_i64().unwrap())
            .or_default()
            .push(op);
    }
    for order in orders {
        let mut steps = by_order
            .remove(order)
            .unwrap_or_else(|| panic!("order {order} planned"));
        steps.sort_by_key(|o| o["seq"].as_i64().unwrap());
        assert_eq!(
            steps
                .iter()
                .map(|o| o["seq"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            vec![10, 20, 30]
        );
        for pair in steps.windows(2) {
            assert!(
                time(&pair[1]["setup_start"]) >= time(&pair[0]["end"]),
                "precedence: {pair:?}"
            );
        }
        for s in &steps {
            let seq = s["seq"].as_i64().unwrap() as i32;
            let machine = s["machine_id"].as_i64().unwrap();
            assert!(
                eligible[&seq].contains(&machine),
                "step {seq} on machine {machine}"
            );
            assert!(time(&s["setup_start"]) <= time(&s["run_start"]));
            assert!(time(&s["run_start"]) < time(&s["end"]));
        }
    }
    // Per machine: (setup start, end) of every planned operation.
    type Busy = Vec<(DateTime<Utc>, DateTime<Utc>)>;
    let mut by_machine: HashMap<i64, Busy> = HashMap::new();
    for op in ops {
        by_machine
            .entry(op["machine_id"].as_i64().unwrap())
            .or_default()
            .push((time(&op["setup_start"]), time(&op["end"])));
    }
    for (machine, mut spans) in by_machine {
        spans.sort();
        for pair in spans.windows(2) {
            assert!(
                pair[1].0 >= pair[0].1,
                "machine {machine} overlaps: {pair:?}"
            );
        }
    }
}

fn pump_eligible(plant: &fixtures::Plant) -> HashMap<i32, Vec<i64>> {
    let (cnc1, cnc2, asm1) = (
        plant.machines[0].0,
        plant.machines[1].0,
        plant.machines[2].0,
    );
    HashMap::from([(10, vec![cnc1, cnc2]), (20, vec![asm1]), (30, vec![asm1])])
}

both_backends! {
    async fn run_publish_dispatch_compare_and_roles(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let admin = app.admin().await;
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        let operator = app.signed_in("op", &[Role::Operator]).await.with_lang("en");
        let (cnc1, cnc2) = (plant.machines[0].0, plant.machines[1].0);

        // CNC-01 works one shift a day, 08:00-16:00 with a break; the rest always.
        let calendar = admin.post("/api/v1/calendars", &json!({
            "code": "ONE", "name": "单班",
            "shifts": [{"name": "早班", "weekdays": [1, 2, 3, 4, 5, 6, 7], "start": "08:00", "end": "16:00",
                        "breaks": [{"start": "12:00", "end": "12:30"}]}]
        })).await;
        calendar.assert_status(201);
        {
            let mut conn = app.db.get().unwrap();
            diesel::update(machines::table.find(cnc1))
                .set(machines::calendar_id.eq(calendar.body["id"].as_i64()))
                .execute(&mut *conn)
                .unwrap();
        }

        let now = Utc::now();
        let mut orders = Vec::new();
        for (i, priority) in [3, 1, 3, 2, 3, 4].into_iter().enumerate() {
            let due = now + Duration::hours(4 + 3 * i as i64);
            orders.push(released_order(&planner, plant.pump, 10.0 + i as f64, due, priority).await);
        }
        let order_ids: Vec<i64> = orders.iter().map(|o| o.0).collect();

        // Bad input is named.
        let res = planner.post("/api/v1/schedule/runs", &json!({"time_limit_ms": 5})).await;
        res.assert_status(400);
        assert!(res.text.contains("time_limit_ms"), "{}", res.text);
        // Only the planning office runs and publishes.
        operator.post("/api/v1/schedule/runs", &json!({})).await.assert_status(403);

        let first = run_schedule(&planner, 300).await;
        let plan = detail(&planner, first).await;
        assert_eq!(plan["plan"]["status"], "proposed");
        assert_eq!(plan["plan"]["kind"], "full");
        assert!(plan["plan"]["kpis"]["solver_iterations"].as_i64().is_some());
        check_plan(&plan, &pump_eligible(&plant), &order_ids);
        // Operations on CNC-01 lie in its working time (they may continue across the break).
        let origin = time(&plan["plan"]["origin"]);
        let working = admin.get(&format!(
            "/api/v1/machines/{cnc1}/working-time?from={}&to={}",
            (origin - Duration::days(1)).to_rfc3339().replace('+', "%2B"),
            (origin + Duration::days(20)).to_rfc3339().replace('+', "%2B"),
        )).await;
        working.assert_status(200);
        let intervals: Vec<(DateTime<Utc>, DateTime<Utc>)> = working.body.as_array().unwrap().iter()
            .map(|w| (time(&w["start"]), time(&w["end"]))).collect();
        for op in plan["operations"].as_array().unwrap().iter().filter(|o| o["machine_id"] == cnc1) {
            let (start, end) = (time(&op["setup_start"]), time(&op["end"]));
            assert!(intervals.iter().any(|w| w.0 <= start && start < w.1), "starts in working time: {op}");
            assert!(intervals.iter().any(|w| w.0 < end && end <= w.1), "ends in working time: {op}");
        }

        // Nothing published yet: comparison has no other side, dispatch lists go by priority.
        let cmp = planner.get(&format!("/api/v1/schedule/plans/{first}/compare")).await;
        cmp.assert_status(200);
        assert!(cmp.body["published_plan_id"].is_null());
        let before = operator.get(&format!("/api/v1/machines/{cnc2}/dispatch-list")).await;
        before.assert_status(200);
        assert!(before.body["plan_id"].is_null());
        let priorities: Vec<i64> = before.body["entries"].as_array().unwrap().iter()
            .map(|e| e["priority"].as_i64().unwrap()).collect();
        assert!(priorities.windows(2).all(|p| p[0] <= p[1]), "{priorities:?}");
        assert_eq!(priorities.len(), orders.len(), "every step 10 may run on CNC-02");

        operator.post(&format!("/api/v1/schedule/plans/{first}/publish"), &json!({})).await.assert_status(403);
        let published = planner.post(&format!("/api/v1/schedule/plans/{first}/publish"), &json!({})).await;
        published.assert_status(200);
        assert_eq!(published.body["status"], "published");
        // Publishing twice is refused, saying why.
        let again = planner.post(&format!("/api/v1/schedule/plans/{first}/publish"), &json!({})).await;
        again.assert_status(409);
        assert!(again.text.contains("published"), "{}", again.text);

        // Dispatch lists follow the plan: the machine's operations in planned order.
        for (machine, _) in &plant.machines {
            let list = operator.get(&format!("/api/v1/machines/{machine}/dispatch-list")).await;
            list.assert_status(200);
            assert_eq!(list.body["plan_id"], first);
            let mut expected: Vec<&Value> = plan["operations"].as_array().unwrap().iter()
                .filter(|o| o["machine_id"] == *machine).collect();
            expected.sort_by_key(|o| time(&o["setup_start"]));
            let got: Vec<i64> = list.body["entries"].as_array().unwrap().iter()
                .map(|e| e["operation_id"].as_i64().unwrap()).collect();
            assert_eq!(got, expected.iter().map(|o| o["operation_id"].as_i64().unwrap()).collect::<Vec<_>>());
            for e in list.body["entries"].as_array().unwrap() {
                assert!(e["planned_start"].is_string());
            }
        }
        // The order's operations carry the published placement.
        let order = planner.get(&format!("/api/v1/work-orders/{}", order_ids[0])).await;
        let first_op = plan["operations"].as_array().unwrap().iter()
            .find(|o| o["work_order_id"] == order_ids[0] && o["seq"] == 10).unwrap();
        let op_row = order.body["operations"].as_array().unwrap().iter().find(|o| o["seq"] == 10).unwrap();
        assert_eq!(op_row["planned_machine_id"], first_op["machine_id"], "{op_row}");

        // A second run compares against the published one.
        let second = run_schedule(&planner, 200).await;
        let plan2 = detail(&planner, second).await;
        let cmp = planner.get(&format!("/api/v1/schedule/plans/{second}/compare")).await;
        cmp.assert_status(200);
        assert_eq!(cmp.body["published_plan_id"], first);
        let placed = |p: &Value| -> HashMap<i64, (i64, String)> {
            p["operations"].as_array().unwrap().iter()
                .map(|o| (o["operation_id"].as_i64().unwrap(), (o["machine_id"].as_i64().unwrap(), o["setup_start"].as_str().unwrap().to_owned())))
                .collect()
        };
        let (a, b) = (placed(&plan), placed(&plan2));
        let moved = b.iter().filter(|(op, place)| a.get(op).is_some_and(|old| old != *place)).count();
        assert_eq!(cmp.body["moved_operations"], moved as i64);
        let k1 = &plan["plan"]["kpis"];
        let k2 = &plan2["plan"]["kpis"];
        assert_eq!(cmp.body["late_orders_delta"], k2["late_orders"].as_i64().unwrap() - k1["late_orders"].as_i64().unwrap());
        assert_eq!(
            cmp.body["weighted_tardiness_delta_minutes"],
            k2["total_weighted_tardiness_minutes"].as_i64().unwrap() - k1["total_weighted_tardiness_minutes"].as_i64().unwrap()
        );
        planner.post(&format!("/api/v1/schedule/plans/{second}/publish"), &json!({})).await.assert_status(200);
        assert_eq!(planner.get(&format!("/api/v1/schedule/runs/{first}")).await.body["status"], "superseded");
        let list = operator.get("/api/v1/schedule/runs").await;
        list.assert_status(200);
        assert_eq!(list.body[0]["id"], second);

        // Publishing is audited.
        let audit = admin.get(&format!("/api/v1/audit?entity=schedule_plan&entity_id={second}&action=update")).await;
        audit.assert_status(200);
        assert_eq!(audit.body["items"].as_array().unwrap().len(), 1, "{}", audit.text);

        planner.get("/api/v1/schedule/plans/999999").await.assert_status(404);
    }
}

both_backends! {
    async fn pins_are_kept_by_the_next_run(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        let operator = app.signed_in("op", &[Role::Operator]).await;
        let (cnc2, asm1) = (plant.machines[1].0, plant.machines[2].0);
        let now = Utc::now();
        let mut orders = Vec::new();
        for i in 0..3 {
            orders.push(released_order(&planner, plant.pump, 10.0, now + Duration::hours(6 + i), 3).await.0);
        }
        let op10: i64 = {
            let mut conn = app.db.get().unwrap();
            work_order_operations::table
                .filter(work_order_operations::work_order_id.eq(orders[2]))
                .filter(work_order_operations::seq.eq(10))
                .select(work_order_operations::id)
                .first(&mut *conn)
                .unwrap()
        };
        let start = (now + Duration::hours(5)).with_second(0).unwrap().with_nanosecond(0).unwrap();
        // Only eligible machines, and only planners.
        let bad = planner.post("/api/v1/schedule/pins", &json!({"operation_id": op10, "machine_id": asm1, "start": start.to_rfc3339()})).await;
        bad.assert_status(400);
        assert!(bad.text.contains("machine_id"), "{}", bad.text);
        operator.post("/api/v1/schedule/pins", &json!({"operation_id": op10, "machine_id": cnc2, "start": start.to_rfc3339()})).await.assert_status(403);
        let pin = planner.post("/api/v1/schedule/pins", &json!({"operation_id": op10, "machine_id": cnc2, "start": start.to_rfc3339()})).await;
        pin.assert_status(201);
        assert_eq!(planner.get("/api/v1/schedule/pins").await.body.as_array().unwrap().len(), 1);

        let plan = detail(&planner, run_schedule(&planner, 200).await).await;
        check_plan(&plan, &pump_eligible(&plant), &orders);
        let pinned = plan["operations"].as_array().unwrap().iter().find(|o| o["operation_id"] == op10).unwrap();
        assert_eq!(pinned["machine_id"], cnc2);
        assert_eq!(time(&pinned["setup_start"]), start);
        assert_eq!(pinned["frozen"], true);

        let pin_id = pin.body["id"].as_i64().unwrap();
        planner.delete(&format!("/api/v1/schedule/pins/{pin_id}")).await.assert_status(204);
        planner.delete(&format!("/api/v1/schedule/pins/{pin_id}")).await.assert_status(404);
        let plan = detail(&planner, run_schedule(&planner, 200).await).await;
        let free = plan["operations"].as_array().unwrap().iter().find(|o| o["operation_id"] == op10).unwrap();
        assert_eq!(free["frozen"], false);
    }
}

/// Waits for a replan plan after `after` (plan id) to appear.
async fn wait_replan(client: &Client, after: i64) -> Value {
    for _ in 0..200 {
        let list = client.get("/api/v1/schedule/runs").await;
        if let Some(p) = list
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"].as_i64().unwrap() > after && p["kind"] == "replan")
        {
            return p.clone();
        }
        actix_web::rt::time::sleep(StdDuration::from_millis(100)).await;
    }
    panic!("no replan after plan {after}");
}

both_backends! {
    async fn machine_down_replans_keeping_started_work(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        let (cnc1, cnc2) = (plant.machines[0].0, plant.machines[1].0);
        let now = Utc::now();
        let mut orders = Vec::new();
        for i in 0..6 {
            orders.push(released_order(&planner, plant.pump, 10.0, now + Duration::hours(3 + i), 3).await.0);
        }
        let first = run_schedule(&planner, 300).await;
        planner.post(&format!("/api/v1/schedule/plans/{first}/publish"), &json!({})).await.assert_status(200);
        let plan = detail(&planner, first).await;
        // The first operation on CNC-02 starts (as a station would report it).
        let started = plan["operations"].as_array().unwrap().iter()
            .filter(|o| o["machine_id"] == cnc2)
            .min_by_key(|o| time(&o["setup_start"])).unwrap().clone();
        let started_order = started["work_order_id"].as_i64().unwrap();
        fixtures::report(&app.db, started_order, 10, 1.0, 0.0);

        // CNC-01 breaks down.
        let down = |status| ShopEvent::MachineStatus { machine_id: MachineId(cnc1), status, at: Utc::now() };
        {
            let mut conn = app.db.get().unwrap();
            diesel::update(machines::table.find(cnc1)).set(machines::status.eq("down")).execute(&mut *conn).unwrap();
        }
        app.events.publish(down(MachineStatus::Down));
        let replan = wait_replan(&planner, first).await;
        assert_eq!(replan["status"], "published", "auto-replan publishes: {replan}");
        assert_eq!(replan["trigger"], "machine_down");
        let repaired = detail(&planner, replan["id"].as_i64().unwrap()).await;
        check_plan(&repaired, &pump_eligible(&plant), &orders);
        let origin = time(&repaired["plan"]["origin"]);
        let kept = repaired["operations"].as_array().unwrap().iter()
            .find(|o| o["operation_id"] == started["operation_id"]).unwrap();
        assert_eq!(kept["machine_id"], cnc2, "a started operation stays on its machine");
        assert_eq!(kept["frozen"], true);
        assert!(time(&kept["setup_start"]) <= origin);
        // Nothing runs on CNC-01 while it is down (assumed 240 minutes).
        for op in repaired["operations"].as_array().unwrap().iter().filter(|o| o["machine_id"] == cnc1) {
            assert!(time(&op["setup_start"]) >= origin + Duration::minutes(240), "on the down machine: {op}");
        }
        // Work planned on CNC-01 before moved, and says why.
        let was_on_cnc1 = plan["operations"].as_array().unwrap().iter().any(|o| o["machine_id"] == cnc1);
        if was_on_cnc1 {
            assert!(repaired["moves"].as_array().unwrap().iter().any(|m| m["reason"] == "machine_down"), "{}", repaired["moves"]);
        }
        assert_eq!(planner.get(&format!("/api/v1/schedule/runs/{first}")).await.body["status"], "superseded");
        let list = planner.get(&format!("/api/v1/machines/{cnc2}/dispatch-list")).await;
        assert_eq!(list.body["plan_id"], replan["id"]);

        // With auto-replan off, the repair waits as a proposal.
        let settings = planner.get("/api/v1/schedule/settings").await.body;
        let mut update = settings.clone();
        update["auto_replan"] = json!(false);
        planner.put("/api/v1/schedule/settings", &update).await.assert_status(200);
        // A stale lock version is refused.
        planner.put("/api/v1/schedule/settings", &update).await.assert_status(409);
        {
            let mut conn = app.db.get().unwrap();
            diesel::update(machines::table.find(cnc1)).set(machines::status.eq("idle")).execute(&mut *conn).unwrap();
        }
        app.events.publish(down(MachineStatus::Idle));
        let proposal = wait_replan(&planner, replan["id"].as_i64().unwrap()).await;
        assert_eq!(proposal["status"], "proposed");
        assert_eq!(proposal["trigger"], "machine_up");
        assert_eq!(planner.get(&format!("/api/v1/schedule/runs/{}", replan["id"])).await.body["status"], "published");
    }
}

both_backends! {
    async fn forecast_load_and_gantt_on_a_known_case(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        let operator = app.signed_in("op", &[Role::Operator]).await;
        let now = Utc::now();
        // One pump of 10: step 10 takes 30 + 10 × 2.5 = 55 minutes on CNC-02 (60 on CNC-01),
        // step 20 50 minutes and step 30 10 minutes on ASM-01: 115 minutes at best.
        let (id, number) = released_order(&planner, plant.pump, 10.0, now + Duration::minutes(60), 3).await;
        let plan_id = run_schedule(&planner, 200).await;
        planner.post(&format!("/api/v1/schedule/plans/{plan_id}/publish"), &json!({})).await.assert_status(200);
        let plan = detail(&planner, plan_id).await;
        let origin = time(&plan["plan"]["origin"]);

        let forecast = operator.get("/api/v1/schedule/forecast").await;
        forecast.assert_status(200);
        let row = &forecast.body["orders"][0];
        assert_eq!(row["work_order_id"], id);
        assert_eq!(time(&row["planned_finish"]), origin + Duration::minutes(115));
        assert_eq!(row["late"], true);
        let late_minutes = (origin + Duration::minutes(115) - time(&row["due_at"])).num_minutes();
        let expected_days = (late_minutes as f64 / 1440.0 * 100.0).round() / 100.0;
        assert_eq!(row["days_late"].as_f64().unwrap(), expected_days);
        assert!(row["bottleneck_machine_code"].is_string() || row["bottleneck_machine_code"].is_null());

        let load = operator.get("/api/v1/schedule/load?period=day").await;
        load.assert_status(200);
        let rows = load.body["rows"].as_array().unwrap();
        let sum = |code: &str, field: &str| -> f64 {
            rows.iter().filter(|r| r["work_center_code"] == code).map(|r| r[field].as_f64().unwrap()).sum()
        };
        assert!((sum("MACH", "planned_hours") - 55.0 / 60.0).abs() < 0.02, "{rows:?}");
        assert!((sum("ASM", "planned_hours") - 1.0).abs() < 0.02, "{rows:?}");
        // No calendars: machines are available all day; MACH has two, ASM one.
        for r in rows {
            let hours = (time(&r["period_end"]) - time(&r["period_start"])).num_minutes() as f64 / 60.0;
            let machines = if r["work_center_code"] == "MACH" { 2.0 } else { 1.0 };
            assert_eq!(r["available_hours"].as_f64().unwrap(), hours * machines);
            assert_eq!(r["overloaded"], false);
        }
        let weekly = operator.get("/api/v1/schedule/load?period=week").await;
        weekly.assert_status(200);
        let bad = operator.get("/api/v1/schedule/load?period=month").await;
        bad.assert_status(400);

        for by in ["machine", "order"] {
            let svg = operator.get(&format!("/api/v1/schedule/plans/{plan_id}/gantt.svg?by={by}&zoom=day")).await;
            svg.assert_status(200);
            let content_type = svg.headers.get("content-type").unwrap().to_str().unwrap();
            assert!(content_type.starts_with("image/svg+xml"), "{content_type}");
            assert!(svg.text.starts_with("<svg"), "{}", svg.text);
            assert!(svg.text.trim_end().ends_with("</svg>"));
            assert!(svg.text.contains(&number), "{by}: order number shown");
        }
        let week = operator.get(&format!("/api/v1/schedule/plans/{plan_id}/gantt.svg?zoom=week")).await;
        week.assert_status(200);
        assert!(week.text.contains("CNC-02"));
        let backwards = operator.get(&format!(
            "/api/v1/schedule/plans/{plan_id}/gantt.svg?from={}&to={}",
            (now + Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ"),
            now.format("%Y-%m-%dT%H:%M:%SZ"),
        )).await;
        backwards.assert_status(400);
        assert!(backwards.text.contains("to"), "{}", backwards.text);
        operator.get("/api/v1/schedule/plans/999/gantt.svg").await.assert_status(404);
    }
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v.as_str()) {
                    ("$ref", Some(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The planner UI is built against the OpenAPI document: every scheduling route is in it and
/// every schema it refers to is defined.
#[test]
fn scheduling_api_is_fully_described_in_openapi() {
    let doc: Value = serde_json::from_str(&mes_backend::api_docs().json).unwrap();
    for path in [
        "/api/v1/schedule/runs",
        "/api/v1/schedule/runs/{id}",
        "/api/v1/schedule/plans/{id}/compare",
        "/api/v1/schedule/plans/{id}/publish",
        "/api/v1/schedule/plans/{id}/gantt.svg",
        "/api/v1/schedule/forecast",
        "/api/v1/schedule/load",
        "/api/v1/schedule/pins",
        "/api/v1/schedule/settings",
        "/api/v1/machines/{id}/dispatch-list",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    for r in found {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} is defined"
        );
    }
    for schema in [
        "PlanSummary",
        "PlanDetail",
        "PlanComparison",
        "DispatchList",
        "Forecast",
        "Load",
        "Pin",
        "ScheduleSettings",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}
