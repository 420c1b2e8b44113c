//! Progress reviews: the coach writes them down, the participant reads their own.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::trajectories::{load, readable};
use crate::auth::extract::{ParticipantAccount, TrajectoryDesk};
use crate::auth::{RequireRole, Role};
use crate::clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::review::{self, Draft, Window};
use crate::participants::review_store::{self, ReviewView};
use crate::participants::store;
use crate::participants::trajectory_store::TrajectoryRow;
use crate::request_body::Json;
use crate::responses;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// The day it was held: in the trajectory, not after today.
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub held_on: NaiveDate,
    /// The step of the participation ladder the participant stands on: 1 'geïsoleerd
    /// bestaan', 2 'sociale contacten buiten de deur', 3 'deelname aan georganiseerde
    /// activiteiten', 4 'onbetaald werk', 5 'betaald werk met ondersteuning', 6 'betaald
    /// werk'.
    #[schema(minimum = 1, maximum = 6)]
    pub ladder_step: i32,
    /// What was talked through, in words the participant reads: what went well, what
    /// comes next. At most 2000 characters.
    #[schema(min_length = 1, pattern = r"\S", max_length = 2000)]
    pub summary: String,
}

fn checked(input: &ReviewInput, t: &TrajectoryRow) -> Result<Draft, ApiError> {
    let window = Window {
        first_day: t.starts_on,
        last_day: t.period().effective_end(),
        today: clock::today(),
    };
    review::draft(input.held_on, input.ladder_step, &input.summary, window)
}

/// The review `id` as the participant's reviews show it.
fn view(conn: &mut DbConn, participant: i64, id: i64) -> Result<ReviewView, ApiError> {
    review_store::of_participant(conn, participant)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(ApiError::NotFound)
}

/// Writes down a progress review held with the participant: the step of the
/// participation ladder they stand on and what was talked through. One per trajectory
/// and day; the participant reads it in the app.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Trajectory id")),
    request_body = ReviewInput,
    responses(
        (status = 201, description = "Written", body = ReviewView, headers(("Location" = String, description = "The new review's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A review of that day is written down already (review_exists), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day outside the trajectory or after today, a step not 1 to 6, or no summary or one too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/reviews")]
pub async fn write_review(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<ReviewInput>,
) -> Result<HttpResponse, ApiError> {
    let (user, id, input) = (coach.user, id.into_inner(), body.into_inner());
    let view = db::run_tx(&pool, move |conn| {
        let (t, _) = load(conn, &user, id)?;
        let draft = checked(&input, &t)?;
        let review = review_store::insert(conn, id, &draft, user.id, db::now())?;
        view(conn, t.participant_id, review)
    })
    .await?;
    Ok(responses::created_at(
        &format!("/api/v1/trajectories/{id}/reviews"),
        view.id,
        &view,
    ))
}

/// Corrects a progress review: its day, step or summary. The same again changes nothing.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Trajectory id"),
        ("review_id" = i64, Path, description = "Review id"),
    ),
    request_body = ReviewInput,
    responses(
        (status = 200, description = "Corrected", body = ReviewView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload, or no such review of it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another review of that day is written down (review_exists), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day outside the trajectory or after today, a step not 1 to 6, or no summary or one too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/{id}/reviews/{review_id}")]
pub async fn correct_review(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
    body: Json<ReviewInput>,
) -> Result<web::Json<ReviewView>, ApiError> {
    let (user, (id, review), input) = (coach.user, path.into_inner(), body.into_inner());
    let view = db::run_tx(&pool, move |conn| {
        let (t, _) = load(conn, &user, id)?;
        let draft = checked(&input, &t)?;
        review_store::correct(conn, id, review, &draft, db::now())?;
        view(conn, t.participant_id, review)
    })
    .await?;
    Ok(web::Json(view))
}

/// The progress reviews of a trajectory, newest first, each with how the participant's
/// ladder step moved since their review before it.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Trajectory id")),
    responses(
        (status = 200, description = "The reviews", body = [ReviewView]),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such trajectory in your caseload", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/reviews")]
pub async fn list_reviews(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<ReviewView>>, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let views = db::run(&pool, move |conn| {
        let t = readable(conn, &user, id)?;
        let all = review_store::of_participant(conn, t.participant_id)?;
        Ok(all.into_iter().filter(|r| r.trajectory_id == id).collect())
    })
    .await?;
    Ok(web::Json(views))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDue {
    pub trajectory: TrajectoryRow,
    pub participant_name: String,
    /// The day of the trajectory's last review; null while there was none.
    pub last_review_on: Option<NaiveDate>,
    /// The trajectory's first day while there was no review, else a month after the last.
    pub due_on: NaiveDate,
}

/// Running trajectories whose progress review is due: the first since it began, or the
/// monthly one, 31 days after the last. A coach's own caseload, everyone's for the
/// coordinator; longest due first.
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Reviews due, longest due first", body = Vec<ReviewDue>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reviews-due")]
pub async fn reviews_due(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<ReviewDue>>, ApiError> {
    let user = coach.user;
    let today = clock::today();
    let rows = db::run(&pool, move |conn| {
        Ok(review_store::running_with_last_review(conn, today)?)
    })
    .await?;
    let mut due: Vec<ReviewDue> = rows
        .into_iter()
        .filter(|r| user.role == Role::Coordinator || r.coach_user_id == Some(user.id))
        .map(|r| ReviewDue {
            due_on: review::next_due(r.trajectory.starts_on, r.last_held),
            trajectory: r.trajectory,
            participant_name: r.participant_name,
            last_review_on: r.last_held,
        })
        .filter(|d| d.due_on <= today)
        .collect();
    due.sort_by_key(|d| (d.due_on, d.trajectory.id));
    Ok(web::Json(due))
}

/// Your progress reviews, newest first: the step of the participation ladder you stood
/// on at each, how far you moved since the one before, and what you talked through with
/// your coach.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your reviews", body = [ReviewView]),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No participant profile for this account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reviews")]
pub async fn own_reviews(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<ReviewView>>, ApiError> {
    let user_id = user.id;
    let views = db::run(&pool, move |conn| {
        let me = store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        Ok(review_store::of_participant(conn, me.id)?)
    })
    .await?;
    Ok(web::Json(views))
}
