use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::catalogue::store as catalogue;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::lifecycle::JobStatus;
use crate::jobs::store;
use crate::{clock, csv};

#[derive(Debug, Deserialize, IntoParams)]
pub struct CompetitionQuery {
    /// First day (inclusive).
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub from: NaiveDate,
    /// Last day (inclusive).
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub to: NaiveDate,
}

/// One refused or reviewed job. No personal data: the report goes to the municipality and
/// the local entrepreneurs' association, so the address is shown as its postcode area.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitionLine {
    pub job_id: i64,
    pub ordered_on: NaiveDate,
    pub service: String,
    pub category: String,
    pub postcode_area: String,
    pub wijk: Option<String>,
    pub estimated_minutes: i64,
    /// `refused`, `accepted_after_review`, `awaiting_review` or `cancelled_after_review`.
    pub outcome: String,
    /// The refusal code, or `split_suspected` for a reviewed job.
    pub reason_code: String,
    /// The werkleider's written reason.
    pub reason: Option<String>,
}

const HEADER: [&str; 10] = [
    "job_id",
    "ordered_on",
    "service",
    "category",
    "postcode_area",
    "wijk",
    "estimated_minutes",
    "outcome",
    "reason_code",
    "reason",
];

/// Jobs refused (competition and other reasons) and jobs that needed a werkleider's review
/// under the anti-splitting rule, for the municipality and the entrepreneurs' association.
/// `Accept: text/csv` gives CSV.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(CompetitionQuery),
    responses(
        (status = 200, description = "The report (JSON, or CSV with `Accept: text/csv`)", content(
            (Vec<CompetitionLine> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Invalid dates", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` is before `from`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/competition")]
pub async fn competition_report(
    req: HttpRequest,
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    query: web::Query<CompetitionQuery>,
) -> Result<HttpResponse, ApiError> {
    let CompetitionQuery { from, to } = query.into_inner();
    if to < from {
        return Err(ApiError::validation("to", "range_reversed", "`to` is before `from`"));
    }
    let until = to.succ_opt().unwrap_or(to);
    let lines = db::run_snapshot(&pool, move |conn| {
        let mut lines = Vec::new();
        for job in store::competition(conn, clock::local_midnight_utc(from), clock::local_midnight_utc(until))? {
            let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
            let outcome = match (job.status(), job.needs_review.is_some()) {
                (JobStatus::Refused, _) => "refused",
                (JobStatus::Requested, true) => "awaiting_review",
                (JobStatus::Cancelled, true) => "cancelled_after_review",
                _ => "accepted_after_review",
            };
            let refused = job.status() == JobStatus::Refused;
            lines.push(CompetitionLine {
                job_id: job.id,
                ordered_on: clock::local_date(job.created_at.and_utc()),
                service: service.name_nl,
                category: job.category,
                postcode_area: job.postcode.chars().take(4).collect(),
                wijk: job.wijk,
                estimated_minutes: job.estimated_minutes,
                outcome: outcome.into(),
                reason_code: if refused {
                    job.refusal_code.unwrap_or_default()
                } else {
                    job.needs_review.unwrap_or_default()
                },
                reason: if refused { job.refusal_note } else { job.review_reason },
            });
        }
        Ok(lines)
    })
    .await?;
    if csv::wanted(&req) {
        let mut body = csv::line(&HEADER.map(String::from));
        for l in &lines {
            body.push_str(&csv::line(&[
                l.job_id.to_string(),
                l.ordered_on.to_string(),
                l.service.clone(),
                l.category.clone(),
                l.postcode_area.clone(),
                l.wijk.clone().unwrap_or_default(),
                l.estimated_minutes.to_string(),
                l.outcome.clone(),
                l.reason_code.clone(),
                l.reason.clone().unwrap_or_default(),
            ]));
        }
        return Ok(csv::attachment(&format!("competition-{from}-{to}.csv"), body));
    }
    Ok(HttpResponse::Ok().json(lines))
}
