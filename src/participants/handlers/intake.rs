//! The intake roster of the Werkplein day: coaches open times, write down what the
//! klantmanagers book, and print the roster for the counter. What the coordinator
//! changes on a coach's roster, the coach is mailed ([`intake_notice`]).

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::extract::TrajectoryDesk;
use crate::auth::{AuthUser, RequireRole, Role};
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::coaches;
use crate::participants::intake::{self, RosterLine};
use crate::participants::intake_notice::{self, Change, RosterChange};
use crate::participants::intake_store::{self, IntakeSlotView};
use crate::request_body::Json;
use crate::request_query::Query;
use crate::{clock, csv};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeOpening {
    /// The Werkplein day: from today, at most a year ahead.
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub on: NaiveDate,
    #[schema(schema_with = intake_times)]
    pub times: Vec<NaiveTime>,
    /// How long each intake takes: 15 to 180 minutes.
    #[schema(minimum = 15, maximum = 180)]
    pub minutes: i64,
    /// Whose roster: the coordinator names the coach; a coach opens their own (and may
    /// leave it out).
    pub coach_id: Option<i64>,
}

fn intake_times() -> utoipa::openapi::schema::Array {
    crate::schema_forms::strings(
        intake::TIME_PATTERN,
        "HH:MM".len(),
        intake::MAX_TIMES,
        "The times intakes start, Dutch time (`HH:MM`), 1 to 16, from 07:00 with the last ending \
         by 21:00, none overlapping another or a time open already.",
        serde_json::json!(["09:00", "09:45", "10:30"]),
    )
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeBooking {
    /// Who is coming: the client the sociale dienst refers. At most 100 characters.
    #[schema(min_length = 1, pattern = r"\S", max_length = 100)]
    pub client_name: String,
    /// The klantmanager who booked. At most 100 characters.
    #[schema(min_length = 1, pattern = r"\S", max_length = 100)]
    pub case_manager: String,
    /// Anything to know beforehand (an interpreter, a first question). At most 500
    /// characters.
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeOutcome {
    /// Whether the client came to the intake.
    pub came: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RosterQuery {
    /// First day; today when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (inclusive); four weeks from `from` when left out; at most 92 days after it.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub to: Option<NaiveDate>,
    /// One coach's times only.
    pub coach_id: Option<i64>,
}

/// The coach whose roster `user` opens times on.
fn roster_of(conn: &mut DbConn, user: &AuthUser, asked: Option<i64>) -> Result<i64, ApiError> {
    match (user.role, asked) {
        (Role::Coordinator, Some(id)) => coaches::checked(conn, id, "coach_id"),
        (Role::Coordinator, None) => Err(ApiError::validation(
            "coach_id",
            "required",
            "name the coach whose roster this is",
        )),
        (_, Some(id)) if id != user.id => Err(ApiError::Forbidden),
        _ => Ok(user.id),
    }
}

/// Checks that `user` may change slot `id` now: 404 when there is none, 403 when it is
/// another coach's, 409 `slot_past` once it has begun.
fn changeable(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<intake_store::Row, ApiError> {
    let slot = own(conn, user, id)?;
    intake::not_begun(slot.on_date, slot.from_time, local_now())?;
    Ok(slot)
}

/// Slot `id` if `user` may see its names: 404 when there is none, 403 when it is another
/// coach's.
fn own(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<intake_store::Row, ApiError> {
    let slot = intake_store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if !slot.is_for(user) {
        return Err(ApiError::Forbidden);
    }
    Ok(slot)
}

fn not_booked() -> ApiError {
    ApiError::conflict("not_booked", "this time is not booked")
}

/// Tells the slot's coach of `what` when `user` is someone else.
fn tell(conn: &mut DbConn, slot: &intake_store::Row, what: RosterChange, user: &AuthUser) -> Result<(), ApiError> {
    let change = Change {
        coach_id: slot.coach_user_id,
        what,
        on: slot.on_date,
        times: &[slot.from_time],
    };
    intake_notice::tell_coach(conn, &change, user, db::now())
}

fn view(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<IntakeSlotView, ApiError> {
    let (row, coach) = intake_store::with_ids(conn, &[id])?.pop().ok_or(ApiError::NotFound)?;
    Ok(row.view(coach, user))
}

fn local_now() -> chrono::NaiveDateTime {
    clock::local(Utc::now())
}

/// Opens times on a coach's Werkplein day for the klantmanagers to book intakes. Opened
/// by the coordinator, the coach is mailed the day and the times.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    request_body = IntakeOpening,
    responses(
        (status = 201, description = "The times opened, in order", body = [IntakeSlotView]),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach, or another coach's roster", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A time overlaps one open already (slot_overlaps)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day gone by or too far ahead, a length or time out of range, times overlapping each other, or no coach named (coordinator)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn open_intake_slots(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    body: Json<IntakeOpening>,
) -> Result<HttpResponse, ApiError> {
    let (user, input) = (coach.user, body.into_inner());
    let starts = intake::opening(input.on, &input.times, input.minutes, local_now())?;
    let views = db::run_tx(&pool, move |conn| {
        let roster = roster_of(conn, &user, input.coach_id)?;
        let ids = intake_store::open(conn, roster, input.on, &starts, input.minutes, user.id, db::now())?;
        let change = Change {
            coach_id: roster,
            what: RosterChange::Opened,
            on: input.on,
            times: &starts,
        };
        intake_notice::tell_coach(conn, &change, &user, db::now())?;
        Ok(intake_store::with_ids(conn, &ids)?
            .into_iter()
            .map(|(row, name)| row.view(name, &user))
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Created().json(views))
}

/// The intake roster, by day and time: every coach's times, with the names of those
/// booked only on the reader's own (all of them for the coordinator). With `Accept:
/// text/csv`, the roster to print for the counter (in Dutch).
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(RosterQuery),
    responses(
        (status = 200, description = "The roster (JSON, or CSV with `Accept: text/csv`)", content(
            (Vec<IntakeSlotView> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Invalid dates", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from` (invalid_period), or more than 92 days after it (period_too_long)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn intake_roster(
    req: HttpRequest,
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    query: Query<RosterQuery>,
) -> Result<HttpResponse, ApiError> {
    let (user, q) = (coach.user, query.into_inner());
    let from = q.from.unwrap_or_else(clock::today);
    let to = q.to.unwrap_or(from + Duration::days(27));
    if to < from {
        return Err(ApiError::validation("to", "invalid_period", "`to` is before `from`"));
    }
    if (to - from).num_days() > intake::MAX_PERIOD_DAYS {
        return Err(ApiError::validation(
            "to",
            "period_too_long",
            format!("at most {} days after `from`", intake::MAX_PERIOD_DAYS),
        ));
    }
    let slots = db::run(&pool, move |conn| {
        Ok(intake_store::between(conn, from, to, q.coach_id)?)
    })
    .await?;
    if csv::wanted(&req) {
        let lines: Vec<RosterLine> = slots
            .into_iter()
            .map(|(row, coach)| RosterLine {
                on: row.on_date,
                from: row.from_time,
                minutes: row.minutes,
                booking: row.booking().map(|b| row.is_for(&user).then_some(b)),
                coach,
            })
            .collect();
        return Ok(csv::attachment(
            &format!("intakerooster-{from}.csv"),
            intake::roster_csv(&lines),
        ));
    }
    let views: Vec<IntakeSlotView> = slots.into_iter().map(|(row, coach)| row.view(coach, &user)).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Writes down an intake a klantmanager booked on one of your times. Written down by
/// the coordinator, the coach is mailed the day and the time (not who is coming).
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Intake slot id")),
    request_body = IntakeBooking,
    responses(
        (status = 200, description = "Booked", body = IntakeSlotView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach, or another coach's time", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such time", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Booked already (already_booked), or the time has begun (slot_past)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No client or klantmanager, or a name or note too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/booking")]
pub async fn book_intake(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<IntakeBooking>,
) -> Result<web::Json<IntakeSlotView>, ApiError> {
    let (user, id, input) = (coach.user, id.into_inner(), body.into_inner());
    let booking = intake::booking(&input.client_name, &input.case_manager, input.note.as_deref())?;
    let view = db::run_tx(&pool, move |conn| {
        let slot = changeable(conn, &user, id)?;
        if !intake_store::book(conn, id, &booking, user.id, db::now())? {
            // Booked meanwhile, or (PostgreSQL) removed meanwhile.
            intake_store::find(conn, id)?.ok_or(ApiError::NotFound)?;
            return Err(ApiError::conflict(
                "already_booked",
                "this time is booked already: cancel that booking first",
            ));
        }
        tell(conn, &slot, RosterChange::Booked, &user)?;
        view(conn, &user, id)
    })
    .await?;
    Ok(web::Json(view))
}

/// Cancels the booking of one of your times; the time is free again. Cancelled by the
/// coordinator, the coach is mailed.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Intake slot id")),
    responses(
        (status = 200, description = "Free again", body = IntakeSlotView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach, or another coach's time", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such time", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not booked (not_booked), or the time has begun (slot_past)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}/booking")]
pub async fn cancel_intake(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<IntakeSlotView>, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let view = db::run_tx(&pool, move |conn| {
        let slot = changeable(conn, &user, id)?;
        if !intake_store::cancel(conn, id)? {
            return Err(not_booked());
        }
        tell(conn, &slot, RosterChange::Cancelled, &user)?;
        view(conn, &user, id)
    })
    .await?;
    Ok(web::Json(view))
}

/// Takes one of your free times off the roster. Taken off by the coordinator, the coach
/// is mailed.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Intake slot id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach, or another coach's time", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such time", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Booked: cancel the booking first (slot_booked), or the time has begun (slot_past)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}")]
pub async fn remove_intake_slot(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    db::run_tx(&pool, move |conn| {
        let slot = changeable(conn, &user, id)?;
        if !intake_store::remove(conn, id)? {
            return Err(ApiError::conflict(
                "slot_booked",
                "this time is booked: cancel the booking first",
            ));
        }
        tell(conn, &slot, RosterChange::Removed, &user)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Writes down whether the client came to an intake on one of your times, from its start
/// on (and corrects it): the klantmanager who booked hears of a missed intake at the next
/// weekly meeting, from the coach. The roster shows it to the slot's coach and the
/// coordinator, and the CSV in its `verschenen` column.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Intake slot id")),
    request_body = IntakeOutcome,
    responses(
        (status = 200, description = "Written down", body = IntakeSlotView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach, or another coach's time", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such time", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not booked (not_booked), or the intake has not begun (slot_not_begun)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/outcome")]
pub async fn note_intake_outcome(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<IntakeOutcome>,
) -> Result<web::Json<IntakeSlotView>, ApiError> {
    let (user, id, came) = (coach.user, id.into_inner(), body.into_inner().came);
    let view = db::run_tx(&pool, move |conn| {
        let slot = own(conn, &user, id)?;
        if slot.client_name.is_none() {
            return Err(not_booked());
        }
        intake::begun(slot.on_date, slot.from_time, local_now())?;
        if !intake_store::note_came(conn, id, came, db::now())? {
            return Err(not_booked());
        }
        view(conn, &user, id)
    })
    .await?;
    Ok(web::Json(view))
}
