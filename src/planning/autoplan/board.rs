//! The planner's working state and the checks of its inner loop.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use super::{DAGDELEN, Fit, PlanJob};
use crate::planning::rules::{self, JobFacts, ParticipantFacts, Slot};
use crate::planning::score;

/// Fast version of [`rules::check_participant`] for the planner's inner loop: the same
/// rules, no messages. A property test keeps the two in agreement.
pub fn participant_ok(p: &ParticipantFacts, job: &JobFacts, slot: &Slot) -> bool {
    let day = slot.local_start.date();
    if p.closed_days.contains(&day) {
        return false;
    }
    if !p.trajectories.iter().any(|(from, to)| *from <= day && day <= *to) {
        return false;
    }
    if job.required_skill.as_ref().is_some_and(|s| !p.skills.contains(s)) {
        return false;
    }
    let Some(parts) = rules::dagdelen_of(slot.local_start, slot.local_end) else {
        return false;
    };
    let weekday = day.weekday().num_days_from_monday();
    if parts.iter().any(|d| !p.availability.contains(&(weekday, *d))) {
        return false;
    }
    if p.absences.iter().any(|(from, to)| *from <= day && day <= *to) {
        return false;
    }
    if p.busy.iter().any(|(s, e)| *s < slot.utc_end && slot.utc_start < *e) {
        return false;
    }
    p.planned_minutes.get(&slot.week()).copied().unwrap_or(0) + slot.minutes() <= p.week_minutes(slot.week())
}

/// The start times worth trying on `day`: the dagdeel starts and the ends of work planned
/// that day, none before `not_before` (local); that moment itself when it falls on the day.
pub(super) fn starts_for(day: NaiveDate, people: &[ParticipantFacts], not_before: NaiveDateTime) -> Vec<NaiveDateTime> {
    let mut starts: BTreeSet<NaiveDateTime> = DAGDELEN
        .iter()
        .map(|d| day.and_time(rules::dagdeel_bounds(*d).0))
        .collect();
    if not_before.date() == day {
        starts.insert(not_before);
    }
    for p in people {
        for (_, end) in &p.busy {
            let local_end = Slot::from_utc(*end, *end).local_start;
            if local_end.date() == day && local_end.time() < NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default() {
                starts.insert(local_end);
            }
        }
    }
    starts.into_iter().filter(|s| *s >= not_before).collect()
}

/// The best crew for the job at the slot among `eligible` (indices into `people`).
pub(super) fn best_crew(
    people: &[ParticipantFacts],
    eligible: &[usize],
    job: &JobFacts,
    slot: &Slot,
) -> Option<(Vec<usize>, i64)> {
    let size = job.min_crew.max(1);
    let week = slot.week();
    let mut scored: Vec<(i64, usize)> = eligible
        .iter()
        .map(|&i| (score::score(&people[i], job, week).total, i))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(people[a.1].id.cmp(&people[b.1].id)));
    let lead = scored
        .iter()
        .find(|(_, i)| rules::cleared_alone(&people[*i], job, slot.local_start.date()))?;
    let mut crew = vec![lead.1];
    let mut total = lead.0;
    for (s, i) in &scored {
        if crew.len() == size {
            break;
        }
        if crew.contains(i)
            || crew.iter().any(|c| {
                people[*c].do_not_pair.contains(&people[*i].id) || people[*i].do_not_pair.contains(&people[*c].id)
            })
        {
            continue;
        }
        crew.push(*i);
        total += s;
    }
    if crew.len() < size {
        return None;
    }
    let members: Vec<&ParticipantFacts> = crew.iter().map(|i| &people[*i]).collect();
    rules::check_crew(&members, job, slot)
        .is_empty()
        .then_some((crew, total))
}

/// Minutes the participant still has free on the local day of `slot`, after it.
pub(super) fn free_after(p: &ParticipantFacts, slot: &Slot) -> i64 {
    let day = slot.local_start.date();
    let weekday = day.weekday().num_days_from_monday();
    let available: i64 = DAGDELEN
        .iter()
        .filter(|d| p.availability.contains(&(weekday, **d)))
        .map(|d| {
            let (s, e) = rules::dagdeel_bounds(*d);
            (e - s).num_minutes()
        })
        .sum();
    let busy: i64 = p
        .busy
        .iter()
        .filter(|(s, _)| Slot::from_utc(*s, *s).local_start.date() == day)
        .map(|(s, e)| (*e - *s).num_minutes())
        .sum();
    available - busy - slot.minutes()
}

/// The planner's working state: participants with their bookings so far, and per day the
/// start times worth trying (dagdeel starts and the ends of bookings that day, none gone by).
pub(super) struct Board<'a> {
    pub(super) people: Vec<ParticipantFacts>,
    days: &'a [NaiveDate],
    starts: Vec<BTreeSet<NaiveDateTime>>,
    /// Per day, the participants in a trajectory and not absent that day.
    present: Vec<Vec<usize>>,
}

impl<'a> Board<'a> {
    pub(super) fn new(people: Vec<ParticipantFacts>, days: &'a [NaiveDate], not_before: NaiveDateTime) -> Self {
        let starts = days
            .iter()
            .map(|d| starts_for(*d, &people, not_before).into_iter().collect())
            .collect();
        let present = days
            .iter()
            .map(|d| {
                (0..people.len())
                    .filter(|&i| {
                        let p = &people[i];
                        p.trajectories.iter().any(|(f, t)| f <= d && d <= t)
                            && !p.absences.iter().any(|(f, t)| f <= d && d <= t)
                    })
                    .collect()
            })
            .collect();
        Board {
            people,
            days,
            starts,
            present,
        }
    }

    /// The best place for the job, by `fit`, on the earliest day that has one.
    pub(super) fn find(&self, job: &PlanJob, fit: Fit) -> Option<(Slot, Vec<usize>, i64)> {
        let skilled = |i: &usize| {
            job.facts
                .required_skill
                .as_ref()
                .is_none_or(|s| self.people[*i].skills.contains(s))
        };
        let mut chosen: Option<(Slot, Vec<usize>, i64)> = None;
        for (d, _) in self.days.iter().enumerate() {
            let candidates: Vec<usize> = self.present[d].iter().copied().filter(skilled).collect();
            if candidates.len() < job.facts.min_crew.max(1) {
                continue;
            }
            for start in &self.starts[d] {
                let slot = Slot::from_local(*start, *start + chrono::Duration::minutes(job.minutes));
                let eligible: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&i| participant_ok(&self.people[i], &job.facts, &slot))
                    .collect();
                if eligible.len() < job.facts.min_crew.max(1) {
                    continue;
                }
                if let Some((crew, total)) = best_crew(&self.people, &eligible, &job.facts, &slot) {
                    let better = match (&chosen, fit) {
                        (None, _) => true,
                        (Some(c), Fit::Tightest) => {
                            let mine = free_after(&self.people[crew[0]], &slot);
                            let theirs = free_after(&self.people[c.1[0]], &c.0);
                            mine < theirs || (mine == theirs && total > c.2)
                        }
                        (Some(c), _) => total > c.2,
                    };
                    if better {
                        chosen = Some((slot, crew, total));
                    }
                }
                if fit == Fit::EarliestStart && chosen.is_some() {
                    break;
                }
            }
            if chosen.is_some() {
                break;
            }
        }
        chosen
    }

    pub(super) fn book(&mut self, slot: &Slot, crew: &[usize]) {
        for &i in crew {
            self.people[i].busy.push((slot.utc_start, slot.utc_end));
            *self.people[i].planned_minutes.entry(slot.week()).or_insert(0) += slot.minutes();
        }
        if let Some(d) = self.days.iter().position(|d| *d == slot.local_end.date()) {
            self.starts[d].insert(slot.local_end);
        }
    }

    pub(super) fn unbook(&mut self, slot: &Slot, crew: &[usize]) {
        for &i in crew {
            let p = &mut self.people[i];
            if let Some(k) = p.busy.iter().position(|b| *b == (slot.utc_start, slot.utc_end)) {
                p.busy.remove(k);
            }
            *p.planned_minutes.entry(slot.week()).or_insert(0) -= slot.minutes();
        }
        // A start left behind is harmless: it is only a candidate to try.
    }
}
