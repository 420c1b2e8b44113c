//! Residents in the database.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::input::{NewResident, ResidentChanges};
use super::model::{CallingProxy, ResidentRow};
use super::same_person::{self, Identity};
use crate::db::schema::{resident_proxies, residents, users};
use crate::db::{self, DbConn, MultiBackend};
use crate::error::ApiError;
use crate::pagination::PageQuery;

/// The search key for a name: lower-cased in Rust, so search behaves the same on SQLite
/// (whose `lower()` knows only ASCII) and PostgreSQL.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// Holds off the resident's erasure until the transaction ends (a shared
/// [`db::lock_shared`]). Whatever records something for a resident takes it before it
/// reads whether they were erased, so an erasure either came first (and the recording is
/// refused) or waits until the recording is done (and erases it too). Recordings do not
/// wait for each other on it.
pub fn hold(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    db::lock_shared(conn, &erasure_key(id))
}

/// Taken by the erasure ([`db::lock`]): waits for the recordings under way, holds off new
/// ones until it commits.
pub fn lock_for_erasure(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    db::lock(conn, &erasure_key(id))
}

fn erasure_key(id: i64) -> String {
    format!("resident:{id}")
}

pub fn insert(
    conn: &mut DbConn,
    new: &NewResident,
    user_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<ResidentRow> {
    diesel::insert_into(residents::table)
        .values((
            residents::user_id.eq(user_id),
            residents::name.eq(new.name.as_str()),
            residents::name_key.eq(name_key(new.name.as_str())),
            residents::email.eq(new.email.as_ref().map(|e| e.as_str())),
            residents::phone.eq(new.phone.as_deref()),
            residents::street.eq(&new.address.street),
            residents::house_number.eq(&new.address.house_number),
            residents::postcode.eq(new.address.postcode.as_str()),
            residents::city.eq(&new.address.city),
            residents::wijk.eq(new.wijk.as_deref()),
            residents::birth_date.eq(new.birth_date),
            residents::language.eq(new.language.as_str()),
            residents::staff_notes.eq(new.staff_notes.as_deref()),
            residents::created_at.eq(now),
            residents::updated_at.eq(now),
        ))
        .returning(residents::all_columns)
        .get_result(conn)
}

/// The resident at `postcode` other than `except` who is the person `who` is
/// ([`same_person`]), if any. A check that refuses calls it after `lock_address`, so two
/// registrations of one person do not both pass; noting a possible duplicate
/// (`duplicates::note`) needs no lock.
pub fn registered_already(
    conn: &mut DbConn,
    postcode: &str,
    who: &Identity<'_>,
    except: Option<i64>,
) -> QueryResult<Option<i64>> {
    let at_postcode: Vec<(i64, String, String, Option<chrono::NaiveDate>)> = residents::table
        .filter(residents::postcode.eq(postcode))
        .filter(residents::erased_at.is_null())
        .select((
            residents::id,
            residents::name_key,
            residents::house_number,
            residents::birth_date,
        ))
        .load(conn)?;
    Ok(at_postcode
        .iter()
        .filter(|row| Some(row.0) != except)
        .find_map(|(id, name_key, house_number, birth_date)| {
            let known = Identity {
                name_key,
                house_number,
                birth_date: *birth_date,
            };
            same_person::same(&known, who).then_some(*id)
        }))
}

/// One registration or change of who lives at a postcode at a time (on PostgreSQL;
/// SQLite writes one at a time).
fn lock_address(conn: &mut DbConn, postcode: &str) -> QueryResult<()> {
    db::lock(conn, &format!("residents at {postcode}"))
}

/// Refuses (409 `resident_exists`) when someone other than `except` at the postcode is
/// the person `who` is: the check of a registration and of a change of name or address.
pub fn refuse_second_record(
    conn: &mut DbConn,
    postcode: &str,
    name: &str,
    house_number: &str,
    birth_date: Option<chrono::NaiveDate>,
    except: Option<i64>,
) -> Result<(), ApiError> {
    lock_address(conn, postcode)?;
    let key = name_key(name);
    let who = Identity {
        name_key: &key,
        house_number,
        birth_date,
    };
    match registered_already(conn, postcode, &who, except)? {
        Some(id) => Err(ApiError::conflict(
            "resident_exists",
            format!("resident {id} has this name and address: registered already"),
        )),
        None => Ok(()),
    }
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<ResidentRow>> {
    residents::table
        .find(id)
        .select(ResidentRow::as_select())
        .first(conn)
        .optional()
}

/// The names of several residents, by id.
pub fn names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = residents::table
        .filter(residents::id.eq_any(ids))
        .select((residents::id, residents::name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

pub fn find_by_user(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<ResidentRow>> {
    residents::table
        .filter(residents::user_id.eq(user_id))
        .select(ResidentRow::as_select())
        .first(conn)
        .optional()
}

/// Links the account `user_id` to the resident and makes its address the record's email:
/// mail about their jobs goes where they log in. Nothing is changed (false) when the
/// resident has another account already.
pub fn set_account(conn: &mut DbConn, id: i64, user_id: i64, email: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let unlinked_or_this = residents::user_id.is_null().or(residents::user_id.eq(user_id));
    diesel::update(residents::table.find(id).filter(unlinked_or_this))
        .set((
            residents::user_id.eq(user_id),
            residents::email.eq(email),
            residents::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

#[derive(AsChangeset)]
#[diesel(table_name = residents)]
struct Changeset<'a> {
    name: Option<&'a str>,
    name_key: Option<String>,
    email: Option<Option<&'a str>>,
    phone: Option<Option<&'a str>>,
    street: Option<&'a str>,
    house_number: Option<&'a str>,
    postcode: Option<&'a str>,
    city: Option<&'a str>,
    wijk: Option<Option<&'a str>>,
    birth_date: Option<Option<chrono::NaiveDate>>,
    language: Option<&'a str>,
    staff_notes: Option<Option<&'a str>>,
    updated_at: NaiveDateTime,
}

pub fn update(conn: &mut DbConn, id: i64, c: &ResidentChanges, now: NaiveDateTime) -> QueryResult<ResidentRow> {
    let address = c.address.as_ref();
    let changeset = Changeset {
        name: c.name.as_ref().map(|n| n.as_str()),
        name_key: c.name.as_ref().map(|n| name_key(n.as_str())),
        email: c.email.as_ref().map(|e| e.as_ref().map(|e| e.as_str())),
        phone: c.phone.as_ref().map(|p| p.as_deref()),
        street: address.map(|a| a.street.as_str()),
        house_number: address.map(|a| a.house_number.as_str()),
        postcode: address.map(|a| a.postcode.as_str()),
        city: address.map(|a| a.city.as_str()),
        wijk: c.wijk.as_ref().map(|w| w.as_deref()),
        birth_date: c.birth_date,
        language: c.language.map(|l| l.as_str()),
        staff_notes: c.staff_notes.as_ref().map(|n| n.as_deref()),
        updated_at: now,
    };
    diesel::update(residents::table.find(id))
        .set(&changeset)
        .returning(residents::all_columns)
        .get_result(conn)
}

/// Search filters for the staff list.
#[derive(Debug, Default, Clone)]
pub struct Search {
    /// Part of the name, any case.
    pub name: Option<String>,
    /// A full postcode (`6711 AB`) or its four-digit area (`6711`).
    pub postcode: Option<String>,
    pub wijk: Option<String>,
    /// Digits the phone number ends in: the resident's, or an active proxy's.
    pub phone_ending: Option<String>,
}

fn escape_like(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

fn filtered(search: &Search) -> residents::BoxedQuery<'static, MultiBackend> {
    let mut query = residents::table.into_boxed::<MultiBackend>();
    if let Some(name) = &search.name {
        query = query.filter(
            residents::name_key
                .like(format!("%{}%", escape_like(&name_key(name))))
                .escape('\\'),
        );
    }
    if let Some(postcode) = &search.postcode {
        query = query.filter(
            residents::postcode
                .like(format!("{}%", escape_like(postcode)))
                .escape('\\'),
        );
    }
    if let Some(wijk) = &search.wijk {
        query = query.filter(residents::wijk.eq(wijk.clone()));
    }
    if let Some(ending) = &search.phone_ending {
        let pattern = format!("%{}", escape_like(ending));
        // Their own number, or that of a family member who acts for them.
        let by_proxy = resident_proxies::table
            .filter(resident_proxies::revoked_at.is_null())
            .filter(resident_proxies::phone.like(pattern.clone()).escape('\\'))
            .select(resident_proxies::resident_id);
        query = query.filter(
            residents::phone
                .like(pattern)
                .escape('\\')
                .or(residents::id.eq_any(by_proxy)),
        );
    }
    query
}

/// The active proxies of `resident_ids` who phone from a number ending in `ending`: for
/// each, the resident, the link, the proxy's name and relationship.
pub fn proxies_calling_from(
    conn: &mut DbConn,
    resident_ids: &[i64],
    ending: &str,
) -> QueryResult<Vec<(i64, CallingProxy)>> {
    let rows: Vec<(i64, i64, String, Option<String>)> = resident_proxies::table
        .inner_join(users::table.on(users::id.eq(resident_proxies::proxy_user_id)))
        .filter(resident_proxies::resident_id.eq_any(resident_ids))
        .filter(resident_proxies::revoked_at.is_null())
        .filter(
            resident_proxies::phone
                .like(format!("%{}", escape_like(ending)))
                .escape('\\'),
        )
        .order(resident_proxies::id.asc())
        .select((
            resident_proxies::resident_id,
            resident_proxies::id,
            users::name,
            resident_proxies::relationship,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(resident, proxy_id, name, relationship)| {
            let proxy = CallingProxy {
                proxy_id,
                name,
                relationship,
            };
            (resident, proxy)
        })
        .collect())
}

/// One page of residents matching `search`, ordered by name, and the total count.
pub fn list(conn: &mut DbConn, search: &Search, page: &PageQuery) -> QueryResult<(Vec<ResidentRow>, i64)> {
    let total = filtered(search).count().get_result(conn)?;
    let rows = filtered(search)
        .order((residents::name_key.asc(), residents::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(ResidentRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
