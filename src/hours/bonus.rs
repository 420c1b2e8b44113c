//! The participatiebaan bonus (pure): €1 per approved hour worked while in a
//! participatiebaan, at the rate in force on the day; paid at year end.
//!
//! Arithmetic in integer cents, rounded once: the amount is
//! `round_half_up(Σ over rate periods (minutes × cents_per_hour) / 60)`. Because minutes
//! are summed per rate period before the single rounding, how the work was split into
//! logs never changes the amount.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const DEFAULT_CENTS_PER_HOUR: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub valid_from: NaiveDate,
    pub cents_per_hour: i64,
}

/// The rate in force on `date`: the latest that started on or before it; the default
/// (€1) before any.
pub fn rate_on(rates: &[Rate], date: NaiveDate) -> i64 {
    rates
        .iter()
        .filter(|r| r.valid_from <= date)
        .max_by_key(|r| r.valid_from)
        .map_or(DEFAULT_CENTS_PER_HOUR, |r| r.cents_per_hour)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MonthLine {
    pub month: u32,
    pub minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Computed {
    /// Approved minutes in a participatiebaan.
    pub minutes: i64,
    pub amount_cents: i64,
    /// Minutes per month (months without any are left out).
    pub months: Vec<MonthLine>,
}

/// `logs` are (day, approved minutes); `in_baan` tells whether the participant was in a
/// participatiebaan that day.
pub fn compute(logs: &[(NaiveDate, i64)], in_baan: impl Fn(NaiveDate) -> bool, rates: &[Rate]) -> Computed {
    let mut per_rate: BTreeMap<i64, i64> = BTreeMap::new();
    let mut per_month: BTreeMap<u32, i64> = BTreeMap::new();
    let mut minutes = 0;
    for (day, m) in logs.iter().filter(|(d, _)| in_baan(*d)) {
        *per_rate.entry(rate_on(rates, *day)).or_insert(0) += m;
        *per_month.entry(day.month()).or_insert(0) += m;
        minutes += m;
    }
    let cent_minutes: i64 = per_rate.iter().map(|(rate, m)| rate * m).sum();
    Computed {
        minutes,
        amount_cents: round_half_up_div(cent_minutes, 60),
        months: per_month
            .into_iter()
            .map(|(month, minutes)| MonthLine { month, minutes })
            .collect(),
    }
}

fn round_half_up_div(n: i64, d: i64) -> i64 {
    if n >= 0 { (n + d / 2) / d } else { -((-n + d / 2) / d) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn one_euro_per_hour_in_the_baan_only() {
        // Orientation in January, participatiebaan from 1 February.
        let in_baan = |day: NaiveDate| day >= d("2026-02-01");
        let logs = [(d("2026-01-20"), 240), (d("2026-02-03"), 240), (d("2026-03-10"), 90)];
        let c = compute(&logs, in_baan, &[]);
        assert_eq!(c.minutes, 330);
        assert_eq!(c.amount_cents, 550);
        assert_eq!(
            c.months,
            vec![
                MonthLine { month: 2, minutes: 240 },
                MonthLine { month: 3, minutes: 90 }
            ]
        );
    }

    #[test]
    fn a_rate_change_splits_by_day_and_rounds_once() {
        let rates = [Rate {
            valid_from: d("2026-07-01"),
            cents_per_hour: 125,
        }];
        let logs = [(d("2026-06-30"), 61), (d("2026-07-01"), 61)];
        // 61 × 100 + 61 × 125 = 13725 cent-minutes → 228.75 → 229
        assert_eq!(compute(&logs, |_| true, &rates).amount_cents, 229);
        assert_eq!(rate_on(&rates, d("2026-06-30")), 100);
    }

    proptest! {
        /// Splitting the same work into other logs never changes the amount.
        #[test]
        fn splitting_logs_changes_nothing(parts in proptest::collection::vec(1i64..300, 1..20), cut in 0usize..20) {
            let day = d("2026-05-04");
            let whole: i64 = parts.iter().sum();
            let split: Vec<(NaiveDate, i64)> = parts.iter().map(|m| (day, *m)).collect();
            let cut = cut.min(split.len());
            let mut regrouped: Vec<(NaiveDate, i64)> = vec![(day, split[..cut].iter().map(|x| x.1).sum())];
            regrouped.extend_from_slice(&split[cut..]);
            let a = compute(&[(day, whole)], |_| true, &[]);
            prop_assert_eq!(&compute(&split, |_| true, &[]), &a);
            prop_assert_eq!(&compute(&regrouped, |_| true, &[]), &a);
            prop_assert_eq!(a.amount_cents, (whole * 100 + 30) / 60);
        }
    }
}
