use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::extract::JobTriage;
use crate::auth::{AuthUser, RequireRole};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::hours::completion;
use crate::idempotency;
use crate::jobs::input::required_note;
use crate::jobs::model::JobView;
use crate::jobs::settings::JobSettings;
use crate::jobs::{access, store as jobs, views};
use crate::request_body::Json;

/// Marks a job done once all its hours are approved or rejected: its billable minutes
/// are the worked span rounded up per started unit, and the resident is asked to confirm.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "Performed", body = JobView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in progress, or hours still pending", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No approved hours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/performed")]
pub async fn mark_performed(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
) -> Result<web::Json<JobView>, ApiError> {
    let (by, id) = (staff.id, id.into_inner());
    let view = db::run_tx(&pool, move |conn| {
        let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        let job = completion::performed(conn, &job, by, &settings, now)?;
        views::view_one(conn, job, true, now)
    })
    .await?;
    Ok(web::Json(view))
}

/// The resident (or their proxy, or staff taking the answer by phone or at the counter)
/// confirms the performed work, which pays it with the resident's cheques.
///
/// Send an `Idempotency-Key` header: a retry with the same key gets the first answer
/// instead of `invalid_transition`.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id"), crate::idempotency::KeyHeader),
    responses(
        (status = 200, description = "Confirmed", body = JobView),
        (status = 400, description = "Malformed key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not performed (invalid_transition), or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/confirm")]
pub async fn confirm_job(
    req: HttpRequest,
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (key, hash, ()) = idempotency::keyed(&req, serde_json::Value::Null)?;
    idempotency::run(&pool, user.id, key, hash, None, move |conn| {
        let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !access::may_act_for(conn, &user, job.recipient_id)? {
            return Err(ApiError::NotFound);
        }
        let staff = access::is_staff(&user);
        let now = db::now();
        if job.status() == crate::jobs::lifecycle::JobStatus::Disputed {
            return Err(ApiError::conflict(
                "invalid_transition",
                "a disputed job is settled by the werkleider",
            ));
        }
        let reason = staff.then_some("confirmed by staff for the resident");
        let job = completion::confirm(conn, &job, Some(user.id), reason, now)?;
        let view = views::view_one(conn, job, staff, now)?;
        Ok((StatusCode::OK, serde_json::to_value(view).map_err(ApiError::internal)?))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeInput {
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub reason: String,
}

/// The resident disputes the hours; the werkleider will look into it.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    request_body = DisputeInput,
    responses(
        (status = 200, description = "Disputed", body = JobView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not performed (invalid_transition)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/dispute")]
pub async fn dispute_job(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<DisputeInput>,
) -> Result<web::Json<JobView>, ApiError> {
    let id = id.into_inner();
    let reason = required_note(body.into_inner().reason, "reason", "say what is not right")?;
    let view = db::run_tx(&pool, move |conn| {
        let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !access::may_act_for(conn, &user, job.recipient_id)? {
            return Err(ApiError::NotFound);
        }
        let now = db::now();
        let job = completion::dispute(conn, &job, user.id, &reason, now)?;
        views::view_one(conn, job, access::is_staff(&user), now)
    })
    .await?;
    Ok(web::Json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveInput {
    /// What was decided (hours corrected, or upheld and why).
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub note: String,
}

/// Settles a dispute: correct the hours first if the resident was right; the billable
/// minutes follow the approved hours as they now are, and the job is paid with the
/// resident's cheques. Send an `Idempotency-Key` header: a retry with the same key and
/// body gets the first answer.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id"), crate::idempotency::KeyHeader),
    request_body = ResolveInput,
    responses(
        (status = 200, description = "Confirmed", body = JobView),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not disputed, or hours pending, or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No note, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/resolve")]
pub async fn resolve_dispute(
    req: HttpRequest,
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (by, id) = (staff.id, id.into_inner());
    let (key, hash, input): (_, _, ResolveInput) = idempotency::keyed(&req, body.into_inner())?;
    let note = required_note(input.note, "note", "say what was decided")?;
    idempotency::run(&pool, by, key, hash, None, move |conn| {
        let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        let job = completion::resolve(conn, &job, by, &note, &settings, now)?;
        let view = views::view_one(conn, job, true, now)?;
        Ok((StatusCode::OK, serde_json::to_value(view).map_err(ApiError::internal)?))
    })
    .await
}
