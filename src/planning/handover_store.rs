//! Loading the handovers: a handful of batched queries, none per participant.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::handover::{self, Handover, Known, Leaving, Visit, Work};
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
    let mut leaving = Vec::new();
    let mut known = Known::default();
    for p in &active {
        match periods.remove(&p.id).and_then(handover::last_day) {
            Some(last_day) if today <= last_day && last_day <= until => leaving.push(Leaving {
                participant_id: p.id,
                first_name: p.first_name(),
                last_day,
            }),
            Some(last_day) if last_day > until => {
                known.staying.insert(p.id, p.first_name());
            }
            _ => {}
        }
    }
    let ids: Vec<i64> = leaving.iter().map(|l| l.participant_id).collect();
    let since = clock::local_midnight_utc(today - Duration::days(handover::RECENT_DAYS));
    let planned_from = clock::local_midnight_utc(today);
    known.work = work_of(conn, Of::Participants(&ids), since, planned_from)?;
    known.wishes = preferred_participants::table
        .filter(preferred_participants::participant_id.eq_any(&ids))
        .select((
            preferred_participants::resident_id,
            preferred_participants::participant_id,
        ))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let resident_ids: Vec<i64> = known
        .work
        .iter()
        .map(|w| w.resident_id)
        .chain(known.wishes.iter().map(|(r, _)| *r))
        .collect();
    known.residents = residents::table
        .filter(residents::id.eq_any(&resident_ids))
        .filter(residents::erased_at.is_null())
        .select((residents::id, residents::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    known.met = work_of(conn, Of::Residents(&resident_ids), since, planned_from)?
        .into_iter()
        .map(|w| (w.resident_id, w.participant_id))
        .collect();
    Ok(handover::build(leaving, &known))
}

/// Whose work to load.
enum Of<'a> {
    Participants(&'a [i64]),
    Residents(&'a [i64]),
}

/// (participant, resident, assignment, job, service version, start, end, job status)
type WorkRow = (i64, i64, i64, i64, i64, NaiveDateTime, NaiveDateTime, String);

/// The work of these participants, or with these residents, from `since` on (UTC) that
/// took place, or is planned from `planned_from` on.
fn work_of(
    conn: &mut DbConn,
    of: Of<'_>,
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
    let mut query = assignment_members::table
        .inner_join(assignments::table.inner_join(jobs::table))
        .filter(assignments::starts_at.ge(since))
        .into_boxed::<crate::db::MultiBackend>();
    query = match of {
        Of::Participants(ids) => query.filter(assignment_members::participant_id.eq_any(ids)),
        Of::Residents(ids) => query.filter(jobs::recipient_id.eq_any(ids)),
    };
    let rows: Vec<WorkRow> = query
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
