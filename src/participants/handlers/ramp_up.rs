//! A participant's ramp-up plan: werkleiders and coaches set it, planning keeps to it.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::ParticipantReaders;
use crate::clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::notify::Template;
use crate::participants::model::ParticipantRow;
use crate::participants::ramp_up::{self, Step, WeekOver};
use crate::participants::{mail_to, ramp_up_store, store, views};
use crate::planning::assignment_store;
use crate::planning::rules::Slot;
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// A day of the first week the step holds (it holds from that week's Monday).
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub from: NaiveDate,
    /// Whole hours a week, from 1 up to the contracted hours (the contracted hours
    /// themselves end the ramp-up).
    #[schema(minimum = 1, maximum = 40)]
    pub hours_per_week: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RampUpInput {
    /// One to twelve steps, each in a week of its own, in any order.
    #[schema(min_items = 1, max_items = 12)]
    pub steps: Vec<StepInput>,
}

/// A participant's ramp-up plan and the hours it allows now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RampUpView {
    pub participant_id: i64,
    pub contracted_minutes_per_week: i64,
    /// The minutes that may be planned this week: the step that holds now, never more
    /// than the contract.
    pub minutes_this_week: i64,
    /// Every step, in order of its weeks (empty without a plan). Each holds until the
    /// next; the last until the plan is changed or removed.
    pub steps: Vec<Step>,
    /// Weeks from this one on with more work planned than the plan allows: plan some of
    /// it for someone else.
    pub over_hours: Vec<WeekOver>,
}

fn view(conn: &mut DbConn, row: &ParticipantRow, today: NaiveDate) -> Result<RampUpView, ApiError> {
    let steps = ramp_up_store::of_participant(conn, row.id)?;
    let this_week = ramp_up::monday(today);
    // Work planned from this week to a year after the last step (the last step holds on).
    let last = steps.last().map_or(this_week, |s| s.week_start.max(this_week)) + Duration::days(366);
    let midnight = |d: NaiveDate| clock::local_midnight_utc(d);
    let mut planned: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for (_, _, start, end) in assignment_store::spans_of(conn, &[row.id], midnight(this_week), midnight(last), None)? {
        let slot = Slot::from_utc(start, end);
        if let Some(week) = ramp_up::monday_of_iso_week(slot.week()) {
            *planned.entry(week).or_insert(0) += slot.minutes();
        }
    }
    planned.retain(|week, _| *week >= this_week);
    let contracted = row.contracted_minutes_per_week;
    Ok(RampUpView {
        participant_id: row.id,
        contracted_minutes_per_week: contracted,
        minutes_this_week: ramp_up::week_minutes(contracted, &steps, this_week),
        over_hours: ramp_up::over_hours(&planned, contracted, &steps),
        steps,
    })
}

/// Mails the participant their hours from this week on (none: the plan ended).
fn tell(conn: &mut DbConn, p: &ParticipantRow, steps: &[Step]) -> Result<(), ApiError> {
    let Some(to) = mail_to::of(conn, p)? else {
        return Ok(());
    };
    let steps: Vec<_> = ramp_up::from_this_week(steps, clock::today())
        .iter()
        .map(|s| json!({"from": s.week_start, "hours": s.minutes_per_week / 60}))
        .collect();
    let data = json!({
        "name": p.first_name(),
        "steps": steps,
        "contracted_hours": p.contracted_minutes_per_week / 60,
    });
    to.enqueue(conn, p, Template::RampUpChanged, &data, db::now())
}

/// A participant's ramp-up plan: the steps, this week's hours and the weeks with more
/// work planned than it allows. A coach reads their own caseload's.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "The plan (no steps without one)", body = RampUpView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider or coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant (or not in your caseload)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/ramp-up")]
pub async fn read_ramp_up(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<RampUpView>, ApiError> {
    let (user, id) = (staff.user, id.into_inner());
    let view = db::run_snapshot(&pool, move |conn| {
        let row = views::readable(conn, &user, id)?;
        view(conn, &row, clock::today())
    })
    .await?;
    Ok(web::Json(view))
}

/// Sets a participant's ramp-up plan, in the place of any before it: fewer hours a week
/// than contracted for a while, building up step by step (to get used to a working week
/// before training, or after a long time out). Planning keeps to it from now on; the
/// answer names the weeks already planned beyond it, for the werkleider to re-plan. The
/// participant is mailed their hours from this week on when they change, and reads them
/// in the app; the same steps again change nothing.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    request_body = RampUpInput,
    responses(
        (status = 200, description = "Set, with the weeks planned beyond it", body = RampUpView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider or coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant (or not in your caseload)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No steps or more than twelve, two in one week, or hours not from 1 to the contracted hours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/{id}/ramp-up")]
pub async fn set_ramp_up(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<RampUpInput>,
) -> Result<web::Json<RampUpView>, ApiError> {
    let (user, id, input) = (staff.user, id.into_inner(), body.into_inner());
    let raw: Vec<(NaiveDate, i64)> = input.steps.iter().map(|s| (s.from, s.hours_per_week)).collect();
    let view = db::run_tx(&pool, move |conn| {
        store::lock(conn, id)?;
        views::readable(conn, &user, id)?;
        let row = store::recordable(conn, id)?;
        let steps = ramp_up::steps(&raw, row.contracted_minutes_per_week)?;
        let before = ramp_up_store::of_participant(conn, id)?;
        if before != steps {
            ramp_up_store::replace(conn, id, &steps, user.id, db::now())?;
        }
        // Mailed only when the hours to come changed, not for a correction of weeks past.
        let today = clock::today();
        if ramp_up::from_this_week(&before, today) != ramp_up::from_this_week(&steps, today) {
            tell(conn, &row, &steps)?;
        }
        view(conn, &row, clock::today())
    })
    .await?;
    Ok(web::Json(view))
}

/// Ends a participant's ramp-up plan: planning goes by the contracted hours again, and
/// the participant is mailed so.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 204, description = "Removed (or there was none)"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider or coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant (or not in your caseload)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}/ramp-up")]
pub async fn remove_ramp_up(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (user, id) = (staff.user, id.into_inner());
    db::run_tx(&pool, move |conn| {
        store::lock(conn, id)?;
        let row = views::readable(conn, &user, id)?;
        if ramp_up_store::delete_of(conn, &[id])? > 0 {
            tell(conn, &row, &[])?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
