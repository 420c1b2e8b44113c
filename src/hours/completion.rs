//! From work done to work confirmed: the werkleider marks a job performed once its hours
//! are decided; the resident confirms or disputes within the window, or it is confirmed
//! for them when the window passes (the timer survives restarts: the deadline is stored).

use chrono::NaiveDateTime;
use serde_json::json;

use super::rules;
use super::store::{self, APPROVED, PENDING};
use crate::cheques::wallet;
use crate::db::DbConn;
use crate::db::schema::jobs as jobs_table;
use crate::error::ApiError;
use crate::jobs::lifecycle::{Action, JobStatus};
use crate::jobs::model::JobRow;
use crate::jobs::settings::JobSettings;
use crate::jobs::{messages, store as jobs, transition};
use crate::notify::Template;
use diesel::prelude::*;

fn set_billing(conn: &mut DbConn, id: i64, billable: Option<i64>, due: Option<NaiveDateTime>) -> QueryResult<()> {
    diesel::update(jobs_table::table.find(id))
        .set((
            jobs_table::billable_minutes.eq(billable),
            jobs_table::confirm_due_at.eq(due),
        ))
        .execute(conn)
        .map(|_| ())
}

fn billable_now(conn: &mut DbConn, job: &JobRow, settings: &JobSettings) -> Result<i64, ApiError> {
    let logs = store::live_on_job(conn, job.id, None)?;
    if logs.iter().any(|l| l.status == PENDING) {
        return Err(ApiError::conflict(
            "hours_pending",
            "approve or reject every log of this job first",
        ));
    }
    let approved: Vec<_> = logs.iter().filter(|l| l.status == APPROVED).collect();
    if approved.is_empty() {
        return Err(ApiError::validation("job", "no_hours", "no approved hours on this job"));
    }
    let service = crate::catalogue::store::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let worked = if service.bill_per_person {
        approved.iter().map(|l| l.minutes).sum()
    } else {
        let spans: Vec<_> = approved.iter().map(|l| (l.started_at, l.ended_at)).collect();
        rules::job_span(&spans)
    };
    Ok(rules::billable(worked, settings.billing_unit_minutes))
}

/// Marks the job performed with its billable minutes and asks the resident to confirm.
pub fn performed(
    conn: &mut DbConn,
    job: &JobRow,
    actor: i64,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<JobRow, ApiError> {
    if job.status() != JobStatus::InProgress {
        return Err(transition::invalid(job.status(), Action::Perform));
    }
    let billable = billable_now(conn, job, settings)?;
    transition::apply(conn, job, Action::Perform, Some(actor), None, now)?;
    let due = now + settings.confirm_window;
    set_billing(conn, job.id, Some(billable), Some(due))?;
    let job = jobs::find(conn, job.id)?.ok_or(ApiError::NotFound)?;
    messages::send(
        conn,
        &job,
        Template::JobConfirmRequest,
        json!({"hours": format!("{}:{:02}", billable / 60, billable % 60), "window_hours": settings.confirm_window.num_hours()}),
    )?;
    Ok(job)
}

/// Confirms performed work and pays it. The recipient's wallet is locked before the job
/// (as a sale and the window timer do), so a confirmation and the timer confirming the
/// same resident's jobs never wait for each other in a circle.
pub fn confirm(
    conn: &mut DbConn,
    job: &JobRow,
    actor: Option<i64>,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<JobRow, ApiError> {
    wallet::lock(conn, job.recipient_id)?;
    transition::apply(conn, job, Action::Confirm, actor, reason, now)?;
    set_billing(conn, job.id, job.billable_minutes, None)?;
    pay(conn, job.id, actor, now)
}

/// Pays a confirmed job with cheques in the same transaction: it settles, or, without
/// enough cheques, waits confirmed with an amount due.
fn pay(conn: &mut DbConn, job_id: i64, actor: Option<i64>, now: NaiveDateTime) -> Result<JobRow, ApiError> {
    let job = jobs::find(conn, job_id)?.ok_or(ApiError::NotFound)?;
    crate::cheques::redeem::settle(conn, &job, actor, crate::clock::local_date(now.and_utc()), now)?;
    jobs::find(conn, job_id)?.ok_or(ApiError::NotFound)
}

pub fn dispute(
    conn: &mut DbConn,
    job: &JobRow,
    actor: i64,
    reason: &str,
    now: NaiveDateTime,
) -> Result<JobRow, ApiError> {
    transition::apply(conn, job, Action::Dispute, Some(actor), Some(reason), now)?;
    set_billing(conn, job.id, job.billable_minutes, None)?;
    jobs::find(conn, job.id)?.ok_or(ApiError::NotFound)
}

/// The werkleider settles a dispute, after correcting the hours if the resident was
/// right; the billable minutes follow the approved hours as they now are.
pub fn resolve(
    conn: &mut DbConn,
    job: &JobRow,
    actor: i64,
    note: &str,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<JobRow, ApiError> {
    if job.status() != JobStatus::Disputed {
        return Err(transition::invalid(job.status(), Action::Confirm));
    }
    let billable = billable_now(conn, job, settings)?;
    wallet::lock(conn, job.recipient_id)?;
    transition::apply(conn, job, Action::Confirm, Some(actor), Some(note), now)?;
    set_billing(conn, job.id, Some(billable), None)?;
    pay(conn, job.id, Some(actor), now)
}

/// Confirms every performed job whose window has passed. Returns how many.
pub fn auto_confirm(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, ApiError> {
    let due: Vec<i64> = jobs_table::table
        .filter(jobs_table::status.eq(JobStatus::Performed.as_str()))
        .filter(jobs_table::confirm_due_at.le(now))
        .select(jobs_table::id)
        .load(conn)?;
    let mut n = 0;
    for id in due {
        if let Some(job) = jobs::find(conn, id)? {
            confirm(
                conn,
                &job,
                None,
                Some("confirmed automatically: no answer within the window"),
                now,
            )?;
            n += 1;
        }
    }
    Ok(n)
}
