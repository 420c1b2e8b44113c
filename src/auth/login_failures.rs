//! Failed logins in the database, for the throttle (`throttle.rs` holds the rule): one row
//! per failure for its account and one for its client address, both keys stored as
//! SHA-256 hashes. Rows older than the window go as new failures come in, so the table
//! holds at most a window's worth.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::throttle::{self, ThrottleLimits};
use super::tokens::token_hash;
use crate::db::schema::login_failures;
use crate::db::{self, DbConn, DbPool};
use crate::error::ApiError;

const ACCOUNT: &str = "account";
const CLIENT: &str = "client";

/// The hashed keys of one attempt: the email address as typed (trimmed, lower case) and
/// the client address.
#[derive(Debug, Clone)]
pub struct Keys {
    account: String,
    client: String,
}

impl Keys {
    pub fn new(account: &str, client: &str) -> Self {
        Keys {
            account: token_hash(account),
            client: token_hash(client),
        }
    }
}

/// The recent failures of the account and of the client, newest first, as many as the
/// rule needs.
pub fn recent(
    conn: &mut DbConn,
    keys: &Keys,
    limits: &ThrottleLimits,
    now: NaiveDateTime,
) -> QueryResult<(Vec<NaiveDateTime>, Vec<NaiveDateTime>)> {
    let since = now - limits.window();
    let mut of = |scope: &'static str, key: &str, max: u32| {
        login_failures::table
            .filter(login_failures::scope.eq(scope))
            .filter(login_failures::key_hash.eq(key.to_owned()))
            .filter(login_failures::at.gt(since))
            .order(login_failures::at.desc())
            .limit(i64::from(max))
            .select(login_failures::at)
            .load(conn)
    };
    Ok((
        of(ACCOUNT, &keys.account, limits.per_account)?,
        of(CLIENT, &keys.client, limits.per_client)?,
    ))
}

/// Whether an attempt may be made now: 429 with the wait while the account or the client
/// has failed too often (`throttle` holds the rule). `Ok(true)` when the account has
/// failures to clear once this attempt succeeds.
pub fn admit(conn: &mut DbConn, keys: &Keys, limits: &ThrottleLimits, now: NaiveDateTime) -> Result<bool, ApiError> {
    let (by_account, by_client) = recent(conn, keys, limits, now)?;
    throttle::decide(limits, &by_account, &by_client, now).map_err(|wait| ApiError::TooManyRequests {
        retry_after_secs: wait.as_secs().max(1),
    })?;
    Ok(!by_account.is_empty())
}

/// [`record`]s a failed attempt in a transaction of its own: the attempt changed nothing
/// else.
pub async fn count(pool: &DbPool, keys: Keys, limits: ThrottleLimits) -> Result<(), ApiError> {
    db::run_uncounted_tx(pool, move |conn| Ok(record(conn, &keys, &limits, db::now())?)).await
}

/// Counts a failure against the account and the client, and lets go of those past the
/// window.
pub fn record(conn: &mut DbConn, keys: &Keys, limits: &ThrottleLimits, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::at.le(now - limits.window()))).execute(conn)?;
    for (scope, key) in [(ACCOUNT, &keys.account), (CLIENT, &keys.client)] {
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::scope.eq(scope),
                login_failures::key_hash.eq(key),
                login_failures::at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A successful login clears the account's failures (not the client's: one address
/// guessing many accounts stays throttled).
pub fn clear_account(conn: &mut DbConn, keys: &Keys) -> QueryResult<()> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::scope.eq(ACCOUNT))
            .filter(login_failures::key_hash.eq(&keys.account)),
    )
    .execute(conn)
    .map(|_| ())
}
