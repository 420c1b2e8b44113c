//! The audit log: who (the user id from the token) called which route about one resident
//! or participant or their lists (`audit_subject.rs` says which), with what outcome and
//! when — never the content. Written by the middleware in `audit_trail.rs`; refused calls
//! are logged too.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::audit_log;

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

/// Sets the outcome of an entry written with [`IN_PROGRESS`], and its subject if the
/// handler named one.
pub fn settle(conn: &mut DbConn, id: i64, status: i32, subject_id: Option<i64>) -> QueryResult<()> {
    let entry = audit_log::table.find(id);
    match subject_id {
        Some(subject) => diesel::update(entry)
            .set((audit_log::status.eq(status), audit_log::subject_id.eq(subject)))
            .execute(conn),
        None => diesel::update(entry).set(audit_log::status.eq(status)).execute(conn),
    }
    .map(|_| ())
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

/// The log for one subject, newest first (lists of that kind included).
pub fn for_subject(conn: &mut DbConn, kind: &str, id: i64, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .filter(audit_log::subject_kind.eq(kind))
        .filter(audit_log::subject_id.eq(id).or(audit_log::subject_id.is_null()))
        .order(audit_log::id.desc())
        .limit(limit)
        .select((
            audit_log::actor_user_id,
            audit_log::subject_kind,
            audit_log::subject_id,
            audit_log::action,
            audit_log::operation,
            audit_log::status,
            audit_log::at,
        ))
        .load(conn)
}
