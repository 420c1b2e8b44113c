use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::queue::{self, WaitlistEntry};
use crate::request_query::Query;

#[derive(Debug, Deserialize, IntoParams)]
pub struct WaitlistQuery {
    pub service_id: Option<i64>,
    pub wijk: Option<String>,
}

/// The waiting list, per service in queue order.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(WaitlistQuery),
    responses(
        (status = 200, description = "Waitlisted jobs", body = Vec<WaitlistEntry>),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn waitlist(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    query: Query<WaitlistQuery>,
) -> Result<web::Json<Vec<WaitlistEntry>>, ApiError> {
    let WaitlistQuery { service_id, wijk } = query.into_inner();
    let wijk = wijk.filter(|w| !w.trim().is_empty());
    let entries = db::run(&pool, move |conn| queue::entries(conn, service_id, wijk, db::now())).await?;
    Ok(web::Json(entries))
}
