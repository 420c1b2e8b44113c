//! Moving a job through its life: the state machine decides, the store records the new
//! status (only if nobody changed it meanwhile) and the event.

use chrono::NaiveDateTime;

use super::lifecycle::{self, Action, JobStatus};
use super::model::JobRow;
use super::store;
use crate::db::DbConn;
use crate::error::ApiError;

pub fn invalid(from: JobStatus, action: Action) -> ApiError {
    ApiError::conflict(
        "invalid_transition",
        format!("a job that is {from} cannot take the action {action:?}"),
    )
}

pub fn apply(
    conn: &mut DbConn,
    job: &JobRow,
    action: Action,
    actor: Option<i64>,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<JobStatus, ApiError> {
    let from = job.status();
    let to = lifecycle::next(from, action).ok_or_else(|| invalid(from, action))?;
    if !store::set_status(conn, job.id, from, to, now)? {
        // Someone moved the job between our read and this write.
        return Err(invalid(from, action));
    }
    store::add_event(conn, job.id, Some(from), to, actor, reason, now)?;
    Ok(to)
}
