//! Notifications that are never lost: messages are written to the outbox in the same
//! transaction as the change that causes them, and a worker delivers them after commit
//! (SMTP through lettre, or `.eml` files in development), with retries and backoff.
//! Residents without an email address are put on the servicepunt's daily call sheet
//! instead, so their messages are not dropped either.

pub mod backoff;
pub mod callsheet;
pub mod handlers;
pub mod mailer;
pub mod outbox;
pub mod send;
pub mod spoken_dates;
pub mod staff_mail;
pub mod template;
mod template_sources;
mod turns;
pub mod worker;

pub use send::{Delivery, to_resident, to_user};
pub use template::{Renderer, Template};
