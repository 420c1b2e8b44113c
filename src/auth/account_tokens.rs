//! Single-use tokens sent by email: address verification and password reset. Stored as
//! SHA-256 hashes; spending one is a conditional UPDATE, so it works once even when two
//! requests race.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::tokens::{random_token, token_hash};
use crate::db::DbConn;
use crate::db::schema::user_tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    PasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::PasswordReset => "password_reset",
        }
    }

    /// How long a token of this purpose works.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::VerifyEmail => Duration::hours(48),
            Purpose::PasswordReset => Duration::hours(1),
        }
    }
}

/// Creates a token and returns it in the clear (to be mailed; only its hash is kept).
pub fn issue(conn: &mut DbConn, user_id: i64, purpose: Purpose, now: NaiveDateTime) -> QueryResult<String> {
    issue_valid_for(conn, user_id, purpose, purpose.lifetime(), now)
}

/// Like [`issue`], working for `lifetime` instead of the purpose's usual one (an
/// invitation to choose a first password waits longer than a reset).
pub fn issue_valid_for(
    conn: &mut DbConn,
    user_id: i64,
    purpose: Purpose,
    lifetime: Duration,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let token = random_token();
    diesel::insert_into(user_tokens::table)
        .values((
            user_tokens::user_id.eq(user_id),
            user_tokens::purpose.eq(purpose.as_str()),
            user_tokens::token_hash.eq(token_hash(&token)),
            user_tokens::created_at.eq(now),
            user_tokens::expires_at.eq(now + lifetime),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Spends a token: returns its user when it exists, has this purpose, is unexpired and
/// unused — and marks it used.
pub fn spend(conn: &mut DbConn, presented: &str, purpose: Purpose, now: NaiveDateTime) -> QueryResult<Option<i64>> {
    let found: Option<(i64, i64)> = user_tokens::table
        .filter(user_tokens::token_hash.eq(token_hash(presented.trim())))
        .filter(user_tokens::purpose.eq(purpose.as_str()))
        .filter(user_tokens::used_at.is_null())
        .filter(user_tokens::expires_at.gt(now))
        .select((user_tokens::id, user_tokens::user_id))
        .first(conn)
        .optional()?;
    let Some((id, user_id)) = found else {
        return Ok(None);
    };
    let claimed = diesel::update(
        user_tokens::table
            .filter(user_tokens::id.eq(id))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok((claimed == 1).then_some(user_id))
}

/// Voids the user's other open tokens of this purpose (after a reset, older links die).
pub fn void_all(conn: &mut DbConn, user_id: i64, purpose: Purpose, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::purpose.eq(purpose.as_str()))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(now))
    .execute(conn)
}
