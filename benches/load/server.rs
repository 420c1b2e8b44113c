//! The real server binary, started as a user would, and its memory as the kernel sees it.

#[path = "../../tests/api/served.rs"]
mod served;

pub const JWT_SECRET: &str = "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

/// The server the load runs against, with warnings logged and tokens that outlast the run.
pub struct Server(served::Served);

impl std::ops::Deref for Server {
    type Target = served::Served;
    fn deref(&self) -> &served::Served {
        &self.0
    }
}

impl Server {
    pub async fn start(db_url: &str, data: &std::path::Path) -> Server {
        let env = [("RUST_LOG", "warn"), ("SERVICEPUNT_ACCESS_TOKEN_MINUTES", "240")];
        Server(served::Served::start(db_url, data, served::free_port(), JWT_SECRET, &env).await)
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
