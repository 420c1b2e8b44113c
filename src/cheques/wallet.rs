//! A resident's cheques a page at a time, and what the usable ones are worth. Over the
//! years a resident holds many cheques, most of them spent; the wallet shows what can
//! still be used first and the rest as a history, a page at a time.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use super::changes::{EXPIRED, REFUNDED, VOID};
use super::store::{Cheque, REDEEMED, SOLD};
use crate::db::schema::cheques;
use crate::db::{self, DbConn, MultiBackend};
use crate::pagination::PageQuery;

/// Locks a resident's wallet until the transaction ends ([`db::lock`]), for whoever adds
/// cheques to it or takes them out, on PostgreSQL (SQLite has one writer at a time):
/// two desks selling reduced cheques at once cannot both fit under the yearly cap, a
/// paid checkout does not slip past a counter sale's count, and two jobs confirmed at
/// once do not both pick the same cheque (one of them would be refused). Taken before
/// the rows of the jobs it pays for, by everyone, so no two wait for each other.
pub fn lock(conn: &mut DbConn, resident_id: i64) -> QueryResult<()> {
    db::lock(conn, &format!("resident-cheques:{resident_id}"))
}

/// Which of a resident's cheques to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Held {
    /// Not spent and still valid: what pays for the next job. Earliest expiry first.
    Usable,
    /// Paid for a job.
    Redeemed,
    /// Past the last valid day unspent (also before the nightly round marks it).
    Expired,
    Refunded,
    Void,
}

type Filtered = cheques::BoxedQuery<'static, MultiBackend>;

fn filtered(owner: i64, held: Option<Held>, today: NaiveDate) -> Filtered {
    let q = cheques::table
        .filter(cheques::owner_resident_id.eq(owner))
        .into_boxed::<MultiBackend>();
    match held {
        None => q,
        Some(Held::Usable) => q
            .filter(cheques::status.eq(SOLD))
            .filter(cheques::valid_until.ge(today)),
        Some(Held::Expired) => q.filter(
            cheques::status
                .eq(EXPIRED)
                .or(cheques::status.eq(SOLD).and(cheques::valid_until.lt(today))),
        ),
        Some(Held::Redeemed) => q.filter(cheques::status.eq(REDEEMED)),
        Some(Held::Refunded) => q.filter(cheques::status.eq(REFUNDED)),
        Some(Held::Void) => q.filter(cheques::status.eq(VOID)),
    }
}

/// A page of the owner's cheques and how many there are in all. Usable cheques come
/// earliest expiry first (the order they are spent in); every other list, and the whole
/// list, latest change first.
pub fn page(
    conn: &mut DbConn,
    owner: i64,
    held: Option<Held>,
    today: NaiveDate,
    page: &PageQuery,
) -> QueryResult<(Vec<Cheque>, i64)> {
    let total = filtered(owner, held, today).count().get_result(conn)?;
    let ordered = if held == Some(Held::Usable) {
        filtered(owner, held, today).order((cheques::valid_until.asc(), cheques::id.asc()))
    } else {
        filtered(owner, held, today).order((cheques::status_changed_at.desc(), cheques::id.desc()))
    };
    let rows = ordered
        .limit(page.limit())
        .offset(page.offset())
        .select(Cheque::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Minutes of work and money of the owner's usable cheques.
pub fn balance(conn: &mut DbConn, owner: i64, today: NaiveDate) -> QueryResult<(i64, i64)> {
    let usable: Vec<(i64, i64)> = filtered(owner, Some(Held::Usable), today)
        .select((cheques::face_minutes, cheques::price_cents))
        .load(conn)?;
    Ok(usable
        .into_iter()
        .fold((0, 0), |(minutes, cents), (m, c)| (minutes + m, cents + c)))
}
