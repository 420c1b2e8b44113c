//! Changing a running series: what its visits say, its last date, and stopping it; the
//! visits this leaves out that have not begun are cancelled as one at a time would be.

use chrono::{NaiveDate, NaiveDateTime};

use super::lifecycle::{self, Action};
use super::model::Dagdeel;
use super::series::{STOPPED, order_due, readable, view};
use super::series_model::{SeriesChange, SeriesView, StopInput};
use super::series_notice;
use super::series_rules;
use super::series_store as store;
use super::settings::JobSettings;
use super::store as jobs;
use super::triage;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::ShortText;
use crate::error::{ApiError, Violations};

/// A [`SeriesChange`] whose fields passed the checks
/// that need no database.
#[derive(Debug, Clone, Default)]
pub struct CheckedSeriesChange {
    pub description: Option<String>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub weekday: Option<u32>,
    pub dagdeel: Option<Dagdeel>,
}

impl CheckedSeriesChange {
    /// Checks a change: a description as for an order, a weekday that is one; something
    /// to change.
    pub fn check(change: SeriesChange) -> Result<Self, ApiError> {
        let mut v = Violations::new();
        let description = change.description.as_deref().map(|d| ShortText::parse(d, 2000));
        if let Some(d) = &description {
            v.note("description", d);
        }
        if change.weekday.is_some_and(|w| w > 6) {
            v.push("weekday", "invalid_weekday", "0 (Monday) to 6 (Sunday)");
        }
        if description.is_none() && change.ends_on.is_none() && change.weekday.is_none() && change.dagdeel.is_none() {
            v.push(
                "description",
                "nothing_to_change",
                "give a description, ends_on, weekday or dagdeel",
            );
        }
        v.into_result()?;
        Ok(Self {
            description: description.transpose()?.map(ShortText::into_inner),
            ends_on: change.ends_on,
            weekday: change.weekday,
            dagdeel: change.dagdeel,
        })
    }
}

/// Changes a running series. The visits ordered from now on say the new description and
/// fall on the new weekday and dagdeel, following on from those ordered already (the
/// resident is told, see [`series_notice::tell_moved`]);
/// those ordered already for dates after a new last date, and not begun, are cancelled.
/// A last date moved later again (or taken away) orders the dates it takes back, also
/// those whose visits an earlier last date cancelled.
pub fn change(
    conn: &mut DbConn,
    user: &AuthUser,
    id: i64,
    change: &CheckedSeriesChange,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<SeriesView, ApiError> {
    readable(conn, user, id)?;
    db::lock(conn, &format!("job-series:{id}"))?;
    // Read again under the lock, as a round would.
    let series = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if series.stopped_at.is_some() {
        return Err(ApiError::conflict(
            "series_stopped",
            "a stopped series orders nothing more; start a new one",
        ));
    }
    if let Some(description) = &change.description {
        store::set_description(conn, id, description)?;
    }
    // Before a later last date orders again, so that it orders on the new day.
    let weekday = change.weekday.unwrap_or(series.pattern().weekday);
    let dagdeel = change.dagdeel.unwrap_or(series.dagdeel());
    let moved = weekday != series.pattern().weekday || dagdeel != series.dagdeel();
    if moved {
        let tomorrow = crate::clock::local_date(now.and_utc()) + chrono::Duration::days(1);
        let last = store::last_visit_date(conn, id)?;
        let starts_on = series_rules::moved_start(last, series.pattern().every_weeks, tomorrow);
        store::set_rhythm(conn, id, weekday, dagdeel, starts_on)?;
        // The first visit on the new day may be due within the fortnight already.
        let moved = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        order_due(conn, &moved, settings, now)?;
    }
    if let Some(ends_on) = change.ends_on {
        let today = crate::clock::local_date(now.and_utc());
        if let Some(end) = ends_on {
            if end < today {
                return Err(ApiError::validation(
                    "ends_on",
                    "date_in_past",
                    "the last date is today at the earliest; to end it now, stop the series",
                ));
            }
            if end < series.starts_on {
                return Err(ApiError::validation(
                    "ends_on",
                    "ends_before_start",
                    "the last date is on or after the first",
                ));
            }
        }
        store::set_ends_on(conn, id, ends_on)?;
        if let Some(end) = ends_on {
            let cancelling = Cancelling {
                by: user.id,
                reason: Some("after the series' last date"),
                settings,
                now,
            };
            cancel_visits(conn, id, Some(end), &cancelling)?;
        }
        // A later last date takes back the dates to come that an earlier one left out:
        // their cancelled visits let go, and the fortnight ahead is ordered again at once.
        if let Some(old_end) = series.ends_on
            && ends_on.is_none_or(|end| end > old_end)
            && store::release_cancelled_visits(conn, id, old_end.max(today), ends_on)? > 0
        {
            let series = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
            order_due(conn, &series, settings, now)?;
        }
    }
    let series = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if moved {
        series_notice::tell_moved(conn, &series, crate::clock::local_date(now.and_utc()))?;
    }
    view(conn, series)
}

/// Stops the series: no more visits are ordered. Stopping a stopped series orders
/// nothing either. With [`StopInput::cancel_visits`] the visits ordered already that have
/// not begun are cancelled too, each as `POST /api/v1/jobs/{id}/cancel` would (late when
/// close to its start, the crew freed and told); without it they stay, listed in the
/// answer, so those not wanted can be cancelled one by one.
pub fn stop(
    conn: &mut DbConn,
    user: &AuthUser,
    id: i64,
    input: &StopInput,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<SeriesView, ApiError> {
    let series = readable(conn, user, id)?;
    db::lock(conn, &format!("job-series:{}", series.id))?;
    store::stop(conn, series.id, STOPPED, now)?;
    if input.cancel_visits {
        let cancelling = Cancelling {
            by: user.id,
            reason: input.reason.as_deref(),
            settings,
            now,
        };
        cancel_visits(conn, series.id, None, &cancelling)?;
    }
    let series = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    view(conn, series)
}

/// Who cancels a series' visits, why and when.
pub struct Cancelling<'a> {
    pub by: i64,
    pub reason: Option<&'a str>,
    pub settings: &'a JobSettings,
    pub now: NaiveDateTime,
}

/// Cancels the series' visits after `after` (`None`: all) that have not begun, each as
/// `POST /api/v1/jobs/{id}/cancel` would (late when close to its start, the crew freed
/// and told).
pub fn cancel_visits(
    conn: &mut DbConn,
    series_id: i64,
    after: Option<NaiveDate>,
    c: &Cancelling<'_>,
) -> Result<(), ApiError> {
    for job_id in store::visit_jobs(conn, series_id, after)? {
        let job = jobs::find(conn, job_id)?.ok_or(ApiError::NotFound)?;
        if lifecycle::next(job.status(), Action::Cancel).is_some() {
            triage::cancel(conn, &job, c.by, c.reason, c.settings, c.now)?;
        }
    }
    Ok(())
}
