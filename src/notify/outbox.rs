//! The outbox table: enqueue in the business transaction, claim with a lease, record the
//! outcome.
//!
//! Claiming is safe with several workers or instances. On PostgreSQL the due rows are
//! selected `FOR UPDATE SKIP LOCKED`, so workers never wait for each other; on SQLite the
//! claim runs in a `BEGIN IMMEDIATE` transaction, which serialises writers. On both, the
//! UPDATE repeats the "still claimable" condition, so a row is handed to one worker only.
//! A worker that dies mid-send leaves a `sending` row whose lease runs out; it is then
//! claimed again. A live worker renews the claim of each message as it sends it, so a
//! long batch on a slow mail server does not run out under it. The Message-ID stays the
//! same, so a receiving server can recognise a repeat after an unknown outcome.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::outbox;
use crate::db::{DbConn, MultiBackend};
use crate::domain::Language;
use crate::pagination::PageQuery;

use super::Template;

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const DEAD: &str = "dead";

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub message_id: String,
    pub recipient_email: String,
    pub recipient_name: String,
    pub language: String,
    pub template: String,
    /// The message's data; cleared once it is sent.
    #[serde(skip)]
    pub data: Option<String>,
    /// `pending`, `sending`, `sent` or `dead`.
    pub status: String,
    pub attempts: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub next_attempt_at: NaiveDateTime,
    #[serde(skip)]
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub lease_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub sent_at: Option<NaiveDateTime>,
}

pub struct NewMessage<'a> {
    pub recipient_email: &'a str,
    pub recipient_name: &'a str,
    pub language: Language,
    pub template: Template,
    pub data: &'a serde_json::Value,
}

pub fn enqueue(conn: &mut DbConn, msg: &NewMessage<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    let message_id = format!("<{}@servicepunt>", uuid::Uuid::new_v4().simple());
    diesel::insert_into(outbox::table)
        .values((
            outbox::message_id.eq(message_id),
            outbox::recipient_email.eq(msg.recipient_email),
            outbox::recipient_name.eq(msg.recipient_name),
            outbox::language.eq(msg.language.as_str()),
            outbox::template.eq(msg.template.name()),
            outbox::data.eq(msg.data.to_string()),
            outbox::status.eq(PENDING),
            outbox::attempts.eq(0i64),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .returning(outbox::id)
        .get_result(conn)
}

/// Claims up to `batch` due messages for `lease`. Call inside a write transaction.
pub fn claim(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease: chrono::Duration,
    batch: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let pending_and_due = outbox::status.eq(PENDING).and(outbox::next_attempt_at.le(now));
    let lease_expired = outbox::status.eq(SENDING).and(outbox::lease_until.lt(now));
    let ids: Vec<i64> = match conn {
        DbConn::Pg(c) => outbox::table
            .filter(pending_and_due.or(lease_expired))
            .order(outbox::id.asc())
            .limit(batch)
            .select(outbox::id)
            .for_update()
            .skip_locked()
            .load(c)?,
        DbConn::Sqlite(c) => outbox::table
            .filter(pending_and_due.or(lease_expired))
            .order(outbox::id.asc())
            .limit(batch)
            .select(outbox::id)
            .load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(&ids))
            .filter(pending_and_due.or(lease_expired)),
    )
    .set((
        outbox::status.eq(SENDING),
        outbox::lease_until.eq(now + lease),
        outbox::attempts.eq(outbox::attempts + 1),
    ))
    .returning(outbox::all_columns)
    .get_results(conn)
}

/// The message `id` while claimed for attempt `attempt`: what only the worker holding
/// that claim may change.
#[diesel::dsl::auto_type]
fn this_attempt(id: i64, attempt: i64) -> _ {
    let sending: &'static str = SENDING;
    outbox::table
        .filter(outbox::id.eq(id))
        .filter(outbox::status.eq(sending))
        .filter(outbox::attempts.eq(attempt))
}

/// Extends this attempt's claim to `until`, just before its message goes out; false when
/// the claim is no longer ours (another worker took it over after it ran out).
pub fn renew(conn: &mut DbConn, id: i64, attempt: i64, until: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(this_attempt(id, attempt))
        .set(outbox::lease_until.eq(until))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a delivery; only the worker holding this attempt's claim may. The content is
/// dropped: the record keeps who, when and which template.
pub fn mark_sent(conn: &mut DbConn, id: i64, attempt: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(this_attempt(id, attempt))
        .set((
            outbox::status.eq(SENT),
            outbox::sent_at.eq(now),
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::data.eq(None::<String>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a failed attempt: back to `pending` for `retry_at`, or `dead` when `None`.
pub fn mark_failed(
    conn: &mut DbConn,
    id: i64,
    attempt: i64,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<bool> {
    let error: String = error.chars().take(500).collect();
    let target = this_attempt(id, attempt);
    let n = match retry_at {
        Some(at) => diesel::update(target)
            .set((
                outbox::status.eq(PENDING),
                outbox::next_attempt_at.eq(at),
                outbox::lease_until.eq(None::<NaiveDateTime>),
                outbox::last_error.eq(error),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                outbox::status.eq(DEAD),
                outbox::lease_until.eq(None::<NaiveDateTime>),
                outbox::last_error.eq(error),
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Puts a dead message back in the queue with a fresh set of attempts.
pub fn retry_dead(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(outbox::table.filter(outbox::id.eq(id)).filter(outbox::status.eq(DEAD)))
        .set((
            outbox::status.eq(PENDING),
            outbox::attempts.eq(0i64),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Removes the record of messages sent, or given up on, more than `months` before `now`:
/// it proves a notice was sent for as long as a question about it can come, and holds a
/// name and address. Messages still to be sent stay. Returns how many went.
pub fn remove_older_than(conn: &mut DbConn, now: NaiveDateTime, months: u32) -> QueryResult<usize> {
    let Some(cutoff) = now.checked_sub_months(chrono::Months::new(months)) else {
        return Ok(0);
    };
    diesel::delete(
        outbox::table.filter(
            (outbox::status.eq(SENT).and(outbox::sent_at.lt(cutoff)))
                .or(outbox::status.eq(DEAD).and(outbox::created_at.lt(cutoff))),
        ),
    )
    .execute(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

fn filtered(status: Option<&str>) -> outbox::BoxedQuery<'static, MultiBackend> {
    let mut query = outbox::table.into_boxed::<MultiBackend>();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status.to_owned()));
    }
    query
}

/// Newest first.
pub fn list(conn: &mut DbConn, status: Option<&str>, page: &PageQuery) -> QueryResult<(Vec<OutboxRow>, i64)> {
    let total = filtered(status).count().get_result(conn)?;
    let rows = filtered(status)
        .order(outbox::id.desc())
        .limit(page.limit())
        .offset(page.offset())
        .select(OutboxRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Number of messages per status.
pub fn counts(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)
}
