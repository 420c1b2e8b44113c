use actix_web::{get, web};

use crate::auth::extract::ParticipantReaders;
use crate::auth::{RequireRole, Role};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::model::ParticipantView;
use crate::participants::{store, views};

/// Participants by name: all for werkleiders and the coordinator, their own caseload for a
/// coach.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Participants", body = Vec<ParticipantView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who plan or coach", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_participants(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<ParticipantView>>, ApiError> {
    let user = staff.user;
    let list = db::run(&pool, move |conn| {
        let coach = (user.role == Role::Trajectbegeleider).then_some(user.id);
        let today = clock::today();
        store::list(conn, coach, false)?
            .into_iter()
            .map(|row| views::staff_view(conn, row, &user, today))
            .collect()
    })
    .await?;
    Ok(web::Json(list))
}

/// One participant's work profile.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "The participant", body = ParticipantView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who plan or coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant (or not in your caseload)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}")]
pub async fn get_participant(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<ParticipantView>, ApiError> {
    let (user, id) = (staff.user, id.into_inner());
    let view = db::run(&pool, move |conn| {
        let row = views::readable(conn, &user, id)?;
        views::staff_view(conn, row, &user, clock::today())
    })
    .await?;
    Ok(web::Json(view))
}
