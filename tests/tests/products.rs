//! Products, versioned BOMs and routings, the BOM explosion and work-instruction attachments.

use mes_api_types::auth::Role;
use mes_backend::config::Config;
use mes_tests::{Client, TestApp, both_backends};
use serde_json::{Value, json};

async fn create(client: &Client, path: &str, body: Value) -> Value {
    let res = client.post(path, &body).await;
    res.assert_status(201);
    res.body
}

async fn product(client: &Client, code: &str, kind: &str) -> i64 {
    let unit = if kind == "raw" { "kg" } else { "pcs" };
    create(
        client,
        "/api/v1/products",
        json!({"code": code, "name": format!("产品 {code}"), "kind": kind, "unit": unit}),
    )
    .await["id"]
        .as_i64()
        .expect("id")
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

fn line(component: i64, qty: f64, scrap: f64) -> Value {
    json!({"component_id": component, "quantity_per": qty, "scrap_factor": scrap})
}

/// A work centre with two machines, and another work centre with one.
async fn plant(client: &Client) -> (i64, i64, i64, i64, i64) {
    let wc = create(
        client,
        "/api/v1/work-centers",
        json!({"code": "WC-CNC", "name": "数控加工"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let other = create(
        client,
        "/api/v1/work-centers",
        json!({"code": "WC-QC", "name": "检验"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let m1 = create(
        client,
        "/api/v1/machines",
        json!({"code": "CNC-01", "name": "车床", "work_center_id": wc}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let m2 = create(
        client,
        "/api/v1/machines",
        json!({"code": "CNC-02", "name": "车床", "work_center_id": wc}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let qc = create(
        client,
        "/api/v1/machines",
        json!({"code": "QC-01", "name": "检验台", "work_center_id": other}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    (wc, other, m1, m2, qc)
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

both_backends! {
    async fn products_crud_filters_and_paging(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let created = admin.post("/api/v1/products", &json!({"code": "  SP-Q235-10 ", "name": "钢板 Q235 δ10", "unit": "kg", "kind": "raw"})).await;
        created.assert_status(201);
        assert_eq!(created.body["code"], "SP-Q235-10");
        assert_eq!(created.body["active"], true);
        assert!(created.body["active_bom_version"].is_null());
        let id = created.body["id"].as_i64().unwrap();
        let defaulted = create(&admin, "/api/v1/products", json!({"code": "SF-1", "name": "底座", "kind": "semi"})).await;
        assert_eq!(defaulted["unit"], "pcs");
        for i in 0..4 {
            product(&admin, &format!("FG-{i}"), "finished").await;
        }

        let dup = admin.post("/api/v1/products", &json!({"code": "SP-Q235-10", "name": "x", "kind": "raw"})).await;
        dup.assert_status(409);
        assert_eq!(dup.body["message"], "The code SP-Q235-10 is already used by another product");
        let bad = admin.post("/api/v1/products", &json!({"code": "A B", "name": "", "unit": "a-very-long-unit-name", "kind": "raw"})).await;
        bad.assert_status(400);
        assert_eq!(fields(&bad), ["code", "name", "unit"]);
        admin.post("/api/v1/products", &json!({"code": "X", "name": "x", "kind": "gas"})).await.assert_status(400);

        assert_eq!(admin.get("/api/v1/products?kind=finished").await.body["total"], 4);
        assert_eq!(admin.get("/api/v1/products?q=%E9%92%A2%E6%9D%BF").await.body["total"], 1); // 钢板
        assert_eq!(admin.get("/api/v1/products?q=sp-q235").await.body["total"], 1);
        let page = admin.get("/api/v1/products?limit=4").await;
        assert_eq!(page.body["items"].as_array().unwrap().len(), 4);
        assert_eq!(page.body["total"], 6);
        let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
        let rest = admin.get(&format!("/api/v1/products?limit=4&cursor={cursor}")).await;
        assert_eq!(rest.body["items"].as_array().unwrap().len(), 2);
        assert!(rest.body.get("next_cursor").is_none());

        let by_code = admin.get("/api/v1/products/by-code/SF-1").await;
        by_code.assert_status(200);
        assert_eq!(by_code.body["kind"], "semi");
        admin.get("/api/v1/products/by-code/NOPE").await.assert_status(404);

        let put = admin.put(&format!("/api/v1/products/{id}"), &json!({"code": "SP-Q235-10", "name": "钢板", "unit": "t", "kind": "raw", "active": false})).await;
        put.assert_status(200);
        assert_eq!(put.body["unit"], "t");
        assert_eq!(admin.get("/api/v1/products?active=false").await.body["total"], 1);
        admin.delete(&format!("/api/v1/products/{id}")).await.assert_status(204);
        admin.get(&format!("/api/v1/products/{id}")).await.assert_status(404);

        let operator = app.signed_in("op-user", &[Role::Operator]).await;
        operator.get("/api/v1/products").await.assert_status(200);
        operator.post("/api/v1/products", &json!({"code": "Y", "name": "y", "kind": "raw"})).await.assert_status(403);
    }
}

both_backends! {
    async fn bom_versions_are_drafted_activated_and_frozen(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let fg = product(&admin, "FG", "finished").await;
        let sf = product(&admin, "SF", "semi").await;
        let rm = product(&admin, "RM", "raw").await;

        let v1 = create(&admin, "/api/v1/boms", json!({"product_id": fg, "note": "首版", "lines": [line(sf, 2.0, 0.0)]})).await;
        assert_eq!(v1["version"], 1);
        assert_eq!(v1["status"], "draft");
        assert_eq!(v1["product_code"], "FG");
        assert_eq!(v1["lines"][0]["component_code"], "SF");
        assert_eq!(v1["lines"][0]["position"], 1);
        let v1_id = v1["id"].as_i64().unwrap();
        let edited = admin.put(&format!("/api/v1/boms/{v1_id}"), &json!({"product_id": fg, "lines": [line(sf, 2.0, 0.0), line(rm, 3.0, 0.25)]})).await;
        edited.assert_status(200);
        assert_eq!(edited.body["lines"].as_array().unwrap().len(), 2);
        assert_eq!(edited.body["lines"][1]["unit"], "kg");
        let moved = admin.put(&format!("/api/v1/boms/{v1_id}"), &json!({"product_id": sf, "lines": []})).await;
        moved.assert_status(400);
        assert_eq!(fields(&moved), ["product_id"]);

        let active = admin.post(&format!("/api/v1/boms/{v1_id}/activate"), &json!({})).await;
        active.assert_status(200);
        assert_eq!(active.body["status"], "active");
        assert_eq!(admin.get(&format!("/api/v1/products/{fg}")).await.body["active_bom_version"], 1);
        let frozen = admin.put(&format!("/api/v1/boms/{v1_id}"), &json!({"product_id": fg, "lines": [line(sf, 1.0, 0.0)]})).await;
        frozen.assert_status(409);
        assert!(frozen.body["message"].as_str().unwrap().contains("create a new version"), "{}", frozen.text);
        admin.delete(&format!("/api/v1/boms/{v1_id}")).await.assert_status(409);
        admin.post(&format!("/api/v1/boms/{v1_id}/activate"), &json!({})).await.assert_status(409);

        let v2 = admin.post(&format!("/api/v1/boms/{v1_id}/copy"), &json!({})).await;
        v2.assert_status(201);
        assert_eq!(v2.body["version"], 2);
        assert_eq!(v2.body["status"], "draft");
        assert_eq!(v2.body["lines"], active.body["lines"]);
        let v2_id = v2.body["id"].as_i64().unwrap();
        admin.put(&format!("/api/v1/boms/{v2_id}"), &json!({"product_id": fg, "lines": [line(sf, 4.0, 0.0)]})).await.assert_status(200);
        admin.post(&format!("/api/v1/boms/{v2_id}/activate"), &json!({})).await.assert_status(200);
        let old = admin.get(&format!("/api/v1/boms/{v1_id}")).await;
        assert_eq!(old.body["status"], "archived");
        assert_eq!(old.body["lines"][0]["quantity_per"], 2.0, "archived content is unchanged");
        assert_eq!(admin.get(&format!("/api/v1/products/{fg}")).await.body["active_bom_version"], 2);

        // A third version from a draft, deleted again; an archived one can be reactivated.
        let v3 = create(&admin, "/api/v1/boms", json!({"product_id": fg, "lines": [line(rm, 1.0, 0.0)]})).await;
        assert_eq!(v3["version"], 3);
        admin.delete(&format!("/api/v1/boms/{}", v3["id"])).await.assert_status(204);
        let list = admin.get(&format!("/api/v1/boms?product_id={fg}")).await;
        let versions: Vec<i64> = list.body["items"].as_array().unwrap().iter().map(|b| b["version"].as_i64().unwrap()).collect();
        assert_eq!(versions, [2, 1], "newest first");
        assert_eq!(admin.get(&format!("/api/v1/boms?product_id={fg}&status=active")).await.body["total"], 1);
        admin.post(&format!("/api/v1/boms/{v1_id}/activate"), &json!({})).await.assert_status(200);
        assert_eq!(admin.get(&format!("/api/v1/boms/{v2_id}")).await.body["status"], "archived");

        // Referenced products are not deleted.
        let del = admin.delete(&format!("/api/v1/products/{rm}")).await;
        del.assert_status(409);
        assert!(del.body["message"].as_str().unwrap().contains("component in 1 BOM line(s)"), "{}", del.text);
        admin.delete(&format!("/api/v1/products/{fg}")).await.assert_status(409);
        let raw = admin.put(&format!("/api/v1/products/{fg}"), &json!({"code": "FG", "name": "x", "kind": "raw"})).await;
        raw.assert_status(409);

        let trail = admin.get(&format!("/api/v1/audit?entity=bom&entity_id={v1_id}")).await;
        let actions: Vec<&str> = trail.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["update", "update", "update", "update", "create"]);
    }
}

both_backends! {
    async fn bom_validation_and_cycles(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let a = product(&admin, "A", "finished").await;
        let b = product(&admin, "B", "semi").await;
        let c = product(&admin, "C", "semi").await;
        let rm = product(&admin, "RM", "raw").await;

        let raw = admin.post("/api/v1/boms", &json!({"product_id": rm, "lines": [line(b, 1.0, 0.0)]})).await;
        raw.assert_status(400);
        assert_eq!(fields(&raw), ["product_id"]);
        admin.post("/api/v1/boms", &json!({"product_id": 9999, "lines": []})).await.assert_status(400);
        let bad = admin.post("/api/v1/boms", &json!({"product_id": a, "lines": [
            line(a, 1.0, 0.0), line(b, 0.0, 0.0), line(c, 1.0, 1.0), line(9999, 1.0, -0.1)
        ]})).await;
        bad.assert_status(400);
        assert_eq!(fields(&bad), [
            "lines[0].component_id", "lines[1].quantity_per", "lines[2].scrap_factor",
            "lines[3].component_id", "lines[3].scrap_factor",
        ]);
        let empty = create(&admin, "/api/v1/boms", json!({"product_id": c, "lines": []})).await;
        let no_lines = admin.post(&format!("/api/v1/boms/{}/activate", empty["id"]), &json!({})).await;
        no_lines.assert_status(409);

        // A contains B (active). B containing A is refused at once.
        let ab = create(&admin, "/api/v1/boms", json!({"product_id": a, "lines": [line(b, 1.0, 0.0)]})).await;
        admin.post(&format!("/api/v1/boms/{}/activate", ab["id"]), &json!({})).await.assert_status(200);
        let ba = admin.post("/api/v1/boms", &json!({"product_id": b, "lines": [line(rm, 1.0, 0.0), line(a, 1.0, 0.0)]})).await;
        ba.assert_status(400);
        assert_eq!(fields(&ba), ["lines[1].component_id"]);
        assert!(ba.text.contains("would be a cycle"), "{}", ba.text);

        // A cycle that only closes at activation: B → C drafted and activated, then C → A.
        let ca = create(&admin, "/api/v1/boms", json!({"product_id": c, "lines": [line(a, 1.0, 0.0)]})).await;
        let bc = create(&admin, "/api/v1/boms", json!({"product_id": b, "lines": [line(c, 1.0, 0.0)]})).await;
        admin.post(&format!("/api/v1/boms/{}/activate", bc["id"]), &json!({})).await.assert_status(200);
        let cycle = admin.post(&format!("/api/v1/boms/{}/activate", ca["id"]), &json!({})).await;
        cycle.assert_status(409);
        assert!(cycle.text.contains("Component A already contains C"), "{}", cycle.text);
        // The explosion stays finite.
        let tree = admin.get(&format!("/api/v1/products/{a}/bom-tree")).await;
        tree.assert_status(200);
        assert_eq!(tree.body["children"][0]["children"][0]["product_code"], "C");
        assert_eq!(tree.body["children"][0]["children"][0]["children"], json!([]));
    }
}

both_backends! {
    async fn bom_tree_multiplies_through_levels_with_scrap(app: TestApp) {
        let admin = app.admin().await;
        let fg = product(&admin, "FG", "finished").await;
        let sf = product(&admin, "SF", "semi").await;
        let r1 = product(&admin, "R1", "raw").await;
        let r2 = product(&admin, "R2", "raw").await;
        for (p, lines) in [
            (fg, json!([line(sf, 2.0, 0.0), line(r1, 3.0, 0.25)])),
            (sf, json!([line(r2, 1.5, 0.1)])),
        ] {
            let bom = create(&admin, "/api/v1/boms", json!({"product_id": p, "lines": lines})).await;
            admin.post(&format!("/api/v1/boms/{}/activate", bom["id"]), &json!({})).await.assert_status(200);
        }
        // A draft is not exploded.
        create(&admin, "/api/v1/boms", json!({"product_id": sf, "lines": [line(r1, 100.0, 0.0)]})).await;

        let tree = admin.get(&format!("/api/v1/products/{fg}/bom-tree?quantity=4")).await;
        tree.assert_status(200);
        let t = &tree.body;
        assert_eq!(t["product_code"], "FG");
        assert_eq!(t["quantity"], 4.0);
        assert_eq!(t["bom_version"], 1);
        assert_eq!(t["children"][0]["product_code"], "SF");
        assert_eq!(t["children"][0]["quantity"], 8.0);
        assert_eq!(t["children"][0]["children"][0]["product_code"], "R2");
        let r2_qty = t["children"][0]["children"][0]["quantity"].as_f64().unwrap();
        assert!((r2_qty - 8.0 * 1.5 / 0.9).abs() < 1e-6, "{r2_qty}");
        assert_eq!(t["children"][1]["quantity"], 16.0);
        assert_eq!(t["children"][1]["kind"], "raw");
        assert!(t["children"][1]["bom_version"].is_null());
        assert_eq!(t["children"][1]["unit"], "kg");

        assert_eq!(admin.get(&format!("/api/v1/products/{fg}/bom-tree")).await.body["quantity"], 1.0);
        admin.get(&format!("/api/v1/products/{fg}/bom-tree?quantity=0")).await.assert_status(400);
        admin.get(&format!("/api/v1/products/{fg}/bom-tree?quantity=-2")).await.assert_status(400);
        admin.get("/api/v1/products/9999/bom-tree").await.assert_status(404);
        let leaf = admin.get(&format!("/api/v1/products/{r1}/bom-tree")).await;
        assert_eq!(leaf.body["children"], json!([]));
    }
}

fn routing(product: i64, wc: i64, other: i64, m1: i64, m2: i64, qc: i64) -> Value {
    json!({
        "product_id": product,
        "note": "首版",
        "operations": [
            {"seq": 10, "name": "数控车削", "work_center_id": wc, "setup_minutes": 20, "run_minutes_per_unit": 8,
             "queue_minutes": 30, "transfer_minutes": 10, "instruction": "粗车、精车外圆",
             "machines": [{"machine_id": m1}, {"machine_id": m2, "run_minutes_per_unit": 9.5}]},
            {"seq": 20, "name": "终检", "work_center_id": other, "run_minutes_per_unit": 5,
             "inspection_required": true, "machines": [{"machine_id": qc}]}
        ]
    })
}

both_backends! {
    async fn routing_versions_are_drafted_activated_and_frozen(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let (wc, other, m1, m2, qc) = plant(&admin).await;
        let fg = product(&admin, "FG", "finished").await;
        let rm = product(&admin, "RM", "raw").await;

        let v1 = create(&admin, "/api/v1/routings", routing(fg, wc, other, m1, m2, qc)).await;
        assert_eq!(v1["version"], 1);
        assert_eq!(v1["status"], "draft");
        let ops = v1["operations"].as_array().unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0]["work_center_code"], "WC-CNC");
        assert_eq!(ops[0]["machines"], json!([
            {"machine_id": m1, "machine_code": "CNC-01", "run_minutes_per_unit": 8.0},
            {"machine_id": m2, "machine_code": "CNC-02", "run_minutes_per_unit": 9.5}
        ]));
        assert_eq!(ops[1]["inspection_required"], true);
        assert_eq!(ops[1]["attachments"], json!([]));
        let v1_id = v1["id"].as_i64().unwrap();

        // Validation, with field paths.
        let mut bad = routing(fg, wc, other, m1, m2, qc);
        bad["operations"][0]["machines"][1]["machine_id"] = json!(qc);
        bad["operations"][0]["setup_minutes"] = json!(-1);
        bad["operations"][1]["seq"] = json!(10);
        bad["operations"][1]["machines"] = json!([{"machine_id": qc, "run_minutes_per_unit": -2}, {"machine_id": qc}]);
        let res = admin.post("/api/v1/routings", &bad).await;
        res.assert_status(400);
        assert_eq!(fields(&res), [
            "operations[0].setup_minutes", "operations[0].machines[1].machine_id",
            "operations[1].seq", "operations[1].machines[0].run_minutes_per_unit",
            "operations[1].machines[1].machine_id",
        ], "{}", res.text);
        assert!(res.text.contains("Machine QC-01 does not belong to work centre WC-CNC"));
        let raw = admin.post("/api/v1/routings", &json!({"product_id": rm, "operations": []})).await;
        raw.assert_status(400);
        assert_eq!(fields(&raw), ["product_id"]);
        let empty = create(&admin, "/api/v1/routings", json!({"product_id": fg, "operations": []})).await;
        let res = admin.post(&format!("/api/v1/routings/{}/activate", empty["id"]), &json!({})).await;
        res.assert_status(409);
        assert!(res.text.contains("no operations"));
        admin.delete(&format!("/api/v1/routings/{}", empty["id"])).await.assert_status(204);

        // Activate; then it is frozen.
        admin.post(&format!("/api/v1/routings/{v1_id}/activate"), &json!({})).await.assert_status(200);
        assert_eq!(admin.get(&format!("/api/v1/products/{fg}")).await.body["active_routing_version"], 1);
        let frozen = admin.put(&format!("/api/v1/routings/{v1_id}"), &routing(fg, wc, other, m1, m2, qc)).await;
        frozen.assert_status(409);
        assert!(frozen.text.contains("create a new version"));
        admin.delete(&format!("/api/v1/routings/{v1_id}")).await.assert_status(409);

        // Copy, edit the copy, activate it: the old version is archived and unchanged.
        let v2 = admin.post(&format!("/api/v1/routings/{v1_id}/copy"), &json!({})).await;
        v2.assert_status(201);
        // The deleted empty draft's number is free again: drafts are never referenced.
        assert_eq!(v2.body["version"], 2);
        let v2_id = v2.body["id"].as_i64().unwrap();
        assert_eq!(v2.body["operations"][0]["machines"], v1["operations"][0]["machines"]);
        assert_ne!(v2.body["operations"][0]["id"], v1["operations"][0]["id"]);
        let mut changed = routing(fg, wc, other, m1, m2, qc);
        changed["operations"][0]["run_minutes_per_unit"] = json!(6);
        changed["operations"][0]["machines"] = json!([{"machine_id": m2}]);
        let edited = admin.put(&format!("/api/v1/routings/{v2_id}"), &changed).await;
        edited.assert_status(200);
        assert_eq!(edited.body["operations"][0]["id"], v2.body["operations"][0]["id"], "same seq keeps its operation");
        admin.post(&format!("/api/v1/routings/{v2_id}/activate"), &json!({})).await.assert_status(200);
        let old = admin.get(&format!("/api/v1/routings/{v1_id}")).await;
        assert_eq!(old.body["status"], "archived");
        assert_eq!(old.body["operations"], v1["operations"]);
        let list = admin.get(&format!("/api/v1/routings?product_id={fg}&status=active")).await;
        assert_eq!(list.body["total"], 1);
        assert_eq!(list.body["items"][0]["operations"][0]["run_minutes_per_unit"], 6.0);

        // Machines and work centres in routings stay.
        let del = admin.delete(&format!("/api/v1/machines/{m1}")).await;
        del.assert_status(409);
        assert!(del.body["message"].as_str().unwrap().contains("products FG"), "{}", del.text);
        let mv = admin.put(&format!("/api/v1/machines/{m1}"), &json!({"code": "CNC-01", "name": "车床", "work_center_id": other})).await;
        mv.assert_status(409);
        admin.delete(&format!("/api/v1/work-centers/{other}")).await.assert_status(409);
        admin.delete(&format!("/api/v1/products/{fg}")).await.assert_status(409);

        let supervisor = app.signed_in("sv-user", &[Role::Supervisor]).await;
        supervisor.get(&format!("/api/v1/routings/{v1_id}")).await.assert_status(200);
        supervisor.post(&format!("/api/v1/routings/{v1_id}/copy"), &json!({})).await.assert_status(403);
    }
}

both_backends! {
    async fn attachments_upload_download_and_follow_versions(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let (wc, other, m1, m2, qc) = plant(&admin).await;
        let fg = product(&admin, "FG", "finished").await;
        let v1 = create(&admin, "/api/v1/routings", routing(fg, wc, other, m1, m2, qc)).await;
        let op = v1["operations"][0]["id"].as_i64().unwrap();
        let upload = |name: &'static str, ct: &'static str, body: Vec<u8>| {
            let admin = &admin;
            async move {
                admin
                    .raw(reqwest::Method::POST, &format!("/api/v1/routing-operations/{op}/attachments?file_name={name}"), ct, body)
                    .await
            }
        };

        let res = upload("%E5%9B%BE%E7%BA%B8.png", "image/png", PNG.to_vec()).await; // 图纸.png
        res.assert_status(201);
        assert_eq!(res.body["file_name"], "图纸.png");
        assert_eq!(res.body["content_type"], "image/png");
        assert_eq!(res.body["size_bytes"], PNG.len());
        let file = res.body["id"].as_i64().unwrap();
        let pdf = upload("sop.pdf", "application/pdf; charset=binary", b"%PDF-1.7\n1 0 obj\n".to_vec()).await;
        pdf.assert_status(201);
        let svg = upload("a.svg", "image/svg+xml", br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec()).await;
        svg.assert_status(201);
        let svg_get = admin.get(&format!("/api/v1/attachments/{}", svg.body["id"])).await;
        assert!(svg_get.headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
        admin.delete(&format!("/api/v1/attachments/{}", svg.body["id"])).await.assert_status(204);

        let got = admin.get(&format!("/api/v1/attachments/{file}")).await;
        got.assert_status(200);
        assert_eq!(got.bytes, PNG);
        assert_eq!(got.headers["content-type"], "image/png");
        assert!(got.headers.get("content-security-policy").is_none());
        assert!(got.headers["content-disposition"].to_str().unwrap().starts_with("inline;"));
        let etag = got.headers["etag"].to_str().unwrap().to_owned();
        assert_eq!(etag.len(), 66, "a quoted sha256");
        let again = admin.get_with_headers(&format!("/api/v1/attachments/{file}"), &[("If-None-Match", &etag)]).await;
        again.assert_status(304);
        assert!(again.bytes.is_empty());
        let stored = admin.get(&format!("/api/v1/routings/{}", v1["id"])).await;
        assert_eq!(stored.body["operations"][0]["attachments"].as_array().unwrap().len(), 2);

        // Refused: other types, content that is not what it claims, no name, empty, unknown operation.
        let txt = upload("a.txt", "text/plain", b"hello".to_vec()).await;
        txt.assert_status(415);
        assert!(txt.text.contains("image/png"), "the answer lists what is allowed: {}", txt.text);
        upload("a.png", "image/png", b"<script>alert(1)</script>".to_vec()).await.assert_status(415);
        upload("", "image/png", PNG.to_vec()).await.assert_status(400);
        upload("a.png", "image/png", Vec::new()).await.assert_status(400);
        admin.raw(reqwest::Method::POST, "/api/v1/routing-operations/99999/attachments?file_name=a.png", "image/png", PNG.to_vec()).await.assert_status(404);
        admin.raw(reqwest::Method::POST, &format!("/api/v1/routing-operations/{op}/attachments"), "image/png", PNG.to_vec()).await.assert_status(400);

        // A draft edit that keeps the operation's seq keeps its files; removing the operation drops them.
        let mut body = routing(fg, wc, other, m1, m2, qc);
        body["operations"][0]["name"] = json!("精车");
        let kept = admin.put(&format!("/api/v1/routings/{}", v1["id"]), &body).await;
        kept.assert_status(200);
        assert_eq!(kept.body["operations"][0]["attachments"].as_array().unwrap().len(), 2);

        // Activated: files are frozen with the routing; a copy takes copies of them.
        admin.post(&format!("/api/v1/routings/{}/activate", v1["id"]), &json!({})).await.assert_status(200);
        upload("b.png", "image/png", PNG.to_vec()).await.assert_status(409);
        admin.delete(&format!("/api/v1/attachments/{file}")).await.assert_status(409);
        let copy = admin.post(&format!("/api/v1/routings/{}/copy", v1["id"]), &json!({})).await;
        copy.assert_status(201);
        let copied = copy.body["operations"][0]["attachments"].as_array().unwrap().clone();
        assert_eq!(copied.len(), 2);
        assert_ne!(copied[0]["id"], file);
        assert_eq!(copied[0]["file_name"], "图纸.png");
        let copied_id = copied[0]["id"].as_i64().unwrap();
        assert_eq!(admin.get(&format!("/api/v1/attachments/{copied_id}")).await.bytes, PNG);
        admin.delete(&format!("/api/v1/attachments/{copied_id}")).await.assert_status(204);
        admin.get(&format!("/api/v1/attachments/{copied_id}")).await.assert_status(404);
        admin.get(&format!("/api/v1/attachments/{file}")).await.assert_status(200);

        let mut fewer = routing(fg, wc, other, m1, m2, qc);
        fewer["operations"].as_array_mut().unwrap().remove(0);
        let copy_id = copy.body["id"].as_i64().unwrap();
        admin.put(&format!("/api/v1/routings/{copy_id}"), &fewer).await.assert_status(200);
        let other_copied = copied[1]["id"].as_i64().unwrap();
        admin.get(&format!("/api/v1/attachments/{other_copied}")).await.assert_status(404);

        let operator = app.signed_in("op-user", &[Role::Operator]).await;
        operator.get(&format!("/api/v1/attachments/{file}")).await.assert_status(200);
        operator.delete(&format!("/api/v1/attachments/{file}")).await.assert_status(403);
        let trail = admin.get("/api/v1/audit?entity=attachment").await;
        assert_eq!(trail.body["total"], 5, "three uploads and two deletes");
    }
}

/// Uploads larger than `max_upload_bytes` are refused with 413 (before they are stored).
#[actix_web::test]
async fn oversized_attachments_are_refused() {
    let app = TestApp::sqlite_with(Config {
        max_upload_bytes: 1024,
        ..Config::default()
    })
    .await;
    let admin = app.admin().await;
    let (wc, other, m1, m2, qc) = plant(&admin).await;
    let fg = product(&admin, "FG", "finished").await;
    let v1 = create(
        &admin,
        "/api/v1/routings",
        routing(fg, wc, other, m1, m2, qc),
    )
    .await;
    let op = v1["operations"][0]["id"].as_i64().unwrap();
    let mut big = PNG.to_vec();
    big.resize(4096, 0);
    let res = admin
        .raw(
            reqwest::Method::POST,
            &format!("/api/v1/routing-operations/{op}/attachments?file_name=big.png"),
            "image/png",
            big,
        )
        .await;
    res.assert_status(413);
    assert_eq!(res.error_kind(), "payload_too_large");
    let mut small = PNG.to_vec();
    small.resize(1024, 0);
    admin
        .raw(
            reqwest::Method::POST,
            &format!("/api/v1/routing-operations/{op}/attachments?file_name=ok.png"),
            "image/png",
            small,
        )
        .await
        .assert_status(201);
}

both_backends! {
    async fn the_database_keeps_one_active_version_per_product(app: TestApp) {
        use diesel::connection::SimpleConnection;
        let admin = app.admin().await;
        let fg = product(&admin, "FG", "finished").await;
        let rm = product(&admin, "RM", "raw").await;
        let v1 = create(&admin, "/api/v1/boms", json!({"product_id": fg, "lines": [line(rm, 1.0, 0.0)]})).await;
        admin.post(&format!("/api/v1/boms/{}/activate", v1["id"]), &json!({})).await.assert_status(200);
        let v2 = create(&admin, "/api/v1/boms", json!({"product_id": fg, "lines": [line(rm, 2.0, 0.0)]})).await;
        // What two racing activations would leave behind is refused by the database itself.
        let mut conn = app.db.get().unwrap();
        let sneak = format!("UPDATE boms SET status = 'active' WHERE id = {}", v2["id"]);
        assert!(conn.batch_execute(&sneak).is_err());
    }
}
