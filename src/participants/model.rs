use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::clearance::Clearance;
use super::ramp_up::Step;
use super::trajectory::TrajectoryKind;
use super::vog;
use crate::db::schema::{clearance_changes, participant_absences, participants};
use crate::domain::Language;
use crate::error::ApiError;
use crate::jobs::model::Dagdeel;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = participants)]
pub struct ParticipantRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postcode: Option<String>,
    pub wijk: Option<String>,
    pub languages: String,
    pub skills: String,
    pub interests: String,
    pub aversions: String,
    pub clearance: String,
    pub contracted_minutes_per_week: i64,
    pub coach_user_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When they were made inactive; `None` while active.
    pub inactive_since: Option<NaiveDateTime>,
    /// The day their certificate of conduct (VOG) was issued, when they showed one.
    pub vog_issued_on: Option<NaiveDate>,
}

/// The language someone who speaks `languages` (the profile's comma-separated codes) is
/// written to in: English only to someone who speaks it and no Dutch.
pub fn written_language(languages: &str) -> Language {
    let spoken: Vec<&str> = languages.split(',').map(str::trim).collect();
    if !spoken.contains(&"nl") && spoken.contains(&"en") {
        Language::En
    } else {
        Language::Nl
    }
}

/// A comma-separated list as stored.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The first name in a full name: what residents and other participants are told.
pub fn first_name_of(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}

impl ParticipantRow {
    pub fn first_name(&self) -> String {
        first_name_of(&self.name)
    }

    /// The language their mail and schedule come in (see [`written_language`]).
    pub fn language(&self) -> Language {
        written_language(&self.languages)
    }

    pub fn clearance(&self) -> Clearance {
        Clearance::parse(&self.clearance).unwrap_or(Clearance::New)
    }

    /// Whether their coach has to ask for a new VOG: working here, going alone to
    /// people's homes, and theirs runs out soon, has, or was never shown
    /// ([`vog::renewal_due`]).
    pub fn vog_renewal_due(&self, today: NaiveDate, vog_months: u32) -> bool {
        self.active && vog::renewal_due(self.vog_issued_on, self.clearance(), today, vog_months)
    }

    /// Whether their data was erased on request (`privacy::participant`).
    pub fn erased(&self) -> bool {
        self.name == crate::privacy::participant::ERASED_NAME
    }

    /// Refuses to record anything new for a participant whose data was erased on request
    /// (`privacy::participant`): no attendance, hours, absence or contact detail is added
    /// to the anonymous record again, and it is not made active again. `field` names the
    /// request field that chose the participant (then 422), or None when the path did
    /// (then 409: a conflict with the record's state).
    pub fn still_recordable(self, field: Option<&str>) -> Result<Self, ApiError> {
        if !self.erased() {
            return Ok(self);
        }
        let message = "this participant's data was erased on request: nothing new is recorded for them";
        Err(match field {
            Some(field) => ApiError::validation(field, PARTICIPANT_ERASED, message),
            None => ApiError::conflict(PARTICIPANT_ERASED, message),
        })
    }
}

const PARTICIPANT_ERASED: &str = "participant_erased";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilitySlot {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u32,
    pub dagdeel: Dagdeel,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = participant_absences)]
pub struct Absence {
    pub id: i64,
    #[serde(skip)]
    pub participant_id: i64,
    /// `sick`, `training`, `appointment` or `leave`.
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: Option<String>,
    pub created_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = clearance_changes)]
pub struct ClearanceChange {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub participant_id: i64,
    pub from_clearance: Option<String>,
    pub to_clearance: String,
    pub changed_by: i64,
    pub reason: String,
    #[serde(serialize_with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrajectorySummary {
    pub kind: TrajectoryKind,
    /// The last day it runs (extension included).
    pub until: NaiveDate,
}

/// A participant as staff see them. `do_not_pair` only for werkleiders and coaches.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantView {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postcode: Option<String>,
    pub wijk: Option<String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
    pub interests: Vec<String>,
    pub aversions: Vec<String>,
    pub clearance: Clearance,
    pub contracted_minutes_per_week: i64,
    /// The minutes that may be planned this week: the contract's, or fewer under a
    /// ramp-up plan (`GET /api/v1/participants/{id}/ramp-up`).
    pub minutes_this_week: i64,
    /// The dagdelen they can work, in the order of the week and of the day.
    pub availability: Vec<AvailabilitySlot>,
    pub absences: Vec<Absence>,
    pub coach_user_id: Option<i64>,
    pub has_account: bool,
    pub active: bool,
    /// The trajectory running today, if any.
    pub current_trajectory: Option<TrajectorySummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_not_pair: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clearance_history: Option<Vec<ClearanceChange>>,
    /// The day their certificate of conduct (VOG) was issued, `null` without one; for
    /// the werkleiders, coaches and coordinator only, as `do_not_pair`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<NaiveDate>)]
    pub vog_issued_on: Option<Option<NaiveDate>>,
    /// Where a VOG is asked for (`SERVICEPUNT_VOG_MONTHS`), the last day theirs counts;
    /// `null` without one or where none is asked for. For the same staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<NaiveDate>)]
    pub vog_valid_until: Option<Option<NaiveDate>>,
    /// Whether their coach has to ask for a new VOG now: going alone to people's homes
    /// with one that stops counting within six weeks, has, or was never shown. For the
    /// same staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vog_renewal_due: Option<bool>,
}

/// What a participant sees of their own profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnParticipantView {
    pub id: i64,
    pub name: String,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
    pub interests: Vec<String>,
    pub aversions: Vec<String>,
    pub clearance: Clearance,
    pub contracted_minutes_per_week: i64,
    /// The minutes you work this week: your contracted hours, or fewer while you build
    /// up under a ramp-up plan.
    pub minutes_this_week: i64,
    /// Your ramp-up plan: the step that holds this week and those to come, each until the
    /// next (empty without a plan).
    pub ramp_up: Vec<Step>,
    pub availability: Vec<AvailabilitySlot>,
    pub absences: Vec<Absence>,
    /// How many residents would like you to come again.
    pub asked_again_by: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_only_to_someone_who_speaks_it_and_no_dutch() {
        assert_eq!(written_language("nl"), Language::Nl);
        assert_eq!(written_language("nl,en"), Language::Nl);
        assert_eq!(written_language("ar,en"), Language::En);
        assert_eq!(written_language("ar, en"), Language::En);
        assert_eq!(written_language("ar,tr"), Language::Nl);
        assert_eq!(written_language(""), Language::Nl);
    }
}
