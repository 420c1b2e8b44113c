use actix_web::{HttpResponse, delete, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::ParticipantReaders;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::optional_note;
use crate::participants::{store, views};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoNotPairInput {
    pub other_participant_id: i64,
    /// Kept for staff; never shown to participants.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// Locks both participants of a pair, the lower id first, so two changes to one pair
/// never wait on each other crosswise.
fn lock_pair(conn: &mut DbConn, a: i64, b: i64) -> diesel::QueryResult<()> {
    store::lock(conn, a.min(b))?;
    store::lock(conn, a.max(b))
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
        lock_pair(conn, id, input.other_participant_id)?;
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

/// Lifts a do-not-pair note: the two may be sent together again. A coach lifts only notes
/// on their own caseload's participants.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Participant id"),
        ("other_participant_id" = i64, Path, description = "The participant they were not sent with"),
    ),
    responses(
        (status = 204, description = "Lifted"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider or coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant, or no such note between the two", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}/do-not-pair/{other_participant_id}")]
pub async fn remove_do_not_pair(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (user, (id, other)) = (staff.user, path.into_inner());
    db::run_tx(&pool, move |conn| {
        lock_pair(conn, id, other)?;
        views::readable(conn, &user, id)?;
        if store::remove_do_not_pair(conn, id, other)? {
            Ok(())
        } else {
            Err(ApiError::NotFound)
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
