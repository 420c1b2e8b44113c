use actix_web::{get, web};

use crate::auth::AuthUser;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::model::JobView;
use crate::jobs::{access, store, views};

/// One job. Residents see their own jobs and those of the residents they act for, with
/// their place on the waiting list.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}")]
pub async fn get_job(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<JobView>, ApiError> {
    let id = id.into_inner();
    let view = db::run(&pool, move |conn| {
        let job = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !access::may_act_for(conn, &user, job.recipient_id)? {
            return Err(ApiError::NotFound);
        }
        views::view_one(conn, job, access::is_staff(&user), db::now())
    })
    .await?;
    Ok(web::Json(view))
}
