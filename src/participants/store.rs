//! Participants, their availability, absences, clearance history and do-not-pair list.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::clearance::Clearance;
use super::input::Profile;
use super::model::{Absence, AvailabilitySlot, ClearanceChange, ParticipantRow};
use crate::db::schema::{
    clearance_changes, do_not_pair, participant_absences, participant_availability, participants,
    preferred_participants,
};
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::jobs::model::Dagdeel;

/// Holds off other changes to the participant, and planning them, until the transaction
/// ends ([`db::lock`]). A change to the profile builds on what it read, so two at once on
/// PostgreSQL would put back what the other changed; planning checks the days, absences
/// and clearance, which must not change under it; an erasure clears what the rest
/// recorded, so nothing may be recorded while it runs. Several participants are locked in
/// ascending id order, so two such transactions never wait for each other in a circle.
pub fn lock(conn: &mut DbConn, participant_id: i64) -> QueryResult<()> {
    db::lock(conn, &format!("participant:{participant_id}"))
}

pub fn insert(
    conn: &mut DbConn,
    p: &Profile,
    clearance: Clearance,
    coach: Option<i64>,
    user_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<ParticipantRow> {
    let row: ParticipantRow = diesel::insert_into(participants::table)
        .values((
            participants::user_id.eq(user_id),
            participants::name.eq(&p.name),
            participants::email.eq(p.email.as_deref()),
            participants::phone.eq(p.phone.as_deref()),
            participants::postcode.eq(p.postcode.as_deref()),
            participants::wijk.eq(p.wijk.as_deref()),
            participants::languages.eq(&p.languages),
            participants::skills.eq(&p.skills),
            participants::interests.eq(&p.interests),
            participants::aversions.eq(&p.aversions),
            participants::clearance.eq(clearance.as_str()),
            participants::contracted_minutes_per_week.eq(p.contracted_minutes),
            participants::vog_issued_on.eq(p.vog_issued_on),
            participants::coach_user_id.eq(coach),
            participants::active.eq(true),
            participants::created_at.eq(now),
            participants::updated_at.eq(now),
        ))
        .returning(participants::all_columns)
        .get_result(conn)?;
    set_availability(conn, row.id, &p.availability)?;
    Ok(row)
}

/// Links the participant's own account; only while they have none (`false` otherwise).
pub fn link_account(conn: &mut DbConn, id: i64, user_id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(participants::table.find(id).filter(participants::user_id.is_null()))
        .set((participants::user_id.eq(user_id), participants::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn update_profile(
    conn: &mut DbConn,
    id: i64,
    p: &Profile,
    coach: Option<i64>,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(participants::table.find(id))
        .set((
            participants::name.eq(&p.name),
            participants::email.eq(p.email.as_deref()),
            participants::phone.eq(p.phone.as_deref()),
            participants::postcode.eq(p.postcode.as_deref()),
            participants::wijk.eq(p.wijk.as_deref()),
            participants::languages.eq(&p.languages),
            participants::skills.eq(&p.skills),
            participants::interests.eq(&p.interests),
            participants::aversions.eq(&p.aversions),
            participants::contracted_minutes_per_week.eq(p.contracted_minutes),
            participants::vog_issued_on.eq(p.vog_issued_on),
            participants::coach_user_id.eq(coach),
            participants::active.eq(active),
            participants::updated_at.eq(now),
        ))
        .execute(conn)?;
    mark_inactive_since(conn, id, active, now)?;
    set_availability(conn, id, &p.availability)
}

/// Records when the participant stopped being active (`now`, if they were active until
/// now), or that they are active again.
pub fn mark_inactive_since(conn: &mut DbConn, id: i64, active: bool, now: NaiveDateTime) -> QueryResult<()> {
    let participant = participants::table.find(id);
    if active {
        diesel::update(participant)
            .set(participants::inactive_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
    } else {
        diesel::update(participant.filter(participants::inactive_since.is_null()))
            .set(participants::inactive_since.eq(Some(now)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_clearance(
    conn: &mut DbConn,
    id: i64,
    from: Option<Clearance>,
    to: Clearance,
    by: i64,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(participants::table.find(id))
        .set(participants::clearance.eq(to.as_str()))
        .execute(conn)?;
    diesel::insert_into(clearance_changes::table)
        .values((
            clearance_changes::participant_id.eq(id),
            clearance_changes::from_clearance.eq(from.map(Clearance::as_str)),
            clearance_changes::to_clearance.eq(to.as_str()),
            clearance_changes::changed_by.eq(by),
            clearance_changes::reason.eq(reason),
            clearance_changes::at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The clearance changes of these participants, oldest first.
pub fn clearance_histories(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<ClearanceChange>> {
    clearance_changes::table
        .filter(clearance_changes::participant_id.eq_any(ids))
        .order(clearance_changes::id.asc())
        .select(ClearanceChange::as_select())
        .load(conn)
}

fn set_availability(conn: &mut DbConn, id: i64, slots: &[AvailabilitySlot]) -> QueryResult<()> {
    diesel::delete(participant_availability::table.filter(participant_availability::participant_id.eq(id)))
        .execute(conn)?;
    for s in slots {
        diesel::insert_into(participant_availability::table)
            .values((
                participant_availability::participant_id.eq(id),
                participant_availability::weekday.eq(i64::from(s.weekday)),
                participant_availability::dagdeel.eq(s.dagdeel.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<ParticipantRow>> {
    participants::table
        .find(id)
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()
}

/// Refuses (409 `planned_work`) while the participant is planned on work not done yet:
/// erased or made inactive, they would leave a crew short. The werkleider plans someone
/// else first.
pub fn not_planned(conn: &mut DbConn, id: i64) -> Result<(), ApiError> {
    let planned = crate::planning::assignment_store::planned_work_of(conn, id)?;
    if planned > 0 {
        return Err(ApiError::conflict(
            "planned_work",
            format!("this participant is planned for {planned} job(s) not done yet: plan someone else first"),
        ));
    }
    Ok(())
}

/// The participant (404 when unknown), refused with 409 `participant_erased` when their
/// data was erased on request ([`ParticipantRow::still_recordable`]).
pub fn recordable(conn: &mut DbConn, id: i64) -> Result<ParticipantRow, ApiError> {
    find(conn, id)?.ok_or(ApiError::NotFound)?.still_recordable(None)
}

pub fn find_by_user(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<ParticipantRow>> {
    participants::table
        .filter(participants::user_id.eq(user_id))
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()
}

/// Participants by name: everyone or one coach's caseload, and of those all, only the
/// active (`Some(true)`) or only those who left (`Some(false)`).
pub fn list(conn: &mut DbConn, coach: Option<i64>, active: Option<bool>) -> QueryResult<Vec<ParticipantRow>> {
    let mut q = participants::table.into_boxed::<crate::db::MultiBackend>();
    if let Some(c) = coach {
        q = q.filter(participants::coach_user_id.eq(c));
    }
    if let Some(active) = active {
        q = q.filter(participants::active.eq(active));
    }
    q.order((participants::name.asc(), participants::id.asc()))
        .select(ParticipantRow::as_select())
        .load(conn)
}

/// Availability of the given participants: (participant, weekday, dagdeel), each week in
/// the day's order. Read as the table's unique index runs (no sort in the database; the
/// board reads every week on each build), dagdelen by name, then put in the day's order.
pub fn availability_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, AvailabilitySlot)>> {
    let rows: Vec<(i64, i64, String)> = participant_availability::table
        .filter(participant_availability::participant_id.eq_any(ids))
        .order((
            participant_availability::participant_id,
            participant_availability::weekday,
            participant_availability::dagdeel,
        ))
        .select((
            participant_availability::participant_id,
            participant_availability::weekday,
            participant_availability::dagdeel,
        ))
        .load(conn)?;
    let mut slots = rows
        .into_iter()
        .filter_map(|(p, wd, d)| {
            Some((
                p,
                AvailabilitySlot {
                    weekday: u32::try_from(wd).ok()?,
                    dagdeel: Dagdeel::parse(&d)?,
                },
            ))
        })
        .collect::<Vec<_>>();
    slots.sort_by_key(|(p, s)| (*p, s.weekday, s.dagdeel));
    Ok(slots)
}

pub struct NewAbsence<'a> {
    pub participant_id: i64,
    pub kind: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: Option<&'a str>,
    pub created_by: i64,
}

pub fn add_absence(conn: &mut DbConn, a: &NewAbsence<'_>, now: NaiveDateTime) -> QueryResult<Absence> {
    diesel::insert_into(participant_absences::table)
        .values((
            participant_absences::participant_id.eq(a.participant_id),
            participant_absences::kind.eq(a.kind),
            participant_absences::starts_on.eq(a.starts_on),
            participant_absences::ends_on.eq(a.ends_on),
            participant_absences::note.eq(a.note),
            participant_absences::created_by.eq(a.created_by),
            participant_absences::created_at.eq(now),
        ))
        .returning(participant_absences::all_columns)
        .get_result(conn)
}

/// The participant's absence with this id.
pub fn find_absence(conn: &mut DbConn, participant_id: i64, id: i64) -> QueryResult<Option<Absence>> {
    participant_absences::table
        .find(id)
        .filter(participant_absences::participant_id.eq(participant_id))
        .select(Absence::as_select())
        .first(conn)
        .optional()
}

/// Moves the last day of an absence (a recovery reported, or a longer leave).
pub fn set_absence_end(conn: &mut DbConn, id: i64, ends_on: NaiveDate) -> QueryResult<Absence> {
    diesel::update(participant_absences::table.find(id))
        .set(participant_absences::ends_on.eq(ends_on))
        .returning(participant_absences::all_columns)
        .get_result(conn)
}

pub fn delete_absence(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(participant_absences::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Absences of the participants that touch `[from, to]`.
pub fn absences_of(conn: &mut DbConn, ids: &[i64], from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<Absence>> {
    participant_absences::table
        .filter(participant_absences::participant_id.eq_any(ids))
        .filter(participant_absences::starts_on.le(to))
        .filter(participant_absences::ends_on.ge(from))
        .order((participant_absences::participant_id, participant_absences::starts_on))
        .select(Absence::as_select())
        .load(conn)
}

pub fn add_do_not_pair(
    conn: &mut DbConn,
    a: i64,
    b: i64,
    reason: Option<&str>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    let exists: bool = diesel::select(diesel::dsl::exists(
        do_not_pair::table
            .filter(do_not_pair::participant_id.eq(low))
            .filter(do_not_pair::other_participant_id.eq(high)),
    ))
    .get_result(conn)?;
    if !exists {
        diesel::insert_into(do_not_pair::table)
            .values((
                do_not_pair::participant_id.eq(low),
                do_not_pair::other_participant_id.eq(high),
                do_not_pair::reason.eq(reason),
                do_not_pair::created_by.eq(by),
                do_not_pair::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Lifts the do-not-pair note between `a` and `b`, whichever was named first; false when
/// there was none.
pub fn remove_do_not_pair(conn: &mut DbConn, a: i64, b: i64) -> QueryResult<bool> {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    let removed = diesel::delete(
        do_not_pair::table
            .filter(do_not_pair::participant_id.eq(low))
            .filter(do_not_pair::other_participant_id.eq(high)),
    )
    .execute(conn)?;
    Ok(removed > 0)
}

/// All do-not-pair pairs that involve any of `ids`.
pub fn do_not_pair_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    do_not_pair::table
        .filter(
            do_not_pair::participant_id
                .eq_any(ids)
                .or(do_not_pair::other_participant_id.eq_any(ids)),
        )
        .select((do_not_pair::participant_id, do_not_pair::other_participant_id))
        .load(conn)
}

/// Records that the resident asks for the participant again; whether it is new (false:
/// asked before).
pub fn add_preferred(
    conn: &mut DbConn,
    resident_id: i64,
    participant_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        preferred_participants::table
            .filter(preferred_participants::resident_id.eq(resident_id))
            .filter(preferred_participants::participant_id.eq(participant_id)),
    ))
    .get_result(conn)?;
    if !exists {
        diesel::insert_into(preferred_participants::table)
            .values((
                preferred_participants::resident_id.eq(resident_id),
                preferred_participants::participant_id.eq(participant_id),
                preferred_participants::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(!exists)
}

/// How many residents ask for the participant again.
pub fn asked_again_by(conn: &mut DbConn, participant_id: i64) -> QueryResult<i64> {
    preferred_participants::table
        .filter(preferred_participants::participant_id.eq(participant_id))
        .count()
        .get_result(conn)
}

pub fn preferred_of(conn: &mut DbConn, resident_id: i64) -> QueryResult<Vec<i64>> {
    preferred_participants::table
        .filter(preferred_participants::resident_id.eq(resident_id))
        .select(preferred_participants::participant_id)
        .load(conn)
}
