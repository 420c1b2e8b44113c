//! What the resident hears when their recurring visit stops because its next visit was
//! refused: by e-mail, or on the call sheet when they have none, and a family member who
//! made the series and still acts for them hears it too. (Stopped on request, the one
//! who asked knows.) Moved to another day, they hear from when, and which visits
//! ordered already keep the old day.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::lifecycle::{self, Action, JobStatus};
use super::messages;
use super::series_store::{self as store, SeriesRow};
use crate::catalogue::model::Localized;
use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::Template;
use crate::notify::spoken_dates::{DAGEN, DAYS};
use crate::residents::{proxies, store as residents};

/// The weekday and dagdeel of a series in words, as the notice names them.
fn when(series: &SeriesRow) -> (Localized, Localized) {
    let day = usize::try_from(series.weekday).unwrap_or(0).min(6);
    let (nl, en) = series.dagdeel().words();
    let localized = |nl: &str, en: &str| Localized {
        nl: nl.into(),
        en: en.into(),
    };
    (localized(DAGEN[day], DAYS[day]), localized(nl, en))
}

/// Sends `template` about `series` to its resident, with `more` added to what every
/// series notice says (the service, the weekday and the dagdeel). A family member who
/// made it hears too, while they still act for the resident: one whose consent was
/// revoked (perhaps why the series stopped) is told nothing more.
fn tell(conn: &mut DbConn, series: &SeriesRow, template: Template, more: Value) -> Result<(), ApiError> {
    let (Some(resident), Some((service, _))) = (
        residents::find(conn, series.recipient_id)?,
        catalogue::current(conn, series.service_id)?,
    ) else {
        return Ok(());
    };
    let (weekday, dagdeel) = when(series);
    let mut data = json!({"name": resident.name, "series_id": series.id, "service": service.name(),
        "weekday": weekday, "dagdeel": dagdeel});
    if let (Some(map), Value::Object(more)) = (data.as_object_mut(), more) {
        map.extend(more);
    }
    let requester =
        proxies::is_active_proxy(conn, series.requester_user_id, resident.id)?.then_some(series.requester_user_id);
    messages::tell(conn, &resident, requester, template, &data)
}

/// Tells the resident of `series` (and a family member who made it) that it stopped.
pub fn tell_stopped(conn: &mut DbConn, series: &SeriesRow) -> Result<(), ApiError> {
    tell(conn, series, Template::SeriesStopped, json!({}))
}

/// Tells the resident of `series`, just moved to another weekday or dagdeel (and a family
/// member who made it), the new day, the first visit on it and the visits from `today`
/// ordered already that keep the old day: a change made at the counter or by family
/// reaches them in writing, and no one expects the next visit on the new day too early.
pub fn tell_moved(conn: &mut DbConn, series: &SeriesRow, today: NaiveDate) -> Result<(), ApiError> {
    let pattern = series.pattern();
    let first = Some(pattern.first()).filter(|d| pattern.ends_on.is_none_or(|end| *d <= end));
    let kept: Vec<String> = store::visits(conn, &[series.id], Some(today))?
        .into_iter()
        .filter(|(_, date, _, status)| {
            *date < series.starts_on
                && JobStatus::parse(status).is_some_and(|s| lifecycle::next(s, Action::Cancel).is_some())
        })
        .map(|(_, date, _, _)| date.to_string())
        .collect();
    let more = json!({"first": first.map(|d| d.to_string()), "kept": kept});
    tell(conn, series, Template::SeriesMoved, more)
}
