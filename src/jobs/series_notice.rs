//! What the resident hears when their recurring visit stops because its next visit was
//! refused: by e-mail, or on the call sheet when they have none, and a family member who
//! made the series and still acts for them hears it too. (Stopped on request, the one
//! who asked knows.)

use serde_json::json;

use super::messages;
use super::model::Dagdeel;
use super::series_store::SeriesRow;
use crate::catalogue::model::Localized;
use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::Template;
use crate::residents::{proxies, store as residents};

/// The weekday and dagdeel of a series in words, as the notice names them.
fn when(series: &SeriesRow) -> (Localized, Localized) {
    const NL: [&str; 7] = [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let day = usize::try_from(series.weekday).unwrap_or(0).min(6);
    let (nl, en) = match series.dagdeel() {
        Dagdeel::Morning => ("ochtend", "morning"),
        Dagdeel::Afternoon => ("middag", "afternoon"),
        Dagdeel::Evening => ("avond", "evening"),
    };
    let localized = |nl: &str, en: &str| Localized {
        nl: nl.into(),
        en: en.into(),
    };
    (localized(NL[day], EN[day]), localized(nl, en))
}

/// Tells the resident of `series` (and a family member who made it) that it stopped.
pub fn tell_stopped(conn: &mut DbConn, series: &SeriesRow) -> Result<(), ApiError> {
    let (Some(resident), Some((service, _))) = (
        residents::find(conn, series.recipient_id)?,
        catalogue::current(conn, series.service_id)?,
    ) else {
        return Ok(());
    };
    let (weekday, dagdeel) = when(series);
    let data = json!({"name": resident.name, "series_id": series.id, "service": service.name(),
        "weekday": weekday, "dagdeel": dagdeel});
    // A family member who made it hears too, while they still act for the resident: one
    // whose consent was revoked (perhaps why the series stopped) is told nothing more.
    let requester =
        proxies::is_active_proxy(conn, series.requester_user_id, resident.id)?.then_some(series.requester_user_id);
    messages::tell(conn, &resident, requester, Template::SeriesStopped, &data)
}
