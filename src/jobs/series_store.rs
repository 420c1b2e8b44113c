//! Recurring visits and the jobs ordered for them, in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::lifecycle::JobStatus;
use super::model::Dagdeel;
use super::series_rules::Pattern;
use crate::db::schema::{job_series, job_series_visits, jobs};
use crate::db::{DbConn, MultiBackend};
use crate::pagination::PageQuery;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_series)]
pub struct SeriesRow {
    pub id: i64,
    pub recipient_id: i64,
    pub requester_user_id: i64,
    pub service_id: i64,
    pub channel: String,
    pub description: String,
    pub estimated_minutes: Option<i64>,
    pub weekday: i64,
    pub dagdeel: String,
    pub every_weeks: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub stopped_at: Option<NaiveDateTime>,
    pub stop_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub institution_id: Option<i64>,
}

impl SeriesRow {
    pub fn pattern(&self) -> Pattern {
        Pattern {
            weekday: u32::try_from(self.weekday).unwrap_or(0),
            every_weeks: u32::try_from(self.every_weeks).unwrap_or(1),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        }
    }

    pub fn dagdeel(&self) -> Dagdeel {
        Dagdeel::parse(&self.dagdeel).unwrap_or(Dagdeel::Morning)
    }
}

pub struct NewSeries<'a> {
    pub recipient_id: i64,
    pub requester_user_id: i64,
    pub service_id: i64,
    pub channel: &'a str,
    pub description: &'a str,
    pub estimated_minutes: Option<i64>,
    pub pattern: Pattern,
    pub dagdeel: Dagdeel,
    pub institution_id: Option<i64>,
}

pub fn insert(conn: &mut DbConn, new: &NewSeries<'_>, now: NaiveDateTime) -> QueryResult<SeriesRow> {
    diesel::insert_into(job_series::table)
        .values((
            job_series::recipient_id.eq(new.recipient_id),
            job_series::requester_user_id.eq(new.requester_user_id),
            job_series::service_id.eq(new.service_id),
            job_series::channel.eq(new.channel),
            job_series::description.eq(new.description),
            job_series::estimated_minutes.eq(new.estimated_minutes),
            job_series::weekday.eq(i64::from(new.pattern.weekday)),
            job_series::dagdeel.eq(new.dagdeel.as_str()),
            job_series::every_weeks.eq(i64::from(new.pattern.every_weeks)),
            job_series::starts_on.eq(new.pattern.starts_on),
            job_series::ends_on.eq(new.pattern.ends_on),
            job_series::created_at.eq(now),
            job_series::institution_id.eq(new.institution_id),
        ))
        .returning(job_series::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<SeriesRow>> {
    job_series::table
        .find(id)
        .select(SeriesRow::as_select())
        .first(conn)
        .optional()
}

/// Which series a list shows.
#[derive(Debug, Default, Clone)]
pub struct SeriesFilter {
    /// Restrict to these recipients (a resident's own and principals'); `None` is everyone.
    pub recipients: Option<Vec<i64>>,
    pub recipient_id: Option<i64>,
    /// Running on `today` (true) or stopped or past their last date (false).
    pub running: Option<(bool, NaiveDate)>,
}

fn filtered(f: &SeriesFilter) -> job_series::BoxedQuery<'static, MultiBackend> {
    let mut q = job_series::table.into_boxed::<MultiBackend>();
    if let Some(recipients) = &f.recipients {
        q = q.filter(job_series::recipient_id.eq_any(recipients.clone()));
    }
    if let Some(recipient) = f.recipient_id {
        q = q.filter(job_series::recipient_id.eq(recipient));
    }
    match f.running {
        Some((true, today)) => q
            .filter(job_series::stopped_at.is_null())
            .filter(job_series::ends_on.is_null().or(job_series::ends_on.ge(today))),
        Some((false, today)) => q.filter(job_series::stopped_at.is_not_null().or(job_series::ends_on.lt(today))),
        None => q,
    }
}

/// A page of series, newest first, and how many there are in all.
pub fn page(conn: &mut DbConn, f: &SeriesFilter, page: &PageQuery) -> QueryResult<(Vec<SeriesRow>, i64)> {
    let total = filtered(f).count().get_result(conn)?;
    let rows = filtered(f)
        .order(job_series::id.desc())
        .limit(page.limit())
        .offset(page.offset())
        .select(SeriesRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// A resident's series, newest first.
pub fn of_recipient(conn: &mut DbConn, recipient: i64) -> QueryResult<Vec<SeriesRow>> {
    job_series::table
        .filter(job_series::recipient_id.eq(recipient))
        .order(job_series::id.desc())
        .select(SeriesRow::as_select())
        .load(conn)
}

/// The series still running (not stopped, not past their last date).
pub fn running(conn: &mut DbConn, today: NaiveDate) -> QueryResult<Vec<SeriesRow>> {
    job_series::table
        .filter(job_series::stopped_at.is_null())
        .filter(job_series::ends_on.is_null().or(job_series::ends_on.ge(today)))
        .order(job_series::id)
        .select(SeriesRow::as_select())
        .load(conn)
}

/// Sets what the visits ordered from now on say.
pub fn set_description(conn: &mut DbConn, id: i64, description: &str) -> QueryResult<()> {
    diesel::update(job_series::table.find(id))
        .set(job_series::description.eq(description))
        .execute(conn)
        .map(drop)
}

/// Sets the last possible date (`None`: until stopped).
pub fn set_ends_on(conn: &mut DbConn, id: i64, ends_on: Option<NaiveDate>) -> QueryResult<()> {
    diesel::update(job_series::table.find(id))
        .set(job_series::ends_on.eq(ends_on))
        .execute(conn)
        .map(drop)
}

/// Sets the weekday and dagdeel of the visits from `starts_on` on (see
/// [`super::series_rules::moved_start`]).
pub fn set_rhythm(conn: &mut DbConn, id: i64, weekday: u32, dagdeel: Dagdeel, starts_on: NaiveDate) -> QueryResult<()> {
    diesel::update(job_series::table.find(id))
        .set((
            job_series::weekday.eq(i64::from(weekday)),
            job_series::dagdeel.eq(dagdeel.as_str()),
            job_series::starts_on.eq(starts_on),
        ))
        .execute(conn)
        .map(drop)
}

/// The date of the series' last visit ordered, if any.
pub fn last_visit_date(conn: &mut DbConn, id: i64) -> QueryResult<Option<NaiveDate>> {
    job_series_visits::table
        .filter(job_series_visits::series_id.eq(id))
        .select(diesel::dsl::max(job_series_visits::on_date))
        .first(conn)
}

/// Stops a running series; false when it was stopped already.
pub fn stop(conn: &mut DbConn, id: i64, reason: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        job_series::table
            .filter(job_series::id.eq(id))
            .filter(job_series::stopped_at.is_null()),
    )
    .set((job_series::stopped_at.eq(now), job_series::stop_reason.eq(reason)))
    .execute(conn)?;
    Ok(n == 1)
}

/// The visits of these series on `from` or later (`None`: all): (series, date, job id, the
/// job's status), by date.
pub fn visits(
    conn: &mut DbConn,
    series_ids: &[i64],
    from: Option<NaiveDate>,
) -> QueryResult<Vec<(i64, NaiveDate, i64, String)>> {
    let mut q = job_series_visits::table
        .inner_join(jobs::table)
        .filter(job_series_visits::series_id.eq_any(series_ids))
        .into_boxed::<MultiBackend>();
    if let Some(from) = from {
        q = q.filter(job_series_visits::on_date.ge(from));
    }
    q.order((job_series_visits::on_date, job_series_visits::series_id))
        .select((
            job_series_visits::series_id,
            job_series_visits::on_date,
            job_series_visits::job_id,
            jobs::status,
        ))
        .load(conn)
}

/// How many visits each of these series had before `before`: (series, count), for those
/// that had any.
pub fn visits_before(conn: &mut DbConn, series_ids: &[i64], before: NaiveDate) -> QueryResult<Vec<(i64, i64)>> {
    job_series_visits::table
        .filter(job_series_visits::series_id.eq_any(series_ids))
        .filter(job_series_visits::on_date.lt(before))
        .group_by(job_series_visits::series_id)
        .select((job_series_visits::series_id, diesel::dsl::count_star()))
        .load(conn)
}

/// The jobs ordered for a series for dates after `after` (`None`: all), by date.
pub fn visit_jobs(conn: &mut DbConn, series_id: i64, after: Option<NaiveDate>) -> QueryResult<Vec<i64>> {
    let mut q = job_series_visits::table
        .filter(job_series_visits::series_id.eq(series_id))
        .into_boxed::<MultiBackend>();
    if let Some(after) = after {
        q = q.filter(job_series_visits::on_date.gt(after));
    }
    q.order(job_series_visits::on_date)
        .select(job_series_visits::job_id)
        .load(conn)
}

/// Lets go of the series' visits after `after` (and up to `until`, `None`: all) whose
/// jobs were cancelled, so that their dates are ordered again; the jobs stay. Returns how
/// many.
pub fn release_cancelled_visits(
    conn: &mut DbConn,
    series_id: i64,
    after: NaiveDate,
    until: Option<NaiveDate>,
) -> QueryResult<usize> {
    let cancelled = jobs::table
        .filter(jobs::status.eq(JobStatus::Cancelled.as_str()))
        .select(jobs::id);
    let mut q = diesel::delete(job_series_visits::table)
        .filter(job_series_visits::series_id.eq(series_id))
        .filter(job_series_visits::on_date.gt(after))
        .filter(job_series_visits::job_id.eq_any(cancelled))
        .into_boxed::<MultiBackend>();
    if let Some(until) = until {
        q = q.filter(job_series_visits::on_date.le(until));
    }
    q.execute(conn)
}

pub fn add_visit(conn: &mut DbConn, series_id: i64, on_date: NaiveDate, job_id: i64) -> QueryResult<()> {
    diesel::insert_into(job_series_visits::table)
        .values((
            job_series_visits::series_id.eq(series_id),
            job_series_visits::on_date.eq(on_date),
            job_series_visits::job_id.eq(job_id),
        ))
        .execute(conn)
        .map(drop)
}

/// Removes a resident's series (on erasure): what they asked for goes with them; the jobs
/// ordered for it stay as any other job does.
pub fn forget_resident(conn: &mut DbConn, resident_id: i64) -> QueryResult<usize> {
    let ids = job_series::table
        .filter(job_series::recipient_id.eq(resident_id))
        .select(job_series::id);
    diesel::delete(job_series_visits::table.filter(job_series_visits::series_id.eq_any(ids))).execute(conn)?;
    diesel::delete(job_series::table.filter(job_series::recipient_id.eq(resident_id))).execute(conn)
}
