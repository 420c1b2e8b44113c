//! The audit log, written by a middleware for every call to a route about one resident or
//! participant (`/api/v1/residents/{id}…`, `/api/v1/participants/{id}…`) and for their
//! lists: who (the user id from the token), what (the route pattern and method, never the
//! content), the outcome, and when. Refused calls are logged too.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::audit_log;
use crate::db::{self, DbConn, DbPool};

/// The route trees about one person, and the kind of subject they are about.
const SUBJECTS: [(&str, &str); 2] = [
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

pub fn record(conn: &mut DbConn, e: &Entry<'_>, now: NaiveDateTime) -> QueryResult<()> {
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

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Only these two trees hold personal data; everything else passes untouched.
    let path = req.path();
    if !SUBJECTS.iter().any(|(prefix, _)| path.starts_with(prefix)) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let pattern = req.match_pattern();
    let about = pattern.as_deref().and_then(|p| subject(p, req.path()));
    let Some((kind, id)) = about else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let actor = crate::auth::extract::authenticate(req.request()).ok().map(|u| u.id);
    let method = req.method().clone();
    let operation = format!("{method} {}", pattern.unwrap_or_default());
    let pool = req.app_data::<web::Data<DbPool>>().cloned();
    let response = next.call(req).await?.map_into_boxed_body();
    let status = i32::from(response.status().as_u16());
    // Anonymous calls never reach the data; everything else is logged, refusals included.
    if let (Some(pool), Some(_)) = (pool, actor) {
        let action = if method == actix_web::http::Method::GET {
            "read"
        } else {
            "change"
        };
        let written = db::run(&pool, move |conn| {
            let entry = Entry {
                actor_user_id: actor,
                subject_kind: kind,
                subject_id: id,
                action,
                operation: &operation,
                status,
            };
            // In the writers' queue: on SQLite a lone insert would wait for the file's
            // lock on a timer, and under load could give up and lose the entry.
            Ok(db::append_tx(conn, |conn| record(conn, &entry, db::now()))?)
        })
        .await;
        if let Err(e) = written {
            tracing::error!(error = %e, "audit log entry not written");
        }
    }
    Ok(response)
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
