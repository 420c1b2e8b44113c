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

/// Whether only their VOG keeps the participant from doing this job on `day` alone: their
/// clearance would do, but the VOG it needs has stopped counting.
pub fn vog_holds_back(p: &ParticipantFacts, job: &JobFacts, day: NaiveDate) -> bool {
    let needed = Clearance::needed(job.is_dienst, job.needs_solo_clearance);
    !cleared_alone(p, job, day) && p.clearance.is_some_and(|c| c >= needed)
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
        for p in crew.iter().filter(|p| vog_holds_back(p, job, day)) {
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
pub(crate) mod tests;
