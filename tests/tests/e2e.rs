//! The browser test: `mes` with the demo plant on a real port, driven by headless Chromium
//! through the scripts in `tests/e2e` (playwright-core). Needs the built frontend, Node.js and
//! Chromium, so it is `#[ignore]`d in a plain `cargo test`; the README's test command runs it.

use std::{path::Path, process::Command};

use mes_tests::cli::{ServerProcess, mes};

#[test]
#[ignore = "needs the built frontend, Node.js and Chromium: run by .ci/test"]
fn browser_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("e2e.sqlite3").display());
    let demo = mes(&["demo", "--database", &db]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let server = ServerProcess::start(&db, &[]);
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e");
    if !e2e.join("node_modules").exists() {
        let status = Command::new("npm")
            .arg("ci")
            .current_dir(&e2e)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm ci failed");
    }
    let status = Command::new("npm")
        .arg("test")
        .current_dir(&e2e)
        .env("MES_BASE_URL", &server.base_url)
        .status()
        .expect("npm test runs");
    assert!(status.success(), "browser tests failed");
}
