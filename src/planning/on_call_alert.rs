//! From 14:00 the werkleiders hear when tomorrow sends work out in a shift with no one on
//! call: two hours before the participants get their schedule, which names who to call.
//! Once a day; a day the servicepunt is closed sends no one out and needs no one.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::on_call::{self, Shift};
use super::rules::Slot;
use super::{closed_days, on_call_notice, on_call_store, reminders};
use crate::auth::{Role, email_links};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::model::Dagdeel;
use crate::notify::{Template, staff_mail};

pub const KIND: &str = "on_call_missing";

/// Where the front end shows the rota.
pub const ROTA_PAGE: &str = "planning/on-call";

/// Tells every active werkleider which shifts of `tomorrow` send work out (`going_out`)
/// with no one on call, and how many pieces of work go out in them, when they were not
/// told before. Returns how many were written to.
pub fn send(
    conn: &mut DbConn,
    tomorrow: NaiveDate,
    going_out: &[Slot],
    public_url: &str,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    if going_out.is_empty() || closed_days::is_closed(conn, tomorrow)? {
        return Ok(0);
    }
    let shifts = |slot: &Slot| on_call::shifts_of(slot.local_start, slot.local_end);
    let work: BTreeSet<Shift> = going_out.iter().flat_map(shifts).collect();
    let covered: BTreeSet<Shift> = on_call_store::between(conn, tomorrow, tomorrow)?
        .iter()
        .map(|o| o.shift())
        .collect();
    let uncovered = on_call::uncovered(&work, &covered);
    if uncovered.is_empty() || !reminders::claim(conn, KIND, 0, tomorrow, now)? {
        return Ok(0);
    }
    let crews = going_out
        .iter()
        .filter(|slot| shifts(slot).iter().any(|s| uncovered.contains(s)))
        .count();
    let dagdelen: Vec<Dagdeel> = uncovered.iter().map(|s| s.dagdeel).collect();
    let words = on_call_notice::dagdelen_words(&dagdelen);
    staff_mail::to_role(conn, Role::Werkleider, Template::OnCallMissing, now, |w| {
        let mut data = json!({"name": w.name, "date": tomorrow.to_string(), "crews": crews,
            "dagdelen": words});
        if !public_url.is_empty() {
            data["link"] = json!(email_links::page(public_url, ROTA_PAGE));
        }
        data
    })
}
