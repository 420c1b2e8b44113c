//! Offers to be a buddy: someone who finished their own trajectory here tells their coach
//! they would help a newcomer. The offer is their consent to be named to the coaches.

use actix_web::{HttpResponse, delete, get, put, web};

use super::trajectories::caseload;
use crate::auth::RequireRole;
use crate::auth::extract::TrajectoryDesk;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::buddy_store::{self, VolunteerView};
use crate::participants::trajectory_store;
use crate::participants::{buddy, store};

/// Records that someone of your caseload who finished their trajectory offers to be a
/// buddy. The same again changes nothing.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 204, description = "Recorded"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant in your caseload", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not finished with a trajectory here, or in one now (buddy_not_eligible), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/{id}/buddy-volunteer")]
pub async fn offer_to_be_buddy(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let today = clock::today();
    db::run_tx(&pool, move |conn| {
        caseload(conn, &user, id)?;
        store::lock(conn, id)?;
        store::recordable(conn, id)?;
        buddy::check_buddy(&trajectory_store::periods_of(conn, id)?, today, None)?;
        Ok(buddy_store::volunteer(conn, id, user.id, db::now())?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Withdraws the offer: no new pairings, and those in which they help end today.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant in your caseload, or they made no offer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}/buddy-volunteer")]
pub async fn withdraw_buddy_offer(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let today = clock::today();
    db::run_tx(&pool, move |conn| {
        caseload(conn, &user, id)?;
        store::lock(conn, id)?;
        if buddy_store::withdraw(conn, id, today)? {
            Ok(())
        } else {
            Err(ApiError::NotFound)
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who offered to be a buddy and may be one today, by name, with their neighbourhood,
/// languages and how many newcomers they help now. For every coach: the offer is the
/// volunteer's consent to be named to them.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The volunteers", body = [VolunteerView]),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_buddy_volunteers(
    _coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<VolunteerView>>, ApiError> {
    let today = clock::today();
    let views = db::run_snapshot(&pool, move |conn| {
        let all = buddy_store::volunteers(conn)?;
        let ids: Vec<i64> = all.iter().map(|v| v.participant_id).collect();
        let periods = trajectory_store::periods_by_participant(conn, &ids)?;
        Ok(all
            .into_iter()
            .filter(|v| {
                let theirs = periods.get(&v.participant_id).map_or(&[][..], Vec::as_slice);
                buddy::may_be_buddy(theirs, today)
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(views))
}
