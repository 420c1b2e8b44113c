//! Mail to staff: every active member of a role (the werkleiders' alerts), or one; each
//! in the language of their account.

use chrono::NaiveDateTime;

use super::Template;
use super::outbox::{self, NewMessage};
use crate::auth::Role;
use crate::auth::store::{self as users, UserRow};
use crate::db::DbConn;
use crate::domain::Language;
use crate::error::ApiError;

/// Puts `template` in the outbox for each active account of `role`, with the data `data`
/// makes for them. Returns how many were written to.
pub fn to_role(
    conn: &mut DbConn,
    role: Role,
    template: Template,
    now: NaiveDateTime,
    data: impl Fn(&UserRow) -> serde_json::Value,
) -> Result<usize, ApiError> {
    let staff = users::active_with_role(conn, role)?;
    for user in &staff {
        to_user(conn, user, template, &data(user), now)?;
    }
    Ok(staff.len())
}

/// Puts `template` with `data` in the outbox for one staff member, in their language.
pub fn to_user(
    conn: &mut DbConn,
    user: &UserRow,
    template: Template,
    data: &serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let message = NewMessage {
        recipient_email: &user.email,
        recipient_name: &user.name,
        language: Language::from_stored(&user.language),
        template,
        data,
    };
    outbox::enqueue(conn, &message, now)?;
    Ok(())
}
