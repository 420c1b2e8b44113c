//! An account for a resident the desk registered: someone who walked in or phoned, and
//! now wants to order and follow their jobs in the app. Registering in the app themselves
//! would make a second record beside the desk's, without the desk's cheques, jobs and
//! yearly allowance. So the desk gives the record an account: it is made with the
//! address the resident gives, and they are mailed a link to choose a password
//! (`auth::invitations`). Until they have chosen one, the desk can send the link again,
//! to a corrected address if it was mistyped; the earlier links stop working.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::store;
use crate::auth::invitations::{self, Invitation};
use crate::auth::{Role, store as users};
use crate::db::{self, DbConn};
use crate::domain::{Email, Language};
use crate::error::ApiError;

/// The account a resident was given, and where its link went.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentInvitation {
    pub user_id: i64,
    /// The address the link went to; the resident logs in with it.
    pub email: String,
    /// The link to choose a password works until then.
    #[serde(serialize_with = "crate::clock::utc")]
    pub link_valid_until: NaiveDateTime,
    /// `true` when the account was made earlier and this call mailed a new link.
    pub sent_again: bool,
}

fn has_account() -> ApiError {
    ApiError::conflict(
        "has_account",
        "this resident has an account already and has chosen a password: they log in with it, or ask for a new password",
    )
}

/// Gives resident `id` an account at `email`, or mails the one made before (whose
/// password is not chosen yet) a new link. 404 for an unknown resident; 409
/// `resident_erased`, `has_account` (in use already), `account_disabled` (switched off
/// by the coordinator) or `email_in_use` (the address has another account).
pub fn give(conn: &mut DbConn, id: i64, email: &Email, public_url: &str) -> Result<ResidentInvitation, ApiError> {
    store::hold(conn, id)?;
    // Two desks at once: the second sees the first's account, and mails it anew.
    db::lock(conn, &format!("resident-account:{id}"))?;
    let resident = store::find(conn, id)?
        .ok_or(ApiError::NotFound)?
        .still_recordable(None)?;
    let (user, sent_again) = match resident.user_id {
        Some(user_id) => {
            let user = users::find_user(conn, user_id)?.ok_or_else(has_account)?;
            if !invitations::pending(&user) {
                return Err(has_account());
            }
            if !user.active {
                return Err(ApiError::conflict(
                    "account_disabled",
                    "this resident's account is switched off: the coordinator switches it on first",
                ));
            }
            (invitations::renew(conn, &user, email, public_url)?, true)
        }
        None => {
            let invitation = Invitation {
                email,
                name: &resident.name,
                role: Role::Resident,
                language: Language::from_stored(&resident.language),
            };
            (invitations::invite(conn, &invitation, public_url)?, false)
        }
    };
    let now = db::now();
    if !store::set_account(conn, id, user.id, &user.email, now)? {
        return Err(has_account());
    }
    Ok(ResidentInvitation {
        user_id: user.id,
        email: user.email,
        link_valid_until: now + invitations::LIFETIME,
        sent_again,
    })
}
