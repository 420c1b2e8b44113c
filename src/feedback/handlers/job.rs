use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::extract::FeedbackDesk;
use crate::auth::{AuthState, AuthUser, RequireRole, Role};
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::feedback::model::{FeedbackKind, FeedbackView};
use crate::feedback::{give, rules, store};
use crate::jobs::model::JobRow;
use crate::jobs::{access, store as jobs};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    pub kind: FeedbackKind,
    /// What the resident wants to pass on (at most 1000 characters).
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub message: String,
}

/// Whether the caller sees the job's feedback as staff (the werkleider's notes) rather
/// than as the resident.
fn as_staff(user: &AuthUser) -> bool {
    !user.is(Role::Resident)
}

/// The job, when `user` may see its feedback; 404 for a resident's job that is not theirs.
fn job_for(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<JobRow, ApiError> {
    let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if !access::may_act_for(conn, user, job.recipient_id)? {
        return Err(ApiError::NotFound);
    }
    Ok(job)
}

/// A compliment for the crew or a complaint for the werkleiders, once the work is done.
/// A compliment is passed on to the participants who did the work (by mail, and under
/// `/me/compliments`); a complaint reaches the werkleiders only. One of each per job: the
/// same words sent again get the first answer (200).
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    request_body = FeedbackInput,
    responses(
        (status = 201, description = "Given", body = FeedbackView),
        (status = 200, description = "Given before, in the same words", body = FeedbackView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident, werkleider or coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The work is not done yet (job_not_done), this job has feedback of this kind in other words (feedback_given), or the resident's data was erased (resident_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No message, or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/feedback")]
pub async fn give_feedback(
    user: RequireRole<FeedbackDesk>,
    pool: web::Data<DbPool>,
    auth: web::Data<AuthState>,
    id: web::Path<i64>,
    body: Json<FeedbackInput>,
) -> Result<HttpResponse, ApiError> {
    let staff = as_staff(&user);
    let user = user.user;
    let (id, input) = (id.into_inner(), body.into_inner());
    let message = rules::message(&input.message)?;
    let public_url = auth.public_url.clone();
    let (created, view) = db::run_tx(&pool, move |conn| {
        let job = job_for(conn, &user, id)?;
        let given = give::give(conn, &job, input.kind, &message, user.id, &public_url, db::now())?;
        Ok((given.created, give::view(conn, given.feedback, staff)?))
    })
    .await?;
    Ok(crate::responses::created_or_ok(created, &view))
}

/// The compliment and complaint on a job, if given. The werkleider's note on how a
/// complaint was handled is for staff; the resident sees when it was handled.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job's feedback, compliment first", body = Vec<FeedbackView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident, werkleider or coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/feedback")]
pub async fn job_feedback(
    user: RequireRole<FeedbackDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<FeedbackView>>, ApiError> {
    let staff = as_staff(&user);
    let user = user.user;
    let id = id.into_inner();
    let views = db::run(&pool, move |conn| {
        let job = job_for(conn, &user, id)?;
        store::of_job(conn, job.id)?
            .into_iter()
            .map(|row| give::view(conn, row, staff))
            .collect()
    })
    .await?;
    Ok(web::Json(views))
}
