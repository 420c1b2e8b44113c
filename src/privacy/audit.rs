//! The audit log: who (the user id from the token) called which route about one resident
//! or participant (`/api/v1/residents/{id}…`, `/api/v1/participants/{id}…`) or their
//! lists, with what outcome and when — never the content. Written by the middleware in
//! `audit_trail.rs`; refused calls are logged too.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::audit_log;

/// The route trees about one person, and the kind of subject they are about.
pub const SUBJECTS: [(&str, &str); 2] = [
    ("/api/v1/residents", "resident"),
    ("/api/v1/participants", "participant"),
];

/// Whose data a route is about: (kind, id or None for a list).
pub fn subject(pattern: &str, path: &str) -> Option<(&'static str, Option<i64>)> {
    for (prefix, kind) in SUBJECTS {
        if pattern == prefix {
            return Some((kind, None));
        }
        if pattern.starts_with(&format!("{prefix}/{{id}}")) {
            let id = path
                .strip_prefix(prefix)?
                .trim_start_matches('/')
                .split('/')
                .next()?
                .parse()
                .ok();
            return Some((kind, id));
        }
    }
    None
}

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

/// Sets the outcome of an entry written with [`IN_PROGRESS`].
pub fn settle(conn: &mut DbConn, id: i64, status: i32) -> QueryResult<()> {
    diesel::update(audit_log::table.find(id))
        .set(audit_log::status.eq(status))
        .execute(conn)
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

#[cfg(test)]
mod tests {
    use super::subject;

    #[test]
    fn routes_about_one_person_are_recognised() {
        assert_eq!(
            subject("/api/v1/residents/{id}", "/api/v1/residents/12"),
            Some(("resident", Some(12)))
        );
        assert_eq!(
            subject("/api/v1/residents/{id}/eligibility", "/api/v1/residents/7/eligibility"),
            Some(("resident", Some(7)))
        );
        assert_eq!(
            subject("/api/v1/participants/{id}/hours", "/api/v1/participants/3/hours"),
            Some(("participant", Some(3)))
        );
        assert_eq!(
            subject("/api/v1/residents", "/api/v1/residents"),
            Some(("resident", None))
        );
        assert_eq!(subject("/api/v1/jobs/{id}", "/api/v1/jobs/1"), None);
        assert_eq!(
            subject("/api/v1/residents/{id}", "/api/v1/residents/abc"),
            Some(("resident", None))
        );
    }
}
