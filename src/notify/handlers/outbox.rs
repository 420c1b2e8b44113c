use actix_web::{get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::CoordinatorOnly;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::notify::outbox::{self, OutboxRow};
use crate::pagination::{PageInfo, PageQuery};
use crate::request_query::Query;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutboxStatus {
    Pending,
    Sending,
    Sent,
    Dead,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OutboxQuery {
    /// Only messages in this state.
    #[param(inline)]
    pub status: Option<OutboxStatus>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxPage {
    pub items: Vec<OutboxRow>,
    #[serde(flatten)]
    pub page: PageInfo,
}

fn status_name(s: OutboxStatus) -> &'static str {
    match s {
        OutboxStatus::Pending => outbox::PENDING,
        OutboxStatus::Sending => outbox::SENDING,
        OutboxStatus::Sent => outbox::SENT,
        OutboxStatus::Dead => outbox::DEAD,
    }
}

/// The outbox, newest first: what was sent, what waits, what gave up (`status=dead`).
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    params(OutboxQuery, PageQuery),
    responses(
        (status = 200, description = "A page of messages", body = OutboxPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/outbox")]
pub async fn list_outbox(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    query: Query<OutboxQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<OutboxPage>, ApiError> {
    let status = query.status.map(status_name);
    let page = page.into_inner();
    let (items, total) = db::run_snapshot(&pool, move |conn| Ok(outbox::list(conn, status, &page)?)).await?;
    Ok(web::Json(OutboxPage {
        items,
        page: PageInfo::new(&page, total),
    }))
}

/// Gives a dead message a fresh set of attempts.
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Outbox message id")),
    responses(
        (status = 200, description = "Queued again", body = OutboxRow),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such message", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The message is not dead", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/outbox/{id}/retry")]
pub async fn retry_message(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<OutboxRow>, ApiError> {
    let id = id.into_inner();
    let row = db::run_tx(&pool, move |conn| {
        outbox::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !outbox::retry_dead(conn, id, db::now())? {
            return Err(ApiError::conflict("not_dead", "only a dead message can be retried"));
        }
        outbox::find(conn, id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(row))
}
