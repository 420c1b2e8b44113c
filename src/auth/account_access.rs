//! Turning an account off and on again, from the command line (`servicepunt user disable`
//! and `enable`) or by the coordinator (`/api/v1/admin/users`): when a werkleider or a
//! member of the finance staff leaves, their access ends at once. Disabling keeps the
//! account and everything it did (the audit log, the books name it); it refuses logins
//! and ends every session, and the running servers stop taking its access tokens within
//! a second (`revocations`). An erased account cannot be enabled again: nothing of its
//! person is left to log in as.

use anyhow::bail;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::store::{self, UserRow};
use crate::db::DbConn;
use crate::db::schema::users;
use crate::privacy::erase::ERASED_PASSWORD_HASH;

/// What a switch did: the account, and how many of its sessions were ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switched {
    pub user_id: i64,
    pub sessions_ended: i64,
}

/// Turns the account with this (normalised) address off: no login, no session.
pub fn disable(conn: &mut DbConn, email: &str, now: NaiveDateTime) -> anyhow::Result<Switched> {
    let Some(user) = store::find_user_by_email(conn, email)? else {
        bail!("no account has this email address");
    };
    Ok(switch_off(conn, &user, now)?)
}

/// Turns a disabled account on again; its owner logs in anew.
pub fn enable(conn: &mut DbConn, email: &str, now: NaiveDateTime) -> anyhow::Result<Switched> {
    let Some(user) = store::find_user_by_email(conn, email)? else {
        bail!("no account has this email address");
    };
    match switch_on(conn, &user, now)? {
        Some(switched) => Ok(switched),
        None => bail!("this account was erased on request and cannot be enabled again"),
    }
}

/// Turns `user` off and ends its sessions; the caller reloads the revocations after commit.
pub fn switch_off(conn: &mut DbConn, user: &UserRow, now: NaiveDateTime) -> QueryResult<Switched> {
    store::lock_account(conn, user.id)?;
    diesel::update(users::table.find(user.id))
        .set((users::active.eq(false), users::updated_at.eq(now)))
        .execute(conn)?;
    let sessions_ended = store::open_sessions(conn, user.id, now)?;
    store::revoke_all_sessions(conn, user.id, now)?;
    Ok(Switched {
        user_id: user.id,
        sessions_ended,
    })
}

/// Turns `user` on again; `None` (and nothing changed) for an account erased on request.
pub fn switch_on(conn: &mut DbConn, user: &UserRow, now: NaiveDateTime) -> QueryResult<Option<Switched>> {
    if user.password_hash == ERASED_PASSWORD_HASH {
        return Ok(None);
    }
    store::lock_account(conn, user.id)?;
    diesel::update(users::table.find(user.id))
        .set((users::active.eq(true), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(Some(Switched {
        user_id: user.id,
        sessions_ended: 0,
    }))
}
