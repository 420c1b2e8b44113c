use actix_web::{get, web};

use crate::auth::RequireRole;
use crate::auth::extract::ParticipantAccount;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::store as participants;
use crate::planning::assignment_store;
use crate::planning::day_schedule::{ScheduleItem, item, mark_closed, mark_on_call};

/// The caller's own planned work for the next two weeks, each with who to call when
/// something happens there (`on_call`); work on a day the servicepunt is closed says so
/// (`closed`).
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your schedule", body = Vec<ScheduleItem>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no participant profile", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/schedule")]
pub async fn my_schedule(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<ScheduleItem>>, ApiError> {
    let user_id = user.id;
    let items = db::run(&pool, move |conn| {
        let me = participants::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        let from = now - chrono::Duration::hours(12);
        let mut items = assignment_store::of_participant(conn, me.id, from, now + chrono::Duration::days(14))?
            .iter()
            .map(|a| item(conn, a, &me))
            .collect::<Result<Vec<_>, ApiError>>()?;
        mark_closed(conn, &mut items)?;
        mark_on_call(conn, &mut items)?;
        Ok(items)
    })
    .await?;
    Ok(web::Json(items))
}
