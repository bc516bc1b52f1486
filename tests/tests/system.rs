use mes_tests::both_backends;

both_backends! {
    async fn health_metrics_and_openapi(app: TestApp) {
        let client = app.anonymous();
        let health = client.get("/healthz").await;
        health.assert_status(200);
        assert_eq!(health.body["status"], "ok");
        assert_eq!(health.body["database"], "ok");

        client.get("/api/v1/auth/me").await;
        let metrics = client.get("/metrics").await;
        metrics.assert_status(200);
        assert!(metrics.text.contains("mes_http_requests_total{method=\"GET\",route=\"/api/v1/auth/me\",status=\"401\"} 1"), "{}", metrics.text);
        assert!(metrics.text.contains("mes_http_request_duration_seconds_bucket"));
        assert!(metrics.text.contains("mes_db_pool_connections"));

        let doc = client.get("/api/v1/openapi.json").await;
        doc.assert_status(200);
        assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
        assert!(doc.body["paths"]["/api/v1/users/{id}"]["patch"].is_object());
        assert!(doc.body["components"]["schemas"]["User"].is_object());
        let page = client.get("/api/docs").await;
        page.assert_status(200);
        assert!(page.text.contains("/api/v1/auth/login"));
    }
}

both_backends! {
    async fn deep_links_load_the_app(app: TestApp) {
        let client = app.anonymous();
        let root = client.get("/").await;
        let board = client.get("/board").await;
        let station = client.get("/station/M-01").await;
        // Whether or not the frontend was built into this binary, every client route gets the
        // same page (index.html, or the "not built" notice).
        assert_eq!(board.status, root.status);
        assert_eq!(board.text, root.text);
        assert_eq!(station.text, root.text);
        client.get("/missing.js").await.assert_status(404);
    }
}

both_backends! {
    async fn plant_info_is_public(app: TestApp) {
        let info = app.anonymous().get("/api/v1/system/info").await;
        info.assert_status(200);
        assert_eq!(info.body["plant_name"], "MES");
        assert_eq!(info.body["timezone"], "Asia/Shanghai");
    }
}
