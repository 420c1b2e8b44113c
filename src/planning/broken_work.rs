//! Planned work that breaks a rule now: a sick report, a changed availability, a lowered
//! clearance, fewer contracted hours, an ended trajectory, a do-not-pair note or the
//! servicepunt's closing that day came after it was planned. Listed for the werkleider to re-plan (all of it from today on), and in
//! the answer to a change of a participant's profile (theirs); the board marks the same
//! work, and the afternoon round (`reminders`) mails the werkleiders tomorrow's.

use std::collections::BTreeSet;

use serde::Serialize;
use utoipa::ToSchema;

use super::assignment_store::{self, AssignmentRow};
use super::board::{self, BoardAssignment};
use super::facts;
use super::rules::Slot;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::settings::JobSettings;
use crate::{clock, dates};

/// A participant planned on the work.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedCrewMember {
    pub participant_id: i64,
    pub first_name: String,
}

/// Planned work and the rules it breaks now (`conflicts`, never empty here).
#[derive(Debug, Serialize, ToSchema)]
pub struct BrokenWork {
    #[serde(flatten)]
    pub work: BoardAssignment,
    pub crew: Vec<PlannedCrewMember>,
}

/// The rules that, broken, mean a crew member will not come at all: they are away that
/// day, or no longer in a trajectory. The others (a skill, a clearance, the hours) are
/// for the werkleider to weigh; the work may still go ahead as planned.
const NOT_COMING: [&str; 2] = ["absent", "trajectory_inactive"];

/// Broken, the whole crew stays at home: the servicepunt is closed that day.
const NOBODY_COMES: &str = "service_point_closed";

impl BrokenWork {
    /// The crew members who will not come to this work.
    pub fn not_coming(&self) -> BTreeSet<i64> {
        if self.work.conflicts.iter().any(|c| c.code == NOBODY_COMES) {
            return self.crew.iter().map(|m| m.participant_id).collect();
        }
        self.work
            .conflicts
            .iter()
            .filter(|c| NOT_COMING.contains(&c.code))
            .filter_map(|c| c.participant_id)
            .collect()
    }
}

/// Work planned from today on and not started that breaks a hard rule with today's
/// facts, earliest first.
pub fn all(conn: &mut DbConn, settings: &JobSettings) -> Result<Vec<BrokenWork>, ApiError> {
    let from = clock::local_midnight_utc(clock::today());
    let until = clock::local_midnight_utc(dates::last_day());
    let planned = assignment_store::between(conn, from, until)?;
    check(conn, &planned, settings)
}

/// The same for the work of one participant.
pub fn of_participant(
    conn: &mut DbConn,
    participant_id: i64,
    settings: &JobSettings,
) -> Result<Vec<BrokenWork>, ApiError> {
    let planned = assignment_store::scheduled_for(conn, participant_id, clock::today(), dates::last_day())?;
    let mut with_crews = Vec::with_capacity(planned.len());
    for a in planned {
        let crew = assignment_store::members(conn, a.id)?;
        with_crews.push((a, crew));
    }
    check(conn, &with_crews, settings)
}

/// The work in `planned` (earliest first, with its crews) that breaks a rule now.
pub fn check(
    conn: &mut DbConn,
    planned: &[(AssignmentRow, Vec<i64>)],
    settings: &JobSettings,
) -> Result<Vec<BrokenWork>, ApiError> {
    let (Some((first, _)), Some((last, _))) = (planned.first(), planned.last()) else {
        return Ok(Vec::new());
    };
    let from = Slot::from_utc(first.starts_at, first.ends_at).local_start.date();
    let to = Slot::from_utc(last.starts_at, last.ends_at).local_start.date();
    let everyone: Vec<i64> = planned
        .iter()
        .flat_map(|(_, crew)| crew.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let people = facts::participants(conn, Some(&everyone), from, to, None, settings.vog_months)?;
    let job_ids: Vec<i64> = planned.iter().map(|(a, _)| a.job_id).collect();
    let jobs = facts::board_jobs(conn, &job_ids, settings)?;
    let mut broken = Vec::new();
    for (a, crew) in planned {
        let job = jobs.get(&a.job_id).ok_or(ApiError::NotFound)?;
        let conflicts = board::conflicts(job, crew, &people, &Slot::from_utc(a.starts_at, a.ends_at));
        if conflicts.is_empty() {
            continue;
        }
        let crew = people
            .iter()
            .filter(|p| crew.contains(&p.id))
            .map(|p| PlannedCrewMember {
                participant_id: p.id,
                first_name: p.first_name.clone(),
            })
            .collect();
        broken.push(BrokenWork {
            work: BoardAssignment {
                assignment_id: a.id,
                job_id: a.job_id,
                service: job.service.clone(),
                starts_at: a.starts_at,
                ends_at: a.ends_at,
                conflicts,
            },
            crew,
        });
    }
    Ok(broken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::rules::Violation;

    fn broken(conflicts: &[(&'static str, Option<i64>)]) -> BrokenWork {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap();
        BrokenWork {
            work: BoardAssignment {
                assignment_id: 1,
                job_id: 1,
                service: "Heg".to_owned(),
                starts_at: at,
                ends_at: at,
                conflicts: conflicts
                    .iter()
                    .map(|&(code, participant_id)| Violation {
                        code,
                        participant_id,
                        message: String::new(),
                    })
                    .collect(),
            },
            crew: Vec::new(),
        }
    }

    #[test]
    fn only_an_absence_or_an_ended_trajectory_keeps_a_crew_member_away() {
        let work = broken(&[
            ("absent", Some(1)),
            ("clearance", Some(2)),
            ("trajectory_inactive", Some(3)),
            ("crew_too_small", None),
            ("weekly_hours_exceeded", Some(4)),
        ]);
        assert_eq!(work.not_coming(), BTreeSet::from([1, 3]));
        assert!(broken(&[("missing_skill", Some(5))]).not_coming().is_empty());
    }

    #[test]
    fn on_a_closed_day_the_whole_crew_stays_home() {
        let mut work = broken(&[("service_point_closed", None), ("clearance", Some(2))]);
        work.crew = [1, 2]
            .into_iter()
            .map(|participant_id| PlannedCrewMember {
                participant_id,
                first_name: format!("P{participant_id}"),
            })
            .collect();
        assert_eq!(work.not_coming(), BTreeSet::from([1, 2]));
    }
}
