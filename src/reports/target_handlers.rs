//! HTTP endpoints for the month's targets: the coordinator reads and sets them; the
//! monthly report shows how far the month got.

use actix_web::{get, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::targets::{self, Target, TargetInput};
use crate::auth::RequireRole;
use crate::auth::extract::CoordinatorOnly;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::ledger::periods::{invalid_month, parse_month};
use crate::request_body::Json;

/// Under `/api/v1/targets`.
pub fn targets_routes(cfg: &mut ServiceConfig) {
    cfg.service(month_target).service(set_month_target);
}

/// The month's targets for klussen, diensten and income, as set.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(("month" = String, Path, description = "`YYYY-MM`", example = "2026-11")),
    responses(
        (status = 200, description = "The targets", body = Target),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No targets set for this month", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a month (invalid_month)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{month}")]
pub async fn month_target(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    month: web::Path<String>,
) -> Result<web::Json<Target>, ApiError> {
    let month = month.into_inner();
    parse_month(&month).ok_or_else(invalid_month)?;
    let target = db::run(&pool, move |conn| {
        targets::find(conn, &month)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(target))
}

/// Sets the month's targets: minutes of klussen and of diensten to deliver, and income
/// from the services to earn. Set again, they replace what was set. Planning never looks
/// at them.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(("month" = String, Path, description = "`YYYY-MM`", example = "2026-11")),
    request_body = TargetInput,
    responses(
        (status = 200, description = "The targets as set", body = Target),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a month (invalid_month), or a figure below 0 or above its ceiling (out_of_range)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/{month}")]
pub async fn set_month_target(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    month: web::Path<String>,
    body: Json<TargetInput>,
) -> Result<web::Json<Target>, ApiError> {
    let (by, month) = (coordinator.id, month.into_inner());
    parse_month(&month).ok_or_else(invalid_month)?;
    let input = body.into_inner().check()?;
    let target = db::run_tx(&pool, move |conn| Ok(targets::set(conn, &month, input, by, db::now())?)).await?;
    Ok(web::Json(target))
}
