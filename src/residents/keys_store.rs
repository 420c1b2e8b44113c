//! Residents' keys in the database.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::{jobs, resident_keys, residents};
use crate::error::ApiError;
use crate::jobs::lifecycle::JobStatus;

/// A key, held or given back.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = resident_keys)]
pub struct KeyView {
    pub id: i64,
    pub resident_id: i64,
    /// The number on the key's tag.
    pub tag: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub received_at: NaiveDateTime,
    /// When it was given back (UTC); null while the servicepunt holds it.
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub returned_at: Option<NaiveDateTime>,
}

/// A key the servicepunt holds now, for the werkleiders' key list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeldKey {
    #[serde(flatten)]
    pub key: KeyView,
    pub resident_name: String,
    /// Whether the resident has work still to be done: without it the key goes back.
    pub work_to_come: bool,
}

/// The work that is still to be done.
const TO_COME: [JobStatus; 5] = [
    JobStatus::Requested,
    JobStatus::Accepted,
    JobStatus::Waitlisted,
    JobStatus::Scheduled,
    JobStatus::InProgress,
];

fn tag_in_use() -> ApiError {
    ApiError::conflict("tag_in_use", "a key held now carries this tag: give this key another")
}

/// Records that the servicepunt received a key of `resident` under `tag`, from `by`.
pub fn receive(conn: &mut DbConn, resident: i64, tag: &str, by: i64, now: NaiveDateTime) -> Result<KeyView, ApiError> {
    let taken: i64 = resident_keys::table
        .filter(resident_keys::tag.eq(tag))
        .filter(resident_keys::returned_at.is_null())
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(tag_in_use());
    }
    let inserted = diesel::insert_into(resident_keys::table)
        .values((
            resident_keys::resident_id.eq(resident),
            resident_keys::tag.eq(tag),
            resident_keys::received_at.eq(now),
            resident_keys::received_by.eq(by),
        ))
        .returning(resident_keys::id)
        .get_result::<i64>(conn);
    // Two desks giving out the same tag at once: the index refuses the second.
    let id = inserted.map_err(|e| match ApiError::from(e) {
        e if crate::db::is_unique_violation(&e) => tag_in_use(),
        e => e,
    })?;
    Ok(find(conn, id)?)
}

fn find(conn: &mut DbConn, id: i64) -> QueryResult<KeyView> {
    resident_keys::table.find(id).select(KeyView::as_select()).first(conn)
}

/// Records that key `id` of `resident` was given back, by `by`; given back already, it
/// stays as it was.
pub fn give_back(conn: &mut DbConn, resident: i64, id: i64, by: i64, now: NaiveDateTime) -> Result<KeyView, ApiError> {
    let key = resident_keys::table
        .filter(resident_keys::id.eq(id))
        .filter(resident_keys::resident_id.eq(resident))
        .select(KeyView::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if key.returned_at.is_some() {
        return Ok(key);
    }
    diesel::update(resident_keys::table.find(id))
        .set((
            resident_keys::returned_at.eq(Some(now)),
            resident_keys::returned_by.eq(Some(by)),
        ))
        .execute(conn)?;
    Ok(find(conn, id)?)
}

/// Every key of `resident`, newest first.
pub fn of_resident(conn: &mut DbConn, resident: i64) -> QueryResult<Vec<KeyView>> {
    resident_keys::table
        .filter(resident_keys::resident_id.eq(resident))
        .order((resident_keys::received_at.desc(), resident_keys::id.desc()))
        .select(KeyView::as_select())
        .load(conn)
}

/// The tags of the keys of `resident` held now (for the crew, who fetch them).
pub fn held_tags(conn: &mut DbConn, resident: i64) -> QueryResult<Vec<String>> {
    resident_keys::table
        .filter(resident_keys::resident_id.eq(resident))
        .filter(resident_keys::returned_at.is_null())
        .order(resident_keys::tag)
        .select(resident_keys::tag)
        .load(conn)
}

/// Every key held now: those of residents with no work to come first (they go back),
/// then the longest held.
pub fn held(conn: &mut DbConn) -> QueryResult<Vec<HeldKey>> {
    let rows: Vec<(KeyView, String)> = resident_keys::table
        .inner_join(residents::table)
        .filter(resident_keys::returned_at.is_null())
        .select((KeyView::as_select(), residents::name))
        .load(conn)?;
    let owners: Vec<i64> = rows.iter().map(|(k, _)| k.resident_id).collect();
    let busy: HashSet<i64> = jobs::table
        .filter(jobs::recipient_id.eq_any(&owners))
        .filter(jobs::status.eq_any(TO_COME.map(JobStatus::as_str)))
        .select(jobs::recipient_id)
        .distinct()
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let mut held: Vec<HeldKey> = rows
        .into_iter()
        .map(|(key, resident_name)| HeldKey {
            work_to_come: busy.contains(&key.resident_id),
            key,
            resident_name,
        })
        .collect();
    held.sort_by_key(|h| (h.work_to_come, h.key.received_at, h.key.id));
    Ok(held)
}

/// Whether the servicepunt holds a key of `resident` now.
pub fn any_held(conn: &mut DbConn, resident: i64) -> QueryResult<bool> {
    Ok(!held_tags(conn, resident)?.is_empty())
}

/// Deletes the key records of `resident` (erasure: only once every key is back).
pub fn delete_of(conn: &mut DbConn, resident: i64) -> QueryResult<usize> {
    diesel::delete(resident_keys::table.filter(resident_keys::resident_id.eq(resident))).execute(conn)
}
