use actix_web::{get, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::catalogue::model::Localized;
use crate::catalogue::store as catalogue;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::{store, waitlist as rules};
use crate::residents::store as residents;

#[derive(Debug, Deserialize, IntoParams)]
pub struct WaitlistQuery {
    pub service_id: Option<i64>,
    pub wijk: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WaitlistEntry {
    /// Place in the queue of this service (1 is next).
    pub position: i64,
    pub job_id: i64,
    pub service_id: i64,
    pub service_name: Localized,
    pub recipient_id: i64,
    pub recipient_name: String,
    pub wijk: Option<String>,
    pub postcode: String,
    pub estimated_minutes: i64,
    /// 70-plus or Wmo on the day of acceptance: queued ahead within the priority period.
    pub priority: bool,
    pub accepted_at: Option<NaiveDateTime>,
    pub waiting_days: i64,
    pub estimated_wait_days: Option<i64>,
}

/// The waiting list, per service in queue order.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(WaitlistQuery),
    responses(
        (status = 200, description = "Waitlisted jobs", body = Vec<WaitlistEntry>),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/waitlist")]
pub async fn waitlist(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    query: web::Query<WaitlistQuery>,
) -> Result<web::Json<Vec<WaitlistEntry>>, ApiError> {
    let WaitlistQuery { service_id, wijk } = query.into_inner();
    let wijk = wijk.filter(|w| !w.trim().is_empty());
    let entries = db::run(&pool, move |conn| {
        let now = db::now();
        let since = now - chrono::Duration::days(28);
        let mut entries = Vec::new();
        let mut previous_service = None;
        let mut position = 0;
        let mut planned = 0;
        for job in store::waitlisted(conn)? {
            if previous_service != Some(job.service_id) {
                previous_service = Some(job.service_id);
                position = 0;
                planned = store::planned_since(conn, job.service_id, since)?;
            }
            position += 1;
            if service_id.is_some_and(|s| s != job.service_id)
                || wijk.as_ref().is_some_and(|w| job.wijk.as_ref() != Some(w))
            {
                continue;
            }
            let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
            let recipient = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
            entries.push(WaitlistEntry {
                position,
                job_id: job.id,
                service_id: job.service_id,
                service_name: service.name(),
                recipient_id: job.recipient_id,
                recipient_name: recipient.name,
                wijk: job.wijk,
                postcode: job.postcode,
                estimated_minutes: job.estimated_minutes,
                priority: job.priority,
                accepted_at: job.accepted_at,
                waiting_days: job.accepted_at.map_or(0, |at| (now - at).num_days().max(0)),
                estimated_wait_days: rules::estimated_wait_days(position, planned, 28),
            });
        }
        Ok(entries)
    })
    .await?;
    Ok(web::Json(entries))
}
