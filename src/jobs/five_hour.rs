//! The five-hour rule (pure). A klus around the home lasts at most five hours, agreed with
//! local entrepreneurs against unfair competition. Three checks:
//!
//! 1. an order's estimate is at most the limit;
//! 2. a planned span (start to end) is at most the limit;
//! 3. anti-splitting: the orders for one address and category within a rolling window may
//!    add up to at most the limit before a werkleider must look at them.
//!
//! The window check counts every order in `(at − window, at]` that is still alive
//! (not refused or cancelled). Because each new order looks back a whole window, no
//! window of that length can ever hold more auto-accepted minutes than the limit.

use chrono::{Duration, NaiveDateTime};

use super::settings::CategoryLimit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    pub minutes: i64,
    pub limit: i64,
}

/// Rule 1, also rule 2 when `minutes` is a planned span.
pub fn check_duration(around_home: bool, minutes: i64, limit: &CategoryLimit) -> Result<(), TooLong> {
    if around_home && minutes > limit.limit_minutes {
        Err(TooLong {
            minutes,
            limit: limit.limit_minutes,
        })
    } else {
        Ok(())
    }
}

/// An earlier, still-alive order for the same address and category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorOrder {
    pub at: NaiveDateTime,
    pub minutes: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Clear,
    /// Together with earlier orders in the window this order passes the limit.
    Suspected {
        window_total: i64,
    },
}

/// Rule 3 for an order of `minutes` placed at `at`.
pub fn split_check(prior: &[PriorOrder], at: NaiveDateTime, minutes: i64, limit: &CategoryLimit) -> Split {
    let window = Duration::days(limit.window_days);
    let earlier: i64 = prior.iter().filter(|p| at - p.at < window).map(|p| p.minutes).sum();
    let total = earlier + minutes;
    if total > limit.limit_minutes {
        Split::Suspected { window_total: total }
    } else {
        Split::Clear
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn limit() -> CategoryLimit {
        CategoryLimit {
            limit_minutes: 300,
            window_days: 14,
        }
    }

    fn t(hours: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 4, 1)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap()
            + Duration::hours(hours)
    }

    #[test]
    fn exactly_five_hours_passes_one_minute_more_does_not() {
        assert_eq!(check_duration(true, 300, &limit()), Ok(()));
        assert_eq!(
            check_duration(true, 301, &limit()),
            Err(TooLong {
                minutes: 301,
                limit: 300
            })
        );
        assert_eq!(
            check_duration(false, 480, &limit()),
            Ok(()),
            "diensten are not around the home"
        );
    }

    #[test]
    fn two_three_hour_jobs_in_one_week_are_suspected() {
        let first = PriorOrder { at: t(0), minutes: 180 };
        assert_eq!(split_check(&[], t(0), 180, &limit()), Split::Clear);
        assert_eq!(
            split_check(&[first], t(48), 180, &limit()),
            Split::Suspected { window_total: 360 }
        );
    }

    #[test]
    fn an_order_committed_a_moment_later_still_counts() {
        let racing = PriorOrder {
            at: t(0) + Duration::milliseconds(3),
            minutes: 180,
        };
        assert_eq!(
            split_check(&[racing], t(0), 180, &limit()),
            Split::Suspected { window_total: 360 }
        );
    }

    #[test]
    fn the_window_rolls() {
        let first = PriorOrder { at: t(0), minutes: 180 };
        assert_eq!(
            split_check(&[first], t(14 * 24 - 1), 180, &limit()),
            Split::Suspected { window_total: 360 }
        );
        assert_eq!(split_check(&[first], t(14 * 24), 180, &limit()), Split::Clear);
    }

    proptest! {
        /// Whatever the orders, no window of the rule's length holds more auto-accepted
        /// minutes than the limit. Suspected orders stay alive (awaiting review) and count
        /// for later checks, as in the database.
        #[test]
        fn no_window_holds_more_auto_accepted_minutes_than_the_limit(
            orders in proptest::collection::vec((0i64..200, 15i64..=300), 1..40)
        ) {
            let l = limit();
            let mut alive: Vec<PriorOrder> = Vec::new();
            let mut accepted: Vec<PriorOrder> = Vec::new();
            let mut now = t(0);
            for (gap_hours, minutes) in orders {
                now += Duration::hours(gap_hours);
                if split_check(&alive, now, minutes, &l) == Split::Clear {
                    accepted.push(PriorOrder { at: now, minutes });
                }
                alive.push(PriorOrder { at: now, minutes });
            }
            for start in &accepted {
                let in_window: i64 = accepted
                    .iter()
                    .filter(|a| a.at >= start.at && a.at - start.at < Duration::days(l.window_days))
                    .map(|a| a.minutes)
                    .sum();
                prop_assert!(in_window <= l.limit_minutes, "{in_window} minutes in the window from {}", start.at);
            }
        }
    }
}
