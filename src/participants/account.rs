//! A participant's own account (role participant): their login for the schedule, their
//! hours and their bonus. The werkleider gives its address with the profile. An account
//! of a participant with that address is linked; when the address has no account yet,
//! one is made and the participant is mailed a link to choose a password. Until they
//! have chosen it, the address can be given again, corrected if need be, for a new link.

use super::model::written_language;
use super::store;
use crate::auth::invitations::{self, Invitation};
use crate::auth::{Role, store as users};
use crate::db::DbConn;
use crate::domain::Email;
use crate::error::ApiError;

/// An account address given with a profile, checked.
pub struct Requested {
    email: Email,
}

impl Requested {
    /// `account_email` as sent; 422 on the field when it is no address.
    pub fn parse(raw: Option<&str>) -> Result<Option<Self>, ApiError> {
        let Some(raw) = raw else {
            return Ok(None);
        };
        let email = Email::parse(raw).map_err(|p| ApiError::validation("account_email", p.code, p.message))?;
        Ok(Some(Requested { email }))
    }
}

/// The account to link to the participant named `name` who speaks `languages` (the
/// profile's comma-separated list): found or made.
pub fn link_or_invite(
    conn: &mut DbConn,
    requested: &Requested,
    name: &str,
    languages: &str,
    public_url: &str,
) -> Result<i64, ApiError> {
    let email = &requested.email;
    match users::find_user_by_email(conn, email.as_str())? {
        Some(account) if account.role() == Some(Role::Participant) => {
            if store::find_by_user(conn, account.id)?.is_some() {
                return Err(ApiError::conflict(
                    "account_linked",
                    "this account belongs to another participant",
                ));
            }
            // Linked, it would let nobody in, and nothing would say why.
            if !account.active {
                return Err(disabled());
            }
            // Their mail follows the profile from now on; so does the account's own.
            users::set_language(conn, account.id, written_language(languages), crate::db::now())?;
            Ok(account.id)
        }
        Some(_) => Err(ApiError::validation(
            "account_email",
            "account_not_participant",
            "this address has an account that is not a participant's",
        )),
        None => {
            let invitation = Invitation {
                email,
                name,
                role: Role::Participant,
                language: written_language(languages),
            };
            Ok(invitations::invite(conn, &invitation, public_url)?.id)
        }
    }
}

/// The participant's account `user_id` mailed anew at the requested address, while its
/// holder has not chosen a password yet (a mistyped address, a lost mail): the earlier
/// links stop working. 409 `has_account` once they have chosen one, `account_disabled`
/// when it is switched off, `email_in_use` when the address has another account.
pub fn invite_again(conn: &mut DbConn, user_id: i64, requested: &Requested, public_url: &str) -> Result<(), ApiError> {
    let user = users::find_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
    if !invitations::pending(&user) {
        return Err(ApiError::conflict(
            "has_account",
            "this participant has an account already and has chosen a password",
        ));
    }
    if !user.active {
        return Err(disabled());
    }
    invitations::renew(conn, &user, &requested.email, public_url)?;
    Ok(())
}

fn disabled() -> ApiError {
    ApiError::conflict(
        "account_disabled",
        "this account is switched off: switch it on first (servicepunt user enable), or give another address",
    )
}
