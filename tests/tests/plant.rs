//! The plant model over the API: calendars (and their working time), work centres, machines,
//! stations, reason lists — validation, uniqueness, references, paging, roles, audit.

use mes_api_types::auth::Role;
use mes_backend::config::Config;
use mes_tests::{Client, TestApp, both_backends};
use serde_json::{Value, json};

fn two_shifts(code: &str) -> Value {
    json!({
        "code": code,
        "name": "两班制",
        "shifts": [
            {"name": "早班", "weekdays": [1, 2, 3, 4, 5], "start": "08:00", "end": "16:30",
             "breaks": [{"start": "12:00", "end": "12:30"}]},
            {"name": "中班", "weekdays": [1, 2, 3, 4, 5], "start": "16:30", "end": "01:00",
             "breaks": [{"start": "20:30", "end": "21:00"}]}
        ],
        "exceptions": [
            {"day": "2026-10-01", "kind": "holiday", "note": "国庆节"},
            {"day": "2026-12-05", "kind": "overtime", "start": "08:00", "end": "16:30"}
        ]
    })
}

async fn create(client: &Client, path: &str, body: Value) -> i64 {
    let res = client.post(path, &body).await;
    res.assert_status(201);
    res.body["id"].as_i64().expect("id")
}

async fn work_center(client: &Client, code: &str, calendar: Option<i64>) -> i64 {
    create(
        client,
        "/api/v1/work-centers",
        json!({"code": code, "name": format!("{code} 工作中心"), "calendar_id": calendar}),
    )
    .await
}

async fn machine(client: &Client, code: &str, wc: i64) -> i64 {
    create(
        client,
        "/api/v1/machines",
        json!({"code": code, "name": format!("{code} 设备"), "work_center_id": wc, "kind": "数控车床"}),
    )
    .await
}

fn fields(res: &mes_tests::Response) -> Vec<String> {
    res.body["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|x| x["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

both_backends! {
    async fn calendars_round_trip_and_count_weekly_hours(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let created = admin.post("/api/v1/calendars", &two_shifts(" CAL-2S ")).await;
        created.assert_status(201);
        let id = created.body["id"].as_i64().unwrap();
        assert_eq!(created.body["code"], "CAL-2S");
        assert_eq!(created.body["weekly_hours"], 80.0);
        assert_eq!(created.body["shifts"][1]["end"], "01:00");
        assert_eq!(created.body["shifts"][1]["breaks"][0], json!({"start": "20:30", "end": "21:00"}));
        assert_eq!(created.body["exceptions"][0]["kind"], "holiday");
        assert!(created.body["exceptions"][0]["start"].is_null());
        assert_eq!(created.body["exceptions"][1]["end"], "16:30");

        // What GET returns can be PUT back unchanged.
        let got = admin.get(&format!("/api/v1/calendars/{id}")).await;
        got.assert_status(200);
        let mut doc = got.body.clone();
        for key in ["id", "weekly_hours", "updated_at"] {
            doc.as_object_mut().unwrap().remove(key);
        }
        doc["name"] = json!("两班制（改）");
        doc["shifts"][0]["weekdays"] = json!([1, 2, 3, 4, 5, 6]);
        let put = admin.put(&format!("/api/v1/calendars/{id}"), &doc).await;
        put.assert_status(200);
        assert_eq!(put.body["name"], "两班制（改）");
        assert_eq!(put.body["weekly_hours"], 88.0);
        let mut expected = got.body["shifts"].clone();
        expected[0]["weekdays"] = json!([1, 2, 3, 4, 5, 6]);
        assert_eq!(put.body["shifts"], expected);

        // Round the clock: 00:00–24:00 and a 24-hour shift from 06:00.
        let day = admin.post("/api/v1/calendars", &json!({"code": "CAL-24", "name": "连续",
            "shifts": [{"name": "全天", "weekdays": [7], "start": "00:00", "end": "24:00"},
                       {"name": "长班", "weekdays": [3], "start": "06:00", "end": "06:00"}]})).await;
        day.assert_status(201);
        assert_eq!(day.body["shifts"][0]["end"], "24:00");
        assert_eq!(day.body["weekly_hours"], 48.0);

        let dup = admin.post("/api/v1/calendars", &two_shifts("CAL-2S")).await;
        dup.assert_status(409);
        assert!(dup.body["message"].as_str().unwrap().contains("code CAL-2S"), "{}", dup.text);

        let list = admin.get("/api/v1/calendars?q=cal-2s").await;
        assert_eq!(list.body["total"], 1);
        assert_eq!(list.body["items"][0]["shifts"].as_array().unwrap().len(), 2);

        admin.delete(&format!("/api/v1/calendars/{id}")).await.assert_status(204);
        admin.get(&format!("/api/v1/calendars/{id}")).await.assert_status(404);
    }
}

both_backends! {
    async fn calendar_validation_names_every_bad_field(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let res = admin.post("/api/v1/calendars", &json!({
            "code": "BAD CODE",
            "name": "",
            "shifts": [
                {"name": "A", "weekdays": [1, 8], "start": "8am", "end": "16:00"},
                {"name": "B", "weekdays": [2], "start": "08:00", "end": "16:00",
                 "breaks": [{"start": "07:00", "end": "07:30"}, {"start": "12:00", "end": "25:00"},
                            {"start": "13:00", "end": "12:30"}]},
                {"name": "", "weekdays": [], "start": "09:00", "end": "10:00"}
            ],
            "exceptions": [
                {"day": "2026-10-01", "kind": "holiday", "start": "08:00", "end": "12:00"},
                {"day": "2026-10-02", "kind": "overtime", "start": "08:00"},
                {"day": "2026-10-03", "kind": "shutdown", "start": "8", "end": "12:00"}
            ]
        })).await;
        res.assert_status(400);
        assert_eq!(res.error_kind(), "validation");
        assert_eq!(fields(&res), [
            "code", "name",
            "shifts[0].weekdays[1]", "shifts[0].start",
            "shifts[1].breaks[0].start", "shifts[1].breaks[1].end", "shifts[1].breaks[2].end",
            "shifts[2].name", "shifts[2].weekdays",
            "exceptions[0].start", "exceptions[1].end", "exceptions[2].start",
        ], "{}", res.text);

        // Overlaps within a day, and across midnight into the next day.
        let overlap = admin.post("/api/v1/calendars", &json!({"code": "OV", "name": "重叠", "shifts": [
            {"name": "早", "weekdays": [1], "start": "08:00", "end": "16:00"},
            {"name": "中", "weekdays": [1], "start": "15:00", "end": "23:00"},
            {"name": "夜", "weekdays": [7], "start": "22:00", "end": "08:30"}
        ]})).await;
        overlap.assert_status(400);
        assert_eq!(fields(&overlap), ["shifts[1]", "shifts[2]"], "{}", overlap.text);
        assert!(overlap.text.contains("Overlaps shift 早 on weekday 1"), "{}", overlap.text);

        // Unknown fields and wrong types are refused with their path.
        let typo = admin.post("/api/v1/calendars", &json!({"code": "X", "name": "X", "shifts": [
            {"name": "A", "weekdays": [1], "start": "08:00", "end": "16:00", "brakes": []}]})).await;
        typo.assert_status(400);
        let kind = admin.post("/api/v1/calendars", &json!({"code": "X", "name": "X",
            "exceptions": [{"day": "2026-10-01", "kind": "party"}]})).await;
        kind.assert_status(400);
        assert_eq!(fields(&kind), ["exceptions[0].kind"]);
    }
}

both_backends! {
    async fn work_centers_machines_and_stations(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let cal = create(&admin, "/api/v1/calendars", two_shifts("CAL-2S")).await;
        let cnc = work_center(&admin, "WC-CNC", Some(cal)).await;
        let cut = work_center(&admin, "WC-CUT", None).await;
        let wc = admin.get(&format!("/api/v1/work-centers/{cnc}")).await;
        assert_eq!(wc.body["calendar_code"], "CAL-2S");
        assert_eq!(wc.body["machine_count"], 0);

        let mut ids = Vec::new();
        for i in 1..=5 {
            ids.push(machine(&admin, &format!("CNC-0{i}"), cnc).await);
        }
        let saw = machine(&admin, "SAW-01", cut).await;
        let m = admin.get(&format!("/api/v1/machines/{}", ids[0])).await;
        assert_eq!(m.body["status"], "idle");
        assert_eq!(m.body["work_center_code"], "WC-CNC");
        assert!(m.body["calendar_id"].is_null());
        let by_code = admin.get("/api/v1/machines/by-code/CNC-03").await;
        by_code.assert_status(200);
        assert_eq!(by_code.body["id"], ids[2]);
        admin.get("/api/v1/machines/by-code/NOPE").await.assert_status(404);
        assert_eq!(admin.get(&format!("/api/v1/work-centers/{cnc}")).await.body["machine_count"], 5);

        // A PUT changes master data, never the status; unknown references name their field.
        let put = admin.put(&format!("/api/v1/machines/{}", ids[4]), &json!({
            "code": "CNC-05", "name": "五轴加工中心", "work_center_id": cnc, "calendar_id": cal, "active": false
        })).await;
        put.assert_status(200);
        assert_eq!(put.body["status"], "idle");
        assert_eq!(put.body["calendar_code"], "CAL-2S");
        assert_eq!(put.body["active"], false);
        let status = admin.put(&format!("/api/v1/machines/{}", ids[4]), &json!({
            "code": "CNC-05", "name": "x", "work_center_id": cnc, "status": "running"})).await;
        status.assert_status(400);
        let bad = admin.post("/api/v1/machines", &json!({"code": "", "name": "x", "work_center_id": 9999, "calendar_id": 9999})).await;
        bad.assert_status(400);
        assert_eq!(fields(&bad), ["code", "work_center_id", "calendar_id"]);
        let dup = admin.post("/api/v1/machines", &json!({"code": "CNC-01", "name": "x", "work_center_id": cnc})).await;
        dup.assert_status(409);
        assert!(dup.body["message"].as_str().unwrap().contains("code CNC-01"));

        // Filters and keyset paging.
        let list = admin.get(&format!("/api/v1/machines?work_center_id={cnc}")).await;
        assert_eq!(list.body["total"], 5);
        assert_eq!(admin.get("/api/v1/machines?active=false").await.body["total"], 1);
        assert_eq!(admin.get("/api/v1/machines?status=idle").await.body["total"], 6);
        assert_eq!(admin.get("/api/v1/machines?status=down").await.body["total"], 0);
        assert_eq!(admin.get("/api/v1/machines?q=saw").await.body["total"], 1);
        admin.get("/api/v1/machines?status=broken").await.assert_status(400);
        let mut seen = Vec::new();
        let mut path = "/api/v1/machines?limit=2".to_owned();
        loop {
            let page = admin.get(&path).await;
            page.assert_status(200);
            assert_eq!(page.body["total"], 6);
            seen.extend(page.body["items"].as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap().to_owned()));
            match page.body["next_cursor"].as_str() {
                Some(c) => path = format!("/api/v1/machines?limit=2&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, ["CNC-01", "CNC-02", "CNC-03", "CNC-04", "CNC-05", "SAW-01"]);

        // Stations are bound to exactly one machine or work centre.
        let both = admin.post("/api/v1/stations", &json!({"code": "T-1", "name": "x", "machine_id": ids[0], "work_center_id": cnc})).await;
        both.assert_status(400);
        assert_eq!(fields(&both), ["machine_id"]);
        admin.post("/api/v1/stations", &json!({"code": "T-1", "name": "x"})).await.assert_status(400);
        let st = create(&admin, "/api/v1/stations", json!({"code": "T-CNC-01", "name": "1号机终端", "machine_id": ids[0]})).await;
        let wst = create(&admin, "/api/v1/stations", json!({"code": "T-CNC", "name": "车间终端", "work_center_id": cnc})).await;
        let got = admin.get("/api/v1/stations/by-code/T-CNC-01").await;
        assert_eq!(got.body["machine_code"], "CNC-01");
        assert!(got.body["work_center_id"].is_null());
        assert_eq!(admin.get(&format!("/api/v1/stations/{wst}")).await.body["work_center_code"], "WC-CNC");
        assert_eq!(admin.get(&format!("/api/v1/stations?machine_id={}", ids[0])).await.body["total"], 1);
        let moved = admin.put(&format!("/api/v1/stations/{st}"), &json!({"code": "T-CNC-01", "name": "终端", "work_center_id": cut})).await;
        moved.assert_status(200);
        assert!(moved.body["machine_id"].is_null());
        assert_eq!(moved.body["work_center_code"], "WC-CUT");

        // Nothing in use is deleted; deactivating is the way out.
        let wc_del = admin.delete(&format!("/api/v1/work-centers/{cnc}")).await;
        wc_del.assert_status(409);
        assert!(wc_del.body["message"].as_str().unwrap().contains("5 machine(s)"), "{}", wc_del.text);
        let cal_del = admin.delete(&format!("/api/v1/calendars/{cal}")).await;
        cal_del.assert_status(409);
        assert!(cal_del.body["message"].as_str().unwrap().contains("1 work centre(s) and 1 machine(s)"), "{}", cal_del.text);
        let station_user = admin.put(&format!("/api/v1/stations/{st}"), &json!({"code": "T-CNC-01", "name": "终端", "machine_id": saw})).await;
        station_user.assert_status(200);
        let m_del = admin.delete(&format!("/api/v1/machines/{saw}")).await;
        m_del.assert_status(409);
        assert!(m_del.body["message"].as_str().unwrap().contains("1 station(s)"));
        admin.delete(&format!("/api/v1/stations/{st}")).await.assert_status(204);
        admin.delete(&format!("/api/v1/machines/{saw}")).await.assert_status(204);
        admin.delete(&format!("/api/v1/stations/{wst}")).await.assert_status(204);
        admin.delete(&format!("/api/v1/work-centers/{cut}")).await.assert_status(204);
        admin.get(&format!("/api/v1/work-centers/{cut}")).await.assert_status(404);

        let deactivated = admin.put(&format!("/api/v1/work-centers/{cnc}"), &json!({"code": "WC-CNC", "name": "数控", "active": false})).await;
        deactivated.assert_status(200);
        assert!(deactivated.body["calendar_id"].is_null());
        assert_eq!(admin.get("/api/v1/work-centers?active=false").await.body["total"], 1);
    }
}

both_backends! {
    async fn machine_working_time_follows_its_calendar(app: TestApp) {
        let admin = app.admin().await;
        let cal = create(&admin, "/api/v1/calendars", two_shifts("CAL-2S")).await;
        let night = create(&admin, "/api/v1/calendars", json!({"code": "CAL-N", "name": "夜班",
            "shifts": [{"name": "夜班", "weekdays": [1], "start": "22:00", "end": "06:00"}]})).await;
        let wc = work_center(&admin, "WC", Some(cal)).await;
        let bare = work_center(&admin, "WC-BARE", None).await;
        let m = machine(&admin, "M-1", wc).await;
        let own = create(&admin, "/api/v1/machines", json!({"code": "M-2", "name": "x", "work_center_id": wc, "calendar_id": night})).await;
        let always = machine(&admin, "M-3", bare).await;

        // Monday 2026-11-30 in Shanghai (UTC+8): 早班 00:00–04:00Z, 04:30–08:30Z; 中班 08:30–12:30Z, 13:00–17:00Z.
        let day = "from=2026-11-29T16:00:00Z&to=2026-11-30T16:00:00Z";
        let res = admin.get(&format!("/api/v1/machines/{m}/working-time?{day}")).await;
        res.assert_status(200);
        let spans: Vec<(String, String, String)> = res.body.as_array().unwrap().iter()
            .map(|i| (i["start"].as_str().unwrap().to_owned(), i["end"].as_str().unwrap().to_owned(), i["shift"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(spans, [
            ("2026-11-30T00:00:00Z".into(), "2026-11-30T04:00:00Z".into(), "早班".into()),
            ("2026-11-30T04:30:00Z".into(), "2026-11-30T08:30:00Z".into(), "早班".into()),
            ("2026-11-30T08:30:00Z".into(), "2026-11-30T12:30:00Z".into(), "中班".into()),
            // Cut at the end of the range (the shift runs to 17:00Z).
            ("2026-11-30T13:00:00Z".into(), "2026-11-30T16:00:00Z".into(), "中班".into()),
        ]);
        // Saturday overtime (08:00–16:30 local) from the calendar's exception.
        let sat = admin.get(&format!("/api/v1/machines/{m}/working-time?from=2026-12-04T18:00:00Z&to=2026-12-05T16:00:00Z")).await;
        assert_eq!(sat.body, json!([{"start": "2026-12-05T00:00:00Z", "end": "2026-12-05T08:30:00Z", "shift": "overtime"}]));

        // The machine's own calendar wins over its work centre's.
        let own_time = admin.get(&format!("/api/v1/machines/{own}/working-time?{day}")).await;
        assert_eq!(own_time.body, json!([{"start": "2026-11-30T14:00:00Z", "end": "2026-11-30T16:00:00Z", "shift": "夜班"}]));
        // No calendar anywhere: always available, said so.
        let free = admin.get(&format!("/api/v1/machines/{always}/working-time?{day}")).await;
        assert_eq!(free.body, json!([{"start": "2026-11-29T16:00:00Z", "end": "2026-11-30T16:00:00Z", "shift": "always"}]));

        admin.get(&format!("/api/v1/machines/{m}/working-time?from=2026-01-01T00:00:00Z&to=2026-03-05T00:00:00Z")).await.assert_status(400);
        admin.get(&format!("/api/v1/machines/{m}/working-time?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")).await.assert_status(400);
        admin.get(&format!("/api/v1/machines/{m}/working-time?from=monday&to=2026-01-01T00:00:00Z")).await.assert_status(400);
        admin.get(&format!("/api/v1/machines/{m}/working-time")).await.assert_status(400);
        admin.get(&format!("/api/v1/machines/99999/working-time?{day}")).await.assert_status(404);
        // Two months is fine.
        admin.get(&format!("/api/v1/machines/{m}/working-time?from=2026-01-01T00:00:00Z&to=2026-03-03T00:00:00Z")).await.assert_status(200);
    }
}

/// A plant in Europe/Berlin: the night shift across the autumn change lasts nine hours.
#[actix_web::test]
async fn working_time_is_dst_correct_in_the_plant_zone() {
    let app = TestApp::sqlite_with(Config {
        timezone: "Europe/Berlin".into(),
        ..Config::default()
    })
    .await;
    let admin = app.admin().await;
    let cal = create(
        &admin,
        "/api/v1/calendars",
        json!({"code": "N", "name": "Nacht",
        "shifts": [{"name": "Nacht", "weekdays": [6], "start": "22:00", "end": "06:00"}]}),
    )
    .await;
    let wc = work_center(&admin, "WC", Some(cal)).await;
    let m = machine(&admin, "M", wc).await;
    let res = admin
        .get(&format!(
            "/api/v1/machines/{m}/working-time?from=2026-10-23T00:00:00Z&to=2026-10-26T00:00:00Z"
        ))
        .await;
    assert_eq!(
        res.body,
        json!([{"start": "2026-10-24T20:00:00Z", "end": "2026-10-25T05:00:00Z", "shift": "Nacht"}])
    );
}

both_backends! {
    async fn reason_lists_keep_their_order_and_roles(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        for (code, position) in [("D03", 30), ("D01", 10), ("D02", 10), ("D04", 40)] {
            let res = admin.post("/api/v1/defect-reasons", &json!({"code": code, "name_zh": "尺寸超差", "name_en": "Out of tolerance", "position": position, "planned": true})).await;
            res.assert_status(201);
            assert_eq!(res.body["planned"], false, "planned means nothing for defects");
        }
        let mut seen = Vec::new();
        let mut path = "/api/v1/defect-reasons?limit=3".to_owned();
        loop {
            let page = admin.get(&path).await;
            page.assert_status(200);
            seen.extend(page.body["items"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()));
            match page.body["next_cursor"].as_str() {
                Some(c) => path = format!("/api/v1/defect-reasons?limit=3&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, ["D01", "D02", "D03", "D04"]);
        // A cursor whose row is gone cannot say where to continue.
        let first = admin.get("/api/v1/defect-reasons?limit=1").await;
        let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
        admin.delete(&format!("/api/v1/defect-reasons/{cursor}")).await.assert_status(204);
        let stale = admin.get(&format!("/api/v1/defect-reasons?limit=1&cursor={cursor}")).await;
        stale.assert_status(400);
        assert_eq!(fields(&stale), ["cursor"]);

        let dt = admin.post("/api/v1/downtime-reasons", &json!({"code": "DT01", "name_zh": "换型", "name_en": "Changeover", "planned": true})).await;
        dt.assert_status(201);
        assert_eq!(dt.body["planned"], true);
        let id = dt.body["id"].as_i64().unwrap();
        let dup = admin.post("/api/v1/downtime-reasons", &json!({"code": "DT01", "name_zh": "x", "name_en": "x"})).await;
        dup.assert_status(409);
        assert!(dup.body["message"].as_str().unwrap().contains("downtime reason"));
        let missing = admin.post("/api/v1/downtime-reasons", &json!({"code": "DT02", "name_zh": " ", "name_en": ""})).await;
        assert_eq!(fields(&missing), ["name_zh", "name_en"]);
        let put = admin.put(&format!("/api/v1/downtime-reasons/{id}"), &json!({"code": "DT01", "name_zh": "换型调机", "name_en": "Changeover", "planned": true, "active": false})).await;
        put.assert_status(200);
        assert_eq!(put.body["active"], false);
        assert_eq!(admin.get("/api/v1/downtime-reasons?active=true").await.body["total"], 0);
        assert_eq!(admin.get("/api/v1/defect-reasons?q=tolerance").await.body["total"], 3);

        // Quality keeps defect reasons, maintenance keeps downtime reasons; operators only read.
        let quality = app.signed_in("quality-user", &[Role::Quality]).await;
        let maintenance = app.signed_in("maint-user", &[Role::Maintenance]).await;
        let operator = app.signed_in("op-user", &[Role::Operator]).await;
        let reason = json!({"code": "X1", "name_zh": "其他", "name_en": "Other"});
        quality.post("/api/v1/defect-reasons", &reason).await.assert_status(201);
        quality.post("/api/v1/downtime-reasons", &reason).await.assert_status(403);
        maintenance.post("/api/v1/downtime-reasons", &reason).await.assert_status(201);
        maintenance.post("/api/v1/defect-reasons", &json!({"code": "X2", "name_zh": "其他", "name_en": "Other"})).await.assert_status(403);
        operator.post("/api/v1/defect-reasons", &json!({"code": "X3", "name_zh": "其他", "name_en": "Other"})).await.assert_status(403);
        assert_eq!(operator.get("/api/v1/defect-reasons").await.body["total"], 4);

        admin.delete(&format!("/api/v1/downtime-reasons/{id}")).await.assert_status(204);
        admin.delete(&format!("/api/v1/downtime-reasons/{id}")).await.assert_status(404);
    }
}

both_backends! {
    async fn plant_changes_are_audited_and_roles_apply(app: TestApp) {
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        let supervisor = app.signed_in("sv", &[Role::Supervisor]).await;
        let wc = work_center(&planner, "WC-1", None).await;
        let m = machine(&planner, "M-1", wc).await;
        planner.put(&format!("/api/v1/machines/{m}"), &json!({"code": "M-1", "name": "新名字", "work_center_id": wc})).await.assert_status(200);
        planner.delete(&format!("/api/v1/machines/{m}")).await.assert_status(204);
        supervisor.get("/api/v1/work-centers").await.assert_status(200);
        supervisor.post("/api/v1/work-centers", &json!({"code": "WC-2", "name": "x"})).await.assert_status(403);

        let admin = app.admin().await;
        let trail = admin.get(&format!("/api/v1/audit?entity=machine&entity_id={m}")).await;
        let actions: Vec<&str> = trail.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["delete", "update", "create"]);
        assert_eq!(trail.body["items"][1]["before"]["name"], "M-1 设备");
        assert_eq!(trail.body["items"][1]["after"]["name"], "新名字");
        assert_eq!(trail.body["items"][0]["actor_name"], "planner");
    }
}

both_backends! {
    async fn demo_plant_loads_once_on_both_backends(app: TestApp) {
        mes_backend::demo::fill(&app.db).expect("demo fills");
        mes_backend::demo::fill(&app.db).expect("demo is repeatable");
        let planner = app.signed_in("demo-check", &[Role::Planner]).await;
        for (path, total) in [
            ("/api/v1/calendars", 3),
            ("/api/v1/work-centers", 5),
            ("/api/v1/machines", 25),
            ("/api/v1/stations", 26),
            ("/api/v1/products", 40),
            ("/api/v1/products?kind=raw", 15),
            ("/api/v1/products?kind=semi", 15),
            ("/api/v1/products?kind=finished", 10),
            ("/api/v1/boms?status=active", 25),
            ("/api/v1/routings?status=active", 25),
            ("/api/v1/defect-reasons", 11),
            ("/api/v1/downtime-reasons", 11),
        ] {
            let res = planner.get(path).await;
            res.assert_status(200);
            assert_eq!(res.body["total"], total, "{path}");
        }
        // Three levels: reducer → machined housing → welded housing → steel plate.
        let red = planner.get("/api/v1/products/by-code/FG-RED-100").await;
        let tree = planner.get(&format!("/api/v1/products/{}/bom-tree?quantity=10", red.body["id"])).await;
        let housing = tree.body["children"].as_array().unwrap().iter().find(|c| c["product_code"] == "SF-HOUSING-M").unwrap().clone();
        assert_eq!(housing["children"][0]["product_code"], "SF-HOUSING-W");
        assert_eq!(housing["children"][0]["children"][0]["product_code"], "RM-PL-Q235-10");
        // The five-axis machine runs round the clock on its own calendar; the others on two shifts.
        let cnc8 = planner.get("/api/v1/machines/by-code/CNC-08").await;
        assert_eq!(cnc8.body["calendar_code"], "CAL-3S");
        let week = "from=2026-11-29T16:00:00Z&to=2026-12-06T16:00:00Z";
        let hours = |v: &Value| v.as_array().unwrap().iter().map(|i| {
            let s = chrono::DateTime::parse_from_rfc3339(i["start"].as_str().unwrap()).unwrap();
            let e = chrono::DateTime::parse_from_rfc3339(i["end"].as_str().unwrap()).unwrap();
            (e - s).num_minutes() as f64 / 60.0
        }).sum::<f64>();
        let cnc1 = planner.get("/api/v1/machines/by-code/CNC-01").await;
        let two = planner.get(&format!("/api/v1/machines/{}/working-time?{week}", cnc1.body["id"])).await;
        // 80 h of shifts, plus the Saturday overtime of 2026-12-05 (8.5 h).
        assert_eq!(hours(&two.body), 88.5);
        let three = planner.get(&format!("/api/v1/machines/{}/working-time?{week}", cnc8.body["id"])).await;
        assert!((hours(&three.body) - 6.0 * 3.0 * (8.0 - 1.0 / 3.0)).abs() < 1e-9);
        let routing = planner.get(&format!("/api/v1/routings?product_id={}&status=active", red.body["id"])).await;
        let ops = routing.body["items"][0]["operations"].as_array().unwrap();
        assert_eq!(ops.len(), 5);
        assert!(ops.iter().any(|o| o["inspection_required"] == true));
        assert!(ops.iter().all(|o| !o["instruction"].as_str().unwrap().is_empty()));
    }
}
