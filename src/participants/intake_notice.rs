//! A coach hears when someone else (the coordinator) changes their intake roster: times
//! opened or taken off, a booking written down or cancelled. The day and the times only:
//! who is coming stays in the app.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::json;

use crate::auth::AuthUser;
use crate::auth::store as users;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::{Template, staff_mail};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterChange {
    Opened,
    Booked,
    Cancelled,
    Removed,
}

impl RosterChange {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Booked => "booked",
            Self::Cancelled => "cancelled",
            Self::Removed => "removed",
        }
    }
}

/// What changed on whose roster: the day and the times it concerns.
pub struct Change<'a> {
    pub coach_id: i64,
    pub what: RosterChange,
    pub on: NaiveDate,
    pub times: &'a [NaiveTime],
}

/// Mails the coach of the roster about `change` when `by` is someone else; a coach who
/// left hears nothing.
pub fn tell_coach(conn: &mut DbConn, change: &Change<'_>, by: &AuthUser, now: NaiveDateTime) -> Result<(), ApiError> {
    if change.coach_id == by.id {
        return Ok(());
    }
    let Some(coach) = users::find_user(conn, change.coach_id)?.filter(|u| u.active) else {
        return Ok(());
    };
    let by_name = users::find_user(conn, by.id)?.map(|u| u.name).unwrap_or_default();
    let times: Vec<String> = change.times.iter().map(|t| t.format("%H:%M").to_string()).collect();
    let data = json!({"name": coach.name, "by": by_name, "change": change.what.as_str(),
        "date": change.on.to_string(), "times": times});
    staff_mail::to_user(conn, &coach, Template::IntakeRosterChanged, &data, now)
}
