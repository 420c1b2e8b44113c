//! The real binary, serving on a database as a child process: for what takes a process of
//! its own — killing it mid-load, what a process keeps in memory (the kept answers, which
//! the other tests running in this process would disturb), or a benchmark measuring it
//! as a user runs it (`benches/load` includes this file).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_servicepunt");

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub struct Served {
    pub child: Child,
    pub base: String,
}

impl Served {
    /// `serve` on `port`, signing tokens with `jwt_secret`, with no mail worker or timers
    /// and only errors logged (to this process's standard error) unless `env` says
    /// otherwise; ready when this returns.
    pub async fn start(
        db_url: &str,
        data: &std::path::Path,
        port: u16,
        jwt_secret: &str,
        env: &[(&str, &str)],
    ) -> Self {
        let child = Command::new(BIN)
            .arg("serve")
            .current_dir(data)
            .env("DATABASE_URL", db_url)
            .env("SERVICEPUNT_BIND", format!("127.0.0.1:{port}"))
            .env("SERVICEPUNT_JWT_SECRET", jwt_secret)
            .env("SERVICEPUNT_DATA_DIR", data)
            .env("SERVICEPUNT_OUTBOX_WORKER", "false")
            .env("SERVICEPUNT_TIMERS", "false")
            .env("SERVICEPUNT_LOG_FORMAT", "json")
            .env("RUST_LOG", "error")
            .env_remove("SERVICEPUNT_ENV")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary starts");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(format!("{base}/ready")).send().await
                && r.status().is_success()
            {
                break;
            }
            assert!(Instant::now() < deadline, "the server did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, base }
    }

    /// Ends it at once, as a crash would (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}
