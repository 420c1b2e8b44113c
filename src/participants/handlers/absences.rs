use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::ParticipantDesk;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::optional_note;
use crate::participants::model::Absence;
use crate::participants::store::{self, NewAbsence};
use crate::planning::assignment_store::{self, AssignmentRow};
use crate::request_body::Json;
use crate::responses;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceKind {
    Sick,
    Training,
    Appointment,
    Leave,
}

impl AbsenceKind {
    fn as_str(self) -> &'static str {
        match self {
            AbsenceKind::Sick => "sick",
            AbsenceKind::Training => "training",
            AbsenceKind::Appointment => "appointment",
            AbsenceKind::Leave => "leave",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceInput {
    pub kind: AbsenceKind,
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub starts_on: NaiveDate,
    /// Inclusive; defaults to `starts_on`.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub ends_on: Option<NaiveDate>,
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// An absence as recorded, with the work it leaves without this participant.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenceRecorded {
    #[serde(flatten)]
    pub absence: Absence,
    /// Work planned for the participant on these days and not started, earliest first:
    /// it needs someone else (the board marks it `absent`).
    pub planned_work: Vec<AssignmentRow>,
}

impl AbsenceRecorded {
    /// The absence with the participant's work planned on its days.
    pub fn with_planned_work(conn: &mut DbConn, absence: Absence) -> Result<Self, ApiError> {
        let (id, first, last) = (absence.participant_id, absence.starts_on, absence.ends_on);
        let planned_work = assignment_store::scheduled_for(conn, id, first, last)?;
        Ok(AbsenceRecorded { absence, planned_work })
    }
}

/// Records an absence (sick, training, appointment, leave); planning leaves those days
/// out. The answer lists the work already planned on them, for the werkleider to re-plan.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    request_body = AbsenceInput,
    responses(
        (status = 201, description = "Recorded, with the planned work it affects", body = AbsenceRecorded, headers(("Location" = String, description = "The new absence's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Period reversed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/absences")]
pub async fn add_absence(
    staff: RequireRole<ParticipantDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<AbsenceInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, input, by) = (id.into_inner(), body.into_inner(), staff.id);
    let ends_on = input.ends_on.unwrap_or(input.starts_on);
    if ends_on < input.starts_on {
        return Err(ApiError::validation(
            "ends_on",
            "period_reversed",
            "the end is before the start",
        ));
    }
    let note = optional_note(input.note, "note")?;
    let absence = db::run_tx(&pool, move |conn| {
        store::lock(conn, id)?;
        store::recordable(conn, id)?;
        let new = NewAbsence {
            participant_id: id,
            kind: input.kind.as_str(),
            starts_on: input.starts_on,
            ends_on,
            note: note.as_deref(),
            created_by: by,
        };
        let absence = store::add_absence(conn, &new, db::now())?;
        AbsenceRecorded::with_planned_work(conn, absence)
    })
    .await?;
    let at = format!("/api/v1/participants/{id}/absences");
    Ok(responses::created_at(&at, absence.absence.id, &absence))
}
