//! Taking a closed day's work back to the waiting list in one go, for the auto-planner to
//! propose again: the werkleider's quickest way to re-plan a public holiday's visits. The
//! residents were told at the closing that their visit is off and a new day follows, so
//! nobody is written to again (see [`super::assign::remove`]).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::assignment_store::{self, AssignmentRow};
use super::{assign, closed_days};
use crate::db::DbConn;
use crate::error::ApiError;

/// What went back on the waiting list, and what stayed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleasedDay {
    pub date: NaiveDate,
    /// The jobs back on the waiting list, earliest visit first.
    pub released_job_ids: Vec<i64>,
    /// Work with hours logged on it (done, or being done), which stays: reject the hours
    /// first, or re-plan it on its own.
    pub kept: Vec<AssignmentRow>,
}

/// Takes the work planned on the closed `day` off it; 404 when the day is not closed.
pub fn release(conn: &mut DbConn, day: NaiveDate, actor: i64, now: NaiveDateTime) -> Result<ReleasedDay, ApiError> {
    closed_days::lock(conn, day)?;
    if !closed_days::is_closed(conn, day)? {
        return Err(ApiError::NotFound);
    }
    let mut released = ReleasedDay {
        date: day,
        released_job_ids: Vec::new(),
        kept: Vec::new(),
    };
    for a in assignment_store::scheduled_on(conn, day, day)? {
        if assignment_store::live_logs(conn, a.id)? > 0 {
            released.kept.push(a);
            continue;
        }
        assign::remove(conn, &a, actor, now)?;
        released.released_job_ids.push(a.job_id);
    }
    Ok(released)
}
