//! Tokens that can do nothing any more are deleted (by the timers, daily): refresh tokens
//! past their expiry and past the time their revocation still has to reach other
//! instances, and password-reset and verification links past theirs. An expired refresh
//! token is refused before anything else is looked at (`session::rotate`), so its row only
//! ever served the revocation check (`revocations`), which looks back one access-token
//! lifetime; the rows kept a login history for no use.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{refresh_tokens, user_tokens};

/// Time kept after a token is past use, beyond the access-token lifetime.
pub fn margin() -> chrono::Duration {
    chrono::Duration::days(1)
}

/// Returns (refresh tokens, links) deleted.
pub fn remove(conn: &mut DbConn, now: NaiveDateTime, access_ttl: chrono::Duration) -> QueryResult<(usize, usize)> {
    let cutoff = now - access_ttl - margin();
    let refresh = diesel::delete(
        refresh_tokens::table
            .filter(refresh_tokens::expires_at.lt(cutoff))
            .filter(
                refresh_tokens::revoked_at
                    .is_null()
                    .or(refresh_tokens::revoked_at.lt(cutoff)),
            ),
    )
    .execute(conn)?;
    let links = diesel::delete(user_tokens::table.filter(user_tokens::expires_at.lt(now - margin()))).execute(conn)?;
    Ok((refresh, links))
}
