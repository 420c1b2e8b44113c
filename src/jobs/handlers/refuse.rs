use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::optional_note;
use crate::jobs::model::JobView;
use crate::jobs::{store, triage, views};
use crate::request_body::Json;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// A local business would do this work.
    Competition,
    OutOfArea,
    NotAllowed,
    Capacity,
    Other,
}

impl RefusalCode {
    fn as_str(self) -> &'static str {
        match self {
            RefusalCode::Competition => "competition",
            RefusalCode::OutOfArea => "out_of_area",
            RefusalCode::NotAllowed => "not_allowed",
            RefusalCode::Capacity => "capacity",
            RefusalCode::Other => "other",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefuseInput {
    pub reason_code: RefusalCode,
    /// For staff and the competition report; required with `other`.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Refuses a requested job; the resident is told why in plain words.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    request_body = RefuseInput,
    responses(
        (status = 200, description = "Refused", body = JobView),
        (status = 400, description = "Malformed body or unknown reason code", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not requested (invalid_transition)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A note is required", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/refuse")]
pub async fn refuse_job(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<RefuseInput>,
) -> Result<web::Json<JobView>, ApiError> {
    let id = id.into_inner();
    let RefuseInput { reason_code, note } = body.into_inner();
    let note = optional_note(note, "note")?;
    if matches!(reason_code, RefusalCode::Other) && note.is_none() {
        return Err(ApiError::validation(
            "note",
            "required",
            "say why when the reason is 'other'",
        ));
    }
    let actor = staff.id;
    let view = db::run_tx(&pool, move |conn| {
        let job = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        let refused = triage::refuse(conn, &job, actor, reason_code.as_str(), note.as_deref(), now)?;
        views::view_one(conn, refused, true, now)
    })
    .await?;
    Ok(web::Json(view))
}
