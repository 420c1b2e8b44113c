//! A participant hears when time they logged themselves is not approved, and why: they
//! would otherwise only find out by looking at their hours, and a rejected log counts
//! for no bonus. Time a werkleider logged for them is the werkleider's to put right.

use chrono::NaiveDateTime;
use serde_json::json;

use super::store::WorkLog;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::Template;
use crate::notify::outbox::{self, NewMessage};
use crate::participants::mail_to;
use crate::participants::store as participants;
use crate::planning::rules::Slot;

/// Puts the mail in the outbox (sent after commit) when the participant logged `log`
/// themselves and has an address; returns whether it did.
pub fn tell(conn: &mut DbConn, log: &WorkLog, reason: &str, now: NaiveDateTime) -> Result<bool, ApiError> {
    let Some(p) = participants::find(conn, log.participant_id)? else {
        return Ok(false);
    };
    if p.user_id != Some(log.entered_by) {
        return Ok(false);
    }
    let Some(to) = mail_to::of(conn, &p)? else {
        return Ok(false);
    };
    let slot = Slot::from_utc(log.started_at, log.ended_at);
    let data = json!({
        "name": p.first_name(),
        "date": slot.local_start.date().to_string(),
        "from": slot.local_start.format("%H:%M").to_string(),
        "until": slot.local_end.format("%H:%M").to_string(),
        "hours": format!("{}:{:02}", log.minutes / 60, log.minutes % 60),
        "reason": reason,
    });
    let message = NewMessage {
        recipient_email: &to.address,
        recipient_name: &p.name,
        language: to.language,
        template: Template::WorklogRejected,
        data: &data,
    };
    outbox::enqueue(conn, &message, now)?;
    Ok(true)
}
