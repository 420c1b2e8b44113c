//! Who counts as a regular resident, and which visit is the one to introduce a successor.

use super::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Work of participant 7 with a resident, at 9:00 UTC on a date.
fn work(resident_id: i64, date: &str, planned: bool) -> Work {
    let starts_at = day(date).and_hms_opt(9, 0, 0).unwrap();
    Work {
        participant_id: 7,
        resident_id,
        visit: Visit {
            assignment_id: starts_at.and_utc().timestamp() + resident_id,
            job_id: resident_id * 100,
            service: "Gezelschap".into(),
            starts_at,
            ends_at: starts_at + chrono::Duration::hours(2),
        },
        planned,
    }
}

fn leaving(last_day: &str) -> Vec<Leaving> {
    vec![Leaving {
        participant_id: 7,
        first_name: "Priya".into(),
        last_day: day(last_day),
    }]
}

fn names(ids: &[i64]) -> HashMap<i64, String> {
    ids.iter().map(|id| (*id, format!("Resident {id}"))).collect()
}

/// What is known: this work, these wishes, these residents (not erased), nobody staying.
fn known(work: &[Work], wishes: &HashSet<(i64, i64)>, residents: HashMap<i64, String>) -> Known {
    Known {
        work: work.to_vec(),
        wishes: wishes.clone(),
        residents,
        ..Known::default()
    }
}

#[test]
fn the_last_day_is_the_latest_end() {
    let periods = [
        (day("2025-01-01"), day("2025-12-31")),
        (day("2026-01-01"), day("2026-06-30")),
    ];
    assert_eq!(last_day(periods), Some(day("2026-06-30")));
    assert_eq!(last_day([]), None);
}

#[test]
fn one_visit_is_not_regular_two_are() {
    let work = [
        work(1, "2026-03-02", false),
        work(2, "2026-03-02", false),
        work(2, "2026-03-09", false),
    ];
    let out = build(leaving("2026-04-30"), &known(&work, &HashSet::new(), names(&[1, 2])));
    let ids: Vec<i64> = out[0].residents.iter().map(|r| r.resident_id).collect();
    assert_eq!(ids, [2]);
    assert_eq!(out[0].residents[0].recent_visits, 2);
    assert_eq!(out[0].residents[0].next_visit, None);
}

#[test]
fn the_next_visit_is_the_first_planned_one_up_to_the_last_day() {
    let work = [
        work(3, "2026-03-02", false),
        work(3, "2026-04-27", true),
        work(3, "2026-04-20", true),
        work(3, "2026-05-04", true),
    ];
    let out = build(leaving("2026-04-30"), &known(&work, &HashSet::new(), names(&[3])));
    let r = &out[0].residents[0];
    assert_eq!(r.recent_visits, 1);
    assert_eq!(r.next_visit.as_ref().unwrap().starts_at.date(), day("2026-04-20"));
    let after: Vec<NaiveDate> = r.after_last_day.iter().map(|v| v.starts_at.date()).collect();
    assert_eq!(after, [day("2026-05-04")]);
}

#[test]
fn work_on_the_last_day_itself_is_before_it_ends() {
    // 23:30 UTC on 29 April is 01:30 on 30 April in Amsterdam (summer time): still the
    // last day. 22:30 UTC on 30 April is 00:30 on 1 May: after it.
    let mut on_last_day = work(4, "2026-04-29", true);
    on_last_day.visit.starts_at = day("2026-04-29").and_hms_opt(23, 30, 0).unwrap();
    let mut after = work(4, "2026-04-30", true);
    after.visit.starts_at = day("2026-04-30").and_hms_opt(22, 30, 0).unwrap();
    let out = build(
        leaving("2026-04-30"),
        &known(&[after, on_last_day], &HashSet::new(), names(&[4])),
    );
    let r = &out[0].residents[0];
    assert_eq!(r.next_visit.as_ref().unwrap().starts_at.date(), day("2026-04-29"));
    assert_eq!(r.after_last_day.len(), 1);
}

#[test]
fn a_wish_or_planned_work_after_the_last_day_makes_a_resident_regular() {
    let wishes: HashSet<(i64, i64)> = [(5, 7), (5, 8)].into();
    let work = [work(6, "2026-05-11", true)];
    let out = build(leaving("2026-04-30"), &known(&work, &wishes, names(&[5, 6])));
    let r: Vec<(i64, bool, usize)> = out[0]
        .residents
        .iter()
        .map(|r| (r.resident_id, r.asked_for, r.after_last_day.len()))
        .collect();
    assert_eq!(r, [(5, true, 0), (6, false, 1)]);
}

#[test]
fn erased_residents_and_other_participants_work_are_left_out() {
    let mut other = work(9, "2026-03-02", false);
    other.participant_id = 8;
    let work = [
        work(1, "2026-03-02", false),
        work(1, "2026-03-09", false),
        other.clone(),
        other,
    ];
    let out = build(leaving("2026-04-30"), &known(&work, &HashSet::new(), names(&[9])));
    assert!(out[0].residents.is_empty());
}

#[test]
fn asked_for_first_then_by_visits_and_earliest_last_day_first() {
    let wishes: HashSet<(i64, i64)> = [(3, 7)].into();
    let work = [
        work(1, "2026-03-02", false),
        work(1, "2026-03-09", false),
        work(2, "2026-03-02", false),
        work(2, "2026-03-09", false),
        work(2, "2026-03-16", false),
    ];
    let mut people = leaving("2026-04-30");
    people.insert(
        0,
        Leaving {
            participant_id: 8,
            first_name: "Sem".into(),
            last_day: day("2026-05-31"),
        },
    );
    let out = build(people, &known(&work, &wishes, names(&[1, 2, 3])));
    assert_eq!(out.iter().map(|h| h.participant_id).collect::<Vec<_>>(), [7, 8]);
    let order: Vec<i64> = out[0].residents.iter().map(|r| r.resident_id).collect();
    assert_eq!(order, [3, 2, 1]);
}

#[test]
fn the_helpers_who_stay_and_know_the_resident_are_named() {
    let work = [work(1, "2026-03-02", false), work(1, "2026-03-09", false)];
    let mut known = known(&work, &HashSet::new(), names(&[1, 2]));
    known.staying = [(8, "Karel".to_owned()), (9, "Sem".to_owned())].into();
    // Karel knows resident 1; Sem another resident; 10 leaves too (not staying).
    known.met = [(1, 8), (2, 9), (1, 10)].into();
    let out = build(leaving("2026-04-30"), &known);
    let helpers: Vec<(i64, &str)> = out[0].residents[0]
        .known_helpers
        .iter()
        .map(|h| (h.participant_id, h.first_name.as_str()))
        .collect();
    assert_eq!(helpers, [(8, "Karel")]);
}
