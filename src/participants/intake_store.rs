//! The intake roster in the database, and as coaches read it.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::intake::{self, Booking};
use crate::auth::AuthUser;
use crate::auth::Role;
use crate::db::schema::{intake_slots, users};
use crate::db::{self, DbConn};
use crate::error::ApiError;

/// Who is coming and who booked them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookingView {
    /// The client the sociale dienst refers.
    pub client_name: String,
    /// The klantmanager who booked.
    pub case_manager: String,
    pub note: Option<String>,
    /// When the booking was written down (UTC).
    #[serde(serialize_with = "crate::clock::utc")]
    pub booked_at: NaiveDateTime,
    /// Whether the client came, once the coach wrote it down (from the start of the
    /// intake); null until then.
    pub came: Option<bool>,
}

/// A time on a coach's Werkplein day, free or booked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IntakeSlotView {
    pub id: i64,
    /// The coach (trajectbegeleider) the intake is with.
    pub coach_id: i64,
    pub coach_name: String,
    pub on: NaiveDate,
    /// Dutch time the intake starts.
    #[schema(value_type = String, example = "09:30:00")]
    pub from: NaiveTime,
    pub minutes: i64,
    pub booked: bool,
    /// Only for the slot's coach and the coordinator; null when free, or booked and
    /// someone else's.
    pub booking: Option<BookingView>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = intake_slots)]
pub struct Row {
    pub id: i64,
    pub coach_user_id: i64,
    pub on_date: NaiveDate,
    pub from_time: NaiveTime,
    pub minutes: i64,
    pub client_name: Option<String>,
    pub case_manager: Option<String>,
    pub note: Option<String>,
    pub booked_at: Option<NaiveDateTime>,
    pub came: Option<bool>,
}

impl Row {
    /// Whether `user` may see the names and change the booking: the slot's own coach, or
    /// the coordinator.
    pub fn is_for(&self, user: &AuthUser) -> bool {
        user.role == Role::Coordinator || self.coach_user_id == user.id
    }

    /// The booking, if there is one (every reader learns that there is).
    pub fn booking(&self) -> Option<Booking> {
        Some(Booking {
            client_name: self.client_name.clone()?,
            case_manager: self.case_manager.clone().unwrap_or_default(),
            note: self.note.clone(),
            came: self.came,
        })
    }

    /// The slot as `reader` may see it.
    pub fn view(self, coach_name: String, reader: &AuthUser) -> IntakeSlotView {
        let visible = self.is_for(reader);
        let booking = match (self.booking(), self.booked_at) {
            (Some(b), Some(booked_at)) if visible => Some(BookingView {
                client_name: b.client_name,
                case_manager: b.case_manager,
                note: b.note,
                booked_at,
                came: b.came,
            }),
            _ => None,
        };
        IntakeSlotView {
            id: self.id,
            coach_id: self.coach_user_id,
            coach_name,
            on: self.on_date,
            from: self.from_time,
            minutes: self.minutes,
            booked: self.client_name.is_some(),
            booking,
        }
    }
}

fn overlapping(at: NaiveTime) -> ApiError {
    ApiError::conflict(
        "slot_overlaps",
        format!("the intake at {} overlaps a time open already", at.format("%H:%M")),
    )
}

/// Opens `starts` (checked, sorted) of `minutes` on `coach`'s day `on`, none overlapping
/// a time open already (409 `slot_overlaps`; the coach's day is locked meanwhile);
/// returns the new slots' ids.
pub fn open(
    conn: &mut DbConn,
    coach: i64,
    on: NaiveDate,
    starts: &[NaiveTime],
    minutes: i64,
    by: i64,
    now: NaiveDateTime,
) -> Result<Vec<i64>, ApiError> {
    db::lock(conn, &format!("intake:{coach}:{on}"))?;
    let open: Vec<(NaiveTime, i64)> = intake_slots::table
        .filter(intake_slots::coach_user_id.eq(coach))
        .filter(intake_slots::on_date.eq(on))
        .select((intake_slots::from_time, intake_slots::minutes))
        .load(conn)?;
    if let Some(at) = starts
        .iter()
        .find(|s| open.iter().any(|o| intake::overlaps((**s, minutes), *o)))
    {
        return Err(overlapping(*at));
    }
    let mut ids = Vec::with_capacity(starts.len());
    for at in starts {
        let id = diesel::insert_into(intake_slots::table)
            .values((
                intake_slots::coach_user_id.eq(coach),
                intake_slots::on_date.eq(on),
                intake_slots::from_time.eq(at),
                intake_slots::minutes.eq(minutes),
                intake_slots::created_by.eq(by),
                intake_slots::created_at.eq(now),
            ))
            .returning(intake_slots::id)
            .get_result::<i64>(conn)
            .map_err(|e| match ApiError::from(e) {
                e if db::is_unique_violation(&e) => overlapping(*at),
                e => e,
            })?;
        ids.push(id);
    }
    Ok(ids)
}

/// Slot `id`.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Row>> {
    intake_slots::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()
}

/// The slots from `from` to `to` (inclusive), of `coach` alone if given, by day and time,
/// each with its coach's name.
pub fn between(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
    coach: Option<i64>,
) -> QueryResult<Vec<(Row, String)>> {
    let mut query = intake_slots::table
        .inner_join(users::table.on(users::id.eq(intake_slots::coach_user_id)))
        .filter(intake_slots::on_date.between(from, to))
        .into_boxed();
    if let Some(coach) = coach {
        query = query.filter(intake_slots::coach_user_id.eq(coach));
    }
    query
        .order((
            intake_slots::on_date,
            intake_slots::from_time,
            users::name,
            intake_slots::id,
        ))
        .select((Row::as_select(), users::name))
        .load(conn)
}

/// The slots with `ids`, as [`between`] gives them.
pub fn with_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(Row, String)>> {
    intake_slots::table
        .inner_join(users::table.on(users::id.eq(intake_slots::coach_user_id)))
        .filter(intake_slots::id.eq_any(ids))
        .order((intake_slots::on_date, intake_slots::from_time, intake_slots::id))
        .select((Row::as_select(), users::name))
        .load(conn)
}

/// The coach of each booked slot from `from` to `to` (inclusive), one entry a slot.
pub fn booked_between(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<i64>> {
    intake_slots::table
        .filter(intake_slots::on_date.between(from, to))
        .filter(intake_slots::client_name.is_not_null())
        .select(intake_slots::coach_user_id)
        .load(conn)
}

/// The coach of each booked slot from `from` to `to` that does not say yet whether the
/// client came.
pub fn unnoted_between(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<i64>> {
    intake_slots::table
        .filter(intake_slots::on_date.between(from, to))
        .filter(intake_slots::client_name.is_not_null())
        .filter(intake_slots::came.is_null())
        .select(intake_slots::coach_user_id)
        .load(conn)
}

/// Books slot `id` if it is still free; whether it was.
pub fn book(conn: &mut DbConn, id: i64, booking: &Booking, by: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(intake_slots::table.find(id).filter(intake_slots::client_name.is_null()))
        .set((
            intake_slots::client_name.eq(Some(&booking.client_name)),
            intake_slots::case_manager.eq(Some(&booking.case_manager)),
            intake_slots::note.eq(booking.note.as_deref()),
            intake_slots::booked_by.eq(Some(by)),
            intake_slots::booked_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Frees slot `id` if it is booked; whether it was.
pub fn cancel(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        intake_slots::table
            .find(id)
            .filter(intake_slots::client_name.is_not_null()),
    )
    .set((
        intake_slots::client_name.eq(None::<String>),
        intake_slots::case_manager.eq(None::<String>),
        intake_slots::note.eq(None::<String>),
        intake_slots::booked_by.eq(None::<i64>),
        intake_slots::booked_at.eq(None::<NaiveDateTime>),
        intake_slots::came.eq(None::<bool>),
        intake_slots::came_noted_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Writes down whether the client of booked slot `id` came; whether it is booked.
pub fn note_came(conn: &mut DbConn, id: i64, came: bool, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        intake_slots::table
            .find(id)
            .filter(intake_slots::client_name.is_not_null()),
    )
    .set((
        intake_slots::came.eq(Some(came)),
        intake_slots::came_noted_at.eq(Some(now)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Removes slot `id` if it is free; whether it was.
pub fn remove(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    let removed =
        diesel::delete(intake_slots::table.find(id).filter(intake_slots::client_name.is_null())).execute(conn)?;
    Ok(removed == 1)
}

/// What handing a coach's roster over did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RosterHandedOver {
    /// Times to come (free or booked) that are the new coach's now.
    pub moved: usize,
    /// Times to come left with the coach it was handed from, because they overlap one of
    /// the new coach's own: the coordinator sees them on the roster to rebook or take off.
    pub left: usize,
}

/// Gives `to` every time of `from` that has not begun (as of `now`, Dutch time) and
/// overlaps none of `to`'s own. Each day involved is locked for both coaches, in order.
pub fn hand_over(conn: &mut DbConn, from: i64, to: i64, now: NaiveDateTime) -> QueryResult<RosterHandedOver> {
    let coming: Vec<Row> = intake_slots::table
        .filter(intake_slots::coach_user_id.eq(from))
        .filter(intake_slots::on_date.ge(now.date()))
        .order((intake_slots::on_date, intake_slots::from_time))
        .select(Row::as_select())
        .load::<Row>(conn)?
        .into_iter()
        .filter(|r| r.on_date.and_time(r.from_time) > now)
        .collect();
    let mut days: Vec<NaiveDate> = coming.iter().map(|r| r.on_date).collect();
    days.dedup();
    for day in &days {
        for coach in [from.min(to), from.max(to)] {
            db::lock(conn, &format!("intake:{coach}:{day}"))?;
        }
    }
    let mut taken: Vec<(NaiveDate, NaiveTime, i64)> = intake_slots::table
        .filter(intake_slots::coach_user_id.eq(to))
        .filter(intake_slots::on_date.eq_any(&days))
        .select((intake_slots::on_date, intake_slots::from_time, intake_slots::minutes))
        .load(conn)?;
    let mut done = RosterHandedOver::default();
    for slot in coming {
        let clash = taken
            .iter()
            .any(|(d, t, m)| *d == slot.on_date && intake::overlaps((*t, *m), (slot.from_time, slot.minutes)));
        if clash {
            done.left += 1;
            continue;
        }
        diesel::update(intake_slots::table.find(slot.id))
            .set(intake_slots::coach_user_id.eq(to))
            .execute(conn)?;
        taken.push((slot.on_date, slot.from_time, slot.minutes));
        done.moved += 1;
    }
    Ok(done)
}

/// Deletes the slots of days more than [`intake::KEPT_DAYS_AFTER`] gone by; how many.
pub fn forget_past(conn: &mut DbConn, today: NaiveDate) -> QueryResult<usize> {
    let before = today - chrono::Duration::days(intake::KEPT_DAYS_AFTER);
    diesel::delete(intake_slots::table.filter(intake_slots::on_date.lt(before))).execute(conn)
}
