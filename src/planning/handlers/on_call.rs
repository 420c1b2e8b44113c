//! The on-call rota: the werkleiders say who is on call in each shift (dagdeel) of a day;
//! the participants who go out see them on their schedule.

use std::collections::BTreeSet;

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::closed_days::DayPath;
use crate::auth::RequireRole;
use crate::auth::extract::{JobTriage, OnCallReaders};
use crate::auth::store::{self as users, UserRow};
use crate::clock;
use crate::db::{self, DbPool};
use crate::domain::Phone;
use crate::error::{ApiError, FieldProblem, Problem, Violations};
use crate::jobs::model::Dagdeel;
use crate::planning::on_call::Shift;
use crate::planning::on_call_store::{self, OnCall};
use crate::planning::rules::Slot;
use crate::planning::{assignment_store, closed_days, on_call, on_call_notice};
use crate::request_body::Json;
use crate::request_query::Query;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OnCallInput {
    /// The staff member on call: an active werkleider, coach or coordinator.
    pub user_id: i64,
    /// The number they answer, e.g. the servicepunt's on-call mobile.
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "0318 123456")]
    pub phone: String,
    /// The shifts they are on call in; the whole day (morning, afternoon and evening)
    /// when left out.
    #[serde(default)]
    pub dagdelen: Option<Vec<Dagdeel>>,
}

/// A day of the rota.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnCallDay {
    pub date: NaiveDate,
    /// Who is on call in each shift that has someone, in the order of the day.
    pub shifts: Vec<OnCall>,
}

/// The day's rota as it is now.
fn day_rota(conn: &mut db::DbConn, date: NaiveDate) -> Result<OnCallDay, ApiError> {
    Ok(OnCallDay {
        date,
        shifts: on_call_store::between(conn, date, date)?,
    })
}

/// Who is put on call, at which number, in which dagdelen, every problem at once: an
/// active werkleider, coach or coordinator; a phone number; the dagdelen asked for.
pub(super) fn duty(
    conn: &mut db::DbConn,
    user_id: i64,
    phone: &str,
    dagdelen: Option<Vec<Dagdeel>>,
) -> Result<(UserRow, String, Vec<Dagdeel>), ApiError> {
    let phone = Phone::parse(phone);
    let user = users::find_user(conn, user_id)?
        .filter(|u| u.active && on_call::may_be_on_call(u.role()))
        .ok_or_else(|| {
            FieldProblem::new(
                "not_on_call_staff",
                "no active werkleider, coach or coordinator with this id",
            )
        });
    let dagdelen = shifts_asked(dagdelen);
    let mut v = Violations::new();
    v.note("user_id", &user);
    v.note("phone", &phone);
    v.note("dagdelen", &dagdelen);
    v.into_result()?;
    Ok((user?, phone?.into_inner(), dagdelen?))
}

/// The dagdelen asked for, each once, in the order of the day; all when none are named.
fn shifts_asked(dagdelen: Option<Vec<Dagdeel>>) -> Result<Vec<Dagdeel>, FieldProblem> {
    let Some(mut dagdelen) = dagdelen else {
        return Ok(Dagdeel::ALL.to_vec());
    };
    dagdelen.sort();
    dagdelen.dedup();
    if dagdelen.is_empty() {
        return Err(FieldProblem::new(
            "required",
            "name at least one dagdeel, or leave the list out for the whole day",
        ));
    }
    Ok(dagdelen)
}

/// Puts someone on call in some shifts of a day (the whole day unless `dagdelen` says
/// which), in place of whoever was. Everyone who goes out in those shifts sees their
/// name and number on their schedule; put there by someone else, they are mailed
/// (`on_call_changed`, naming the dagdelen), and so is whoever they replace.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("date" = NaiveDate, Path, description = "The day, e.g. 2027-01-12")),
    request_body = OnCallInput,
    responses(
        (status = 200, description = "Done; every shift named had someone before. The day's rota", body = OnCallDay),
        (status = 201, description = "Done; a shift named had no one before. The day's rota", body = OnCallDay),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day gone by (date_in_past) or more than a year ahead (too_far_ahead); not an active werkleider, coach or coordinator (not_on_call_staff); not a phone number (invalid_phone); an empty list of dagdelen (required)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/on-call/{date}")]
pub async fn set_on_call(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    path: web::Path<DayPath>,
    body: Json<OnCallInput>,
) -> Result<HttpResponse, ApiError> {
    let (date, by, input) = (path.into_inner().date, staff.id, body.into_inner());
    on_call::changeable(date, clock::today())?;
    let (created, answer) = db::run_tx(&pool, move |conn| {
        let (user, phone, dagdelen) = duty(conn, input.user_id, &input.phone, input.dagdelen.clone())?;
        db::lock(conn, &format!("on-call:{date}"))?;
        let before = on_call_store::on(conn, date, &dagdelen)?;
        let now = db::now();
        let mut created = false;
        for dagdeel in dagdelen {
            created |= on_call_store::set(conn, Shift { date, dagdeel }, user.id, &phone, by, now)?;
        }
        on_call_notice::tell(conn, date, &before, Some(&(user.id, phone)), by, now)?;
        Ok((created, day_rota(conn, date)?))
    })
    .await?;
    Ok(crate::responses::created_or_ok(created, &answer))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ClearQuery {
    /// The shift to take off the rota; the whole day when left out.
    pub dagdeel: Option<Dagdeel>,
}

/// Takes a shift, or a whole day, off the rota; whoever was on call is mailed they need
/// not be.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("date" = NaiveDate, Path, description = "The day, e.g. 2027-01-12"), ClearQuery),
    responses(
        (status = 204, description = "No one on call in that shift (or that day) now"),
        (status = 400, description = "Not a dagdeel", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No one was on call then", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day gone by (date_in_past) or more than a year ahead (too_far_ahead)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/on-call/{date}")]
pub async fn clear_on_call(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    path: web::Path<DayPath>,
    query: Query<ClearQuery>,
) -> Result<HttpResponse, ApiError> {
    let (date, by) = (path.into_inner().date, staff.id);
    let dagdelen = query.dagdeel.map_or(Dagdeel::ALL.to_vec(), |d| vec![d]);
    on_call::changeable(date, clock::today())?;
    let cleared = db::run_tx(&pool, move |conn| {
        db::lock(conn, &format!("on-call:{date}"))?;
        let before = on_call_store::on(conn, date, &dagdelen)?;
        on_call_notice::tell(conn, date, &before, None, by, db::now())?;
        let mut cleared = false;
        for &dagdeel in &dagdelen {
            cleared |= on_call_store::clear(conn, Shift { date, dagdeel })?;
        }
        Ok(cleared)
    })
    .await?;
    if cleared {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RotaQuery {
    /// First day; today when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (inclusive); two weeks from `from` when left out; at most a year after it.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Rota {
    /// Who is on call, shift by shift, earliest first.
    pub shifts: Vec<OnCall>,
    /// Shifts from today on with work going out (the servicepunt open) and no one on
    /// call: each dagdeel a piece of planned work touches.
    pub uncovered: Vec<Shift>,
}

/// The on-call rota over a period, and the shifts with work going out and no one on call.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(RotaQuery),
    responses(
        (status = 200, description = "The rota", body = Rota),
        (status = 400, description = "Invalid dates", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider or coach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from` (invalid_period), or more than a year after it (period_too_long)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/on-call")]
pub async fn on_call_rota(
    _staff: RequireRole<OnCallReaders>,
    pool: web::Data<DbPool>,
    query: Query<RotaQuery>,
) -> Result<web::Json<Rota>, ApiError> {
    let today = clock::today();
    let from = query.from.unwrap_or(today);
    let to = query.to.unwrap_or(from + chrono::Duration::days(13));
    if to < from {
        return Err(ApiError::validation("to", "invalid_period", "`to` is before `from`"));
    }
    if (to - from).num_days() > on_call::MAX_DAYS_AHEAD {
        return Err(ApiError::validation(
            "to",
            "period_too_long",
            format!("at most {} days after `from`", on_call::MAX_DAYS_AHEAD),
        ));
    }
    let rota = db::run(&pool, move |conn| {
        let shifts = on_call_store::between(conn, from, to)?;
        let first = from.max(today);
        let mut uncovered = vec![];
        if first <= to {
            let closed: BTreeSet<NaiveDate> = closed_days::between(conn, first, to)?
                .into_iter()
                .map(|c| c.date)
                .collect();
            let work: BTreeSet<Shift> = assignment_store::scheduled_on(conn, first, to)?
                .iter()
                .flat_map(|a| {
                    let slot = Slot::from_utc(a.starts_at, a.ends_at);
                    on_call::shifts_of(slot.local_start, slot.local_end)
                })
                .filter(|s| !closed.contains(&s.date))
                .collect();
            let covered: BTreeSet<Shift> = shifts.iter().map(OnCall::shift).collect();
            uncovered = on_call::uncovered(&work, &covered);
        }
        Ok(Rota { shifts, uncovered })
    })
    .await?;
    Ok(web::Json(rota))
}
