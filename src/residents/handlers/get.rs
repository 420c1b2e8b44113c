use actix_web::{get, web};

use crate::auth::RequireRole;
use crate::auth::extract::ResidentDesk;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::residents::model::{Audience, ResidentView};
use crate::residents::store;

/// One resident, as staff see them.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "The resident", body = ResidentView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}")]
pub async fn get_resident(
    _staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<ResidentView>, ApiError> {
    let id = id.into_inner();
    let row = db::run(&pool, move |conn| store::find(conn, id)?.ok_or(ApiError::NotFound)).await?;
    Ok(web::Json(ResidentView::of(row, Audience::Staff)))
}
