use actix_web::{patch, web};

use crate::auth::RequireRole;
use crate::auth::extract::CoordinatorOnly;
use crate::catalogue::input::{ServicePatch, ServiceTerms};
use crate::catalogue::model::ServiceView;
use crate::catalogue::store;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::request_body::Json;

/// Changes a service. Changed terms become a new version; jobs already ordered keep theirs.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Service id")),
    request_body = ServicePatch,
    responses(
        (status = 200, description = "The service as it is now", body = ServiceView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid terms", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
pub async fn update_service(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: Json<ServicePatch>,
) -> Result<web::Json<ServiceView>, ApiError> {
    let id = id.into_inner();
    let patch = body.into_inner();
    let by = coordinator.id;
    let (row, active) = db::run_tx(&pool, move |conn| {
        store::lock(conn, id)?;
        let (current, active) = store::current(conn, id)?.ok_or(ApiError::NotFound)?;
        let (terms, new_active) = patch.clone().apply(&ServiceTerms::from(&current));
        let row = match terms {
            Some(terms) => {
                let terms = terms.validate(|c| settings.five_hour.for_category(c).limit_minutes)?;
                store::add_version(conn, id, &terms, Some(by), db::now())?
            }
            None => current,
        };
        if let Some(a) = new_active {
            store::set_active(conn, id, a)?;
        }
        Ok((row, new_active.unwrap_or(active)))
    })
    .await?;
    Ok(web::Json(ServiceView::of(row, active)))
}
