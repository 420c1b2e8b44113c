//! A participant's planned work, with just what they need to do it.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::assignment_store::{self, AssignmentRow};
use super::closed_days;
use super::messages::first_names;
use super::on_call;
use super::on_call_store::{self, OnCallContact};
use super::rules::Slot;
use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::store as jobs;
use crate::participants::model::ParticipantRow;
use crate::residents::keys_store;
use crate::residents::store as residents;

/// One planned job, with just what a participant needs to do it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduleItem {
    pub assignment_id: i64,
    pub job_id: i64,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub ends_at: NaiveDateTime,
    /// The service's name in the participant's language (English for someone who speaks
    /// English and no Dutch).
    pub service: String,
    /// The resident's first name only; a name recorded without one ("Mevrouw Bakker", "J.
    /// de Vries") as recorded.
    pub recipient_first_name: String,
    pub address: String,
    pub phone: Option<String>,
    pub task: String,
    /// First names of the colleagues going along.
    pub colleagues: String,
    /// Why the servicepunt is closed that day, when it is: nobody goes out, and the
    /// werkleider plans this work on another day. Absent on an open day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
    /// The tags of the resident's keys the servicepunt holds: fetch them before going.
    pub key_tags: Vec<String>,
    /// Who to call when something happens at the address: the staff member on call in
    /// the shift (dagdeel) the work starts in; null while the werkleiders put no one on
    /// call then.
    pub on_call: Option<OnCallContact>,
    /// When the work runs on into a later shift with someone else on call (or no one):
    /// from when whom to call. Empty when one answers throughout.
    pub on_call_later: Vec<OnCallFrom>,
}

/// Someone else answering from a moment during a piece of work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OnCallFrom {
    /// UTC: the start of the shift.
    #[serde(serialize_with = "crate::clock::utc")]
    pub from: NaiveDateTime,
    /// Null while no one is on call then.
    pub on_call: Option<OnCallContact>,
}

/// The work `a` as `me` needs to know it.
pub fn item(conn: &mut DbConn, a: &AssignmentRow, me: &ParticipantRow) -> Result<ScheduleItem, ApiError> {
    let job = jobs::find(conn, a.job_id)?.ok_or(ApiError::NotFound)?;
    let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let resident = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
    let others: Vec<i64> = assignment_store::members(conn, a.id)?
        .into_iter()
        .filter(|p| *p != me.id)
        .collect();
    Ok(ScheduleItem {
        assignment_id: a.id,
        job_id: job.id,
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        service: service.name().get(me.language()).to_owned(),
        recipient_first_name: resident.first_name(),
        address: format!("{} {}, {} {}", job.street, job.house_number, job.postcode, job.city),
        phone: resident.phone,
        task: job.description,
        colleagues: first_names(conn, &others)?,
        closed: None,
        key_tags: keys_store::held_tags(conn, resident.id)?,
        on_call: None,
        on_call_later: Vec::new(),
    })
}

/// The (local) day of an item.
fn day_of(i: &ScheduleItem) -> NaiveDate {
    Slot::from_utc(i.starts_at, i.ends_at).local_start.date()
}

/// The first and last day of some items; none without items.
fn span(items: &[ScheduleItem]) -> Option<(NaiveDate, NaiveDate)> {
    Some((items.iter().map(day_of).min()?, items.iter().map(day_of).max()?))
}

/// Gives each item the staff member on call in the shift it starts in, and who answers
/// from each later shift it runs into when that is someone else.
pub fn mark_on_call(conn: &mut DbConn, items: &mut [ScheduleItem]) -> Result<(), ApiError> {
    let Some((first, last)) = span(items) else {
        return Ok(());
    };
    let rota = on_call_store::between(conn, first, last)?;
    for item in items.iter_mut() {
        let slot = Slot::from_utc(item.starts_at, item.ends_at);
        let (at_start, later) = on_call::answering(slot.local_start, slot.local_end, |shift| {
            on_call_store::contact(&rota, shift)
        });
        item.on_call = at_start;
        item.on_call_later = later
            .into_iter()
            .map(|(from, on_call)| OnCallFrom {
                from: Slot::from_local(from, from).utc_start,
                on_call,
            })
            .collect();
    }
    Ok(())
}

/// Marks the items on a day the servicepunt is closed with why.
pub fn mark_closed(conn: &mut DbConn, items: &mut [ScheduleItem]) -> Result<(), ApiError> {
    let Some((first, last)) = span(items) else {
        return Ok(());
    };
    let closed = closed_days::between(conn, first, last)?;
    for item in items.iter_mut() {
        item.closed = closed_days::reason_on(&closed, day_of(item));
    }
    Ok(())
}
