//! Trajectories, for coaches (their own caseload) and the coordinator.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::extract::TrajectoryDesk;
use crate::auth::{AuthUser, RequireRole, Role};
use crate::clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::approval::ApprovalStatus;
use crate::participants::approval_store::{self, ApprovalView};
use crate::participants::model::ParticipantRow;
use crate::participants::store;
use crate::participants::trajectory::{self, Broken, ExitReason, TrajectoryKind};
use crate::participants::trajectory_store::{self, TrajectoryRow};
use crate::request_body::Json;
use crate::request_query::Query;

pub(super) fn caseload(conn: &mut DbConn, user: &AuthUser, participant_id: i64) -> Result<ParticipantRow, ApiError> {
    let row = store::find(conn, participant_id)?.ok_or(ApiError::NotFound)?;
    if user.role == Role::Coordinator || row.coach_user_id == Some(user.id) {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

fn rejected(field: &str, b: Broken) -> ApiError {
    ApiError::validation(field, b.code, b.message)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrajectoryInput {
    pub kind: TrajectoryKind,
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub starts_on: NaiveDate,
    /// Defaults to the longest the kind allows (orientation: exactly eight weeks).
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub ends_on: Option<NaiveDate>,
}

/// Starts a trajectory: orientation (8 weeks), participatiebaan or detachering (≤ 12 months).
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    request_body = TrajectoryInput,
    responses(
        (status = 201, description = "Started", body = TrajectoryRow),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant in your caseload", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a trajectory rule (overlap, too long, four-year stay, …)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/trajectories")]
pub async fn start_trajectory(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<TrajectoryInput>,
) -> Result<HttpResponse, ApiError> {
    let (user, id, input) = (coach.user, id.into_inner(), body.into_inner());
    let row = db::run_tx(&pool, move |conn| {
        caseload(conn, &user, id)?;
        store::lock(conn, id)?;
        store::recordable(conn, id)?;
        let existing = trajectory_store::periods_of(conn, id)?;
        let period = trajectory::plan(&existing, input.kind, input.starts_on, input.ends_on)
            .map_err(|b| rejected("starts_on", b))?;
        Ok(trajectory_store::insert(conn, id, &period, user.id, db::now())?)
    })
    .await?;
    Ok(HttpResponse::Created().json(row))
}

/// The participant's trajectories, oldest first.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "Trajectories", body = Vec<TrajectoryRow>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant in your caseload", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/trajectories")]
pub async fn list_trajectories(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<TrajectoryRow>>, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let rows = db::run(&pool, move |conn| {
        caseload(conn, &user, id)?;
        Ok(trajectory_store::of_participants(conn, &[id])?)
    })
    .await?;
    Ok(web::Json(rows))
}

/// A trajectory lengthened: the new last day and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrajectoryExtendInput {
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub until: NaiveDate,
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub justification: String,
}

/// Trajectory `id`, if its participant is in the caller's caseload (any for the
/// coordinator), to read.
pub(super) fn readable(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<TrajectoryRow, ApiError> {
    let t = trajectory_store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    caseload(conn, user, t.participant_id)?;
    Ok(t)
}

pub(super) fn load(
    conn: &mut DbConn,
    user: &AuthUser,
    id: i64,
) -> Result<(TrajectoryRow, Vec<trajectory::Period>), ApiError> {
    let t = readable(conn, user, id)?;
    // The participant's lock: planning checks the trajectories, and an erasure clears
    // what they say; neither runs while one changes. Nothing is recorded once erased.
    store::lock(conn, t.participant_id)?;
    store::recordable(conn, t.participant_id)?;
    let others = trajectory_store::of_participants(conn, &[t.participant_id])?
        .iter()
        .filter(|o| o.id != t.id)
        .map(TrajectoryRow::period)
        .collect();
    Ok((t, others))
}

/// Extends a participatiebaan (≤ 12 months) or detachering (≤ 6 months), once.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Trajectory id")),
    request_body = TrajectoryExtendInput,
    responses(
        (status = 200, description = "Extended", body = TrajectoryRow),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a trajectory rule", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/extend")]
pub async fn extend_trajectory(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<TrajectoryExtendInput>,
) -> Result<web::Json<TrajectoryRow>, ApiError> {
    let (user, id, input) = (coach.user, id.into_inner(), body.into_inner());
    let justification = crate::jobs::input::required_note(
        input.justification,
        "justification",
        "say why the trajectory is extended",
    )?;
    let row = db::run_tx(&pool, move |conn| {
        let (t, others) = load(conn, &user, id)?;
        trajectory::extend(&t.period(), &others, input.until).map_err(|b| rejected("until", b))?;
        trajectory_store::record_extension(conn, id, input.until, &justification)?;
        trajectory_store::find(conn, id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(row))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndInput {
    /// The last day of the trajectory.
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub on: NaiveDate,
    pub exit_reason: ExitReason,
}

/// Ends a trajectory with an exit reason.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Trajectory id")),
    request_body = EndInput,
    responses(
        (status = 200, description = "Ended", body = TrajectoryRow),
        (status = 400, description = "Malformed body or unknown exit reason", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Already ended, or the day is outside the trajectory", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/end")]
pub async fn end_trajectory(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<EndInput>,
) -> Result<web::Json<TrajectoryRow>, ApiError> {
    let (user, id, input) = (coach.user, id.into_inner(), body.into_inner());
    let row = db::run_tx(&pool, move |conn| {
        let (t, _) = load(conn, &user, id)?;
        trajectory::end(&t.period(), input.on).map_err(|b| rejected("on", b))?;
        trajectory_store::record_end(conn, id, input.on, input.exit_reason.as_str())?;
        trajectory_store::find(conn, id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(row))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EndingQuery {
    /// Default 42: the six weeks ahead a coach is mailed of (`participants::ending_notice`).
    pub within_days: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndingTrajectory {
    pub trajectory: TrajectoryRow,
    pub participant_name: String,
    pub last_day: NaiveDate,
    /// The questions put to the sociale dienst about it and not withdrawn (extra time, a
    /// next trajectory, …), oldest first: what is asked or agreed for after it.
    pub approvals: Vec<ApprovalView>,
}

/// Trajectories that end soon: a coach's own caseload, everyone's for the coordinator.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(EndingQuery),
    responses(
        (status = 200, description = "Ending soon, soonest first", body = Vec<EndingTrajectory>),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ending")]
pub async fn ending_trajectories(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    query: Query<EndingQuery>,
) -> Result<web::Json<Vec<EndingTrajectory>>, ApiError> {
    let user = coach.user;
    let days = query
        .within_days
        .unwrap_or(crate::participants::ending_notice::NOTICE_DAYS)
        .clamp(0, 1500);
    let today = clock::today();
    let (rows, approvals) = db::run(&pool, move |conn| {
        let mut rows = trajectory_store::ending_between(conn, today, today + chrono::Duration::days(days))?;
        rows.retain(|(_, _, c)| user.role == Role::Coordinator || *c == Some(user.id));
        let ids: Vec<i64> = rows.iter().map(|(t, _, _)| t.id).collect();
        let approvals = approval_store::of_trajectories(conn, &ids)?;
        Ok((rows, approvals))
    })
    .await?;
    let mut out: Vec<EndingTrajectory> = rows
        .into_iter()
        .map(|(t, name, _)| EndingTrajectory {
            last_day: t.period().effective_end(),
            approvals: approvals
                .iter()
                .filter(|a| a.trajectory_id == t.id && a.status != ApprovalStatus::Withdrawn)
                .cloned()
                .collect(),
            trajectory: t,
            participant_name: name,
        })
        .collect();
    out.sort_by_key(|e| e.last_day);
    Ok(web::Json(out))
}
