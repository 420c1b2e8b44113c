//! Liveness, readiness and metrics for operators and load balancers.

use actix_web::{HttpRequest, HttpResponse, get, web};
use diesel::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::metrics::Metrics;
use crate::metrics_access::MetricsAccess;
use crate::notify::outbox;

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthStatus {
    #[schema(example = "ok")]
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyStatus {
    #[schema(example = "ready")]
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = HealthStatus)))]
#[get("/health")]
pub async fn health() -> web::Json<HealthStatus> {
    web::Json(HealthStatus { status: "ok".into() })
}

/// The service can reach its database.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = ReadyStatus),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ready")]
pub async fn ready(pool: web::Data<DbPool>) -> Result<web::Json<ReadyStatus>, ApiError> {
    let backend = db::run(&pool, |conn| {
        diesel::sql_query("SELECT 1").execute(conn).map_err(|e| {
            tracing::warn!(error = %e, "readiness query failed");
            ApiError::DatabaseUnavailable
        })?;
        Ok(conn.backend())
    })
    .await?;
    Ok(web::Json(ReadyStatus {
        status: "ready".into(),
        database: backend.to_string(),
    }))
}

/// Request counts and latencies in the Prometheus text format. With
/// `SERVICEPUNT_METRICS_TOKEN` set, only for `Authorization: Bearer <that token>`; without
/// it open outside production and off (404) in production.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain"),
        (status = 401, description = "The metrics token is missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Metrics are off (production without a token)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    req: HttpRequest,
    access: web::Data<MetricsAccess>,
    metrics: web::Data<Metrics>,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, ApiError> {
    access.check(&req)?;
    // Without the database the request metrics are still worth having.
    let outbox = db::run(&pool, |conn| Ok(outbox::counts(conn)?))
        .await
        .unwrap_or_default();
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render(&outbox)))
}
