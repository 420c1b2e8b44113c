//! Daily cheque work for the timers: expire what is past its last day (breakage), and
//! remind owners 60, 30 and 7 days before their cheques expire — lost value is the top
//! complaint about voucher schemes. Each reminder is recorded so it goes once.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::changes;
use super::store::{Cheque, SOLD};
use crate::db::DbConn;
use crate::db::schema::cheques;
use crate::error::ApiError;
use crate::notify::{self, Template};
use crate::planning::reminders;
use crate::residents::store as residents;

pub const REMINDER_DAYS: [i64; 3] = [60, 30, 7];

/// Returns (cheques expired, reminders sent).
pub fn run(conn: &mut DbConn, today: NaiveDate, now: NaiveDateTime) -> Result<(usize, usize), ApiError> {
    let expired = changes::expire_due(conn, today, now)?;
    let mut reminded = 0;
    for days in REMINDER_DAYS {
        let date = today + Duration::days(days);
        let due: Vec<Cheque> = cheques::table
            .filter(cheques::status.eq(SOLD))
            .filter(cheques::valid_until.eq(date))
            .select(Cheque::as_select())
            .load(conn)?;
        let mut per_owner: BTreeMap<i64, usize> = BTreeMap::new();
        for c in due {
            *per_owner.entry(c.owner_resident_id).or_insert(0) += 1;
        }
        for (owner, count) in per_owner {
            if !reminders::claim(conn, &format!("cheque_expiry_{days}"), owner, date, now)? {
                continue;
            }
            if let Some(r) = residents::find(conn, owner)? {
                let data = json!({"name": r.name, "count": count, "date": date.to_string()});
                notify::to_resident(conn, &r, Template::ChequeExpiryReminder, &data, today)?;
                reminded += 1;
            }
        }
    }
    Ok((expired, reminded))
}
