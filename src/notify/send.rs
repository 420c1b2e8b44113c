//! Where a message goes: to the outbox for anyone with an email address, to the call
//! sheet for a resident without one. Both are written in the caller's transaction.

use chrono::NaiveDate;
use diesel::QueryResult;

use super::outbox::{self, NewMessage};
use super::{Template, callsheet};
use crate::auth::store::UserRow;
use crate::db::{self, DbConn};
use crate::domain::Language;
use crate::residents::model::ResidentRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Queued as email; the outbox row id.
    Email(i64),
    /// Put on the call sheet; the call task id.
    CallSheet(i64),
}

/// An account always has an address: its login.
pub fn to_user(conn: &mut DbConn, user: &UserRow, template: Template, data: &serde_json::Value) -> QueryResult<i64> {
    outbox::enqueue(
        conn,
        &NewMessage {
            recipient_email: &user.email,
            recipient_name: &user.name,
            language: Language::from_stored(&user.language),
            template,
            data,
        },
        db::now(),
    )
}

/// Mails the resident when they have an address, else asks the servicepunt to phone them
/// on `due_on`.
pub fn to_resident(
    conn: &mut DbConn,
    resident: &ResidentRow,
    template: Template,
    data: &serde_json::Value,
    due_on: NaiveDate,
) -> QueryResult<Delivery> {
    let language = Language::from_stored(&resident.language);
    match resident.email.as_deref().filter(|e| !e.is_empty()) {
        Some(email) => {
            let message = NewMessage {
                recipient_email: email,
                recipient_name: &resident.name,
                language,
                template,
                data,
            };
            outbox::enqueue(conn, &message, db::now()).map(Delivery::Email)
        }
        None => callsheet::add(conn, resident.id, due_on, language, template, data, db::now()).map(Delivery::CallSheet),
    }
}
