use chrono::NaiveDate;

use super::*;
use crate::participants::trajectory::TrajectoryKind;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn period(from: NaiveDate, to: NaiveDate, ended_on: Option<NaiveDate>) -> Period {
    Period {
        kind: TrajectoryKind::Participatiebaan,
        starts_on: from,
        ends_on: to,
        extended_until: None,
        ended_on,
    }
}

#[test]
fn a_buddy_finished_a_trajectory_and_is_in_none_now_or_later() {
    let today = day(6, 1);
    let finished = period(day(1, 1), day(5, 31), None);
    assert!(may_be_buddy(&[finished], today));
    // Never in a trajectory here: nothing to pass on.
    assert!(!may_be_buddy(&[], today));
    // Its last day is today: still in it.
    assert!(!may_be_buddy(&[period(day(1, 1), day(6, 1), None)], today));
    // Ended early, before today: finished.
    assert!(may_be_buddy(&[period(day(1, 1), day(12, 31), Some(day(5, 1)))], today));
    // Coming back for another one later.
    let next = period(day(7, 1), day(12, 31), None);
    assert!(!may_be_buddy(&[finished, next], today));
}

#[test]
fn a_volunteer_who_may_not_be_one_is_refused_by_field_or_state() {
    let today = day(6, 1);
    let running = [period(day(1, 1), day(12, 31), None)];
    let by_field = check_buddy(&running, today, Some("buddy_id")).unwrap_err();
    assert_eq!(by_field.code(), "validation_failed");
    let by_path = check_buddy(&running, today, None).unwrap_err();
    assert_eq!(by_path.code(), "buddy_not_eligible");
    assert!(check_buddy(&[period(day(1, 1), day(5, 1), None)], today, None).is_ok());
}

#[test]
fn a_newcomer_is_in_a_trajectory_today() {
    let today = day(6, 1);
    assert!(check_newcomer(&[period(day(6, 1), day(12, 31), None)], today).is_ok());
    let over = check_newcomer(&[period(day(1, 1), day(5, 31), None)], today).unwrap_err();
    assert_eq!(over.code(), "trajectory_inactive");
    let later = check_newcomer(&[period(day(6, 2), day(12, 31), None)], today).unwrap_err();
    assert_eq!(later.code(), "trajectory_inactive");
}

#[test]
fn one_buddy_each_and_a_few_newcomers_per_buddy() {
    assert!(check_room(false, 0).is_ok());
    assert!(check_room(false, MAX_PER_BUDDY - 1).is_ok());
    assert_eq!(check_room(false, MAX_PER_BUDDY).unwrap_err().code(), "buddy_full");
    assert_eq!(check_room(true, 0).unwrap_err().code(), "buddy_exists");
}

#[test]
fn a_pairing_is_over_when_the_newcomer_is_in_no_trajectory_and_none_ahead() {
    let today = day(6, 1);
    let paired = day(3, 1);
    // In one today (its last day), or starting one later: not over.
    assert_eq!(over_on(&[period(day(1, 1), day(6, 1), None)], paired, today), None);
    let ahead = [
        period(day(1, 1), day(4, 30), None),
        period(day(7, 1), day(12, 31), None),
    ];
    assert_eq!(over_on(&ahead, paired, today), None);
    // Ran out, or ended early: over on its last day.
    let ran_out = [period(day(1, 1), day(5, 31), None)];
    assert_eq!(over_on(&ran_out, paired, today), Some(day(5, 31)));
    let ended = [period(day(1, 1), day(12, 31), Some(day(4, 15)))];
    assert_eq!(over_on(&ended, paired, today), Some(day(4, 15)));
    // Never before the pairing began.
    assert_eq!(over_on(&ended, day(5, 1), today), Some(day(5, 1)));
    assert_eq!(over_on(&[], paired, today), Some(paired));
}
