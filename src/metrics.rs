//! Request counts and latencies by route and status, mail send latencies and the
//! transactions run again after a race, rendered in the Prometheus text format.
//!
//! Routes are recorded by their pattern (`/api/v1/residents/{id}`), never by the concrete
//! path, so ids stay out of the metrics and the number of series stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    count: u64,
    sum_seconds: f64,
    /// Cumulative counts per bucket, as Prometheus expects.
    buckets: [u64; BUCKETS.len()],
}

impl Histogram {
    fn record(&mut self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        self.count += 1;
        self.sum_seconds += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.buckets[i] += 1;
            }
        }
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        for (bound, count) in BUCKETS.iter().zip(self.buckets) {
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {count}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", self.count);
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum_seconds);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}

type RequestKey = (String, String, u16);

#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<RequestKey, Histogram>>,
    /// Mail send attempts by outcome (`ok`, `failed`).
    sends: Mutex<BTreeMap<&'static str, Histogram>>,
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default()
            .record(elapsed);
    }

    pub fn record_send(&self, elapsed: Duration, ok: bool) {
        let mut sends = self.sends.lock().unwrap_or_else(|p| p.into_inner());
        sends
            .entry(if ok { "ok" } else { "failed" })
            .or_default()
            .record(elapsed);
    }

    /// The Prometheus text exposition; `outbox` holds the current message count per status.
    pub fn render(&self, outbox: &[(String, i64)]) -> String {
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let sends = self.sends.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP http_requests_total HTTP requests handled, by method, route pattern and status."
        );
        let _ = writeln!(out, "# TYPE http_requests_total counter");
        for ((method, route, status), h) in &requests {
            let _ = writeln!(
                out,
                "http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                h.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP http_request_duration_seconds Time to answer a request, by method, route pattern and status."
        );
        let _ = writeln!(out, "# TYPE http_request_duration_seconds histogram");
        for ((method, route, status), h) in &requests {
            let labels = format!("method=\"{method}\",route=\"{}\",status=\"{status}\"", escape(route));
            h.render(&mut out, "http_request_duration_seconds", &labels);
        }
        let _ = writeln!(
            out,
            "# HELP servicepunt_outbox_messages Messages in the outbox, by status."
        );
        let _ = writeln!(out, "# TYPE servicepunt_outbox_messages gauge");
        for status in ["pending", "sending", "sent", "dead"] {
            let n = outbox.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
            let _ = writeln!(out, "servicepunt_outbox_messages{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP servicepunt_transaction_retries_total Write transactions run again after a race the database caught (a duplicate, a failed serialisation, a deadlock)."
        );
        let _ = writeln!(out, "# TYPE servicepunt_transaction_retries_total counter");
        let _ = writeln!(out, "servicepunt_transaction_retries_total {}", crate::db::retries());
        let _ = writeln!(
            out,
            "# HELP servicepunt_mail_send_duration_seconds Time to hand a message to the mail server, by outcome."
        );
        let _ = writeln!(out, "# TYPE servicepunt_mail_send_duration_seconds histogram");
        for (outcome, h) in &sends {
            h.render(
                &mut out,
                "servicepunt_mail_send_duration_seconds",
                &format!("outcome=\"{outcome}\""),
            );
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
        let text = m.render(&[]);
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

    #[test]
    fn outbox_gauges_and_send_latency() {
        let m = Metrics::new();
        m.record_send(Duration::from_millis(20), true);
        m.record_send(Duration::from_millis(20), false);
        let text = m.render(&[("pending".into(), 3), ("dead".into(), 1)]);
        assert!(
            text.contains("servicepunt_outbox_messages{status=\"pending\"} 3"),
            "{text}"
        );
        assert!(
            text.contains("servicepunt_outbox_messages{status=\"dead\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("servicepunt_outbox_messages{status=\"sent\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("servicepunt_mail_send_duration_seconds_count{outcome=\"ok\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("servicepunt_mail_send_duration_seconds_count{outcome=\"failed\"} 1"),
            "{text}"
        );
    }
}
