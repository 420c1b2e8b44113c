//! Writing the account emails that carry a token (verification, password reset).

use serde_json::json;

use super::account_tokens::{self, Purpose};
use super::store::UserRow;
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::notify::{self, Template};

/// Issues a token and queues the email carrying it, in the caller's transaction.
pub fn send(conn: &mut DbConn, user: &UserRow, purpose: Purpose, public_url: &str) -> Result<(), ApiError> {
    let token = account_tokens::issue(conn, user.id, purpose, db::now())?;
    let base = public_url.trim_end_matches('/');
    let (template, data) = match purpose {
        Purpose::VerifyEmail => (
            Template::VerifyEmail,
            json!({
                "name": user.name,
                "token": token,
                "link": format!("{base}/verify-email?token={token}"),
                "valid_hours": Purpose::VerifyEmail.lifetime().num_hours(),
            }),
        ),
        Purpose::PasswordReset => (
            Template::PasswordReset,
            json!({
                "name": user.name,
                "token": token,
                "link": format!("{base}/password-reset?token={token}"),
                "valid_minutes": Purpose::PasswordReset.lifetime().num_minutes(),
            }),
        ),
    };
    notify::to_user(conn, user, template, &data)?;
    Ok(())
}
