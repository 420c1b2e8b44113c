//! Proxies: accounts allowed to act for a resident, with recorded consent.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{resident_proxies, users};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = resident_proxies)]
pub struct ProxyRow {
    pub id: i64,
    pub resident_id: i64,
    pub proxy_user_id: i64,
    pub relationship: Option<String>,
    pub consent_at: NaiveDateTime,
    pub recorded_by: i64,
    pub revoked_at: Option<NaiveDateTime>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProxyView {
    pub id: i64,
    pub resident_id: i64,
    pub proxy_user_id: i64,
    pub proxy_name: String,
    pub proxy_email: String,
    pub relationship: Option<String>,
    /// The number they phone from, for the desk to know them by: the resident list finds
    /// the resident by it.
    pub phone: Option<String>,
    /// When the resident's consent was recorded.
    #[serde(serialize_with = "crate::clock::utc")]
    pub consent_at: NaiveDateTime,
    pub recorded_by: i64,
}

/// Holds off other changes to the resident's proxies until the transaction ends
/// ([`db::lock`]): a proxy is checked absent and then written, so on PostgreSQL the same
/// family member recorded twice at once would otherwise be written twice (and fail on
/// the unique pair).
pub fn lock(conn: &mut DbConn, resident_id: i64) -> QueryResult<()> {
    db::lock(conn, &format!("proxies:{resident_id}"))
}

/// The link between a resident and an account, if one was ever made (revoked or not).
pub fn find(conn: &mut DbConn, resident_id: i64, proxy_user_id: i64) -> QueryResult<Option<ProxyRow>> {
    resident_proxies::table
        .filter(resident_proxies::resident_id.eq(resident_id))
        .filter(resident_proxies::proxy_user_id.eq(proxy_user_id))
        .select(ProxyRow::as_select())
        .first(conn)
        .optional()
}

pub struct NewProxy<'a> {
    pub resident_id: i64,
    pub proxy_user_id: i64,
    pub relationship: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub recorded_by: i64,
}

/// Links the account, or re-activates a revoked link with fresh consent.
pub fn grant(conn: &mut DbConn, new: &NewProxy<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    match find(conn, new.resident_id, new.proxy_user_id)? {
        Some(existing) => diesel::update(resident_proxies::table.find(existing.id))
            .set((
                resident_proxies::relationship.eq(new.relationship),
                resident_proxies::phone.eq(new.phone),
                resident_proxies::consent_at.eq(now),
                resident_proxies::recorded_by.eq(new.recorded_by),
                resident_proxies::revoked_at.eq(None::<NaiveDateTime>),
            ))
            .returning(resident_proxies::id)
            .get_result(conn),
        None => diesel::insert_into(resident_proxies::table)
            .values((
                resident_proxies::resident_id.eq(new.resident_id),
                resident_proxies::proxy_user_id.eq(new.proxy_user_id),
                resident_proxies::relationship.eq(new.relationship),
                resident_proxies::phone.eq(new.phone),
                resident_proxies::consent_at.eq(now),
                resident_proxies::recorded_by.eq(new.recorded_by),
            ))
            .returning(resident_proxies::id)
            .get_result(conn),
    }
}

/// What a change to a link sets: `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = resident_proxies)]
pub struct ProxyChanges {
    pub relationship: Option<Option<String>>,
    pub phone: Option<Option<String>>,
}

/// Changes an active link; whether there was one. Nothing to change is no change.
pub fn update(conn: &mut DbConn, resident_id: i64, proxy_id: i64, changes: &ProxyChanges) -> QueryResult<bool> {
    let active = resident_proxies::table
        .filter(resident_proxies::id.eq(proxy_id))
        .filter(resident_proxies::resident_id.eq(resident_id))
        .filter(resident_proxies::revoked_at.is_null());
    if changes.relationship.is_none() && changes.phone.is_none() {
        return diesel::select(diesel::dsl::exists(active)).get_result(conn);
    }
    Ok(diesel::update(active).set(changes).execute(conn)? == 1)
}

/// Ends the link; the phone recorded with it goes (nobody calls for the resident from it
/// now).
pub fn revoke(conn: &mut DbConn, resident_id: i64, proxy_id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        resident_proxies::table
            .filter(resident_proxies::id.eq(proxy_id))
            .filter(resident_proxies::resident_id.eq(resident_id))
            .filter(resident_proxies::revoked_at.is_null()),
    )
    .set(ended(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Ends every link of an account (its holder's data erased).
pub fn revoke_all_of(conn: &mut DbConn, proxy_user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(resident_proxies::table.filter(resident_proxies::proxy_user_id.eq(proxy_user_id)))
        .set(ended(now))
        .execute(conn)
}

/// What ending a link writes.
fn ended(
    now: NaiveDateTime,
) -> (
    diesel::dsl::Eq<resident_proxies::revoked_at, NaiveDateTime>,
    diesel::dsl::Eq<resident_proxies::phone, Option<String>>,
) {
    (resident_proxies::revoked_at.eq(now), resident_proxies::phone.eq(None))
}

/// The active proxies of a resident with the proxy's name and login address.
pub fn active_for_resident(conn: &mut DbConn, resident_id: i64) -> QueryResult<Vec<ProxyView>> {
    let rows: Vec<(ProxyRow, String, String)> = resident_proxies::table
        .inner_join(users::table.on(users::id.eq(resident_proxies::proxy_user_id)))
        .filter(resident_proxies::resident_id.eq(resident_id))
        .filter(resident_proxies::revoked_at.is_null())
        .order(resident_proxies::id.asc())
        .select((ProxyRow::as_select(), users::name, users::email))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, name, email)| ProxyView {
            id: p.id,
            resident_id: p.resident_id,
            proxy_user_id: p.proxy_user_id,
            proxy_name: name,
            proxy_email: email,
            relationship: p.relationship,
            phone: p.phone,
            consent_at: p.consent_at,
            recorded_by: p.recorded_by,
        })
        .collect())
}

/// The residents an account may act for.
pub fn principals_of(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<i64>> {
    resident_proxies::table
        .filter(resident_proxies::proxy_user_id.eq(user_id))
        .filter(resident_proxies::revoked_at.is_null())
        .order(resident_proxies::resident_id.asc())
        .select(resident_proxies::resident_id)
        .load(conn)
}

/// Whether `user_id` may act for `resident_id` today (later features ask this).
pub fn is_active_proxy(conn: &mut DbConn, user_id: i64, resident_id: i64) -> QueryResult<bool> {
    Ok(find(conn, resident_id, user_id)?.is_some_and(|p| p.revoked_at.is_none()))
}
