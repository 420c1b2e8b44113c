//! The waiting list as staff see it: per service in queue order, with positions.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::{store, waitlist as rules};
use crate::catalogue::model::Localized;
use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::residents::store as residents;

#[derive(Debug, Clone, Serialize, ToSchema)]
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
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub accepted_at: Option<NaiveDateTime>,
    pub waiting_days: i64,
    pub estimated_wait_days: Option<i64>,
}

/// Waitlisted jobs, optionally of one service or wijk; positions count the whole queue of
/// each service.
pub fn entries(
    conn: &mut DbConn,
    service_id: Option<i64>,
    wijk: Option<String>,
    now: NaiveDateTime,
) -> Result<Vec<WaitlistEntry>, ApiError> {
    let since = now - chrono::Duration::days(28);
    let mut shown = Vec::new();
    let mut previous_service = None;
    let mut position = 0;
    let mut planned = 0;
    let waitlisted = store::waitlisted(conn)?;
    let mut services: Vec<i64> = waitlisted.iter().map(|j| j.service_id).collect();
    services.dedup();
    let planned_by_service = store::planned_since_by_service(conn, since, &services)?;
    for job in waitlisted {
        if previous_service != Some(job.service_id) {
            previous_service = Some(job.service_id);
            position = 0;
            planned = planned_by_service.get(&job.service_id).copied().unwrap_or(0);
        }
        position += 1;
        if service_id.is_some_and(|s| s != job.service_id)
            || wijk.as_ref().is_some_and(|w| job.wijk.as_ref() != Some(w))
        {
            continue;
        }
        shown.push((position, planned, job));
    }
    let version_ids: Vec<i64> = shown.iter().map(|(_, _, j)| j.service_version_id).collect();
    let recipient_ids: Vec<i64> = shown.iter().map(|(_, _, j)| j.recipient_id).collect();
    let services = catalogue::versions(conn, &version_ids)?;
    let names = residents::names(conn, &recipient_ids)?;
    let mut entries = Vec::with_capacity(shown.len());
    for (position, planned, job) in shown {
        let service = services.get(&job.service_version_id).ok_or(ApiError::NotFound)?;
        let recipient_name = names.get(&job.recipient_id).cloned().ok_or(ApiError::NotFound)?;
        entries.push(WaitlistEntry {
            position,
            job_id: job.id,
            service_id: job.service_id,
            service_name: service.name(),
            recipient_id: job.recipient_id,
            recipient_name,
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
}
