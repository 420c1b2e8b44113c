//! Moving what was recorded on one resident record to another (see `residents::merge`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::merge::Gaps;
use crate::db::DbConn;
use crate::db::schema::{
    call_tasks, checkouts, cheque_sales, cheques, eligibility_periods, job_series, jobs, preferred_participants,
    resident_keys, resident_proxies, residents,
};

/// Writes, from one list, the columns that refer to a resident ([`REFERENCES`]) and the
/// move of each, so a reference cannot be listed without being moved or the reverse.
/// The schema test holds the list to the database's foreign keys: a new table that
/// refers to residents fails it until it is listed here.
macro_rules! references {
    ($($table:ident . $column:ident),* $(,)?) => {
        /// Every column that refers to a resident, as `(table, column)`, besides the
        /// possible-duplicate pairs (which the merge settles itself).
        pub const REFERENCES: &[(&str, &str)] = &[$((stringify!($table), stringify!($column))),*];

        /// Makes everything recorded on resident `from` recorded on `to`.
        pub fn move_references(conn: &mut DbConn, from: i64, to: i64) -> QueryResult<()> {
            $(
                diesel::update($table::table.filter($table::$column.eq(from)))
                    .set($table::$column.eq(to))
                    .execute(conn)?;
            )*
            Ok(())
        }
    };
}

references!(
    eligibility_periods.resident_id,
    resident_proxies.resident_id,
    call_tasks.resident_id,
    resident_keys.resident_id,
    preferred_participants.resident_id,
    cheque_sales.resident_id,
    cheques.owner_resident_id,
    checkouts.resident_id,
    jobs.recipient_id,
    job_series.recipient_id,
);

/// Drops from `from` the family members and preferred helpers `to` has already: each
/// is one per resident.
pub fn drop_repeats(conn: &mut DbConn, from: i64, to: i64) -> QueryResult<()> {
    let proxies: Vec<i64> = resident_proxies::table
        .filter(resident_proxies::resident_id.eq(to))
        .select(resident_proxies::proxy_user_id)
        .load(conn)?;
    diesel::delete(
        resident_proxies::table
            .filter(resident_proxies::resident_id.eq(from))
            .filter(resident_proxies::proxy_user_id.eq_any(proxies)),
    )
    .execute(conn)?;
    let helpers: Vec<i64> = preferred_participants::table
        .filter(preferred_participants::resident_id.eq(to))
        .select(preferred_participants::participant_id)
        .load(conn)?;
    diesel::delete(
        preferred_participants::table
            .filter(preferred_participants::resident_id.eq(from))
            .filter(preferred_participants::participant_id.eq_any(helpers)),
    )
    .execute(conn)?;
    Ok(())
}

/// Removes a record that nothing refers to any more.
pub fn remove(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(residents::table.find(id)).execute(conn).map(drop)
}

#[derive(AsChangeset)]
#[diesel(table_name = residents)]
struct Fill<'a> {
    email: Option<&'a str>,
    phone: Option<&'a str>,
    wijk: Option<&'a str>,
    birth_date: Option<chrono::NaiveDate>,
    staff_notes: Option<&'a str>,
    updated_at: NaiveDateTime,
}

/// Fills the kept record's empty details from the merged one.
pub fn fill(conn: &mut DbConn, id: i64, gaps: &Gaps, now: NaiveDateTime) -> QueryResult<()> {
    let fill = Fill {
        email: gaps.email.as_deref(),
        phone: gaps.phone.as_deref(),
        wijk: gaps.wijk.as_deref(),
        birth_date: gaps.birth_date,
        staff_notes: gaps.staff_notes.as_deref(),
        updated_at: now,
    };
    diesel::update(residents::table.find(id))
        .set(&fill)
        .execute(conn)
        .map(drop)
}
