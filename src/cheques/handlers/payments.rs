use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::FinanceDesk;
use crate::cheques::redeem;
use crate::clock;
use crate::db::schema::jobs as jobs_table;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::idempotency;
use crate::jobs::lifecycle::JobStatus;
use crate::jobs::model::JobView;
use crate::jobs::{store as jobs, views};
use crate::request_body::Json;
use crate::residents::store as residents;
use diesel::prelude::*;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemInput {
    /// Printed numbers of the paper cheques handed over.
    pub serials: Vec<String>,
}

/// Pays a confirmed job with paper cheques handed over at the counter. Send an
/// `Idempotency-Key` header: a retry with the same key and body gets the first answer
/// instead of `cheque_already_used`.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id"), crate::idempotency::KeyHeader),
    request_body = RedeemInput,
    responses(
        (status = 200, description = "The job, settled when paid in full", body = JobView),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A cheque was used already, or the job is not confirmed, or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A typo, an unknown or expired cheque, someone else's reduced cheque, or more cheques than due; or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/redeem")]
pub async fn redeem_paper(
    req: HttpRequest,
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (by, id) = (staff.id, id.into_inner());
    let (key, hash, input): (_, _, RedeemInput) = idempotency::keyed(&req, body.into_inner())?;
    let serials = input.serials;
    if serials.is_empty() || serials.len() > 50 {
        return Err(ApiError::validation("serials", "invalid_count", "1 to 50 cheques"));
    }
    idempotency::run(&pool, by, key, hash, None, move |conn| {
        let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        redeem::redeem_serials(conn, &job, &serials, by, clock::today(), now)?;
        let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let view = views::view_one(conn, job, true, now)?;
        Ok((StatusCode::OK, serde_json::to_value(view).map_err(ApiError::internal)?))
    })
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnpaidJob {
    pub job_id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub billable_minutes: i64,
    /// Minutes not yet paid with cheques.
    pub due_minutes: i64,
}

/// Confirmed jobs waiting for cheques, for the counter.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Unpaid jobs, oldest first", body = Vec<UnpaidJob>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/unpaid-jobs")]
pub async fn unpaid_jobs(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<UnpaidJob>>, ApiError> {
    let list = db::run_snapshot(&pool, |conn| {
        let ids: Vec<i64> = jobs_table::table
            .filter(jobs_table::status.eq(JobStatus::Confirmed.as_str()))
            .order(jobs_table::id)
            .select(jobs_table::id)
            .load(conn)?;
        let mut out = Vec::new();
        for id in ids {
            let Some(job) = jobs::find(conn, id)? else { continue };
            let resident = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
            out.push(UnpaidJob {
                job_id: id,
                resident_id: resident.id,
                resident_name: resident.name,
                billable_minutes: job.billable_minutes.unwrap_or(0),
                due_minutes: redeem::due_minutes(conn, &job)?,
            });
        }
        Ok(out)
    })
    .await?;
    Ok(web::Json(list))
}
