use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{AuthUser, Role};
use crate::catalogue::model::ServiceView;
use crate::catalogue::store;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::read_cache::{self, ReadCache};
use crate::request_query::Query;

#[derive(Debug, Deserialize, IntoParams)]
pub struct CatalogueQuery {
    /// Also list inactive services (coordinator only).
    pub include_inactive: Option<bool>,
}

/// What can be ordered. Public: the front end shows it before anyone signs up. Services
/// that are not on the list agreed with local entrepreneurs are shown with the reason.
#[utoipa::path(
    tag = "catalogue",
    params(CatalogueQuery),
    responses(
        (status = 200, description = "The catalogue", body = Vec<ServiceView>),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Inactive services are for the coordinator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_services(
    req: HttpRequest,
    user: Option<AuthUser>,
    pool: web::Data<DbPool>,
    cache: web::Data<ReadCache>,
    query: Query<CatalogueQuery>,
) -> Result<HttpResponse, ApiError> {
    let include_inactive = query.include_inactive.unwrap_or(false);
    if include_inactive && !user.is_some_and(|u| u.is(Role::Coordinator)) {
        return Err(ApiError::Forbidden);
    }
    let read = async move {
        let rows = db::run(&pool, move |conn| Ok(store::list(conn, include_inactive)?)).await?;
        Ok(rows
            .into_iter()
            .map(|(row, active)| ServiceView::of(row, active))
            .collect::<Vec<_>>())
    };
    if include_inactive {
        // Only the public list is kept; the coordinator's full list is always read fresh.
        return Ok(HttpResponse::Ok().json(read.await?));
    }
    let mut response = read_cache::json(&cache, &req, "services".into(), read).await?;
    // Public data: browsers may keep it, as long as they ask whether it changed (the
    // ETag) before using it. Everything else is `no-store`.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache"));
    Ok(response)
}
