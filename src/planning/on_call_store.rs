//! The on-call rota in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::{on_call_days, users};

/// Who is on call on a day, and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OnCall {
    pub date: NaiveDate,
    pub user_id: i64,
    pub name: String,
    /// The number they answer that day.
    pub phone: String,
}

/// Who to call, as a participant going out sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OnCallContact {
    pub name: String,
    pub phone: String,
}

impl From<OnCall> for OnCallContact {
    fn from(o: OnCall) -> Self {
        OnCallContact {
            name: o.name,
            phone: o.phone,
        }
    }
}

/// The rota from `first` to `last` (inclusive), earliest first. A day whose staff member
/// has left since (their account disabled) has no one on call: no one answers there.
pub fn between(conn: &mut DbConn, first: NaiveDate, last: NaiveDate) -> QueryResult<Vec<OnCall>> {
    let rows: Vec<(NaiveDate, i64, String, String)> = on_call_days::table
        .inner_join(users::table.on(users::id.eq(on_call_days::user_id)))
        .filter(on_call_days::day.between(first, last))
        .filter(users::active.eq(true))
        .order(on_call_days::day)
        .select((
            on_call_days::day,
            on_call_days::user_id,
            users::name,
            on_call_days::phone,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(date, user_id, name, phone)| OnCall {
            date,
            user_id,
            name,
            phone,
        })
        .collect())
}

/// Who is on the rota for `day`, whether their account is active or not.
pub fn on(conn: &mut DbConn, day: NaiveDate) -> QueryResult<Option<super::on_call::OnDuty>> {
    on_call_days::table
        .find(day)
        .select((on_call_days::user_id, on_call_days::phone))
        .first(conn)
        .optional()
}

/// Puts `user` on call on `day` at `phone`, in place of whoever was; whether the day had
/// no one before.
pub fn set(
    conn: &mut DbConn,
    day: NaiveDate,
    user: i64,
    phone: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(on_call_days::table.find(day))
        .set((
            on_call_days::user_id.eq(user),
            on_call_days::phone.eq(phone),
            on_call_days::set_by.eq(by),
            on_call_days::set_at.eq(now),
        ))
        .execute(conn)?;
    if changed > 0 {
        return Ok(false);
    }
    diesel::insert_into(on_call_days::table)
        .values((
            on_call_days::day.eq(day),
            on_call_days::user_id.eq(user),
            on_call_days::phone.eq(phone),
            on_call_days::set_by.eq(by),
            on_call_days::set_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Takes `day` off the rota; whether someone was on call.
pub fn clear(conn: &mut DbConn, day: NaiveDate) -> QueryResult<bool> {
    Ok(diesel::delete(on_call_days::table.find(day)).execute(conn)? > 0)
}

/// Deletes the rota of days more than [`super::on_call::KEPT_DAYS_AFTER`] gone by;
/// returns how many.
pub fn forget_past(conn: &mut DbConn, today: NaiveDate) -> QueryResult<usize> {
    let before = today - chrono::Duration::days(super::on_call::KEPT_DAYS_AFTER);
    diesel::delete(on_call_days::table.filter(on_call_days::day.lt(before))).execute(conn)
}
