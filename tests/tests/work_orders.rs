//! Work orders over the API, on both databases: the lifecycle table cell by cell, release
//! copying routing and BOM, split, validation, numbering, concurrency, paging at scale, the
//! timeline and the audit trail.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use mes_api_types::auth::Role;
use mes_backend::{
    db::schema::work_orders,
    work_orders::models::{NewWorkOrderRow, WorkOrderRow},
};
use mes_tests::{Client, Response, both_backends, fixtures};
use serde_json::{Value, json};

fn due(days: i64) -> String {
    (Utc::now() + Duration::days(days)).to_rfc3339()
}

async fn create(client: &Client, product: i64, quantity: f64) -> Value {
    let res = client
        .post(
            "/api/v1/work-orders",
            &json!({"product_id": product, "quantity": quantity, "due_at": due(7)}),
        )
        .await;
    res.assert_status(201);
    res.body
}

async fn act(client: &Client, id: i64, action: &str) -> Response {
    client
        .post(
            &format!("/api/v1/work-orders/{id}/{action}"),
            &json!({"reason": "test"}),
        )
        .await
}

async fn get(client: &Client, id: i64) -> Value {
    let res = client.get(&format!("/api/v1/work-orders/{id}")).await;
    res.assert_status(200);
    res.body
}

/// Drives a new order into `status` through the API.
async fn order_in(client: &Client, product: i64, status: &str) -> i64 {
    let id = create(client, product, 10.0).await["id"].as_i64().unwrap();
    let path: &[&str] = match status {
        "draft" => &[],
        "released" => &["release"],
        "in_progress" => &["release", "start"],
        "on_hold" => &["release", "hold"],
        "completed" => &["release", "start", "complete"],
        "closed" => &["release", "start", "complete", "close"],
        "cancelled" => &["cancel"],
        other => panic!("unknown status {other}"),
    };
    for action in path {
        act(client, id, action).await.assert_status(200);
    }
    assert_eq!(get(client, id).await["status"], status);
    id
}

const STATUSES: [&str; 7] = [
    "draft",
    "released",
    "in_progress",
    "on_hold",
    "completed",
    "closed",
    "cancelled",
];
const ACTIONS: [&str; 8] = [
    "release", "start", "complete", "close", "hold", "resume", "cancel", "reopen",
];

/// The lifecycle as the issue states it, written out independently of the server's table.
fn expected(from: &str, action: &str) -> Option<&'static str> {
    match (from, action) {
        ("draft", "release") => Some("released"),
        ("released", "start") => Some("in_progress"),
        ("in_progress", "complete") => Some("completed"),
        ("completed", "close") => Some("closed"),
        ("released" | "in_progress", "hold") => Some("on_hold"),
        // Held from released in `order_in`.
        ("on_hold", "resume") => Some("released"),
        ("draft" | "released" | "on_hold", "cancel") => Some("cancelled"),
        ("completed", "reopen") => Some("in_progress"),
        _ => None,
    }
}

fn status_words(status: &str) -> String {
    status.replace('_', " ")
}

both_backends! {
    async fn lifecycle_table_every_state_times_every_action(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        for from in STATUSES {
            let allowed: Vec<&str> = ACTIONS.iter().copied().filter(|a| expected(from, a).is_some()).collect();
            let probe = order_in(&planner, plant.pump, from).await;
            let detail = get(&planner, probe).await;
            assert_eq!(detail["allowed_actions"], json!(allowed), "allowed actions of {from}");
            for action in ACTIONS {
                let id = order_in(&planner, plant.pump, from).await;
                let res = act(&planner, id, action).await;
                match expected(from, action) {
                    Some(to) => {
                        assert_eq!(res.status, 200, "{from} × {action}: {}", res.text);
                        assert_eq!(res.body["status"], to, "{from} × {action}");
                    }
                    None => {
                        assert_eq!(res.status, 409, "{from} × {action} must be refused: {}", res.text);
                        assert_eq!(res.error_kind(), "conflict");
                        let message = res.body["message"].as_str().unwrap();
                        assert!(message.starts_with(&format!("Cannot {action}")), "{message}");
                        assert!(message.contains(&status_words(from)), "{from} × {action}: {message}");
                        assert_eq!(get(&planner, id).await["status"], from, "a refused action changes nothing");
                    }
                }
            }
        }
        // Chinese messages say the same.
        let zh = app.signed_in("planner-zh", &[Role::Planner]).await;
        let id = order_in(&zh, plant.pump, "closed").await;
        let res = act(&zh, id, "reopen").await;
        res.assert_status(409);
        assert!(res.body["message"].as_str().unwrap().contains("已关闭"), "{}", res.text);
    }
}

both_backends! {
    async fn transition_rules_beyond_the_table(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        // Hold and cancel need a reason.
        let id = order_in(&planner, plant.pump, "released").await;
        let res = planner.post(&format!("/api/v1/work-orders/{id}/hold"), &json!({})).await;
        res.assert_status(400);
        assert_eq!(res.body["details"][0]["field"], "reason");
        let res = planner.post(&format!("/api/v1/work-orders/{id}/cancel"), &json!({"reason": "  "})).await;
        res.assert_status(400);
        // Resume goes back to where the order was held from.
        let id = order_in(&planner, plant.pump, "in_progress").await;
        let held = planner.post(&format!("/api/v1/work-orders/{id}/hold"), &json!({"reason": "缺料"})).await;
        held.assert_status(200);
        assert_eq!(held.body["hold_reason"], "缺料");
        let resumed = planner.post(&format!("/api/v1/work-orders/{id}/resume"), &json!({})).await;
        resumed.assert_status(200);
        assert_eq!(resumed.body["status"], "in_progress");
        assert!(resumed.body["hold_reason"].is_null());
        // Complete with quantity left needs a reason (short close).
        fixtures::report(&app.db, id, 10, 10.0, 0.0);
        fixtures::report(&app.db, id, 20, 6.0, 0.0);
        let res = planner.post(&format!("/api/v1/work-orders/{id}/complete"), &json!({})).await;
        res.assert_status(409);
        let message = res.body["message"].as_str().unwrap();
        assert!(message.contains("20 Assemble (4)") && message.contains("reason"), "{message}");
        let res = planner.post(&format!("/api/v1/work-orders/{id}/complete"), &json!({"reason": "客户只要 6 台"})).await;
        res.assert_status(200);
        assert_eq!(res.body["events"][0]["detail"]["short_close"], true);
        // Nothing reported is needed to cancel; a held order with reports cannot be.
        let id = order_in(&planner, plant.pump, "in_progress").await;
        fixtures::report(&app.db, id, 10, 1.0, 0.0);
        act(&planner, id, "hold").await.assert_status(200);
        let res = act(&planner, id, "cancel").await;
        res.assert_status(409);
        assert!(res.body["message"].as_str().unwrap().contains("reported"), "{}", res.text);
        // Fully made: complete needs no reason.
        let id = order_in(&planner, plant.pump, "in_progress").await;
        for seq in [10, 20, 30] {
            fixtures::report(&app.db, id, seq, 10.0, 0.0);
        }
        let done = planner.post(&format!("/api/v1/work-orders/{id}/complete"), &json!({})).await;
        done.assert_status(200);
        assert_eq!(done.body["qty_good"], 10.0);
        assert_eq!(done.body["progress"], 1.0);
        // Releasing a product without a routing says which product.
        let orphan = create(&planner, plant.orphan, 1.0).await["id"].as_i64().unwrap();
        let res = act(&planner, orphan, "release").await;
        res.assert_status(409);
        assert!(res.body["message"].as_str().unwrap().contains("FG-ORPHAN"), "{}", res.text);
        act(&planner, 999_999, "release").await.assert_status(404);
    }
}

both_backends! {
    async fn release_copies_routing_and_bom_and_later_versions_leave_it_alone(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        {
            let mut conn = app.db.get().unwrap();
            fixtures::attach(&mut conn, plant.pump_operations[0], "drawing-10.pdf");
        }
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        let id = create(&planner, plant.pump, 10.0).await["id"].as_i64().unwrap();
        let draft = get(&planner, id).await;
        assert_eq!(draft["operations"], json!([]));
        assert!(draft["routing_version"].is_null());
        let released = act(&planner, id, "release").await;
        released.assert_status(200);
        let order = released.body;
        assert_eq!(order["routing_version"], 1);
        assert_eq!(order["bom_version"], 1);
        assert!(order["released_at"].is_string());
        let number = order["number"].as_str().unwrap();
        assert_eq!(order["scan_code"], format!("WO:{number}"));
        let ops = order["operations"].as_array().unwrap();
        let seqs: Vec<i64> = ops.iter().map(|o| o["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, [10, 20, 30]);
        let first = &ops[0];
        assert_eq!(first["name"], "Machine");
        assert_eq!(first["work_center_code"], "MACH");
        assert_eq!(first["setup_minutes"], 30.0);
        assert_eq!(first["status"], "pending");
        assert_eq!(first["qty_available"], 10.0);
        assert_eq!(first["qty_remaining"], 10.0);
        assert_eq!(first["scan_code"], format!("OP:{number}:10"));
        assert_eq!(first["instruction"], "Machine carefully");
        // Run time per machine: the machine's own, else the operation's.
        assert_eq!(
            first["machines"],
            json!([
                {"machine_id": plant.machines[0].0, "machine_code": "CNC-01", "run_minutes_per_unit": 3.0},
                {"machine_id": plant.machines[1].0, "machine_code": "CNC-02", "run_minutes_per_unit": 2.5},
            ])
        );
        assert_eq!(first["attachments"][0]["file_name"], "drawing-10.pdf");
        assert_eq!(ops[2]["inspection_required"], true);
        assert_eq!(ops[1]["qty_available"], 0.0, "nothing passed on yet");
        // quantity × per / (1 − scrap): 10 × 2 = 20 brackets, 10 × 4 / 0.8 = 50 screws.
        let materials = order["materials"].as_array().unwrap();
        assert_eq!(materials.len(), 2);
        assert_eq!(materials[0]["product_code"], "SF-BRACKET");
        assert_eq!(materials[0]["quantity_required"], 20.0);
        assert_eq!(materials[1]["product_code"], "RM-SCREW");
        assert!((materials[1]["quantity_required"].as_f64().unwrap() - 50.0).abs() < 1e-9);
        assert_eq!(materials[1]["quantity_issued"], 0.0);

        // An operation listing no machines may run on any machine of its work centre.
        let bracket = create(&planner, plant.bracket, 10.0).await["id"].as_i64().unwrap();
        let bracket = act(&planner, bracket, "release").await.body;
        let codes: Vec<&str> = bracket["operations"][0]["machines"].as_array().unwrap().iter().map(|m| m["machine_code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["CNC-01", "CNC-02"]);
        assert_eq!(bracket["operations"][0]["machines"][0]["run_minutes_per_unit"], 1.0);
        assert_eq!(bracket["operations"][1]["machines"][0]["run_minutes_per_unit"], 1.5);
        assert!((bracket["materials"][0]["quantity_required"].as_f64().unwrap() - 5.0 / 0.9).abs() < 1e-9);

        // A new routing and BOM version: the released order keeps its copy; new releases use it.
        {
            let mut conn = app.db.get().unwrap();
            fixtures::activate_routing(&mut conn, plant.pump, &[fixtures::OpSpec {
                seq: 10, name: "One-step build", work_center: plant.assembly, setup: 0.0, run: 9.0, machines: vec![],
            }]);
            fixtures::activate_bom(&mut conn, plant.pump, &[(plant.screw, 1.0, 0.0)]);
        }
        let again = get(&planner, id).await;
        assert_eq!(again["operations"], order["operations"]);
        assert_eq!(again["materials"], order["materials"]);
        assert_eq!(again["routing_version"], 1);
        let newer = create(&planner, plant.pump, 5.0).await["id"].as_i64().unwrap();
        let newer = act(&planner, newer, "release").await.body;
        assert_eq!(newer["routing_version"], 2);
        assert_eq!(newer["bom_version"], 2);
        assert_eq!(newer["operations"].as_array().unwrap().len(), 1);
        assert_eq!(newer["operations"][0]["machines"][0]["machine_code"], "ASM-01");
        assert_eq!(newer["materials"][0]["quantity_required"], 5.0);

        // What the scanner carries finds the order.
        let by_number = planner.get(&format!("/api/v1/work-orders/by-number/{number}")).await;
        by_number.assert_status(200);
        assert_eq!(by_number.body["id"], id);
        planner.get("/api/v1/work-orders/by-number/NOPE-1").await.assert_status(404);
    }
}

both_backends! {
    async fn split_rules_and_quantities(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        let id = order_in(&planner, plant.pump, "released").await;
        let parent_number = get(&planner, id).await["number"].as_str().unwrap().to_owned();
        fixtures::report(&app.db, id, 10, 3.0, 1.0);
        let split = |q: Value| {
            let planner = &planner;
            async move { planner.post(&format!("/api/v1/work-orders/{id}/split"), &json!({"quantity": q})).await }
        };
        for bad in [json!(0), json!(-1), json!(7), json!(10), json!(11)] {
            let res = split(bad.clone()).await;
            res.assert_status(400);
            assert_eq!(res.body["details"][0]["field"], "quantity", "{bad}: {}", res.text);
        }
        assert!(split(json!(7)).await.body["details"][0]["message"].as_str().unwrap().contains("At most 6"));

        let child = split(json!(4)).await;
        child.assert_status(201);
        let child = child.body;
        assert_eq!(child["number"], format!("{parent_number}-1"));
        assert_eq!(child["quantity"], 4.0);
        assert_eq!(child["status"], "released");
        assert_eq!(child["parent_id"], id);
        assert_eq!(child["routing_version"], 1);
        assert_eq!(child["product_id"], plant.pump);
        let child_ops = child["operations"].as_array().unwrap();
        assert_eq!(child_ops.len(), 3);
        assert!(child_ops.iter().all(|o| o["qty_good"] == 0.0 && o["status"] == "pending"));
        assert_eq!(child_ops[0]["machines"].as_array().unwrap().len(), 2);
        assert_eq!(child["materials"][0]["quantity_required"], 8.0);
        assert_eq!(child["events"][0]["kind"], "split_from");
        assert_eq!(child["events"][0]["detail"]["parent"], parent_number.as_str());

        let parent = get(&planner, id).await;
        assert_eq!(parent["quantity"], 6.0);
        assert_eq!(parent["materials"][0]["quantity_required"], 12.0);
        assert!((parent["materials"][1]["quantity_required"].as_f64().unwrap() - 30.0).abs() < 1e-9);
        assert_eq!(parent["operations"][0]["qty_remaining"], 2.0);
        assert_eq!(parent["children"], json!([{"id": child["id"], "number": child["number"], "status": "released"}]));
        assert_eq!(parent["events"][0]["kind"], "split");
        assert_eq!(parent["events"][0]["detail"]["quantity"], 4.0);

        let second = split(json!(2)).await;
        second.assert_status(201);
        assert_eq!(second.body["number"], format!("{parent_number}-2"));
        // The parent keeps 4, all of which has started at the first operation.
        let res = split(json!(1)).await;
        res.assert_status(400);

        // An order in progress splits into a released one; on hold into on hold.
        let running = order_in(&planner, plant.pump, "in_progress").await;
        let res = planner.post(&format!("/api/v1/work-orders/{running}/split"), &json!({"quantity": 3, "due_at": due(30)})).await;
        res.assert_status(201);
        assert_eq!(res.body["status"], "released");
        assert_eq!(res.body["due_at"].as_str().unwrap()[..10], due(30)[..10]);
        let held = order_in(&planner, plant.pump, "on_hold").await;
        let res = planner.post(&format!("/api/v1/work-orders/{held}/split"), &json!({"quantity": 5})).await;
        res.assert_status(201);
        assert_eq!(res.body["status"], "on_hold");
        assert_eq!(res.body["hold_reason"], "test");
        let child = res.body["id"].as_i64().unwrap();
        assert_eq!(act(&planner, child, "resume").await.body["status"], "released");
        // A draft splits into a draft, without copies.
        let draft = order_in(&planner, plant.pump, "draft").await;
        let res = planner.post(&format!("/api/v1/work-orders/{draft}/split"), &json!({"quantity": 2.5})).await;
        res.assert_status(201);
        assert_eq!(res.body["status"], "draft");
        assert_eq!(get(&planner, draft).await["quantity"], 7.5);
        // Finished orders are not split.
        for status in ["completed", "closed", "cancelled"] {
            let done = order_in(&planner, plant.pump, status).await;
            let res = planner.post(&format!("/api/v1/work-orders/{done}/split"), &json!({"quantity": 1})).await;
            res.assert_status(409);
            assert!(res.body["message"].as_str().unwrap().contains(status), "{}", res.text);
        }
    }
}

both_backends! {
    async fn validation_names_every_bad_field(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        let res = planner
            .post("/api/v1/work-orders", &json!({
                "product_id": plant.steel, "quantity": 0, "priority": 9,
                "due_at": due(1), "release_at": due(2), "customer": "x".repeat(201),
            }))
            .await;
        res.assert_status(400);
        assert_eq!(res.error_kind(), "validation");
        let fields: Vec<&str> = res.body["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["product_id", "quantity", "priority", "release_at", "customer"]);
        assert!(res.body["details"][0]["message"].as_str().unwrap().contains("raw material"));

        let missing = planner.post("/api/v1/work-orders", &json!({"product_id": plant.pump, "quantity": 1})).await;
        missing.assert_status(400);
        assert_eq!(missing.body["details"][0]["field"], "due_at", "{}", missing.text);
        let unknown = planner.post("/api/v1/work-orders", &json!({"product_id": 999_999, "quantity": 1, "due_at": due(1)})).await;
        unknown.assert_status(400);
        assert_eq!(unknown.body["details"][0]["field"], "product_id");
        let bad_number = planner.post("/api/v1/work-orders", &json!({"number": "has space", "product_id": plant.pump, "quantity": 1, "due_at": due(1)})).await;
        assert_eq!(bad_number.body["details"][0]["field"], "number");

        let preds = planner.post("/api/v1/work-orders", &json!({"product_id": plant.pump, "quantity": 1, "due_at": due(1), "predecessors": [999_999]})).await;
        preds.assert_status(400);
        assert_eq!(preds.body["details"][0]["field"], "predecessors");

        // Dependencies: a → b → c; c may not come before a, nor an order before itself.
        let a = create(&planner, plant.bracket, 1.0).await["id"].as_i64().unwrap();
        let b = planner.post("/api/v1/work-orders", &json!({"product_id": plant.bracket, "quantity": 1, "due_at": due(2), "predecessors": [a, a]})).await;
        b.assert_status(201);
        assert_eq!(b.body["predecessors"][0]["id"], a);
        assert_eq!(b.body["predecessors"].as_array().unwrap().len(), 1);
        assert_eq!(b.body["priority"], 3, "normal priority by default");
        let b = b.body["id"].as_i64().unwrap();
        let c = planner.post("/api/v1/work-orders", &json!({"product_id": plant.pump, "quantity": 1, "due_at": due(3), "predecessors": [b]})).await.body["id"].as_i64().unwrap();
        let cycle = planner.patch(&format!("/api/v1/work-orders/{a}"), &json!({"predecessors": [c]})).await;
        cycle.assert_status(400);
        assert_eq!(cycle.body["details"][0]["field"], "predecessors");
        assert!(cycle.body["details"][0]["message"].as_str().unwrap().contains("cycle"));
        let own = planner.patch(&format!("/api/v1/work-orders/{a}"), &json!({"predecessors": [a]})).await;
        own.assert_status(400);
        let fine = planner.patch(&format!("/api/v1/work-orders/{c}"), &json!({"predecessors": [a, b]})).await;
        fine.assert_status(200);
        assert_eq!(fine.body["predecessors"].as_array().unwrap().len(), 2);
        let later = planner.patch(&format!("/api/v1/work-orders/{a}"), &json!({"release_at": due(30)})).await;
        later.assert_status(400);
        assert_eq!(later.body["details"][0]["field"], "release_at");
    }
}

both_backends! {
    async fn numbers_are_generated_with_the_prefix_or_given(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let admin = app.admin().await.with_lang("en");
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        assert_eq!(create(&planner, plant.pump, 1.0).await["number"], "WO-000001");
        assert_eq!(create(&planner, plant.pump, 1.0).await["number"], "WO-000002");
        let body = json!({"number": "ERP-4711", "product_id": plant.pump, "quantity": 1, "due_at": due(1)});
        planner.post("/api/v1/work-orders", &body).await.assert_status(201);
        let twice = planner.post("/api/v1/work-orders", &body).await;
        twice.assert_status(409);
        assert!(twice.body["message"].as_str().unwrap().contains("ERP-4711"));
        // A number given by hand that the counter would make next is skipped.
        let taken = json!({"number": "WO-000003", "product_id": plant.pump, "quantity": 1, "due_at": due(1)});
        planner.post("/api/v1/work-orders", &taken).await.assert_status(201);
        assert_eq!(create(&planner, plant.pump, 1.0).await["number"], "WO-000004");

        let settings = planner.get("/api/v1/settings/work-orders").await;
        settings.assert_status(200);
        assert_eq!(settings.body, json!({"number_prefix": "WO-"}));
        let put = planner.put("/api/v1/settings/work-orders", &json!({"number_prefix": "GD-2026-"})).await;
        put.assert_status(200);
        assert_eq!(create(&planner, plant.pump, 1.0).await["number"], "GD-2026-000005");
        for bad in ["has space", "toolongprefix", "工单"] {
            let res = planner.put("/api/v1/settings/work-orders", &json!({"number_prefix": bad})).await;
            res.assert_status(400);
            assert_eq!(res.body["details"][0]["field"], "number_prefix");
        }
        planner.put("/api/v1/settings/work-orders", &json!({"number_prefix": ""})).await.assert_status(200);
        assert_eq!(create(&planner, plant.pump, 1.0).await["number"], "000006");
        let supervisor = app.signed_in("sv", &[Role::Supervisor]).await;
        supervisor.put("/api/v1/settings/work-orders", &json!({"number_prefix": "X"})).await.assert_status(403);
        supervisor.get("/api/v1/settings/work-orders").await.assert_status(200);
        let trail = admin.get("/api/v1/audit?entity=settings&entity_id=work_orders").await;
        assert_eq!(trail.body["total"], 2);
        assert_eq!(trail.body["items"][1]["before"]["number_prefix"], "WO-");
        assert_eq!(trail.body["items"][1]["after"]["number_prefix"], "GD-2026-");
    }
}

both_backends! {
    async fn concurrent_transitions_exactly_one_wins(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let a = app.signed_in("planner-a", &[Role::Planner]).await;
        let b = app.signed_in("planner-b", &[Role::Manager]).await;
        let mut clients = (a, b);
        for (setup, action) in [("draft", "release"), ("released", "hold"), ("draft", "cancel"), ("in_progress", "complete"), ("completed", "close")] {
            for _ in 0..3 {
                let id = order_in(&clients.0, plant.pump, setup).await;
                let (a, b) = clients;
                let first = actix_web::rt::spawn(async move { let r = act(&a, id, action).await; (a, r.status) });
                let second = actix_web::rt::spawn(async move { let r = act(&b, id, action).await; (b, r.status) });
                let (a, sa) = first.await.unwrap();
                let (b, sb) = second.await.unwrap();
                let mut statuses = [sa, sb];
                statuses.sort_unstable();
                assert_eq!(statuses, [200, 409], "{setup} × {action} twice at once");
                clients = (a, b);
            }
        }
        let (a, _) = clients;
        // Releasing twice at once copies the routing once.
        let detail = {
            let id = order_in(&a, plant.pump, "released").await;
            get(&a, id).await
        };
        assert_eq!(detail["operations"].as_array().unwrap().len(), 3);
        // A form edited on a stale version is refused.
        let id = detail["id"].as_i64().unwrap();
        let version = detail["lock_version"].as_i64().unwrap();
        a.patch(&format!("/api/v1/work-orders/{id}"), &json!({"notes": "first", "lock_version": version})).await.assert_status(200);
        let stale = a.patch(&format!("/api/v1/work-orders/{id}"), &json!({"notes": "second", "lock_version": version})).await;
        stale.assert_status(409);
        let stale = a.post(&format!("/api/v1/work-orders/{id}/hold"), &json!({"reason": "x", "lock_version": version})).await;
        stale.assert_status(409);
    }
}

both_backends! {
    async fn updates_follow_the_status_and_drafts_alone_are_deleted(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        let id = order_in(&planner, plant.pump, "draft").await;
        let res = planner.patch(&format!("/api/v1/work-orders/{id}"), &json!({"product_id": plant.bracket, "quantity": 12, "customer": " ACME "})).await;
        res.assert_status(200);
        assert_eq!(res.body["product_code"], "SF-BRACKET");
        assert_eq!(res.body["quantity"], 12.0);
        assert_eq!(res.body["customer"], "ACME");

        let id = order_in(&planner, plant.pump, "released").await;
        let res = planner.patch(&format!("/api/v1/work-orders/{id}"), &json!({"quantity": 11, "priority": 1})).await;
        res.assert_status(409);
        let message = res.body["message"].as_str().unwrap();
        assert!(message.contains("quantity") && message.contains("released") && message.contains("split"), "{message}");
        // Sending the current value is no change.
        planner.patch(&format!("/api/v1/work-orders/{id}"), &json!({"quantity": 10, "priority": 1, "due_at": due(20)})).await.assert_status(200);
        let res = planner.delete(&format!("/api/v1/work-orders/{id}")).await;
        res.assert_status(409);
        assert!(res.body["message"].as_str().unwrap().contains("cancel"));

        let id = order_in(&planner, plant.pump, "completed").await;
        planner.patch(&format!("/api/v1/work-orders/{id}"), &json!({"priority": 2})).await.assert_status(409);
        let notes = planner.patch(&format!("/api/v1/work-orders/{id}"), &json!({"notes": "客户确认"})).await;
        notes.assert_status(200);
        assert_eq!(notes.body["notes"], "客户确认");
        let id = order_in(&planner, plant.pump, "closed").await;
        let res = planner.patch(&format!("/api/v1/work-orders/{id}"), &json!({"notes": "late remark"})).await;
        res.assert_status(409);
        assert!(res.body["message"].as_str().unwrap().contains("closed"));

        let id = order_in(&planner, plant.pump, "draft").await;
        planner.delete(&format!("/api/v1/work-orders/{id}")).await.assert_status(204);
        planner.get(&format!("/api/v1/work-orders/{id}")).await.assert_status(404);
        let admin = app.admin().await;
        let trail = admin.get(&format!("/api/v1/audit?entity=work_order&entity_id={id}")).await;
        assert_eq!(trail.body["items"][0]["action"], "delete");
        assert_eq!(trail.body["items"][0]["before"]["status"], "draft");
    }
}

both_backends! {
    async fn timeline_and_audit_follow_every_change(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        let id = create(&planner, plant.pump, 10.0).await["id"].as_i64().unwrap();
        planner.patch(&format!("/api/v1/work-orders/{id}"), &json!({"priority": 1, "customer": "苏州精密"})).await.assert_status(200);
        act(&planner, id, "release").await.assert_status(200);
        planner.post(&format!("/api/v1/work-orders/{id}/hold"), &json!({"reason": "等待钢板到货"})).await.assert_status(200);
        act(&planner, id, "resume").await.assert_status(200);
        let detail = get(&planner, id).await;
        let kinds: Vec<&str> = detail["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["resumed", "held", "released", "updated", "created"]);
        let events = detail["events"].as_array().unwrap();
        assert!(events.iter().all(|e| e["actor_name"] == "planner"));
        assert_eq!(events[1]["detail"]["reason"], "等待钢板到货");
        assert_eq!(events[2]["detail"]["routing_version"], 1);
        assert_eq!(events[3]["detail"]["changes"]["priority"], json!({"from": 3, "to": 1}));
        assert_eq!(events[3]["detail"]["changes"]["customer"]["to"], "苏州精密");

        let admin = app.admin().await;
        let trail = admin.get(&format!("/api/v1/audit?entity=work_order&entity_id={id}")).await;
        trail.assert_status(200);
        let actions: Vec<&str> = trail.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["update", "update", "update", "update", "create"]);
        let resume = &trail.body["items"][0];
        assert_eq!(resume["actor_name"], "planner");
        assert_eq!(resume["before"]["status"], "on_hold");
        assert_eq!(resume["before"]["hold_reason"], "等待钢板到货");
        assert_eq!(resume["after"]["status"], "released");
        assert_eq!(trail.body["items"][4]["after"]["number"], detail["number"]);
    }
}

both_backends! {
    async fn roles_read_and_run_orders_as_allowed(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        let supervisor = app.signed_in("sv", &[Role::Supervisor]).await;
        let operator = app.signed_in("op", &[Role::Operator]).await;
        let id = order_in(&planner, plant.pump, "released").await;
        act(&supervisor, id, "hold").await.assert_status(403);
        act(&supervisor, id, "start").await.assert_status(200);
        act(&supervisor, id, "complete").await.assert_status(200);
        act(&supervisor, id, "close").await.assert_status(403);
        operator.get("/api/v1/work-orders").await.assert_status(200);
        operator.get(&format!("/api/v1/work-orders/{id}")).await.assert_status(200);
        operator.post("/api/v1/work-orders", &json!({"product_id": plant.pump, "quantity": 1, "due_at": due(1)})).await.assert_status(403);
        operator.post(&format!("/api/v1/work-orders/{id}/split"), &json!({"quantity": 1})).await.assert_status(403);
    }
}

both_backends! {
    async fn list_rows_show_progress_and_lateness(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        let late = planner.post("/api/v1/work-orders", &json!({"product_id": plant.pump, "quantity": 10, "due_at": due(-2), "customer": "Late Co"})).await.body["id"].as_i64().unwrap();
        act(&planner, late, "release").await.assert_status(200);
        act(&planner, late, "start").await.assert_status(200);
        fixtures::report(&app.db, late, 10, 9.0, 1.0);
        fixtures::report(&app.db, late, 20, 4.0, 1.0);
        let overdue_draft = planner.post("/api/v1/work-orders", &json!({"product_id": plant.pump, "quantity": 10, "due_at": due(-2)})).await.body["id"].as_i64().unwrap();
        let page = planner.get("/api/v1/work-orders?late=true").await;
        page.assert_status(200);
        assert_eq!(page.body["total"], 1, "a draft is not late: it is not on the shop floor");
        let row = &page.body["items"][0];
        assert_eq!(row["id"], late);
        assert_eq!(row["late"], true);
        assert_eq!(row["qty_good"], 0.0, "nothing has passed the last operation");
        assert_eq!(row["qty_scrap"], 2.0);
        assert_eq!(row["qty_remaining"], 8.0);
        assert_eq!(row["product_code"], "FG-PUMP");
        assert_eq!(row["unit"], "pcs");
        // Work minutes 60, 50, 10: the first done, the second 5 of the 9 that can reach it.
        let expect = (60.0 + 50.0 * 5.0 / 9.0) / 120.0;
        assert!((row["progress"].as_f64().unwrap() - expect).abs() < 1e-3, "{row}");
        let not_late = planner.get("/api/v1/work-orders?late=false").await;
        let ids: Vec<i64> = not_late.body["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [overdue_draft]);
    }
}

// ---- Paging at scale ----

const CUSTOMERS: [&str; 6] = [
    "苏州精密机械",
    "宁波东方汽配",
    "ACME Tools GmbH",
    "深圳华联电子",
    "100% Pure_Co",
    "青岛海工",
];
const STATUS_MIX: [&str; 7] = [
    "draft",
    "released",
    "in_progress",
    "on_hold",
    "completed",
    "closed",
    "cancelled",
];

fn bulk_rows(n: usize, products: &[i64], prefix: &str) -> Vec<NewWorkOrderRow> {
    let base = fixtures::now();
    (0..n)
        .map(|i| {
            let status = STATUS_MIX[(i * 7 + i / 13) % 7];
            // Few distinct due dates and quantities: the tie-breakers matter.
            let due_at = base + Duration::days((i % 41) as i64 - 10);
            NewWorkOrderRow {
                number: format!("{prefix}{:06}", (i * 7919) % 1_000_003),
                product_id: products[i % products.len()],
                quantity: [1.0, 2.5, 10.0, 10.0, 100.0, 0.5][i % 6],
                due_at,
                release_at: None,
                priority: (i % 5) as i32 + 1,
                customer: CUSTOMERS[i % CUSTOMERS.len()].into(),
                sales_order: format!("SO-{}", 2000 + i % 97),
                notes: String::new(),
                status: status.into(),
                held_from: (status == "on_hold").then(|| "released".into()),
                hold_reason: (status == "on_hold").then(|| "test".into()),
                routing_id: None,
                bom_id: None,
                parent_id: None,
                created_at: base - Duration::minutes((i % 500) as i64),
                updated_at: base,
                released_at: None,
                started_at: None,
            }
        })
        .collect()
}

fn all_rows(app: &mes_tests::TestApp) -> Vec<WorkOrderRow> {
    let mut conn = app.db.get().unwrap();
    work_orders::table
        .select(WorkOrderRow::as_select())
        .load(&mut *conn)
        .unwrap()
}

fn sorted(mut rows: Vec<WorkOrderRow>, sort: &str, desc: bool) -> Vec<String> {
    rows.sort_by(|a, b| {
        let key = match sort {
            "due_at" => a.due_at.cmp(&b.due_at).then(a.id.cmp(&b.id)),
            "number" => a.number.cmp(&b.number),
            "priority" => a
                .priority
                .cmp(&b.priority)
                .then(a.due_at.cmp(&b.due_at))
                .then(a.id.cmp(&b.id)),
            "created_at" => a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)),
            "status" => a
                .status
                .cmp(&b.status)
                .then(a.due_at.cmp(&b.due_at))
                .then(a.id.cmp(&b.id)),
            "quantity" => a.quantity.total_cmp(&b.quantity).then(a.id.cmp(&b.id)),
            other => panic!("{other}"),
        };
        if desc { key.reverse() } else { key }
    });
    rows.into_iter().map(|r| r.number).collect()
}

/// Walks every page of `query`; returns the numbers in order and checks `total` on each page.
async fn walk(client: &Client, query: &str, limit: usize) -> (Vec<String>, i64) {
    let mut numbers = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    loop {
        let mut path = format!("/api/v1/work-orders?{query}&limit={limit}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = client.get(&path).await;
        page.assert_status(200);
        let t = page.body["total"].as_i64().unwrap();
        assert_eq!(
            *total.get_or_insert(t),
            t,
            "total is the same on every page"
        );
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        numbers.extend(
            items
                .iter()
                .map(|r| r["number"].as_str().unwrap().to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) => {
                assert_eq!(items.len(), limit, "only the last page is short");
                cursor = Some(c.to_owned());
            }
            None => break,
        }
    }
    (numbers, total.unwrap_or(0))
}

both_backends! {
    async fn paging_sorting_and_filters_at_scale(app: TestApp) {
        let plant = fixtures::plant(&app.db);
        let products = [plant.pump, plant.bracket, plant.orphan];
        fixtures::bulk_orders(&app.db, &bulk_rows(3000, &products, "T-"));
        let client = app.signed_in("viewer", &[Role::Operator]).await;
        let rows = all_rows(&app);
        assert_eq!(rows.len(), 3000);

        for sort in ["due_at", "number", "priority", "created_at", "status", "quantity"] {
            for dir in ["asc", "desc"] {
                let (numbers, total) = walk(&client, &format!("sort={sort}&dir={dir}"), 500).await;
                assert_eq!(total, 3000);
                assert_eq!(numbers, sorted(rows.clone(), sort, dir == "desc"), "sort={sort}&dir={dir}");
            }
        }

        // A few statuses are read status by status and merged: the same order, every sort.
        let some: Vec<WorkOrderRow> = rows.iter().filter(|r| ["released", "on_hold", "closed"].contains(&r.status.as_str())).cloned().collect();
        for sort in ["due_at", "number", "priority", "created_at", "status", "quantity"] {
            for dir in ["asc", "desc"] {
                let query = format!("status=closed,released,on_hold&sort={sort}&dir={dir}");
                let (numbers, total) = walk(&client, &query, 150).await;
                assert_eq!(total as usize, some.len());
                assert_eq!(numbers, sorted(some.clone(), sort, dir == "desc"), "{query}");
            }
        }

        let now = fixtures::now();
        let check = |name: &str, keep: &dyn Fn(&WorkOrderRow) -> bool| {
            let kept: Vec<WorkOrderRow> = rows.iter().filter(|r| keep(r)).cloned().collect();
            assert!(!kept.is_empty() && kept.len() < rows.len(), "{name} selects some rows");
            sorted(kept, "due_at", false)
        };
        let open = ["released", "in_progress", "on_hold"];
        let cases: Vec<(String, Vec<String>)> = vec![
            ("status=released,on_hold".into(), check("status", &|r| r.status == "released" || r.status == "on_hold")),
            (format!("product_id={}", plant.bracket), check("product", &|r| r.product_id == plant.bracket)),
            ("q=acme".into(), check("q", &|r| r.customer.starts_with("ACME"))),
            ("q=%E7%B2%BE%E5%AF%86".into(), check("q zh", &|r| r.customer.contains("精密"))),
            ("q=100%25".into(), check("q literal %", &|r| r.customer.starts_with("100%"))),
            ("q=so-201".into(), check("q sales order", &|r| r.sales_order.starts_with("SO-201"))),
            ("q=sf-brack".into(), check("q product code", &|r| r.product_id == plant.bracket)),
            ("q=T-0000".into(), check("q number", &|r| r.number.contains("T-0000"))),
            ("late=true".into(), check("late", &|r| open.contains(&r.status.as_str()) && r.due_at < now)),
            (
                format!("due_from={}&due_to={}", (Utc::now() + Duration::days(3)).format("%Y-%m-%dT00:00:00Z"), (Utc::now() + Duration::days(10)).format("%Y-%m-%dT00:00:00Z")),
                {
                    let from = (Utc::now() + Duration::days(3)).date_naive().and_hms_opt(0, 0, 0).unwrap();
                    let to = (Utc::now() + Duration::days(10)).date_naive().and_hms_opt(0, 0, 0).unwrap();
                    check("due range", &|r| r.due_at >= from && r.due_at < to)
                },
            ),
            (
                format!("status=in_progress&product_id={}&q=%E9%9D%92%E5%B2%9B", plant.orphan),
                check("combined", &|r| r.status == "in_progress" && r.product_id == plant.orphan && r.customer == "青岛海工"),
            ),
        ];
        for (query, want) in cases {
            let (numbers, total) = walk(&client, &query, 97).await;
            assert_eq!(total as usize, want.len(), "{query}");
            assert_eq!(numbers, want, "{query}");
        }

        // Cursor stability: rows inserted or changed while paging do not make a page skip or
        // repeat the rows that stayed where they were.
        let first = client.get("/api/v1/work-orders?sort=due_at&limit=100").await;
        let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
        let mut seen: Vec<String> = first.body["items"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_owned()).collect();
        let mut extra = bulk_rows(50, &products, "NEW-");
        for (i, row) in extra.iter_mut().enumerate() {
            row.due_at = fixtures::days(if i % 2 == 0 { -100 } else { 100 });
        }
        fixtures::bulk_orders(&app.db, &extra);
        let mut cursor = Some(cursor);
        while let Some(c) = cursor {
            let page = client.get(&format!("/api/v1/work-orders?sort=due_at&limit=100&cursor={c}")).await;
            page.assert_status(200);
            assert_eq!(page.body["total"], 3000, "the first page's count is carried");
            seen.extend(page.body["items"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_owned()));
            cursor = page.body["next_cursor"].as_str().map(str::to_owned);
        }
        let original = sorted(rows.clone(), "due_at", false);
        let kept: Vec<&String> = seen.iter().filter(|n| !n.starts_with("NEW-")).collect();
        assert_eq!(kept, original.iter().collect::<Vec<_>>());
        let new: HashSet<&String> = seen.iter().filter(|n| n.starts_with("NEW-")).collect();
        assert_eq!(new.len(), 25, "only the new rows after the cursor appear");

        // Bad paging parameters are 400s naming the parameter.
        let number_cursor = client.get("/api/v1/work-orders?sort=number&limit=5").await.body["next_cursor"].as_str().unwrap().to_owned();
        for (query, field) in [
            ("cursor=garbage".to_owned(), "cursor"),
            ("cursor=W1siZHVlX2F0Il1d".to_owned(), "cursor"),
            (format!("sort=due_at&cursor={number_cursor}"), "cursor"),
            (format!("sort=number&dir=desc&cursor={number_cursor}"), "cursor"),
            ("limit=0".to_owned(), "limit"),
            ("limit=501".to_owned(), "limit"),
            ("status=done".to_owned(), "status"),
            ("sort=colour".to_owned(), "sort"),
            ("dir=up".to_owned(), "dir"),
            ("late=maybe".to_owned(), "late"),
            ("due_from=tomorrow".to_owned(), "due_from"),
            ("colour=red".to_owned(), "colour"),
        ] {
            let res = client.get(&format!("/api/v1/work-orders?{query}")).await;
            assert_eq!(res.status, 400, "{query}: {}", res.text);
            assert_eq!(res.body["details"][0]["field"], field, "{query}: {}", res.text);
        }
        // The same cursor with another filter is counted afresh, not rejected.
        let res = client.get(&format!("/api/v1/work-orders?sort=number&status=draft&cursor={number_cursor}")).await;
        res.assert_status(200);
        assert_eq!(res.body["total"], rows.iter().filter(|r| r.status == "draft").count() + extra.iter().filter(|r| r.status == "draft").count());
    }
}

both_backends! {
    async fn demo_orders_cover_every_state(app: TestApp) {
        fixtures::plant(&app.db);
        {
            let mut conn = app.db.get().unwrap();
            let actor = mes_backend::http::extract::Actor::system("demo");
            mes_backend::demo::orders::fill_orders(&mut conn, &actor, fixtures::now()).unwrap();
            // Safe to run twice.
            mes_backend::demo::orders::fill_orders(&mut conn, &actor, fixtures::now()).unwrap();
        }
        let rows = all_rows(&app);
        assert!((280..=340).contains(&rows.len()), "{} orders", rows.len());
        for status in STATUS_MIX {
            assert!(rows.iter().filter(|r| r.status == status).count() >= 5, "{status}");
        }
        let client = app.signed_in("viewer", &[Role::Operator]).await;
        let late = client.get("/api/v1/work-orders?late=true&limit=1").await;
        assert!(late.body["total"].as_i64().unwrap() >= 5);
        assert!(rows.iter().any(|r| r.parent_id.is_some()), "some were split");
        let running = client.get("/api/v1/work-orders?status=in_progress&limit=500").await;
        let items = running.body["items"].as_array().unwrap();
        assert!(items.iter().any(|r| r["progress"].as_f64().unwrap() > 0.0 && r["progress"].as_f64().unwrap() < 1.0));
        let held = client.get("/api/v1/work-orders?status=on_hold&limit=1").await;
        let held = get(&client, held.body["items"][0]["id"].as_i64().unwrap()).await;
        assert!(!held["hold_reason"].as_str().unwrap().is_empty());
        let with_predecessors = rows.iter().filter(|r| {
            let mut conn = app.db.get().unwrap();
            !mes_backend::work_orders::queries::predecessors_of(&mut conn, r.id).unwrap().is_empty()
        }).count();
        assert!(with_predecessors >= 3);
    }
}
