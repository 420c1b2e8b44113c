//! The audit log: who (the user id from the token) called which route about one resident
//! or participant or their lists (`audit_subject.rs` says which), with what outcome and
//! when — never the content. Written by the middleware in `audit_trail.rs`; refused calls
//! are logged too.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::audit_log;
use crate::db::{DbConn, MultiBackend};
use crate::pagination::PageQuery;

pub struct Entry<'a> {
    pub actor_user_id: Option<i64>,
    pub subject_kind: &'a str,
    pub subject_id: Option<i64>,
    pub action: &'a str,
    pub operation: &'a str,
    pub status: i32,
}

/// The status of a change's entry from before the change runs until its outcome is known;
/// it stays so only if the server failed in between.
pub const IN_PROGRESS: i32 = 0;

/// Adds an entry and gives its id.
pub fn record(conn: &mut DbConn, e: &Entry<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(e.actor_user_id),
            audit_log::subject_kind.eq(e.subject_kind),
            audit_log::subject_id.eq(e.subject_id),
            audit_log::action.eq(e.action),
            audit_log::operation.eq(e.operation),
            audit_log::status.eq(e.status),
            audit_log::at.eq(now),
        ))
        .returning(audit_log::id)
        .get_result(conn)
}

/// Sets the outcome of an entry written with [`IN_PROGRESS`], and the people the handler
/// named: the entry gets the first as its subject, and each other one an entry of their
/// own alike in all but the subject (a crew's hours logged in one call are about each
/// member).
pub fn settle(conn: &mut DbConn, id: i64, status: i32, named: &[i64]) -> QueryResult<()> {
    let entry = audit_log::table.find(id);
    let Some((first, others)) = named.split_first() else {
        return diesel::update(entry)
            .set(audit_log::status.eq(status))
            .execute(conn)
            .map(|_| ());
    };
    diesel::update(entry)
        .set((audit_log::status.eq(status), audit_log::subject_id.eq(first)))
        .execute(conn)?;
    if others.is_empty() {
        return Ok(());
    }
    let (actor_user_id, subject_kind, action, operation, at): (Option<i64>, String, String, String, NaiveDateTime) =
        entry
            .select((
                audit_log::actor_user_id,
                audit_log::subject_kind,
                audit_log::action,
                audit_log::operation,
                audit_log::at,
            ))
            .first(conn)?;
    for subject in others {
        let alike = Entry {
            actor_user_id,
            subject_kind: &subject_kind,
            subject_id: Some(*subject),
            action: &action,
            operation: &operation,
            status,
        };
        record(conn, &alike, at)?;
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema, Queryable)]
pub struct AuditEntry {
    pub actor_user_id: Option<i64>,
    /// `resident` or `participant`.
    pub subject_kind: String,
    /// Absent for a list.
    pub subject_id: Option<i64>,
    /// `read` or `change`.
    pub action: String,
    /// Method and route, e.g. `GET /api/v1/residents/{id}/eligibility`.
    pub operation: String,
    /// The HTTP status of the answer; 0 if a change was started and its outcome could
    /// not be recorded.
    pub status: i32,
    #[serde(serialize_with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

fn about(kind: &str, id: i64, lists: bool) -> audit_log::BoxedQuery<'static, MultiBackend> {
    let query = audit_log::table
        .into_boxed::<MultiBackend>()
        .filter(audit_log::subject_kind.eq(kind.to_owned()));
    if lists {
        query.filter(audit_log::subject_id.eq(id).or(audit_log::subject_id.is_null()))
    } else {
        query.filter(audit_log::subject_id.eq(id))
    }
}

/// One page of the log about one person, newest first, with the number of entries in
/// all pages; with `lists`, calls to the lists of that kind too.
pub fn for_subject(
    conn: &mut DbConn,
    kind: &str,
    id: i64,
    lists: bool,
    page: &PageQuery,
) -> QueryResult<(Vec<AuditEntry>, i64)> {
    let total = about(kind, id, lists).count().get_result(conn)?;
    let entries = about(kind, id, lists)
        .order(audit_log::id.desc())
        .limit(page.limit())
        .offset(page.offset())
        .select((
            audit_log::actor_user_id,
            audit_log::subject_kind,
            audit_log::subject_id,
            audit_log::action,
            audit_log::operation,
            audit_log::status,
            audit_log::at,
        ))
        .load(conn)?;
    Ok((entries, total))
}

/// Removes the entries older than `months` before `now`: an access log answers questions
/// about past access for a limited time, and is personal data itself. Returns how many.
pub fn remove_older_than(conn: &mut DbConn, now: NaiveDateTime, months: u32) -> QueryResult<usize> {
    let Some(cutoff) = now.checked_sub_months(chrono::Months::new(months)) else {
        return Ok(0);
    };
    diesel::delete(audit_log::table.filter(audit_log::at.lt(cutoff))).execute(conn)
}
