use diesel::{RunQueryDsl, connection::SimpleConnection};
use mes_api_types::auth::Role;
use mes_tests::both_backends;
use serde_json::json;

both_backends! {
    async fn changes_are_audited_with_before_and_after(app: TestApp) {
        let admin = app.admin().await;
        let created = admin
            .post("/api/v1/users", &json!({"username": "audited", "password": "password-1", "roles": ["operator"]}))
            .await;
        let id = created.body["id"].as_i64().unwrap();
        admin
            .patch(&format!("/api/v1/users/{id}"), &json!({"display_name": "New Name", "password": "password-2"}))
            .await
            .assert_status(200);

        let trail = admin.get(&format!("/api/v1/audit?entity=user&entity_id={id}")).await;
        trail.assert_status(200);
        let items = trail.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{}", trail.text);
        // Newest first.
        let update = &items[0];
        assert_eq!(update["action"], "update");
        assert_eq!(update["actor_name"], "test-admin");
        assert_eq!(update["before"]["display_name"], "audited");
        assert_eq!(update["after"]["display_name"], "New Name");
        assert_eq!(update["after"]["password"], "(changed)");
        assert!(!update.to_string().contains("argon2"), "no hashes in the trail");
        assert_eq!(update["remote_addr"], "127.0.0.1");
        let create = &items[1];
        assert_eq!(create["action"], "create");
        assert!(create["before"].is_null());
        assert_eq!(create["after"]["username"], "audited");

        let by_action = admin.get("/api/v1/audit?action=update&actor=TEST").await;
        assert_eq!(by_action.body["total"], 1);
        let future = admin.get("/api/v1/audit?from=2999-01-01T00:00:00Z").await;
        assert_eq!(future.body["total"], 0);
        admin.get("/api/v1/audit?from=yesterday").await.assert_status(400);
    }
}

both_backends! {
    async fn audit_is_admin_only(app: TestApp) {
        let manager = app.signed_in("mgr", &[Role::Manager]).await;
        manager.get("/api/v1/audit").await.assert_status(403);
    }
}

both_backends! {
    async fn the_database_refuses_to_rewrite_history(app: TestApp) {
        app.admin().await;
        let mut conn = app.db.get().unwrap();
        let count: i64 = diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("(SELECT COUNT(*) FROM audit_log)"))
            .get_result(&mut *conn)
            .unwrap();
        assert!(count >= 1);
        assert!(conn.batch_execute("UPDATE audit_log SET actor_name = 'someone else'").is_err());
        assert!(conn.batch_execute("DELETE FROM audit_log").is_err());
    }
}
