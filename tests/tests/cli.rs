use std::time::{Duration, Instant};

use mes_tests::cli::{ServerProcess, mes};

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("cli.sqlite3").display())
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "list", "--help"],
        vec!["user", "passwd", "--help"],
        vec!["user", "disable", "--help"],
        vec!["demo", "--help"],
        vec!["backup", "--help"],
    ] {
        let out = mes(&args);
        assert!(out.status.success(), "mes {args:?}: {}", stderr(&out));
        assert!(stdout(&out).contains("Usage"), "mes {args:?}");
    }
}

#[test]
fn user_commands_manage_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir);
    let out = mes(&["migrate", "--database", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("applied"));

    let out = mes(&[
        "user",
        "add",
        "--database",
        &db,
        "--username",
        "boss",
        "--password",
        "boss-password",
        "--role",
        "admin",
        "--role",
        "manager",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = mes(&[
        "user",
        "add",
        "--database",
        &db,
        "--username",
        "boss",
        "--password",
        "boss-password",
        "--role",
        "admin",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already taken"), "{}", stderr(&out));
    let out = mes(&[
        "user",
        "add",
        "--database",
        &db,
        "--username",
        "x",
        "--password",
        "p",
        "--role",
        "emperor",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown role `emperor`"),
        "{}",
        stderr(&out)
    );
    let out = mes(&[
        "user",
        "add",
        "--database",
        &db,
        "--username",
        "shorty",
        "--password",
        "p",
        "--role",
        "operator",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("password"), "{}", stderr(&out));

    let out = mes(&["user", "list", "--database", &db]);
    assert!(stdout(&out).contains("boss"));
    assert!(stdout(&out).contains("admin,manager") || stdout(&out).contains("manager,admin"));

    let out = mes(&[
        "user",
        "passwd",
        "--database",
        &db,
        "--username",
        "boss",
        "--password",
        "another-password",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The last admin cannot be disabled.
    let out = mes(&["user", "disable", "--database", &db, "--username", "boss"]);
    assert!(!out.status.success());
    let out = mes(&["user", "disable", "--database", &db, "--username", "ghost"]);
    assert!(stderr(&out).contains("no user named `ghost`"));
}

#[test]
fn unusable_databases_fail_fast_with_one_line() {
    let out = mes(&[
        "migrate",
        "--database",
        "sqlite:///proc/no-such-dir/mes.sqlite3",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.starts_with("mes: cannot"), "{err}");

    let started = Instant::now();
    let out = mes(&[
        "serve",
        "--database",
        "postgres://postgres@127.0.0.1:1/mes",
        "--bind",
        "127.0.0.1:0",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(started.elapsed() < Duration::from_secs(15));

    let out = mes(&["serve", "--database", "mysql://localhost/x"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unsupported database URL"));
}

#[test]
fn demo_fills_a_plant_and_is_repeatable() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir);
    let first = mes(&["demo", "--database", &db]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("manager"));
    assert!(stdout(&first).contains("OP-0001"));
    let again = mes(&["demo", "--database", &db]);
    assert!(again.status.success(), "{}", stderr(&again));
}

/// `mes demo` builds the promised plant: counted through the API of the real binary.
#[test]
fn demo_plant_has_the_promised_shape() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir);
    for _ in 0..2 {
        let out = mes(&["demo", "--database", &db]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let server = ServerProcess::start(&db, &[]);
    let rt = actix_web::rt::System::new();
    rt.block_on(async {
        let client = mes_tests::Client::new(&server.base_url);
        client
            .post(
                "/api/v1/auth/login",
                &serde_json::json!({"username": "planner", "password": "planner123"}),
            )
            .await
            .assert_status(200);
        for (path, total) in [
            ("/api/v1/calendars", 3),
            ("/api/v1/work-centers", 5),
            ("/api/v1/machines", 25),
            ("/api/v1/stations", 26),
            ("/api/v1/products", 40),
            ("/api/v1/products?kind=finished", 10),
            ("/api/v1/boms?status=active", 25),
            ("/api/v1/routings?status=active", 25),
            ("/api/v1/defect-reasons", 11),
            ("/api/v1/downtime-reasons", 11),
        ] {
            let res = client.get(path).await;
            res.assert_status(200);
            assert_eq!(res.body["total"], total, "{path}");
        }
        let station = client.get("/api/v1/stations/by-code/T-CNC-01").await;
        assert_eq!(station.body["machine_code"], "CNC-01");
    });
}

#[test]
fn backup_makes_a_usable_copy() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir);
    assert!(mes(&["demo", "--database", &db]).status.success());
    let copy = dir.path().join("copy.sqlite3");
    let out = mes(&["backup", "--database", &db, copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = mes(&[
        "user",
        "list",
        "--database",
        &format!("sqlite://{}", copy.display()),
    ]);
    assert!(stdout(&list).contains("manager"));
    let again = mes(&["backup", "--database", &db, copy.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"));
}

/// The real binary on a real port: starts, answers, signs in.
#[test]
fn smoke_test_on_a_real_port() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir);
    assert!(mes(&["demo", "--database", &db]).status.success());
    let server = ServerProcess::start(&db, &[]);
    let rt = actix_web::rt::System::new();
    rt.block_on(async {
        let client = mes_tests::Client::new(&server.base_url);
        client.get("/healthz").await.assert_status(200);
        client
            .post(
                "/api/v1/auth/login",
                &serde_json::json!({"username": "manager", "password": "manager123"}),
            )
            .await
            .assert_status(200);
        let me = client.get("/api/v1/auth/me").await;
        assert_eq!(me.body["display_name"], "王厂长");
    });
}
