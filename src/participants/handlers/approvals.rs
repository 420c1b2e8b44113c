//! Asking the sociale dienst's agreement, writing its answer down, and the list of open
//! questions for the weekly meeting with the klantmanagers.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::trajectories::{load, readable};
use crate::auth::extract::TrajectoryDesk;
use crate::auth::{RequireRole, Role};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::approval::{self, ApprovalKind, MeetingLine};
use crate::participants::approval_store::{self, ApprovalView};
use crate::participants::trajectory;
use crate::request_body::Json;
use crate::{clock, csv};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalInput {
    pub kind: ApprovalKind,
    /// What you propose and why, as the klantmanager is to read it. At most 1000
    /// characters.
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub proposal: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// Whether the sociale dienst agreed.
    pub agreed: bool,
    /// The day it answered: from the day it was asked, not after today.
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub on: NaiveDate,
    /// Who answered for it (the klantmanager). At most 100 characters.
    #[schema(max_length = 100)]
    pub case_manager: Option<String>,
    /// What came with the answer: conditions, a date to look at it again. At most 1000
    /// characters.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Asks the sociale dienst to agree to a decision about the participant: extra time,
/// a next trajectory, an assessment, a psychologist, care, or that what they do now is
/// participation to their capacity. It stays open until its answer is written down.
/// Extra time is the trajectory's one extension, so it is not asked for an orientation,
/// a trajectory extended already, or one that has ended (ask for a next trajectory).
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Trajectory id")),
    request_body = ApprovalInput,
    responses(
        (status = 201, description = "Asked", body = ApprovalView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A question of this kind is open already (already_asked), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No proposal, or one too long; or extra time for a trajectory that cannot be extended (not_extendable, already_extended, trajectory_ended)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/approvals")]
pub async fn ask_approval(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<ApprovalInput>,
) -> Result<HttpResponse, ApiError> {
    let (user, id, input) = (coach.user, id.into_inner(), body.into_inner());
    let proposal = approval::proposal(&input.proposal)?;
    let view = db::run_tx(&pool, move |conn| {
        let (t, _) = load(conn, &user, id)?;
        if input.kind == ApprovalKind::ExtraTime {
            // Agreed extra time is the one extension; one that cannot be made is not asked.
            trajectory::extendable(&t.period()).map_err(|b| ApiError::validation("kind", b.code, b.message))?;
        }
        approval_store::ask(conn, id, input.kind, &proposal, user.id, db::now())
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Writes down the sociale dienst's answer to an open question.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Trajectory id"),
        ("approval_id" = i64, Path, description = "Question id"),
    ),
    request_body = AnswerInput,
    responses(
        (status = 200, description = "Answered", body = ApprovalView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload, or no such question about it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Answered or withdrawn already (not_pending), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day before the question or after today, or a name or note too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/approvals/{approval_id}/answer")]
pub async fn answer_approval(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
    body: Json<AnswerInput>,
) -> Result<web::Json<ApprovalView>, ApiError> {
    let (user, (id, question), input) = (coach.user, path.into_inner(), body.into_inner());
    let view = db::run_tx(&pool, move |conn| {
        load(conn, &user, id)?;
        let asked = approval_store::find(conn, id, question)?;
        approval::still_open(asked.status)?;
        let answer = approval::answer(
            input.agreed,
            input.on,
            input.case_manager.as_deref(),
            input.note.as_deref(),
            clock::local_date(asked.asked_at.and_utc()),
            clock::today(),
        )?;
        approval_store::answer(conn, question, &answer, user.id, db::now())?;
        approval_store::find(conn, id, question)
    })
    .await?;
    Ok(web::Json(view))
}

/// Takes an open question back: it is no longer asked.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Trajectory id"),
        ("approval_id" = i64, Path, description = "Question id"),
    ),
    responses(
        (status = 200, description = "Withdrawn", body = ApprovalView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload, or no such question about it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Answered or withdrawn already (not_pending), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/approvals/{approval_id}/withdraw")]
pub async fn withdraw_approval(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<ApprovalView>, ApiError> {
    let (user, (id, question)) = (coach.user, path.into_inner());
    let view = db::run_tx(&pool, move |conn| {
        load(conn, &user, id)?;
        approval::still_open(approval_store::find(conn, id, question)?.status)?;
        approval_store::withdraw(conn, question, user.id, db::now())?;
        approval_store::find(conn, id, question)
    })
    .await?;
    Ok(web::Json(view))
}

/// The questions about a trajectory and their answers, oldest first.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Trajectory id")),
    responses(
        (status = 200, description = "The questions", body = [ApprovalView]),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/approvals")]
pub async fn list_approvals(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<ApprovalView>>, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let views = db::run(&pool, move |conn| {
        readable(conn, &user, id)?;
        Ok(approval_store::of_trajectories(conn, &[id])?)
    })
    .await?;
    Ok(web::Json(views))
}

/// An open question, with whose it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenApproval {
    #[serde(flatten)]
    pub approval: ApprovalView,
    pub participant_name: String,
    /// `orientation`, `participatiebaan` or `detachering`.
    pub trajectory_kind: String,
}

/// The open questions to the sociale dienst, oldest first: a coach's own caseload's
/// (everyone's for the coordinator), to take to the weekly meeting with the
/// klantmanagers. With `Accept: text/csv`, the list to print (in Dutch).
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Open questions, oldest first (JSON, or CSV with `Accept: text/csv`)", content(
            (Vec<OpenApproval> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/approvals-open")]
pub async fn open_approvals(
    req: HttpRequest,
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, ApiError> {
    let user = coach.user;
    let open: Vec<OpenApproval> = db::run(&pool, move |conn| Ok(approval_store::open(conn)?))
        .await?
        .into_iter()
        .filter(|o| user.role == Role::Coordinator || o.coach_user_id == Some(user.id))
        .map(|o| OpenApproval {
            approval: o.approval,
            participant_name: o.participant_name,
            trajectory_kind: o.trajectory_kind,
        })
        .collect();
    if csv::wanted(&req) {
        let lines: Vec<MeetingLine> = open
            .into_iter()
            .map(|o| MeetingLine {
                participant: o.participant_name,
                trajectory: o.trajectory_kind,
                asked_on: clock::local_date(o.approval.asked_at.and_utc()),
                kind: o.approval.kind,
                proposal: o.approval.proposal,
            })
            .collect();
        let today = clock::today();
        return Ok(csv::attachment(
            &format!("vragen-sociale-dienst-{today}.csv"),
            approval::meeting_csv(&lines),
        ));
    }
    Ok(HttpResponse::Ok().json(open))
}
