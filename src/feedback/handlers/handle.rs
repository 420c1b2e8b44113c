use actix_web::{HttpRequest, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::catalogue::store as catalogue;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::feedback::model::{FeedbackItem, FeedbackKind};
use crate::feedback::{give, mails, rules, store};
use crate::jobs::store as jobs;
use crate::privacy::audit_trail;
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandledInput {
    /// What was done about it (talked with the resident, with the crew, …), for staff.
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub note: String,
    /// What to tell the resident: shown to them and put in the message they get. Without
    /// it they hear that the complaint was handled and that they can call the servicepunt.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub reply: Option<String>,
}

/// Marks a complaint handled, with what was done. The resident sees that it was handled
/// and the reply, not the note, and is told by mail (or on the call sheet without an
/// address), as is a family member who made the complaint for them. The audit log records
/// it against the resident.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Feedback id")),
    request_body = HandledInput,
    responses(
        (status = 200, description = "Handled", body = FeedbackItem),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider or the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such feedback", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A compliment (not_a_complaint), or handled already (already_handled)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No note, or the note or reply too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/handled")]
pub async fn mark_handled(
    req: HttpRequest,
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<HandledInput>,
) -> Result<web::Json<FeedbackItem>, ApiError> {
    let (by, id) = (staff.id, id.into_inner());
    let input = body.into_inner();
    let (note, reply) = rules::handled(&input.note, input.reply.as_deref())?;
    let item = db::run_tx(&pool, move |conn| {
        let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if row.kind() != FeedbackKind::Complaint {
            return Err(ApiError::conflict(
                "not_a_complaint",
                "a compliment is passed on, not handled",
            ));
        }
        if !store::mark_handled(conn, id, by, &note, reply.as_deref(), db::now())? {
            return Err(ApiError::conflict(
                "already_handled",
                "this complaint was handled already",
            ));
        }
        let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let job = jobs::find(conn, row.job_id)?.ok_or(ApiError::NotFound)?;
        let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
        mails::handled(conn, &job, &service, &row)?;
        give::item(conn, row, &job)
    })
    .await?;
    audit_trail::name_subject(&req, item.recipient_id);
    Ok(web::Json(item))
}
