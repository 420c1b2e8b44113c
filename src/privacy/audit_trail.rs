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
use actix_web::{Error, web};

use super::audit::{self, Entry, SUBJECTS};
use crate::db::{self, DbPool};
use crate::error::ApiError;

/// One call to log: everything but its outcome.
struct Call {
    pool: web::Data<DbPool>,
    actor: i64,
    kind: &'static str,
    subject: Option<i64>,
    action: &'static str,
    operation: String,
}

impl Call {
    async fn record(&self, status: i32) -> Result<i64, ApiError> {
        let (actor, kind, subject, action) = (self.actor, self.kind, self.subject, self.action);
        let operation = self.operation.clone();
        db::run(&self.pool, move |conn| {
            let entry = Entry {
                actor_user_id: Some(actor),
                subject_kind: kind,
                subject_id: subject,
                action,
                operation: &operation,
                status,
            };
            // In the writers' queue: on SQLite a lone insert would wait for the file's
            // lock on a timer, and under load could give up and lose the entry.
            Ok(db::append_tx(conn, |conn| audit::record(conn, &entry, db::now()))?)
        })
        .await
    }

    async fn settle(&self, id: i64, status: i32) {
        let settled = db::run(&self.pool, move |conn| {
            Ok(db::append_tx(conn, |conn| audit::settle(conn, id, status))?)
        })
        .await;
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
    }
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
    let about = pattern.as_deref().and_then(|p| audit::subject(p, req.path()));
    let actor = crate::auth::extract::authenticate(req.request()).ok().map(|u| u.id);
    let pool = req.app_data::<web::Data<DbPool>>().cloned();
    // Anonymous calls never reach the data; everything else is logged, refusals included.
    let (Some((kind, subject)), Some(actor), Some(pool)) = (about, actor, pool) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let read = req.method() == Method::GET;
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
        return Ok(match call.record(status).await {
            Ok(_) => response,
            Err(e) => {
                tracing::error!(error = %e, "audit log entry not written; the answer is withheld");
                response.error_response(unavailable())
            }
        });
    }
    let id = match call.record(audit::IN_PROGRESS).await {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = %e, "audit log entry not written; the change is not run");
            return Ok(req.error_response(unavailable()).map_into_boxed_body());
        }
    };
    match next.call(req).await {
        Ok(response) => {
            call.settle(id, i32::from(response.status().as_u16())).await;
            Ok(response.map_into_boxed_body())
        }
        Err(e) => {
            call.settle(id, i32::from(e.as_response_error().status_code().as_u16()))
                .await;
            Err(e)
        }
    }
}
