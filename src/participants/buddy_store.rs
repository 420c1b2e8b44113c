//! Buddy volunteers and pairings in the database, and as coaches and participants read
//! them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::{buddies, buddy_volunteers, participants};

/// One pairing, as the newcomer's coach reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BuddyView {
    pub id: i64,
    /// The newcomer.
    pub participant_id: i64,
    /// The buddy: who finished their own trajectory here.
    pub buddy_id: i64,
    pub buddy_name: String,
    pub starts_on: NaiveDate,
    /// The last day; null while it lasts.
    pub ended_on: Option<NaiveDate>,
}

/// Someone who offered to be a buddy, as coaches look for one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VolunteerView {
    pub participant_id: i64,
    pub name: String,
    /// Their neighbourhood, if known: a buddy nearby is easier to meet.
    pub wijk: Option<String>,
    /// Languages they speak (ISO 639-1 codes).
    pub languages: Vec<String>,
    /// Newcomers they help now; at most [`super::buddy::MAX_PER_BUDDY`].
    pub helps_now: i64,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub offered_at: NaiveDateTime,
}

/// The other person of a pairing, as a participant sees them: a first name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnBuddy {
    pub first_name: String,
    pub since: NaiveDate,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = buddies)]
pub struct PairingRow {
    pub id: i64,
    pub participant_id: i64,
    pub buddy_id: i64,
    pub starts_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

pub fn is_volunteer(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    let n: i64 = buddy_volunteers::table.find(id).count().get_result(conn)?;
    Ok(n > 0)
}

/// Records the offer of participant `id` (once; the same again changes nothing).
pub fn volunteer(conn: &mut DbConn, id: i64, by: i64, now: NaiveDateTime) -> QueryResult<()> {
    if !is_volunteer(conn, id)? {
        diesel::insert_into(buddy_volunteers::table)
            .values((
                buddy_volunteers::participant_id.eq(id),
                buddy_volunteers::recorded_by.eq(by),
                buddy_volunteers::recorded_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Withdraws the offer of participant `id` and ends, on `today`, the pairings in which
/// they help someone; whether there was an offer.
pub fn withdraw(conn: &mut DbConn, id: i64, today: NaiveDate) -> QueryResult<bool> {
    let gone = diesel::delete(buddy_volunteers::table.find(id)).execute(conn)? > 0;
    diesel::update(
        buddies::table
            .filter(buddies::buddy_id.eq(id))
            .filter(buddies::ended_on.is_null()),
    )
    .set(buddies::ended_on.eq(today))
    .execute(conn)?;
    Ok(gone)
}

/// Everyone who offered to be a buddy, by name, with how many they help now.
pub fn volunteers(conn: &mut DbConn) -> QueryResult<Vec<VolunteerView>> {
    type Row = (i64, String, Option<String>, String, NaiveDateTime);
    let rows: Vec<Row> = buddy_volunteers::table
        .inner_join(participants::table)
        .order((participants::name, participants::id))
        .select((
            participants::id,
            participants::name,
            participants::wijk,
            participants::languages,
            buddy_volunteers::recorded_at,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let helping: Vec<(i64, i64)> = buddies::table
        .filter(buddies::buddy_id.eq_any(&ids))
        .filter(buddies::ended_on.is_null())
        .group_by(buddies::buddy_id)
        .select((buddies::buddy_id, count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, wijk, languages, offered_at)| VolunteerView {
            participant_id: id,
            name,
            wijk,
            languages: super::model::split_list(&languages),
            helps_now: helping.iter().find(|(b, _)| *b == id).map_or(0, |(_, n)| *n),
            offered_at,
        })
        .collect())
}

/// How many newcomers participant `buddy` helps now.
pub fn helps_now(conn: &mut DbConn, buddy: i64) -> QueryResult<usize> {
    let n: i64 = buddies::table
        .filter(buddies::buddy_id.eq(buddy))
        .filter(buddies::ended_on.is_null())
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// Whether participant `newcomer` has a buddy now.
pub fn has_buddy(conn: &mut DbConn, newcomer: i64) -> QueryResult<bool> {
    let n: i64 = buddies::table
        .filter(buddies::participant_id.eq(newcomer))
        .filter(buddies::ended_on.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(
    conn: &mut DbConn,
    newcomer: i64,
    buddy: i64,
    today: NaiveDate,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(buddies::table)
        .values((
            buddies::participant_id.eq(newcomer),
            buddies::buddy_id.eq(buddy),
            buddies::starts_on.eq(today),
            buddies::created_by.eq(by),
            buddies::created_at.eq(now),
        ))
        .returning(buddies::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<PairingRow>> {
    buddies::table
        .find(id)
        .select(PairingRow::as_select())
        .first(conn)
        .optional()
}

/// Every pairing that lasts now.
pub fn open_pairings(conn: &mut DbConn) -> QueryResult<Vec<PairingRow>> {
    buddies::table
        .filter(buddies::ended_on.is_null())
        .select(PairingRow::as_select())
        .load(conn)
}

pub fn end(conn: &mut DbConn, id: i64, on: NaiveDate) -> QueryResult<()> {
    diesel::update(buddies::table.find(id))
        .set(buddies::ended_on.eq(on))
        .execute(conn)
        .map(drop)
}

/// The buddies participant `newcomer` had and has, the latest first.
pub fn of_newcomer(conn: &mut DbConn, newcomer: i64) -> QueryResult<Vec<BuddyView>> {
    let rows: Vec<(PairingRow, String)> = buddies::table
        .inner_join(participants::table.on(participants::id.eq(buddies::buddy_id)))
        .filter(buddies::participant_id.eq(newcomer))
        .order((buddies::starts_on.desc(), buddies::id.desc()))
        .select((PairingRow::as_select(), participants::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, buddy_name)| BuddyView {
            id: p.id,
            participant_id: p.participant_id,
            buddy_id: p.buddy_id,
            buddy_name,
            starts_on: p.starts_on,
            ended_on: p.ended_on,
        })
        .collect())
}

/// Participant `id`'s pairings on either side, each with the other person's first name,
/// oldest first; only those that last now if `open_only`.
fn with_other(conn: &mut DbConn, id: i64, open_only: bool) -> QueryResult<Vec<(PairingRow, String)>> {
    let mut q = buddies::table
        .inner_join(
            participants::table.on(participants::id
                .eq(buddies::buddy_id)
                .or(participants::id.eq(buddies::participant_id))),
        )
        .filter(buddies::participant_id.eq(id).or(buddies::buddy_id.eq(id)))
        .filter(participants::id.ne(id))
        .into_boxed::<crate::db::MultiBackend>();
    if open_only {
        q = q.filter(buddies::ended_on.is_null());
    }
    let rows: Vec<(PairingRow, String)> = q
        .order((buddies::starts_on, buddies::id))
        .select((PairingRow::as_select(), participants::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, name)| (p, super::model::first_name_of(&name)))
        .collect())
}

/// Participant `id`'s pairings that last now: (their buddy, if they have one; those they
/// help), each as a first name and since when.
pub fn own(conn: &mut DbConn, id: i64) -> QueryResult<(Option<OwnBuddy>, Vec<OwnBuddy>)> {
    let mut buddy = None;
    let mut helping = Vec::new();
    for (p, first_name) in with_other(conn, id, true)? {
        let other = OwnBuddy {
            first_name,
            since: p.starts_on,
        };
        if p.participant_id == id {
            buddy = Some(other);
        } else {
            helping.push(other);
        }
    }
    Ok((buddy, helping))
}

/// Everything held about participant `id` as a buddy or a newcomer, for their export:
/// whether and since when they offered, and their pairings on each side with the other
/// person's first name.
pub fn export_of(conn: &mut DbConn, id: i64) -> QueryResult<serde_json::Value> {
    let offered: Option<NaiveDateTime> = buddy_volunteers::table
        .find(id)
        .select(buddy_volunteers::recorded_at)
        .first(conn)
        .optional()?;
    let rows = with_other(conn, id, false)?;
    let side = |newcomer: bool| {
        rows.iter()
            .filter(|(p, _)| (p.participant_id == id) == newcomer)
            .map(|(p, first_name)| serde_json::json!({"first_name": first_name, "from": p.starts_on, "to": p.ended_on}))
            .collect::<Vec<_>>()
    };
    Ok(serde_json::json!({
        "offered_at": offered,
        "had_as_buddy": side(true),
        "was_buddy_of": side(false),
    }))
}

/// Deletes the offers of participants `ids` and every pairing they are in, on either
/// side (erasure on request).
pub fn forget(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(buddy_volunteers::table.filter(buddy_volunteers::participant_id.eq_any(ids))).execute(conn)?;
    diesel::delete(buddies::table.filter(buddies::participant_id.eq_any(ids).or(buddies::buddy_id.eq_any(ids))))
        .execute(conn)?;
    Ok(())
}

/// Deletes the pairings in which participants `ids` were the newcomer: welfare data of
/// theirs (they were in a trajectory), gone with the rest of it when its retention ends.
/// A buddy's own offer and the pairings in which they help stay: they finished their
/// trajectory long ago by definition, and help now.
pub fn forget_newcomers(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(buddies::table.filter(buddies::participant_id.eq_any(ids))).execute(conn)?;
    Ok(())
}
