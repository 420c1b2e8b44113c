//! The period a report covers, as its query names it (`from`, `to`): the month so far when
//! it names none. Shared by the finance reports (reconciliation, journal, Stripe) and the
//! coordinator's and werkleiders' reports over a period.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::clock;
use crate::error::ApiError;

/// A period of days for the finance and coordinator reports; the month so far when it
/// is not named.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PeriodQuery {
    /// First day (inclusive); the first of the month `to` lies in when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (inclusive); today when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub to: Option<NaiveDate>,
}

impl PeriodQuery {
    /// The days, once checked that the period does not end before it starts.
    pub fn days(self) -> Result<(NaiveDate, NaiveDate), ApiError> {
        let to = self.to.unwrap_or_else(clock::today);
        let from = self.from.unwrap_or_else(|| to.with_day(1).unwrap_or(to));
        if to < from {
            return Err(ApiError::validation(
                "to",
                "invalid_period",
                "the period ends on or after the day it starts",
            ));
        }
        Ok((from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_last_day_alone_gives_its_month_up_to_it_and_backwards_is_no_period() {
        let period = |from, to| PeriodQuery { from, to }.days();
        assert_eq!(
            period(None, Some(day(2026, 3, 15))).unwrap(),
            (day(2026, 3, 1), day(2026, 3, 15))
        );
        assert_eq!(
            period(Some(day(2026, 1, 5)), Some(day(2026, 2, 3))).unwrap(),
            (day(2026, 1, 5), day(2026, 2, 3))
        );
        assert!(period(Some(day(2026, 2, 4)), Some(day(2026, 2, 3))).is_err());
        let (from, to) = period(None, None).unwrap();
        assert_eq!((from.day(), from.month(), from.year()), (1, to.month(), to.year()));
    }
}
