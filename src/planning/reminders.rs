//! Timed messages: from 16:00 (Dutch time) each day, residents get a reminder of the work
//! planned for them tomorrow, and participants their schedule for tomorrow; from 14:00
//! the werkleiders hear of the next three days' work that no longer holds. Each message is
//! recorded in `sent_reminders` in the same transaction as its outbox row, so a restart or
//! a second instance never sends one twice and a crash loses none.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use diesel::prelude::*;
use serde_json::json;

use super::messages::{first_names, visit};
use super::rules::Slot;
use super::{assignment_store, broken_work, broken_work_alert, closed_days, on_call_alert, participant_schedule};
use crate::db::DbConn;
use crate::db::schema::sent_reminders;
use crate::error::ApiError;
use crate::jobs::lifecycle::JobStatus;
use crate::jobs::messages as job_messages;
use crate::jobs::settings::JobSettings;
use crate::jobs::store as jobs;
use crate::notify::Template;
use crate::participants::mail_to;
use crate::participants::store as participants;

pub const SEND_FROM_HOUR: u32 = 16;

/// What the timed messages need from the settings.
#[derive(Debug, Clone, Default)]
pub struct RoundSettings {
    pub jobs: JobSettings,
    /// The front end's address, for the links in the werkleiders' mail; no link when
    /// empty.
    pub public_url: String,
}

impl RoundSettings {
    pub fn of(settings: &crate::config::Settings) -> Self {
        Self {
            jobs: settings.jobs.clone(),
            public_url: settings.public_url.clone(),
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub residents: usize,
    pub participants: usize,
    /// Werkleiders told of tomorrow's broken work.
    pub werkleiders: usize,
    /// Werkleiders told that no one is on call in a shift of tomorrow with work.
    pub on_call_missing: usize,
}

/// Whether a message of `kind` about `ref_id` for `date` was sent.
pub(crate) fn claimed(conn: &mut DbConn, kind: &str, ref_id: i64, date: NaiveDate) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        sent_reminders::table
            .filter(sent_reminders::kind.eq(kind))
            .filter(sent_reminders::ref_id.eq(ref_id))
            .filter(sent_reminders::for_date.eq(date)),
    ))
    .get_result(conn)
}

/// Holds off others deciding about a message of `kind` about `ref_id` for `date` until
/// the transaction ends: the timer's round and a change of the plan at the same moment.
pub(crate) fn lock(conn: &mut DbConn, kind: &str, ref_id: i64, date: NaiveDate) -> QueryResult<()> {
    crate::db::lock(conn, &format!("sent:{kind}:{ref_id}:{date}"))
}

/// Records that a message of `kind` about `ref_id` for `date` is being sent; false when it
/// was already.
pub(crate) fn claim(
    conn: &mut DbConn,
    kind: &str,
    ref_id: i64,
    date: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    lock(conn, kind, ref_id, date)?;
    if claimed(conn, kind, ref_id, date)? {
        return Ok(false);
    }
    diesel::insert_into(sent_reminders::table)
        .values((
            sent_reminders::kind.eq(kind),
            sent_reminders::ref_id.eq(ref_id),
            sent_reminders::for_date.eq(date),
            sent_reminders::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Forgets that a message of `kind` about `ref_id` for `date` was sent, so that it can be
/// sent again: what it said no longer holds. True when it had been. Take [`lock`] first.
pub(crate) fn release(conn: &mut DbConn, kind: &str, ref_id: i64, date: NaiveDate) -> QueryResult<bool> {
    let gone = diesel::delete(
        sent_reminders::table
            .filter(sent_reminders::kind.eq(kind))
            .filter(sent_reminders::ref_id.eq(ref_id))
            .filter(sent_reminders::for_date.eq(date)),
    )
    .execute(conn)?;
    Ok(gone > 0)
}

/// Days a record of a sent message is kept after the day it was for. No run looks back
/// at a day before today (reminders are for tomorrow, cheque reminders for a last valid
/// day still to come); the week is a margin, not a need.
pub const KEPT_DAYS_AFTER: i64 = 7;

/// Deletes the records of messages for days long past: they can never stop a message
/// again, and would otherwise pile up for ever. Returns how many.
pub fn forget_past(conn: &mut DbConn, today: NaiveDate) -> QueryResult<usize> {
    let before = today - chrono::Duration::days(KEPT_DAYS_AFTER);
    diesel::delete(sent_reminders::table.filter(sent_reminders::for_date.lt(before))).execute(conn)
}

/// Sends what is due at `now` (UTC). Call inside a write transaction.
///
/// From 14:00 the werkleiders hear of the work of the next few days that no longer holds
/// (`broken_work_alert`), and when work goes out tomorrow with no one on call
/// (`on_call_alert`). From 16:00 residents get their reminder and participants their
/// schedule, except for work a crew member will not come to (absent, or out of their
/// trajectory): a resident is not told someone comes who will not, and an absent
/// participant is not sent work. Such work is held back, not dropped: once re-planned or
/// fitting again, a later round sends it.
pub fn run(conn: &mut DbConn, now: NaiveDateTime, settings: &RoundSettings) -> Result<Sent, ApiError> {
    let local = now + crate::clock::amsterdam_offset(now.and_utc());
    let mut sent = Sent::default();
    if local.hour() < broken_work_alert::FROM_HOUR {
        return Ok(sent);
    }
    let tomorrow = local
        .date()
        .succ_opt()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("date overflow")))?;
    // A closing of tomorrow waits for the round, or the round for it: otherwise the round
    // could read the day as open and remind residents or send a schedule after the
    // closing had told them it is off.
    closed_days::lock_shared(conn, tomorrow)?;
    let from = crate::clock::local_midnight_utc(tomorrow);
    let to = crate::clock::local_midnight_utc(tomorrow.succ_opt().unwrap_or(tomorrow));
    let alert_to = crate::clock::local_midnight_utc(tomorrow + chrono::Duration::days(broken_work_alert::DAYS));
    let mut planned = Vec::new();
    for (a, members) in assignment_store::between(conn, from, alert_to)? {
        let Some(job) = jobs::find(conn, a.job_id)? else {
            continue;
        };
        if job.status() == JobStatus::Scheduled {
            planned.push((a, members, job));
        }
    }
    let crews: Vec<_> = planned
        .iter()
        .map(|(a, members, _)| (a.clone(), members.clone()))
        .collect();
    let broken = broken_work::check(conn, &crews, &settings.jobs)?;
    sent.werkleiders = broken_work_alert::send(conn, &broken, tomorrow, &settings.public_url, now)?;
    let going_out: Vec<_> = planned
        .iter()
        .filter(|(a, _, _)| a.starts_at < to)
        .map(|(a, _, _)| Slot::from_utc(a.starts_at, a.ends_at))
        .collect();
    sent.on_call_missing = on_call_alert::send(conn, tomorrow, &going_out, &settings.public_url, now)?;
    if local.hour() < SEND_FROM_HOUR {
        return Ok(sent);
    }
    // Residents and participants hear of tomorrow only.
    planned.retain(|(a, _, _)| a.starts_at < to);
    let not_coming: BTreeMap<i64, BTreeSet<i64>> =
        broken.iter().map(|b| (b.work.assignment_id, b.not_coming())).collect();
    let mut per_participant: BTreeMap<i64, Vec<assignment_store::AssignmentRow>> = BTreeMap::new();
    for (a, members, job) in planned {
        let away = not_coming.get(&a.id).cloned().unwrap_or_default();
        if away.is_empty() && claim(conn, "job_reminder", a.id, tomorrow, now)? {
            let mut data = visit(&Slot::from_utc(a.starts_at, a.ends_at));
            data["helpers"] = json!(first_names(conn, &members)?);
            job_messages::send(conn, &job, Template::JobReminder, data)?;
            sent.residents += 1;
        }
        for m in members.into_iter().filter(|m| !away.contains(m)) {
            per_participant.entry(m).or_default().push(a.clone());
        }
    }
    for (pid, assignments) in per_participant {
        let Some(p) = participants::find(conn, pid)? else {
            continue;
        };
        let Some(to) = mail_to::of(conn, &p)? else {
            continue;
        };
        if !claim(conn, participant_schedule::KIND, pid, tomorrow, now)? {
            continue;
        }
        participant_schedule::enqueue(conn, &p, &to, tomorrow, &assignments, false, now)?;
        sent.participants += 1;
    }
    Ok(sent)
}
