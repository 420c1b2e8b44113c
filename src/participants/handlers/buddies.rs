//! Maatjes: a coach pairs a newcomer of their caseload with someone who finished their
//! own trajectory here and offered to help (see `buddy_volunteers.rs`).

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::trajectories::caseload;
use crate::auth::RequireRole;
use crate::auth::extract::{ParticipantAccount, TrajectoryDesk};
use crate::auth::store as users;
use crate::clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::notify::Template;
use crate::participants::buddy_store::{self, BuddyView, OwnBuddy};
use crate::participants::model::ParticipantRow;
use crate::participants::trajectory_store;
use crate::participants::{buddy, mail_to, store};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuddyInput {
    /// A participant who offered to be a buddy (`GET /api/v1/buddy-volunteers`) and
    /// agreed to help this newcomer.
    pub buddy_id: i64,
}

fn view(conn: &mut DbConn, newcomer: i64, pairing: i64) -> Result<BuddyView, ApiError> {
    buddy_store::of_newcomer(conn, newcomer)?
        .into_iter()
        .find(|b| b.id == pairing)
        .ok_or(ApiError::NotFound)
}

/// Mails the buddy whom they help from `since` and which coach paired them: the
/// newcomer's first name, as the app shows it them, and nothing of why they are here.
fn tell_buddy(
    conn: &mut DbConn,
    buddy: &ParticipantRow,
    newcomer: &ParticipantRow,
    coach: i64,
    since: NaiveDate,
) -> Result<(), ApiError> {
    let Some(to) = mail_to::of(conn, buddy)? else {
        return Ok(());
    };
    let coach = users::find_user(conn, coach)?.map(|u| u.name).unwrap_or_default();
    let data = json!({
        "name": buddy.first_name(),
        "newcomer": newcomer.first_name(),
        "since": since,
        "coach": coach,
    });
    to.enqueue(conn, buddy, Template::BuddyPaired, &data, db::now())
}

/// Pairs a participant in a trajectory with a buddy from today: someone who finished
/// their own trajectory here, offered to help, and agreed to help this newcomer. One
/// buddy at a time; a buddy helps at most three newcomers at once. The buddy is mailed
/// the newcomer's first name, the day and the coach who paired them.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id of the newcomer")),
    request_body = BuddyInput,
    responses(
        (status = 201, description = "Paired", body = BuddyView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant in your caseload", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a trajectory today (trajectory_inactive), a buddy already (buddy_exists), the buddy helps three already (buddy_full), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The buddy is the newcomer (same_participant), unknown (unknown_participant), erased (participant_erased), did not offer (not_volunteer) or is in a trajectory (buddy_not_eligible)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/buddies")]
pub async fn pair_buddy(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<BuddyInput>,
) -> Result<HttpResponse, ApiError> {
    let (user, id, input) = (coach.user, id.into_inner(), body.into_inner());
    let other = input.buddy_id;
    let today = clock::today();
    let view = db::run_tx(&pool, move |conn| {
        caseload(conn, &user, id)?;
        if other == id {
            return Err(ApiError::validation(
                "buddy_id",
                "same_participant",
                "name someone else",
            ));
        }
        // Both, the lower id first, as every change to two participants takes them.
        store::lock(conn, id.min(other))?;
        store::lock(conn, id.max(other))?;
        let newcomer = store::recordable(conn, id)?;
        let buddy_row = store::find(conn, other)?
            .ok_or_else(|| ApiError::validation("buddy_id", "unknown_participant", "no such participant"))?
            .still_recordable(Some("buddy_id"))?;
        if !buddy_store::is_volunteer(conn, other)? {
            return Err(ApiError::validation(
                "buddy_id",
                "not_volunteer",
                "this participant has not offered to be a buddy",
            ));
        }
        buddy::check_buddy(&trajectory_store::periods_of(conn, other)?, today, Some("buddy_id"))?;
        buddy::check_newcomer(&trajectory_store::periods_of(conn, id)?, today)?;
        buddy::check_room(buddy_store::has_buddy(conn, id)?, buddy_store::helps_now(conn, other)?)?;
        let pairing = buddy_store::insert(conn, id, other, today, user.id, db::now())?;
        tell_buddy(conn, &buddy_row, &newcomer, user.id, today)?;
        view(conn, id, pairing)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// The buddies a participant had and has, the latest first.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id of the newcomer")),
    responses(
        (status = 200, description = "Their buddies", body = [BuddyView]),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant in your caseload", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/buddies")]
pub async fn list_buddies(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<BuddyView>>, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let views = db::run(&pool, move |conn| {
        caseload(conn, &user, id)?;
        Ok(buddy_store::of_newcomer(conn, id)?)
    })
    .await?;
    Ok(web::Json(views))
}

/// Ends a pairing today: the newcomer found their way, or it did not work out. It stays
/// in the list, so the coach sees who helped before.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Participant id of the newcomer"),
        ("pairing_id" = i64, Path, description = "The pairing, as the list gives it"),
    ),
    responses(
        (status = 200, description = "Ended", body = BuddyView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant in your caseload, or no such pairing of theirs", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It ended already (already_ended)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/buddies/{pairing_id}/end")]
pub async fn end_buddy(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<BuddyView>, ApiError> {
    let (user, (id, pairing)) = (coach.user, path.into_inner());
    let today = clock::today();
    let view = db::run_tx(&pool, move |conn| {
        caseload(conn, &user, id)?;
        store::lock(conn, id)?;
        let row = buddy_store::find(conn, pairing)?
            .filter(|p| p.participant_id == id)
            .ok_or(ApiError::NotFound)?;
        if row.ended_on.is_some() {
            return Err(ApiError::conflict("already_ended", "this pairing ended already"));
        }
        buddy_store::end(conn, pairing, today)?;
        view(conn, id, pairing)
    })
    .await?;
    Ok(web::Json(view))
}

/// A participant's own buddies, by first name.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnBuddies {
    /// Your buddy, who finished their own trajectory here; null if you have none.
    pub buddy: Option<OwnBuddy>,
    /// The newcomers you help as their buddy.
    pub helping: Vec<OwnBuddy>,
}

/// Your buddy, and the newcomers you help as one: first names and since when. Your coach
/// introduces you.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your buddies", body = OwnBuddies),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No participant profile for this account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddies")]
pub async fn own_buddies(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<OwnBuddies>, ApiError> {
    let user_id = user.id;
    let (buddy, helping) = db::run(&pool, move |conn| {
        let me = store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        Ok(buddy_store::own(conn, me.id)?)
    })
    .await?;
    Ok(web::Json(OwnBuddies { buddy, helping }))
}
