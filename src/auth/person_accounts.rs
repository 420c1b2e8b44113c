//! The coordinator turns a resident's or a participant's account off and on again
//! (`/api/v1/residents/{id}/account`, `/api/v1/participants/{id}/account`): a phone lost
//! with the app logged in, a family member who should no longer order, a participant who
//! left in conflict. Only the login ends, with every session, as for staff
//! (`account_access`); the record and everything on it (jobs, cheques, hours, proxies)
//! stay, and so do mails about planned work, which need no login. The calls are in the
//! audit log like every other call about the person.

use serde::Serialize;
use utoipa::ToSchema;

use super::account_access::{self, Switched};
use super::store::{self, UserRow};
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::participants::store as participants;
use crate::residents::store as residents;

/// Whose account: the resident's or the participant's with the id in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Resident(i64),
    Participant(i64),
}

/// A resident's or participant's account as the coordinator sees it: whether it can log
/// in, not what it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonAccount {
    pub user_id: i64,
    /// `false` once switched off: no login, no session.
    pub active: bool,
    /// The holder proved the address (by choosing a password from the mailed link).
    pub email_verified: bool,
    /// The sessions this call ended (0 when nothing was switched off).
    pub sessions_ended: i64,
}

impl PersonAccount {
    fn of(row: &UserRow, sessions_ended: i64) -> Self {
        PersonAccount {
            user_id: row.id,
            active: row.active,
            email_verified: row.email_verified_at.is_some(),
            sessions_ended,
        }
    }
}

fn no_account() -> ApiError {
    ApiError::conflict(
        "no_account",
        "this person has no account: they order and are told by phone or mail, until one is given them",
    )
}

/// The holder's account (404 for an unknown person, 409 `no_account` when they have none),
/// and whether their data was erased on request.
fn account_of(conn: &mut DbConn, holder: Holder) -> Result<(UserRow, Result<(), ApiError>), ApiError> {
    let (user_id, erased) = match holder {
        Holder::Resident(id) => {
            let r = residents::find(conn, id)?.ok_or(ApiError::NotFound)?;
            (r.user_id, r.still_recordable(None).map(drop))
        }
        Holder::Participant(id) => {
            let p = participants::find(conn, id)?.ok_or(ApiError::NotFound)?;
            (p.user_id, p.still_recordable(None).map(drop))
        }
    };
    let user_id = user_id.ok_or_else(no_account)?;
    let row = store::find_user(conn, user_id)?.ok_or_else(no_account)?;
    Ok((row, erased))
}

/// The holder's account and whether it can log in.
pub fn show(conn: &mut DbConn, holder: Holder) -> Result<PersonAccount, ApiError> {
    Ok(PersonAccount::of(&account_of(conn, holder)?.0, 0))
}

/// Turns the holder's account off (`on == false`) or on again. Switching to the state it
/// is in changes nothing. Refused (409 `resident_erased` / `participant_erased`) once the
/// person's data was erased: their account went with it. Turning off ends every session;
/// the caller reloads the revocations after commit.
pub fn switch(conn: &mut DbConn, holder: Holder, on: bool) -> Result<PersonAccount, ApiError> {
    let (row, erased) = account_of(conn, holder)?;
    erased?;
    let now = db::now();
    let Switched { sessions_ended, .. } = if on {
        account_access::switch_on(conn, &row, now)?
            .ok_or_else(|| ApiError::conflict("account_erased", "this account was erased on request"))?
    } else {
        account_access::switch_off(conn, &row, now)?
    };
    let row = store::find_user(conn, row.id)?.ok_or_else(no_account)?;
    Ok(PersonAccount::of(&row, sessions_ended))
}
