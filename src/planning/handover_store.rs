//! Loading the handovers: a handful of batched queries, none per participant.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::handover::{self, Handover, Leaving, Visit, Work};
use crate::catalogue::store as catalogue;
use crate::clock;
use crate::db::DbConn;
use crate::db::schema::{assignment_members, assignments, jobs, preferred_participants, residents};
use crate::error::ApiError;
use crate::jobs::lifecycle::JobStatus;
use crate::participants::{store as participants, trajectory_store};

/// Active participants whose trajectories end from `today` to `until`, with nothing
/// after, and the residents they are the regular helper of.
pub fn leaving_between(conn: &mut DbConn, today: NaiveDate, until: NaiveDate) -> Result<Vec<Handover>, ApiError> {
    let active = participants::list(conn, None, Some(true))?;
    let ids: Vec<i64> = active.iter().map(|p| p.id).collect();
    let mut periods: HashMap<i64, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for t in trajectory_store::of_participants(conn, &ids)? {
        let p = t.period();
        periods
            .entry(t.participant_id)
            .or_default()
            .push((p.starts_on, p.effective_end()));
    }
    let leaving: Vec<Leaving> = active
        .iter()
        .filter_map(|p| {
            let last_day = handover::last_day(periods.remove(&p.id)?)?;
            (today <= last_day && last_day <= until).then(|| Leaving {
                participant_id: p.id,
                first_name: p.first_name(),
                last_day,
            })
        })
        .collect();
    let ids: Vec<i64> = leaving.iter().map(|l| l.participant_id).collect();
    let since = clock::local_midnight_utc(today - Duration::days(handover::RECENT_DAYS));
    let work = work_of(conn, &ids, since, clock::local_midnight_utc(today))?;
    let wishes: HashSet<(i64, i64)> = preferred_participants::table
        .filter(preferred_participants::participant_id.eq_any(&ids))
        .select((
            preferred_participants::resident_id,
            preferred_participants::participant_id,
        ))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let resident_ids: Vec<i64> = work
        .iter()
        .map(|w| w.resident_id)
        .chain(wishes.iter().map(|(r, _)| *r))
        .collect();
    let names: HashMap<i64, String> = residents::table
        .filter(residents::id.eq_any(&resident_ids))
        .filter(residents::erased_at.is_null())
        .select((residents::id, residents::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(handover::build(leaving, &work, &wishes, &names))
}

/// (participant, resident, assignment, job, service version, start, end, job status)
type WorkRow = (i64, i64, i64, i64, i64, NaiveDateTime, NaiveDateTime, String);

/// The work of these participants from `since` on (UTC) that took place, or is planned
/// from `planned_from` on.
fn work_of(
    conn: &mut DbConn,
    ids: &[i64],
    since: NaiveDateTime,
    planned_from: NaiveDateTime,
) -> Result<Vec<Work>, ApiError> {
    let took_place = [
        JobStatus::InProgress,
        JobStatus::Performed,
        JobStatus::Confirmed,
        JobStatus::Disputed,
        JobStatus::Settled,
    ]
    .map(JobStatus::as_str);
    let rows: Vec<WorkRow> = assignment_members::table
        .inner_join(assignments::table.inner_join(jobs::table))
        .filter(assignment_members::participant_id.eq_any(ids))
        .filter(assignments::starts_at.ge(since))
        .select((
            assignment_members::participant_id,
            jobs::recipient_id,
            assignments::id,
            jobs::id,
            jobs::service_version_id,
            assignments::starts_at,
            assignments::ends_at,
            jobs::status,
        ))
        .load(conn)?;
    let version_ids: Vec<i64> = rows.iter().map(|r| r.4).collect();
    let services = catalogue::versions(conn, &version_ids)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(participant_id, resident_id, assignment_id, job_id, version, starts_at, ends_at, status)| {
                let planned = status == JobStatus::Scheduled.as_str() && starts_at >= planned_from;
                (planned || took_place.contains(&status.as_str())).then(|| Work {
                    participant_id,
                    resident_id,
                    visit: Visit {
                        assignment_id,
                        job_id,
                        service: services.get(&version).map(|s| s.name_nl.clone()).unwrap_or_default(),
                        starts_at,
                        ends_at,
                    },
                    planned,
                })
            },
        )
        .collect())
}
