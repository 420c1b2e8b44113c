use actix_web::{get, web};

use crate::auth::AuthUser;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::model::JobEvent;
use crate::jobs::{access, store};

/// Every step in the job's life: from, to, who, why and when.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job's events, oldest first", body = Vec<JobEvent>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/events")]
pub async fn job_events(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<JobEvent>>, ApiError> {
    let id = id.into_inner();
    let events = db::run(&pool, move |conn| {
        let job = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !access::may_act_for(conn, &user, job.recipient_id)? {
            return Err(ApiError::NotFound);
        }
        Ok(store::events_of(conn, id)?)
    })
    .await?;
    Ok(web::Json(events))
}
