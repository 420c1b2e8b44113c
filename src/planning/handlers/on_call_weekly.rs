//! A weekly on-call rota in one go: "Karim answers every Tuesday morning until Easter".
//! Set day by day, he would get a mail for each day; set this way, one listing them all.
//! Days the servicepunt is closed (Easter Monday, a team day) are left out: nobody goes
//! out on them, so nobody need stand by.

use actix_web::{post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::on_call::duty;
use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::model::Dagdeel;
use crate::planning::on_call::Shift;
use crate::planning::{closed_days, on_call_notice, on_call_store, on_call_weeks};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeeklyOnCallInput {
    /// The staff member on call: an active werkleider, coach or coordinator.
    pub user_id: i64,
    /// The number they answer, e.g. the servicepunt's on-call mobile.
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "0318 123456")]
    pub phone: String,
    /// The first day (today or later).
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub from: NaiveDate,
    /// The last day (inclusive), at most a year from today.
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub to: NaiveDate,
    /// The weekdays, 0 (Monday) to 6 (Sunday).
    #[schema(example = json!([1]))]
    pub weekdays: Vec<u8>,
    /// The shifts; the whole day when left out.
    #[serde(default)]
    pub dagdelen: Option<Vec<Dagdeel>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeeklyOnCall {
    /// The days they are on call now, earliest first.
    pub days: Vec<NaiveDate>,
    /// The shifts of each of those days they are on call in.
    pub dagdelen: Vec<Dagdeel>,
    /// Days of those weekdays left out because the servicepunt is closed on them.
    pub closed_days_left_out: Vec<NaiveDate>,
}

/// Puts someone on call in the same shifts of a weekday (or several) from one day to
/// another, in place of whoever was, leaving out the days the servicepunt is closed (set
/// one of those with `PUT /on-call/{date}` if someone must stand by). Put there by
/// someone else, they get one mail listing the days (`on_call_weeks`); so does each
/// staff member they replace, with theirs.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    request_body = WeeklyOnCallInput,
    responses(
        (status = 200, description = "On call on these days", body = WeeklyOnCall),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`from` gone by (date_in_past); `to` before it (invalid_period) or more than a year ahead (too_far_ahead); no weekdays (required), one not 0 to 6 (invalid_weekday), or none between the two days (no_days); every one of them closed (all_days_closed); not an active werkleider, coach or coordinator (not_on_call_staff); not a phone number (invalid_phone); an empty list of dagdelen (required)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/on-call")]
pub async fn set_weekly_on_call(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    body: Json<WeeklyOnCallInput>,
) -> Result<web::Json<WeeklyOnCall>, ApiError> {
    let (by, input) = (staff.id, body.into_inner());
    let weekdays = on_call_weeks::weekly(input.from, input.to, &input.weekdays, clock::today())?;
    let answer = db::run_tx(&pool, move |conn| {
        let (user, phone, dagdelen) = duty(conn, input.user_id, &input.phone, input.dagdelen.clone())?;
        let closed = closed_days::between(conn, input.from, input.to)?;
        let (days, closed_days_left_out) = on_call_weeks::open_days(weekdays.clone(), &closed)?;
        let now = db::now();
        let mut before = Vec::with_capacity(days.len());
        // Day by day, earliest first, as a single day's change locks its day: two rotas
        // set at once wait for each other instead of crossing.
        for date in &days {
            db::lock(conn, &format!("on-call:{date}"))?;
            before.push((*date, on_call_store::on(conn, *date, &dagdelen)?));
            for dagdeel in &dagdelen {
                let shift = Shift {
                    date: *date,
                    dagdeel: *dagdeel,
                };
                on_call_store::set(conn, shift, user.id, &phone, by, now)?;
            }
        }
        on_call_notice::tell_days(conn, &before, Some(&(user.id, phone)), by, now)?;
        Ok(WeeklyOnCall {
            days,
            dagdelen,
            closed_days_left_out,
        })
    })
    .await?;
    Ok(web::Json(answer))
}
