use actix_web::{post, web};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::model::JobView;
use crate::jobs::settings::JobSettings;
use crate::jobs::{store, triage, views};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    /// RFC 3339 with offset, e.g. `2026-05-04T09:00:00+02:00`.
    #[schema(value_type = String, example = "2026-05-04T09:00:00+02:00")]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, example = "2026-05-04T12:00:00+02:00")]
    pub ends_at: DateTime<FixedOffset>,
}

/// Takes a job off the waiting list and plans it for a time span. Around the home the
/// span may last at most five hours.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    request_body = ScheduleInput,
    responses(
        (status = 200, description = "Scheduled", body = JobView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not waitlisted (invalid_transition)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Span reversed or longer than the five-hour rule allows", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/jobs/{id}/schedule")]
pub async fn schedule_job(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: web::Json<ScheduleInput>,
) -> Result<web::Json<JobView>, ApiError> {
    let id = id.into_inner();
    let start = body.starts_at.naive_utc();
    let end = body.ends_at.naive_utc();
    let actor = staff.id;
    let view = db::run_tx(&pool, move |conn| {
        let job = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        let scheduled = triage::schedule(conn, &job, actor, start, end, &settings, now)?;
        views::view_one(conn, scheduled, true, now)
    })
    .await?;
    Ok(web::Json(view))
}
