use actix_web::{HttpResponse, delete, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::extract::JobTriage;
use crate::auth::{AuthUser, RequireRole, Role};
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::participants::store as participants;
use crate::planning::assign::{self, Replan};
use crate::planning::assignment_store::{self, AssignmentRow};
use crate::planning::rules::Slot;
use crate::request_body::Json;
use crate::responses;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    pub job_id: i64,
    pub participant_ids: Vec<i64>,
    /// RFC 3339 with offset.
    #[schema(value_type = String, format = DateTime, example = "2026-05-04T09:00:00+02:00")]
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-04T11:00:00+02:00")]
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub ends_at: DateTime<FixedOffset>,
    /// The auto-planner leaves a pinned assignment as it is.
    #[serde(default)]
    pub pinned: bool,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentPatch {
    pub participant_ids: Option<Vec<i64>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub starts_at: Option<DateTime<FixedOffset>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub pinned: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: i64,
    pub job_id: i64,
    pub participant_ids: Vec<i64>,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub ends_at: NaiveDateTime,
    pub pinned: bool,
}

fn view(conn: &mut DbConn, a: AssignmentRow) -> Result<AssignmentView, ApiError> {
    Ok(AssignmentView {
        participant_ids: assignment_store::members(conn, a.id)?,
        id: a.id,
        job_id: a.job_id,
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        pinned: a.pinned,
    })
}

/// Sends a crew to a waitlisted job, which becomes scheduled. Every hard rule is checked;
/// each broken rule is named (422) and a participant already planned at that time is 409
/// `participant_busy`.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    request_body = AssignmentInput,
    responses(
        (status = 201, description = "Assigned", body = AssignmentView, headers(("Location" = String, description = "The new assignment's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "participant_busy, or the job is not waitlisted (invalid_transition)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A hard rule: trajectory_inactive, missing_skill, clearance (with vog_expired naming whose VOG stopped counting), unavailable, absent, weekly_hours_exceeded, do_not_pair, crew_too_small, five_hour_rule, outside_working_hours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create_assignment(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<AssignmentInput>,
) -> Result<HttpResponse, ApiError> {
    let (actor, input) = (staff.id, body.into_inner());
    let slot = Slot::from_utc(input.starts_at.naive_utc(), input.ends_at.naive_utc());
    let view = db::run_tx(&pool, move |conn| {
        let new = assign::NewAssignment {
            job_id: input.job_id,
            crew: input.participant_ids.clone(),
            slot,
            pinned: input.pinned,
        };
        let a = assign::create(conn, actor, &new, &settings, db::now())?;
        view(conn, a)
    })
    .await?;
    Ok(responses::created_at("/api/v1/assignments", view.id, &view))
}

/// Changes the crew or time of a planned job; the rules are checked again.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = AssignmentPatch,
    responses(
        (status = 200, description = "Changed", body = AssignmentView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "participant_busy, or the job has started", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A hard rule", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
pub async fn update_assignment(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: Json<AssignmentPatch>,
) -> Result<web::Json<AssignmentView>, ApiError> {
    let (id, patch) = (id.into_inner(), body.into_inner());
    let replan = Replan {
        crew: patch.participant_ids,
        starts_at: patch.starts_at.map(|t| t.naive_utc()),
        ends_at: patch.ends_at.map(|t| t.naive_utc()),
        pinned: patch.pinned,
    };
    let view = db::run_tx(&pool, move |conn| {
        let a = assign::change(conn, id, &replan, &settings, db::now())?;
        view(conn, a)
    })
    .await?;
    Ok(web::Json(view))
}

/// Removes an assignment: the job goes back on the waiting list.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Assignment id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job has started (invalid_transition), or hours are logged on it (hours_logged)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}")]
pub async fn delete_assignment(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (actor, id) = (staff.id, id.into_inner());
    db::run_tx(&pool, move |conn| {
        let a = assignment_store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        assign::remove(conn, &a, actor, db::now())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Checks the crew in at the job: it is now in progress. By the werkleider or a member.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Assignment id")),
    responses(
        (status = 204, description = "In progress"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not scheduled (invalid_transition)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/start")]
pub async fn start_assignment(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db::run_tx(&pool, move |conn| {
        let a = assignment_store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let member = match user.role {
            Role::Participant => {
                let own = participants::find_by_user(conn, user.id)?;
                own.is_some_and(|p| assignment_store::members(conn, id).is_ok_and(|m| m.contains(&p.id)))
            }
            _ => user.is_any(&[Role::Werkleider]),
        };
        if !member {
            return Err(ApiError::NotFound);
        }
        assign::start(conn, &a, user.id, db::now())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
