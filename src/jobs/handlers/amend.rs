use actix_web::{patch, web};

use crate::auth::AuthUser;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::{self, JobChange};
use crate::jobs::model::JobView;
use crate::jobs::{access, amend, store, views};
use crate::request_body::Json;

/// Changes an order: the description until the work starts, the preferred windows until
/// it is planned. For the resident (or their proxy) and staff.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    request_body = JobChange,
    responses(
        (status = 200, description = "Changed", body = JobView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job's state no longer takes this change (not_changeable)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, nothing to change, or a window on a day the servicepunt is closed (`service_point_closed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
pub async fn amend_job(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<JobChange>,
) -> Result<web::Json<JobView>, ApiError> {
    let id = id.into_inner();
    let change = input::check_change(body.into_inner(), clock::today())?;
    let view = db::run_tx(&pool, move |conn| {
        let job = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !access::may_act_for(conn, &user, job.recipient_id)? {
            return Err(ApiError::NotFound);
        }
        let now = db::now();
        amend::amend(conn, &job, user.id, &change, now)?;
        let changed = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        views::view_one(conn, changed, access::is_staff(&user), now)
    })
    .await?;
    Ok(web::Json(view))
}
