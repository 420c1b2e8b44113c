//! Login throttling: failed attempts are counted per account and per client address in a
//! sliding window; past the limit the login answers 429 with `Retry-After`.
//!
//! The rule is here, on the failures' times; `login_failures.rs` keeps them in the
//! database, so several instances behind a load balancer enforce one limit rather than
//! one each. The client address comes from `client_addr` (the forwarded one behind a
//! trusted proxy).

use std::time::Duration;

use chrono::NaiveDateTime;

#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    pub per_account: u32,
    pub per_client: u32,
    pub window: Duration,
}

impl ThrottleLimits {
    pub fn window(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX)
    }
}

/// How long until another attempt is allowed, given the key's failures within the window
/// (newest first, at least the `max` newest): when `max` of them fall within it, the wait
/// until the oldest of those leaves it.
fn retry_after(
    newest_first: &[NaiveDateTime],
    max: u32,
    window: chrono::Duration,
    now: NaiveDateTime,
) -> Option<Duration> {
    let max = usize::try_from(max).ok()?;
    let in_window: Vec<&NaiveDateTime> = newest_first.iter().filter(|at| now - **at < window).collect();
    if max == 0 || in_window.len() < max {
        return None;
    }
    let releases = *in_window[max - 1] + window;
    Some((releases - now).to_std().unwrap_or_default())
}

/// `Err(wait)` when either the account or the client has too many recent failures.
pub fn decide(
    limits: &ThrottleLimits,
    by_account: &[NaiveDateTime],
    by_client: &[NaiveDateTime],
    now: NaiveDateTime,
) -> Result<(), Duration> {
    let window = limits.window();
    let waits = [
        retry_after(by_account, limits.per_account, window, now),
        retry_after(by_client, limits.per_client, window, now),
    ];
    match waits.into_iter().flatten().max() {
        Some(wait) => Err(wait.max(Duration::from_secs(1))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn limits(per_account: u32, per_client: u32) -> ThrottleLimits {
        ThrottleLimits {
            per_account,
            per_client,
            window: Duration::from_secs(900),
        }
    }

    fn at(secs: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + secs, 0)
            .unwrap_or_default()
            .naive_utc()
    }

    #[test]
    fn blocks_an_account_after_its_limit_until_the_window_passes() {
        let l = limits(3, 100);
        let failures = [at(0), at(0), at(0)];
        assert_eq!(decide(&l, &failures[..2], &[], at(0)), Ok(()));
        assert_eq!(decide(&l, &failures, &[], at(60)), Err(Duration::from_secs(840)));
        assert_eq!(decide(&l, &failures, &[], at(900)), Ok(()));
    }

    #[test]
    fn blocks_a_client_guessing_many_accounts() {
        let l = limits(100, 4);
        let failures = [at(30), at(20), at(10), at(0)];
        assert_eq!(decide(&l, &[], &failures, at(40)), Err(Duration::from_secs(860)));
        assert_eq!(decide(&l, &[], &failures[..3], at(40)), Ok(()));
    }

    #[test]
    fn the_longer_wait_of_account_and_client_counts_and_is_at_least_a_second() {
        let l = limits(1, 1);
        assert_eq!(decide(&l, &[at(0)], &[at(500)], at(600)), Err(Duration::from_secs(800)));
        assert_eq!(
            decide(&l, &[at(0)], &[], at(900) - chrono::Duration::milliseconds(10)),
            Err(Duration::from_secs(1))
        );
    }

    proptest! {
        /// However failures are spread over time, no more than `max` fit in any window
        /// without the throttle saying no.
        #[test]
        fn never_more_than_max_accepted_failures_per_window(gaps in proptest::collection::vec(0i64..400, 1..60), max in 1u32..6) {
            let l = limits(max, 1000);
            let mut now = at(0);
            let mut accepted: Vec<NaiveDateTime> = Vec::new();
            for gap in gaps {
                now += chrono::Duration::seconds(gap);
                let newest_first: Vec<NaiveDateTime> = accepted.iter().rev().copied().collect();
                if decide(&l, &newest_first, &[], now).is_ok() {
                    accepted.push(now);
                }
            }
            for (i, t0) in accepted.iter().enumerate() {
                let in_window = accepted[i..].iter().filter(|t1| **t1 - *t0 < chrono::Duration::seconds(900)).count();
                prop_assert!(in_window <= max as usize);
            }
        }
    }
}
