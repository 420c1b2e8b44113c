//! Feedback as stored and as each reader sees it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::job_feedback;

/// A compliment is passed on to the crew; a complaint stays with the werkleiders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackKind {
    Compliment,
    Complaint,
}

impl FeedbackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackKind::Compliment => "compliment",
            FeedbackKind::Complaint => "complaint",
        }
    }

    pub fn from_stored(s: &str) -> Self {
        if s == "complaint" {
            FeedbackKind::Complaint
        } else {
            FeedbackKind::Compliment
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_feedback)]
pub struct FeedbackRow {
    pub id: i64,
    pub job_id: i64,
    pub kind: String,
    pub message: String,
    pub given_by: i64,
    pub created_at: NaiveDateTime,
    pub handled_at: Option<NaiveDateTime>,
    pub handled_by: Option<i64>,
    pub handled_note: Option<String>,
    pub handled_reply: Option<String>,
}

impl FeedbackRow {
    pub fn kind(&self) -> FeedbackKind {
        FeedbackKind::from_stored(&self.kind)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = job_feedback)]
pub struct NewFeedback<'a> {
    pub job_id: i64,
    pub kind: &'a str,
    pub message: &'a str,
    pub given_by: i64,
    pub created_at: NaiveDateTime,
}

/// A compliment or complaint on a job, as the resident who gave it sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedbackView {
    pub id: i64,
    pub job_id: i64,
    pub kind: FeedbackKind,
    pub message: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub given_at: NaiveDateTime,
    /// Written down by staff for the resident (by phone, at the counter).
    pub taken_by_staff: bool,
    /// When a werkleider handled the complaint (UTC); null while it is open, and always
    /// for a compliment.
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub handled_at: Option<NaiveDateTime>,
    /// What the werkleider did about it. Staff only: absent for the resident.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handled_note: Option<String>,
    /// What the werkleider told the resident when handling the complaint, if anything.
    pub reply: Option<String>,
}

/// A participant who worked on the job.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CrewMember {
    pub participant_id: i64,
    pub first_name: String,
}

/// Feedback as the werkleiders' list shows it: with the work it is about and who did it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedbackItem {
    #[serde(flatten)]
    pub feedback: FeedbackView,
    pub recipient_id: i64,
    /// The service, in Dutch.
    pub service: String,
    /// The day the work was planned (Dutch time), if it was planned.
    pub worked_on: Option<NaiveDate>,
    /// Who has approved hours on the job: whom the words are about.
    pub crew: Vec<CrewMember>,
    /// The name of the werkleider who handled it.
    pub handled_by: Option<String>,
}

/// A compliment as the participant it was passed on to sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplimentView {
    pub job_id: i64,
    /// The service, in the participant's language.
    pub service: String,
    pub worked_on: Option<NaiveDate>,
    /// The resident's first name.
    pub from: String,
    pub message: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub given_at: NaiveDateTime,
}
