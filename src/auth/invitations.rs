//! Accounts made for someone by staff: by the coordinator for a new staff member, by a
//! werkleider for a participant. The account gets a password nobody knows and its holder
//! a mail with a link to choose one: a password-reset token that waits a week, so the
//! reset confirmation takes it, nobody can log in before, and after the week the usual
//! "forgot my password" mail works for the account as for any other.

use chrono::Duration;
use serde_json::json;

use super::Role;
use super::account_tokens::{self, Purpose};
use super::password::NewPassword;
use super::store::{self, NewUser, UserRow};
use super::tokens::random_token;
use super::{email_links, hashing};
use crate::db::{self, DbConn};
use crate::domain::{Email, Language};
use crate::error::ApiError;
use crate::notify::{self, Template};

/// How long the link to choose a first password works.
pub const LIFETIME: Duration = Duration::days(7);

pub struct Invitation<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub role: Role,
    pub language: Language,
    /// From [`unknown_password_hash`].
    pub unknown_password_hash: &'a str,
}

/// The hash of a random password nobody is told, for an invited account (a real hash, so
/// a login attempt on it costs what any other does). Made before the transaction: hashing
/// takes a while.
pub async fn unknown_password_hash() -> Result<String, ApiError> {
    let unknown = NewPassword::parse(&random_token()).map_err(|p| ApiError::internal(anyhow::anyhow!(p.message)))?;
    hashing::hash(unknown).await
}

/// Makes the account and queues the mail with the link; 409 `email_in_use` when the
/// address has an account already.
pub fn invite(conn: &mut DbConn, new: &Invitation<'_>, public_url: &str) -> Result<UserRow, ApiError> {
    let now = db::now();
    db::lock(conn, &format!("email:{}", new.email.as_str()))?;
    if store::email_in_use(conn, new.email)? {
        return Err(ApiError::conflict(
            "email_in_use",
            "an account with this email address exists already",
        ));
    }
    let id = store::insert_user(
        conn,
        &NewUser {
            email: new.email,
            name: new.name,
            role: new.role,
            password_hash: new.unknown_password_hash,
            language: new.language,
        },
        now,
    )?;
    let user = store::find_user(conn, id)?.ok_or(ApiError::NotFound)?;
    let token = account_tokens::issue_valid_for(conn, id, Purpose::PasswordReset, LIFETIME, now)?;
    let data = json!({
        "name": user.name,
        "token": token,
        "link": email_links::page(public_url, &format!("password-reset?token={token}")),
        "valid_days": LIFETIME.num_days(),
        "reset_link": email_links::page(public_url, "password-reset"),
    });
    notify::to_user(conn, &user, Template::AccountInvitation, &data)?;
    Ok(user)
}
