//! Test harness: the real app, in process, on a fresh database per test — a SQLite file in a
//! temporary folder, or a PostgreSQL schema of its own — reached over HTTP on a random port.
//! [`both_backends!`] runs one test body on SQLite and on PostgreSQL.

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use diesel::{Connection, PgConnection, RunQueryDsl};
use mes_api_types::auth::{NewUser, Role};
use mes_backend::{config::Config, db::Db, http::extract::Actor, state::AppState};
use serde_json::Value;

pub mod cli;
pub mod fixtures;

/// PostgreSQL server for tests; each test makes a schema of its own in this database.
pub fn postgres_base_url() -> String {
    std::env::var("MES_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/mes_test".into())
}

/// Defines `name::sqlite` and `name::postgres` tests running the same body on a fresh app.
#[macro_export]
macro_rules! both_backends {
    ($(#[$meta:meta])* async fn $name:ident($app:ident: TestApp) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $(#[$meta])*
            async fn run($app: $crate::TestApp) $body

            #[actix_web::test]
            async fn sqlite() {
                run($crate::TestApp::sqlite().await).await
            }

            #[actix_web::test]
            async fn postgres() {
                run($crate::TestApp::postgres().await).await
            }
        }
    };
}

enum Isolation {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

impl Drop for Isolation {
    fn drop(&mut self) {
        if let Isolation::Postgres { admin_url, schema } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .execute(&mut conn);
        }
    }
}

pub struct TestApp {
    pub base_url: String,
    pub db: Db,
    pub database_url: String,
    /// The server's event bus: tests publish shop-floor events as the stations will.
    pub events: mes_backend::events::EventBus,
    server: ServerHandle,
    _isolation: Isolation,
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("mes.sqlite3").display());
        TestApp::start(url, Isolation::Sqlite(dir), Config::default()).await
    }

    pub async fn postgres() -> TestApp {
        let base = postgres_base_url();
        ensure_database(&base);
        let schema = format!("t_{:016x}", rand::random::<u64>());
        let mut conn = PgConnection::establish(&base).expect("PostgreSQL test database reachable");
        diesel::sql_query(format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .expect("create test schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
        TestApp::start(
            url,
            Isolation::Postgres {
                admin_url: base,
                schema,
            },
            Config::default(),
        )
        .await
    }

    /// A SQLite app with a configuration of the test's own (upload limit, time zone …).
    pub async fn sqlite_with(config: Config) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("mes.sqlite3").display());
        TestApp::start(url, Isolation::Sqlite(dir), config).await
    }

    async fn start(database_url: String, isolation: Isolation, mut config: Config) -> TestApp {
        config.database_url = database_url.clone();
        config.pool_size = Some(4);
        config.workers = Some(2);
        let db = Db::open(&database_url, config.pool_size).expect("test database opens");
        let listener = TcpListener::bind("127.0.0.1:0").expect("free port");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState::new(config, db.clone());
        let events = state.events.clone();
        let server = mes_backend::serve(state, listener).expect("server starts");
        let handle = server.handle();
        actix_web::rt::spawn(server);
        TestApp {
            base_url,
            db,
            database_url,
            events,
            server: handle,
            _isolation: isolation,
        }
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Client {
        Client::new(&self.base_url)
    }

    /// Creates a user with `roles` (directly, not through the API) and returns the password.
    pub fn create_user(&self, username: &str, roles: &[Role]) -> String {
        let password = format!("{username}-password");
        let mut conn = self.db.get().expect("connection");
        mes_backend::users::service::create_user(
            &mut conn,
            &Actor::system("test"),
            NewUser {
                username: username.into(),
                display_name: None,
                password: password.clone(),
                roles: roles.to_vec(),
                language: None,
                badge_code: None,
                pin: None,
            },
        )
        .expect("test user created");
        password
    }

    /// A signed-in client of a new user holding `roles`.
    pub async fn signed_in(&self, username: &str, roles: &[Role]) -> Client {
        let password = self.create_user(username, roles);
        let client = self.anonymous();
        let res = client
            .post(
                "/api/v1/auth/login",
                &serde_json::json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(res.status, 200, "login of {username} failed: {}", res.body);
        client
    }

    pub async fn admin(&self) -> Client {
        self.signed_in("test-admin", &[Role::Admin]).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting; in-flight requests of a finished test do not matter.
        let handle = self.server.clone();
        actix_web::rt::spawn(async move { handle.stop(false).await });
    }
}

/// Creates the shared test database once; parallel tests race on it harmlessly.
fn ensure_database(base: &str) {
    if PgConnection::establish(base).is_ok() {
        return;
    }
    let (server, db) = base.rsplit_once('/').expect("URL has a database name");
    let db = db.split('?').next().unwrap_or(db);
    let mut conn = PgConnection::establish(&format!("{server}/postgres"))
        .unwrap_or_else(|e| panic!("PostgreSQL for tests is not reachable at {server}: {e}"));
    let _ = diesel::sql_query(format!("CREATE DATABASE {db}")).execute(&mut conn);
}

/// An HTTP client with its own cookie jar (its own session) and language.
pub struct Client {
    base_url: String,
    http: reqwest::Client,
    pub lang: &'static str,
}

/// A response, body parsed as JSON when it is JSON (`Value::Null` when empty).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
    /// The body as received (downloads).
    pub bytes: Vec<u8>,
}

impl Client {
    pub fn new(base_url: &str) -> Client {
        Client {
            base_url: base_url.to_owned(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client builds"),
            lang: "zh-CN",
        }
    }

    pub fn with_lang(mut self, lang: &'static str) -> Client {
        self.lang = lang;
        self
    }

    pub async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Response {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base_url, path))
            .header("Accept-Language", self.lang);
        if let Some(body) = body {
            req = req.json(body);
        }
        Response::read(req.send().await.expect("request sent")).await
    }

    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        let req = self
            .http
            .request(method, format!("{}{}", self.base_url, path))
            .header("Accept-Language", self.lang)
            .header("Content-Type", content_type)
            .body(body);
        Response::read(req.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(reqwest::Method::GET, path, None).await
    }

    /// A GET with extra request headers (conditional requests …).
    pub async fn get_with_headers(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = self
            .http
            .get(format!("{}{}", self.base_url, path))
            .header("Accept-Language", self.lang);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        Response::read(req.send().await.expect("request sent")).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(reqwest::Method::POST, path, Some(body)).await
    }

    /// A POST with extra request headers (`Idempotency-Key` …).
    pub async fn post_with_headers(
        &self,
        path: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut req = self
            .http
            .post(format!("{}{}", self.base_url, path))
            .header("Accept-Language", self.lang)
            .json(body);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        Response::read(req.send().await.expect("request sent")).await
    }

    /// The status and headers of a response whose body never ends (an event stream); the
    /// connection is dropped unread.
    pub async fn status_only(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> (u16, reqwest::header::HeaderMap) {
        let res = self
            .http
            .request(method, format!("{}{}", self.base_url, path))
            .header("Accept-Language", self.lang)
            .send()
            .await
            .expect("request sent");
        (res.status().as_u16(), res.headers().clone())
    }

    /// The first `data:` event of a server-sent event stream, waiting at most `wait`. Returns
    /// the stream's remainder too, so a test can read the next events.
    pub async fn open_stream(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{}", self.base_url, path))
            .header("Accept-Language", self.lang)
            .send()
            .await
            .expect("stream opens")
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.request(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.request(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(reqwest::Method::DELETE, path, None).await
    }
}

impl Response {
    async fn read(res: reqwest::Response) -> Response {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Response {
            status,
            headers,
            body,
            text,
            bytes,
        }
    }

    /// The `error` kind of an error body.
    pub fn error_kind(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Response {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }
}
