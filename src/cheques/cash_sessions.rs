//! Cash sessions at the counter: opened with a float, closed with the cash counted
//! against what the cash sales of the session say should be in the drawer.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::{cash_sessions, cheque_sales};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = cash_sessions)]
pub struct CashSession {
    pub id: i64,
    pub opened_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub opened_at: NaiveDateTime,
    /// Cash in the drawer at the start.
    pub float_cents: i64,
    pub closed_by: Option<i64>,
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub closed_at: Option<NaiveDateTime>,
    /// Float plus cash taken, by the books.
    pub expected_cents: Option<i64>,
    pub counted_cents: Option<i64>,
}

pub fn open_session(conn: &mut DbConn, by: i64, float: i64, now: NaiveDateTime) -> QueryResult<CashSession> {
    diesel::insert_into(cash_sessions::table)
        .values((
            cash_sessions::opened_by.eq(by),
            cash_sessions::opened_at.eq(now),
            cash_sessions::float_cents.eq(float),
        ))
        .returning(cash_sessions::all_columns)
        .get_result(conn)
}

pub fn session(conn: &mut DbConn, id: i64) -> QueryResult<Option<CashSession>> {
    cash_sessions::table
        .find(id)
        .select(CashSession::as_select())
        .first(conn)
        .optional()
}

/// Cash taken in a session (cash sales).
pub fn cash_taken(conn: &mut DbConn, session_id: i64) -> QueryResult<i64> {
    let rows: Vec<i64> = cheque_sales::table
        .filter(cheque_sales::cash_session_id.eq(session_id))
        .filter(cheque_sales::channel.eq("cash"))
        .select(cheque_sales::total_cents)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// The lock a sale in the session takes shared and its close exclusively
/// ([`db::lock`](crate::db::lock)).
pub fn session_lock(id: i64) -> String {
    format!("cash-session:{id}")
}

pub fn close_session(
    conn: &mut DbConn,
    id: i64,
    by: i64,
    expected: i64,
    counted: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        cash_sessions::table
            .filter(cash_sessions::id.eq(id))
            .filter(cash_sessions::closed_at.is_null()),
    )
    .set((
        cash_sessions::closed_by.eq(by),
        cash_sessions::closed_at.eq(now),
        cash_sessions::expected_cents.eq(expected),
        cash_sessions::counted_cents.eq(counted),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
