//! Request counts and latencies by route and status, rendered in the Prometheus text format.
//!
//! Routes are recorded by their pattern (`/api/v1/residents/{id}`), never by the concrete
//! path, so ids stay out of the metrics and the number of series stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum_seconds: f64,
    /// Cumulative counts per bucket, as Prometheus expects.
    buckets: [u64; BUCKETS.len()],
}

type Key = (String, String, u16);

#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<Key, Series>>,
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let s = series.entry((method.to_owned(), route.to_owned(), status)).or_default();
        s.count += 1;
        s.sum_seconds += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                s.buckets[i] += 1;
            }
        }
    }

    /// The Prometheus text exposition of everything recorded so far.
    pub fn render(&self) -> String {
        let series = self.series.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP http_requests_total HTTP requests handled, by method, route pattern and status."
        );
        let _ = writeln!(out, "# TYPE http_requests_total counter");
        for ((method, route, status), s) in &series {
            let _ = writeln!(
                out,
                "http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                s.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP http_request_duration_seconds Time to answer a request, by method, route pattern and status."
        );
        let _ = writeln!(out, "# TYPE http_request_duration_seconds histogram");
        for ((method, route, status), s) in &series {
            let labels = format!("method=\"{method}\",route=\"{}\",status=\"{status}\"", escape(route));
            for (bound, count) in BUCKETS.iter().zip(s.buckets) {
                let _ = writeln!(
                    out,
                    "http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(out, "http_request_duration_seconds_sum{{{labels}}} {}", s.sum_seconds);
            let _ = writeln!(out, "http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_buckets_are_cumulative() {
        let m = Metrics::new();
        m.record("GET", "/health", 200, Duration::from_millis(3));
        m.record("GET", "/health", 200, Duration::from_millis(30));
        let text = m.render();
        assert!(
            text.contains("http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("route=\"/health\",status=\"200\",le=\"0.005\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("route=\"/health\",status=\"200\",le=\"0.05\"} 2"),
            "{text}"
        );
        assert!(text.contains("le=\"+Inf\"} 2"), "{text}");
    }
}
