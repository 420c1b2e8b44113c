//! What residents and participants are told about the plan.

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use super::rules::Slot;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::messages as job_messages;
use crate::jobs::model::JobRow;
use crate::notify::Template;
use crate::participants::store as participants;

/// First names only: residents never learn more about who is coming.
pub fn first_names(conn: &mut DbConn, crew: &[i64]) -> Result<String, ApiError> {
    let mut names = Vec::new();
    for id in crew {
        if let Some(p) = participants::find(conn, *id)? {
            names.push(p.first_name());
        }
    }
    Ok(match names.len() {
        0 => String::new(),
        1 => names.remove(0),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} & {last}", names.join(", "))
        }
    })
}

/// Tells the resident (and a proxy who ordered) the date, the time and who is coming;
/// not for a visit whose start has passed at `now` (work done without a plan, recorded by
/// the werkleider afterwards): an appointment gone by is nothing to expect.
pub fn scheduled(
    conn: &mut DbConn,
    job: &JobRow,
    slot: &Slot,
    crew: &[i64],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    if slot.utc_start <= now {
        return Ok(());
    }
    let mut data = visit(slot);
    data["helpers"] = json!(first_names(conn, crew)?);
    job_messages::send(conn, job, Template::JobScheduled, data)
}

/// The day and times of a visit, as residents' messages give them.
pub fn visit(slot: &Slot) -> Value {
    json!({
        "date": slot.local_start.date().to_string(),
        "from": slot.local_start.format("%H:%M").to_string(),
        "until": slot.local_end.format("%H:%M").to_string(),
    })
}

/// Tells the resident (and a proxy who ordered) that the visit planned for `slot` is off
/// and the job back on the waiting list: nobody waits in vain for someone who will not
/// come.
pub fn unscheduled(conn: &mut DbConn, job: &JobRow, slot: &Slot) -> Result<(), ApiError> {
    job_messages::send(conn, job, Template::JobUnscheduled, visit(slot))
}
