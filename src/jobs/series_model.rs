//! What a recurring visit is asked with and how it is shown.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::pagination::PageInfo;

use super::input::{Channel, OrderInput};
use super::lifecycle::JobStatus;
use super::model::{Dagdeel, PreferredWindow};
use super::series_rules::Pattern;

fn weekly() -> u32 {
    1
}

/// A visit on the same weekday and dagdeel every week or every other week.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesInput {
    /// A service not around the home (a dienst such as shopping or company).
    pub service_id: i64,
    /// The resident visited. Leave out for yourself; a proxy names the resident they act
    /// for; staff always name one.
    pub recipient_id: Option<i64>,
    /// How the order came in (staff only).
    pub channel: Option<Channel>,
    #[schema(
        min_length = 1,
        pattern = r"\S",
        max_length = 2000,
        example = "Boodschappen bij de supermarkt; het lijstje ligt op tafel."
    )]
    pub description: String,
    /// Defaults to the service's usual duration.
    pub estimated_minutes: Option<i64>,
    #[schema(schema_with = super::input::declaration)]
    pub otherwise_not_done: bool,
    /// 0 = Monday … 6 = Sunday.
    #[schema(minimum = 0, maximum = 6)]
    pub weekday: u32,
    pub dagdeel: Dagdeel,
    /// 1 (every week, the default) or 2 (every other week).
    #[serde(default = "weekly")]
    #[schema(minimum = 1, maximum = 2)]
    pub every_weeks: u32,
    /// The first visit is on the first such weekday from this date (tomorrow at the
    /// earliest, within a year).
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub starts_on: NaiveDate,
    /// The last possible date; leave out to go on until stopped.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub ends_on: Option<NaiveDate>,
    /// Staff only: an active institution that pays for every visit by invoice, at its
    /// hourly rate, instead of the resident with cheques.
    pub institution_id: Option<i64>,
}

impl SeriesInput {
    /// The order of the first visit, as one resident would place it: on the pattern's
    /// first date, in the dagdeel.
    pub fn first_order(&self) -> OrderInput {
        OrderInput {
            service_id: self.service_id,
            recipient_id: self.recipient_id,
            channel: self.channel,
            description: self.description.clone(),
            address: None,
            preferred_windows: vec![PreferredWindow {
                date: self.pattern().first(),
                dagdeel: Some(self.dagdeel),
                from: None,
                until: None,
            }],
            estimated_minutes: self.estimated_minutes,
            otherwise_not_done: self.otherwise_not_done,
            institution_id: self.institution_id,
            series_visit: false,
        }
    }

    pub fn pattern(&self) -> Pattern {
        Pattern {
            weekday: self.weekday,
            every_weeks: self.every_weeks,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        }
    }
}

/// How a series is stopped.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StopInput {
    /// Also cancel the visits ordered already that have not begun (a move into care, a
    /// long stay in hospital). Left out or false, they stay and can be cancelled one by
    /// one.
    #[serde(default)]
    pub cancel_visits: bool,
    /// Recorded on each visit cancelled (at most 1000 characters).
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// Changes to a running series; what is left out stays.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesChange {
    /// What is to be done, for the visits ordered from now on. Visits ordered already
    /// keep theirs (change one with `PATCH /api/v1/jobs/{id}`).
    #[schema(min_length = 1, pattern = r"\S", max_length = 2000)]
    pub description: Option<String>,
    /// The last possible date, today at the earliest; `null`: until stopped. Visits
    /// ordered already for later dates that have not begun are cancelled. Moved later
    /// again (or `null`), it takes back the dates to come up to it: visits cancelled
    /// there (by an earlier last date, or one by one) are ordered again, the fortnight
    /// ahead at once, and the cancelled jobs stay as they are.
    #[serde(default, deserialize_with = "crate::dates::in_range_patch")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    /// Another weekday (0 = Monday … 6 = Sunday) for the visits not ordered yet: they
    /// follow on from the visits ordered already, which keep their day (move or cancel
    /// one with `PATCH /api/v1/jobs/{id}` or its cancel); every other week keeps its
    /// rhythm.
    #[schema(minimum = 0, maximum = 6)]
    pub weekday: Option<u32>,
    /// Another dagdeel, likewise for the visits not ordered yet.
    pub dagdeel: Option<Dagdeel>,
}

/// One visit ordered for a series: the job, as any other.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesVisit {
    pub date: NaiveDate,
    pub job_id: i64,
    pub status: JobStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesView {
    pub id: i64,
    pub recipient_id: i64,
    pub requester_user_id: i64,
    pub service_id: i64,
    pub description: String,
    pub estimated_minutes: Option<i64>,
    /// 0 = Monday … 6 = Sunday: the day of the visits ordered from `starts_on` on.
    pub weekday: u32,
    pub dagdeel: Dagdeel,
    pub every_weeks: u32,
    /// From when the weekday and dagdeel hold: the first visit's date, or once moved
    /// (`PATCH` with `weekday` or `dagdeel`), the Monday of the week it moved to.
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Set once stopped: no more visits are ordered. The visits ordered already stay
    /// unless cancelled with the stop (`cancel_visits`) or one by one
    /// (`POST /api/v1/jobs/{id}/cancel`).
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub stopped_at: Option<NaiveDateTime>,
    /// Why: `stopped` (by the resident or staff), or the rule a visit could no longer be
    /// ordered under (e.g. `service_unavailable`).
    pub stop_reason: Option<String>,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    /// The institution that pays for the visits; absent: the resident, with cheques.
    pub institution_id: Option<i64>,
    /// The visits ordered so far, by date; the next ones are ordered a fortnight ahead.
    /// In the list (`GET /api/v1/job-series`) only those from four weeks ago on; the
    /// series' own page has them all.
    pub visits: Vec<SeriesVisit>,
    /// How many visits were before the first in `visits`: in the list, those more than
    /// four weeks ago; on the series' own page always 0.
    pub earlier_visits: i64,
}

/// A page of series.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesPage {
    pub items: Vec<SeriesView>,
    #[serde(flatten)]
    pub page: PageInfo,
}
