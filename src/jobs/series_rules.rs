//! The dates of a recurring visit (pure): a weekday, every week or every other week, from
//! a first date until an optional last one. The round orders each date a fortnight ahead.

use chrono::{Datelike, Duration, NaiveDate};

use crate::error::Violations;

/// How far ahead the visits of a series are ordered: far enough for the werkleiders to
/// plan them, near enough that a stopped series leaves little to cancel.
pub const HORIZON_DAYS: i64 = 14;

/// How far ahead a series may start.
pub const MAX_START_AHEAD_DAYS: i64 = 365;

/// Where a series moved to another weekday or dagdeel picks up: in the week the visit
/// after the last one ordered (`every_weeks` on) would have been in, not before
/// `tomorrow`. The pattern starts again on that week's Monday, so its first date is the
/// new weekday in that week and every other week keeps its rhythm.
pub fn moved_start(last_ordered: Option<NaiveDate>, every_weeks: u32, tomorrow: NaiveDate) -> NaiveDate {
    let next = last_ordered
        .map_or(tomorrow, |d| d + Duration::weeks(i64::from(every_weeks.max(1))))
        .max(tomorrow);
    next - Duration::days(i64::from(next.weekday().num_days_from_monday()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u32,
    /// 1 (weekly) or 2 (every other week).
    pub every_weeks: u32,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Pattern {
    /// The first visit: the first day on or after `starts_on` that is the weekday.
    pub fn first(&self) -> NaiveDate {
        let from = self.starts_on.weekday().num_days_from_monday();
        let ahead = (self.weekday + 7 - from) % 7;
        self.starts_on + Duration::days(i64::from(ahead))
    }

    /// The visits from `from` up to and including `to`, in order.
    pub fn dates(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let step = Duration::weeks(i64::from(self.every_weeks.max(1)));
        let to = self.ends_on.map_or(to, |end| end.min(to));
        let mut day = self.first();
        if day < from {
            // Jump to the first visit on or after `from`, keeping the rhythm.
            let steps = (from - day).num_days().div_euclid(step.num_days());
            day += step * i32::try_from(steps).unwrap_or(i32::MAX);
            if day < from {
                day += step;
            }
        }
        let mut dates = Vec::new();
        while day <= to {
            dates.push(day);
            day += step;
        }
        dates
    }

    /// The checks that need no database, as they would be answered to the one who asked.
    pub fn check(&self, today: NaiveDate) -> Result<(), crate::error::ApiError> {
        let mut v = Violations::new();
        if self.weekday > 6 {
            v.push("weekday", "invalid_weekday", "0 (Monday) to 6 (Sunday)");
        }
        if !(1..=2).contains(&self.every_weeks) {
            v.push(
                "every_weeks",
                "invalid_interval",
                "1 (every week) or 2 (every other week)",
            );
        }
        if self.starts_on <= today {
            v.push(
                "starts_on",
                "date_in_past",
                "the first visit is tomorrow at the earliest",
            );
        } else if self.starts_on > today + Duration::days(MAX_START_AHEAD_DAYS) {
            v.push("starts_on", "too_far_ahead", "a series starts within a year");
        }
        match self.ends_on {
            Some(end) if end < self.starts_on => {
                v.push("ends_on", "ends_before_start", "the last date is on or after the first");
            }
            Some(end) if self.weekday <= 6 && self.first() > end => {
                v.push(
                    "ends_on",
                    "no_visit",
                    "that weekday does not come between the first and last date",
                );
            }
            _ => {}
        }
        v.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Tuesdays from Friday 4 December 2026.
    fn tuesdays(every_weeks: u32) -> Pattern {
        Pattern {
            weekday: 1,
            every_weeks,
            starts_on: d("2026-12-04"),
            ends_on: None,
        }
    }

    #[test]
    fn the_first_visit_is_the_first_such_weekday_from_the_start() {
        assert_eq!(tuesdays(1).first(), d("2026-12-08"));
        let friday = Pattern {
            weekday: 4,
            ..tuesdays(1)
        };
        assert_eq!(friday.first(), d("2026-12-04"));
    }

    #[test]
    fn weekly_and_fortnightly_dates_keep_their_rhythm_from_the_first() {
        assert_eq!(
            tuesdays(1).dates(d("2026-12-05"), d("2026-12-22")),
            [d("2026-12-08"), d("2026-12-15"), d("2026-12-22")]
        );
        // Every other week: counted from the first visit, whatever the window.
        assert_eq!(
            tuesdays(2).dates(d("2026-12-05"), d("2027-01-05")),
            [d("2026-12-08"), d("2026-12-22"), d("2027-01-05")]
        );
        assert_eq!(tuesdays(2).dates(d("2026-12-09"), d("2027-01-04")), [d("2026-12-22")]);
        assert_eq!(tuesdays(2).dates(d("2026-12-23"), d("2027-01-05")), [d("2027-01-05")]);
    }

    #[test]
    fn no_dates_after_the_last_or_before_the_first() {
        let ending = Pattern {
            ends_on: Some(d("2026-12-15")),
            ..tuesdays(1)
        };
        assert_eq!(
            ending.dates(d("2026-12-01"), d("2027-01-31")),
            [d("2026-12-08"), d("2026-12-15")]
        );
        assert!(tuesdays(1).dates(d("2026-12-01"), d("2026-12-07")).is_empty());
    }

    #[test]
    fn a_pattern_is_checked_before_anything_is_ordered() {
        let today = d("2026-12-03");
        assert!(tuesdays(1).check(today).is_ok());
        let codes = |p: Pattern| match p.check(today) {
            Err(crate::error::ApiError::Validation(v)) => v.iter().map(|e| e.code).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            codes(Pattern {
                weekday: 7,
                every_weeks: 3,
                starts_on: today,
                ends_on: Some(d("2026-12-01")),
            }),
            [
                "invalid_weekday",
                "invalid_interval",
                "date_in_past",
                "ends_before_start"
            ]
        );
        assert_eq!(
            codes(Pattern {
                starts_on: d("2028-01-01"),
                ..tuesdays(1)
            }),
            ["too_far_ahead"]
        );
        // Friday 4 to Monday 7 December holds no Tuesday.
        assert_eq!(
            codes(Pattern {
                ends_on: Some(d("2026-12-07")),
                ..tuesdays(1)
            }),
            ["no_visit"]
        );
    }

    #[test]
    fn a_moved_series_picks_up_in_the_week_its_next_visit_was_due() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Tuesday 15 December was the last ordered; weekly, the next week starts Monday
        // 21st; every other week, Monday 28th.
        assert_eq!(moved_start(Some(d("2026-12-15")), 1, d("2026-12-06")), d("2026-12-21"));
        assert_eq!(moved_start(Some(d("2026-12-15")), 2, d("2026-12-06")), d("2026-12-28"));
        // Nothing ordered to come: from tomorrow's week.
        assert_eq!(moved_start(None, 1, d("2026-12-10")), d("2026-12-07"));
        assert_eq!(moved_start(Some(d("2026-11-03")), 1, d("2026-12-10")), d("2026-12-07"));
        // The pattern from there: Thursday in that week, then every week.
        let moved = Pattern {
            weekday: 3,
            every_weeks: 1,
            starts_on: d("2026-12-21"),
            ends_on: None,
        };
        assert_eq!(
            moved.dates(d("2026-12-16"), d("2027-01-01")),
            [d("2026-12-24"), d("2026-12-31")]
        );
    }
}
