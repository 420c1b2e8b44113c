//! The trajectory plan: the coach writes it, the participant reads and signs it.

use actix_web::{get, post, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::trajectories::{load, readable};
use crate::auth::RequireRole;
use crate::auth::extract::{ParticipantAccount, TrajectoryDesk};
use crate::clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::notify::Template;
use crate::participants::plan::{self, PlanView};
use crate::participants::{mail_to, store, trajectory_store};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    #[schema(schema_with = goals)]
    pub goals: Vec<String>,
}

fn goals() -> utoipa::openapi::schema::Array {
    use crate::participants::plan::{MAX_GOAL_CHARS, MAX_GOALS};
    crate::schema_forms::strings(
        r"\S",
        MAX_GOAL_CHARS,
        MAX_GOALS,
        "What the participant works towards, in plain words: one to ten goals of at most 300 characters.",
        serde_json::json!(["Elke werkdag op tijd beginnen", "Zelf met de bus naar het werk"]),
    )
}

/// Writes the plan of a trajectory with the participant: a new version, which they sign
/// in the app; they are mailed that it is there (not what it says). The same goals as the
/// latest version change nothing.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Trajectory id")),
    request_body = PlanInput,
    responses(
        (status = 200, description = "The plan's latest version", body = PlanView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The trajectory is over (trajectory_ended), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No goals, too many, or one empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/{id}/plan")]
pub async fn write_plan(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<PlanInput>,
) -> Result<web::Json<PlanView>, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let goals = plan::goals(&body.into_inner().goals)?;
    let view = db::run_tx(&pool, move |conn| {
        let (t, _) = load(conn, &user, id)?;
        if t.period().effective_end() < clock::today() {
            return Err(ApiError::conflict(
                "trajectory_ended",
                "this trajectory is over; write the plan of the next one",
            ));
        }
        let (view, new) = plan::write(conn, id, &goals, user.id, db::now())?;
        if new {
            tell(conn, t.participant_id, view.version)?;
        }
        Ok(view)
    })
    .await?;
    Ok(web::Json(view))
}

/// Tells the participant there is a plan to read and sign (not what it says).
fn tell(conn: &mut DbConn, participant: i64, version: i32) -> Result<(), ApiError> {
    let p = store::find(conn, participant)?.ok_or(ApiError::NotFound)?;
    if let Some(to) = mail_to::of(conn, &p)? {
        let data = serde_json::json!({"name": p.first_name(), "version": version});
        to.enqueue(conn, &p, Template::PlanWritten, &data, db::now())?;
    }
    Ok(())
}

/// The latest version of a trajectory's plan, and whether the participant signed it.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Trajectory id")),
    responses(
        (status = 200, description = "The plan's latest version", body = PlanView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload, or no plan written yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/plan")]
pub async fn read_plan(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<PlanView>, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let view = db::run(&pool, move |conn| {
        readable(conn, &user, id)?;
        plan::latest(conn, id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(view))
}

/// The trajectory the participant of account `user_id` is in today, else the next one
/// to start (a plan is often written and signed at intake, before its first day).
fn current_trajectory(conn: &mut DbConn, user_id: i64) -> Result<i64, ApiError> {
    let me = store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
    let today = clock::today();
    let theirs = trajectory_store::of_participants(conn, &[me.id])?;
    let now = theirs.iter().find(|t| t.period().active_on(today));
    let next = || {
        theirs
            .iter()
            .filter(|t| t.starts_on > today)
            .min_by_key(|t| t.starts_on)
    };
    now.or_else(next).map(|t| t.id).ok_or(ApiError::NotFound)
}

/// Your plan: the goals of the trajectory you are in (or, before it starts, the next
/// one), as your coach wrote them down with you, and whether you signed this version.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your plan", body = PlanView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No trajectory now or to come, or no plan written for it yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/plan")]
pub async fn own_plan(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<PlanView>, ApiError> {
    let user_id = user.id;
    let view = db::run(&pool, move |conn| {
        let trajectory = current_trajectory(conn, user_id)?;
        plan::latest(conn, trajectory)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInput {
    /// The version you read.
    pub version: i32,
}

/// Signs your plan: the version you read, if it is still the latest. Signing it again
/// changes nothing.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    request_body = SignInput,
    responses(
        (status = 200, description = "Signed", body = PlanView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No trajectory now or to come, or no plan written for it yet", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The plan was changed since that version (plan_changed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/plan/sign")]
pub async fn sign_plan(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
    body: Json<SignInput>,
) -> Result<web::Json<PlanView>, ApiError> {
    let (user_id, version) = (user.id, body.into_inner().version);
    let view = db::run_tx(&pool, move |conn| {
        let trajectory = current_trajectory(conn, user_id)?;
        plan::sign(conn, trajectory, version, db::now())
    })
    .await?;
    Ok(web::Json(view))
}
