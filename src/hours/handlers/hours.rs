use std::collections::BTreeMap;

use actix_web::{get, web};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::{ParticipantAccount, ParticipantReaders};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::hours::store::{self, APPROVED, PENDING, WorkLog};
use crate::participants::{ramp_up, ramp_up_store, store as participants, views};
use crate::request_query::Query;
use crate::{clock, dates};

#[derive(Debug, Deserialize, IntoParams)]
pub struct OwnHoursQuery {
    /// First day; the Monday of this week when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (inclusive); six days after `from` (its week) when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub to: Option<NaiveDate>,
}

impl OwnHoursQuery {
    /// The days asked for: this week, Monday to Sunday, when none are named.
    fn period(self) -> Result<(NaiveDate, NaiveDate), ApiError> {
        let from = self.from.unwrap_or_else(|| {
            let today = clock::today();
            today - Days::new(today.weekday().num_days_from_monday().into())
        });
        let to = self.to.unwrap_or_else(|| dates::week_from(from));
        if to < from {
            return Err(ApiError::validation("to", "invalid_period", "`to` is before `from`"));
        }
        Ok((from, to))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OwnHours {
    /// The days shown, as asked or this week's.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub logs: Vec<WorkLog>,
    pub approved_minutes: i64,
    pub pending_minutes: i64,
}

/// The caller's own logged hours, approved and not; this week's unless days are named.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(OwnHoursQuery),
    responses(
        (status = 200, description = "Your hours", body = OwnHours),
        (status = 400, description = "Invalid dates", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no participant profile", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from` (invalid_period)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/hours")]
pub async fn own_hours(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
    query: Query<OwnHoursQuery>,
) -> Result<web::Json<OwnHours>, ApiError> {
    let (user_id, (from, to)) = (user.id, query.into_inner().period()?);
    let out = db::run_snapshot(&pool, move |conn| {
        let me = participants::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        let logs = store::of_participant(
            conn,
            me.id,
            clock::local_midnight_utc(from),
            clock::local_midnight_utc(to.succ_opt().unwrap_or(to)),
        )?;
        let sum = |status: &str| logs.iter().filter(|l| l.status == status).map(|l| l.minutes).sum();
        Ok(OwnHours {
            from,
            to,
            approved_minutes: sum(APPROVED),
            pending_minutes: sum(PENDING),
            logs,
        })
    })
    .await?;
    Ok(web::Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HoursQuery {
    /// This year when left out.
    #[param(minimum = 1900, maximum = 2199)]
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodTotal {
    /// ISO week number, or month 1–12.
    pub period: u32,
    /// The Monday the week starts on (weeks only). The first and last week of a year may
    /// start or end in the next or previous year, and both can be week 1; each counts the
    /// days that fall in the year asked for.
    pub starts_on: Option<NaiveDate>,
    pub approved_minutes: i64,
    /// Contracted minutes for the period, or the fewer of the participant's ramp-up plan
    /// that week (weeks only).
    pub contracted_minutes: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoursSummary {
    pub participant_id: i64,
    pub year: i32,
    pub approved_minutes: i64,
    pub weeks: Vec<PeriodTotal>,
    pub months: Vec<PeriodTotal>,
}

/// A participant's approved hours in a year (this one unless named), per week (against
/// contracted hours) and month.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id"), HoursQuery),
    responses(
        (status = 200, description = "Totals", body = HoursSummary),
        (status = 400, description = "Invalid year", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who plan or coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant (or not in your caseload)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/hours")]
pub async fn participant_hours(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: Query<HoursQuery>,
) -> Result<web::Json<HoursSummary>, ApiError> {
    let year = query.year.unwrap_or_else(|| clock::today().year());
    let (user, id) = (staff.user, id.into_inner());
    // Years outside the API's dates could not be ordered as text on SQLite.
    let out_of_range = || ApiError::InvalidQuery("the year is out of range: 1900 to 2199".into());
    if !(dates::FIRST_YEAR..=dates::LAST_YEAR).contains(&year) {
        return Err(out_of_range());
    }
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(out_of_range)?;
    let last = NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or_else(out_of_range)?;
    let summary = db::run_snapshot(&pool, move |conn| {
        let p = views::readable(conn, &user, id)?;
        let logs = store::of_participant(
            conn,
            id,
            clock::local_midnight_utc(first),
            clock::local_midnight_utc(last),
        )?;
        let steps = ramp_up_store::of_participant(conn, id)?;
        // Per week, keyed by its Monday so that late December's week 1 stays apart from
        // January's and weeks come in the order of the calendar.
        let mut weeks: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        let mut months: BTreeMap<u32, i64> = BTreeMap::new();
        let mut total = 0;
        for l in logs.iter().filter(|l| l.status == APPROVED) {
            let day = clock::local_date(l.started_at.and_utc());
            *weeks.entry(ramp_up::monday(day)).or_insert(0) += l.minutes;
            *months.entry(day.month()).or_insert(0) += l.minutes;
            total += l.minutes;
        }
        Ok(HoursSummary {
            participant_id: id,
            year,
            approved_minutes: total,
            weeks: weeks
                .into_iter()
                .map(|(monday, approved_minutes)| PeriodTotal {
                    period: monday.iso_week().week(),
                    starts_on: Some(monday),
                    approved_minutes,
                    contracted_minutes: Some(ramp_up::week_minutes(p.contracted_minutes_per_week, &steps, monday)),
                })
                .collect(),
            months: months
                .into_iter()
                .map(|(period, approved_minutes)| PeriodTotal {
                    period,
                    starts_on: None,
                    approved_minutes,
                    contracted_minutes: None,
                })
                .collect(),
        })
    })
    .await?;
    Ok(web::Json(summary))
}
