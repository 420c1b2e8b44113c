//! Handing regular residents over before a participant leaves (pure). Residents want the
//! same helper for company and household help, and participants move on: their
//! trajectories have hard ends. A resident who hears on the day that someone new comes
//! loses what made the service work for them, so the werkleider sees, weeks ahead, who
//! leaves, whose regular helper they are, and the visit before the last day where a
//! successor can come along to be introduced (by adding them to that crew). Someone who
//! came along once counts as having helped the resident, so the planner then ranks them
//! for continuity too.
//!
//! A resident counts as regular when they asked for the participant again, when the
//! participant was or is planned to be with them at least twice from twelve weeks ago on,
//! or when work with them is planned for the participant after their last day.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use crate::clock;

/// How far back visits count towards being a regular resident: twelve weeks.
pub const RECENT_DAYS: i64 = 84;
/// Visits (done and planned) from `RECENT_DAYS` ago on that make a resident regular.
pub const REGULAR_VISITS: usize = 2;

/// A participant who leaves soon, and the residents they are the regular helper of.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Handover {
    pub participant_id: i64,
    pub first_name: String,
    /// The last day they can be planned: their trajectories end then, with none after.
    pub last_day: NaiveDate,
    /// Asked for first, then by the number of visits. Empty when they are nobody's
    /// regular helper.
    pub residents: Vec<RegularResident>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegularResident {
    pub resident_id: i64,
    pub name: String,
    /// The resident asked for this participant again.
    pub asked_for: bool,
    /// Visits that took place in the last twelve weeks.
    pub recent_visits: usize,
    /// The first visit planned on or before the last day: where a successor can come
    /// along to be introduced. Absent when none is planned.
    pub next_visit: Option<Visit>,
    /// Work with this resident planned for the participant after their last day: it
    /// needs someone else.
    pub after_last_day: Vec<Visit>,
    /// Participants who stay and were or are planned to be with this resident from
    /// twelve weeks ago on: someone the resident knows already. Empty: a successor
    /// still needs introducing.
    pub known_helpers: Vec<Helper>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Helper {
    pub participant_id: i64,
    pub first_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Visit {
    pub assignment_id: i64,
    pub job_id: i64,
    pub service: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub starts_at: NaiveDateTime,
    /// UTC. With the start, what `GET /api/v1/jobs/{id}/suggestions` asks, to find who
    /// could come along.
    #[serde(serialize_with = "crate::clock::utc")]
    pub ends_at: NaiveDateTime,
}

/// A participant's work with a resident, from `RECENT_DAYS` ago on.
#[derive(Debug, Clone)]
pub struct Work {
    pub participant_id: i64,
    pub resident_id: i64,
    pub visit: Visit,
    /// Not begun yet (the job is scheduled); otherwise the visit took place.
    pub planned: bool,
}

/// Someone whose trajectories end within the window, with nothing after.
#[derive(Debug, Clone)]
pub struct Leaving {
    pub participant_id: i64,
    pub first_name: String,
    pub last_day: NaiveDate,
}

/// The last day of a participant's trajectories, given as (first, last) days: the latest
/// end. `None` without any.
pub fn last_day(periods: impl IntoIterator<Item = (NaiveDate, NaiveDate)>) -> Option<NaiveDate> {
    periods.into_iter().map(|(_, end)| end).max()
}

/// What the handovers are built from, besides who leaves.
#[derive(Debug, Default)]
pub struct Known {
    /// The leaving participants' work with residents.
    pub work: Vec<Work>,
    /// The helpers residents asked for again: (resident, participant).
    pub wishes: HashSet<(i64, i64)>,
    /// The residents' names; the erased are missing, and left out.
    pub residents: HashMap<i64, String>,
    /// The participants who stay (can be planned after the window), by id: their first
    /// names.
    pub staying: HashMap<i64, String>,
    /// Whom the participants who stay helped or will help from `RECENT_DAYS` ago on:
    /// (resident, participant).
    pub met: HashSet<(i64, i64)>,
}

/// The handovers for `leaving`, earliest last day first.
pub fn build(mut leaving: Vec<Leaving>, known: &Known) -> Vec<Handover> {
    leaving.sort_by_key(|l| (l.last_day, l.participant_id));
    leaving
        .into_iter()
        .map(|l| {
            let after = clock::local_midnight_utc(l.last_day.succ_opt().unwrap_or(l.last_day));
            let mut per_resident: BTreeMap<i64, Vec<&Work>> = BTreeMap::new();
            for w in known.work.iter().filter(|w| w.participant_id == l.participant_id) {
                per_resident.entry(w.resident_id).or_default().push(w);
            }
            for &(resident, _) in known.wishes.iter().filter(|(_, p)| *p == l.participant_id) {
                per_resident.entry(resident).or_default();
            }
            let mut residents: Vec<RegularResident> = per_resident
                .into_iter()
                .filter_map(|(resident_id, mut works)| {
                    let name = known.residents.get(&resident_id)?.clone();
                    works.sort_by_key(|w| w.visit.starts_at);
                    let planned = || works.iter().filter(|w| w.planned);
                    let mut known_helpers: Vec<Helper> = known
                        .met
                        .iter()
                        .filter(|(r, _)| *r == resident_id)
                        .filter_map(|(_, p)| {
                            let first_name = known.staying.get(p)?.clone();
                            Some(Helper {
                                participant_id: *p,
                                first_name,
                            })
                        })
                        .collect();
                    known_helpers.sort_by_key(|h| h.participant_id);
                    let resident = RegularResident {
                        resident_id,
                        name,
                        asked_for: known.wishes.contains(&(resident_id, l.participant_id)),
                        recent_visits: works.iter().filter(|w| !w.planned).count(),
                        next_visit: planned().find(|w| w.visit.starts_at < after).map(|w| w.visit.clone()),
                        after_last_day: planned()
                            .filter(|w| w.visit.starts_at >= after)
                            .map(|w| w.visit.clone())
                            .collect(),
                        known_helpers,
                    };
                    let regular =
                        resident.asked_for || works.len() >= REGULAR_VISITS || !resident.after_last_day.is_empty();
                    regular.then_some(resident)
                })
                .collect();
            residents.sort_by_key(|r| (!r.asked_for, std::cmp::Reverse(r.recent_visits), r.resident_id));
            Handover {
                participant_id: l.participant_id,
                first_name: l.first_name,
                last_day: l.last_day,
                residents,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
