use actix_web::{HttpRequest, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::hours::approval::{self, Decision};
use crate::hours::store::WorkLog;
use crate::jobs::input::required_note;
use crate::request_body::Json;

/// The contract of a batch's `ids`, as [`approval::check_ids`] takes them.
fn log_ids(what: &str) -> utoipa::openapi::schema::Array {
    let description = format!("The pending logs to {what}; 1 to {}, each once.", approval::MAX_LOGS);
    crate::schema_forms::unique_ids(approval::MAX_LOGS, &description)
}

fn approved_ids() -> utoipa::openapi::schema::Array {
    log_ids("approve: a crew's job, a day's queue")
}

fn rejected_ids() -> utoipa::openapi::schema::Array {
    log_ids("reject: time logged that was not worked")
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveAllInput {
    #[schema(schema_with = approved_ids)]
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
    let logs = db::run_tx(&pool, move |conn| {
        approval::decide_all(conn, &ids, Decision::Approve, by, db::now())
    })
    .await?;
    super::worklogs::name_participants(&req, &logs);
    Ok(web::Json(logs))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectAllInput {
    #[schema(schema_with = rejected_ids)]
    pub ids: Vec<i64>,
    /// Why, for each of them: each participant who logged their time themselves is mailed it.
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub reason: String,
}

/// Rejects several pending logs at once with one reason (a crew's time on a visit that
/// did not take place, say): all of them, or, if one is unknown or no longer pending,
/// none. Each participant who logged one of them themselves is mailed why.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    request_body = RejectAllInput,
    responses(
        (status = 200, description = "All rejected, in the order named", body = Vec<WorkLog>),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A log is not pending (not_pending); none was rejected", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, no ids, too many, one twice, or an unknown log (unknown_log)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reject")]
pub async fn reject_worklogs(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    body: Json<RejectAllInput>,
) -> Result<web::Json<Vec<WorkLog>>, ApiError> {
    let (by, RejectAllInput { ids, reason }) = (staff.id, body.into_inner());
    let reason = required_note(reason, "reason", "say why")?;
    approval::check_ids(&ids)?;
    let logs = db::run_tx(&pool, move |conn| {
        approval::decide_all(conn, &ids, Decision::Reject { reason: &reason }, by, db::now())
    })
    .await?;
    super::worklogs::name_participants(&req, &logs);
    Ok(web::Json(logs))
}
