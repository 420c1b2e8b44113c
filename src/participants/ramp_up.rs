//! Ramp-up plans (pure). A participant who first has to get used to a working week (the
//! werkleider may advise putting training off until a regular week is habit) works fewer
//! hours than contracted for a while, building up step by step. Each step holds from the
//! Monday of its week until the next step; after the last, its hours hold until the plan
//! is changed or removed. Planning never plans more than the contract allows either, so a
//! week's hours are the step's or the contract's, whichever is fewer.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Violations};

/// At most this many steps in a plan.
pub const MAX_STEPS: usize = 12;

/// One step of a plan: the hours a week from the week of `week_start` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Step {
    /// The Monday of the first week the step holds.
    pub week_start: NaiveDate,
    pub minutes_per_week: i64,
}

/// A week in which more work is planned than the plan allows: the werkleider plans some
/// of it for someone else (the board marks it `weekly_hours_exceeded`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct WeekOver {
    /// Its Monday.
    pub week_start: NaiveDate,
    pub planned_minutes: i64,
    pub allowed_minutes: i64,
}

/// The Monday of `day`'s week.
pub fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The Monday of an ISO week (year, week), as planning counts weeks.
pub fn monday_of_iso_week((year, week): (i32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
}

/// The steps as asked, `(from, hours a week)`: one to [`MAX_STEPS`], each from a week of
/// its own, each a whole number of hours from 1 up to the contracted hours. Every wrong
/// step is reported at once; the steps come back in order of their weeks.
pub fn steps(raw: &[(NaiveDate, i64)], contracted_minutes: i64) -> Result<Vec<Step>, ApiError> {
    let mut v = Violations::new();
    if raw.is_empty() || raw.len() > MAX_STEPS {
        v.push("steps", "step_count", format!("one to {MAX_STEPS} steps"));
    }
    let contracted_hours = contracted_minutes / 60;
    let mut seen: Vec<NaiveDate> = Vec::new();
    for (i, (from, hours)) in raw.iter().enumerate() {
        let week = monday(*from);
        if seen.contains(&week) {
            v.push(
                &format!("steps[{i}].from"),
                "same_week",
                "another step starts in that week",
            );
        }
        seen.push(week);
        if *hours < 1 {
            v.push(
                &format!("steps[{i}].hours_per_week"),
                "out_of_range",
                "at least one hour a week (to plan no work, record an absence)",
            );
        } else if *hours > contracted_hours {
            v.push(
                &format!("steps[{i}].hours_per_week"),
                "above_contracted_hours",
                format!("at most the {contracted_hours} contracted hours a week"),
            );
        }
    }
    v.into_result()?;
    let mut out: Vec<Step> = raw
        .iter()
        .map(|(from, hours)| Step {
            week_start: monday(*from),
            minutes_per_week: hours * 60,
        })
        .collect();
    out.sort_by_key(|s| s.week_start);
    Ok(out)
}

/// The minutes that may be planned in the week starting `monday`: the step that holds
/// then (the last one begun), never more than the contract; the contract alone before
/// the first step or without a plan. `steps` in order of their weeks.
pub fn week_minutes(contracted_minutes: i64, steps: &[Step], monday: NaiveDate) -> i64 {
    steps
        .iter()
        .rev()
        .find(|s| s.week_start <= monday)
        .map_or(contracted_minutes, |s| s.minutes_per_week.min(contracted_minutes))
}

/// The weeks of `planned` (minutes planned per Monday) with more than the plan allows.
pub fn over_hours(planned: &BTreeMap<NaiveDate, i64>, contracted_minutes: i64, steps: &[Step]) -> Vec<WeekOver> {
    planned
        .iter()
        .filter_map(|(week_start, planned_minutes)| {
            let allowed_minutes = week_minutes(contracted_minutes, steps, *week_start);
            (*planned_minutes > allowed_minutes).then_some(WeekOver {
                week_start: *week_start,
                planned_minutes: *planned_minutes,
                allowed_minutes,
            })
        })
        .collect()
}

/// The steps a participant reads: the one that holds in the week of `today` and those
/// after it.
pub fn from_this_week(steps: &[Step], today: NaiveDate) -> Vec<Step> {
    let this_week = monday(today);
    let current = steps.iter().rposition(|s| s.week_start <= this_week);
    steps[current.unwrap_or(0)..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn fields(e: ApiError) -> Vec<(String, String)> {
        let ApiError::Validation(errors) = e else {
            panic!("not a validation error");
        };
        errors.into_iter().map(|e| (e.field, e.code.to_owned())).collect()
    }

    /// 16 hours from the week of 7 December, 24 from 4 January, 32 from 1 February.
    fn plan() -> Vec<Step> {
        steps(
            &[
                (day("2027-02-03"), 32),
                (day("2026-12-09"), 16),
                (day("2027-01-04"), 24),
            ],
            36 * 60,
        )
        .unwrap()
    }

    #[test]
    fn steps_start_on_the_monday_of_their_week_in_order() {
        let weeks: Vec<_> = plan().iter().map(|s| (s.week_start, s.minutes_per_week)).collect();
        assert_eq!(
            weeks,
            [
                (day("2026-12-07"), 16 * 60),
                (day("2027-01-04"), 24 * 60),
                (day("2027-02-01"), 32 * 60),
            ]
        );
    }

    #[test]
    fn each_week_has_the_hours_of_the_step_that_holds_then() {
        let steps = plan();
        let contract = 36 * 60;
        assert_eq!(week_minutes(contract, &steps, day("2026-11-30")), contract);
        assert_eq!(week_minutes(contract, &steps, day("2026-12-07")), 16 * 60);
        assert_eq!(week_minutes(contract, &steps, day("2026-12-28")), 16 * 60);
        assert_eq!(week_minutes(contract, &steps, day("2027-01-04")), 24 * 60);
        // The last step holds on.
        assert_eq!(week_minutes(contract, &steps, day("2027-06-07")), 32 * 60);
        // A contract cut below a step wins.
        assert_eq!(week_minutes(20 * 60, &steps, day("2027-06-07")), 20 * 60);
        assert_eq!(week_minutes(contract, &[], day("2027-06-07")), contract);
    }

    #[test]
    fn every_wrong_step_is_named() {
        let wrong = steps(
            &[(day("2026-12-07"), 0), (day("2026-12-11"), 20), (day("2027-01-04"), 33)],
            32 * 60,
        )
        .unwrap_err();
        assert_eq!(
            fields(wrong),
            [
                ("steps[0].hours_per_week".to_owned(), "out_of_range".to_owned()),
                ("steps[1].from".to_owned(), "same_week".to_owned()),
                (
                    "steps[2].hours_per_week".to_owned(),
                    "above_contracted_hours".to_owned()
                ),
            ]
        );
        assert_eq!(
            fields(steps(&[], 32 * 60).unwrap_err()),
            [("steps".to_owned(), "step_count".to_owned())]
        );
        let thirteen: Vec<_> = (0..13).map(|w| (day("2027-01-04") + Duration::weeks(w), 8)).collect();
        assert_eq!(
            fields(steps(&thirteen, 32 * 60).unwrap_err()),
            [("steps".to_owned(), "step_count".to_owned())]
        );
        // The full contract is a step too: the plan's end.
        assert!(steps(&[(day("2027-01-04"), 32)], 32 * 60).is_ok());
    }

    #[test]
    fn weeks_with_more_planned_than_allowed_are_named() {
        let planned = BTreeMap::from([
            (day("2026-11-30"), 30 * 60),
            (day("2026-12-07"), 16 * 60),
            (day("2026-12-14"), 18 * 60),
            (day("2027-02-01"), 33 * 60),
        ]);
        assert_eq!(
            over_hours(&planned, 36 * 60, &plan()),
            [
                WeekOver {
                    week_start: day("2026-12-14"),
                    planned_minutes: 18 * 60,
                    allowed_minutes: 16 * 60,
                },
                WeekOver {
                    week_start: day("2027-02-01"),
                    planned_minutes: 33 * 60,
                    allowed_minutes: 32 * 60,
                },
            ]
        );
    }

    #[test]
    fn the_participant_reads_the_step_that_holds_and_those_to_come() {
        let steps = plan();
        let weeks = |today: &str| -> Vec<NaiveDate> {
            from_this_week(&steps, day(today))
                .iter()
                .map(|s| s.week_start)
                .collect()
        };
        assert_eq!(weeks("2026-12-01").len(), 3);
        assert_eq!(weeks("2027-01-10"), [day("2027-01-04"), day("2027-02-01")]);
        assert_eq!(weeks("2027-05-01"), [day("2027-02-01")]);
        assert_eq!(monday_of_iso_week((2027, 1)), Some(day("2027-01-04")));
    }
}
