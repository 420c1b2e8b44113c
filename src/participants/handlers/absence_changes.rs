//! Changing an absence after it was recorded: a participant reported back sooner (or stays
//! away longer), or an absence was recorded by mistake.

use actix_web::{HttpResponse, delete, patch, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::absences::AbsenceRecorded;
use crate::auth::RequireRole;
use crate::auth::extract::ParticipantDesk;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::participants::model::Absence;
use crate::participants::store;
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceChange {
    /// The new last day (inclusive), not before the first: the day before the participant
    /// is back, or later for a longer absence.
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub ends_on: NaiveDate,
}

/// The participant's absence, locked with the participant, once they are still on record.
fn locked(conn: &mut DbConn, participant_id: i64, absence_id: i64) -> Result<Absence, ApiError> {
    store::lock(conn, participant_id)?;
    store::recordable(conn, participant_id)?;
    store::find_absence(conn, participant_id, absence_id)?.ok_or(ApiError::NotFound)
}

/// Moves the last day of an absence: reported back sooner, or away for longer. The answer
/// lists the work planned on the days it now covers.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Participant id"),
        ("absence_id" = i64, Path, description = "Absence id"),
    ),
    request_body = AbsenceChange,
    responses(
        (status = 200, description = "Changed, with the planned work it affects", body = AbsenceRecorded),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant, or no such absence of theirs", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The last day before the first (period_reversed): withdraw the absence instead", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}/absences/{absence_id}")]
pub async fn change_absence(
    _staff: RequireRole<ParticipantDesk>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
    body: Json<AbsenceChange>,
) -> Result<web::Json<AbsenceRecorded>, ApiError> {
    let ((id, absence_id), ends_on) = (path.into_inner(), body.into_inner().ends_on);
    let changed = db::run_tx(&pool, move |conn| {
        let absence = locked(conn, id, absence_id)?;
        if ends_on < absence.starts_on {
            return Err(ApiError::validation(
                "ends_on",
                "period_reversed",
                format!(
                    "the absence starts on {}: to take it back, withdraw it",
                    absence.starts_on
                ),
            ));
        }
        let absence = store::set_absence_end(conn, absence.id, ends_on)?;
        AbsenceRecorded::with_planned_work(conn, absence)
    })
    .await?;
    Ok(web::Json(changed))
}

/// Withdraws an absence recorded by mistake: planning counts on the participant on its
/// days again.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Participant id"),
        ("absence_id" = i64, Path, description = "Absence id"),
    ),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant, or no such absence of theirs", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}/absences/{absence_id}")]
pub async fn withdraw_absence(
    _staff: RequireRole<ParticipantDesk>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, absence_id) = path.into_inner();
    db::run_tx(&pool, move |conn| {
        let absence = locked(conn, id, absence_id)?;
        Ok(store::delete_absence(conn, absence.id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
