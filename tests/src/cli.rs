//! Running the real `mes` binary, for CLI tests and the smoke test on a real port.

use std::{
    path::PathBuf,
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

/// The `mes` binary: `MES_BIN`, or the one cargo built beside this test executable.
pub fn mes_bin() -> PathBuf {
    if let Ok(path) = std::env::var("MES_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/mes-<hash> → target/<profile>/mes
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join("mes");
    assert!(
        bin.exists(),
        "{} not found: build it first (cargo build -p mes-backend --bin mes) or set MES_BIN",
        bin.display()
    );
    bin
}

pub fn mes(args: &[&str]) -> Output {
    Command::new(mes_bin())
        .args(args)
        .env_remove("MES_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("mes runs")
}

/// A `mes serve` process, killed when dropped.
pub struct ServerProcess {
    pub child: Child,
    pub base_url: String,
}

impl ServerProcess {
    /// Starts `mes serve` on a free port and waits until `/healthz` answers (polling, with a
    /// deadline — not a fixed sleep).
    pub fn start(database_url: &str, extra_env: &[(&str, &str)]) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let bind = format!("127.0.0.1:{port}");
        let mut cmd = Command::new(mes_bin());
        cmd.args(["serve", "--database", database_url, "--bind", &bind])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("mes serve starts");
        let server = ServerProcess {
            child,
            base_url: format!("http://{bind}"),
        };
        server.wait_ready(Duration::from_secs(30));
        server
    }

    fn wait_ready(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let addr: std::net::SocketAddr = self
            .base_url
            .trim_start_matches("http://")
            .parse()
            .expect("address");
        while Instant::now() < deadline {
            if let Ok(mut stream) =
                std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200))
            {
                use std::io::{Read, Write};
                let _ = stream.write_all(b"GET /healthz HTTP/1.0\r\n\r\n");
                let mut reply = String::new();
                let _ = stream.read_to_string(&mut reply);
                if reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200") {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "mes serve did not become ready at {} within {timeout:?}",
            self.base_url
        );
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
