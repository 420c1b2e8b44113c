//! The real server binary, started as a user would, and its memory as the kernel sees it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const JWT_SECRET: &str = "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
const BIN: &str = env!("CARGO_BIN_EXE_servicepunt");

pub struct Server {
    child: Child,
    pub base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Server {
    pub async fn start(db_url: &str, data: &std::path::Path) -> Server {
        let port = free_port();
        let child = Command::new(BIN)
            .arg("serve")
            .current_dir(data)
            .env("DATABASE_URL", db_url)
            .env("SERVICEPUNT_BIND", format!("127.0.0.1:{port}"))
            .env("SERVICEPUNT_JWT_SECRET", JWT_SECRET)
            .env("SERVICEPUNT_DATA_DIR", data)
            .env("SERVICEPUNT_OUTBOX_WORKER", "false")
            .env("SERVICEPUNT_TIMERS", "false")
            .env("SERVICEPUNT_LOG_FORMAT", "json")
            .env("RUST_LOG", "warn")
            .env("SERVICEPUNT_ACCESS_TOKEN_MINUTES", "240")
            .env_remove("SERVICEPUNT_ENV")
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
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        Server { child, base }
    }

    /// Resident memory now, in MiB.
    pub fn rss_mib(&self) -> f64 {
        self.sampler()()
    }

    /// The highest resident memory since the start, in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        mib(&format!("/proc/{}/status", self.child.id()), "VmHWM:")
    }

    /// A function reading the server's resident memory (MiB), for a sampler task.
    pub fn sampler(&self) -> impl Fn() -> f64 + 'static {
        let path = format!("/proc/{}/status", self.child.id());
        move || mib(&path, "VmRSS:")
    }
}

/// A memory field of /proc/PID/status, in MiB.
fn mib(status: &str, field: &str) -> f64 {
    std::fs::read_to_string(status)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
