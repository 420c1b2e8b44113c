//! A daily cap on the account mails that can be asked for again and again: a link that
//! confirms the address (or word that it has an account already) and a password-reset
//! link. Registering and asking for a reset are open to anyone, and the per-client rate
//! limit (`ratelimit`) still lets one client ask thousands of times a day; nobody should
//! be able to flood a resident's mailbox through us, nor should someone tapping "send it
//! again" get a pile of links of which only the last works. The outbox is the count: what
//! was queued for the address in the last 24 hours.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::{self, DbConn};
use crate::notify::Template;

/// At most this many mails of one kind go to one address a day.
pub const MAILS_PER_ADDRESS_PER_DAY: i64 = 5;

/// The kinds counted together.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A link that confirms the address (at registration, or sent again), or word that
    /// the address already has an account.
    ConfirmAddress,
    PasswordReset,
}

impl Kind {
    fn templates(self) -> &'static [Template] {
        match self {
            Kind::ConfirmAddress => &[Template::VerifyEmail, Template::AlreadyRegistered],
            Kind::PasswordReset => &[Template::PasswordReset],
        }
    }
}

/// Whether another mail of this kind may go to `email` today. Holds the address until
/// the transaction ends, so that concurrent requests (on PostgreSQL, or on several
/// instances) cannot each see room under the cap: call it in the transaction that queues
/// the mail.
pub fn may_mail(conn: &mut DbConn, email: &str, kind: Kind, now: NaiveDateTime) -> QueryResult<bool> {
    db::lock(conn, &format!("account-mail:{email}"))?;
    let names: Vec<&str> = kind.templates().iter().map(|t| t.name()).collect();
    let sent: i64 = outbox::table
        .filter(outbox::recipient_email.eq(email))
        .filter(outbox::created_at.gt(now - Duration::days(1)))
        .filter(outbox::template.eq_any(names))
        .count()
        .get_result(conn)?;
    Ok(sent < MAILS_PER_ADDRESS_PER_DAY)
}
