//! Building what a caller sees of a job. What a view needs beyond the job's own row (its
//! catalogue version, preferred windows, place on the waiting list, whether its day was
//! closed) is read for a whole page at once ([`Lookups`]), so a list costs the same few
//! queries however many jobs it shows.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};

use super::lifecycle::JobStatus;
use super::model::{JobRow, JobServiceView, JobView, PreferredWindow, Refusal, Schedule, WaitlistInfo};
use super::{store, waitlist};
use crate::catalogue::model::{ServiceKind, ServiceVersionRow};
use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::planning::closed_days;
use crate::residents::model::AddressView;

/// Throughput for the wait estimate is measured over this many days.
const THROUGHPUT_DAYS: i64 = 28;

/// The waiting-list places of the waitlisted jobs among `jobs`, by job id.
pub fn waitlist_infos(
    conn: &mut DbConn,
    jobs: &[JobRow],
    now: NaiveDateTime,
) -> Result<HashMap<i64, WaitlistInfo>, ApiError> {
    let waiting: Vec<&JobRow> = jobs.iter().filter(|j| j.status() == JobStatus::Waitlisted).collect();
    if waiting.is_empty() {
        return Ok(HashMap::new());
    }
    let services: Vec<i64> = waiting
        .iter()
        .map(|j| j.service_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let queue = store::queues_of(conn, &services)?;
    let since = now - chrono::Duration::days(THROUGHPUT_DAYS);
    let planned = store::planned_since_by_service(conn, since, &services)?;
    Ok(waiting
        .into_iter()
        .map(|job| {
            let position = waitlist::position(&queue, (job.id, job.service_id, job.queue_at));
            let planned = planned.get(&job.service_id).copied().unwrap_or(0);
            let info = WaitlistInfo {
                position,
                waiting_days: job.accepted_at.map_or(0, |at| (now - at).num_days().max(0)),
                estimated_wait_days: waitlist::estimated_wait_days(position, planned, THROUGHPUT_DAYS),
            };
            (job.id, info)
        })
        .collect())
}

/// One job's place on the waiting list; `None` unless it is waitlisted.
pub fn waitlist_info(conn: &mut DbConn, job: &JobRow, now: NaiveDateTime) -> Result<Option<WaitlistInfo>, ApiError> {
    Ok(waitlist_infos(conn, std::slice::from_ref(job), now)?.remove(&job.id))
}

/// What the views of a page of jobs need besides the jobs' rows, read at once.
pub struct Lookups {
    versions: HashMap<i64, ServiceVersionRow>,
    windows: HashMap<i64, Vec<PreferredWindow>>,
    waitlist: HashMap<i64, WaitlistInfo>,
    /// Why the servicepunt is closed on the days of visits still to come.
    closed: HashMap<NaiveDate, String>,
}

/// The local day of a visit still to come (a scheduled job), which a closing concerns.
fn visit_day(job: &JobRow) -> Option<NaiveDate> {
    let starts_at = job.scheduled_start.filter(|_| job.status() == JobStatus::Scheduled)?;
    Some(crate::clock::local_date(starts_at.and_utc()))
}

impl Lookups {
    pub fn load(conn: &mut DbConn, jobs: &[JobRow], now: NaiveDateTime) -> Result<Self, ApiError> {
        let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
        let version_ids: Vec<i64> = jobs.iter().map(|j| j.service_version_id).collect();
        let days: Vec<NaiveDate> = jobs.iter().filter_map(visit_day).collect();
        let closed = match (days.iter().min(), days.iter().max()) {
            (Some(&from), Some(&to)) => closed_days::between(conn, from, to)?
                .into_iter()
                .map(|c| (c.date, c.reason))
                .collect(),
            _ => HashMap::new(),
        };
        Ok(Lookups {
            versions: catalogue::versions(conn, &version_ids)?,
            windows: store::windows_of(conn, &ids)?,
            waitlist: waitlist_infos(conn, jobs, now)?,
            closed,
        })
    }

    /// When the job is planned; for a visit still to come on a day the servicepunt closed
    /// since, why it is closed.
    fn schedule(&self, job: &JobRow) -> Option<Schedule> {
        let (starts_at, ends_at) = job.scheduled_start.zip(job.scheduled_end)?;
        Some(Schedule {
            starts_at,
            ends_at,
            closed: visit_day(job).and_then(|day| self.closed.get(&day).cloned()),
        })
    }

    /// What the caller sees of `job` (one of those loaded); `staff` see the review notes.
    pub fn view(&mut self, job: JobRow, staff: bool) -> Result<JobView, ApiError> {
        let version = self.versions.get(&job.service_version_id).ok_or(ApiError::NotFound)?;
        let service = JobServiceView {
            id: job.service_id,
            version: version.version,
            kind: ServiceKind::from_stored(&version.kind),
            name: version.name(),
            category: version.category.clone(),
        };
        let schedule = self.schedule(&job);
        Ok(JobView {
            id: job.id,
            status: job.status(),
            service,
            recipient_id: job.recipient_id,
            requester_user_id: job.requester_user_id,
            channel: job.channel,
            description: job.description,
            address: AddressView {
                street: job.street,
                house_number: job.house_number,
                postcode: job.postcode,
                city: job.city,
            },
            wijk: job.wijk,
            preferred_windows: self.windows.remove(&job.id).unwrap_or_default(),
            estimated_minutes: job.estimated_minutes,
            otherwise_not_done: job.otherwise_not_done,
            needs_review: job.needs_review.filter(|_| staff),
            review_reason: job.review_reason.filter(|_| staff),
            refusal: job.refusal_code.map(|code| Refusal {
                code,
                note: job.refusal_note,
            }),
            schedule,
            cancelled_late: job.cancelled_late,
            billable_minutes: job.billable_minutes,
            institution_id: job.institution_id,
            waitlist: self.waitlist.remove(&job.id),
            created_at: job.created_at,
            updated_at: job.updated_at,
        })
    }
}

/// The views of a page of jobs, in their order.
pub fn view_all(
    conn: &mut DbConn,
    jobs: Vec<JobRow>,
    staff: bool,
    now: NaiveDateTime,
) -> Result<Vec<JobView>, ApiError> {
    let mut lookups = Lookups::load(conn, &jobs, now)?;
    jobs.into_iter().map(|job| lookups.view(job, staff)).collect()
}

/// One job's view.
pub fn view_one(conn: &mut DbConn, job: JobRow, staff: bool, now: NaiveDateTime) -> Result<JobView, ApiError> {
    let mut lookups = Lookups::load(conn, std::slice::from_ref(&job), now)?;
    lookups.view(job, staff)
}
