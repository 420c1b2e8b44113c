//! The hard rules of planning (pure). A crew may be sent to a job at a time only when
//! every member is in an active trajectory that day, has the required skill, is available
//! and not absent, is not busy elsewhere, stays within their contracted weekly hours (or
//! the fewer of their ramp-up plan); the crew is large enough, holds the clearance the
//! job needs (going alone to people's homes only with a VOG that still counts, where one
//! is asked for), has no do-not-pair pair; and work around the home lasts at most five
//! hours.
//! Nobody is sent out on a day the servicepunt is closed.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

pub use super::slot::{LONGEST_ASSIGNMENT, Slot, dagdeel_bounds, dagdelen_of};
use crate::jobs::model::Dagdeel;
use crate::participants::clearance::Clearance;
use crate::participants::ramp_up::{self, Step};
use crate::participants::vog;

/// What planning needs to know about a participant for the days being planned.
#[derive(Debug, Clone, Default)]
pub struct ParticipantFacts {
    pub id: i64,
    pub first_name: String,
    pub clearance: Option<Clearance>,
    /// Where a VOG is asked for (`vog_months` > 0), the last day the participant's counts
    /// (`NaiveDate::MIN` without one): after it they go alone to klussen at most, not to
    /// diensten at people's homes. `None` where no VOG is asked for.
    pub vog_counts_until: Option<NaiveDate>,
    pub skills: HashSet<String>,
    pub languages: HashSet<String>,
    pub interests: HashSet<String>,
    pub aversions: HashSet<String>,
    pub wijk: Option<String>,
    pub postcode_area: Option<String>,
    pub contracted_minutes: i64,
    /// The participant's ramp-up plan, in order of its weeks (empty without one).
    pub ramp_up: Vec<Step>,
    /// (weekday 0 = Monday, dagdeel)
    pub availability: HashSet<(u32, Dagdeel)>,
    pub absences: Vec<(NaiveDate, NaiveDate)>,
    /// Active trajectory periods (first and last day).
    pub trajectories: Vec<(NaiveDate, NaiveDate)>,
    /// Existing assignments, UTC.
    pub busy: Vec<(NaiveDateTime, NaiveDateTime)>,
    /// Planned minutes per (ISO year, ISO week).
    pub planned_minutes: HashMap<(i32, u32), i64>,
    pub do_not_pair: HashSet<i64>,
    /// Days the servicepunt is closed, the same for everyone (`closed_days`).
    pub closed_days: Vec<NaiveDate>,
}

impl ParticipantFacts {
    /// The clearance the participant works with on `day`: their own, or at most
    /// `solo_klus` once the VOG that going alone to people's homes needs has stopped
    /// counting (the profile keeps its clearance for when a new one is recorded).
    pub fn clearance_on(&self, day: NaiveDate) -> Option<Clearance> {
        match self.vog_counts_until {
            Some(until) if day > until => self
                .clearance
                .map(|c| if vog::needs_vog(c) { Clearance::SoloKlus } else { c }),
            _ => self.clearance,
        }
    }

    /// The minutes that may be planned in ISO week `week`: the contracted minutes, or
    /// fewer under a ramp-up plan.
    pub fn week_minutes(&self, week: (i32, u32)) -> i64 {
        match ramp_up::monday_of_iso_week(week) {
            Some(monday) => ramp_up::week_minutes(self.contracted_minutes, &self.ramp_up, monday),
            None => self.contracted_minutes,
        }
    }
}

/// What planning needs to know about the job.
#[derive(Debug, Clone, Default)]
pub struct JobFacts {
    pub id: i64,
    pub is_dienst: bool,
    pub needs_solo_clearance: bool,
    pub required_skill: Option<String>,
    pub around_home: bool,
    pub min_crew: usize,
    pub limit_minutes: i64,
    pub category: String,
    pub language: String,
    pub wijk: Option<String>,
    pub postcode_area: String,
    pub previous_participants: HashSet<i64>,
    pub preferred_participants: HashSet<i64>,
}

/// A broken rule, with the participant it is about when it is about one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Violation {
    /// `trajectory_inactive`, `missing_skill`, `clearance`, `unavailable`, `absent`,
    /// `participant_busy`, `weekly_hours_exceeded`, `do_not_pair`, `crew_too_small`,
    /// `vog_expired` (beside `clearance`: who would be cleared but for their VOG),
    /// `five_hour_rule`, `outside_working_hours`, `service_point_closed`.
    pub code: &'static str,
    pub participant_id: Option<i64>,
    pub message: String,
}

fn v(code: &'static str, participant: Option<i64>, message: impl Into<String>) -> Violation {
    Violation {
        code,
        participant_id: participant,
        message: message.into(),
    }
}

/// The rules about one participant on their own (everything except crew composition).
pub fn check_participant(p: &ParticipantFacts, job: &JobFacts, slot: &Slot) -> Vec<Violation> {
    let mut out = Vec::new();
    let day = slot.local_start.date();
    let who = Some(p.id);
    if p.closed_days.contains(&day) {
        out.push(v(
            "service_point_closed",
            None,
            format!("the servicepunt is closed on {day}"),
        ));
    }
    if !p.trajectories.iter().any(|(from, to)| *from <= day && day <= *to) {
        out.push(v(
            "trajectory_inactive",
            who,
            format!("{} has no active trajectory on {day}", p.first_name),
        ));
    }
    if let Some(skill) = &job.required_skill
        && !p.skills.contains(skill)
    {
        out.push(v(
            "missing_skill",
            who,
            format!("{} lacks the skill {skill}", p.first_name),
        ));
    }
    match dagdelen_of(slot.local_start, slot.local_end) {
        None => out.push(v(
            "outside_working_hours",
            who,
            "work is planned between 08:00 and 21:30 on one day",
        )),
        Some(parts) => {
            let weekday = day.weekday().num_days_from_monday();
            if parts.iter().any(|d| !p.availability.contains(&(weekday, *d))) {
                out.push(v(
                    "unavailable",
                    who,
                    format!("{} does not work at that time of the week", p.first_name),
                ));
            }
        }
    }
    if p.absences.iter().any(|(from, to)| *from <= day && day <= *to) {
        out.push(v("absent", who, format!("{} is absent on {day}", p.first_name)));
    }
    if p.busy.iter().any(|(s, e)| *s < slot.utc_end && slot.utc_start < *e) {
        out.push(v(
            "participant_busy",
            who,
            format!("{} is already planned then", p.first_name),
        ));
    }
    let planned = p.planned_minutes.get(&slot.week()).copied().unwrap_or(0);
    let allowed = p.week_minutes(slot.week());
    if planned + slot.minutes() > allowed {
        let of = if allowed < p.contracted_minutes {
            "minutes their ramp-up plan allows"
        } else {
            "contracted minutes"
        };
        out.push(v(
            "weekly_hours_exceeded",
            who,
            format!(
                "{} would work {} of {allowed} {of} that week",
                p.first_name,
                planned + slot.minutes(),
            ),
        ));
    }
    out
}

/// Whether the participant may do this job on `day` without a colleague of higher
/// clearance.
pub fn cleared_alone(p: &ParticipantFacts, job: &JobFacts, day: NaiveDate) -> bool {
    p.clearance_on(day)
        .is_some_and(|c| c >= Clearance::needed(job.is_dienst, job.needs_solo_clearance))
}

/// Every rule for sending `crew` to the job at `slot`.
pub fn check_crew(crew: &[&ParticipantFacts], job: &JobFacts, slot: &Slot) -> Vec<Violation> {
    let mut out: Vec<Violation> = crew.iter().flat_map(|p| check_participant(p, job, slot)).collect();
    // A closed day is told once for the crew, not once per member.
    let mut told = false;
    out.retain(|v| v.code != "service_point_closed" || !std::mem::replace(&mut told, true));
    if crew.len() < job.min_crew.max(1) {
        out.push(v(
            "crew_too_small",
            None,
            format!("this work needs at least {} people", job.min_crew.max(1)),
        ));
    }
    let day = slot.local_start.date();
    if !crew.is_empty() && !crew.iter().any(|p| cleared_alone(p, job, day)) {
        let needed = Clearance::needed(job.is_dienst, job.needs_solo_clearance);
        out.push(v(
            "clearance",
            None,
            format!("someone in the crew must have clearance {} or higher", needed.as_str()),
        ));
        for p in crew.iter().filter(|p| p.clearance.is_some_and(|c| c >= needed)) {
            out.push(v(
                "vog_expired",
                Some(p.id),
                format!(
                    "{} goes alone to people's homes again once a new VOG is recorded",
                    p.first_name
                ),
            ));
        }
    }
    for (i, a) in crew.iter().enumerate() {
        for b in &crew[i + 1..] {
            if a.do_not_pair.contains(&b.id) || b.do_not_pair.contains(&a.id) {
                out.push(v(
                    "do_not_pair",
                    Some(a.id),
                    format!("{} and {} are not sent together", a.first_name, b.first_name),
                ));
            }
        }
    }
    if job.around_home && slot.minutes() > job.limit_minutes {
        out.push(v(
            "five_hour_rule",
            None,
            format!("work around the home lasts at most {} minutes", job.limit_minutes),
        ));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
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
}
