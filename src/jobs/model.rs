//! How jobs are stored and shown.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lifecycle::JobStatus;
use crate::catalogue::model::{Localized, ServiceKind};
use crate::db::schema::{job_events, job_windows, jobs};
use crate::pagination::PageInfo;
use crate::residents::model::AddressView;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    pub id: i64,
    pub service_id: i64,
    pub service_version_id: i64,
    pub category: String,
    pub recipient_id: i64,
    pub requester_user_id: Option<i64>,
    pub channel: String,
    pub description: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub wijk: Option<String>,
    pub address_key: String,
    pub estimated_minutes: i64,
    pub otherwise_not_done: bool,
    pub status: String,
    pub needs_review: Option<String>,
    pub review_reason: Option<String>,
    pub refusal_code: Option<String>,
    pub refusal_note: Option<String>,
    pub priority: bool,
    pub accepted_at: Option<NaiveDateTime>,
    pub queue_at: Option<NaiveDateTime>,
    pub scheduled_start: Option<NaiveDateTime>,
    pub scheduled_end: Option<NaiveDateTime>,
    pub cancelled_late: Option<bool>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub billable_minutes: Option<i64>,
    pub confirm_due_at: Option<NaiveDateTime>,
    /// Set when an institution pays for the job by invoice instead of cheques.
    pub institution_id: Option<i64>,
}

impl JobRow {
    pub fn status(&self) -> JobStatus {
        JobStatus::parse(&self.status).unwrap_or(JobStatus::Requested)
    }
}

/// A part of the day, in the order of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dagdeel {
    Morning,
    Afternoon,
    Evening,
}

impl Dagdeel {
    /// Every dagdeel, in the order of the day.
    pub const ALL: [Dagdeel; 3] = [Dagdeel::Morning, Dagdeel::Afternoon, Dagdeel::Evening];

    pub fn as_str(self) -> &'static str {
        match self {
            Dagdeel::Morning => "morning",
            Dagdeel::Afternoon => "afternoon",
            Dagdeel::Evening => "evening",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Dagdeel::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// Its name in a mail: (Dutch, English).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Dagdeel::Morning => ("ochtend", "morning"),
            Dagdeel::Afternoon => ("middag", "afternoon"),
            Dagdeel::Evening => ("avond", "evening"),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_windows)]
pub struct WindowRow {
    pub id: i64,
    pub job_id: i64,
    pub on_date: NaiveDate,
    pub dagdeel: Option<String>,
    pub from_time: Option<NaiveTime>,
    pub until_time: Option<NaiveTime>,
}

/// When the resident would like the work done: a part of a day, or explicit times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferredWindow {
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dagdeel: Option<Dagdeel>,
    /// Local time, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", example = "13:30")]
    pub from: Option<NaiveTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", example = "16:00")]
    pub until: Option<NaiveTime>,
}

impl From<WindowRow> for PreferredWindow {
    fn from(w: WindowRow) -> Self {
        PreferredWindow {
            date: w.on_date,
            dagdeel: w.dagdeel.as_deref().and_then(Dagdeel::parse),
            from: w.from_time,
            until: w.until_time,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = job_events)]
pub struct JobEvent {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub job_id: i64,
    /// `null` for the order itself.
    pub from_status: Option<String>,
    pub to_status: String,
    /// `null` when the system acted (automatic acceptance, for instance).
    pub actor_user_id: Option<i64>,
    pub reason: Option<String>,
    #[serde(serialize_with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobServiceView {
    pub id: i64,
    /// The catalogue version the job was ordered under.
    pub version: i64,
    pub kind: ServiceKind,
    pub category: String,
    pub name: Localized,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WaitlistInfo {
    /// 1 is next in line for this service.
    pub position: i64,
    pub waiting_days: i64,
    /// From recent throughput for this service; `null` while there is no history.
    pub estimated_wait_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Refusal {
    /// `competition`, `out_of_area`, `not_allowed`, `capacity` or `other`.
    pub code: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Schedule {
    #[serde(serialize_with = "crate::clock::utc")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub ends_at: NaiveDateTime,
    /// Why the servicepunt is closed that day, when it closed after the visit was planned:
    /// nobody comes then, and the visit is planned again. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobView {
    pub id: i64,
    pub status: JobStatus,
    pub service: JobServiceView,
    pub recipient_id: i64,
    pub requester_user_id: Option<i64>,
    /// `app`, `phone` or `counter`.
    pub channel: String,
    pub description: String,
    pub address: AddressView,
    pub wijk: Option<String>,
    pub preferred_windows: Vec<PreferredWindow>,
    pub estimated_minutes: i64,
    /// The resident declared the work would otherwise not be done or given to a business.
    pub otherwise_not_done: bool,
    /// Staff only: `split_suspected` when the anti-splitting rule asks for a review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_review: Option<String>,
    /// Staff only: the werkleider's reason for accepting a reviewed job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_reason: Option<String>,
    pub refusal: Option<Refusal>,
    /// UTC.
    pub schedule: Option<Schedule>,
    pub cancelled_late: Option<bool>,
    /// Once performed: the worked span rounded up per started unit, to be paid.
    pub billable_minutes: Option<i64>,
    /// The institution that pays for the job by invoice, if not the resident.
    pub institution_id: Option<i64>,
    /// Present while the job is on the waiting list.
    pub waitlist: Option<WaitlistInfo>,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobPage {
    pub items: Vec<JobView>,
    #[serde(flatten)]
    pub page: PageInfo,
}
