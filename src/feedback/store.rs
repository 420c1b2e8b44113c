//! Feedback rows in the database.

use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;

use super::model::{FeedbackKind, FeedbackRow, NewFeedback};
use crate::db::schema::{job_feedback, work_logs};
use crate::db::{DbConn, MultiBackend};
use crate::hours::store::APPROVED;
use crate::pagination::PageQuery;

pub fn insert(conn: &mut DbConn, new: &NewFeedback<'_>) -> QueryResult<FeedbackRow> {
    diesel::insert_into(job_feedback::table).values(new).execute(conn)?;
    job_feedback::table
        .filter(job_feedback::job_id.eq(new.job_id))
        .filter(job_feedback::kind.eq(new.kind))
        .select(FeedbackRow::as_select())
        .first(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<FeedbackRow>> {
    job_feedback::table
        .find(id)
        .select(FeedbackRow::as_select())
        .first(conn)
        .optional()
}

/// The job's feedback of `kind`, if any (there is at most one).
pub fn of_job_kind(conn: &mut DbConn, job_id: i64, kind: FeedbackKind) -> QueryResult<Option<FeedbackRow>> {
    job_feedback::table
        .filter(job_feedback::job_id.eq(job_id))
        .filter(job_feedback::kind.eq(kind.as_str()))
        .select(FeedbackRow::as_select())
        .first(conn)
        .optional()
}

/// All feedback on the job, compliment first.
pub fn of_job(conn: &mut DbConn, job_id: i64) -> QueryResult<Vec<FeedbackRow>> {
    job_feedback::table
        .filter(job_feedback::job_id.eq(job_id))
        .order(job_feedback::kind.desc())
        .select(FeedbackRow::as_select())
        .load(conn)
}

/// What the werkleiders' list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub kind: Option<FeedbackKind>,
    /// `Some(true)`: complaints not handled yet; `Some(false)`: complaints handled.
    pub open: Option<bool>,
}

fn filtered(filter: Filter) -> job_feedback::BoxedQuery<'static, MultiBackend> {
    let mut q = job_feedback::table.into_boxed::<MultiBackend>();
    if let Some(kind) = filter.kind {
        q = q.filter(job_feedback::kind.eq(kind.as_str()));
    }
    match filter.open {
        Some(true) => {
            q = q
                .filter(job_feedback::kind.eq(FeedbackKind::Complaint.as_str()))
                .filter(job_feedback::handled_at.is_null())
        }
        Some(false) => q = q.filter(job_feedback::handled_at.is_not_null()),
        None => {}
    }
    q
}

/// A page of feedback, newest first, and how many match in all.
pub fn list(conn: &mut DbConn, filter: Filter, page: &PageQuery) -> QueryResult<(Vec<FeedbackRow>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows = filtered(filter)
        .order(job_feedback::id.desc())
        .limit(page.limit())
        .offset(page.offset())
        .select(FeedbackRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Marks a complaint handled; false when it was handled already.
pub fn mark_handled(
    conn: &mut DbConn,
    id: i64,
    by: i64,
    note: &str,
    reply: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(job_feedback::table.find(id).filter(job_feedback::handled_at.is_null()))
        .set((
            job_feedback::handled_at.eq(Some(now)),
            job_feedback::handled_by.eq(Some(by)),
            job_feedback::handled_note.eq(Some(note)),
            job_feedback::handled_reply.eq(reply),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// The participants with approved hours on the job, by id.
pub fn crew(conn: &mut DbConn, job_id: i64) -> QueryResult<Vec<i64>> {
    work_logs::table
        .filter(work_logs::job_id.eq(job_id))
        .filter(work_logs::status.eq(APPROVED))
        .select(work_logs::participant_id)
        .distinct()
        .order(work_logs::participant_id)
        .load(conn)
}

/// The compliments on jobs the participant has approved hours on, newest first.
pub fn compliments_for(conn: &mut DbConn, participant_id: i64) -> QueryResult<Vec<FeedbackRow>> {
    let worked = work_logs::table
        .filter(work_logs::participant_id.eq(participant_id))
        .filter(work_logs::status.eq(APPROVED))
        .filter(work_logs::job_id.is_not_null())
        .select(work_logs::job_id.assume_not_null());
    job_feedback::table
        .filter(job_feedback::kind.eq(FeedbackKind::Compliment.as_str()))
        .filter(job_feedback::job_id.eq_any(worked))
        .order(job_feedback::id.desc())
        .select(FeedbackRow::as_select())
        .load(conn)
}

/// Deletes the feedback on these jobs (a resident's erasure, the end of the fiscal period).
pub fn delete_of_jobs(conn: &mut DbConn, job_ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(job_feedback::table.filter(job_feedback::job_id.eq_any(job_ids))).execute(conn)
}

/// Deletes feedback given more than `months` before `now`; returns how many.
pub fn remove_older_than(conn: &mut DbConn, now: NaiveDateTime, months: u32) -> QueryResult<usize> {
    let Some(before) = now.checked_sub_months(Months::new(months)) else {
        return Ok(0);
    };
    diesel::delete(job_feedback::table.filter(job_feedback::created_at.lt(before))).execute(conn)
}
