//! Cash sessions at the counter: opened with a float, closed with the cash counted
//! against what should be in the drawer: the float, plus the session's cash sales, less
//! the cash handed back in it (cheques refunded in cash, cash-sold cheques voided).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{cash_payouts, cash_sessions, cheque_sales};
use crate::db::{self, DbConn, MultiBackend};
use crate::error::ApiError;
use crate::pagination::PageQuery;

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
    /// Float plus cash sales less cash handed back, by the books: at its close, and for an
    /// open session in the views below, so far.
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

/// The cash that went through a session's drawer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawer {
    /// Taken for cheques sold in cash.
    pub sales_cents: i64,
    /// Handed back for cheques refunded or voided in cash.
    pub paid_out_cents: i64,
}

impl Drawer {
    /// What the drawer should hold after starting with `float`.
    pub fn expected(self, float: i64) -> i64 {
        float + self.sales_cents - self.paid_out_cents
    }
}

pub fn drawer(conn: &mut DbConn, session_id: i64) -> QueryResult<Drawer> {
    Ok(drawers(conn, &[session_id])?.remove(&session_id).unwrap_or_default())
}

/// The drawers of these sessions, in two queries; a session without cash is left out.
fn drawers(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Drawer>> {
    let sales: Vec<(Option<i64>, i64)> = cheque_sales::table
        .filter(cheque_sales::cash_session_id.eq_any(ids))
        .filter(cheque_sales::channel.eq("cash"))
        .select((cheque_sales::cash_session_id, cheque_sales::total_cents))
        .load(conn)?;
    let paid_out: Vec<(i64, i64)> = cash_payouts::table
        .filter(cash_payouts::cash_session_id.eq_any(ids))
        .select((cash_payouts::cash_session_id, cash_payouts::amount_cents))
        .load(conn)?;
    let mut out: HashMap<i64, Drawer> = HashMap::new();
    for (id, cents) in sales {
        if let Some(id) = id {
            out.entry(id).or_default().sales_cents += cents;
        }
    }
    for (id, cents) in paid_out {
        out.entry(id).or_default().paid_out_cents += cents;
    }
    Ok(out)
}

/// A session and the cash that went through its drawer: for the counter while it is
/// open, and for the back office once it is closed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    #[serde(flatten)]
    pub session: CashSession,
    /// Taken for cheques sold in cash in the session.
    pub cash_sales_cents: i64,
    /// Handed back for cheques refunded or voided in cash in the session.
    pub cash_paid_out_cents: i64,
    /// Counted minus expected at the close: negative when cash was missing. Absent while
    /// the session is open.
    pub difference_cents: Option<i64>,
}

impl SessionView {
    fn of(mut session: CashSession, drawer: Drawer) -> Self {
        let expected = session
            .expected_cents
            .unwrap_or_else(|| drawer.expected(session.float_cents));
        session.expected_cents = Some(expected);
        SessionView {
            difference_cents: session.counted_cents.map(|counted| counted - expected),
            cash_sales_cents: drawer.sales_cents,
            cash_paid_out_cents: drawer.paid_out_cents,
            session,
        }
    }
}

/// The session with its drawer; 404 when there is none.
pub fn view(conn: &mut DbConn, id: i64) -> Result<SessionView, ApiError> {
    let session = session(conn, id)?.ok_or(ApiError::NotFound)?;
    views(conn, vec![session])?.pop().ok_or(ApiError::NotFound)
}

/// The sessions with their drawers, in the order given.
fn views(conn: &mut DbConn, sessions: Vec<CashSession>) -> QueryResult<Vec<SessionView>> {
    let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let mut drawers = drawers(conn, &ids)?;
    Ok(sessions
        .into_iter()
        .map(|s| {
            let drawer = drawers.remove(&s.id).unwrap_or_default();
            SessionView::of(s, drawer)
        })
        .collect())
}

fn filtered(open: Option<bool>) -> cash_sessions::BoxedQuery<'static, MultiBackend> {
    let query = cash_sessions::table.into_boxed::<MultiBackend>();
    match open {
        Some(true) => query.filter(cash_sessions::closed_at.is_null()),
        Some(false) => query.filter(cash_sessions::closed_at.is_not_null()),
        None => query,
    }
}

/// A page of sessions, open ones only (`Some(true)`), closed ones only or all; the latest
/// opened first. With the number of them across all pages.
pub fn list(conn: &mut DbConn, open: Option<bool>, page: &PageQuery) -> QueryResult<(Vec<SessionView>, i64)> {
    let total = filtered(open).count().get_result(conn)?;
    let sessions: Vec<CashSession> = filtered(open)
        .order((cash_sessions::opened_at.desc(), cash_sessions::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(CashSession::as_select())
        .load(conn)?;
    Ok((views(conn, sessions)?, total))
}

/// The lock cash taken or handed back in the session takes shared and its close
/// exclusively ([`db::lock`]): a close waits for what is under way and counts it.
pub fn session_lock(id: i64) -> String {
    format!("cash-session:{id}")
}

/// The session cash is about to go in or out of, locked shared until the transaction
/// ends; refused unless it is open.
pub fn lock_open(conn: &mut DbConn, id: i64) -> Result<CashSession, ApiError> {
    db::lock_shared(conn, &session_lock(id))?;
    session(conn, id)?.filter(|s| s.closed_at.is_none()).ok_or_else(|| {
        ApiError::validation(
            "cash_session_id",
            "no_open_session",
            "open a cash session first: cash goes in and out of its drawer",
        )
    })
}

/// Hands `amount` of cash for a cheque out of an open session's drawer.
pub fn pay_out(conn: &mut DbConn, id: i64, cheque_id: i64, amount: i64, now: NaiveDateTime) -> Result<(), ApiError> {
    lock_open(conn, id)?;
    diesel::insert_into(cash_payouts::table)
        .values((
            cash_payouts::cash_session_id.eq(id),
            cash_payouts::cheque_id.eq(cheque_id),
            cash_payouts::amount_cents.eq(amount),
            cash_payouts::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::Drawer;

    #[test]
    fn the_drawer_holds_the_float_plus_sales_less_what_was_handed_back() {
        let drawer = Drawer {
            sales_cents: 4500,
            paid_out_cents: 2750,
        };
        assert_eq!(drawer.expected(5000), 6750);
        assert_eq!(
            Drawer {
                sales_cents: 0,
                paid_out_cents: 0
            }
            .expected(5000),
            5000
        );
    }
}
