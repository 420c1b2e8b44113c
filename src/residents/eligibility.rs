//! Who pays the reduced rate: a pure decision, no I/O.
//!
//! A resident pays the reduced rate on a date when they are 70 or older on that date, or
//! when a recorded Wmo period covers it (both ends inclusive; an open end runs on).
//! Someone born on 29 February turns a year older on 1 March in years without that day:
//! only then have they completed the full year (the conservative reading, which the
//! municipality pays the subsidy on).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

pub const REDUCED_RATE_AGE: u32 = 70;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WmoPeriod {
    pub id: i64,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

impl WmoPeriod {
    pub fn covers(&self, on: NaiveDate) -> bool {
        self.valid_from <= on && self.valid_until.is_none_or(|until| on <= until)
    }
}

/// Why the reduced rate applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Reason {
    /// The resident is 70 or older on the date.
    #[serde(rename = "age_70_plus")]
    Age70Plus { age: u32 },
    /// A verified Wmo period covers the date.
    Wmo {
        period_id: i64,
        valid_from: NaiveDate,
        valid_until: Option<NaiveDate>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Decision {
    pub reduced_rate: bool,
    pub reasons: Vec<Reason>,
}

/// Completed years of age on `on`, or `None` before birth.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let years = on.year() - birth.year();
    let birthday_passed = (on.month(), on.day()) >= (birth.month(), birth.day());
    u32::try_from(if birthday_passed { years } else { years - 1 }).ok()
}

pub fn decide(birth_date: Option<NaiveDate>, periods: &[WmoPeriod], on: NaiveDate) -> Decision {
    let mut reasons = Vec::new();
    if let Some(age) = birth_date
        .and_then(|b| age_on(b, on))
        .filter(|age| *age >= REDUCED_RATE_AGE)
    {
        reasons.push(Reason::Age70Plus { age });
    }
    reasons.extend(periods.iter().filter(|p| p.covers(on)).map(|p| Reason::Wmo {
        period_id: p.id,
        valid_from: p.valid_from,
        valid_until: p.valid_until,
    }));
    Decision {
        reduced_rate: !reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn turns_seventy_on_the_birthday_not_the_day_before() {
        let birth = Some(d(1956, 6, 15));
        assert!(!decide(birth, &[], d(2026, 6, 14)).reduced_rate);
        let on_birthday = decide(birth, &[], d(2026, 6, 15));
        assert_eq!(on_birthday.reasons, vec![Reason::Age70Plus { age: 70 }]);
        assert!(decide(birth, &[], d(2030, 1, 1)).reduced_rate);
    }

    #[test]
    fn leap_day_birthdays_complete_the_year_on_the_first_of_march() {
        let birth = d(1956, 2, 29);
        assert_eq!(age_on(birth, d(2026, 2, 28)), Some(69));
        assert_eq!(age_on(birth, d(2026, 3, 1)), Some(70));
        // In a leap year the birthday itself exists.
        assert_eq!(age_on(birth, d(2028, 2, 28)), Some(71));
        assert_eq!(age_on(birth, d(2028, 2, 29)), Some(72));
    }

    #[test]
    fn wmo_period_edges_are_inclusive() {
        let p = WmoPeriod {
            id: 9,
            valid_from: d(2026, 1, 1),
            valid_until: Some(d(2026, 12, 31)),
        };
        assert!(!decide(None, &[p], d(2025, 12, 31)).reduced_rate);
        assert!(decide(None, &[p], d(2026, 1, 1)).reduced_rate);
        assert!(decide(None, &[p], d(2026, 12, 31)).reduced_rate);
        assert!(!decide(None, &[p], d(2027, 1, 1)).reduced_rate);
        let open = WmoPeriod { valid_until: None, ..p };
        assert!(decide(None, &[open], d(2040, 1, 1)).reduced_rate);
    }

    #[test]
    fn no_birth_date_and_no_period_means_regular_rate() {
        assert_eq!(
            decide(None, &[], d(2026, 1, 1)),
            Decision {
                reduced_rate: false,
                reasons: vec![]
            }
        );
    }

    #[test]
    fn both_reasons_are_reported() {
        let p = WmoPeriod {
            id: 1,
            valid_from: d(2020, 1, 1),
            valid_until: None,
        };
        let decision = decide(Some(d(1940, 1, 1)), &[p], d(2026, 1, 1));
        assert_eq!(decision.reasons.len(), 2);
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0i32..60_000).prop_map(|n| d(1900, 1, 1) + chrono::Duration::days(i64::from(n)))
    }

    proptest! {
        /// The decision is exactly "70 or older, or covered by a period".
        #[test]
        fn decision_matches_its_definition(birth in date(), on in date(), from in date(), len in 0i64..2000, open in any::<bool>()) {
            let until = if open { None } else { Some(from + chrono::Duration::days(len)) };
            let p = WmoPeriod { id: 1, valid_from: from, valid_until: until };
            let decision = decide(Some(birth), &[p], on);
            let old_enough = age_on(birth, on).is_some_and(|a| a >= 70);
            let covered = from <= on && until.is_none_or(|u| on <= u);
            prop_assert_eq!(decision.reduced_rate, old_enough || covered);
        }

        /// Age never decreases as time passes, and grows by exactly one each year.
        #[test]
        fn age_is_monotonic(birth in date(), on in date(), later in 0i64..4000) {
            let after = on + chrono::Duration::days(later);
            prop_assert!(age_on(birth, on) <= age_on(birth, after));
            if let (Some(a), Some(next)) = (age_on(birth, on), on.with_year(on.year() + 1))
                && !(on.month() == 2 && on.day() == 29)
            {
                prop_assert_eq!(age_on(birth, next), Some(a + 1));
            }
        }

        /// Once 70, always 70-plus afterwards.
        #[test]
        fn reduced_by_age_stays_reduced(birth in date(), on in date(), later in 0i64..4000) {
            if decide(Some(birth), &[], on).reduced_rate {
                prop_assert!(decide(Some(birth), &[], on + chrono::Duration::days(later)).reduced_rate);
            }
        }
    }
}
