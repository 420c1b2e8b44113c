//! Daily cheque work for the timers: expire what is past its last day (breakage), and
//! remind owners 60, 30 and 7 days before their cheques expire — lost value is the top
//! complaint about voucher schemes. Each reminder is recorded so it goes once.
//!
//! A reminder missed because the timers did not run on its day (the server was down over a
//! weekend) goes when they next run, up to a week late for the 60- and 30-day ones and
//! until the last valid day for the 7-day one; after a longer gap only the most urgent
//! reminder goes. Cheques bought after a reminder's day do not make it due again: their
//! owner just bought them.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, exists, min, not};
use diesel::prelude::*;
use serde_json::json;

use super::changes;
use super::store::SOLD;
use crate::db::DbConn;
use crate::db::schema::{cheques, sent_reminders};
use crate::error::ApiError;
use crate::notify::{self, Template};
use crate::planning::reminders;
use crate::residents::store as residents;

pub const REMINDER_DAYS: [i64; 3] = [60, 30, 7];

/// How many days late a missed 60- or 30-day reminder still goes.
pub const CATCH_UP_DAYS: i64 = 7;

/// The days left before the last valid day (inclusive) for which the reminder of
/// `REMINDER_DAYS[i]` is the one due: from its day until a week later, or until the next
/// reminder takes over.
pub fn window(i: usize) -> (i64, i64) {
    let days = REMINDER_DAYS[i];
    match REMINDER_DAYS.get(i + 1) {
        Some(next) => ((days - CATCH_UP_DAYS).max(next + 1), days),
        None => (0, days),
    }
}

/// Whether any of the cheques (the first bought at `first_bought`, UTC) was held on the
/// day the reminder `days` before `last_day` was due.
pub fn held_on_reminder_day(first_bought: NaiveDateTime, last_day: NaiveDate, days: i64) -> bool {
    let day_after = last_day - Duration::days(days - 1);
    first_bought < crate::clock::local_midnight_utc(day_after)
}

/// Returns (cheques expired, reminders sent).
pub fn run(conn: &mut DbConn, today: NaiveDate, now: NaiveDateTime) -> Result<(usize, usize), ApiError> {
    let expired = changes::expire_due(conn, today, now)?;
    let mut reminded = 0;
    for (i, days) in REMINDER_DAYS.into_iter().enumerate() {
        let kind = format!("cheque_expiry_{days}");
        let (fewest, most) = window(i);
        // Per owner and last day, the cheques still unspent, unless reminded already.
        let due: Vec<(i64, NaiveDate, i64, Option<NaiveDateTime>)> = cheques::table
            .filter(cheques::status.eq(SOLD))
            .filter(cheques::valid_until.between(today + Duration::days(fewest), today + Duration::days(most)))
            .filter(not(exists(
                sent_reminders::table
                    .filter(sent_reminders::kind.eq(&kind))
                    .filter(sent_reminders::ref_id.eq(cheques::owner_resident_id))
                    .filter(sent_reminders::for_date.eq(cheques::valid_until)),
            )))
            .group_by((cheques::owner_resident_id, cheques::valid_until))
            .select((
                cheques::owner_resident_id,
                cheques::valid_until,
                count_star(),
                min(cheques::created_at),
            ))
            .order_by((cheques::owner_resident_id, cheques::valid_until))
            .load(conn)?;
        for (owner, last_day, count, first_bought) in due {
            if !first_bought.is_some_and(|t| held_on_reminder_day(t, last_day, days)) {
                continue;
            }
            if !reminders::claim(conn, &kind, owner, last_day, now)? {
                continue;
            }
            if let Some(r) = residents::find(conn, owner)? {
                let data = json!({"name": r.name, "count": count, "date": last_day.to_string()});
                notify::to_resident(conn, &r, Template::ChequeExpiryReminder, &data, today)?;
                reminded += 1;
            }
        }
    }
    Ok((expired, reminded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reminder_is_due_from_its_day_until_a_week_late_or_the_next_one() {
        assert_eq!(window(0), (53, 60));
        assert_eq!(window(1), (23, 30));
        assert_eq!(window(2), (0, 7), "the last one until the last valid day");
        // The windows never overlap, so after a long gap only the most urgent one goes.
        assert!(window(1).1 < window(0).0 && window(2).1 < window(1).0);
    }

    #[test]
    fn cheques_bought_after_the_reminder_day_do_not_make_it_due() {
        let last_day = NaiveDate::from_ymd_opt(2027, 7, 31).unwrap();
        // The 30-day reminder's day is 1 July; Dutch summer time is UTC+2.
        let utc = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert!(held_on_reminder_day(utc("2027-06-15 10:00"), last_day, 30));
        assert!(
            held_on_reminder_day(utc("2027-07-01 21:59"), last_day, 30),
            "bought that day"
        );
        assert!(
            !held_on_reminder_day(utc("2027-07-01 22:00"), last_day, 30),
            "00:00 on 2 July"
        );
        assert!(!held_on_reminder_day(utc("2027-07-05 09:00"), last_day, 30));
    }
}
