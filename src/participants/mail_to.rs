//! Where a participant's mail goes and in which language: their account's address, else
//! the one on their profile; in Dutch, or in English for someone who speaks English and no
//! Dutch. The language follows the profile the werkleider keeps, so the invitation to the
//! account and every mail after it (schedule, closed day, rejected hours, bonus statement)
//! come in the same one.

use chrono::NaiveDateTime;

use super::model::ParticipantRow;
use crate::auth::store as users;
use crate::db::DbConn;
use crate::domain::Language;
use crate::error::ApiError;
use crate::notify::Template;
use crate::notify::outbox::{self, NewMessage};

/// A participant's mail address and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailTo {
    pub address: String,
    pub language: Language,
}

impl MailTo {
    /// Puts `template` with `data` for participant `p` in the outbox (sent after commit).
    pub fn enqueue(
        &self,
        conn: &mut DbConn,
        p: &ParticipantRow,
        template: Template,
        data: &serde_json::Value,
        now: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let message = NewMessage {
            recipient_email: &self.address,
            recipient_name: &p.name,
            language: self.language,
            template,
            data,
        };
        outbox::enqueue(conn, &message, now)?;
        Ok(())
    }
}

/// Where `p`'s mail goes; `None` when they have neither an account nor an address.
pub fn of(conn: &mut DbConn, p: &ParticipantRow) -> Result<Option<MailTo>, ApiError> {
    let account = match p.user_id {
        Some(uid) => users::find_user(conn, uid)?.map(|u| u.email),
        None => None,
    };
    Ok(account.or_else(|| p.email.clone()).map(|address| MailTo {
        address,
        language: p.language(),
    }))
}
