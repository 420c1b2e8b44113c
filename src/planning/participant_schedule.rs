//! A participant's schedule for a day, by mail: sent the afternoon before (see
//! [`super::reminders`]), and sent again whenever the work of that day changes after it
//! went out — re-planned, cancelled, taken off or added — so nobody goes to an address
//! they are no longer expected at, or misses work planned late.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::assignment_store::{self, AssignmentRow};
use super::reminders;
use super::rules::Slot;
use super::{closed_days, day_schedule};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::Template;
use crate::participants::mail_to::{self, MailTo};
use crate::participants::model::ParticipantRow;
use crate::participants::store as participants;

pub const KIND: &str = "participant_schedule";

/// Puts the schedule of `date` in the outbox: the work in `assignments` (the
/// participant's, that day, not started), as a change of the one sent before when
/// `changed`.
pub fn enqueue(
    conn: &mut DbConn,
    p: &ParticipantRow,
    to: &MailTo,
    date: NaiveDate,
    assignments: &[AssignmentRow],
    changed: bool,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let mut items = Vec::new();
    let mut schedule = Vec::new();
    for a in assignments {
        schedule.push(day_schedule::item(conn, a, p)?);
    }
    day_schedule::mark_on_call(conn, &mut schedule)?;
    // One line with who to call when every piece of work has the same throughout; else
    // a line under each (and one for each later shift with someone else).
    let mut contacts: Vec<_> = schedule.iter().map(|i| i.on_call.clone()).collect();
    contacts.dedup();
    let on_call = match contacts.as_slice() {
        [one] if schedule.iter().all(|i| i.on_call_later.is_empty()) => one.clone(),
        _ => None,
    };
    for item in schedule {
        let slot = Slot::from_utc(item.starts_at, item.ends_at);
        let own = item.on_call.clone().filter(|_| on_call.is_none());
        let later: Vec<_> = item
            .on_call_later
            .iter()
            .map(|l| {
                let from = crate::clock::local(l.from.and_utc());
                json!({"from": from.format("%H:%M").to_string(), "on_call": l.on_call})
            })
            .collect();
        items.push(json!({
            "from": slot.local_start.format("%H:%M").to_string(),
            "until": slot.local_end.format("%H:%M").to_string(),
            "service": item.service,
            "recipient": item.recipient_first_name,
            "address": item.address,
            "phone": item.phone,
            "task": item.task,
            "keys": item.key_tags,
            "on_call": own,
            "on_call_later": later,
        }));
    }
    let data = json!({"name": p.first_name(), "date": date.to_string(), "items": items, "changed": changed,
        "on_call": on_call});
    to.enqueue(conn, p, Template::ParticipantSchedule, &data, now)
}

/// The work of `date` changed for these participants. Once the afternoon round for that
/// day has passed (16:00 the day before), each is told the day as it is now: again when
/// their schedule went out already (perhaps empty now), for the first time when it did not
/// and work is planned for them now. On a day the servicepunt is closed nobody goes out,
/// and those with their schedule were told so ([`day_closed`]): its changes are no news.
/// Call in the transaction that made the change, after it. Returns how many were told.
pub fn changed(
    conn: &mut DbConn,
    participant_ids: &BTreeSet<i64>,
    date: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    if !round_passed(date, now) {
        return Ok(0);
    }
    // A closing of the day at the same moment waits for this change, or this for it: its
    // notice not to come is never followed by a schedule for the closed day.
    closed_days::lock_shared(conn, date)?;
    if closed_days::is_closed(conn, date)? {
        return Ok(0);
    }
    let mut told = 0;
    for &pid in participant_ids {
        let Some((p, to)) = to_tell(conn, pid, date)? else {
            continue;
        };
        let work = assignment_store::scheduled_for(conn, pid, date, date)?;
        let sent_before = reminders::claimed(conn, KIND, pid, date)?;
        if !sent_before && (work.is_empty() || !reminders::claim(conn, KIND, pid, date, now)?) {
            continue;
        }
        enqueue(conn, &p, &to, date, &work, sent_before, now)?;
        told += 1;
    }
    Ok(told)
}

/// The servicepunt closed on `date`: each of these participants who has their schedule
/// for it already is told not to come. Returns how many.
pub fn day_closed(
    conn: &mut DbConn,
    participant_ids: &BTreeSet<i64>,
    date: NaiveDate,
    reason: &str,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    let mut told = 0;
    for &pid in participant_ids {
        let Some((p, to)) = to_tell(conn, pid, date)? else {
            continue;
        };
        if !reminders::claimed(conn, KIND, pid, date)? {
            continue;
        }
        let data = json!({"name": p.first_name(), "date": date.to_string(), "reason": reason});
        to.enqueue(conn, &p, Template::ParticipantDayClosed, &data, now)?;
        told += 1;
    }
    Ok(told)
}

/// The participant and where their mail about `date` goes, with the record of their
/// schedule for it locked until the transaction ends; `None` when there is no address.
fn to_tell(conn: &mut DbConn, pid: i64, date: NaiveDate) -> Result<Option<(ParticipantRow, MailTo)>, ApiError> {
    let Some(p) = participants::find(conn, pid)? else {
        return Ok(None);
    };
    let Some(to) = mail_to::of(conn, &p)? else {
        return Ok(None);
    };
    reminders::lock(conn, KIND, pid, date)?;
    Ok(Some((p, to)))
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
