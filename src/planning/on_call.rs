//! Who is on call (pure rules): participants work at private addresses, and a
//! professional must always be reachable when something happens there — a fall, a
//! quarrel, money lying about. One staff member per shift (dagdeel) of a day; their name
//! and phone number are on the schedule of everyone who goes out in it.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::slot::{dagdeel_bounds, dagdelen_of};
use crate::auth::Role;
use crate::error::ApiError;
use crate::jobs::model::Dagdeel;

/// How far ahead the rota reaches: a year, not a typo's year.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// A shift of the rota: a dagdeel of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
pub struct Shift {
    pub date: NaiveDate,
    pub dagdeel: Dagdeel,
}

/// The dagdeel a local time falls in; before the morning counts as the morning and after
/// the evening as the evening.
pub fn dagdeel_at(time: NaiveTime) -> Dagdeel {
    Dagdeel::ALL
        .into_iter()
        .find(|d| time < dagdeel_bounds(*d).1)
        .unwrap_or(Dagdeel::Evening)
}

/// The shifts work from `start` to `end` (local) goes out in: each dagdeel it touches;
/// the one it starts in when it lies outside the dagdelen (planning keeps it inside).
pub fn shifts_of(start: NaiveDateTime, end: NaiveDateTime) -> Vec<Shift> {
    let dagdelen = dagdelen_of(start, end)
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| vec![dagdeel_at(start.time())]);
    let date = start.date();
    dagdelen.into_iter().map(|dagdeel| Shift { date, dagdeel }).collect()
}

/// The shift whose on-call a participant calls about work starting at `start` (local):
/// the one it starts in.
pub fn shift_at(start: NaiveDateTime) -> Shift {
    Shift {
        date: start.date(),
        dagdeel: dagdeel_at(start.time()),
    }
}

/// Who answers while work from `start` to `end` (local) goes on: whoever `contact` gives
/// for the shift it starts in, then each later shift it runs into whose answer differs
/// from the one before, with the local time that shift begins.
pub fn answering<C: Clone + PartialEq>(
    start: NaiveDateTime,
    end: NaiveDateTime,
    contact: impl Fn(Shift) -> Option<C>,
) -> (Option<C>, Vec<(NaiveDateTime, Option<C>)>) {
    let first = shift_at(start);
    let at_start = contact(first);
    let mut current = at_start.clone();
    let mut later = Vec::new();
    for shift in shifts_of(start, end).into_iter().filter(|s| *s > first) {
        let next = contact(shift);
        if next != current {
            later.push((shift.date.and_time(dagdeel_bounds(shift.dagdeel).0), next.clone()));
            current = next;
        }
    }
    (at_start, later)
}

/// Some dagdelen in words, in the order of the day: "de hele dag" for all three.
/// (Dutch, English).
pub fn dagdelen_words(dagdelen: &[Dagdeel]) -> (String, String) {
    let mut sorted = dagdelen.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.len() == Dagdeel::ALL.len() {
        return ("de hele dag".into(), "the whole day".into());
    }
    let join = |words: Vec<&str>, and: &str| match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
        _ => words.concat(),
    };
    (
        join(sorted.iter().map(|d| d.words().0).collect(), "en"),
        join(sorted.iter().map(|d| d.words().1).collect(), "and"),
    )
}

/// A shift's on-call is kept this long after it, for what comes to light later (a
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

/// Who is on call in a shift: the staff member and the number they answer.
pub type OnDuty = (i64, String);

/// Whom to tell of a change of the on-call of some shifts of one day, made by `by`: each
/// shift went from its `before` to `after`. One word per staff member and direction:
/// (staff member, whether they are on call now, in which dagdelen). Not who made the
/// change; not someone whose shift did not change.
pub fn to_tell(
    before: &[(Dagdeel, Option<OnDuty>)],
    after: Option<&OnDuty>,
    by: i64,
) -> Vec<(i64, bool, Vec<Dagdeel>)> {
    let mut told: Vec<(i64, bool, Vec<Dagdeel>)> = vec![];
    let mut tell = |user: i64, on: bool, dagdeel: Dagdeel| {
        if user == by {
            return;
        }
        match told.iter_mut().find(|(u, o, _)| *u == user && *o == on) {
            Some((_, _, dagdelen)) => dagdelen.push(dagdeel),
            None => told.push((user, on, vec![dagdeel])),
        }
    };
    for (dagdeel, was) in before {
        if let Some((was, _)) = was.as_ref().filter(|b| after.map(|a| a.0) != Some(b.0)) {
            tell(*was, false, *dagdeel);
        }
    }
    for (dagdeel, was) in before {
        if let Some((now, _)) = after.filter(|a| was.as_ref() != Some(*a)) {
            tell(*now, true, *dagdeel);
        }
    }
    told
}

/// A day's shifts as they were before a change: the day, and who was on call in each.
pub type DayBefore = (NaiveDate, Vec<(Dagdeel, Option<OnDuty>)>);

/// Some days, each with some of its dagdelen.
pub type DaysShifts = Vec<(NaiveDate, Vec<Dagdeel>)>;

/// Whom to tell of a change of several days, as [`to_tell`] for one: one word per staff
/// member and direction, with each day and its dagdelen.
pub fn to_tell_days(days: &[DayBefore], after: Option<&OnDuty>, by: i64) -> Vec<(i64, bool, DaysShifts)> {
    let mut told: Vec<(i64, bool, DaysShifts)> = vec![];
    for (date, before) in days {
        for (user, on, dagdelen) in to_tell(before, after, by) {
            match told.iter_mut().find(|(u, o, _)| *u == user && *o == on) {
                Some((_, _, of_days)) => of_days.push((*date, dagdelen)),
                None => told.push((user, on, vec![(*date, dagdelen)])),
            }
        }
    }
    told
}

/// The shifts with work going out and no one on call, earliest first.
pub fn uncovered(work: &BTreeSet<Shift>, covered: &BTreeSet<Shift>) -> Vec<Shift> {
    work.difference(covered).copied().collect()
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

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        day(d).and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn work_goes_out_in_each_shift_it_touches_and_calls_the_one_it_starts_in() {
        let shift = |d, dagdeel| Shift { date: day(d), dagdeel };
        assert_eq!(shifts_of(at(7, 9, 0), at(7, 11, 0)), [shift(7, Dagdeel::Morning)]);
        assert_eq!(
            shifts_of(at(7, 11, 0), at(7, 14, 0)),
            [shift(7, Dagdeel::Morning), shift(7, Dagdeel::Afternoon)]
        );
        assert_eq!(shifts_of(at(7, 12, 30), at(7, 13, 0)), [shift(7, Dagdeel::Afternoon)]);
        assert_eq!(
            shifts_of(at(7, 6, 0), at(7, 7, 0)),
            [shift(7, Dagdeel::Morning)],
            "outside the dagdelen"
        );
        assert_eq!(shift_at(at(7, 12, 29)), shift(7, Dagdeel::Morning));
        assert_eq!(shift_at(at(7, 17, 30)), shift(7, Dagdeel::Evening));
        assert_eq!(shift_at(at(7, 23, 0)), shift(7, Dagdeel::Evening));
    }

    #[test]
    fn dagdelen_are_named_in_the_order_of_the_day() {
        use Dagdeel::*;
        assert_eq!(
            dagdelen_words(&[Evening, Morning]),
            ("ochtend en avond".into(), "morning and evening".into())
        );
        assert_eq!(dagdelen_words(&[Afternoon]), ("middag".into(), "afternoon".into()));
        assert_eq!(dagdelen_words(&[Evening, Morning, Afternoon, Morning]).0, "de hele dag");
    }

    #[test]
    fn whoever_else_comes_on_or_goes_off_call_is_told_once_for_all_their_shifts() {
        use Dagdeel::*;
        let (joke, karim, me) = ((1, "0612345678".to_owned()), (2, "0318123456".to_owned()), 9);
        let all_empty = [(Morning, None), (Afternoon, None), (Evening, None)];
        assert_eq!(
            to_tell(&all_empty, Some(&joke), me),
            [(1, true, vec![Morning, Afternoon, Evening])]
        );
        let mixed = [
            (Morning, Some(joke.clone())),
            (Afternoon, None),
            (Evening, Some(karim.clone())),
        ];
        assert_eq!(
            to_tell(&mixed, Some(&karim), me),
            [(1, false, vec![Morning]), (2, true, vec![Morning, Afternoon])],
            "karim's evening did not change"
        );
        assert_eq!(
            to_tell(&mixed, None, me),
            [(1, false, vec![Morning]), (2, false, vec![Evening])]
        );
        assert!(
            to_tell(&[(Morning, Some(joke.clone()))], Some(&joke), me).is_empty(),
            "nothing changed"
        );
        let new_number = (1, "0699999999".to_owned());
        assert_eq!(
            to_tell(&[(Evening, Some(joke.clone()))], Some(&new_number), me),
            [(1, true, vec![Evening])]
        );
        assert!(
            to_tell(&all_empty, Some(&(me, "0612345678".to_owned())), me).is_empty(),
            "not who did it"
        );
    }

    #[test]
    fn work_running_into_the_next_shift_names_who_answers_from_then() {
        let at = |h: u32, m: u32| day(7).and_hms_opt(h, m, 0).unwrap();
        let rota = |s: Shift| match s.dagdeel {
            Dagdeel::Morning => Some("Joke"),
            Dagdeel::Afternoon => None,
            Dagdeel::Evening => Some("Karim"),
        };
        assert_eq!(answering(at(9, 0), at(11, 0), rota), (Some("Joke"), vec![]));
        assert_eq!(
            answering(at(11, 0), at(14, 0), rota),
            (Some("Joke"), vec![(at(12, 30), None)])
        );
        assert_eq!(
            answering(at(11, 0), at(19, 0), rota),
            (Some("Joke"), vec![(at(12, 30), None), (at(17, 30), Some("Karim"))])
        );
        let same = |_: Shift| Some("Joke");
        assert_eq!(answering(at(11, 0), at(19, 0), same), (Some("Joke"), vec![]));
    }

    #[test]
    fn over_several_days_each_is_told_once_with_their_days() {
        use Dagdeel::*;
        let (joke, karim, me) = ((1, "061".to_owned()), (2, "062".to_owned()), 9);
        let days = [
            (day(7), vec![(Morning, Some(joke.clone())), (Evening, None)]),
            (day(14), vec![(Morning, None), (Evening, Some(joke.clone()))]),
        ];
        assert_eq!(
            to_tell_days(&days, Some(&karim), me),
            [
                (1, false, vec![(day(7), vec![Morning]), (day(14), vec![Evening])]),
                (
                    2,
                    true,
                    vec![(day(7), vec![Morning, Evening]), (day(14), vec![Morning, Evening])]
                ),
            ]
        );
    }

    #[test]
    fn shifts_with_work_and_no_one_on_call_are_uncovered() {
        let shift = |d, dagdeel| Shift { date: day(d), dagdeel };
        let work = BTreeSet::from([
            shift(7, Dagdeel::Morning),
            shift(7, Dagdeel::Evening),
            shift(8, Dagdeel::Afternoon),
        ]);
        let covered = BTreeSet::from([shift(7, Dagdeel::Morning), shift(9, Dagdeel::Morning)]);
        assert_eq!(
            uncovered(&work, &covered),
            [shift(7, Dagdeel::Evening), shift(8, Dagdeel::Afternoon)]
        );
    }
}
