use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::planning::proposals::{self, Proposal};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// Today or later.
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub from: NaiveDate,
    /// Inclusive; at most 14 days after `from`.
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub to: NaiveDate,
}

/// Computes a plan for the waiting list over a period from today on; nothing starts sooner
/// than the planning lead (`SERVICEPUNT_PLANNING_LEAD_MINUTES`, two hours) from now, on a
/// quarter hour. Nothing is applied: review it, then apply all or some lines.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    request_body = ProposalInput,
    responses(
        (status = 201, description = "The proposal", body = Proposal),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from` or more than 14 days on (invalid_period); `from` before today (date_in_past)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/proposals")]
pub async fn create_proposal(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<ProposalInput>,
) -> Result<HttpResponse, ApiError> {
    let (actor, input) = (staff.id, body.into_inner());
    let proposal = db::run_tx(&pool, move |conn| {
        proposals::propose(conn, actor, input.from, input.to, &settings, db::now())
    })
    .await?;
    Ok(HttpResponse::Created().json(proposal))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    /// The lines to apply; all when left out.
    pub line_ids: Option<Vec<i64>>,
}

/// Applies a proposal in one transaction, checking every rule again; one broken rule
/// stops it all and names the line.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Proposal id")),
    request_body = ApplyInput,
    responses(
        (status = 200, description = "Applied", body = Proposal),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Applied already (already_applied), someone was planned meanwhile (participant_busy), or a chosen line's start has passed (start_passed)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A line breaks a rule now, or an unknown line", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/proposals/{id}/apply")]
pub async fn apply_proposal(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: Json<ApplyInput>,
) -> Result<web::Json<Proposal>, ApiError> {
    let (actor, id, only) = (staff.id, id.into_inner(), body.into_inner().line_ids);
    let proposal = db::run_tx(&pool, move |conn| {
        proposals::apply(conn, actor, id, only.as_deref(), &settings, db::now())
    })
    .await?;
    Ok(web::Json(proposal))
}
