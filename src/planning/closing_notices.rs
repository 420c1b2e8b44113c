//! Who hears that the servicepunt closed on a day, or opened again. Residents were told
//! the day and time of their visit when it was planned, and crews get their schedule the
//! afternoon before: when the day closes, each resident with a visit still to come that
//! day hears it is off (and that a new day follows), and each participant who has their
//! schedule for the day already hears not to come. When it opens again, the residents
//! told so hear that the visit goes ahead after all, and the crews get the day again.
//! Everything is written in the transaction that closes or opens the day.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::assignment_store::{self, AssignmentRow};
use super::messages::{first_names, visit};
use super::rules::Slot;
use super::{participant_schedule, reminders};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::messages as job_messages;
use crate::jobs::store as jobs;
use crate::notify::Template;

/// The record, per assignment and day, that its resident was told the visit is off.
pub const KIND: &str = "job_day_closed";

/// How many were written to about a closing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Told {
    /// Residents told their visit is off (a proxy who ordered hears it too).
    pub residents: usize,
    /// Participants told not to come, their schedule for the day sent already.
    pub participants: usize,
}

/// The servicepunt closed on `day` for `reason`; `planned` is the work planned that day.
/// Work that began already (a day closed while it runs) is nobody's news.
pub fn day_closed(
    conn: &mut DbConn,
    day: NaiveDate,
    reason: &str,
    planned: &[AssignmentRow],
    now: NaiveDateTime,
) -> Result<Told, ApiError> {
    let mut told = Told::default();
    let mut crews = BTreeSet::new();
    for a in planned.iter().filter(|a| a.starts_at > now) {
        crews.extend(assignment_store::members(conn, a.id)?);
        if !reminders::claim(conn, KIND, a.id, day, now)? {
            continue;
        }
        let Some(job) = jobs::find(conn, a.job_id)? else {
            continue;
        };
        let mut data = visit(&Slot::from_utc(a.starts_at, a.ends_at));
        data["reason"] = json!(reason);
        job_messages::send(conn, &job, Template::JobDayClosed, data)?;
        told.residents += 1;
    }
    told.participants = participant_schedule::day_closed(conn, &crews, day, reason, now)?;
    Ok(told)
}

/// The servicepunt is open again on `day`, closed before: the residents told their visit
/// was off hear it goes ahead after all, and the crews of the day get their schedule
/// again once the afternoon round for it has passed (before, the round sends it).
pub fn day_opened(conn: &mut DbConn, day: NaiveDate, now: NaiveDateTime) -> Result<Told, ApiError> {
    let mut told = Told::default();
    let mut crews = BTreeSet::new();
    for a in assignment_store::scheduled_on(conn, day, day)? {
        if a.starts_at <= now {
            continue;
        }
        let crew = assignment_store::members(conn, a.id)?;
        crews.extend(crew.iter().copied());
        reminders::lock(conn, KIND, a.id, day)?;
        if !reminders::release(conn, KIND, a.id, day)? {
            continue;
        }
        let Some(job) = jobs::find(conn, a.job_id)? else {
            continue;
        };
        let mut data = visit(&Slot::from_utc(a.starts_at, a.ends_at));
        data["helpers"] = json!(first_names(conn, &crew)?);
        data["reopened"] = json!(true);
        job_messages::send(conn, &job, Template::JobScheduled, data)?;
        told.residents += 1;
    }
    told.participants = participant_schedule::changed(conn, &crews, day, now)?;
    Ok(told)
}

/// Whether the resident of `assignment` was told it is off because its day closed (and
/// the day has not opened since).
pub fn told_off(conn: &mut DbConn, assignment: &AssignmentRow) -> Result<bool, ApiError> {
    let day = participant_schedule::day_of(assignment.starts_at, assignment.ends_at);
    Ok(reminders::claimed(conn, KIND, assignment.id, day)?)
}
