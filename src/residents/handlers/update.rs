use actix_web::{patch, web};

use crate::auth::RequireRole;
use crate::auth::extract::ResidentDesk;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::request_body::Json;
use crate::residents::input::ResidentPatch;
use crate::residents::model::{Audience, ResidentView};
use crate::residents::store;

/// Changes a resident's record. Absent fields stay; `null` clears an optional field.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    request_body = ResidentPatch,
    responses(
        (status = 200, description = "The changed resident", body = ResidentView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The resident's data was erased (resident_erased); the new name or address is that of someone registered already (resident_exists)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
pub async fn update_resident(
    _staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    settings: web::Data<JobSettings>,
    body: Json<ResidentPatch>,
) -> Result<web::Json<ResidentView>, ApiError> {
    let id = id.into_inner();
    let changes = body.into_inner().parse(clock::today(), &settings.service_area)?;
    let row = db::run_tx(&pool, move |conn| {
        store::hold(conn, id)?;
        store::find(conn, id)?
            .ok_or(ApiError::NotFound)?
            .still_recordable(None)?;
        let row = store::update(conn, id, &changes, db::now())?;
        // A new name, address or birth date must not make them someone registered already.
        if changes.name.is_some() || changes.address.is_some() || changes.birth_date.is_some() {
            store::refuse_second_record(
                conn,
                &row.postcode,
                &row.name,
                &row.house_number,
                row.birth_date,
                Some(id),
            )?;
        }
        Ok(row)
    })
    .await?;
    Ok(web::Json(ResidentView::of(row, Audience::Staff)))
}
