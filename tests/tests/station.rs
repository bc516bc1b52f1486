//! Station reporting over the API, on both databases: sign-in of several operators by badge or
//! name and PIN, the operation state machine cell by cell, the previous-operation limit and the
//! supervisor's override, the last operation completing the order, concurrent tablets, idempotent
//! replays, andon calls with the event stream, and the piece-rate report.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use mes_api_types::auth::{NewUser, Role};
use mes_backend::{
    db::schema::{
        audit_log, defect_reasons, downtime_reasons, labour_entries, operation_phases,
        production_reports, routing_operations, stations,
    },
    http::extract::Actor,
};
use mes_tests::{Client, Response, TestApp, both_backends, fixtures};
use serde_json::{Value, json};

struct Floor {
    plant: fixtures::Plant,
    admin: Client,
    scrap_reason: i64,
    downtime_reason: i64,
}

fn station(app: &TestApp, code: &str, machine: i64) {
    let mut conn = app.db.get().unwrap();
    let at = fixtures::now();
    diesel::insert_into(stations::table)
        .values((
            stations::code.eq(code),
            stations::name.eq(code),
            stations::machine_id.eq(machine),
            stations::created_at.eq(at),
            stations::updated_at.eq(at),
        ))
        .execute(&mut *conn)
        .unwrap();
}

fn operator(app: &TestApp, username: &str, badge: &str, roles: &[Role]) -> i64 {
    let mut conn = app.db.get().unwrap();
    mes_backend::users::service::create_user(
        &mut conn,
        &Actor::system("test"),
        NewUser {
            username: username.into(),
            display_name: Some(format!("{username} name")),
            password: format!("{username}-password"),
            roles: roles.to_vec(),
            language: None,
            badge_code: Some(badge.into()),
            pin: Some("2468".into()),
        },
    )
    .unwrap()
    .id
    .0
}

/// The fixture plant, a station per machine (ST-CNC-01, ST-CNC-02, ST-ASM-01), reasons, and a
/// piece rate of 1.5 on the pump's first operation.
async fn floor(app: &TestApp) -> Floor {
    let plant = fixtures::plant(&app.db);
    for (id, code) in &plant.machines {
        station(app, &format!("ST-{code}"), *id);
    }
    let mut conn = app.db.get().unwrap();
    let scrap_reason: i64 = diesel::insert_into(defect_reasons::table)
        .values((
            defect_reasons::code.eq("SCRATCH"),
            defect_reasons::name_zh.eq("划伤"),
            defect_reasons::name_en.eq("Scratch"),
        ))
        .returning(defect_reasons::id)
        .get_result(&mut *conn)
        .unwrap();
    let downtime_reason: i64 = diesel::insert_into(downtime_reasons::table)
        .values((
            downtime_reasons::code.eq("TOOL"),
            downtime_reasons::name_zh.eq("换刀"),
            downtime_reasons::name_en.eq("Tool change"),
        ))
        .returning(downtime_reasons::id)
        .get_result(&mut *conn)
        .unwrap();
    diesel::update(routing_operations::table.find(plant.pump_operations[0]))
        .set(routing_operations::piece_rate.eq(Some(1.5)))
        .execute(&mut *conn)
        .unwrap();
    drop(conn);
    Floor {
        plant,
        admin: app.admin().await,
        scrap_reason,
        downtime_reason,
    }
}

/// A released pump order; returns (order id, operation ids by seq).
async fn released_order(floor: &Floor, quantity: f64) -> (i64, Vec<i64>) {
    let res = floor
        .admin
        .post(
            "/api/v1/work-orders",
            &json!({"product_id": floor.plant.pump, "quantity": quantity,
                    "due_at": (Utc::now() + Duration::days(5)).to_rfc3339()}),
        )
        .await;
    res.assert_status(201);
    let id = res.body["id"].as_i64().unwrap();
    let res = floor
        .admin
        .post(&format!("/api/v1/work-orders/{id}/release"), &json!({}))
        .await;
    res.assert_status(200);
    let ops = res.body["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    (id, ops)
}

/// A tablet at `station` with `badge` signed in.
async fn tablet(app: &TestApp, station: &str, badge: &str) -> Client {
    let client = app.anonymous().with_lang("en");
    client
        .post(
            &format!("/api/v1/stations/{station}/operators"),
            &json!({"badge": badge, "pin": "2468"}),
        )
        .await
        .assert_status(200);
    client
}

async fn act(client: &Client, op: i64, action: &str, body: Value) -> Response {
    client
        .post(&format!("/api/v1/operations/{op}/{action}"), &body)
        .await
}

fn count_reports(app: &TestApp, op: i64) -> i64 {
    let mut conn = app.db.get().unwrap();
    production_reports::table
        .filter(production_reports::operation_id.eq(op))
        .count()
        .get_result(&mut *conn)
        .unwrap()
}

both_backends! {
    async fn operators_sign_in_by_badge_or_name_and_pin(app: TestApp) {
        let _floor = floor(&app).await;
        let ann = operator(&app, "ann", "B-ANN", &[Role::Operator]);
        let bob = operator(&app, "bob", "B-BOB", &[Role::Operator, Role::Quality]);
        let tablet = app.anonymous().with_lang("en");
        let path = "/api/v1/stations/ST-CNC-01/operators";
        let wrong = tablet.post(path, &json!({"badge": "B-ANN", "pin": "0000"})).await;
        wrong.assert_status(401);
        assert!(wrong.body["message"].as_str().unwrap().contains("Wrong badge or PIN"));
        tablet.get("/api/v1/stations/ST-CNC-01/session").await.assert_status(401);
        let neither = tablet.post(path, &json!({"pin": "2468"})).await;
        neither.assert_status(400);
        assert_eq!(neither.body["details"][0]["field"], "badge");
        tablet
            .post("/api/v1/stations/NOPE/operators", &json!({"badge": "B-ANN", "pin": "2468"}))
            .await
            .assert_status(404);

        let first = tablet.post(path, &json!({"badge": "B-ANN", "pin": "2468"})).await;
        first.assert_status(200);
        let cookie = first.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.starts_with("mes_station="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        let second = tablet.post(path, &json!({"username": "BOB", "pin": "2468"})).await;
        second.assert_status(200);
        assert!(second.headers.get("set-cookie").is_none(), "the tablet keeps its session");
        let session = tablet.get("/api/v1/stations/ST-CNC-01/session").await;
        session.assert_status(200);
        let ids: Vec<i64> = session.body["operators"].as_array().unwrap().iter()
            .map(|o| o["user_id"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![ann, bob]);
        assert_eq!(session.body["machines"][0]["code"], "CNC-01");
        // The tablet acts as its first operator, with the roles of everyone signed in.
        let me = tablet.get("/api/v1/auth/me").await;
        me.assert_status(200);
        assert_eq!(me.body["id"], ann);
        let roles = me.body["roles"].as_array().unwrap();
        assert!(roles.contains(&json!("operator")) && roles.contains(&json!("quality")));

        let out = tablet.delete(&format!("/api/v1/stations/ST-CNC-01/operators/{ann}")).await;
        out.assert_status(200);
        assert_eq!(out.body["operators"].as_array().unwrap().len(), 1);
        assert_eq!(tablet.get("/api/v1/auth/me").await.body["id"], bob);
        tablet
            .delete(&format!("/api/v1/stations/ST-CNC-01/operators/{ann}"))
            .await
            .assert_status(404);
        let last = tablet.delete(&format!("/api/v1/stations/ST-CNC-01/operators/{bob}")).await;
        last.assert_status(200);
        assert!(last.body["operators"].as_array().unwrap().is_empty());
        tablet.get("/api/v1/stations/ST-CNC-01/session").await.assert_status(401);
    }
}

/// Drives the first operation of a fresh order into `state`; returns its id.
async fn op_in(floor: &Floor, tablet: &Client, machine: i64, state: &str) -> i64 {
    let (_, ops) = released_order(floor, 10.0).await;
    let op = ops[0];
    let steps: &[(&str, Value)] = match state {
        "none" => &[],
        "setup" => &[("start", json!({"machine_id": machine, "phase": "setup"}))],
        "run" => &[("start", json!({"machine_id": machine, "phase": "run"}))],
        "paused" => &[
            ("start", json!({"machine_id": machine, "phase": "run"})),
            (
                "pause",
                json!({"downtime_reason_id": floor.downtime_reason}),
            ),
        ],
        "done" => &[("report", json!({"good": 10})), ("complete", json!({}))],
        other => panic!("unknown state {other}"),
    };
    for (action, body) in steps {
        act(tablet, op, action, body.clone())
            .await
            .assert_status(200);
    }
    op
}

both_backends! {
    async fn every_action_in_every_phase(app: TestApp) {
        let floor = floor(&app).await;
        operator(&app, "ann", "B-ANN", &[Role::Operator]);
        let cnc = floor.plant.machines[0].0;
        let tablet = tablet(&app, "ST-CNC-01", "B-ANN").await;
        // (state, action) → the phase after it, or None where it is refused with a 409.
        let table: [(&str, [Option<&str>; 6]); 5] = [
            // start_setup, start_run, pause, resume, report, complete
            ("none", [Some("setup"), Some("run"), None, None, Some("none"), Some("none")]),
            ("setup", [None, Some("run"), Some("paused"), None, Some("setup"), Some("none")]),
            ("run", [None, None, Some("paused"), None, Some("run"), Some("none")]),
            ("paused", [None, None, None, Some("run"), Some("paused"), Some("none")]),
            ("done", [None, None, None, None, None, None]),
        ];
        let actions: [(&str, Value); 6] = [
            ("start", json!({"machine_id": cnc, "phase": "setup"})),
            ("start", json!({"machine_id": cnc, "phase": "run"})),
            ("pause", json!({"downtime_reason_id": floor.downtime_reason, "note": "tool"})),
            ("resume", json!({})),
            ("report", json!({"good": 1})),
            ("complete", json!({})),
        ];
        for (state, row) in table {
            for ((action, body), expected) in actions.iter().zip(row) {
                let op = op_in(&floor, &tablet, cnc, state).await;
                if *action == "complete" && expected.is_some() {
                    // Completing needs the quantity made (or a supervisor): report it first.
                    act(&tablet, op, "report", json!({"good": 10})).await.assert_status(200);
                }
                let res = act(&tablet, op, action, body.clone()).await;
                match expected {
                    Some(phase) => {
                        assert_eq!(res.status, 200, "{state} × {action} {body}: {}", res.text);
                        let got = res.body["phase"]["kind"].as_str().unwrap_or("none");
                        assert_eq!(got, phase, "{state} × {action} {body}");
                        if *action == "complete" {
                            assert_eq!(res.body["status"], "done");
                        }
                    }
                    None => {
                        assert_eq!(res.status, 409, "{state} × {action} {body}: {}", res.text);
                        assert!(!res.body["message"].as_str().unwrap().is_empty());
                    }
                }
            }
        }
        // The machine followed the phases; the first start put its order in progress.
        let op = op_in(&floor, &tablet, cnc, "setup").await;
        let session = tablet.get("/api/v1/stations/ST-CNC-01/session").await;
        assert_eq!(session.body["machines"][0]["status"], "setup");
        let view = tablet.get(&format!("/api/v1/operations/{op}")).await;
        view.assert_status(200);
        assert_eq!(view.body["work_order_status"], "in_progress");
        assert_eq!(view.body["phase"]["kind"], "setup");
        assert_eq!(view.body["operation"]["piece_rate"], 1.5);
        assert_eq!(view.body["allowed_actions"], json!(["start_run", "pause", "report", "complete"]));
        // Labour runs for the operator signed in while the phase runs.
        let mut conn = app.db.get().unwrap();
        let open: i64 = labour_entries::table
            .filter(labour_entries::operation_id.eq(op))
            .filter(labour_entries::ended_at.is_null())
            .count()
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(open, 1);
    }
}

both_backends! {
    async fn previous_operation_limits_reports_unless_a_supervisor_overrides(app: TestApp) {
        let floor = floor(&app).await;
        operator(&app, "ann", "B-ANN", &[Role::Operator]);
        operator(&app, "ada", "B-ADA", &[Role::Operator]);
        let sue = operator(&app, "sue", "B-SUE", &[Role::Supervisor]);
        let machining = tablet(&app, "ST-CNC-01", "B-ANN").await;
        let assembly = tablet(&app, "ST-ASM-01", "B-ADA").await;
        let (_, ops) = released_order(&floor, 10.0).await;
        let first = act(&machining, ops[0], "report", json!({"good": 6,
            "scrap": [{"reason_id": floor.scrap_reason, "quantity": 1}]})).await;
        first.assert_status(200);
        assert_eq!(first.body["qty_good"], 6.0);
        assert_eq!(first.body["qty_scrap"], 1.0);
        assert!(first.body["warnings"].as_array().unwrap().is_empty());

        let refused = act(&assembly, ops[1], "report", json!({"good": 7})).await;
        refused.assert_status(409);
        let message = refused.body["message"].as_str().unwrap();
        assert!(message.contains("Only 6 has come"), "{message}");
        let not_supervisor = act(&assembly, ops[1], "report", json!({"good": 7, "override": true})).await;
        not_supervisor.assert_status(409);
        assert!(not_supervisor.body["message"].as_str().unwrap().contains("only a supervisor"));
        assert_eq!(count_reports(&app, ops[1]), 0);

        assembly
            .post("/api/v1/stations/ST-ASM-01/operators", &json!({"badge": "B-SUE", "pin": "2468"}))
            .await
            .assert_status(200);
        let overridden = act(&assembly, ops[1], "report", json!({"good": 7, "override": true})).await;
        overridden.assert_status(200);
        let report_id = overridden.body["report_id"].as_i64().unwrap();
        let mut conn = app.db.get().unwrap();
        let (flag, by): (bool, Option<i64>) = production_reports::table
            .find(report_id)
            .select((production_reports::supervisor_override, production_reports::override_by))
            .first(&mut *conn)
            .unwrap();
        assert!(flag);
        assert_eq!(by, Some(sue));
        let audited: Option<String> = audit_log::table
            .filter(audit_log::entity.eq("production_report"))
            .filter(audit_log::entity_id.eq(report_id.to_string()))
            .select(audit_log::after_json)
            .first(&mut *conn)
            .unwrap();
        assert!(audited.unwrap().contains(&format!("\"override_by\":{sue}")));
        drop(conn);

        // Over-run is allowed with a warning (the first operation has no limit before it).
        let over = act(&machining, ops[0], "report", json!({"good": 5})).await;
        over.assert_status(200);
        assert_eq!(over.body["warnings"][0]["code"], "over_run");
        assert!(over.body["warnings"][0]["message"].as_str().unwrap().contains("2 more than planned"));
        // Bad input names the field.
        let bad = act(&machining, ops[0], "report", json!({"good": -1,
            "scrap": [{"reason_id": 999, "quantity": 0}]})).await;
        bad.assert_status(400);
        let fields: Vec<&str> = bad.body["details"].as_array().unwrap().iter()
            .map(|d| d["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["good", "scrap[0].quantity", "scrap[0].reason_id"]);
    }
}

both_backends! {
    async fn completing_the_last_operation_completes_the_order(app: TestApp) {
        let floor = floor(&app).await;
        operator(&app, "ann", "B-ANN", &[Role::Operator]);
        operator(&app, "ada", "B-ADA", &[Role::Operator]);
        let machining = tablet(&app, "ST-CNC-01", "B-ANN").await;
        let assembly = tablet(&app, "ST-ASM-01", "B-ADA").await;
        let (order, ops) = released_order(&floor, 2.0).await;
        // The queue of the assembly station lists both assembly operations of the order.
        let queue = assembly.get("/api/v1/stations/ST-ASM-01/queue").await;
        queue.assert_status(200);
        let listed: Vec<i64> = queue.body.as_array().unwrap().iter()
            .filter(|i| i["work_order_id"] == order)
            .map(|i| i["operation_id"].as_i64().unwrap()).collect();
        assert_eq!(listed, vec![ops[1], ops[2]]);
        assert_eq!(queue.body[0]["qty_available"], 0.0);
        let short = act(&machining, ops[0], "complete", json!({})).await;
        short.assert_status(409);
        assert!(short.body["message"].as_str().unwrap().contains("2 is still to make"));
        for (tablet, op) in [(&machining, ops[0]), (&assembly, ops[1]), (&assembly, ops[2])] {
            act(tablet, op, "report", json!({"good": 2})).await.assert_status(200);
            let done = act(tablet, op, "complete", json!({})).await;
            done.assert_status(200);
            assert_eq!(done.body["status"], "done");
        }
        let order = floor.admin.get(&format!("/api/v1/work-orders/{order}")).await;
        assert_eq!(order.body["status"], "completed");
        assert_eq!(order.body["qty_good"], 2.0);
    }
}

both_backends! {
    async fn a_cancelled_order_refuses_station_actions(app: TestApp) {
        let floor = floor(&app).await;
        operator(&app, "ann", "B-ANN", &[Role::Operator]);
        let tablet = tablet(&app, "ST-CNC-01", "B-ANN").await;
        let (order, ops) = released_order(&floor, 5.0).await;
        floor.admin
            .post(&format!("/api/v1/work-orders/{order}/cancel"), &json!({"reason": "customer"}))
            .await
            .assert_status(200);
        let cnc = floor.plant.machines[0].0;
        let res = act(&tablet, ops[0], "start", json!({"machine_id": cnc, "phase": "run"})).await;
        res.assert_status(409);
        assert!(res.body["message"].as_str().unwrap().contains("is cancelled"), "{}", res.text);
        act(&tablet, ops[0], "report", json!({"good": 1})).await.assert_status(409);
        // Scanning still finds it; unknown codes are a 404.
        let scan = tablet.get(&format!("/api/v1/scan?code=OP:{}:10", order_number(&floor, order).await)).await;
        scan.assert_status(200);
        assert_eq!(scan.body["kind"], "operation");
        assert_eq!(scan.body["operation_id"], ops[0]);
        let unknown = tablet.get("/api/v1/scan?code=XX-404").await;
        unknown.assert_status(404);
        assert!(unknown.body["message"].as_str().unwrap().contains("Unknown code"));
    }
}

async fn order_number(floor: &Floor, order: i64) -> String {
    floor
        .admin
        .get(&format!("/api/v1/work-orders/{order}"))
        .await
        .body["number"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends! {
    async fn scanning_resolves_every_kind_of_code(app: TestApp) {
        let floor = floor(&app).await;
        operator(&app, "ada", "B-ADA", &[Role::Operator]);
        let assembly = tablet(&app, "ST-ASM-01", "B-ADA").await;
        let (order, ops) = released_order(&floor, 3.0).await;
        let number = order_number(&floor, order).await;
        for code in [format!("WO:{number}"), number.clone()] {
            let res = assembly.get(&format!("/api/v1/scan?code={code}&station=ST-ASM-01")).await;
            res.assert_status(200);
            assert_eq!(res.body["kind"], "work_order");
            assert_eq!(res.body["work_order_id"], order);
            // The operation that runs at the scanning station.
            assert_eq!(res.body["operation_id"], ops[1]);
        }
        let machine = assembly.get("/api/v1/scan?code=M:CNC-02").await;
        assert_eq!(machine.body["kind"], "machine");
        assert_eq!(machine.body["machine_id"], floor.plant.machines[1].0);
        let station = assembly.get("/api/v1/scan?code=ST:ST-ASM-01").await;
        assert_eq!(station.body["kind"], "station");
        assert_eq!(station.body["station_code"], "ST-ASM-01");
    }
}

both_backends! {
    async fn two_tablets_reporting_at_once_lose_nothing(app: TestApp) {
        let floor = floor(&app).await;
        operator(&app, "ann", "B-ANN", &[Role::Operator]);
        operator(&app, "ben", "B-BEN", &[Role::Operator]);
        let one = tablet(&app, "ST-CNC-01", "B-ANN").await;
        let two = tablet(&app, "ST-CNC-02", "B-BEN").await;
        let (order, ops) = released_order(&floor, 100.0).await;
        let op = ops[0];
        let run = |client: Client| async move {
            for i in 0..50 {
                let key = format!("k-{i}");
                let res = client
                    .post_with_headers(
                        &format!("/api/v1/operations/{op}/report"),
                        &json!({"good": 1}),
                        &[("Idempotency-Key", key.as_str())],
                    )
                    .await;
                assert_eq!(res.status, 200, "{}", res.text);
            }
        };
        futures_join(run(one), run(two)).await;
        assert_eq!(count_reports(&app, op), 100);
        let order = floor.admin.get(&format!("/api/v1/work-orders/{order}")).await;
        let first = &order.body["operations"][0];
        assert_eq!(first["qty_good"], 100.0);
        assert_eq!(first["qty_remaining"], 0.0);
    }
}

/// Runs two futures at once on the test's runtime.
async fn futures_join(
    a: impl std::future::Future<Output = ()>,
    b: impl std::future::Future<Output = ()>,
) {
    let (a, b) = (Box::pin(a), Box::pin(b));
    let mut a = Some(a);
    let mut b = Some(b);
    std::future::poll_fn(move |cx| {
        if let Some(f) = a.as_mut()
            && f.as_mut().poll(cx).is_ready()
        {
            a = None;
        }
        if let Some(f) = b.as_mut()
            && f.as_mut().poll(cx).is_ready()
        {
            b = None;
        }
        if a.is_none() && b.is_none() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

both_backends! {
    async fn replays_apply_exactly_once(app: TestApp) {
        let floor = floor(&app).await;
        operator(&app, "ann", "B-ANN", &[Role::Operator]);
        let tablet = tablet(&app, "ST-CNC-01", "B-ANN").await;
        let (order, ops) = released_order(&floor, 10.0).await;
        let path = format!("/api/v1/operations/{}/report", ops[0]);
        let body = json!({"good": 3, "scrap": [{"reason_id": floor.scrap_reason, "quantity": 1}]});
        let key = [("Idempotency-Key", "tablet-7-0001")];
        let first = tablet.post_with_headers(&path, &body, &key).await;
        first.assert_status(200);
        assert!(first.headers.get("idempotent-replayed").is_none());
        let again = tablet.post_with_headers(&path, &body, &key).await;
        again.assert_status(200);
        assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
        assert_eq!(again.body, first.body);
        assert_eq!(count_reports(&app, ops[0]), 1);
        let other = tablet.post_with_headers(&path, &json!({"good": 4}), &key).await;
        other.assert_status(422);
        assert!(other.body["message"].as_str().unwrap().contains("different request"));
        assert_eq!(count_reports(&app, ops[0]), 1);

        // A refusal is stored too: the order is put on hold meanwhile; replaying the queued
        // write still says why, even after the hold is lifted.
        floor.admin
            .post(&format!("/api/v1/work-orders/{order}/hold"), &json!({"reason": "material"}))
            .await
            .assert_status(200);
        let queued = [("Idempotency-Key", "tablet-7-0002")];
        let refused = tablet.post_with_headers(&path, &json!({"good": 2}), &queued).await;
        refused.assert_status(409);
        assert!(refused.body["message"].as_str().unwrap().contains("on hold"));
        floor.admin
            .post(&format!("/api/v1/work-orders/{order}/resume"), &json!({}))
            .await
            .assert_status(200);
        let replayed = tablet.post_with_headers(&path, &json!({"good": 2}), &queued).await;
        replayed.assert_status(409);
        assert_eq!(replayed.headers.get("idempotent-replayed").unwrap(), "true");
        assert_eq!(replayed.body, refused.body);
        assert_eq!(count_reports(&app, ops[0]), 1);
    }
}

both_backends! {
    async fn andon_calls_go_open_acknowledged_resolved(app: TestApp) {
        let floor = floor(&app).await;
        operator(&app, "ann", "B-ANN", &[Role::Operator]);
        let tablet = tablet(&app, "ST-CNC-01", "B-ANN").await;
        let maintenance = app.signed_in("max", &[Role::Maintenance]).await;
        let mut stream = floor.admin.open_stream("/api/v1/events").await;
        assert_eq!(stream.status(), 200);
        let raised = tablet
            .post("/api/v1/andon", &json!({"station": "ST-CNC-01", "kind": "maintenance", "note": "spindle noise"}))
            .await;
        raised.assert_status(201);
        let id = raised.body["id"].as_i64().unwrap();
        assert_eq!(raised.body["status"], "open");
        assert_eq!(raised.body["machine_code"], "CNC-01");
        assert_eq!(raised.body["raised_by"], "ann name");
        let frame = tokio_timeout(stream.chunk()).await;
        assert!(frame.contains("\"type\":\"andon\"") && frame.contains("\"status\":\"open\""), "{frame}");

        // Operators call; maintenance, quality and supervisors answer.
        tablet.post(&format!("/api/v1/andon/{id}/acknowledge"), &json!({})).await.assert_status(403);
        let ack = maintenance.post(&format!("/api/v1/andon/{id}/acknowledge"), &json!({})).await;
        ack.assert_status(200);
        assert_eq!(ack.body["status"], "acknowledged");
        assert!(ack.body["response_seconds"].as_i64().unwrap() >= 0);
        maintenance.post(&format!("/api/v1/andon/{id}/acknowledge"), &json!({})).await.assert_status(409);
        let open = tablet.get("/api/v1/andon?status=open").await;
        assert!(open.body.as_array().unwrap().is_empty());
        let resolved = maintenance.post(&format!("/api/v1/andon/{id}/resolve"), &json!({"note": "bearing replaced"})).await;
        resolved.assert_status(200);
        assert_eq!(resolved.body["status"], "resolved");
        assert_eq!(resolved.body["resolution_note"], "bearing replaced");
        assert!(resolved.body["resolution_seconds"].as_i64().unwrap() >= 0);
        maintenance.post(&format!("/api/v1/andon/{id}/resolve"), &json!({})).await.assert_status(409);
        let machine = floor.plant.machines[0].0;
        let listed = floor.admin.get(&format!("/api/v1/andon?status=resolved&machine_id={machine}")).await;
        assert_eq!(listed.body.as_array().unwrap().len(), 1);
        let bad = tablet.post("/api/v1/andon", &json!({"kind": "maintenance", "station": "NOPE"})).await;
        bad.assert_status(400);
        assert_eq!(bad.body["details"][0]["field"], "station");
    }
}

/// Reads one chunk of a stream, failing after 10 s.
async fn tokio_timeout(
    chunk: impl Future<Output = reqwest::Result<Option<bytes_alias::Bytes>>>,
) -> String {
    let deadline = actix_web::rt::time::timeout(std::time::Duration::from_secs(10), chunk);
    let bytes = deadline
        .await
        .expect("an event within 10 s")
        .unwrap()
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

mod bytes_alias {
    pub use actix_web::web::Bytes;
}

both_backends! {
    async fn piece_rate_report_pays_good_quantity_and_counts_hours(app: TestApp) {
        let floor = floor(&app).await;
        let ann = operator(&app, "ann", "B-ANN", &[Role::Operator]);
        let ben = operator(&app, "ben", "B-BEN", &[Role::Operator]);
        let one = tablet(&app, "ST-CNC-01", "B-ANN").await;
        let two = tablet(&app, "ST-CNC-02", "B-BEN").await;
        let (_, ops) = released_order(&floor, 20.0).await;
        act(&one, ops[0], "report", json!({"good": 10})).await.assert_status(200);
        act(&two, ops[0], "report", json!({"good": 4,
            "scrap": [{"reason_id": floor.scrap_reason, "quantity": 1}]})).await.assert_status(200);
        // Two hours of labour for ann, recorded directly (a phase that started and ended).
        {
            let mut conn = app.db.get().unwrap();
            let end = fixtures::now() - Duration::minutes(5);
            let start = end - Duration::hours(2);
            let phase: i64 = diesel::insert_into(operation_phases::table)
                .values((
                    operation_phases::operation_id.eq(ops[0]),
                    operation_phases::work_order_id.eq(
                        mes_backend::db::schema::work_order_operations::table
                            .find(ops[0])
                            .select(mes_backend::db::schema::work_order_operations::work_order_id)
                            .first::<i64>(&mut *conn)
                            .unwrap(),
                    ),
                    operation_phases::machine_id.eq(floor.plant.machines[0].0),
                    operation_phases::kind.eq("run"),
                    operation_phases::started_at.eq(start),
                    operation_phases::ended_at.eq(Some(end)),
                ))
                .returning(operation_phases::id)
                .get_result(&mut *conn)
                .unwrap();
            diesel::insert_into(labour_entries::table)
                .values((
                    labour_entries::user_id.eq(ann),
                    labour_entries::operation_id.eq(ops[0]),
                    labour_entries::phase_id.eq(phase),
                    labour_entries::kind.eq("run"),
                    labour_entries::started_at.eq(start),
                    labour_entries::ended_at.eq(Some(end)),
                ))
                .execute(&mut *conn)
                .unwrap();
        }
        let today = Utc::now().date_naive();
        let range = format!("from={}&to={}", today - Duration::days(1), today + Duration::days(1));
        let all = floor.admin.get(&format!("/api/v1/reports/piece-rate?{range}&period=day")).await;
        all.assert_status(200);
        let sum = |body: &Value, user: i64, field: &str| -> f64 {
            body["rows"].as_array().unwrap().iter()
                .filter(|r| r["user_id"] == user)
                .map(|r| r[field].as_f64().unwrap())
                .sum()
        };
        assert_eq!(sum(&all.body, ann, "good"), 10.0);
        assert_eq!(sum(&all.body, ann, "amount"), 15.0);
        assert_eq!(sum(&all.body, ben, "amount"), 6.0);
        assert_eq!(all.body["total_amount"], 21.0);
        assert!((sum(&all.body, ann, "hours") - 2.0).abs() < 0.02, "{}", all.body);

        // An operator sees only their own figures.
        let own = app.anonymous();
        own.post("/api/v1/auth/login", &json!({"username": "ben", "password": "ben-password"}))
            .await
            .assert_status(200);
        let mine = own.get(&format!("/api/v1/reports/piece-rate?{range}")).await;
        mine.assert_status(200);
        assert!(mine.body["rows"].as_array().unwrap().iter().all(|r| r["user_id"] == ben));
        assert_eq!(mine.body["total_amount"], 6.0);
        own.get(&format!("/api/v1/reports/piece-rate?{range}&user_id={ann}")).await.assert_status(403);
        floor.admin
            .get(&format!("/api/v1/reports/piece-rate?from={today}&to={}", today - Duration::days(2)))
            .await
            .assert_status(400);

        let csv = floor.admin.get(&format!("/api/v1/reports/piece-rate?{range}&format=csv")).await;
        csv.assert_status(200);
        assert!(csv.bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM for Excel");
        assert!(csv.text.contains("工号") && csv.text.contains("合计"), "{}", csv.text);
        assert!(csv.text.contains(",1.5,15,"), "{}", csv.text);
        let xlsx = floor.admin.get(&format!("/api/v1/reports/piece-rate?{range}&format=xlsx")).await;
        xlsx.assert_status(200);
        assert!(xlsx.bytes.starts_with(b"PK"), "an XLSX file is a zip");
        assert!(xlsx.headers["content-disposition"].to_str().unwrap().contains(".xlsx"));
    }
}
