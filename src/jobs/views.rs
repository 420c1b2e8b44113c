//! Building what a caller sees of a job.

use chrono::NaiveDateTime;

use super::lifecycle::JobStatus;
use super::model::{JobRow, JobServiceView, JobView, PreferredWindow, Refusal, Schedule, WaitlistInfo};
use super::{store, waitlist};
use crate::catalogue::model::ServiceKind;
use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::planning::closed_days;
use crate::residents::model::AddressView;

/// Throughput for the wait estimate is measured over this many days.
const THROUGHPUT_DAYS: i64 = 28;

pub fn waitlist_info(conn: &mut DbConn, job: &JobRow, now: NaiveDateTime) -> Result<Option<WaitlistInfo>, ApiError> {
    if job.status() != JobStatus::Waitlisted {
        return Ok(None);
    }
    let position = store::position(conn, job)?;
    let planned = store::planned_since(conn, job.service_id, now - chrono::Duration::days(THROUGHPUT_DAYS))?;
    Ok(Some(WaitlistInfo {
        position,
        waiting_days: job.accepted_at.map_or(0, |at| (now - at).num_days().max(0)),
        estimated_wait_days: waitlist::estimated_wait_days(position, planned, THROUGHPUT_DAYS),
    }))
}

/// When the job is planned; for a visit still to come on a day the servicepunt closed
/// since, why it is closed.
fn schedule(conn: &mut DbConn, job: &JobRow) -> Result<Option<Schedule>, ApiError> {
    let Some((starts_at, ends_at)) = job.scheduled_start.zip(job.scheduled_end) else {
        return Ok(None);
    };
    let mut closed = None;
    if job.status() == JobStatus::Scheduled {
        let day = crate::clock::local_date(starts_at.and_utc());
        closed = closed_days::between(conn, day, day)?.pop().map(|c| c.reason);
    }
    Ok(Some(Schedule {
        starts_at,
        ends_at,
        closed,
    }))
}

pub fn view(
    conn: &mut DbConn,
    job: JobRow,
    windows: Vec<PreferredWindow>,
    staff: bool,
    now: NaiveDateTime,
) -> Result<JobView, ApiError> {
    let version = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let waitlist = waitlist_info(conn, &job, now)?;
    let schedule = schedule(conn, &job)?;
    Ok(JobView {
        id: job.id,
        status: job.status(),
        service: JobServiceView {
            id: job.service_id,
            version: version.version,
            kind: ServiceKind::from_stored(&version.kind),
            name: version.name(),
            category: version.category,
        },
        recipient_id: job.recipient_id,
        requester_user_id: job.requester_user_id,
        channel: job.channel,
        description: job.description,
        address: AddressView {
            street: job.street,
            house_number: job.house_number,
            postcode: job.postcode,
            city: job.city,
        },
        wijk: job.wijk,
        preferred_windows: windows,
        estimated_minutes: job.estimated_minutes,
        otherwise_not_done: job.otherwise_not_done,
        needs_review: job.needs_review.filter(|_| staff),
        review_reason: job.review_reason.filter(|_| staff),
        refusal: job.refusal_code.map(|code| Refusal {
            code,
            note: job.refusal_note,
        }),
        schedule,
        cancelled_late: job.cancelled_late,
        billable_minutes: job.billable_minutes,
        institution_id: job.institution_id,
        waitlist,
        created_at: job.created_at,
        updated_at: job.updated_at,
    })
}

/// One job with its windows.
pub fn view_one(conn: &mut DbConn, job: JobRow, staff: bool, now: NaiveDateTime) -> Result<JobView, ApiError> {
    let windows = store::windows_of(conn, &[job.id])?.remove(&job.id).unwrap_or_default();
    view(conn, job, windows, staff, now)
}
