//! Asking for the same helpers again after work was done, seeing whom one asked for, and
//! stopping a wish: the resident, a family member who acts for them, or the werkleider
//! on the phone.

use actix_web::{HttpResponse, delete, get, post, web};

use crate::auth::extract::{FeedbackDesk, JobTriage};
use crate::auth::{AuthUser, RequireRole};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::{access, store as jobs};
use crate::residents::preferred::{self, PreferredHelper};
use crate::residents::store;

/// Asks for the people who did this work to come again next time, for the job's
/// resident. Planning puts them higher among those who may go; a wish, not a promise.
/// Asked before, nothing changes.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "Everyone the resident now asks for", body = Vec<PreferredHelper>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident, werkleider or coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The work is not done yet (job_not_done), nobody was planned on it (no_helpers), everyone on it left (helpers_gone), or the resident's data was erased (resident_erased)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/ask-again")]
pub async fn ask_again(
    user: RequireRole<FeedbackDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<PreferredHelper>>, ApiError> {
    let staff = access::staff_or_resident::<JobTriage>(&user)?;
    let (user, id) = (user.user, id.into_inner());
    let helpers = db::run_tx(&pool, move |conn| {
        let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !access::may_act_for(conn, &user, job.recipient_id)? {
            return Err(ApiError::NotFound);
        }
        preferred::ask_again(conn, &job, db::now())?;
        Ok(preferred::of_resident(conn, job.recipient_id, staff)?)
    })
    .await?;
    Ok(web::Json(helpers))
}

/// Whom the resident asked for again and who still works here, longest standing first:
/// first names for the resident and family, which participant for the werkleider.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "The helpers asked for", body = Vec<PreferredHelper>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither a werkleider nor a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident (or not one you act for)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/preferred-helpers")]
pub async fn preferred_helpers(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<PreferredHelper>>, ApiError> {
    let staff = access::staff_or_resident::<JobTriage>(&user)?;
    let id = id.into_inner();
    let helpers = db::run(&pool, move |conn| {
        if !staff {
            access::acting_for(conn, &user, id)?;
        }
        store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        Ok(preferred::of_resident(conn, id, staff)?)
    })
    .await?;
    Ok(web::Json(helpers))
}

/// Stops asking for someone: planning no longer puts them higher for this resident.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Resident id"),
        ("wish_id" = i64, Path, description = "The wish, as listed"),
    ),
    responses(
        (status = 204, description = "No longer asked for"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither a werkleider nor a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such wish of this resident (or not one you act for)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}/preferred-helpers/{wish_id}")]
pub async fn withdraw_preferred_helper(
    user: AuthUser,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let staff = access::staff_or_resident::<JobTriage>(&user)?;
    let (id, wish) = path.into_inner();
    db::run_tx(&pool, move |conn| {
        if !staff {
            access::acting_for(conn, &user, id)?;
        }
        preferred::withdraw(conn, id, wish)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
