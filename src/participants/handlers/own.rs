use actix_web::{get, web};

use crate::auth::RequireRole;
use crate::auth::extract::ParticipantAccount;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::model::OwnParticipantView;
use crate::participants::{store, views};

/// The caller's own work profile.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your profile", body = OwnParticipantView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no participant profile", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participant")]
pub async fn own_participant(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<OwnParticipantView>, ApiError> {
    let user_id = user.id;
    let view = db::run(&pool, move |conn| {
        let row = store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        views::own_view(conn, row, clock::today())
    })
    .await?;
    Ok(web::Json(view))
}
