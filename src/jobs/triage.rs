//! The werkleider's decisions on a job (and the system's, for automatic acceptance):
//! accept onto the waiting list, refuse, cancel. Scheduling is planning's (assignments).

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::lifecycle::{self, Action};
use super::model::JobRow;
use super::settings::JobSettings;
use super::{messages, store, transition, views, waitlist};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::Template;
use crate::planning::participant_schedule;
use crate::residents::{eligibility, eligibility_store, store as residents};

/// Accepts a requested job and puts it on the waiting list. A job flagged by the
/// anti-splitting rule needs a written reason.
/// Accepts `job` onto the waiting list, queued by acceptance (earlier for reduced-rate
/// residents); the job as it is then and its place. Tells nobody: a visit of a recurring
/// series is not news to the resident until it is planned.
pub fn accept_quietly(
    conn: &mut DbConn,
    job: &JobRow,
    actor: Option<i64>,
    reason: Option<&str>,
    settings: &JobSettings,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(JobRow, Option<crate::jobs::model::WaitlistInfo>), ApiError> {
    if job.needs_review.is_some() && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(ApiError::validation(
            "reason",
            "review_reason_required",
            "this job may split one big job into small ones: write down why it is accepted",
        ));
    }
    transition::apply(conn, job, Action::Accept, actor, reason, now)?;
    let resident = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
    let periods: Vec<_> = eligibility_store::for_resident(conn, resident.id)?
        .iter()
        .map(|p| p.as_rule())
        .collect();
    let priority = eligibility::decide(resident.birth_date, &periods, today).reduced_rate;
    let queue_at = waitlist::queue_at(now, priority, settings.waitlist_priority);
    store::record_acceptance(conn, job.id, priority, now, queue_at, reason)?;
    let accepted = store::find(conn, job.id)?.ok_or(ApiError::NotFound)?;
    transition::apply(conn, &accepted, Action::Waitlist, None, Some("awaiting planning"), now)?;
    let waiting = store::find(conn, job.id)?.ok_or(ApiError::NotFound)?;
    let info = views::waitlist_info(conn, &waiting, now)?;
    Ok((waiting, info))
}

/// Accepts `job` onto the waiting list ([`accept_quietly`]) and tells the resident their
/// place.
pub fn accept(
    conn: &mut DbConn,
    job: &JobRow,
    actor: Option<i64>,
    reason: Option<&str>,
    settings: &JobSettings,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<JobRow, ApiError> {
    let (waiting, info) = accept_quietly(conn, job, actor, reason, settings, today, now)?;
    messages::send(
        conn,
        &waiting,
        Template::JobAccepted,
        json!({
            "position": info.as_ref().map(|i| i.position),
            "wait_days": info.and_then(|i| i.estimated_wait_days),
        }),
    )?;
    Ok(waiting)
}

pub const REFUSAL_CODES: [&str; 5] = ["competition", "out_of_area", "not_allowed", "capacity", "other"];

pub fn refuse(
    conn: &mut DbConn,
    job: &JobRow,
    actor: i64,
    code: &str,
    note: Option<&str>,
    now: NaiveDateTime,
) -> Result<JobRow, ApiError> {
    transition::apply(conn, job, Action::Refuse, Some(actor), Some(code), now)?;
    store::record_refusal(conn, job.id, code, note)?;
    let refused = store::find(conn, job.id)?.ok_or(ApiError::NotFound)?;
    messages::send(
        conn,
        &refused,
        Template::JobRefused,
        json!({"reason": messages::refusal_reason(code)}),
    )?;
    Ok(refused)
}

/// Cancels a job that has not started; close to the start it is recorded as late. A crew
/// planned on it is free again.
pub fn cancel(
    conn: &mut DbConn,
    job: &JobRow,
    actor: i64,
    reason: Option<&str>,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<JobRow, ApiError> {
    let late = lifecycle::is_late_cancellation(now, job.scheduled_start, settings.free_cancellation);
    let recorded = match (late, reason) {
        (true, Some(r)) => format!("late cancellation: {r}"),
        (true, None) => "late cancellation".to_owned(),
        (false, Some(r)) => r.to_owned(),
        (false, None) => "cancelled".to_owned(),
    };
    transition::apply(conn, job, Action::Cancel, Some(actor), Some(&recorded), now)?;
    store::record_cancellation(conn, job.id, late)?;
    let freed = crate::planning::assignment_store::release_crew(conn, job.id)?;
    let cancelled = store::find(conn, job.id)?.ok_or(ApiError::NotFound)?;
    messages::send(conn, &cancelled, Template::JobCancelled, json!({"late": late}))?;
    participant_schedule::crew_changed(conn, freed, now)?;
    Ok(cancelled)
}
