//! The printed table, with each figure beside its target.

use std::time::Duration;

use crate::driver::Run;
use crate::scenarios::{Kind, Scenario};

pub struct Row {
    name: String,
    kind: &'static str,
    peak: f64,
    p50: Duration,
    p99: Duration,
    rate70: f64,
    p50_70: Duration,
    p99_70: Duration,
    ceiling: f64,
    ceiling_name: &'static str,
    ratio_target: Option<f64>,
    errors: u64,
    /// Fewest requests answered in any of the runs behind the row.
    fewest: u64,
    rss: f64,
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

impl Row {
    pub fn ceiling(run: &Run, rss: f64) -> Row {
        Row {
            name: "GET /health (HTTP ceiling)".into(),
            kind: "-",
            peak: run.throughput(),
            p50: run.percentile(0.5),
            p99: run.percentile(0.99),
            rate70: 0.0,
            p50_70: Duration::ZERO,
            p99_70: Duration::ZERO,
            ceiling: run.throughput(),
            ceiling_name: "",
            ratio_target: None,
            errors: run.errors,
            fewest: run.done,
            rss,
        }
    }

    pub fn endpoint(s: &Scenario, peak: &Run, at70: &Run, db: &Run, ceiling: f64, rss: f64) -> Row {
        let write = s.kind == Kind::Write;
        Row {
            name: s.name.clone(),
            kind: if write { "write" } else { "read" },
            peak: peak.throughput(),
            p50: peak.percentile(0.5),
            p99: peak.percentile(0.99),
            rate70: at70.throughput(),
            p50_70: at70.percentile(0.5),
            p99_70: at70.percentile(0.99),
            ceiling,
            ceiling_name: if write { "DB" } else { "HTTP" },
            ratio_target: Some(0.5),
            errors: peak.errors + at70.errors + db.errors,
            fewest: peak.done.min(at70.done).min(db.done),
            rss,
        }
    }

    fn verdicts(&self) -> Vec<String> {
        let mut misses = Vec::new();
        if let Some(t) = self.ratio_target
            && self.peak / self.ceiling < t
        {
            misses.push(format!("ratio < {:.0} %", t * 100.0));
        }
        if self.ratio_target.is_some() && self.p99_70 >= Duration::from_millis(50) {
            misses.push("p99 at 70 % ≥ 50 ms".into());
        }
        if self.rss >= 150.0 {
            misses.push("RSS ≥ 150 MiB".into());
        }
        if self.fewest < 100 {
            misses.push("too few requests to measure (more BENCH_PERFORMED or BENCH_SECONDS)".into());
        }
        if self.errors > 0 {
            misses.push(format!("{} unexpected answers", self.errors));
        }
        misses
    }
}

pub fn print(backend: &str, rows: &[Row], peak_rss: f64, connections: usize, seconds: Duration) {
    println!();
    println!(
        "## {backend}: {connections} connections, {} s per run, server peak RSS {peak_rss:.0} MiB",
        seconds.as_secs()
    );
    println!();
    println!(
        "| endpoint | kind | peak req/s | p50 / p99 ms at peak | ceiling req/s | ratio | req/s at 70 % | p50 / p99 ms at 70 % | RSS MiB | verdict |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in rows {
        let misses = r.verdicts();
        let verdict = if misses.is_empty() {
            "meets targets".to_owned()
        } else {
            misses.join("; ")
        };
        let (ceiling, ratio, at70) = if r.ratio_target.is_some() {
            (
                format!("{:.0} ({})", r.ceiling, r.ceiling_name),
                // Rounded down, so a ratio just short of its target never reads as meeting it.
                format!("{:.0} %", (100.0 * r.peak / r.ceiling).floor()),
                (
                    format!("{:.0}", r.rate70),
                    format!("{} / {}", ms(r.p50_70), ms(r.p99_70)),
                ),
            )
        } else {
            ("-".into(), "-".into(), ("-".into(), "-".into()))
        };
        println!(
            "| {} | {} | {:.0} | {} / {} | {} | {} | {} | {} | {:.0} | {} |",
            r.name,
            r.kind,
            r.peak,
            ms(r.p50),
            ms(r.p99),
            ceiling,
            ratio,
            at70.0,
            at70.1,
            r.rss,
            verdict
        );
    }
}
