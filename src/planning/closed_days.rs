//! Days the servicepunt is closed: a public holiday (Koningsdag, the Christmas days), a
//! team day. Nobody is sent out on them: planning refuses work there (the rule
//! `service_point_closed`), the auto-planner passes them by, and work planned before a day
//! was closed shows as broken on the board, in the broken-work list and in the
//! werkleiders' afternoon alert, and is held back from the day-before reminders.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::closed_days;
use crate::db::{self, DbConn};
use crate::error::ApiError;

/// How far ahead a day can be closed: next year's holidays, not a typo's year.
pub const MAX_DAYS_AHEAD: i64 = 730;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = closed_days)]
pub struct ClosedDay {
    #[diesel(column_name = day)]
    pub date: NaiveDate,
    /// Why, as the werkleiders and the board show it, e.g. "Koningsdag".
    pub reason: String,
}

/// Why the servicepunt is closed on `day`, among `closed`; `None` when it is open.
pub fn reason_on(closed: &[ClosedDay], day: NaiveDate) -> Option<String> {
    closed.iter().find(|c| c.date == day).map(|c| c.reason.clone())
}

/// Whether `day` may be closed or opened again today (pure): not a day gone by, whose
/// work happened or did not, and not further ahead than [`MAX_DAYS_AHEAD`].
pub fn changeable(day: NaiveDate, today: NaiveDate) -> Result<(), ApiError> {
    if day < today {
        return Err(ApiError::validation(
            "date",
            "date_in_past",
            "a day gone by cannot be closed or opened again",
        ));
    }
    if (day - today).num_days() > MAX_DAYS_AHEAD {
        return Err(ApiError::validation(
            "date",
            "too_far_ahead",
            format!("a day can be closed at most {MAX_DAYS_AHEAD} days ahead"),
        ));
    }
    Ok(())
}

/// Holds off planning on `day` while it is being closed or opened (exclusive), or a
/// closing while work is being planned on it (shared: planners go side by side). Without
/// it, work planned at the moment the day closes could be checked against the day still
/// open and be missing from the closing's list of work to re-plan.
pub fn lock(conn: &mut DbConn, day: NaiveDate) -> QueryResult<()> {
    db::lock(conn, &key(day))
}

/// The shared side of [`lock`], for planning work on `day`.
pub fn lock_shared(conn: &mut DbConn, day: NaiveDate) -> QueryResult<()> {
    db::lock_shared(conn, &key(day))
}

fn key(day: NaiveDate) -> String {
    format!("closed-day:{day}")
}

/// The closed days from `from` to `to` (inclusive), earliest first.
pub fn between(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<ClosedDay>> {
    closed_days::table
        .filter(closed_days::day.ge(from))
        .filter(closed_days::day.le(to))
        .order(closed_days::day)
        .select(ClosedDay::as_select())
        .load(conn)
}

/// Whether the servicepunt is closed on `day`.
pub fn is_closed(conn: &mut DbConn, day: NaiveDate) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(closed_days::table.find(day))).get_result(conn)
}

/// Closes `day` for `reason`, or changes the reason of a day closed already; true when the
/// day was open. Take [`lock`] first.
pub fn close(conn: &mut DbConn, day: NaiveDate, reason: &str, by: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(closed_days::table.find(day))
        .set(closed_days::reason.eq(reason))
        .execute(conn)?;
    if changed > 0 {
        return Ok(false);
    }
    diesel::insert_into(closed_days::table)
        .values((
            closed_days::day.eq(day),
            closed_days::reason.eq(reason),
            closed_days::created_by.eq(by),
            closed_days::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Opens `day` again; false when it was not closed. Take [`lock`] first.
pub fn open(conn: &mut DbConn, day: NaiveDate) -> QueryResult<bool> {
    Ok(diesel::delete(closed_days::table.find(day)).execute(conn)? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn code(r: Result<(), ApiError>) -> Option<&'static str> {
        match r {
            Ok(()) => None,
            Err(ApiError::Validation(errors)) => Some(errors[0].code),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn today_up_to_two_years_ahead_can_change() {
        let today = day("2026-12-04");
        assert_eq!(code(changeable(today, today)), None);
        assert_eq!(code(changeable(day("2028-12-03"), today)), None);
        assert_eq!(code(changeable(day("2026-12-03"), today)), Some("date_in_past"));
        assert_eq!(code(changeable(day("2028-12-04"), today)), Some("too_far_ahead"));
    }
}
