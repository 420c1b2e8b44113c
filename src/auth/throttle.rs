//! Login throttling: failed attempts are counted per account and per client address in a
//! sliding window; past the limit the login answers 429 with `Retry-After`.
//!
//! In memory, per instance: good enough against password guessing on a neighbourhood
//! service; several instances each enforce the limit on their own share of traffic. The
//! client address comes from `client_addr` (the forwarded one behind a trusted proxy).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    pub per_account: u32,
    pub per_client: u32,
    pub window: Duration,
}

/// Recent failures of one key, oldest first.
#[derive(Debug, Default)]
struct Failures(VecDeque<Instant>);

impl Failures {
    fn prune(&mut self, window: Duration, now: Instant) {
        while self.0.front().is_some_and(|t| now.duration_since(*t) >= window) {
            self.0.pop_front();
        }
    }

    /// How long until another attempt is allowed, if the limit is reached.
    fn retry_after(&mut self, max: u32, window: Duration, now: Instant) -> Option<Duration> {
        self.prune(window, now);
        if self.0.len() < max as usize {
            return None;
        }
        let release_index = self.0.len() - max as usize;
        self.0
            .get(release_index)
            .map(|t| (*t + window).saturating_duration_since(now))
    }

    fn record(&mut self, max: u32, now: Instant) {
        self.0.push_back(now);
        // Keep only what can matter for the decision: the memory per key stays bounded.
        while self.0.len() > max as usize {
            self.0.pop_front();
        }
    }
}

#[derive(Debug, Default)]
struct Windows {
    accounts: HashMap<String, Failures>,
    clients: HashMap<String, Failures>,
}

const MAX_KEYS: usize = 50_000;

#[derive(Debug)]
pub struct LoginThrottle {
    limits: ThrottleLimits,
    windows: Mutex<Windows>,
}

impl LoginThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            windows: Mutex::new(Windows::default()),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Windows) -> T) -> T {
        let mut guard = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }

    /// `Err(wait)` when either the account or the client has too many recent failures.
    pub fn check(&self, account: &str, client: &str, now: Instant) -> Result<(), Duration> {
        let l = self.limits;
        self.with(|w| {
            let by_account = w
                .accounts
                .get_mut(account)
                .and_then(|f| f.retry_after(l.per_account, l.window, now));
            let by_client = w
                .clients
                .get_mut(client)
                .and_then(|f| f.retry_after(l.per_client, l.window, now));
            match by_account.into_iter().chain(by_client).max() {
                Some(wait) => Err(wait.max(Duration::from_secs(1))),
                None => Ok(()),
            }
        })
    }

    pub fn record_failure(&self, account: &str, client: &str, now: Instant) {
        let l = self.limits;
        self.with(|w| {
            if w.accounts.len() + w.clients.len() > MAX_KEYS {
                w.accounts.retain(|_, f| {
                    f.prune(l.window, now);
                    !f.0.is_empty()
                });
                w.clients.retain(|_, f| {
                    f.prune(l.window, now);
                    !f.0.is_empty()
                });
            }
            w.accounts
                .entry(account.to_owned())
                .or_default()
                .record(l.per_account, now);
            w.clients
                .entry(client.to_owned())
                .or_default()
                .record(l.per_client, now);
        });
    }

    /// A successful login clears the account's failures (not the client's: one address
    /// guessing many accounts stays throttled).
    pub fn record_success(&self, account: &str) {
        self.with(|w| w.accounts.remove(account));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn throttle(per_account: u32, per_client: u32) -> LoginThrottle {
        LoginThrottle::new(ThrottleLimits {
            per_account,
            per_client,
            window: Duration::from_secs(900),
        })
    }

    #[test]
    fn blocks_an_account_after_its_limit_until_the_window_passes() {
        let t = throttle(3, 100);
        let start = Instant::now();
        for i in 0..3 {
            assert!(t.check("a@x.nl", "1.2.3.4", start).is_ok(), "attempt {i}");
            t.record_failure("a@x.nl", "1.2.3.4", start);
        }
        let wait = t
            .check("a@x.nl", "9.9.9.9", start + Duration::from_secs(60))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(840));
        assert!(
            t.check("b@x.nl", "1.2.3.4", start).is_ok(),
            "other accounts are not affected"
        );
        assert!(t.check("a@x.nl", "1.2.3.4", start + Duration::from_secs(900)).is_ok());
    }

    #[test]
    fn blocks_a_client_guessing_many_accounts() {
        let t = throttle(100, 4);
        let now = Instant::now();
        for i in 0..4 {
            t.record_failure(&format!("user{i}@x.nl"), "1.2.3.4", now);
        }
        assert!(t.check("fresh@x.nl", "1.2.3.4", now).is_err());
        assert!(t.check("fresh@x.nl", "5.6.7.8", now).is_ok());
    }

    #[test]
    fn success_clears_the_account_only() {
        let t = throttle(2, 3);
        let now = Instant::now();
        t.record_failure("a@x.nl", "ip", now);
        t.record_failure("a@x.nl", "ip", now);
        assert!(t.check("a@x.nl", "other", now).is_err());
        t.record_success("a@x.nl");
        assert!(t.check("a@x.nl", "other", now).is_ok());
        t.record_failure("b@x.nl", "ip", now);
        assert!(
            t.check("c@x.nl", "ip", now).is_err(),
            "the client keeps its three failures"
        );
    }

    proptest! {
        /// However failures are spread over time, no more than `max` fit in any window
        /// without the throttle saying no.
        #[test]
        fn never_more_than_max_accepted_failures_per_window(gaps in proptest::collection::vec(0u64..400, 1..60), max in 1u32..6) {
            let t = throttle(max, 1000);
            let start = Instant::now();
            let mut now = start;
            let mut accepted: Vec<Instant> = Vec::new();
            for gap in gaps {
                now += Duration::from_secs(gap);
                if t.check("a", "c", now).is_ok() {
                    t.record_failure("a", "c", now);
                    accepted.push(now);
                }
            }
            for (i, t0) in accepted.iter().enumerate() {
                let in_window = accepted[i..].iter().filter(|t1| t1.duration_since(*t0) < Duration::from_secs(900)).count();
                prop_assert!(in_window <= max as usize);
            }
        }
    }
}
