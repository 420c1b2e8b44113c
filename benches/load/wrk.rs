//! The reads again with wrk, when it is installed: a client in C that spends far less per
//! request than the bench's own, so the two tables together tell the server's share of a
//! ratio from the client's. One wrk thread (as the bench has one client thread) and the
//! same connections, a closed loop for the same time, each read beside wrk's own
//! `/health`. wrk has no fixed-rate mode, so there is no run at 70 % here.

use std::process::Command;
use std::time::Duration;

/// A GET as wrk sends it: the address and the headers.
pub struct Get {
    pub name: String,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
}

pub struct Run {
    pub rate: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// Answers other than 2xx or 3xx, and socket errors (wrk's own counts).
    pub errors: u64,
}

/// wrk's version line, when it is on the PATH.
pub fn version() -> Option<String> {
    let out = Command::new("wrk").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer": the name and version.
    let line = text.lines().next().filter(|l| l.starts_with("wrk"))?;
    Some(line.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
}

pub fn run(get: &Get, connections: usize, seconds: Duration) -> Run {
    let mut wrk = Command::new("wrk");
    wrk.args(["-t1", "--latency", "--timeout", "10s"])
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", seconds.as_secs().max(1)));
    for (name, value) in &get.headers {
        wrk.arg("-H").arg(format!("{name}: {value}"));
    }
    let out = wrk.arg(&get.url).output().expect("wrk runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "wrk failed on {}: {text}", get.name);
    parse(&text).unwrap_or_else(|| panic!("wrk's report on {} did not read: {text}", get.name))
}

/// Reads wrk's report: requests per second, the 50th and 99th latency percentiles (with
/// `--latency`), and what it counted as failed.
fn parse(report: &str) -> Option<Run> {
    let field = |prefix: &str| {
        report
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    let rate = field("Requests/sec:")?.parse().ok()?;
    let p50 = duration(field("50%")?)?;
    let p99 = duration(field("99%")?)?;
    let non_2xx: u64 = field("Non-2xx or 3xx responses:").map_or(Some(0), |n| n.parse().ok())?;
    // "Socket errors: connect 0, read 0, write 0, timeout 0"
    let socket: u64 = field("Socket errors:").map_or(Some(0), |s| {
        s.split(',')
            .map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
            .sum()
    })?;
    Some(Run {
        rate,
        p50,
        p99,
        errors: non_2xx + socket,
    })
}

/// wrk's latencies: `812.00us`, `1.23ms`, `2.01s`, `1.50m`.
fn duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let seconds = match unit {
        "us" => number / 1e6,
        "ms" => number / 1e3,
        "s" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(seconds))
}

pub fn print(version: &str, backend: &str, ceiling: &Run, rows: &[(String, Run)], connections: usize, secs: u64) {
    println!();
    println!("### {backend}: the reads with wrk ({version}; one thread, {connections} connections, {secs} s)");
    println!();
    println!("| endpoint | req/s | p50 / p99 ms | ratio to wrk's /health | failed | verdict |");
    println!("|---|---:|---:|---:|---:|---|");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| GET /health (HTTP ceiling) | {:.0} | {:.1} / {:.1} | - | {} | - |",
        ceiling.rate,
        ms(ceiling.p50),
        ms(ceiling.p99),
        ceiling.errors
    );
    for (name, r) in rows {
        let ratio = r.rate / ceiling.rate;
        let verdict = match (r.errors, ratio >= 0.5) {
            (0, true) => "meets target",
            (0, false) => "ratio < 50 %",
            _ => "unexpected answers",
        };
        println!(
            "| {name} | {:.0} | {:.1} / {:.1} | {} % | {} | {verdict} |",
            r.rate,
            ms(r.p50),
            ms(r.p99),
            (ratio * 100.0).floor(),
            r.errors
        );
    }
}
