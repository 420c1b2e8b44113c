use actix_web::{get, web};

use crate::catalogue::model::ServiceView;
use crate::catalogue::store;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};

/// One service, in its current version. Public.
#[utoipa::path(
    tag = "catalogue",
    params(("id" = i64, Path, description = "Service id")),
    responses(
        (status = 200, description = "The service", body = ServiceView),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}")]
pub async fn get_service(pool: web::Data<DbPool>, id: web::Path<i64>) -> Result<web::Json<ServiceView>, ApiError> {
    let id = id.into_inner();
    let (row, active) = db::run(&pool, move |conn| store::current(conn, id)?.ok_or(ApiError::NotFound)).await?;
    Ok(web::Json(ServiceView::of(row, active)))
}
