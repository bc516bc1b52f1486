//! Import (CSV and XLSX, zh-CN and English headers, all or nothing), export, templates, print
//! pages and the `mes import` command.

use std::time::{Duration, Instant};

use mes_api_types::auth::Role;
use mes_backend::config::Config;
use mes_tests::{Client, Response, TestApp, both_backends, cli::mes};
use serde_json::{Value, json};

/// Uploads a file and waits for its job to end; returns the finished job.
async fn import(client: &Client, kind: &str, file_name: &str, data: Vec<u8>) -> Value {
    let res = client
        .raw(
            reqwest::Method::POST,
            &format!("/api/v1/import/{kind}?file_name={file_name}"),
            "application/octet-stream",
            data,
        )
        .await;
    res.assert_status(202);
    let id = res.body["id"].as_str().expect("job id").to_owned();
    let started = Instant::now();
    let mut job = res.body;
    while !matches!(job["status"].as_str(), Some("done" | "failed")) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "import job hangs: {job}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        let res = client.get(&format!("/api/v1/import/jobs/{id}")).await;
        res.assert_status(200);
        job = res.body;
    }
    job
}

#[track_caller]
fn assert_done(job: &Value, created: u64, updated: u64) {
    assert_eq!(job["status"], "done", "{job:#}");
    assert_eq!(job["created"], created, "{job:#}");
    assert_eq!(job["updated"], updated, "{job:#}");
    assert_eq!(job["processed_rows"], job["total_rows"], "{job:#}");
}

/// `(line, column)` of every error of a failed job.
fn cells(job: &Value) -> Vec<(u64, String)> {
    assert_eq!(job["status"], "failed", "{job:#}");
    job["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["column"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn csv(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

/// An XLSX file with these rows; cells that read as numbers are written as numbers.
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let written = match cell.parse::<f64>() {
                Ok(n) if r > 0 => sheet.write_number(r, c, n).map(|_| ()),
                _ => sheet.write_string(r, c, *cell).map(|_| ()),
            };
            written.expect("cell written");
        }
    }
    book.save_to_buffer().expect("xlsx built")
}

async fn work_centers(client: &Client) {
    for (code, name) in [("WC-TURN", "车削"), ("WC-MILL", "铣削")] {
        client
            .post("/api/v1/work-centers", &json!({"code": code, "name": name}))
            .await
            .assert_status(201);
    }
}

async fn first(client: &Client, path: &str) -> Value {
    let res = client.get(path).await;
    res.assert_status(200);
    res.body["items"][0].clone()
}

/// Machines, products, BOMs, routings and work orders, as the tests below start from.
async fn master_data(client: &Client) {
    work_centers(client).await;
    let job = import(
        client,
        "machines",
        "machines.csv",
        csv("Code,Name,Work centre,Kind,Colour\nCNC-01,Lathe 1,WC-TURN,CNC,red\nCNC-02,Lathe 2,WC-TURN,CNC,\nMILL-01,Mill 1,WC-MILL,,\n"),
    )
    .await;
    assert_done(&job, 3, 0);
    assert_eq!(job["ignored_columns"], json!(["Colour"]));

    let job = import(
        client,
        "products",
        "物料.xlsx",
        xlsx(&[
            &["物料编码", "物料名称", "单位", "类型"],
            &["P-1", "法兰总成", "件", "成品"],
            &["S-1", "法兰毛坯", "件", "半成品"],
            &["M-1", "圆钢", "kg", "原材料"],
            &["M-2", "螺栓", "件", "原材料"],
        ]),
    )
    .await;
    assert_done(&job, 4, 0);

    let job = import(
        client,
        "boms",
        "bom.csv",
        csv("父项编码;子项编码;用量;损耗率\nP-1;S-1;1;0\nP-1;M-2;4;5%\nS-1;M-1;0.5;\n"),
    )
    .await;
    assert_done(&job, 2, 0);

    let job = import(
        client,
        "routings",
        "routing.xlsx",
        xlsx(&[
            &[
                "Product",
                "Seq",
                "Name",
                "Work centre",
                "Setup (min)",
                "Run (min)",
                "Inspection required",
                "Machines",
            ],
            &[
                "P-1",
                "10",
                "Turn",
                "WC-TURN",
                "15",
                "2.5",
                "no",
                "CNC-01:2.5;CNC-02:3",
            ],
            &["P-1", "20", "Mill", "WC-MILL", "10", "1", "yes", "MILL-01"],
            &["S-1", "10", "Saw", "WC-TURN", "5", "1", "", ""],
        ]),
    )
    .await;
    assert_done(&job, 2, 0);

    let job = import(
        client,
        "work-orders",
        "orders.csv",
        csv("工单号\t产品编码\t数量\t交期\t客户\nWO-IMP-1\tP-1\t100\t2026/12/31\tACME\nWO-IMP-2\tS-1\t50\t2026-12-20 08:00\t\n"),
    )
    .await;
    assert_done(&job, 2, 0);
}

both_backends! {
    async fn every_kind_imports_and_updates_by_code(app: TestApp) {
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        master_data(&planner).await;

        let p1 = first(&planner, "/api/v1/products?q=P-1").await;
        assert_eq!(p1["kind"], "finished");
        assert_eq!(p1["active_bom_version"], 1);
        assert_eq!(p1["active_routing_version"], 1);
        let bom = first(&planner, &format!("/api/v1/boms?product_id={}", p1["id"])).await;
        assert_eq!(bom["lines"][1]["component_code"], "M-2");
        assert_eq!(bom["lines"][1]["scrap_factor"], 0.05);
        let routing = first(&planner, &format!("/api/v1/routings?product_id={}", p1["id"])).await;
        let turn = &routing["operations"][0];
        assert_eq!(turn["setup_minutes"], 15.0);
        assert_eq!(turn["machines"][1]["machine_code"], "CNC-02");
        assert_eq!(turn["machines"][1]["run_minutes_per_unit"], 3.0);
        assert_eq!(routing["operations"][1]["inspection_required"], true);
        let order = first(&planner, "/api/v1/work-orders?q=WO-IMP-1").await;
        assert_eq!(order["quantity"], 100.0);
        assert_eq!(order["customer"], "ACME");
        // A bare date is the end of that day in plant time (Asia/Shanghai).
        assert_eq!(order["due_at"], "2026-12-31T15:59:59Z");

        // The other format and language: existing codes are updated, new ones created.
        let job = import(
            &planner,
            "machines",
            "设备.xlsx",
            xlsx(&[
                &["设备编码", "设备名称", "工作中心"],
                &["CNC-01", "数控车床 1 号", "WC-TURN"],
                &["CNC-03", "数控车床 3 号", "WC-TURN"],
            ]),
        )
        .await;
        assert_done(&job, 1, 1);
        let m = first(&planner, "/api/v1/machines?q=CNC-01").await;
        assert_eq!(m["name"], "数控车床 1 号");
        assert_eq!(m["kind"], "CNC", "a column the file lacks keeps its value");

        let job = import(&planner, "products", "items.csv", csv("code,NAME,kind,Unit\nP-1,Flange assembly,finished,pcs\n")).await;
        assert_done(&job, 0, 1);
        assert_eq!(first(&planner, "/api/v1/products?q=P-1").await["name"], "Flange assembly");

        let job = import(
            &planner,
            "boms",
            "bom.xlsx",
            xlsx(&[&["Parent", "Child", "Qty", "Scrap"], &["P-1", "S-1", "2", "0"]]),
        )
        .await;
        assert_done(&job, 0, 1);
        let p1 = first(&planner, "/api/v1/products?q=P-1").await;
        assert_eq!(p1["active_bom_version"], 2);

        let job = import(
            &planner,
            "routings",
            "工艺.csv",
            csv("产品编码,工序号,工序名称,工作中心,单件工时,可选设备\nP-1,10,车削,WC-TURN,2,\"CNC-01;CNC-03:1.5\"\n"),
        )
        .await;
        assert_done(&job, 0, 1);
        let routing = first(&planner, &format!("/api/v1/routings?product_id={}&status=active", p1["id"])).await;
        assert_eq!(routing["version"], 2);
        assert_eq!(routing["operations"].as_array().unwrap().len(), 1);

        let job = import(
            &planner,
            "work-orders",
            "orders.xlsx",
            xlsx(&[
                &["Order No", "Item Code", "Qty", "Due Date", "Priority"],
                &["WO-IMP-1", "P-1", "120", "2026-12-30", "2"],
                &["", "S-1", "5", "2027-01-15", ""],
            ]),
        )
        .await;
        assert_done(&job, 1, 1);
        let order = first(&planner, "/api/v1/work-orders?q=WO-IMP-1").await;
        assert_eq!(order["quantity"], 120.0);
        assert_eq!(order["priority"], 2);
        assert_eq!(order["customer"], "ACME", "absent column keeps its value");
    }
}

both_backends! {
    async fn bad_rows_store_nothing_and_every_one_is_reported(app: TestApp) {
        let planner = app.signed_in("planner", &[Role::Planner]).await.with_lang("en");
        master_data(&planner).await;

        // Line 2 is good (S-1's next routing); 3 has a bad number, 4 an unknown machine and 5
        // repeats 4's sequence number.
        let job = import(
            &planner,
            "routings",
            "routing.csv",
            csv("Product,Seq,Name,Work centre,Setup minutes,Machines\n\
                 S-1,10,Cut,WC-TURN,5,CNC-01\n\
                 P-1,20,Drill,WC-TURN,abc,CNC-02\n\
                 P-1,30,Thread,WC-TURN,1,NOPE-9\n\
                 P-1,30,Again,WC-TURN,1,CNC-01\n"),
        )
        .await;
        let errors = cells(&job);
        assert_eq!(
            errors,
            vec![
                (3, "Setup minutes".to_owned()),
                (4, "Machines".to_owned()),
                (5, "Seq".to_owned()),
            ],
            "{job:#}"
        );
        let messages = job["errors"].to_string();
        assert!(messages.contains("\\\"abc\\\" is not a number"), "{messages}");
        assert!(messages.contains("Machine NOPE-9 does not exist"), "{messages}");
        assert!(messages.contains("first on line 4"), "{messages}");
        let s1 = first(&planner, "/api/v1/products?q=S-1").await;
        assert_eq!(s1["active_routing_version"], 1, "nothing stored, not even the good row");
        let res = planner.get(&format!("/api/v1/routings?product_id={}", s1["id"])).await;
        assert_eq!(res.body["total"], 1);

        // A service's own rule, mapped to its cell: raw materials have no routing.
        let job = import(&planner, "routings", "r.csv", csv("Product,Seq,Name,Work centre\nM-1,10,Cut,WC-TURN\n")).await;
        assert_eq!(cells(&job), vec![(2, "Product".to_owned())]);
        assert!(job["errors"][0]["message"].as_str().unwrap().contains("raw material"));

        // A duplicate code in the file and a rule a service enforces (name too long is not a
        // cell problem of its own): the good first row is not stored either.
        let long = "x".repeat(300);
        let job = import(
            &planner,
            "products",
            "products.csv",
            csv(&format!("code,name,kind\nNEW-1,New,raw\nNEW-2,Other,raw\nNEW-2,Again,raw\nNEW-3,{long},semi\nNEW-4,Kind,gold\n")),
        )
        .await;
        let errors = cells(&job);
        assert_eq!(
            errors,
            vec![(4, "code".to_owned()), (5, "name".to_owned()), (6, "kind".to_owned())],
            "{job:#}"
        );
        assert_eq!(planner.get("/api/v1/products?q=NEW").await.body["total"], 0);

        // A missing required column is reported on the header line, by its name.
        let job = import(&planner, "products", "p.csv", csv("物料编码,物料名称\nX-1,某物料\n")).await;
        assert_eq!(cells(&job), vec![(1, "类型".to_owned())]);
        assert!(job["errors"][0]["message"].as_str().unwrap().contains("Kind"));

        // Orders: unknown product and a date that is not one; messages in Chinese for zh-CN.
        let zh = app.signed_in("planner-zh", &[Role::Planner]).await;
        let job = import(
            &zh,
            "work-orders",
            "orders.csv",
            csv("工单号,产品编码,数量,交期\nWO-BAD-1,P-1,10,2026-12-01\nWO-BAD-2,NOPE,10,2026-12-01\nWO-BAD-3,P-1,-5,明天\n"),
        )
        .await;
        let errors = cells(&job);
        assert_eq!(
            errors,
            vec![(3, "产品编码".to_owned()), (4, "交期".to_owned())],
            "{job:#}"
        );
        assert!(job["errors"][0]["message"].as_str().unwrap().contains("物料 NOPE 不存在"));
        assert_eq!(zh.get("/api/v1/work-orders?q=WO-BAD").await.body["total"], 0);
    }
}

both_backends! {
    async fn gbk_files_and_templates(app: TestApp) {
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        let (gbk, _, unmappable) = encoding_rs::GBK.encode("物料编码,物料名称,类型,单位\nGB-1,齿轮轴,成品,件\nGB-2,轴承座,半成品,个\n");
        assert!(!unmappable);
        let job = import(&planner, "products", "erp.csv", gbk.into_owned()).await;
        assert_done(&job, 2, 0);
        assert_eq!(first(&planner, "/api/v1/products?q=GB-1").await["name"], "齿轮轴");

        let res = planner.get("/api/v1/import/products/template?format=csv&lang=zh-CN").await;
        res.assert_status(200);
        assert!(res.bytes.starts_with(b"\xEF\xBB\xBF"));
        assert!(res.text.contains("物料编码,物料名称,单位,类型"), "{}", res.text);
        let res = planner.get("/api/v1/import/routings/template?format=xlsx&lang=en").await;
        res.assert_status(200);
        assert!(res.bytes.starts_with(b"PK"));
        // The English template imports as it is (its example row is a finished product).
        let template = planner.get("/api/v1/import/products/template?format=xlsx&lang=en").await;
        let job = import(&planner, "products", "template.xlsx", template.bytes).await;
        assert_done(&job, 1, 0);
        assert_eq!(planner.get("/api/v1/import/nothing/template").await.status, 404);
    }
}

both_backends! {
    async fn exports_follow_filters_and_import_again(app: TestApp) {
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        master_data(&planner).await;
        let operator = app.signed_in("operator", &[Role::Operator]).await.with_lang("en");

        let res = operator.get("/api/v1/export/products?format=csv&kind=raw&lang=en").await;
        res.assert_status(200);
        assert!(res.headers["content-disposition"].to_str().unwrap().contains("products-"));
        assert!(res.bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = res.text.trim_start_matches('\u{feff}');
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Code,Name,Unit,Kind"), "{text}");
        assert_eq!(lines.len(), 3, "only the raw materials: {text}");

        // Round trip: every kind's CSV export imports again, changing nothing.
        for (kind, query, rows) in [
            ("machines", "", 3),
            ("products", "", 4),
            ("boms", "status=active", 3),
            ("routings", "status=active", 3),
            ("work-orders", "", 2),
        ] {
            let res = planner.get(&format!("/api/v1/export/{kind}?format=csv&{query}")).await;
            res.assert_status(200);
            let job = import(&planner, kind, "export.csv", res.bytes).await;
            assert_eq!(job["status"], "done", "{kind}: {job:#}");
            assert_eq!(job["total_rows"], rows, "{kind}: {job:#}");
            assert_eq!(job["created"], 0, "{kind}: {job:#}");
        }
        let order = first(&planner, "/api/v1/work-orders?q=WO-IMP-1").await;
        assert_eq!(order["due_at"], "2026-12-31T15:59:59Z");

        let res = planner.get("/api/v1/export/work-orders?format=xlsx&q=WO-IMP-2&lang=zh-CN").await;
        res.assert_status(200);
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(res.bytes)).expect("xlsx");
        use calamine::Reader;
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.height(), 2);
        assert_eq!(range.get((0, 0)).unwrap().to_string(), "工单号");
        assert_eq!(range.get((1, 0)).unwrap().to_string(), "WO-IMP-2");

        for kind in ["work-centers", "stations", "machines"] {
            planner.get(&format!("/api/v1/export/{kind}?format=xlsx")).await.assert_status(200);
        }
        let res = planner.get("/api/v1/export/work-orders?status=nonsense").await;
        res.assert_status(400);
        assert_eq!(planner.get("/api/v1/export/users").await.status, 404);
        assert_eq!(planner.get("/api/v1/export/machines?format=pdf").await.status, 400);
    }
}

both_backends! {
    async fn traveler_and_labels_carry_the_scan_codes(app: TestApp) {
        let planner = app.signed_in("planner", &[Role::Planner]).await;
        master_data(&planner).await;
        let order = first(&planner, "/api/v1/work-orders?q=WO-IMP-1").await;
        let id = order["id"].as_i64().unwrap();
        planner
            .post(&format!("/api/v1/work-orders/{id}/release"), &json!({}))
            .await
            .assert_status(200);

        let operator = app.signed_in("operator", &[Role::Operator]).await;
        let res = operator.get(&format!("/api/v1/work-orders/{id}/traveler?lang=en")).await;
        res.assert_status(200);
        assert!(res.headers["content-type"].to_str().unwrap().starts_with("text/html"));
        let page = &res.text;
        assert!(page.contains("WO-IMP-1"));
        assert!(page.contains("<svg class=\"qr\""));
        assert!(page.contains("data-code=\"WO:WO-IMP-1\""), "{page}");
        assert!(page.contains("data-code=\"OP:WO-IMP-1:10\""));
        assert!(page.contains("data-code=\"OP:WO-IMP-1:20\""));
        assert!(page.contains("CNC-02 (3)"));
        assert!(page.contains("@page { size: A4"));
        assert!(page.contains("Inspector"));
        let zh = operator.get(&format!("/api/v1/work-orders/{id}/traveler?lang=zh-CN")).await;
        assert!(zh.text.contains("生产工单流转卡"));
        assert_eq!(operator.get("/api/v1/work-orders/999999/traveler").await.status, 404);

        let m = first(&planner, "/api/v1/machines?q=CNC-01").await["id"].as_i64().unwrap();
        let res = operator.get(&format!("/api/v1/labels/machines?ids={m}")).await;
        res.assert_status(200);
        assert!(res.text.contains("data-code=\"M:CNC-01\""));
        assert_eq!(operator.get("/api/v1/labels/machines?ids=999999").await.status, 404);
        assert_eq!(operator.get("/api/v1/labels/stations?ids=x").await.status, 400);
        let station = planner
            .post("/api/v1/stations", &json!({"code": "T-1", "name": "Tablet 1", "machine_id": m}))
            .await;
        station.assert_status(201);
        let res = operator
            .get(&format!("/api/v1/labels/stations?ids={}", station.body["id"]))
            .await;
        res.assert_status(200);
        assert!(res.text.contains("data-code=\"ST:T-1\""));

        // Printing is for everyone; importing is not.
        let res: Response = operator
            .raw(reqwest::Method::POST, "/api/v1/import/products?file_name=p.csv", "text/csv", csv("code,name,kind\nA,B,raw\n"))
            .await;
        res.assert_status(403);
    }
}

#[actix_web::test]
async fn uploads_over_the_limit_are_413() {
    let config = Config {
        max_upload_bytes: 1024,
        ..Config::default()
    };
    let app = TestApp::sqlite_with(config).await;
    let planner = app
        .signed_in("planner", &[Role::Planner])
        .await
        .with_lang("en");
    let big = format!("code,name,kind\n{}", "A,B,raw\n".repeat(200));
    let res = planner
        .raw(
            reqwest::Method::POST,
            "/api/v1/import/products?file_name=big.csv",
            "text/csv",
            big.into_bytes(),
        )
        .await;
    res.assert_status(413);
    assert!(res.body["message"].as_str().unwrap().contains("too large"));
    let res = planner
        .raw(
            reqwest::Method::POST,
            "/api/v1/import/products?file_name=p.csv",
            "multipart/form-data; boundary=x",
            b"--x--".to_vec(),
        )
        .await;
    res.assert_status(415);
    let res = planner.get("/api/v1/import/jobs/unknown").await;
    res.assert_status(404);
}

#[test]
fn cli_import_reports_bad_lines_and_stores_good_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.sqlite3").display());
    let good = dir.path().join("products.csv");
    std::fs::write(
        &good,
        "物料编码,物料名称,类型\nC-1,轴,成品\nC-2,圆钢,原材料\n",
    )
    .unwrap();
    let out = mes(&[
        "import",
        "products",
        good.to_str().unwrap(),
        "--database",
        &db,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("2 created, 0 updated"), "{stdout}");

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,name,kind\nC-3,Fine,raw\nC-4,Bad,gold\nC-1,,raw\n",
    )
    .unwrap();
    let out = mes(&[
        "import",
        "products",
        bad.to_str().unwrap(),
        "--database",
        &db,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("line 3, column kind:"), "{stderr}");
    assert!(stderr.contains("line 4, column name:"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    let out = mes(&[
        "import",
        "products",
        good.to_str().unwrap(),
        "--database",
        &db,
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 created, 2 updated"));
    let out = mes(&[
        "import",
        "gadgets",
        good.to_str().unwrap(),
        "--database",
        &db,
    ]);
    assert!(!out.status.success());
}
