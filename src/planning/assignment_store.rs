//! Assignments and their members in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::{assignment_members, assignments, jobs, work_logs};
use crate::hours::store as hours;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = assignments)]
pub struct AssignmentRow {
    pub id: i64,
    pub job_id: i64,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub ends_at: NaiveDateTime,
    /// Kept as is by the auto-planner.
    pub pinned: bool,
    pub created_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConn,
    job_id: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
    pinned: bool,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<AssignmentRow> {
    diesel::insert_into(assignments::table)
        .values((
            assignments::job_id.eq(job_id),
            assignments::starts_at.eq(start),
            assignments::ends_at.eq(end),
            assignments::pinned.eq(pinned),
            assignments::created_by.eq(by),
            assignments::created_at.eq(now),
        ))
        .returning(assignments::all_columns)
        .get_result(conn)
}

pub fn set_members(conn: &mut DbConn, a: &AssignmentRow, participant_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(assignment_members::table.filter(assignment_members::assignment_id.eq(a.id))).execute(conn)?;
    for p in participant_ids {
        diesel::insert_into(assignment_members::table)
            .values((
                assignment_members::assignment_id.eq(a.id),
                assignment_members::participant_id.eq(p),
                assignment_members::starts_at.eq(a.starts_at),
                assignment_members::ends_at.eq(a.ends_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn update_span(
    conn: &mut DbConn,
    id: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
    pinned: bool,
) -> QueryResult<AssignmentRow> {
    diesel::update(assignments::table.find(id))
        .set((
            assignments::starts_at.eq(start),
            assignments::ends_at.eq(end),
            assignments::pinned.eq(pinned),
        ))
        .returning(assignments::all_columns)
        .get_result(conn)
}

/// Frees the crew of a job that will not be done (cancelled): they can go elsewhere then,
/// and neither their schedules nor the board show it. The assignment itself stays, as the
/// record of when the job was planned, with the hours logged on it. Returns who was freed
/// and the UTC start and end of the work they were planned on.
pub fn release_crew(conn: &mut DbConn, job_id: i64) -> QueryResult<Vec<(i64, NaiveDateTime, NaiveDateTime)>> {
    let freed = crew_of_job(conn, job_id)?;
    let ids: Vec<i64> = assignments::table
        .filter(assignments::job_id.eq(job_id))
        .select(assignments::id)
        .load(conn)?;
    diesel::delete(assignment_members::table.filter(assignment_members::assignment_id.eq_any(ids))).execute(conn)?;
    Ok(freed)
}

/// Who is planned on the job, with the UTC start and end of their work.
pub fn crew_of_job(conn: &mut DbConn, job_id: i64) -> QueryResult<Vec<(i64, NaiveDateTime, NaiveDateTime)>> {
    assignment_members::table
        .inner_join(assignments::table)
        .filter(assignments::job_id.eq(job_id))
        .select((
            assignment_members::participant_id,
            assignment_members::starts_at,
            assignment_members::ends_at,
        ))
        .load(conn)
}

/// How many jobs not done yet (scheduled or in progress) the participant is planned on.
pub fn planned_work_of(conn: &mut DbConn, participant_id: i64) -> QueryResult<i64> {
    use crate::jobs::lifecycle::JobStatus;
    assignment_members::table
        .inner_join(assignments::table.inner_join(jobs::table))
        .filter(assignment_members::participant_id.eq(participant_id))
        .filter(jobs::status.eq_any([JobStatus::Scheduled.as_str(), JobStatus::InProgress.as_str()]))
        .count()
        .get_result(conn)
}

/// The participant's work not started yet (the job is scheduled) that starts on the local
/// days `first` to `last`, earliest first.
pub fn scheduled_for(
    conn: &mut DbConn,
    participant_id: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<AssignmentRow>> {
    use crate::jobs::lifecycle::JobStatus;
    let from = crate::clock::local_midnight_utc(first);
    let to = crate::clock::local_midnight_utc(last.succ_opt().unwrap_or(last));
    assignment_members::table
        .inner_join(assignments::table.inner_join(jobs::table))
        .filter(assignment_members::participant_id.eq(participant_id))
        .filter(assignments::starts_at.ge(from))
        .filter(assignments::starts_at.lt(to))
        .filter(jobs::status.eq(JobStatus::Scheduled.as_str()))
        .order(assignments::starts_at)
        .select(AssignmentRow::as_select())
        .load(conn)
}

/// Everyone's work not started yet (the job is scheduled) that starts on the local days
/// `first` to `last`, earliest first.
pub fn scheduled_on(conn: &mut DbConn, first: NaiveDate, last: NaiveDate) -> QueryResult<Vec<AssignmentRow>> {
    use crate::jobs::lifecycle::JobStatus;
    let from = crate::clock::local_midnight_utc(first);
    let to = crate::clock::local_midnight_utc(last.succ_opt().unwrap_or(last));
    assignments::table
        .inner_join(jobs::table)
        .filter(assignments::starts_at.ge(from))
        .filter(assignments::starts_at.lt(to))
        .filter(jobs::status.eq(JobStatus::Scheduled.as_str()))
        .order((assignments::starts_at, assignments::id))
        .select(AssignmentRow::as_select())
        .load(conn)
}

/// How many logs that count (pending or approved) are on the assignment.
pub fn live_logs(conn: &mut DbConn, id: i64) -> QueryResult<i64> {
    work_logs::table
        .filter(work_logs::assignment_id.eq(id))
        .filter(work_logs::status.eq_any([hours::PENDING, hours::APPROVED]))
        .count()
        .get_result(conn)
}

/// Deletes the assignment. Logs that no longer count (rejected, superseded) stay with
/// the job, without it; logs that count keep an assignment (see [`live_logs`]).
pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::update(work_logs::table.filter(work_logs::assignment_id.eq(id)))
        .set(work_logs::assignment_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(assignment_members::table.filter(assignment_members::assignment_id.eq(id))).execute(conn)?;
    diesel::delete(assignments::table.find(id)).execute(conn).map(|_| ())
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<AssignmentRow>> {
    assignments::table
        .find(id)
        .select(AssignmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn members(conn: &mut DbConn, assignment_id: i64) -> QueryResult<Vec<i64>> {
    assignment_members::table
        .filter(assignment_members::assignment_id.eq(assignment_id))
        .order(assignment_members::participant_id)
        .select(assignment_members::participant_id)
        .load(conn)
}

/// Member spans of the participants between two instants (UTC), except one assignment:
/// (participant, assignment, start, end).
pub fn spans_of(
    conn: &mut DbConn,
    ids: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
    except_assignment: Option<i64>,
) -> QueryResult<Vec<(i64, i64, NaiveDateTime, NaiveDateTime)>> {
    let rows: Vec<(i64, i64, NaiveDateTime, NaiveDateTime)> = assignment_members::table
        .filter(assignment_members::participant_id.eq_any(ids))
        .filter(assignment_members::starts_at.lt(to))
        // Without a lower bound on the start the index range runs back over all past work.
        .filter(assignment_members::starts_at.gt(from - super::rules::LONGEST_ASSIGNMENT))
        .filter(assignment_members::ends_at.gt(from))
        .select((
            assignment_members::participant_id,
            assignment_members::assignment_id,
            assignment_members::starts_at,
            assignment_members::ends_at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().filter(|r| Some(r.1) != except_assignment).collect())
}

/// The participants who have worked for a resident before.
pub fn previous_participants(conn: &mut DbConn, recipient_id: i64, before: NaiveDateTime) -> QueryResult<Vec<i64>> {
    assignment_members::table
        .inner_join(assignments::table.inner_join(jobs::table))
        .filter(jobs::recipient_id.eq(recipient_id))
        .filter(assignments::ends_at.lt(before))
        .select(assignment_members::participant_id)
        .distinct()
        .load(conn)
}

/// Assignments starting in `[from, to)` (UTC), with their members.
pub fn between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(AssignmentRow, Vec<i64>)>> {
    let rows: Vec<AssignmentRow> = assignments::table
        .filter(assignments::starts_at.ge(from))
        .filter(assignments::starts_at.lt(to))
        .order(assignments::starts_at)
        .select(AssignmentRow::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let pairs: Vec<(i64, i64)> = assignment_members::table
        .filter(assignment_members::assignment_id.eq_any(&ids))
        .select((assignment_members::assignment_id, assignment_members::participant_id))
        .load(conn)?;
    let mut members: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (assignment, participant) in pairs {
        members.entry(assignment).or_default().push(participant);
    }
    Ok(rows
        .into_iter()
        .map(|a| {
            let m = members.remove(&a.id).unwrap_or_default();
            (a, m)
        })
        .collect())
}

/// A participant's assignments from `from` (UTC) on.
pub fn of_participant(
    conn: &mut DbConn,
    participant_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<AssignmentRow>> {
    assignments::table
        .inner_join(assignment_members::table)
        .filter(assignment_members::participant_id.eq(participant_id))
        .filter(assignments::starts_at.ge(from))
        .filter(assignments::starts_at.lt(to))
        .order(assignments::starts_at)
        .select(AssignmentRow::as_select())
        .load(conn)
}
