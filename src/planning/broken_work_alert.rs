//! The werkleiders hear of the planned work of the next [`DAYS`] days that no longer
//! holds, from 14:00: for tomorrow two hours before residents get their reminder and
//! participants their schedule, while there is still time to re-plan it; for the days
//! after while the werkleiders are in (Friday's mail reaches Monday's work). Each piece of
//! work is told of once, in the first round that finds it broken; work that breaks later
//! comes in a mail of its own.
//!
//! The mail names the work (job, time, service), not the people or the reason: whoever is
//! absent and why stays on the werkleider's list (`GET /api/v1/planning/broken-work`).

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::broken_work::BrokenWork;
use super::reminders;
use super::rules::Slot;
use crate::auth::{Role, email_links};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::{Template, staff_mail};

pub const KIND: &str = "broken_work_alert";

/// The hour (Dutch time) from which broken work is told.
pub const FROM_HOUR: u32 = 14;

/// How many days the alert looks ahead, tomorrow the first: there is no weekend in the
/// planning, so three, to take the Friday mail over the weekend to Monday.
pub const DAYS: i64 = 3;

/// Where the front end shows the list of work to re-plan.
pub const LIST_PAGE: &str = "planning/broken-work";

/// Tells every active werkleider of the work in `broken` (planned from `tomorrow` on,
/// earliest first) that they were not told of before, with a link to the list at
/// `public_url` (none when empty). Returns how many werkleiders were written to.
pub fn send(
    conn: &mut DbConn,
    broken: &[BrokenWork],
    tomorrow: NaiveDate,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    let mut items = Vec::new();
    let mut last = tomorrow;
    for b in broken {
        let slot = Slot::from_utc(b.work.starts_at, b.work.ends_at);
        let date = slot.local_start.date();
        if !reminders::claim(conn, KIND, b.work.assignment_id, date, now)? {
            continue;
        }
        last = last.max(date);
        items.push(json!({
            "job_id": b.work.job_id,
            "date": date.to_string(),
            "from": slot.local_start.format("%H:%M").to_string(),
            "until": slot.local_end.format("%H:%M").to_string(),
            "service": b.work.service,
        }));
    }
    if items.is_empty() {
        return Ok(0);
    }
    staff_mail::to_role(conn, Role::Werkleider, Template::BrokenWorkAlert, now, |w| {
        // `date` is tomorrow; `until`, the last day named, only when that is later.
        let mut data = json!({"name": w.name, "date": tomorrow.to_string(), "items": items});
        if last > tomorrow {
            data["until"] = json!(last.to_string());
        }
        if !public_url.is_empty() {
            data["link"] = json!(email_links::page(public_url, LIST_PAGE));
        }
        data
    })
}
