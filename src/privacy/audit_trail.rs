//! The middleware that writes the audit log for every authenticated call about one
//! resident or participant, or their lists. It fails closed: personal data does not leave
//! and is not changed without its entry.
//!
//! - A read runs, then its entry is written; if that fails the answer is withheld and the
//!   caller gets 503 `audit_unavailable` instead.
//! - A change gets its entry first (status [`audit::IN_PROGRESS`]); if that fails the
//!   change is not run. Its outcome is filled in afterwards.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, web};

use super::audit::{self, Entry};
use super::audit_subject::{self, Subject};
use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::participants::trajectory_store;
use crate::routed_path;

/// The people a call turned out to be about when its route does not say (the participant
/// in the body of an attendance record, a crew's hours): set by the handler, read by the
/// middleware. Sorted, each once.
#[derive(Debug, Clone, Default)]
struct NamedSubjects(Vec<i64>);

/// Tells the audit log whose data this call is about.
pub fn name_subject(req: &HttpRequest, id: i64) {
    name_subjects(req, [id]);
}

/// Tells the audit log this call is about each of `ids`: each gets an entry.
pub fn name_subjects(req: &HttpRequest, ids: impl IntoIterator<Item = i64>) {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    req.extensions_mut().insert(NamedSubjects(ids));
}

fn named(req: &HttpRequest) -> Vec<i64> {
    req.extensions()
        .get::<NamedSubjects>()
        .map(|n| n.0.clone())
        .unwrap_or_default()
}

/// One call to log: everything but its outcome.
struct Call {
    pool: web::Data<DbPool>,
    actor: i64,
    kind: &'static str,
    subject: Subject,
    action: &'static str,
    operation: String,
}

impl Call {
    /// Writes the call's entry (a read's, one per person it named); gives the first's id.
    async fn record(&self, status: i32, named: Vec<i64>) -> Result<i64, ApiError> {
        let (actor, kind, subject, action) = (self.actor, self.kind, self.subject, self.action);
        let operation = self.operation.clone();
        db::run(&self.pool, move |conn| {
            let subjects: Vec<Option<i64>> = match subject {
                Subject::Person(id) => vec![Some(id)],
                Subject::TrajectoryOf(id) => vec![trajectory_store::find(conn, id)?.map(|t| t.participant_id)],
                Subject::List | Subject::Unknown if named.is_empty() => vec![None],
                Subject::List | Subject::Unknown => named.into_iter().map(Some).collect(),
            };
            // In the writers' queue: on SQLite a lone insert would wait for the file's
            // lock on a timer, and under load could give up and lose the entry.
            Ok(db::uncounted_tx(conn, |conn| {
                let mut first = None;
                for subject_id in subjects {
                    let entry = Entry {
                        actor_user_id: Some(actor),
                        subject_kind: kind,
                        subject_id,
                        action,
                        operation: &operation,
                        status,
                    };
                    let id = audit::record(conn, &entry, db::now())?;
                    first.get_or_insert(id);
                }
                first.ok_or(diesel::result::Error::NotFound)
            })?)
        })
        .await
    }

    async fn settle(&self, id: i64, status: i32, named: Vec<i64>) {
        let settled = db::run_uncounted_tx(&self.pool, move |conn| Ok(audit::settle(conn, id, status, &named)?)).await;
        if let Err(e) = settled {
            tracing::error!(error = %e, "audit log outcome not written; the entry stays in progress");
        }
    }
}

fn unavailable() -> ApiError {
    ApiError::Unavailable {
        code: "audit_unavailable",
        detail: "the access log cannot be written just now, so this personal data is not shown or changed; \
                 try again shortly"
            .into(),
        retry_after_secs: Some(crate::error::DATABASE_RETRY_AFTER_SECS),
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Only these trees are logged; everything else passes untouched.
    let path = routed_path::of(req.request());
    if !audit_subject::in_scope(path) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let pattern = routed_path::pattern(req.request());
    let about = pattern.as_deref().and_then(|p| audit_subject::subject(p, path));
    let actor = crate::auth::extract::authenticate(req.request()).ok().map(|u| u.id);
    let pool = req.app_data::<web::Data<DbPool>>().cloned();
    // Anonymous calls never reach the data; everything else is logged, refusals included.
    let (Some((kind, subject)), Some(actor), Some(pool)) = (about, actor, pool) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    let call = Call {
        pool,
        actor,
        kind,
        subject,
        action: if read { "read" } else { "change" },
        operation: format!("{} {}", req.method(), pattern.unwrap_or_default()),
    };
    if read {
        let response = next.call(req).await?.map_into_boxed_body();
        let status = i32::from(response.status().as_u16());
        return Ok(match call.record(status, named(response.request())).await {
            Ok(_) => response,
            Err(e) => {
                tracing::error!(error = %e, "audit log entry not written; the answer is withheld");
                response.error_response(unavailable())
            }
        });
    }
    let id = match call.record(audit::IN_PROGRESS, Vec::new()).await {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = %e, "audit log entry not written; the change is not run");
            return Ok(req.error_response(unavailable()).map_into_boxed_body());
        }
    };
    match next.call(req).await {
        Ok(response) => {
            let status = i32::from(response.status().as_u16());
            call.settle(id, status, named(response.request())).await;
            Ok(response.map_into_boxed_body())
        }
        Err(e) => {
            call.settle(id, i32::from(e.as_response_error().status_code().as_u16()), Vec::new())
                .await;
            Err(e)
        }
    }
}
