use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::ParticipantReaders;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::optional_note;
use crate::participants::{store, views};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoNotPairInput {
    pub other_participant_id: i64,
    /// Kept for staff; never shown to participants.
    pub reason: Option<String>,
}

/// Records that two participants are not to be sent together.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    request_body = DoNotPairInput,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider or coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The same participant twice", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/do-not-pair")]
pub async fn add_do_not_pair(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<DoNotPairInput>,
) -> Result<HttpResponse, ApiError> {
    let (user, id, input) = (staff.user, id.into_inner(), body.into_inner());
    if input.other_participant_id == id {
        return Err(ApiError::validation(
            "other_participant_id",
            "same_participant",
            "name another participant",
        ));
    }
    let reason = optional_note(input.reason, "reason")?;
    db::run_tx(&pool, move |conn| {
        for p in [id.min(input.other_participant_id), id.max(input.other_participant_id)] {
            store::lock(conn, p)?;
        }
        views::readable(conn, &user, id)?;
        store::recordable(conn, id)?;
        store::find(conn, input.other_participant_id)?.ok_or_else(|| {
            ApiError::validation("other_participant_id", "unknown_participant", "no such participant")
        })?;
        Ok(store::add_do_not_pair(
            conn,
            id,
            input.other_participant_id,
            reason.as_deref(),
            user.id,
            db::now(),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
