use actix_web::{HttpResponse, post, web};

use crate::auth::RequireRole;
use crate::auth::extract::ResidentDesk;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::request_body::Json;
use crate::residents::input::ResidentInput;
use crate::residents::model::{Audience, ResidentView};
use crate::residents::store;
use crate::responses;

/// Registers a resident at the desk (many elderly residents have no account of their own).
/// Someone registered already (the same name at the same address, unless both have a
/// birth date and the dates differ) is not registered again: 409 `resident_exists` names
/// their record.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    request_body = ResidentInput,
    responses(
        (status = 201, description = "Registered", body = ResidentView, headers(("Location" = String, description = "The new resident's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Registered already: the same name at the same address (resident_exists)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create_resident(
    _staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<ResidentInput>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().parse(clock::today(), &settings.service_area)?;
    let row = db::run_tx(&pool, move |conn| {
        let address = &new.address;
        let (postcode, house_number) = (address.postcode.as_str(), address.house_number.as_str());
        store::refuse_second_record(conn, postcode, new.name.as_str(), house_number, new.birth_date, None)?;
        Ok(store::insert(conn, &new, None, db::now())?)
    })
    .await?;
    Ok(responses::created_at(
        "/api/v1/residents",
        row.id,
        &ResidentView::of(row, Audience::Staff),
    ))
}
