//! Jobs, their preferred windows and events in the database.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::five_hour::PriorOrder;
use super::lifecycle::JobStatus;
use super::model::{JobEvent, JobRow, PreferredWindow, WindowRow};
use super::waitlist::QueuedJob;
use crate::db::schema::{job_events, job_windows, jobs, service_versions};
use crate::db::{DbConn, MultiBackend};
use crate::pagination::PageQuery;

pub struct NewJob<'a> {
    pub service_id: i64,
    pub service_version_id: i64,
    pub category: &'a str,
    pub recipient_id: i64,
    pub requester_user_id: Option<i64>,
    pub channel: &'a str,
    pub description: &'a str,
    pub street: &'a str,
    pub house_number: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub wijk: Option<&'a str>,
    pub address_key: &'a str,
    pub estimated_minutes: i64,
    pub needs_review: Option<&'a str>,
    pub institution_id: Option<i64>,
}

pub fn insert(conn: &mut DbConn, new: &NewJob<'_>, now: NaiveDateTime) -> QueryResult<JobRow> {
    diesel::insert_into(jobs::table)
        .values((
            jobs::service_id.eq(new.service_id),
            jobs::service_version_id.eq(new.service_version_id),
            jobs::category.eq(new.category),
            jobs::recipient_id.eq(new.recipient_id),
            jobs::requester_user_id.eq(new.requester_user_id),
            jobs::channel.eq(new.channel),
            jobs::description.eq(new.description),
            jobs::street.eq(new.street),
            jobs::house_number.eq(new.house_number),
            jobs::postcode.eq(new.postcode),
            jobs::city.eq(new.city),
            jobs::wijk.eq(new.wijk),
            jobs::address_key.eq(new.address_key),
            jobs::estimated_minutes.eq(new.estimated_minutes),
            jobs::otherwise_not_done.eq(true),
            jobs::status.eq(JobStatus::Requested.as_str()),
            jobs::needs_review.eq(new.needs_review),
            jobs::institution_id.eq(new.institution_id),
            jobs::priority.eq(false),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::all_columns)
        .get_result(conn)
}

pub fn insert_windows(conn: &mut DbConn, job_id: i64, windows: &[PreferredWindow]) -> QueryResult<()> {
    for w in windows {
        diesel::insert_into(job_windows::table)
            .values((
                job_windows::job_id.eq(job_id),
                job_windows::on_date.eq(w.date),
                job_windows::dagdeel.eq(w.dagdeel.map(|d| d.as_str())),
                job_windows::from_time.eq(w.from),
                job_windows::until_time.eq(w.until),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces the job's preferred windows.
pub fn replace_windows(conn: &mut DbConn, job_id: i64, windows: &[PreferredWindow]) -> QueryResult<()> {
    diesel::delete(job_windows::table.filter(job_windows::job_id.eq(job_id))).execute(conn)?;
    insert_windows(conn, job_id, windows)
}

pub fn set_description(conn: &mut DbConn, job_id: i64, description: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(jobs::table.find(job_id))
        .set((jobs::description.eq(description), jobs::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn windows_of(conn: &mut DbConn, job_ids: &[i64]) -> QueryResult<HashMap<i64, Vec<PreferredWindow>>> {
    let rows: Vec<WindowRow> = job_windows::table
        .filter(job_windows::job_id.eq_any(job_ids))
        .order((
            job_windows::job_id.asc(),
            job_windows::on_date.asc(),
            job_windows::id.asc(),
        ))
        .select(WindowRow::as_select())
        .load(conn)?;
    let mut map: HashMap<i64, Vec<PreferredWindow>> = HashMap::new();
    for row in rows {
        map.entry(row.job_id).or_default().push(row.into());
    }
    Ok(map)
}

pub fn add_event(
    conn: &mut DbConn,
    job_id: i64,
    from: Option<JobStatus>,
    to: JobStatus,
    actor: Option<i64>,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(job_events::table)
        .values((
            job_events::job_id.eq(job_id),
            job_events::from_status.eq(from.map(JobStatus::as_str)),
            job_events::to_status.eq(to.as_str()),
            job_events::actor_user_id.eq(actor),
            job_events::reason.eq(reason),
            job_events::at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn events_of(conn: &mut DbConn, job_id: i64) -> QueryResult<Vec<JobEvent>> {
    job_events::table
        .filter(job_events::job_id.eq(job_id))
        .order(job_events::id.asc())
        .select(JobEvent::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<JobRow>> {
    jobs::table.find(id).select(JobRow::as_select()).first(conn).optional()
}

/// Moves the job from `from` to `to` if it is still in `from`; returns whether it did.
pub fn set_status(conn: &mut DbConn, id: i64, from: JobStatus, to: JobStatus, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        jobs::table
            .filter(jobs::id.eq(id))
            .filter(jobs::status.eq(from.as_str())),
    )
    .set((jobs::status.eq(to.as_str()), jobs::updated_at.eq(now)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn record_acceptance(
    conn: &mut DbConn,
    id: i64,
    priority: bool,
    accepted_at: NaiveDateTime,
    queue_at: NaiveDateTime,
    review_reason: Option<&str>,
) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set((
            jobs::priority.eq(priority),
            jobs::accepted_at.eq(accepted_at),
            jobs::queue_at.eq(queue_at),
            jobs::review_reason.eq(review_reason),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn record_refusal(conn: &mut DbConn, id: i64, code: &str, note: Option<&str>) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set((jobs::refusal_code.eq(code), jobs::refusal_note.eq(note)))
        .execute(conn)
        .map(|_| ())
}

pub fn record_schedule(
    conn: &mut DbConn,
    id: i64,
    start: Option<NaiveDateTime>,
    end: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set((jobs::scheduled_start.eq(start), jobs::scheduled_end.eq(end)))
        .execute(conn)
        .map(|_| ())
}

pub fn record_cancellation(conn: &mut DbConn, id: i64, late: bool) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set(jobs::cancelled_late.eq(late))
        .execute(conn)
        .map(|_| ())
}

/// Alive orders (not refused or cancelled) for an address and category since `since`.
pub fn alive_orders(
    conn: &mut DbConn,
    address_key: &str,
    category: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<PriorOrder>> {
    let rows: Vec<(NaiveDateTime, i64)> = jobs::table
        .filter(jobs::address_key.eq(address_key))
        .filter(jobs::category.eq(category))
        .filter(jobs::created_at.gt(since))
        .filter(jobs::status.ne_all([JobStatus::Refused.as_str(), JobStatus::Cancelled.as_str()]))
        .select((jobs::created_at, jobs::estimated_minutes))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, minutes)| PriorOrder { at, minutes })
        .collect())
}

/// Every waitlisted job, in queue order per service.
pub fn waitlisted(conn: &mut DbConn) -> QueryResult<Vec<JobRow>> {
    jobs::table
        .filter(jobs::status.eq(JobStatus::Waitlisted.as_str()))
        .order((jobs::service_id.asc(), jobs::queue_at.asc(), jobs::id.asc()))
        .select(JobRow::as_select())
        .load(conn)
}

/// The waiting lists of these services: (job id, service, queue moment) of every
/// waitlisted job, in no particular order (`waitlist::position` counts in it).
pub fn queues_of(conn: &mut DbConn, service_ids: &[i64]) -> QueryResult<Vec<QueuedJob>> {
    jobs::table
        .filter(jobs::status.eq(JobStatus::Waitlisted.as_str()))
        .filter(jobs::service_id.eq_any(service_ids))
        .select((jobs::id, jobs::service_id, jobs::queue_at))
        .load(conn)
}

/// How many jobs of each of `services` went from the waiting list into the plan since
/// `since`: one pass over the recent events.
pub fn planned_since_by_service(
    conn: &mut DbConn,
    since: NaiveDateTime,
    services: &[i64],
) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = job_events::table
        .inner_join(jobs::table)
        .filter(job_events::to_status.eq(JobStatus::Scheduled.as_str()))
        .filter(job_events::at.gt(since))
        .filter(jobs::service_id.eq_any(services))
        .group_by(jobs::service_id)
        .select((jobs::service_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

#[derive(Debug, Default, Clone)]
pub struct JobFilter {
    /// Restrict to these recipients (a resident's own and principals'); `None` is everyone.
    pub recipients: Option<Vec<i64>>,
    pub status: Option<JobStatus>,
    pub service_id: Option<i64>,
    pub wijk: Option<String>,
    pub created_from: Option<NaiveDateTime>,
    pub created_until: Option<NaiveDateTime>,
}

fn filtered(f: &JobFilter) -> jobs::BoxedQuery<'static, MultiBackend> {
    let mut q = jobs::table.into_boxed::<MultiBackend>();
    if let Some(recipients) = &f.recipients {
        q = q.filter(jobs::recipient_id.eq_any(recipients.clone()));
    }
    if let Some(status) = f.status {
        q = q.filter(jobs::status.eq(status.as_str()));
    }
    if let Some(service_id) = f.service_id {
        q = q.filter(jobs::service_id.eq(service_id));
    }
    if let Some(wijk) = &f.wijk {
        q = q.filter(jobs::wijk.eq(wijk.clone()));
    }
    if let Some(from) = f.created_from {
        q = q.filter(jobs::created_at.ge(from));
    }
    if let Some(until) = f.created_until {
        q = q.filter(jobs::created_at.lt(until));
    }
    q
}

/// Newest first.
pub fn list(conn: &mut DbConn, f: &JobFilter, page: &PageQuery) -> QueryResult<(Vec<JobRow>, i64)> {
    let total = filtered(f).count().get_result(conn)?;
    let rows = filtered(f)
        .order(jobs::id.desc())
        .limit(page.limit())
        .offset(page.offset())
        .select(JobRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Refused jobs and jobs that needed a review, ordered in `[from, until)`, each with the
/// name of the service version it was ordered under.
pub fn competition(conn: &mut DbConn, from: NaiveDateTime, until: NaiveDateTime) -> QueryResult<Vec<(JobRow, String)>> {
    jobs::table
        .inner_join(service_versions::table)
        .filter(jobs::created_at.ge(from))
        .filter(jobs::created_at.lt(until))
        .filter(
            jobs::status
                .eq(JobStatus::Refused.as_str())
                .or(jobs::needs_review.is_not_null()),
        )
        .order(jobs::id.asc())
        .select((JobRow::as_select(), service_versions::name_nl))
        .load(conn)
}
