//! Recurring visits (a weekly shopping round, a fortnightly visit for company): the use
//! cases. A series orders an ordinary job for each of its dates, a fortnight ahead
//! (`series_rules::HORIZON_DAYS`), as the resident or staff member who made it and by the
//! same rules as any order (`order::place`); the werkleiders plan each visit as any other
//! job, and continuity in the planner's score keeps the same participant coming.
//!
//! Only services not around the home: a klus around the home repeated every week is what
//! the five-hour rule and the anti-splitting check are there to stop. The first visit is
//! ordered when the series is made, so whatever would refuse it refuses the series; a
//! later visit that can no longer be ordered (the service withdrawn, the proxy's consent
//! revoked) stops the series with that rule as its reason.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::input::{Channel, OrderInput};
use super::lifecycle::JobStatus;
use super::model::{Dagdeel, JobRow, PreferredWindow};
use super::series_model::{SeriesInput, SeriesPage, SeriesView, SeriesVisit};
use super::series_rules::HORIZON_DAYS;
use super::series_store::{self as store, NewSeries, SeriesFilter, SeriesRow};
use super::settings::JobSettings;
use super::{access, order, series_notice};
use crate::auth::AuthUser;
use crate::auth::store as users;
use crate::catalogue::store as catalogue;
use crate::db::{self, DbConn, DbPool};
use crate::error::ApiError;
use crate::pagination::{PageInfo, PageQuery};

/// Why a series was stopped by whoever may see it.
pub const STOPPED: &str = "stopped";

fn channel(stored: &str) -> Option<Channel> {
    [Channel::App, Channel::Phone, Channel::Counter]
        .into_iter()
        .find(|c| c.as_str() == stored)
}

fn window(date: NaiveDate, series_dagdeel: Dagdeel) -> Vec<PreferredWindow> {
    vec![PreferredWindow {
        date,
        dagdeel: Some(series_dagdeel),
        from: None,
        until: None,
    }]
}

/// Makes a series and orders its first visit, and those due within the fortnight.
pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    input: &SeriesInput,
    description: &str,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<SeriesView, ApiError> {
    let today = crate::clock::local_date(now.and_utc());
    let (service, _) = catalogue::current(conn, input.service_id)?
        .ok_or_else(|| ApiError::validation("service_id", "unknown_service", "no such service"))?;
    if service.around_home {
        return Err(ApiError::validation(
            "service_id",
            "recurring_klus",
            "a klus around the home is ordered each time it is needed: repeated every week it would be more than the servicepunt may do",
        ));
    }
    let pattern = input.pattern();
    let first = pattern.first();
    let order = OrderInput {
        description: description.to_owned(),
        ..input.first_order()
    };
    let job = order::place(conn, user, &order, description, settings, today, now)?;
    let series = store::insert(
        conn,
        &NewSeries {
            recipient_id: job.recipient_id,
            requester_user_id: user.id,
            service_id: input.service_id,
            channel: &job.channel,
            description,
            estimated_minutes: input.estimated_minutes,
            pattern,
            dagdeel: input.dagdeel,
            institution_id: job.institution_id,
        },
        now,
    )?;
    store::add_visit(conn, series.id, first, job.id)?;
    order_due(conn, &series, settings, now)?;
    view(conn, series)
}

/// Orders the visits of `series` from tomorrow to the horizon that are not ordered yet,
/// as the one who made it; how many. Visits of one series are ordered one at a time.
pub fn order_due(
    conn: &mut DbConn,
    series: &SeriesRow,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    db::lock(conn, &format!("job-series:{}", series.id))?;
    // Read again under the lock: a series stopped meanwhile orders nothing more.
    let Some(series) = store::find(conn, series.id)?.filter(|s| s.stopped_at.is_none()) else {
        return Ok(0);
    };
    let series = &series;
    let today = crate::clock::local_date(now.and_utc());
    let (first, last) = (today + Duration::days(1), today + Duration::days(HORIZON_DAYS));
    let ordered: HashSet<NaiveDate> = store::visits(conn, &[series.id], Some(first))?
        .into_iter()
        .map(|v| v.1)
        .collect();
    let due: Vec<NaiveDate> = series
        .pattern()
        .dates(first, last)
        .into_iter()
        .filter(|d| !ordered.contains(d))
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let requester = users::find_user(conn, series.requester_user_id)?
        .and_then(|u| u.role().map(|role| AuthUser { id: u.id, role }))
        .ok_or(ApiError::Forbidden)?;
    for date in &due {
        let order = OrderInput {
            service_id: series.service_id,
            recipient_id: Some(series.recipient_id),
            channel: channel(&series.channel).filter(|_| access::is_staff(&requester)),
            description: series.description.clone(),
            address: None,
            preferred_windows: window(*date, series.dagdeel()),
            estimated_minutes: series.estimated_minutes,
            otherwise_not_done: true,
            institution_id: series.institution_id,
            series_visit: true,
        };
        let job: JobRow = order::place(conn, &requester, &order, &series.description, settings, today, now)?;
        store::add_visit(conn, series.id, *date, job.id)?;
    }
    Ok(due.len())
}

/// The series, if `user` may see it: staff all, a resident their own and their
/// principals'. Others learn nothing (404).
pub fn readable(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<SeriesRow, ApiError> {
    let series = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if access::is_staff(user) || access::may_act_for(conn, user, series.recipient_id)? {
        Ok(series)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Stops a series whose next visit was refused for good, with that rule as the reason,
/// and tells the resident (on the call sheet when they have no e-mail) and a family
/// member who made it. False when it was stopped already.
pub fn stop_refused(conn: &mut DbConn, id: i64, reason: &str, now: NaiveDateTime) -> Result<bool, ApiError> {
    let Some(series) = store::find(conn, id)? else {
        return Ok(false);
    };
    if !store::stop(conn, id, reason, now)? {
        return Ok(false);
    }
    series_notice::tell_stopped(conn, &series)?;
    Ok(true)
}

/// What a round of [`round`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Visits ordered.
    pub ordered: usize,
    /// Series stopped because a visit was refused.
    pub stopped: usize,
}

/// Orders the visits of every running series that came within the fortnight, each series
/// in a transaction of its own. One whose visit is refused for good is stopped with the
/// rule that refused it, and the others go on; a passing failure is answered after the
/// rest were done, for the next round to try again.
pub async fn round(pool: &DbPool, settings: &JobSettings) -> Result<Round, ApiError> {
    let today = crate::clock::today();
    let running = db::run(pool, move |conn| Ok(store::running(conn, today)?)).await?;
    let (mut done, mut passing) = (Round::default(), None);
    for series in running {
        let (id, s) = (series.id, settings.clone());
        match db::run_tx(pool, move |conn| order_due(conn, &series, &s, db::now())).await {
            Ok(n) => done.ordered += n,
            Err(e) => match lasting_refusal(&e) {
                Some(reason) => {
                    if db::run_tx(pool, move |conn| stop_refused(conn, id, reason, db::now())).await? {
                        tracing::info!(
                            series = id,
                            reason,
                            "recurring visit stopped: its next visit was refused"
                        );
                        done.stopped += 1;
                    }
                }
                None => passing = Some(e),
            },
        }
    }
    passing.map_or(Ok(done), Err)
}

/// The rule a refusal names, when it is one that will not pass by itself (so the series
/// stops); `None` for a passing failure (the database away: the next round tries again).
pub fn lasting_refusal(e: &ApiError) -> Option<&'static str> {
    match e {
        ApiError::Validation(errors) | ApiError::Rules(errors) => Some(errors.first().map_or("refused", |e| e.code)),
        ApiError::Forbidden => Some("not_allowed_to_order"),
        ApiError::NotFound | ApiError::Conflict { .. } => Some(e.code()),
        _ => None,
    }
}

/// How far back the list of series shows each one's visits: the weeks just gone, to see
/// what was done, and all to come. A series that has run for years has hundreds of
/// visits; its own page has them all.
const LISTED_VISITS_WEEKS_BACK: i64 = 4;

/// The first date whose visits the list shows, on `today`.
fn listed_visits_from(today: NaiveDate) -> NaiveDate {
    today - chrono::Duration::weeks(LISTED_VISITS_WEEKS_BACK)
}

/// What is shown of these series, in their order, each with its visits on `from` or later
/// (`None`: all) and the number of those before.
pub fn views(conn: &mut DbConn, rows: Vec<SeriesRow>, from: Option<NaiveDate>) -> Result<Vec<SeriesView>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let mut earlier: HashMap<i64, i64> = match from {
        Some(from) => store::visits_before(conn, &ids, from)?.into_iter().collect(),
        None => HashMap::new(),
    };
    let mut visits: HashMap<i64, Vec<SeriesVisit>> = HashMap::new();
    for (series_id, date, job_id, status) in store::visits(conn, &ids, from)? {
        visits.entry(series_id).or_default().push(SeriesVisit {
            date,
            job_id,
            status: JobStatus::parse(&status).unwrap_or(JobStatus::Requested),
        });
    }
    Ok(rows
        .into_iter()
        .map(|series| {
            let pattern = series.pattern();
            SeriesView {
                id: series.id,
                recipient_id: series.recipient_id,
                requester_user_id: series.requester_user_id,
                service_id: series.service_id,
                dagdeel: series.dagdeel(),
                description: series.description,
                estimated_minutes: series.estimated_minutes,
                weekday: pattern.weekday,
                every_weeks: pattern.every_weeks,
                starts_on: pattern.starts_on,
                ends_on: pattern.ends_on,
                stopped_at: series.stopped_at,
                stop_reason: series.stop_reason,
                created_at: series.created_at,
                institution_id: series.institution_id,
                visits: visits.remove(&series.id).unwrap_or_default(),
                earlier_visits: earlier.remove(&series.id).unwrap_or(0),
            }
        })
        .collect())
}

pub fn view(conn: &mut DbConn, series: SeriesRow) -> Result<SeriesView, ApiError> {
    views(conn, vec![series], None)?
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no view made for the series")))
}

/// A page of the series `user` may see (staff: everyone's; a resident: their own and
/// their principals'), newest first.
pub fn page(
    conn: &mut DbConn,
    user: &AuthUser,
    mut filter: SeriesFilter,
    page: &PageQuery,
) -> Result<SeriesPage, ApiError> {
    if !access::is_staff(user) {
        filter.recipients = Some(access::own_recipients(conn, user.id)?);
    }
    let (rows, total) = store::page(conn, &filter, page)?;
    Ok(SeriesPage {
        items: views(conn, rows, Some(listed_visits_from(crate::clock::today())))?,
        page: PageInfo::new(page, total),
    })
}
