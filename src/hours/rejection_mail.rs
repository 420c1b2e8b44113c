//! A participant hears when time they logged themselves is not approved, and why: they
//! would otherwise only find out by looking at their hours, and a rejected log counts
//! for no bonus. Time a werkleider logged for them is the werkleider's to put right. A
//! batch rejected together is one mail per participant, not one per log.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde_json::json;

use super::store::WorkLog;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::Template;
use crate::participants::mail_to;
use crate::participants::store as participants;
use crate::planning::rules::Slot;

/// Puts a mail in the outbox (sent after commit) for each participant who logged some of
/// the rejected `logs` themselves and has an address: one mail listing those logs, earliest
/// first, with the `reason`. Returns how many mails.
pub fn tell(conn: &mut DbConn, logs: &[WorkLog], reason: &str, now: NaiveDateTime) -> Result<usize, ApiError> {
    let mut per_participant: BTreeMap<i64, Vec<&WorkLog>> = BTreeMap::new();
    for log in logs {
        per_participant.entry(log.participant_id).or_default().push(log);
    }
    let mut told = 0;
    for (participant_id, mut theirs) in per_participant {
        let Some(p) = participants::find(conn, participant_id)? else {
            continue;
        };
        theirs.retain(|l| p.user_id == Some(l.entered_by));
        if theirs.is_empty() {
            continue;
        }
        let Some(to) = mail_to::of(conn, &p)? else {
            continue;
        };
        theirs.sort_by_key(|l| l.started_at);
        let items: Vec<_> = theirs.iter().map(|l| item(l)).collect();
        let data = json!({"name": p.first_name(), "reason": reason, "items": items});
        to.enqueue(conn, &p, Template::WorklogRejected, &data, now)?;
        told += 1;
    }
    Ok(told)
}

/// One rejected log as the mail lists it: its day, times and hours, Dutch time.
fn item(log: &WorkLog) -> serde_json::Value {
    let slot = Slot::from_utc(log.started_at, log.ended_at);
    json!({
        "date": slot.local_start.date().to_string(),
        "from": slot.local_start.format("%H:%M").to_string(),
        "until": slot.local_end.format("%H:%M").to_string(),
        "hours": format!("{}:{:02}", log.minutes / 60, log.minutes % 60),
    })
}
