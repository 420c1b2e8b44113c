//! Self-registrations waiting for their address to be confirmed. Registering stores the
//! details here and mails a single-use token; confirming with it makes the account and
//! the resident record. So the answer to a registration is the same whether or not the
//! address already has an account (nobody can use it to find out who is a client of the
//! servicepunt), and nobody's details are kept for an address they could not prove. Rows
//! go when confirmed, replaced by a newer registration, or expired.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::tokens::{random_token, token_hash};
use crate::db::DbConn;
use crate::db::schema::registrations;
use crate::domain::Language;
use crate::residents::input::{AddressInput, ResidentInput};

/// How long the confirmation link works.
pub const LIFETIME: Duration = Duration::hours(48);

/// What the resident entered, kept until the address is confirmed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Details {
    pub name: String,
    pub phone: Option<String>,
    pub address: AddressInput,
    pub language: Option<Language>,
}

impl Details {
    /// The resident record these details make (validated again when confirmed).
    pub fn resident_input(self) -> ResidentInput {
        ResidentInput {
            name: self.name,
            email: None,
            phone: self.phone,
            address: self.address,
            wijk: None,
            birth_date: None,
            language: self.language,
            staff_notes: None,
        }
    }
}

/// A confirmed registration, taken from the waiting list.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = registrations)]
pub struct Pending {
    pub email: String,
    pub password_hash: String,
    pub details: String,
}

/// Stores a registration for `email`, replacing an earlier one for it (whose link then
/// stops working), and returns the token to mail in the clear (only its hash is kept).
pub fn replace(
    conn: &mut DbConn,
    email: &str,
    password_hash: &str,
    details: &Details,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let token = random_token();
    let details = serde_json::to_string(details).map_err(|e| diesel::result::Error::SerializationError(e.into()))?;
    diesel::delete(registrations::table.filter(registrations::email.eq(email))).execute(conn)?;
    diesel::insert_into(registrations::table)
        .values((
            registrations::email.eq(email),
            registrations::token_hash.eq(token_hash(&token)),
            registrations::password_hash.eq(password_hash),
            registrations::details.eq(details),
            registrations::created_at.eq(now),
            registrations::expires_at.eq(now + LIFETIME),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Takes the unexpired registration this token confirms off the list: a token works
/// once, even when two requests race (only one delete finds the row).
pub fn take(conn: &mut DbConn, presented: &str, now: NaiveDateTime) -> QueryResult<Option<Pending>> {
    let hash = token_hash(presented.trim());
    let found: Option<(i64, Pending)> = registrations::table
        .filter(registrations::token_hash.eq(&hash))
        .filter(registrations::expires_at.gt(now))
        .select((registrations::id, Pending::as_select()))
        .first(conn)
        .optional()?;
    let Some((id, pending)) = found else {
        return Ok(None);
    };
    let taken = diesel::delete(registrations::table.find(id)).execute(conn)?;
    Ok((taken == 1).then_some(pending))
}

/// Deletes registrations whose link has expired; returns how many.
pub fn remove_expired(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(registrations::table.filter(registrations::expires_at.le(now))).execute(conn)
}
