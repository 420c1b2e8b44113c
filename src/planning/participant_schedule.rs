//! A participant's schedule for a day, by mail: sent the afternoon before (see
//! [`super::reminders`]), and sent again whenever the work of that day changes after it
//! went out — re-planned, cancelled, taken off or added — so nobody goes to an address
//! they are no longer expected at, or misses work planned late.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::assignment_store::{self, AssignmentRow};
use super::day_schedule;
use super::reminders;
use super::rules::Slot;
use crate::auth::store as users;
use crate::db::DbConn;
use crate::domain::Language;
use crate::error::ApiError;
use crate::notify::Template;
use crate::notify::outbox::{self, NewMessage};
use crate::participants::model::ParticipantRow;
use crate::participants::store as participants;

pub const KIND: &str = "participant_schedule";

/// Where the participant's mail goes: their account's address, else the one on file.
pub fn address_of(conn: &mut DbConn, p: &ParticipantRow) -> Result<Option<String>, ApiError> {
    let account = match p.user_id {
        Some(uid) => users::find_user(conn, uid)?.map(|u| u.email),
        None => None,
    };
    Ok(account.or_else(|| p.email.clone()))
}

/// Puts the schedule of `date` in the outbox: the work in `assignments` (the
/// participant's, that day, not started), as a change of the one sent before when
/// `changed`.
pub fn enqueue(
    conn: &mut DbConn,
    p: &ParticipantRow,
    address: &str,
    date: NaiveDate,
    assignments: &[AssignmentRow],
    changed: bool,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let mut items = Vec::new();
    for a in assignments {
        let item = day_schedule::item(conn, a, p.id)?;
        let slot = Slot::from_utc(item.starts_at, item.ends_at);
        items.push(json!({
            "from": slot.local_start.format("%H:%M").to_string(),
            "until": slot.local_end.format("%H:%M").to_string(),
            "service": item.service,
            "recipient": item.recipient_first_name,
            "address": item.address,
            "phone": item.phone,
            "task": item.task,
        }));
    }
    let data = json!({"name": p.first_name(), "date": date.to_string(), "items": items, "changed": changed});
    let message = NewMessage {
        recipient_email: address,
        recipient_name: &p.name,
        language: Language::Nl,
        template: Template::ParticipantSchedule,
        data: &data,
    };
    outbox::enqueue(conn, &message, now)?;
    Ok(())
}

/// The work of `date` changed for these participants. Once the afternoon round for that
/// day has passed (16:00 the day before), each is told the day as it is now: again when
/// their schedule went out already (perhaps empty now), for the first time when it did not
/// and work is planned for them now. Call in the transaction that made the change, after it.
pub fn changed(
    conn: &mut DbConn,
    participant_ids: &BTreeSet<i64>,
    date: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    if !round_passed(date, now) {
        return Ok(());
    }
    for &pid in participant_ids {
        let Some(p) = participants::find(conn, pid)? else {
            continue;
        };
        let Some(address) = address_of(conn, &p)? else {
            continue;
        };
        reminders::lock(conn, KIND, pid, date)?;
        let work = assignment_store::scheduled_for(conn, pid, date, date)?;
        let sent_before = reminders::claimed(conn, KIND, pid, date)?;
        if !sent_before && (work.is_empty() || !reminders::claim(conn, KIND, pid, date, now)?) {
            continue;
        }
        enqueue(conn, &p, &address, date, &work, sent_before, now)?;
    }
    Ok(())
}

/// [`changed`] for a crew as [`assignment_store::crew_of_job`] lists it: each member on
/// the day of their work.
pub fn crew_changed(
    conn: &mut DbConn,
    crew: Vec<(i64, NaiveDateTime, NaiveDateTime)>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    for (participant, starts_at, ends_at) in crew {
        changed(conn, &BTreeSet::from([participant]), day_of(starts_at, ends_at), now)?;
    }
    Ok(())
}

/// Whether participants were sent their schedule for `date` (local) already, and the day
/// has not passed.
fn round_passed(date: NaiveDate, now: NaiveDateTime) -> bool {
    let local = now + crate::clock::amsterdam_offset(now.and_utc());
    let round = date
        .pred_opt()
        .and_then(|eve| eve.and_hms_opt(reminders::SEND_FROM_HOUR, 0, 0));
    round.is_some_and(|round| local >= round) && local.date() <= date
}

/// The local day of work planned at these UTC times.
pub fn day_of(starts_at: NaiveDateTime, ends_at: NaiveDateTime) -> NaiveDate {
    Slot::from_utc(starts_at, ends_at).local_start.date()
}
