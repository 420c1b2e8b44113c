use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::CoordinatorOnly;
use crate::auth::staff_accounts::{self, HandedOver};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

const OPERATION: &str = "POST /api/v1/admin/users/{id}/caseload-handover";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseloadHandover {
    /// The account id of the active trajectbegeleider who takes the caseload over.
    pub to: i64,
}

/// Hands all participants coached by this account to another trajectbegeleider, in one
/// go: when a coach leaves (disable the account too) or their caseload moves. Each
/// participant moved has an entry in the audit log. Their intake times to come go along,
/// booked or free, except those overlapping the new coach's own, which stay (counted) for
/// the coordinator to rebook.
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id of the coach the caseload is handed over from")),
    request_body = CaseloadHandover,
    responses(
        (status = 200, description = "Handed over", body = HandedOver),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such staff account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` is not an active trajectbegeleider (unknown_coach) or is this account (same_coach)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/caseload-handover")]
pub async fn hand_over_caseload(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<CaseloadHandover>,
) -> Result<web::Json<HandedOver>, ApiError> {
    let (by, from, to) = (coordinator.user, id.into_inner(), body.into_inner().to);
    let handed_over = db::run_tx(&pool, move |conn| {
        staff_accounts::hand_over_caseload(conn, &by, from, to, OPERATION)
    })
    .await?;
    tracing::info!(from, to, moved = handed_over.moved, by = by.id, "caseload handed over");
    Ok(web::Json(handed_over))
}
