use std::time::Instant;

use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{AuthUser, Role};
use crate::catalogue::cache::CatalogueCache;
use crate::catalogue::model::ServiceView;
use crate::catalogue::store;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};

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
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Inactive services are for the coordinator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_services(
    user: Option<AuthUser>,
    pool: web::Data<DbPool>,
    cache: web::Data<CatalogueCache>,
    query: web::Query<CatalogueQuery>,
) -> Result<HttpResponse, ApiError> {
    let include_inactive = query.include_inactive.unwrap_or(false);
    if include_inactive && !user.is_some_and(|u| u.is(Role::Coordinator)) {
        return Err(ApiError::Forbidden);
    }
    // Only the public list is kept; the coordinator's full list is always read fresh.
    let public = !include_inactive;
    let _turn = if public {
        if let Some(body) = cache.get(Instant::now()) {
            return Ok(json(body));
        }
        match (cache.expired(), cache.try_turn()) {
            // Only the time has run out: one request reads the list again, the others
            // get the kept one meanwhile rather than all waiting for it.
            (Some(body), None) => return Ok(json(body)),
            (_, Some(turn)) => Some(turn),
            (None, None) => {
                let turn = cache.turn().await;
                // Whoever had the turn before may have just read it.
                if let Some(body) = cache.get(Instant::now()) {
                    return Ok(json(body));
                }
                Some(turn)
            }
        }
    } else {
        None
    };
    let generation = cache.generation();
    let rows = db::run(&pool, move |conn| Ok(store::list(conn, include_inactive)?)).await?;
    let views: Vec<ServiceView> = rows
        .into_iter()
        .map(|(row, active)| ServiceView::of(row, active))
        .collect();
    let body = Bytes::from(serde_json::to_vec(&views).map_err(ApiError::internal)?);
    if public {
        cache.keep(generation, body.clone(), Instant::now());
    }
    Ok(json(body))
}

fn json(body: Bytes) -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(body)
}
