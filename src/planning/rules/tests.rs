//! The hard rules, case by case; the builders here serve the other planning tests too.

use super::*;

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A local slot on a date, with UTC one hour earlier (winter).
pub fn slot(date: &str, from: (u32, u32), to: (u32, u32)) -> Slot {
    let d = day(date);
    let local_start = d.and_hms_opt(from.0, from.1, 0).unwrap();
    let local_end = d.and_hms_opt(to.0, to.1, 0).unwrap();
    let hour = chrono::Duration::hours(1);
    Slot {
        local_start,
        local_end,
        utc_start: local_start - hour,
        utc_end: local_end - hour,
    }
}

pub fn participant(id: i64, clearance: Clearance) -> ParticipantFacts {
    ParticipantFacts {
        id,
        first_name: format!("P{id}"),
        clearance: Some(clearance),
        skills: ["tuinieren".to_owned()].into(),
        languages: ["nl".to_owned()].into(),
        contracted_minutes: 32 * 60,
        availability: (0..5)
            .flat_map(|wd| [(wd, Dagdeel::Morning), (wd, Dagdeel::Afternoon)])
            .collect(),
        trajectories: vec![(day("2026-01-01"), day("2026-12-31"))],
        ..ParticipantFacts::default()
    }
}

pub fn dienst() -> JobFacts {
    JobFacts {
        id: 1,
        is_dienst: true,
        needs_solo_clearance: true,
        min_crew: 1,
        limit_minutes: 300,
        language: "nl".into(),
        postcode_area: "6711".into(),
        ..JobFacts::default()
    }
}

fn codes(vs: &[Violation]) -> Vec<&'static str> {
    vs.iter().map(|v| v.code).collect()
}

// Monday 2 November 2026.
const MONDAY: &str = "2026-11-02";

#[test]
fn a_new_participant_goes_to_a_dienst_only_with_an_onboarder() {
    let new = participant(1, Clearance::New);
    let onboarder = participant(2, Clearance::Onboarder);
    let s = slot(MONDAY, (9, 0), (11, 0));
    assert_eq!(codes(&check_crew(&[&new], &dienst(), &s)), ["clearance"]);
    assert!(check_crew(&[&new, &onboarder], &dienst(), &s).is_empty());
    let klus_only = participant(3, Clearance::SoloKlus);
    assert_eq!(codes(&check_crew(&[&new, &klus_only], &dienst(), &s)), ["clearance"]);
}

#[test]
fn going_alone_to_homes_stops_the_day_after_the_vog_stops_counting() {
    let mut p = participant(1, Clearance::SoloDienst);
    p.vog_counts_until = Some(day("2026-11-01"));
    let (sunday, monday) = (day("2026-11-01"), day(MONDAY));
    assert_eq!(p.clearance_on(sunday), Some(Clearance::SoloDienst));
    assert_eq!(p.clearance_on(monday), Some(Clearance::SoloKlus));
    let s = slot(MONDAY, (9, 0), (11, 0));
    let broken = check_crew(&[&p], &dienst(), &s);
    assert_eq!(codes(&broken), ["clearance", "vog_expired"]);
    assert_eq!(broken[1].participant_id, Some(1));
    // Klussen alone still; a dienst with a colleague whose VOG counts.
    let klus = JobFacts {
        is_dienst: false,
        ..dienst()
    };
    assert!(check_crew(&[&p], &klus, &s).is_empty());
    let mut colleague = participant(2, Clearance::Onboarder);
    colleague.vog_counts_until = Some(day("2029-01-01"));
    assert!(check_crew(&[&p, &colleague], &dienst(), &s).is_empty());
    // Without a VOG at all; and where none is asked for, the clearance is all.
    p.vog_counts_until = Some(NaiveDate::MIN);
    assert_eq!(p.clearance_on(sunday), Some(Clearance::SoloKlus));
    p.vog_counts_until = None;
    assert!(check_crew(&[&p], &dienst(), &s).is_empty());
    // Someone not cleared anyway is not told it is their VOG.
    let mut new = participant(3, Clearance::New);
    new.vog_counts_until = Some(NaiveDate::MIN);
    assert_eq!(codes(&check_crew(&[&new], &dienst(), &s)), ["clearance"]);
    assert_eq!(new.clearance_on(monday), Some(Clearance::New));
}

#[test]
fn an_ended_trajectory_excludes() {
    let mut p = participant(1, Clearance::SoloDienst);
    p.trajectories = vec![(day("2026-01-01"), day("2026-11-01"))];
    assert_eq!(
        codes(&check_participant(&p, &dienst(), &slot(MONDAY, (9, 0), (10, 0)))),
        ["trajectory_inactive"]
    );
}

#[test]
fn availability_absence_busy_and_hours() {
    let mut p = participant(1, Clearance::SoloDienst);
    let evening = slot(MONDAY, (18, 0), (19, 0));
    assert_eq!(codes(&check_participant(&p, &dienst(), &evening)), ["unavailable"]);
    assert_eq!(
        codes(&check_participant(&p, &dienst(), &slot(MONDAY, (7, 0), (9, 0)))),
        ["outside_working_hours"]
    );
    p.absences.push((day(MONDAY), day(MONDAY)));
    p.busy.push((
        slot(MONDAY, (10, 0), (12, 0)).utc_start,
        slot(MONDAY, (10, 0), (12, 0)).utc_end,
    ));
    p.planned_minutes
        .insert(slot(MONDAY, (9, 0), (11, 0)).week(), 32 * 60 - 60);
    assert_eq!(
        codes(&check_participant(&p, &dienst(), &slot(MONDAY, (9, 0), (11, 0)))),
        ["absent", "participant_busy", "weekly_hours_exceeded"]
    );
    // Back to back is not overlap.
    p.absences.clear();
    p.planned_minutes.clear();
    assert!(check_participant(&p, &dienst(), &slot(MONDAY, (8, 0), (10, 0))).is_empty());
}

#[test]
fn a_ramp_up_plan_holds_the_week_below_the_contract() {
    let mut p = participant(1, Clearance::SoloDienst);
    let monday_morning = slot(MONDAY, (9, 0), (11, 0));
    p.planned_minutes.insert(monday_morning.week(), 7 * 60);
    assert!(check_participant(&p, &dienst(), &monday_morning).is_empty());
    // Eight hours a week from this week on: seven planned and two more is too much.
    p.ramp_up = vec![Step {
        week_start: day(MONDAY),
        minutes_per_week: 8 * 60,
    }];
    let broken = check_participant(&p, &dienst(), &monday_morning);
    assert_eq!(codes(&broken), ["weekly_hours_exceeded"]);
    assert_eq!(
        broken[0].message,
        "P1 would work 540 of 480 minutes their ramp-up plan allows that week"
    );
    // The week before the plan goes by the contract.
    let week_before = slot("2026-10-26", (9, 0), (11, 0));
    p.planned_minutes.insert(week_before.week(), 7 * 60);
    assert!(check_participant(&p, &dienst(), &week_before).is_empty());
}

#[test]
fn nobody_goes_out_on_a_closed_day_and_the_crew_is_told_once() {
    let mut a = participant(1, Clearance::Onboarder);
    let mut b = participant(2, Clearance::SoloKlus);
    a.closed_days = vec![day(MONDAY)];
    b.closed_days = vec![day(MONDAY)];
    let s = slot(MONDAY, (9, 0), (11, 0));
    assert_eq!(codes(&check_participant(&a, &dienst(), &s)), ["service_point_closed"]);
    let found = check_crew(&[&a, &b], &dienst(), &s);
    assert_eq!(codes(&found), ["service_point_closed"]);
    assert_eq!(found[0].participant_id, None);
    assert!(check_crew(&[&a, &b], &dienst(), &slot("2026-11-03", (9, 0), (11, 0))).is_empty());
}

#[test]
fn crew_size_pairs_skill_and_five_hours() {
    let mut a = participant(1, Clearance::Onboarder);
    let b = participant(2, Clearance::SoloKlus);
    a.do_not_pair.insert(2);
    let mut job = dienst();
    job.min_crew = 2;
    job.required_skill = Some("koken".into());
    job.around_home = true;
    let long = slot(MONDAY, (8, 0), (13, 1));
    let found = codes(&check_crew(&[&a, &b], &job, &long));
    assert_eq!(
        found,
        ["missing_skill", "missing_skill", "do_not_pair", "five_hour_rule"]
    );
    assert_eq!(
        codes(&check_crew(&[&a], &job, &slot(MONDAY, (9, 0), (10, 0)))),
        ["missing_skill", "crew_too_small"]
    );
}
