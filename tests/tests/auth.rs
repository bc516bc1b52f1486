use mes_api_types::auth::Role;
use mes_tests::both_backends;
use serde_json::json;

both_backends! {
    async fn login_sets_httponly_cookie_and_me_works(app: TestApp) {
        app.create_user("alice", &[Role::Planner, Role::Supervisor]);
        let client = app.anonymous();
        let res = client
            .post("/api/v1/auth/login", &json!({"username": "Alice ", "password": "alice-password"}))
            .await;
        res.assert_status(200);
        assert_eq!(res.body["username"], "alice");
        assert_eq!(res.body["roles"], json!(["planner", "supervisor"]));
        let cookie = res.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.starts_with("mes_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");

        let me = client.get("/api/v1/auth/me").await;
        me.assert_status(200);
        assert_eq!(me.body["username"], "alice");
        assert_eq!(me.body["language"], "zh-CN");
    }
}

both_backends! {
    async fn wrong_password_and_unknown_user_look_the_same(app: TestApp) {
        app.create_user("bob", &[Role::Operator]);
        let client = app.anonymous().with_lang("en");
        let wrong = client.post("/api/v1/auth/login", &json!({"username": "bob", "password": "nope-nope"})).await;
        let unknown = client.post("/api/v1/auth/login", &json!({"username": "nobody", "password": "nope-nope"})).await;
        wrong.assert_status(401);
        unknown.assert_status(401);
        assert_eq!(wrong.body, unknown.body);
        assert_eq!(wrong.error_kind(), "unauthorized");
        assert_eq!(wrong.body["message"], "Wrong user name or password");
        assert!(wrong.headers.get("set-cookie").is_none());
    }
}

both_backends! {
    async fn logout_ends_the_session(app: TestApp) {
        let client = app.signed_in("carol", &[Role::Manager]).await;
        client.get("/api/v1/auth/me").await.assert_status(200);
        client.post("/api/v1/auth/logout", &json!({})).await.assert_status(204);
        let after = client.get("/api/v1/auth/me").await;
        after.assert_status(401);
        assert_eq!(after.error_kind(), "unauthorized");
    }
}

both_backends! {
    async fn stolen_cookie_is_useless_after_logout(app: TestApp) {
        let password = app.create_user("dave", &[Role::Manager]);
        let raw = reqwest::Client::new();
        let res = raw
            .post(format!("{}/api/v1/auth/login", app.base_url))
            .json(&json!({"username": "dave", "password": password}))
            .send()
            .await
            .unwrap();
        let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let me = |c: String| {
            let raw = raw.clone();
            let url = format!("{}/api/v1/auth/me", app.base_url);
            async move { raw.get(url).header("Cookie", c).send().await.unwrap().status().as_u16() }
        };
        assert_eq!(me(cookie.clone()).await, 200);
        raw.post(format!("{}/api/v1/auth/logout", app.base_url))
            .header("Cookie", cookie.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(me(cookie).await, 401);
        assert_eq!(me("mes_session=forged-token".into()).await, 401);
    }
}

both_backends! {
    async fn badge_and_pin_sign_in_at_a_station(app: TestApp) {
        let admin = app.admin().await;
        admin
            .post(
                "/api/v1/users",
                &json!({"username": "op7", "password": "operator-pw", "roles": ["operator"], "badge_code": "OP-0007", "pin": "2580"}),
            )
            .await
            .assert_status(201);
        let station = app.anonymous();
        let wrong = station.post("/api/v1/auth/badge-login", &json!({"badge": "OP-0007", "pin": "0000"})).await;
        wrong.assert_status(401);
        let unknown = station.post("/api/v1/auth/badge-login", &json!({"badge": "OP-9999", "pin": "2580"})).await;
        assert_eq!(unknown.body, wrong.body);
        let ok = station.post("/api/v1/auth/badge-login", &json!({"badge": " OP-0007", "pin": "2580"})).await;
        ok.assert_status(200);
        assert_eq!(ok.body["username"], "op7");
        station.get("/api/v1/auth/me").await.assert_status(200);
    }
}

both_backends! {
    async fn login_is_rate_limited_per_account(app: TestApp) {
        app.create_user("eve", &[Role::Operator]);
        let client = app.anonymous();
        let mut statuses = Vec::new();
        for _ in 0..12 {
            let res = client.post("/api/v1/auth/login", &json!({"username": "eve", "password": "guess-guess"})).await;
            statuses.push(res.status);
            if res.status == 429 {
                assert!(res.headers.get("retry-after").is_some());
                assert_eq!(res.error_kind(), "rate_limited");
            }
        }
        // The default budget is 10 a minute per account; the 11th attempt is refused even with
        // the right password.
        assert_eq!(&statuses[..10], &[401; 10]);
        assert_eq!(statuses[10], 429);
        let right = client.post("/api/v1/auth/login", &json!({"username": "eve", "password": "eve-password"})).await;
        right.assert_status(429);
        // Another account from the same address is not blocked.
        app.create_user("frank", &[Role::Operator]);
        client
            .post("/api/v1/auth/login", &json!({"username": "frank", "password": "frank-password"}))
            .await
            .assert_status(200);
    }
}

both_backends! {
    async fn disabled_user_cannot_sign_in_and_loses_sessions(app: TestApp) {
        let admin = app.admin().await;
        let victim = app.signed_in("gina", &[Role::Quality]).await;
        let list = admin.get("/api/v1/users?q=gina").await;
        let id = list.body["items"][0]["id"].as_i64().unwrap();
        admin.patch(&format!("/api/v1/users/{id}"), &json!({"active": false})).await.assert_status(200);
        victim.get("/api/v1/auth/me").await.assert_status(401);
        app.anonymous()
            .post("/api/v1/auth/login", &json!({"username": "gina", "password": "gina-password"}))
            .await
            .assert_status(401);
    }
}

both_backends! {
    async fn own_password_change_and_language(app: TestApp) {
        let client = app.signed_in("hank", &[Role::Operator]).await;
        let other_session = app.anonymous();
        other_session
            .post("/api/v1/auth/login", &json!({"username": "hank", "password": "hank-password"}))
            .await
            .assert_status(200);
        let wrong = client
            .post("/api/v1/auth/me/password", &json!({"current_password": "nope", "new_password": "new-password-1"}))
            .await;
        wrong.assert_status(400);
        assert_eq!(wrong.body["details"][0]["field"], "current_password");
        let short = client
            .post("/api/v1/auth/me/password", &json!({"current_password": "hank-password", "new_password": "short"}))
            .await;
        short.assert_status(400);
        client
            .post("/api/v1/auth/me/password", &json!({"current_password": "hank-password", "new_password": "new-password-1"}))
            .await
            .assert_status(204);
        // This session survives; the other one ends.
        client.get("/api/v1/auth/me").await.assert_status(200);
        other_session.get("/api/v1/auth/me").await.assert_status(401);
        app.anonymous()
            .post("/api/v1/auth/login", &json!({"username": "hank", "password": "new-password-1"}))
            .await
            .assert_status(200);

        let me = client.put("/api/v1/auth/me/preferences", &json!({"language": "en"})).await;
        me.assert_status(200);
        assert_eq!(me.body["language"], "en");
        assert_eq!(client.get("/api/v1/auth/me").await.body["language"], "en");
        client
            .put("/api/v1/auth/me/preferences", &json!({"language": "fr"}))
            .await
            .assert_status(400);
    }
}
