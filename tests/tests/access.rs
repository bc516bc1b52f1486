//! Deny by default, checked route by route: every API route × every role (and no session).

use std::collections::HashMap;

use mes_api_types::auth::Role;
use mes_backend::http::Access;
use mes_tests::both_backends;
use serde_json::json;

fn concrete(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') { "1" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

both_backends! {
    async fn every_route_times_every_role(app: TestApp) {
        let table = mes_backend::api().table();
        assert!(table.len() >= 10, "the table lists the routes");
        let anonymous = app.anonymous();
        let mut clients = HashMap::new();
        for role in Role::ALL {
            clients.insert(role, app.signed_in(&format!("u-{}", role.as_str()), &[role]).await);
        }
        let mut checked = 0;
        for route in &table {
            let path = concrete(&route.path);
            let method = reqwest::Method::from_bytes(route.method.as_str().as_bytes()).unwrap();
            let body = (method != reqwest::Method::GET).then(|| json!({}));
            if route.access == Access::Public {
                // Sign-out and sign-in are public by nature; the rest must answer without a session.
                let res = anonymous.request(method.clone(), &path, body.as_ref()).await;
                assert_ne!(res.status, 403, "{} {path} is public", route.method);
                continue;
            }
            let res = anonymous.request(method.clone(), &path, body.as_ref()).await;
            assert_eq!(res.status, 401, "{} {path} without a session: {}", route.method, res.text);
            assert_eq!(res.error_kind(), "unauthorized");
            for role in Role::ALL {
                // The shop-floor event stream never ends: only its status is read.
                if route.path == "/api/v1/events" && route.access.allows(&[role]) {
                    let (status, _) = clients[&role].status_only(method.clone(), &path).await;
                    assert_eq!(status, 200, "GET /api/v1/events as {role:?}");
                    checked += 1;
                    continue;
                }
                let res = clients[&role].request(method.clone(), &path, body.as_ref()).await;
                if route.access.allows(&[role]) {
                    assert!(
                        res.status != 401 && res.status != 403,
                        "{} {path} as {role:?} should be allowed: {} {}",
                        route.method,
                        res.status,
                        res.text
                    );
                } else {
                    assert_eq!(res.status, 403, "{} {path} as {role:?} should be forbidden: {}", route.method, res.text);
                    assert_eq!(res.error_kind(), "forbidden");
                }
                checked += 1;
            }
        }
        assert!(checked > 0);
    }
}

#[test]
fn every_route_is_documented_with_its_access() {
    let table = mes_backend::api().table();
    let doc: serde_json::Value = serde_json::from_str(&mes_backend::api_docs().json).unwrap();
    for route in table {
        let op = &doc["paths"][&route.path][route.method.as_str().to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} missing from the OpenAPI document",
            route.method,
            route.path
        );
        let description = op["description"].as_str().unwrap_or_default();
        assert!(
            description.contains("Access:"),
            "{} {} does not state its access",
            route.method,
            route.path
        );
        assert_eq!(
            op["security"].is_array(),
            route.access != Access::Public,
            "{} {}",
            route.method,
            route.path
        );
    }
}

#[test]
fn routes_are_unique() {
    let table = mes_backend::api().table();
    let mut seen = std::collections::HashSet::new();
    for r in &table {
        assert!(
            seen.insert((r.method.clone(), r.path.clone())),
            "{} {} registered twice",
            r.method,
            r.path
        );
    }
}
