//! Closing a month: after finance closes it no journal line can be dated inside it, so
//! what was reported cannot change behind finance's back. Corrections found later are
//! posted in the open period, with a reference to what they correct. Only the
//! coordinator can reopen a month, with a reason, and both are kept as events.
//!
//! A close (or reopen) of a month takes its lock, and every posting dated in it takes the
//! same lock shared: postings go side by side, a close waits for those under way and
//! holds off new ones until it has kept the month's sums, so no posting slips into a
//! month while it is being closed. (An exclusive lock per posting made every sale,
//! redemption and payout of the month wait for the one before it on PostgreSQL.)

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{closed_periods, period_events};
use crate::db::{self, DbConn};
use crate::error::ApiError;

/// `YYYY-MM` of a date.
pub fn month_of(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// The first day of a `YYYY-MM` month and of the month after it.
pub fn parse_month(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    Some((first, next))
}

fn period_key(month: &str) -> String {
    format!("period:{month}")
}

fn lock(conn: &mut DbConn, month: &str) -> Result<(), ApiError> {
    Ok(db::lock(conn, &period_key(month))?)
}

/// Refuses a posting dated in a closed month.
pub fn check_open(conn: &mut DbConn, date: NaiveDate) -> Result<(), ApiError> {
    let month = month_of(date);
    db::lock_shared(conn, &period_key(&month))?;
    let closed: i64 = closed_periods::table
        .filter(closed_periods::month.eq(&month))
        .count()
        .get_result(conn)?;
    if closed > 0 {
        return Err(ApiError::conflict(
            "period_closed",
            format!("{month} is closed: post the correction in the open period, with a reference"),
        ));
    }
    Ok(())
}

fn event(
    conn: &mut DbConn,
    month: &str,
    action: &str,
    reason: Option<&str>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(period_events::table)
        .values((
            period_events::month.eq(month),
            period_events::action.eq(action),
            period_events::reason.eq(reason),
            period_events::actor_user_id.eq(by),
            period_events::at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn close(conn: &mut DbConn, month: &str, by: i64, today: NaiveDate, now: NaiveDateTime) -> Result<(), ApiError> {
    let (first, next) = parse_month(month).ok_or_else(invalid_month)?;
    if next > today {
        return Err(ApiError::validation(
            "month",
            "period_not_over",
            "a month can be closed once it is over",
        ));
    }
    lock(conn, month)?;
    let closed: i64 = closed_periods::table
        .filter(closed_periods::month.eq(month))
        .count()
        .get_result(conn)?;
    if closed > 0 {
        return Err(ApiError::conflict(
            "period_already_closed",
            format!("{month} is closed already"),
        ));
    }
    diesel::insert_into(closed_periods::table)
        .values((
            closed_periods::month.eq(month),
            closed_periods::closed_by.eq(by),
            closed_periods::closed_at.eq(now),
        ))
        .execute(conn)?;
    super::balances::keep_month(conn, month, first, next)?;
    Ok(event(conn, month, "closed", None, by, now)?)
}

pub fn reopen(conn: &mut DbConn, month: &str, by: i64, reason: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    parse_month(month).ok_or_else(invalid_month)?;
    lock(conn, month)?;
    super::balances::forget_month(conn, month)?;
    let n = diesel::delete(closed_periods::table.filter(closed_periods::month.eq(month))).execute(conn)?;
    if n == 0 {
        return Err(ApiError::conflict(
            "period_not_closed",
            format!("{month} is not closed"),
        ));
    }
    Ok(event(conn, month, "reopened", Some(reason), by, now)?)
}

pub fn invalid_month() -> ApiError {
    ApiError::validation("month", "invalid_month", "a month looks like 2026-05")
}

#[derive(Debug, Serialize, ToSchema, Queryable)]
pub struct PeriodEvent {
    pub month: String,
    /// `closed` or `reopened`.
    pub action: String,
    pub reason: Option<String>,
    pub actor_user_id: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Periods {
    /// Closed months, oldest first.
    pub closed: Vec<String>,
    /// Every close and reopen, newest first.
    pub events: Vec<PeriodEvent>,
}

pub fn list(conn: &mut DbConn) -> Result<Periods, ApiError> {
    let closed = closed_periods::table
        .order(closed_periods::month)
        .select(closed_periods::month)
        .load(conn)?;
    let events = period_events::table
        .order(period_events::id.desc())
        .select((
            period_events::month,
            period_events::action,
            period_events::reason,
            period_events::actor_user_id,
            period_events::at,
        ))
        .load(conn)?;
    Ok(Periods { closed, events })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        assert_eq!(month_of(d("2026-03-09")), "2026-03");
        assert_eq!(parse_month("2026-12"), Some((d("2026-12-01"), d("2027-01-01"))));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("2026-1"), None);
        assert_eq!(parse_month("jan"), None);
    }
}
