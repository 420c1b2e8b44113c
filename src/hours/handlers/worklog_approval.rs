use actix_web::{HttpRequest, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::hours::approval;
use crate::hours::store::WorkLog;
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveAllInput {
    /// The pending logs to approve: a crew's job, a day's queue; 1 to 100, each once.
    pub ids: Vec<i64>,
}

/// Approves several pending logs at once (a crew's work on a job, say): all of them, or,
/// if one is unknown or no longer pending, none.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    request_body = ApproveAllInput,
    responses(
        (status = 200, description = "All approved, in the order named", body = Vec<WorkLog>),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A log is not pending (not_pending); none was approved", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No ids, too many, one twice, or an unknown log (unknown_log)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/approve")]
pub async fn approve_worklogs(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    body: Json<ApproveAllInput>,
) -> Result<web::Json<Vec<WorkLog>>, ApiError> {
    let (by, ids) = (staff.id, body.into_inner().ids);
    approval::check_ids(&ids)?;
    let logs = db::run_tx(&pool, move |conn| approval::approve_all(conn, &ids, by, db::now())).await?;
    super::worklogs::name_participants(&req, &logs);
    Ok(web::Json(logs))
}
