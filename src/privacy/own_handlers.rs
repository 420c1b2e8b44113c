//! A person's own copy of their data, from the app (AVG art. 15), without waiting for the
//! coordinator: a resident's from their account, a participant's from theirs. The notes
//! staff write about them are left out and named, so they know to ask for them.

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::ExportFor;
use super::handlers::download;
use crate::auth::RequireRole;
use crate::auth::extract::{ParticipantAccount, ResidentAccount};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};

/// Under `/api/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig) {
    cfg.service(own_resident_export).service(own_participant_export);
}

/// Everything held about you as a resident, as a JSON file to save: your record, account,
/// reduced-rate periods, proxies, jobs, recurring visits, compliments and complaints, keys,
/// cheques, purchases and the messages sent to you. `withheld` names what is left out
/// (the notes staff keep), which the servicepunt gives on request.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your data", body = Object),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no resident record", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/export")]
pub async fn own_resident_export(
    user: RequireRole<ResidentAccount>,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, ApiError> {
    let user_id = user.id;
    let data = db::run_snapshot(&pool, move |conn| {
        let own = crate::residents::store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        super::export::resident(conn, own.id, ExportFor::Subject)
    })
    .await?;
    Ok(download("my-data.json", data))
}

/// Everything held about you as a participant, as a JSON file to save: your profile,
/// trajectories with their plans and reviews, ramp-up, attendance, absences, hours, bonus
/// statements and the compliments passed on to you. `withheld` names what is left out
/// (the werkleiders' notes with your attendance, and your coach's questions to the
/// sociale dienst with its answers), which the servicepunt gives on request.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your data", body = Object),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no participant record", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participant/export")]
pub async fn own_participant_export(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, ApiError> {
    let user_id = user.id;
    let data = db::run_snapshot(&pool, move |conn| {
        let own = crate::participants::store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        super::participant::export(conn, own.id, ExportFor::Subject)
    })
    .await?;
    Ok(download("my-data.json", data))
}
