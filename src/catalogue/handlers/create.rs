use actix_web::{HttpResponse, post, web};

use crate::auth::RequireRole;
use crate::auth::extract::CoordinatorOnly;
use crate::catalogue::input::ServiceInput;
use crate::catalogue::model::ServiceView;
use crate::catalogue::store;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::request_body::Json;
use crate::responses;

/// Adds a service to the catalogue.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    request_body = ServiceInput,
    responses(
        (status = 201, description = "Added", body = ServiceView, headers(("Location" = String, description = "The new service's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid terms (a klus around the home over five hours included)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create_service(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<ServiceInput>,
) -> Result<HttpResponse, ApiError> {
    let (terms, active) = body.into_inner().into_terms();
    let terms = terms.validate(|c| settings.five_hour.for_category(c).limit_minutes)?;
    let by = coordinator.id;
    let row = db::run_tx(&pool, move |conn| {
        Ok(store::create(conn, &terms, active, Some(by), db::now())?)
    })
    .await?;
    Ok(responses::created_at(
        "/api/v1/services",
        row.service_id,
        &ServiceView::of(row, active),
    ))
}
