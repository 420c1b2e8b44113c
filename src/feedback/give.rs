//! Giving feedback on a job, in one transaction: the rules, the row, and the mails.

use chrono::NaiveDateTime;

use super::model::{ComplimentView, CrewMember, FeedbackItem, FeedbackKind, FeedbackRow, FeedbackView, NewFeedback};
use super::{mails, rules, store};
use crate::auth::Role;
use crate::auth::store as users;
use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::domain::Language;
use crate::error::ApiError;
use crate::jobs::model::JobRow;
use crate::participants::store as participants;
use crate::residents::store as residents;

/// What giving feedback came to.
pub struct Given {
    pub feedback: FeedbackRow,
    /// False when the same words had been given before (a retry).
    pub created: bool,
}

/// Records `message` of `kind` on `job` from user `by` and tells whom it concerns.
pub fn give(
    conn: &mut DbConn,
    job: &JobRow,
    kind: FeedbackKind,
    message: &str,
    by: i64,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<Given, ApiError> {
    rules::may_give(job.status())?;
    // Nothing new is recorded for an erased resident; an erasure under way waits for this.
    residents::hold(conn, job.recipient_id)?;
    let resident = residents::find(conn, job.recipient_id)?
        .ok_or(ApiError::NotFound)?
        .still_recordable(None)?;
    // A double tap or a retry racing the first: the later one sees the first and answers
    // with it, instead of failing on the one-per-job rule.
    crate::db::lock(conn, &format!("feedback:{}:{}", job.id, kind.as_str()))?;
    if let Some(earlier) = store::of_job_kind(conn, job.id, kind)? {
        rules::repeat(kind, &earlier.message, message)?;
        return Ok(Given {
            feedback: earlier,
            created: false,
        });
    }
    let feedback = store::insert(
        conn,
        &NewFeedback {
            job_id: job.id,
            kind: kind.as_str(),
            message,
            given_by: by,
            created_at: now,
        },
    )?;
    let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    match kind {
        FeedbackKind::Compliment => {
            mails::compliment(conn, job, &service, &resident.first_name(), message, now)?;
        }
        FeedbackKind::Complaint => {
            mails::complaint(conn, job, &service, public_url, now)?;
        }
    }
    Ok(Given {
        feedback,
        created: true,
    })
}

/// The feedback as `staff` or the resident sees it: the werkleider's note is for staff.
pub fn view(conn: &mut DbConn, row: FeedbackRow, staff: bool) -> Result<FeedbackView, ApiError> {
    let taken_by_staff = users::find_user(conn, row.given_by)?.is_some_and(|u| u.role() != Some(Role::Resident));
    Ok(FeedbackView {
        id: row.id,
        job_id: row.job_id,
        kind: row.kind(),
        message: row.message,
        given_at: row.created_at,
        taken_by_staff,
        handled_at: row.handled_at,
        handled_note: row.handled_note.filter(|_| staff),
        reply: row.handled_reply,
    })
}

/// The feedback as the werkleiders' list shows it.
pub fn item(conn: &mut DbConn, row: FeedbackRow, job: &JobRow) -> Result<FeedbackItem, ApiError> {
    let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let mut crew = Vec::new();
    for id in store::crew(conn, job.id)? {
        if let Some(p) = participants::find(conn, id)? {
            crew.push(CrewMember {
                participant_id: p.id,
                first_name: p.first_name(),
            });
        }
    }
    let handled_by = match row.handled_by {
        Some(uid) => users::find_user(conn, uid)?.map(|u| u.name),
        None => None,
    };
    Ok(FeedbackItem {
        recipient_id: job.recipient_id,
        service: service.name().get(Language::Nl).to_owned(),
        worked_on: mails::worked_on(job),
        crew,
        handled_by,
        feedback: view(conn, row, true)?,
    })
}

/// A compliment as participant `language` reads it.
pub fn compliment(
    conn: &mut DbConn,
    row: FeedbackRow,
    job: &JobRow,
    language: Language,
) -> Result<ComplimentView, ApiError> {
    let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let resident = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
    Ok(ComplimentView {
        job_id: job.id,
        service: service.name().get(language).to_owned(),
        worked_on: mails::worked_on(job),
        from: resident.first_name(),
        message: row.message,
        given_at: row.created_at,
    })
}
