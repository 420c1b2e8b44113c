//! The auto-planner (pure): places waitlisted jobs into participants' free time for a
//! period, honouring every hard rule, and returns a proposal — it never applies anything.
//!
//! Method: greedy with best-fit, the standard heuristic for weighted interval packing.
//! Jobs are taken in order of weight (waiting time, priority residents first), larger
//! jobs first among equals. For each job the planner walks the days in order; on a day
//! it tries the start of every dagdeel and the end of every assignment already planned
//! that day (so work packs back to back), and for each start it forms the best crew: the
//! best-scoring participant who is cleared alone, then the best others who may go with
//! them, checking every rule ([`super::rules::check_crew`]). The best crew on the earliest
//! day wins; its members' time and weekly hours are booked before the next job. A repair pass
//! then tries, for each job left over, to take the place of a smaller and lighter one that
//! can move elsewhere, and then to trade a placed job for leftover ones worth more. When
//! jobs are left over, the same is run packing tightly (earliest
//! start, then best fit) and the plan serving the most weighted minutes is kept. Existing
//! assignments, pinned or not, are never moved, and nothing starts before a given moment
//! (now plus the planning lead, so residents and crews hear in time): time gone by is not
//! free.
//!
//! Its quality is measured in `benches/planning.rs` against an upper bound (the most job
//! minutes that fit the crews' free capacity), and its speed on a week of 300
//! participants and 2,000 waitlisted jobs.

use chrono::{Duration, DurationRound, NaiveDate, NaiveDateTime};

use super::rules::{JobFacts, ParticipantFacts, Slot};
use crate::jobs::model::Dagdeel;

#[derive(Debug, Clone)]
pub struct PlanJob {
    pub facts: JobFacts,
    pub minutes: i64,
    /// Higher goes first: days waited, plus a bonus for priority residents.
    pub weight: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub job_id: i64,
    pub crew: Vec<i64>,
    pub slot: Slot,
    pub score: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub lines: Vec<Line>,
    pub served_minutes: i64,
    pub unplaced: Vec<i64>,
}

mod board;
mod bound;

use board::Board;
pub use board::participant_ok;
pub use bound::upper_bound;

pub(crate) const DAGDELEN: [Dagdeel; 3] = [Dagdeel::Morning, Dagdeel::Afternoon, Dagdeel::Evening];

/// How many placed jobs the second repair may try to trade, at most.
const MAX_REPAIRS: usize = 200;

/// How many placement searches the repairs may make in all: they pay off on small,
/// tight weeks and must not turn a large shortage into a long wait.
const REPAIR_BUDGET: usize = 3_000;

/// The weighted minutes a plan serves: what the planner maximises.
fn value(plan: &Plan, jobs: &[PlanJob]) -> i64 {
    plan.lines
        .iter()
        .filter_map(|l| jobs.iter().find(|j| j.facts.id == l.job_id))
        .map(|j| (1 + j.weight.max(0)) * j.minutes)
        .sum()
}

/// How a job's place is chosen among the feasible ones of its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// The best-scoring crew at any start that day (continuity, fairness, …).
    BestScore,
    /// The earliest start that has a crew, best score among those: packs work tightly.
    EarliestStart,
    /// The crew whose lead has the least free time left that day afterwards (best fit).
    Tightest,
}

/// The first start the planner may give work at `now` (local): the next quarter hour, so a
/// proposal made at 10:07 sends nobody out before 10:15.
pub fn earliest_start(now: NaiveDateTime) -> NaiveDateTime {
    now.duration_trunc(Duration::minutes(15))
        .map_or(now, |t| if t < now { t + Duration::minutes(15) } else { t })
}

/// Plans `jobs` into `days`, no work starting before `not_before` (local).
pub fn plan(people: Vec<ParticipantFacts>, jobs: &[PlanJob], days: &[NaiveDate], not_before: NaiveDateTime) -> Plan {
    let mut order: Vec<&PlanJob> = jobs.iter().collect();
    order.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then(b.minutes.cmp(&a.minutes))
            .then(a.facts.id.cmp(&b.facts.id))
    });
    let first = place_in_order(people.clone(), &order, days, not_before, Fit::BestScore);
    if first.unplaced.is_empty() {
        return first;
    }
    // Not everything fits: also pack tightly (each job at the earliest start that has a
    // crew) and keep whichever plan serves more weighted minutes.
    let mut best = first;
    for fit in [Fit::EarliestStart, Fit::Tightest] {
        if best.unplaced.is_empty() {
            break;
        }
        let other = place_in_order(people.clone(), &order, days, not_before, fit);
        if value(&other, jobs) > value(&best, jobs) {
            best = other;
        }
    }
    best
}

fn place_in_order(
    people: Vec<ParticipantFacts>,
    order: &[&PlanJob],
    days: &[NaiveDate],
    not_before: NaiveDateTime,
    fit: Fit,
) -> Plan {
    let mut board = Board::new(people, days, not_before);
    let mut placed: Vec<(&PlanJob, Slot, Vec<usize>, i64)> = Vec::new();
    let mut unplaced: Vec<&PlanJob> = Vec::new();
    for job in order.iter().copied() {
        match board.find(job, fit) {
            Some((slot, crew, total)) => {
                board.book(&slot, &crew);
                placed.push((job, slot, crew, total));
            }
            None => unplaced.push(job),
        }
    }
    // Repair: an unplaced job may fit where a smaller, lighter one sits, if that one can
    // go elsewhere. Try each such swap once; keep it only when both end up placed.
    let mut still_unplaced = Vec::new();
    let mut budget = REPAIR_BUDGET;
    for job in unplaced {
        let mut done = false;
        for k in 0..placed.len() {
            if budget < 2 {
                break;
            }
            let (other, slot, crew, total) = placed[k].clone();
            if other.minutes >= job.minutes || other.weight > job.weight {
                continue;
            }
            board.unbook(&slot, &crew);
            budget -= 2;
            if let Some((s1, c1, t1)) = board.find(job, fit) {
                board.book(&s1, &c1);
                if let Some((s2, c2, t2)) = board.find(other, fit) {
                    board.book(&s2, &c2);
                    placed[k] = (other, s2, c2, t2);
                    placed.push((job, s1, c1, t1));
                    done = true;
                    break;
                }
                board.unbook(&s1, &c1);
            }
            board.book(&slot, &crew);
            placed[k] = (other, slot, crew, total);
        }
        if !done {
            still_unplaced.push(job);
        }
    }
    // Second repair: give up one placed job when the space it frees takes leftover jobs
    // worth more weighted minutes (e.g. 120 + 90 in place of 180). Bounded, as it only
    // matters when capacity is short.
    let worth = |j: &PlanJob| (1 + j.weight.max(0)) * j.minutes;
    let mut k = placed.len();
    let mut attempts = 0;
    while k > 0 && !still_unplaced.is_empty() && attempts < MAX_REPAIRS && budget > still_unplaced.len() {
        budget -= still_unplaced.len();
        k -= 1;
        attempts += 1;
        let (other, slot, crew, total) = placed[k].clone();
        board.unbook(&slot, &crew);
        let mut taken: Vec<(usize, Slot, Vec<usize>, i64)> = Vec::new();
        for (u, job) in still_unplaced.iter().enumerate() {
            if let Some((s1, c1, t1)) = board.find(job, fit) {
                board.book(&s1, &c1);
                taken.push((u, s1, c1, t1));
            }
        }
        let gained: i64 = taken.iter().map(|(u, ..)| worth(still_unplaced[*u])).sum();
        if gained > worth(other) {
            placed.remove(k);
            let mut freed = vec![other];
            for (u, s1, c1, t1) in taken.iter().rev() {
                placed.push((still_unplaced[*u], *s1, c1.clone(), *t1));
            }
            let taken_ids: Vec<usize> = taken.iter().map(|(u, ..)| *u).collect();
            freed.extend(
                still_unplaced
                    .iter()
                    .enumerate()
                    .filter(|(u, _)| !taken_ids.contains(u))
                    .map(|(_, j)| *j),
            );
            still_unplaced = freed;
            k = placed.len();
        } else {
            for (_, s1, c1, _) in &taken {
                board.unbook(s1, c1);
            }
            board.book(&slot, &crew);
            placed[k] = (other, slot, crew, total);
        }
    }
    let mut result = Plan::default();
    for (job, slot, crew, total) in placed {
        result.served_minutes += job.minutes;
        result.lines.push(Line {
            job_id: job.facts.id,
            crew: crew.iter().map(|i| board.people[*i].id).collect(),
            slot,
            score: total,
        });
    }
    result.unplaced = still_unplaced.iter().map(|j| j.facts.id).collect();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participants::clearance::Clearance;
    use crate::participants::ramp_up::Step;
    use crate::planning::rules;
    use crate::planning::rules::tests::{day, dienst, participant};
    use proptest::prelude::*;

    fn job(id: i64, minutes: i64, weight: i64) -> PlanJob {
        PlanJob {
            facts: JobFacts { id, ..dienst() },
            minutes,
            weight,
        }
    }

    /// The start of the first day: the whole period lies ahead.
    fn dawn(days: &[NaiveDate]) -> NaiveDateTime {
        days[0].and_hms_opt(0, 0, 0).unwrap()
    }

    fn at(date: &str, hour: u32, minute: u32, second: u32) -> NaiveDateTime {
        day(date).and_hms_opt(hour, minute, second).unwrap()
    }

    #[test]
    fn the_earliest_start_is_the_next_quarter_hour() {
        assert_eq!(earliest_start(at("2026-11-02", 10, 7, 0)), at("2026-11-02", 10, 15, 0));
        assert_eq!(earliest_start(at("2026-11-02", 10, 15, 0)), at("2026-11-02", 10, 15, 0));
        assert_eq!(earliest_start(at("2026-11-02", 10, 15, 1)), at("2026-11-02", 10, 30, 0));
        assert_eq!(earliest_start(at("2026-11-02", 23, 50, 0)), at("2026-11-03", 0, 0, 0));
    }

    #[test]
    fn nothing_is_planned_in_time_gone_by() {
        let people = vec![participant(1, Clearance::SoloDienst)];
        let days = [day("2026-11-02"), day("2026-11-03")];
        // At 10:15 the morning is partly gone: the hour-long job starts then, not at 08:00.
        let placed = plan(people.clone(), &[job(10, 60, 1)], &days, at("2026-11-02", 10, 15, 0));
        assert_eq!(placed.lines.len(), 1);
        assert_eq!(placed.lines[0].slot.local_start, at("2026-11-02", 10, 15, 0));
        // In the evening the Monday is over (the participant works until 17:30): Tuesday.
        let placed = plan(people.clone(), &[job(10, 60, 1)], &days, at("2026-11-02", 18, 0, 0));
        assert_eq!(placed.lines[0].slot.local_start, at("2026-11-03", 8, 0, 0));
        // Work that no longer fits in what is left of the day waits for the next.
        let placed = plan(people, &[job(10, 240, 1)], &days, at("2026-11-02", 14, 0, 0));
        assert_eq!(placed.lines[0].slot.local_start.date(), day("2026-11-03"));
    }

    #[test]
    fn places_jobs_without_breaking_a_rule_and_heaviest_first() {
        let people = vec![participant(1, Clearance::SoloDienst), participant(2, Clearance::New)];
        let jobs = vec![job(10, 240, 1), job(11, 240, 5), job(12, 240, 3)];
        let days = [day("2026-11-02")];
        let plan = plan(people.clone(), &jobs, &days, dawn(&days));
        // Participant 1 is the only one cleared for a solo dienst; weekdays 08:00-17:30
        // hold two four-hour jobs.
        assert_eq!(plan.lines.iter().map(|l| l.job_id).collect::<Vec<_>>(), [11, 12]);
        assert_eq!(plan.unplaced, [10]);
        for line in &plan.lines {
            let crew: Vec<&ParticipantFacts> = people.iter().filter(|p| line.crew.contains(&p.id)).collect();
            assert!(rules::check_crew(&crew, &jobs[0].facts, &line.slot).is_empty());
        }
        assert_eq!(plan.served_minutes, 480);
        assert!(plan.served_minutes <= upper_bound(&people, &jobs, &days));
    }

    #[test]
    fn a_ramp_up_plan_holds_the_planner_and_the_bound_to_its_hours() {
        let mut paced = participant(1, Clearance::SoloDienst);
        paced.ramp_up.push(Step {
            week_start: day("2026-11-02"),
            minutes_per_week: 5 * 60,
        });
        let jobs = vec![job(10, 240, 1), job(11, 240, 1)];
        let days = [day("2026-11-02"), day("2026-11-03")];
        let plan = plan(vec![paced.clone()], &jobs, &days, dawn(&days));
        assert_eq!(plan.lines.len(), 1, "five hours hold one four-hour job");
        assert_eq!(upper_bound(&[paced], &jobs, &days), 240);
    }

    proptest! {
        /// The planner's fast check agrees with the full rule check.
        #[test]
        fn fast_check_agrees_with_the_rules(
            hour in 6u32..22, minutes in 15i64..400, weekday in 0i64..7,
            skill in any::<bool>(), absent in any::<bool>(), busy_hour in 6u32..22, planned in 0i64..2400,
            closed in any::<bool>(), ramp_up in proptest::option::of(1i64..40),
        ) {
            let mut p = participant(1, Clearance::SoloDienst);
            let date = day("2026-11-02") + chrono::Duration::days(weekday);
            let local = date.and_hms_opt(hour, 0, 0).unwrap();
            let slot = Slot::from_local(local, local + chrono::Duration::minutes(minutes));
            if absent { p.absences.push((date, date)); }
            if closed { p.closed_days.push(date); }
            let busy = Slot::from_local(date.and_hms_opt(busy_hour, 0, 0).unwrap(), date.and_hms_opt(busy_hour, 30, 0).unwrap());
            p.busy.push((busy.utc_start, busy.utc_end));
            p.planned_minutes.insert(slot.week(), planned);
            if let Some(hours) = ramp_up {
                p.ramp_up.push(Step { week_start: day("2026-11-02"), minutes_per_week: hours * 60 });
            }
            let mut j = dienst();
            if skill { j.required_skill = Some("koken".into()); }
            prop_assert_eq!(participant_ok(&p, &j, &slot), rules::check_participant(&p, &j, &slot).is_empty());
        }
    }
}
