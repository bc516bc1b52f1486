use mes_tests::both_backends;

both_backends! {
    async fn malformed_requests_get_4xx_naming_the_problem(app: TestApp) {
        let client = app.anonymous().with_lang("en");
        let bad_json = client
            .raw(reqwest::Method::POST, "/api/v1/auth/login", "application/json", b"{\"username\": \"a\",".to_vec())
            .await;
        bad_json.assert_status(400);
        assert_eq!(bad_json.error_kind(), "bad_request");
        assert!(bad_json.body["message"].as_str().unwrap().contains("line 1"), "{}", bad_json.text);

        let wrong_type = client
            .raw(reqwest::Method::POST, "/api/v1/auth/login", "application/json", br#"{"username": 5, "password": "x"}"#.to_vec())
            .await;
        wrong_type.assert_status(400);
        assert_eq!(wrong_type.error_kind(), "validation");
        assert_eq!(wrong_type.body["details"][0]["field"], "username");

        let unknown_field = client
            .raw(reqwest::Method::POST, "/api/v1/auth/login", "application/json", br#"{"username": "a", "password": "b", "admin": true}"#.to_vec())
            .await;
        unknown_field.assert_status(400);
        assert_eq!(unknown_field.body["details"][0]["field"], "admin");

        let trailing = client
            .raw(reqwest::Method::POST, "/api/v1/auth/login", "application/json", br#"{"username": "a", "password": "b"} x"#.to_vec())
            .await;
        trailing.assert_status(400);

        let not_json = client
            .raw(reqwest::Method::POST, "/api/v1/auth/login", "text/plain", b"username=a".to_vec())
            .await;
        not_json.assert_status(415);
        assert_eq!(not_json.error_kind(), "unsupported_media_type");

        let huge = client
            .raw(reqwest::Method::POST, "/api/v1/auth/login", "application/json", vec![b' '; 2 * 1024 * 1024])
            .await;
        huge.assert_status(413);
        assert_eq!(huge.error_kind(), "payload_too_large");
    }
}

both_backends! {
    async fn unknown_api_route_is_json_404_and_wrong_method_405(app: TestApp) {
        let client = app.anonymous();
        let missing = client.get("/api/v1/no-such-thing").await;
        missing.assert_status(404);
        assert_eq!(missing.error_kind(), "not_found");
        assert!(missing.body["message"].as_str().unwrap().contains("没有这个接口"));
        let wrong_method = client.delete("/api/v1/auth/login").await;
        wrong_method.assert_status(405);
        assert_eq!(wrong_method.error_kind(), "method_not_allowed");
        let admin = app.admin().await;
        admin.get("/api/v1/users/not-a-number").await.assert_status(404);
    }
}

both_backends! {
    async fn messages_follow_accept_language(app: TestApp) {
        let zh = app.anonymous().get("/api/v1/auth/me").await;
        assert_eq!(zh.body["message"], "请先登录");
        let en = app.anonymous().with_lang("en").get("/api/v1/auth/me").await;
        assert_eq!(en.body["message"], "Please sign in first");
        let en_us = app.anonymous().with_lang("en-US,en;q=0.9").get("/api/v1/auth/me").await;
        assert_eq!(en_us.body["message"], "Please sign in first");
    }
}
