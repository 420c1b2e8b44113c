use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::domain::ShortText;
use crate::error::{ApiError, Problem};
use crate::planning::assignment_store::{self, AssignmentRow};
use crate::planning::closed_day_release::{self, ReleasedDay};
use crate::planning::closed_days::{self, ClosedDay};
use crate::planning::closing_notices::{self, Told};
use crate::planning::holidays;
use crate::request_body::Json;
use crate::request_query::Query;
use crate::{clock, dates};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ClosedDaysQuery {
    /// First day; today when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (inclusive); every closed day from `from` on when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub to: Option<NaiveDate>,
}

/// A day in the address, e.g. `/closed-days/2027-04-27`.
#[derive(Debug, Deserialize)]
pub struct DayPath {
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub date: NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosedDayInput {
    /// Why, as the werkleiders and the board show it: 1 to 100 characters.
    #[schema(min_length = 1, pattern = r"\S", max_length = 100)]
    pub reason: String,
}

/// A closed day, with the work planned on it before it closed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosedDayView {
    #[serde(flatten)]
    pub day: ClosedDay,
    /// Work planned that day and not started, earliest first: nobody goes out, so it
    /// needs another day (the board and the broken-work list mark it
    /// `service_point_closed`, and its reminders are held back).
    pub planned_work: Vec<AssignmentRow>,
    /// Who was told of the closing: residents with a visit still to come that day, and
    /// participants who had their schedule for it. None when only the reason changed.
    pub told: Told,
}

/// A day open again, and who was told so.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedDay {
    pub date: NaiveDate,
    /// Residents told at the closing that their visit was off hear it goes ahead after
    /// all; once the afternoon round before the day has passed, its crews get their
    /// schedule again.
    pub told: Told,
}

/// The days the servicepunt is closed, earliest first.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(ClosedDaysQuery),
    responses(
        (status = 200, description = "The closed days", body = Vec<ClosedDay>),
        (status = 400, description = "Invalid dates", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from` (invalid_period)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/closed-days")]
pub async fn list_closed_days(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    query: Query<ClosedDaysQuery>,
) -> Result<web::Json<Vec<ClosedDay>>, ApiError> {
    let from = query.from.unwrap_or_else(clock::today);
    let to = query.to.unwrap_or_else(dates::last_day);
    if to < from {
        return Err(ApiError::validation("to", "invalid_period", "`to` is before `from`"));
    }
    let days = db::run(&pool, move |conn| Ok(closed_days::between(conn, from, to)?)).await?;
    Ok(web::Json(days))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HolidaysQuery {
    /// The year, 2014 or later; this year when left out.
    #[param(minimum = 2014, maximum = 2199)]
    pub year: Option<i32>,
}

/// A Dutch public holiday, and whether the servicepunt is closed that day already.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicHoliday {
    pub date: NaiveDate,
    /// Its Dutch name, e.g. "Tweede Paasdag"; two holidays on one day name both.
    pub name: String,
    pub closed: bool,
}

/// The Dutch public holidays of a year, each with whether the servicepunt is closed that
/// day already: the werkleiders pick the days to close (`PUT /closed-days/{date}`).
/// Nothing is closed by itself.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(HolidaysQuery),
    responses(
        (status = 200, description = "The year's public holidays", body = Vec<PublicHoliday>),
        (status = 400, description = "Malformed year", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A year before 2014 or after 2199 (year_out_of_range)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/public-holidays")]
pub async fn public_holidays(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    query: Query<HolidaysQuery>,
) -> Result<web::Json<Vec<PublicHoliday>>, ApiError> {
    let year = query.year.unwrap_or_else(|| chrono::Datelike::year(&clock::today()));
    let days = holidays::of_year(year);
    let (Some((first, _)), Some((last, _))) = (days.first(), days.last()) else {
        return Err(ApiError::validation(
            "year",
            "year_out_of_range",
            format!(
                "public holidays from {} to {}",
                holidays::FIRST_YEAR,
                holidays::LAST_YEAR
            ),
        ));
    };
    let (first, last) = (*first, *last);
    let closed = db::run(&pool, move |conn| Ok(closed_days::between(conn, first, last)?)).await?;
    let answer = days
        .into_iter()
        .map(|(date, name)| PublicHoliday {
            date,
            name,
            closed: closed.iter().any(|c| c.date == date),
        })
        .collect();
    Ok(web::Json(answer))
}

/// Closes the servicepunt on a day (a public holiday, a team day), or changes why it is
/// closed. Nobody is sent out that day; the answer lists the work planned on it already.
/// Each resident with a visit still to come that day is told it is off and a new day
/// follows; each participant who had their schedule for the day, not to come.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("date" = NaiveDate, Path, description = "The day, e.g. 2027-04-27")),
    request_body = ClosedDayInput,
    responses(
        (status = 200, description = "The reason changed; the day was closed already", body = ClosedDayView),
        (status = 201, description = "Closed, with the planned work it affects", body = ClosedDayView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day gone by (date_in_past) or more than two years ahead (too_far_ahead); no reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/closed-days/{date}")]
pub async fn close_day(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    path: web::Path<DayPath>,
    body: Json<ClosedDayInput>,
) -> Result<HttpResponse, ApiError> {
    let (date, by) = (path.into_inner().date, staff.id);
    let reason = ShortText::parse(&body.reason, 100)
        .map_err(|p| ApiError::validation("reason", p.code, p.message))?
        .into_inner();
    closed_days::changeable(date, clock::today())?;
    let (created, view) = db::run_tx(&pool, move |conn| {
        closed_days::lock(conn, date)?;
        let now = db::now();
        let created = closed_days::close(conn, date, &reason, by, now)?;
        let planned_work = assignment_store::scheduled_on(conn, date, date)?;
        let told = if created {
            closing_notices::day_closed(conn, date, &reason, &planned_work, now)?
        } else {
            Told::default()
        };
        let day = ClosedDay {
            date,
            reason: reason.clone(),
        };
        Ok((
            created,
            ClosedDayView {
                day,
                planned_work,
                told,
            },
        ))
    })
    .await?;
    Ok(crate::responses::created_or_ok(created, &view))
}

/// Opens the servicepunt again on a day closed before. Work can be planned on it again;
/// what was planned there before it closed fits again unless something else broke, and
/// those told it was off hear it goes ahead.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("date" = NaiveDate, Path, description = "The day, e.g. 2027-04-27")),
    responses(
        (status = 200, description = "Open again", body = OpenedDay),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The day is not closed (or the address holds no date)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day gone by (date_in_past) or more than two years ahead (too_far_ahead)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/closed-days/{date}")]
pub async fn open_day(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    path: web::Path<DayPath>,
) -> Result<HttpResponse, ApiError> {
    let date = path.into_inner().date;
    closed_days::changeable(date, clock::today())?;
    let opened = db::run_tx(&pool, move |conn| {
        closed_days::lock(conn, date)?;
        if !closed_days::open(conn, date)? {
            return Err(ApiError::NotFound);
        }
        let told = closing_notices::day_opened(conn, date, db::now())?;
        Ok(OpenedDay { date, told })
    })
    .await?;
    Ok(HttpResponse::Ok().json(opened))
}

/// Takes the work planned on a closed day back to the waiting list, all at once, for the
/// auto-planner to propose again (`POST /planning/proposals`). Its residents were told
/// at the closing that a new day follows, and are not written to again. Work with hours
/// logged on it stays, listed.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("date" = NaiveDate, Path, description = "The closed day, e.g. 2027-04-27")),
    responses(
        (status = 200, description = "The jobs back on the waiting list, and the work kept", body = ReleasedDay),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The day is not closed (or the address holds no date)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A job changed meanwhile (invalid_transition, hours_logged); nothing was taken off", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day gone by (date_in_past) or more than two years ahead (too_far_ahead)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/closed-days/{date}/release")]
pub async fn release_day(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    path: web::Path<DayPath>,
) -> Result<web::Json<ReleasedDay>, ApiError> {
    let (date, actor) = (path.into_inner().date, staff.id);
    closed_days::changeable(date, clock::today())?;
    let released = db::run_tx(&pool, move |conn| {
        closed_day_release::release(conn, date, actor, db::now())
    })
    .await?;
    Ok(web::Json(released))
}
