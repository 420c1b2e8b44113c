//! From 14:00 the werkleiders hear when tomorrow sends work out and no one is on call:
//! two hours before the participants get their schedule, which names who to call. Once a
//! day; a day the servicepunt is closed sends no one out and needs no one.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::{closed_days, on_call_store, reminders};
use crate::auth::{Role, email_links};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::{Template, staff_mail};

pub const KIND: &str = "on_call_missing";

/// Where the front end shows the rota.
pub const ROTA_PAGE: &str = "planning/on-call";

/// Tells every active werkleider that no one is on call `tomorrow`, when `crews` pieces of
/// work go out then and they were not told before. Returns how many were written to.
pub fn send(
    conn: &mut DbConn,
    tomorrow: NaiveDate,
    crews: usize,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    if crews == 0
        || closed_days::is_closed(conn, tomorrow)?
        || !on_call_store::between(conn, tomorrow, tomorrow)?.is_empty()
        || !reminders::claim(conn, KIND, 0, tomorrow, now)?
    {
        return Ok(0);
    }
    staff_mail::to_role(conn, Role::Werkleider, Template::OnCallMissing, now, |w| {
        let mut data = json!({"name": w.name, "date": tomorrow.to_string(), "crews": crews});
        if !public_url.is_empty() {
            data["link"] = json!(email_links::page(public_url, ROTA_PAGE));
        }
        data
    })
}
