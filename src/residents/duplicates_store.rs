//! Possible duplicate records in the database (see `residents::duplicates`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::resident_duplicates as dup;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = dup)]
pub struct DuplicateRow {
    pub id: i64,
    pub registered_id: i64,
    pub known_id: i64,
    pub found_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolved_by: Option<i64>,
    pub outcome: Option<String>,
}

/// Notes the pair, unless the two records were paired before, either way round (open,
/// merged or told apart).
pub fn note(conn: &mut DbConn, registered_id: i64, known_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    let this_way = dup::registered_id.eq(registered_id).and(dup::known_id.eq(known_id));
    let other_way = dup::registered_id.eq(known_id).and(dup::known_id.eq(registered_id));
    let noted: i64 = dup::table.filter(this_way.or(other_way)).count().get_result(conn)?;
    if noted == 0 {
        diesel::insert_into(dup::table)
            .values((
                dup::registered_id.eq(registered_id),
                dup::known_id.eq(known_id),
                dup::found_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<DuplicateRow>> {
    dup::table
        .find(id)
        .select(DuplicateRow::as_select())
        .first(conn)
        .optional()
}

/// The pairs not decided yet, oldest first.
pub fn open(conn: &mut DbConn) -> QueryResult<Vec<DuplicateRow>> {
    dup::table
        .filter(dup::resolved_at.is_null())
        .order((dup::found_at, dup::id))
        .select(DuplicateRow::as_select())
        .load(conn)
}

/// The open pairs either of whose records is one of `ids`.
pub fn open_naming(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<DuplicateRow>> {
    dup::table
        .filter(dup::resolved_at.is_null())
        .filter(dup::registered_id.eq_any(ids).or(dup::known_id.eq_any(ids)))
        .order(dup::id)
        .select(DuplicateRow::as_select())
        .load(conn)
}

/// Records the desk's decision on a pair it took open (`duplicates::take_open`).
pub fn resolve(conn: &mut DbConn, id: i64, outcome: &str, by: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(dup::table.find(id))
        .set((
            dup::resolved_at.eq(now),
            dup::resolved_by.eq(by),
            dup::outcome.eq(outcome),
        ))
        .execute(conn)
        .map(drop)
}

/// Forgets the pairs other than `except` that `resident` (about to be merged away) is in,
/// as far as they need the record: the open ones, with nothing left to decide, and those
/// it is the desk's record of (their reference would hold the record). The decided pairs
/// it was registered in stay, to say what became of it.
pub fn forget_pairs_of(conn: &mut DbConn, resident: i64, except: i64) -> QueryResult<usize> {
    let open_with_it = dup::resolved_at.is_null().and(dup::registered_id.eq(resident));
    diesel::delete(
        dup::table
            .filter(dup::id.ne(except))
            .filter(open_with_it.or(dup::known_id.eq(resident))),
    )
    .execute(conn)
}

/// Forgets the undecided pairs `resident` is in (erased on request: there is nothing left
/// to merge, and the other record is someone else's to keep).
pub fn forget_undecided_of(conn: &mut DbConn, resident: i64) -> QueryResult<usize> {
    diesel::delete(
        dup::table
            .filter(dup::resolved_at.is_null())
            .filter(dup::registered_id.eq(resident).or(dup::known_id.eq(resident))),
    )
    .execute(conn)
}
