//! Changing an order after it was placed: what is to be done, until the work starts, and
//! when it would suit the resident, until it is planned. The change is an event on the
//! job (who, when, what), and a crew whose schedule went out hears of the new task.

use chrono::NaiveDateTime;

use super::input::CheckedChange;
use super::lifecycle::JobStatus;
use super::model::JobRow;
use super::{closed_windows, store};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::planning::{assignment_store, participant_schedule};

/// Whether a job in `status` still takes a new description, and new preferred windows.
pub fn changeable(status: JobStatus) -> (bool, bool) {
    use JobStatus::{Accepted, Requested, Scheduled, Waitlisted};
    let before_planning = matches!(status, Requested | Accepted | Waitlisted);
    (before_planning || status == Scheduled, before_planning)
}

/// Applies the change to the job as read; refused (409 `not_changeable`) when its state
/// does not take it, also when the job moved on meanwhile.
pub fn amend(
    conn: &mut DbConn,
    job: &JobRow,
    actor: i64,
    change: &CheckedChange,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let status = job.status();
    let (description_ok, windows_ok) = changeable(status);
    if change.description.is_some() && !description_ok {
        return Err(not_changeable(format!("a job that is {status} keeps its description")));
    }
    if change.preferred_windows.is_some() && !windows_ok {
        return Err(not_changeable(format!(
            "a job that is {status} has its time: the servicepunt moves it"
        )));
    }
    if let Some(windows) = &change.preferred_windows {
        closed_windows::refuse_closed(conn, windows)?;
    }
    // Held in its state until this commits: a transition made meanwhile wins.
    if !store::set_status(conn, job.id, status, status, now)? {
        return Err(not_changeable("the job changed meanwhile: look again".to_owned()));
    }
    let mut what = Vec::new();
    if let Some(description) = &change.description {
        store::set_description(conn, job.id, description, now)?;
        what.push("description");
    }
    if let Some(windows) = &change.preferred_windows {
        store::replace_windows(conn, job.id, windows)?;
        what.push("preferred windows");
    }
    let note = format!("changed: {}", what.join(", "));
    store::add_event(conn, job.id, Some(status), status, Some(actor), Some(&note), now)?;
    if change.description.is_some() && status == JobStatus::Scheduled {
        let crew = assignment_store::crew_of_job(conn, job.id)?;
        participant_schedule::crew_changed(conn, crew, now)?;
    }
    Ok(())
}

fn not_changeable(detail: String) -> ApiError {
    ApiError::conflict("not_changeable", detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_changes_until_planned_and_the_task_until_started() {
        for status in [JobStatus::Requested, JobStatus::Accepted, JobStatus::Waitlisted] {
            assert_eq!(changeable(status), (true, true), "{status}");
        }
        assert_eq!(changeable(JobStatus::Scheduled), (true, false));
        for status in [
            JobStatus::InProgress,
            JobStatus::Performed,
            JobStatus::Confirmed,
            JobStatus::Cancelled,
            JobStatus::Refused,
        ] {
            assert_eq!(changeable(status), (false, false), "{status}");
        }
    }
}
