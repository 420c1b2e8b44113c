//! The on-call rota in the database: one staff member per shift (dagdeel) of a day.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::on_call::{OnDuty, Shift};
use crate::db::DbConn;
use crate::db::schema::{on_call_shifts, users};
use crate::jobs::model::Dagdeel;

/// Who is on call in a shift, and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OnCall {
    pub date: NaiveDate,
    pub dagdeel: Dagdeel,
    pub user_id: i64,
    pub name: String,
    /// The number they answer in that shift.
    pub phone: String,
}

impl OnCall {
    pub fn shift(&self) -> Shift {
        Shift {
            date: self.date,
            dagdeel: self.dagdeel,
        }
    }
}

/// Who to call, as a participant going out sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OnCallContact {
    pub name: String,
    pub phone: String,
}

impl From<&OnCall> for OnCallContact {
    fn from(o: &OnCall) -> Self {
        OnCallContact {
            name: o.name.clone(),
            phone: o.phone.clone(),
        }
    }
}

/// Who to call about work in `shift`, from a rota read with [`between`].
pub fn contact(rota: &[OnCall], shift: Shift) -> Option<OnCallContact> {
    rota.iter().find(|o| o.shift() == shift).map(OnCallContact::from)
}

/// The rota from `first` to `last` (inclusive), in the order of the days and their
/// dagdelen. A shift whose staff member has left since (their account disabled) has no
/// one on call: no one answers there.
pub fn between(conn: &mut DbConn, first: NaiveDate, last: NaiveDate) -> QueryResult<Vec<OnCall>> {
    let rows: Vec<(NaiveDate, String, i64, String, String)> = on_call_shifts::table
        .inner_join(users::table.on(users::id.eq(on_call_shifts::user_id)))
        .filter(on_call_shifts::day.between(first, last))
        .filter(users::active.eq(true))
        .select((
            on_call_shifts::day,
            on_call_shifts::dagdeel,
            on_call_shifts::user_id,
            users::name,
            on_call_shifts::phone,
        ))
        .load(conn)?;
    let mut rota: Vec<OnCall> = rows
        .into_iter()
        .filter_map(|(date, dagdeel, user_id, name, phone)| {
            Some(OnCall {
                date,
                dagdeel: Dagdeel::parse(&dagdeel)?,
                user_id,
                name,
                phone,
            })
        })
        .collect();
    rota.sort_by_key(OnCall::shift);
    Ok(rota)
}

/// Who is on the rota in each of `dagdelen` of `day`, whether their account is active or
/// not.
pub fn on(conn: &mut DbConn, day: NaiveDate, dagdelen: &[Dagdeel]) -> QueryResult<Vec<(Dagdeel, Option<OnDuty>)>> {
    let rows: Vec<(String, i64, String)> = on_call_shifts::table
        .filter(on_call_shifts::day.eq(day))
        .select((on_call_shifts::dagdeel, on_call_shifts::user_id, on_call_shifts::phone))
        .load(conn)?;
    Ok(dagdelen
        .iter()
        .map(|d| {
            let duty = rows
                .iter()
                .find(|(dagdeel, _, _)| dagdeel == d.as_str())
                .map(|(_, user, phone)| (*user, phone.clone()));
            (*d, duty)
        })
        .collect())
}

/// Puts `user` on call in `shift` at `phone`, in place of whoever was; whether the shift
/// had no one before.
pub fn set(conn: &mut DbConn, shift: Shift, user: i64, phone: &str, by: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(on_call_shifts::table.find((shift.date, shift.dagdeel.as_str())))
        .set((
            on_call_shifts::user_id.eq(user),
            on_call_shifts::phone.eq(phone),
            on_call_shifts::set_by.eq(by),
            on_call_shifts::set_at.eq(now),
        ))
        .execute(conn)?;
    if changed > 0 {
        return Ok(false);
    }
    diesel::insert_into(on_call_shifts::table)
        .values((
            on_call_shifts::day.eq(shift.date),
            on_call_shifts::dagdeel.eq(shift.dagdeel.as_str()),
            on_call_shifts::user_id.eq(user),
            on_call_shifts::phone.eq(phone),
            on_call_shifts::set_by.eq(by),
            on_call_shifts::set_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Takes `shift` off the rota; whether someone was on call.
pub fn clear(conn: &mut DbConn, shift: Shift) -> QueryResult<bool> {
    let found = on_call_shifts::table.find((shift.date, shift.dagdeel.as_str()));
    Ok(diesel::delete(found).execute(conn)? > 0)
}

/// Deletes the rota of days more than [`super::on_call::KEPT_DAYS_AFTER`] gone by;
/// returns how many shifts.
pub fn forget_past(conn: &mut DbConn, today: NaiveDate) -> QueryResult<usize> {
    let before = today - chrono::Duration::days(super::on_call::KEPT_DAYS_AFTER);
    diesel::delete(on_call_shifts::table.filter(on_call_shifts::day.lt(before))).execute(conn)
}
