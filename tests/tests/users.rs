use mes_api_types::auth::Role;
use mes_tests::both_backends;
use serde_json::json;

both_backends! {
    async fn admin_creates_lists_and_edits_users(app: TestApp) {
        let admin = app.admin().await;
        let created = admin
            .post(
                "/api/v1/users",
                &json!({"username": "Li.Wei", "display_name": "李伟", "password": "password-1", "roles": ["planner", "manager", "planner"], "language": "en"}),
            )
            .await;
        created.assert_status(201);
        assert_eq!(created.body["username"], "li.wei");
        assert_eq!(created.body["roles"], json!(["manager", "planner"]));
        assert_eq!(created.body["language"], "en");
        assert!(created.body.get("password_hash").is_none());
        let id = created.body["id"].as_i64().unwrap();

        let got = admin.get(&format!("/api/v1/users/{id}")).await;
        got.assert_status(200);
        assert_eq!(got.body["display_name"], "李伟");

        let edited = admin
            .patch(&format!("/api/v1/users/{id}"), &json!({"roles": ["supervisor"], "badge_code": "SV-9", "pin": "1234"}))
            .await;
        edited.assert_status(200);
        assert_eq!(edited.body["roles"], json!(["supervisor"]));
        assert_eq!(edited.body["badge_code"], "SV-9");
        assert_eq!(edited.body["has_pin"], true);

        let by_name = admin.get("/api/v1/users?q=%E6%9D%8E").await; // 李
        assert_eq!(by_name.body["total"], 1);
        let by_role = admin.get("/api/v1/users?role=supervisor").await;
        assert_eq!(by_role.body["total"], 1);
        let none = admin.get("/api/v1/users?q=100%25").await; // a literal %, not a wildcard
        assert_eq!(none.body["total"], 0);
        admin.get("/api/v1/users/999999").await.assert_status(404);
    }
}

both_backends! {
    async fn user_validation_names_every_bad_field(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let res = admin
            .post("/api/v1/users", &json!({"username": "x y", "password": "short", "roles": [], "pin": "12a"}))
            .await;
        res.assert_status(400);
        assert_eq!(res.error_kind(), "validation");
        let fields: Vec<&str> = res.body["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["username", "password", "roles", "pin"]);
        let bad_role = admin
            .post("/api/v1/users", &json!({"username": "ok", "password": "password-1", "roles": ["king"]}))
            .await;
        bad_role.assert_status(400);
        assert_eq!(bad_role.body["details"][0]["field"], "roles[0]");
    }
}

both_backends! {
    async fn duplicates_are_conflicts(app: TestApp) {
        let admin = app.admin().await.with_lang("en");
        let body = json!({"username": "twin", "password": "password-1", "roles": ["operator"], "badge_code": "B-1"});
        admin.post("/api/v1/users", &body).await.assert_status(201);
        let again = admin.post("/api/v1/users", &body).await;
        again.assert_status(409);
        assert_eq!(again.body["message"], "That user name is already taken");
        let badge = admin
            .post("/api/v1/users", &json!({"username": "twin2", "password": "password-1", "roles": ["operator"], "badge_code": "B-1"}))
            .await;
        badge.assert_status(409);
        assert!(badge.body["message"].as_str().unwrap().contains("badge"));
    }
}

both_backends! {
    async fn last_admin_cannot_be_disabled_or_demoted(app: TestApp) {
        let admin = app.admin().await;
        let me = admin.get("/api/v1/auth/me").await;
        let id = me.body["id"].as_i64().unwrap();
        admin.patch(&format!("/api/v1/users/{id}"), &json!({"active": false})).await.assert_status(409);
        admin.patch(&format!("/api/v1/users/{id}"), &json!({"roles": ["manager"]})).await.assert_status(409);
        app.create_user("second-admin", &[Role::Admin]);
        admin.patch(&format!("/api/v1/users/{id}"), &json!({"roles": ["admin", "manager"]})).await.assert_status(200);
    }
}

both_backends! {
    async fn role_change_takes_effect_at_once(app: TestApp) {
        let admin = app.admin().await;
        let user = app.signed_in("ivy", &[Role::Admin]).await;
        user.get("/api/v1/users").await.assert_status(200);
        let id = user.get("/api/v1/auth/me").await.body["id"].as_i64().unwrap();
        admin.patch(&format!("/api/v1/users/{id}"), &json!({"roles": ["operator"]})).await.assert_status(200);
        user.get("/api/v1/users").await.assert_status(403);
    }
}

both_backends! {
    async fn users_page_through_with_cursor(app: TestApp) {
        let admin = app.admin().await;
        for i in 0..7 {
            app.create_user(&format!("page{i}"), &[Role::Operator]);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/users?role=operator&limit=3&cursor={c}"),
                None => "/api/v1/users?role=operator&limit=3".into(),
            };
            let page = admin.get(&path).await;
            page.assert_status(200);
            assert_eq!(page.body["total"], 7);
            for u in page.body["items"].as_array().unwrap() {
                seen.push(u["username"].as_str().unwrap().to_owned());
            }
            match page.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen, (0..7).map(|i| format!("page{i}")).collect::<Vec<_>>());
        admin.get("/api/v1/users?limit=0").await.assert_status(400);
        admin.get("/api/v1/users?limit=501").await.assert_status(400);
        admin.get("/api/v1/users?cursor=abc").await.assert_status(400);
        admin.get("/api/v1/users?colour=red").await.assert_status(400);
    }
}
