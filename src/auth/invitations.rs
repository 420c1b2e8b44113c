//! Accounts made for someone by staff: by the coordinator for a new staff member, by a
//! werkleider for a participant. The account has no password yet
//! ([`password::NOT_CHOSEN_YET`]) and its holder gets a mail with a link to choose one: a
//! password-reset token that waits a week, so the reset confirmation takes it, nobody can
//! log in before, and after the week the usual "forgot my password" mail works for the
//! account as for any other.

use chrono::Duration;
use serde_json::json;

use super::Role;
use super::account_tokens::{self, Purpose};
use super::email_links;
use super::password;
use super::store::{self, NewUser, UserRow};
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
}

/// Makes the account and queues the mail with the link; 409 `email_in_use` when the
/// address has an account already.
pub fn invite(conn: &mut DbConn, new: &Invitation<'_>, public_url: &str) -> Result<UserRow, ApiError> {
    let now = db::now();
    db::lock(conn, &format!("email:{}", new.email.as_str()))?;
    if store::email_in_use(conn, new.email)? {
        return Err(email_in_use());
    }
    let id = store::insert_user(
        conn,
        &NewUser {
            email: new.email,
            name: new.name,
            role: new.role,
            password_hash: password::NOT_CHOSEN_YET,
            language: new.language,
        },
        now,
    )?;
    let user = store::find_user(conn, id)?.ok_or(ApiError::NotFound)?;
    mail_link(conn, &user, public_url)?;
    Ok(user)
}

/// Whether the account's holder has still to choose a password: nobody has logged in
/// with it yet.
pub fn pending(user: &UserRow) -> bool {
    user.password_hash == password::NOT_CHOSEN_YET
}

/// Mails an account whose password is not chosen yet ([`pending`]) a new link, at
/// `email` (the address corrected, when it differs), and voids the links sent before:
/// a link that went to a mistyped address stops working. 409 `email_in_use` when the new
/// address has an account of its own.
pub fn renew(conn: &mut DbConn, user: &UserRow, email: &Email, public_url: &str) -> Result<UserRow, ApiError> {
    let now = db::now();
    if user.email != email.as_str() {
        db::lock(conn, &format!("email:{}", email.as_str()))?;
        if store::email_in_use(conn, email)? {
            return Err(email_in_use());
        }
        store::set_email(conn, user.id, email, now)?;
    }
    account_tokens::void_all(conn, user.id, Purpose::PasswordReset, now)?;
    let user = store::find_user(conn, user.id)?.ok_or(ApiError::NotFound)?;
    mail_link(conn, &user, public_url)?;
    Ok(user)
}

fn email_in_use() -> ApiError {
    ApiError::conflict("email_in_use", "an account with this email address exists already")
}

/// Queues the mail with a link to choose a password, valid [`LIFETIME`].
fn mail_link(conn: &mut DbConn, user: &UserRow, public_url: &str) -> Result<(), ApiError> {
    let token = account_tokens::issue_valid_for(conn, user.id, Purpose::PasswordReset, LIFETIME, db::now())?;
    let data = json!({
        "name": user.name,
        "token": token,
        "link": email_links::page(public_url, &format!("password-reset?token={token}")),
        "valid_days": LIFETIME.num_days(),
        "reset_link": email_links::page(public_url, "password-reset"),
    });
    notify::to_user(conn, user, Template::AccountInvitation, &data)?;
    Ok(())
}
