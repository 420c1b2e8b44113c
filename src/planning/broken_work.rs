//! The planned work of one participant that breaks a rule now, for the answer to a change
//! of their profile: the werkleider learns at once what to re-plan, without looking for
//! it on the board (which marks the same work).

use std::collections::BTreeSet;

use super::board::{self, BoardAssignment};
use super::rules::Slot;
use super::{assignment_store, facts};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::settings::JobSettings;
use crate::{clock, dates};

/// Work planned for the participant from today on, not started, that breaks a hard rule
/// with today's facts, earliest first, each with the rules it breaks.
pub fn of_participant(
    conn: &mut DbConn,
    participant_id: i64,
    settings: &JobSettings,
) -> Result<Vec<BoardAssignment>, ApiError> {
    let planned = assignment_store::scheduled_for(conn, participant_id, clock::today(), dates::last_day())?;
    let (Some(first), Some(last)) = (planned.first(), planned.last()) else {
        return Ok(Vec::new());
    };
    let from = Slot::from_utc(first.starts_at, first.ends_at).local_start.date();
    let to = Slot::from_utc(last.starts_at, last.ends_at).local_start.date();
    let mut crews = Vec::with_capacity(planned.len());
    for a in &planned {
        crews.push(assignment_store::members(conn, a.id)?);
    }
    let everyone: Vec<i64> = crews
        .iter()
        .flatten()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let people = facts::participants(conn, Some(&everyone), from, to, None)?;
    let job_ids: Vec<i64> = planned.iter().map(|a| a.job_id).collect();
    let jobs = facts::board_jobs(conn, &job_ids, settings)?;
    let mut broken = Vec::new();
    for (a, crew) in planned.into_iter().zip(crews) {
        let job = jobs.get(&a.job_id).ok_or(ApiError::NotFound)?;
        let conflicts = board::conflicts(job, &crew, &people, &Slot::from_utc(a.starts_at, a.ends_at));
        if !conflicts.is_empty() {
            broken.push(BoardAssignment {
                assignment_id: a.id,
                job_id: a.job_id,
                service: job.service.clone(),
                starts_at: a.starts_at,
                ends_at: a.ends_at,
                conflicts,
            });
        }
    }
    Ok(broken)
}
