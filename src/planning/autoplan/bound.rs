//! An upper bound for judging the planner (used by the benchmark and tests).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use super::{DAGDELEN, PlanJob};
use crate::planning::rules::{self, ParticipantFacts};

/// An upper bound on the job minutes any plan can serve: the largest total of job minutes
/// that fits the participants' free capacity (the hours their contract or ramp-up plan
/// allows in the days' weeks, and their available dagdelen), ignoring when exactly each
/// job happens. Used to judge the planner's quality.
pub fn upper_bound(people: &[ParticipantFacts], jobs: &[PlanJob], days: &[NaiveDate]) -> i64 {
    let capacity: i64 = people
        .iter()
        .map(|p| {
            let available: i64 = days
                .iter()
                .filter(|d| !p.absences.iter().any(|(f, t)| f <= *d && *d <= t))
                .filter(|d| p.trajectories.iter().any(|(f, t)| f <= *d && *d <= t))
                .map(|d| {
                    let wd = d.weekday().num_days_from_monday();
                    DAGDELEN
                        .iter()
                        .filter(|dd| p.availability.contains(&(wd, **dd)))
                        .map(|dd| {
                            let (s, e) = rules::dagdeel_bounds(*dd);
                            (e - s).num_minutes()
                        })
                        .sum::<i64>()
                })
                .sum();
            let weeks: BTreeSet<(i32, u32)> = days
                .iter()
                .map(|d| (d.iso_week().year(), d.iso_week().week()))
                .collect();
            available.min(weeks.iter().map(|w| p.week_minutes(*w)).sum())
        })
        .sum();
    // Subset sum over 15-minute units: the most job minutes not above the capacity.
    let unit = 15;
    let cap = usize::try_from(capacity / unit).unwrap_or(0);
    let mut reachable = vec![false; cap + 1];
    reachable[0] = true;
    for job in jobs {
        let w =
            usize::try_from(job.minutes * i64::try_from(job.facts.min_crew.max(1)).unwrap_or(1) / unit).unwrap_or(0);
        for c in (w..=cap).rev() {
            if reachable[c - w] {
                reachable[c] = true;
            }
        }
    }
    let best_units = reachable.iter().rposition(|r| *r).unwrap_or(0);
    // Served minutes count a job once, whatever its crew size.
    let mut left = i64::try_from(best_units).unwrap_or(0) * unit;
    let mut served = 0;
    let mut by_size: Vec<&PlanJob> = jobs.iter().collect();
    by_size.sort_by_key(|j| i64::try_from(j.facts.min_crew.max(1)).unwrap_or(1));
    for job in by_size {
        let cost = job.minutes * i64::try_from(job.facts.min_crew.max(1)).unwrap_or(1);
        if cost <= left {
            left -= cost;
            served += job.minutes;
        }
    }
    served.max(0)
}
