use std::collections::BTreeSet;

use mes_backend::db::{DbTarget, revert_all_migrations, run_migrations};

fn versions(dir: &str) -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(dir);
    std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_backends_have_the_same_migration_versions() {
    let sqlite = versions("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, versions("postgres"));
}

fn up_down_up(url: &str) {
    let mut conn = DbTarget::parse(url).unwrap().connect().unwrap();
    let applied = run_migrations(&mut conn).unwrap();
    assert_eq!(applied.len(), versions("sqlite").len());
    let reverted = revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted.len(), applied.len());
    let again = run_migrations(&mut conn).unwrap();
    assert_eq!(again.len(), applied.len());
}

#[test]
fn sqlite_migrations_go_up_down_up() {
    let dir = tempfile::tempdir().unwrap();
    up_down_up(&format!(
        "sqlite://{}",
        dir.path().join("m.sqlite3").display()
    ));
}

#[actix_web::test]
async fn postgres_migrations_go_up_down_up() {
    // A fresh schema via the harness, then migrations run again from nothing in it.
    let app = mes_tests::TestApp::postgres().await;
    let mut conn = DbTarget::parse(&app.database_url)
        .unwrap()
        .connect()
        .unwrap();
    let reverted = revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted.len(), versions("postgres").len());
    up_down_up(&app.database_url);
}
