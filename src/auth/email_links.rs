//! Writing the account emails: those that carry a token (address confirmation, password
//! reset), the word to an address registered again that it has an account, and the word
//! that a password was changed.

use serde_json::json;

use super::account_tokens::{self, Purpose};
use super::store::UserRow;
use crate::db::{self, DbConn};
use crate::domain::Language;
use crate::error::ApiError;
use crate::notify::outbox::{self, NewMessage};
use crate::notify::{self, Template};

/// The front end's page at `path` (`password-reset`, `login`, with a query if any): where
/// the links in the account emails point.
pub fn page(public_url: &str, path: &str) -> String {
    format!("{}/{path}", public_url.trim_end_matches('/'))
}

/// Issues a token and queues the email carrying it, in the caller's transaction.
pub fn send(conn: &mut DbConn, user: &UserRow, purpose: Purpose, public_url: &str) -> Result<(), ApiError> {
    let token = account_tokens::issue(conn, user.id, purpose, db::now())?;
    let (template, data) = match purpose {
        Purpose::VerifyEmail => (
            Template::VerifyEmail,
            json!({
                "name": user.name,
                "token": token,
                "link": page(public_url, &format!("verify-email?token={token}")),
                "valid_hours": Purpose::VerifyEmail.lifetime().num_hours(),
            }),
        ),
        Purpose::PasswordReset => (
            Template::PasswordReset,
            json!({
                "name": user.name,
                "token": token,
                "link": page(public_url, &format!("password-reset?token={token}")),
                "valid_minutes": Purpose::PasswordReset.lifetime().num_minutes(),
            }),
        ),
    };
    notify::to_user(conn, user, template, &data)?;
    Ok(())
}

/// Queues the link that confirms a registration (there is no account yet to write to).
pub fn confirm_registration(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    language: Language,
    token: &str,
    public_url: &str,
) -> Result<(), ApiError> {
    let data = json!({
        "name": name,
        "token": token,
        "link": page(public_url, &format!("register/confirm?token={token}")),
        "valid_hours": super::registrations::LIFETIME.num_hours(),
    });
    let message = NewMessage {
        recipient_email: email,
        recipient_name: name,
        language,
        template: Template::VerifyEmail,
        data: &data,
    };
    outbox::enqueue(conn, &message, db::now())?;
    Ok(())
}

/// Tells the holder of an account that someone registered with its address again, with
/// the ways in: logging in, or choosing a new password.
pub fn already_registered(conn: &mut DbConn, user: &UserRow, public_url: &str) -> Result<(), ApiError> {
    let data = json!({
        "name": user.name,
        "login_link": page(public_url, "login"),
        "reset_link": page(public_url, "password-reset"),
    });
    notify::to_user(conn, user, Template::AlreadyRegistered, &data)?;
    Ok(())
}

/// Tells the holder of an account that its password was just changed, with the way back
/// in if it was not them.
pub fn password_changed(conn: &mut DbConn, user: &UserRow, public_url: &str) -> Result<(), ApiError> {
    let data = json!({
        "name": user.name,
        "reset_link": page(public_url, "password-reset"),
    });
    notify::to_user(conn, user, Template::PasswordChanged, &data)?;
    Ok(())
}
