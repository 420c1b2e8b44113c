//! Who is on call (pure rules): participants work at private addresses, and a
//! professional must always be reachable when something happens there — a fall, a
//! quarrel, money lying about. One staff member a day; their name and phone number are on
//! the schedule of everyone who goes out that day.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::auth::Role;
use crate::error::ApiError;

/// How far ahead the rota reaches: a year, not a typo's year.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// A day's on-call is kept this long after it, for what comes to light later (a
/// complaint, an incident report), then deleted by the daily timer.
pub const KEPT_DAYS_AFTER: i64 = 31;

/// Whether the on-call of `day` may be set or cleared on `today`: not a day gone by, and
/// not further ahead than [`MAX_DAYS_AHEAD`].
pub fn changeable(day: NaiveDate, today: NaiveDate) -> Result<(), ApiError> {
    if day < today {
        return Err(ApiError::validation(
            "date",
            "date_in_past",
            "the on-call of a day gone by stays as it was",
        ));
    }
    if (day - today).num_days() > MAX_DAYS_AHEAD {
        return Err(ApiError::validation(
            "date",
            "too_far_ahead",
            format!("the rota reaches at most {MAX_DAYS_AHEAD} days ahead"),
        ));
    }
    Ok(())
}

/// Whether someone of `role` can be on call: staff who know the work and the
/// participants (not finance, not a resident or participant).
pub fn may_be_on_call(role: Option<Role>) -> bool {
    matches!(
        role,
        Some(Role::Werkleider | Role::Coordinator | Role::Trajectbegeleider)
    )
}

/// Who of the rota's day is on call: the staff member and the number they answer.
pub type OnDuty = (i64, String);

/// Whom to tell of a change of a day's on-call from `before` to `after`, made by `by`:
/// (staff member, whether they are on call now). Not who made it; not someone whose day
/// did not change.
pub fn to_tell(before: Option<&OnDuty>, after: Option<&OnDuty>, by: i64) -> Vec<(i64, bool)> {
    let mut told = vec![];
    if let Some((was, _)) = before.filter(|b| after.map(|a| a.0) != Some(b.0)) {
        told.push((*was, false));
    }
    if let Some((now, _)) = after.filter(|a| before != Some(*a)) {
        told.push((*now, true));
    }
    told.retain(|(user, _)| *user != by);
    told
}

/// The days with work going out and no one on call, earliest first.
pub fn uncovered(work_days: &BTreeSet<NaiveDate>, covered: &BTreeSet<NaiveDate>) -> Vec<NaiveDate> {
    work_days.difference(covered).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn the_rota_runs_from_today_up_to_a_year_ahead() {
        assert!(changeable(day(5), day(5)).is_ok());
        assert_eq!(changeable(day(4), day(5)).unwrap_err().code(), "validation_failed");
        let year = day(5) + chrono::Duration::days(MAX_DAYS_AHEAD);
        assert!(changeable(year, day(5)).is_ok());
        assert!(changeable(year.succ_opt().unwrap(), day(5)).is_err());
    }

    #[test]
    fn only_staff_who_know_the_work_are_on_call() {
        assert!(may_be_on_call(Some(Role::Werkleider)));
        assert!(may_be_on_call(Some(Role::Trajectbegeleider)));
        assert!(!may_be_on_call(Some(Role::Finance)));
        assert!(!may_be_on_call(Some(Role::Participant)));
        assert!(!may_be_on_call(None));
    }

    #[test]
    fn whoever_else_comes_on_or_goes_off_call_is_told() {
        let (joke, karim, me) = ((1, "0612345678".to_owned()), (2, "0318123456".to_owned()), 9);
        assert_eq!(to_tell(None, Some(&joke), me), [(1, true)]);
        assert_eq!(to_tell(Some(&joke), Some(&karim), me), [(1, false), (2, true)]);
        assert_eq!(to_tell(Some(&joke), None, me), [(1, false)]);
        assert!(to_tell(Some(&joke), Some(&joke), me).is_empty(), "nothing changed");
        let new_number = (1, "0699999999".to_owned());
        assert_eq!(to_tell(Some(&joke), Some(&new_number), me), [(1, true)]);
        assert!(
            to_tell(None, Some(&(me, "0612345678".to_owned())), me).is_empty(),
            "not who did it"
        );
    }

    #[test]
    fn days_with_work_and_no_one_on_call_are_uncovered() {
        let work = BTreeSet::from([day(7), day(8), day(10)]);
        let covered = BTreeSet::from([day(8), day(9)]);
        assert_eq!(uncovered(&work, &covered), [day(7), day(10)]);
    }
}
