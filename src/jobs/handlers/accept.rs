use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::optional_note;
use crate::jobs::model::JobView;
use crate::jobs::settings::JobSettings;
use crate::jobs::{store, triage, views};
use crate::request_body::Json;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInput {
    /// Required for a job flagged `split_suspected`: why it is not one big job split up.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// Accepts a requested job onto the waiting list.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    request_body = AcceptInput,
    responses(
        (status = 200, description = "Accepted and waitlisted", body = JobView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not requested (invalid_transition)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A reviewed job needs a reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/accept")]
pub async fn accept_job(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: Json<AcceptInput>,
) -> Result<web::Json<JobView>, ApiError> {
    let id = id.into_inner();
    let reason = optional_note(body.into_inner().reason, "reason")?;
    let actor = staff.id;
    let view = db::run_tx(&pool, move |conn| {
        let job = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        let accepted = triage::accept(
            conn,
            &job,
            Some(actor),
            reason.as_deref(),
            &settings,
            clock::today(),
            now,
        )?;
        views::view_one(conn, accepted, true, now)
    })
    .await?;
    Ok(web::Json(view))
}
