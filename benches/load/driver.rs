//! The load driver: a closed loop (a fixed number of connections, each sending its next
//! request when the last is answered) to find the peak, and an open loop (requests sent
//! on a fixed schedule, latency counted from the moment each was due, so a slow server
//! cannot hide its queue) to measure latency at a given rate.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One unit of work: an HTTP request or a direct database call. `Ok(false)` is an
/// answer we did not expect (counted as an error), `Err` a failed connection.
pub type Work = Pin<Box<dyn Future<Output = bool>>>;

/// Makes the `i`-th unit of work; `None` when the prepared data are used up.
pub type Source = Rc<dyn Fn(u64) -> Option<Work>>;

pub struct Run {
    pub done: u64,
    pub errors: u64,
    pub elapsed: Duration,
    /// Sorted.
    pub latencies: Vec<Duration>,
}

impl Run {
    pub fn throughput(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64()
    }
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }
}

fn finish(started: Instant, mut latencies: Vec<Duration>, errors: u64) -> Run {
    latencies.sort_unstable();
    Run {
        done: latencies.len() as u64,
        errors,
        elapsed: started.elapsed(),
        latencies,
    }
}

/// `connections` loops, each sending its next request as soon as the last is answered,
/// for `duration` (or until the source runs dry).
pub async fn closed(source: &Source, connections: usize, duration: Duration, counter: &AtomicU64) -> Run {
    let started = Instant::now();
    let deadline = started + duration;
    let loops = (0..connections).map(|_| {
        let source = source.clone();
        async move {
            let (mut latencies, mut errors) = (Vec::new(), 0u64);
            while Instant::now() < deadline {
                let Some(work) = source(counter.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                let t = Instant::now();
                let ok = work.await;
                latencies.push(t.elapsed());
                errors += u64::from(!ok);
            }
            (latencies, errors)
        }
    });
    let results = futures_util::future::join_all(loops).await;
    let errors = results.iter().map(|(_, e)| e).sum();
    finish(started, results.into_iter().flat_map(|(l, _)| l).collect(), errors)
}

/// Requests due at a steady `rate` per second for `duration`, spread over `connections`
/// lanes (each sends its share on schedule, as wrk2 does); each request's latency is from
/// when it was due to when it was answered, so time spent queued behind a slow answer
/// counts.
pub async fn open(source: &Source, rate: f64, duration: Duration, connections: usize, counter: &AtomicU64) -> Run {
    let started = Instant::now();
    let total = (rate * duration.as_secs_f64()).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let lanes = (0..connections as u64).map(|lane| {
        let source = source.clone();
        async move {
            let (mut latencies, mut errors) = (Vec::new(), 0u64);
            let mut n = lane;
            while n < total {
                let due = started + interval.mul_f64(n as f64);
                let now = Instant::now();
                if due > now {
                    actix_web::rt::time::sleep(due - now).await;
                }
                let Some(work) = source(counter.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                let ok = work.await;
                latencies.push(due.elapsed());
                errors += u64::from(!ok);
                n += connections as u64;
            }
            (latencies, errors)
        }
    });
    let results = futures_util::future::join_all(lanes).await;
    let errors = results.iter().map(|(_, e)| e).sum();
    finish(started, results.into_iter().flat_map(|(l, _)| l).collect(), errors)
}
