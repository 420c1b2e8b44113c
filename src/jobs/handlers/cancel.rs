use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::optional_note;
use crate::jobs::model::JobView;
use crate::jobs::settings::JobSettings;
use crate::jobs::{access, store, triage, views};
use crate::request_body::Json;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// Cancels a job that has not started. Free of charge until the set number of hours
/// before the planned start (default 24); later it is recorded as a late cancellation.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    request_body = CancelInput,
    responses(
        (status = 200, description = "Cancelled", body = JobView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job can no longer be cancelled (invalid_transition)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Reason too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/cancel")]
pub async fn cancel_job(
    user: AuthUser,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: Json<CancelInput>,
) -> Result<web::Json<JobView>, ApiError> {
    let id = id.into_inner();
    let reason = optional_note(body.into_inner().reason, "reason")?;
    let view = db::run_tx(&pool, move |conn| {
        let job = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !access::may_act_for(conn, &user, job.recipient_id)? {
            return Err(ApiError::NotFound);
        }
        let now = db::now();
        let cancelled = triage::cancel(conn, &job, user.id, reason.as_deref(), &settings, now)?;
        views::view_one(conn, cancelled, access::is_staff(&user), now)
    })
    .await?;
    Ok(web::Json(view))
}
