//! A resident's own record, and the residents they act for as proxy.

use actix_web::{get, patch, web};

use crate::auth::RequireRole;
use crate::auth::extract::ResidentAccount;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::request_body::Json;
use crate::residents::duplicates;
use crate::residents::input::{OwnResidentPatch, ResidentPatch};
use crate::residents::model::{Audience, ResidentView};
use crate::residents::{proxies, store};

/// The caller's own resident record (without staff notes).
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your record", body = ResidentView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no resident record", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident")]
pub async fn get_own_resident(
    user: RequireRole<ResidentAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<ResidentView>, ApiError> {
    let user_id = user.id;
    let row = db::run(&pool, move |conn| {
        store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(ResidentView::of(row, Audience::Resident)))
}

/// Changes the caller's own name, phone, address or language. Birth date and wijk are
/// changed by staff, who check them.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    request_body = OwnResidentPatch,
    responses(
        (status = 200, description = "Your changed record", body = ResidentView),
        (status = 400, description = "Malformed body or a field you cannot change", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no resident record", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/resident")]
pub async fn update_own_resident(
    user: RequireRole<ResidentAccount>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<OwnResidentPatch>,
) -> Result<web::Json<ResidentView>, ApiError> {
    let user_id = user.id;
    let changes = ResidentPatch::from(body.into_inner()).parse(clock::today(), &settings.service_area)?;
    let row = db::run_tx(&pool, move |conn| {
        let own = store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        let row = store::update(conn, own.id, &changes, now)?;
        if changes.name.is_some() || changes.address.is_some() {
            // Now like a record the desk has: the desk is told, the resident is not.
            duplicates::note(conn, &row, now)?;
        }
        Ok(row)
    })
    .await?;
    Ok(web::Json(ResidentView::of(row, Audience::Resident)))
}

/// The residents the caller may act for as proxy (e.g. a parent).
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Residents you act for", body = Vec<ResidentView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/principals")]
pub async fn list_principals(
    user: RequireRole<ResidentAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<ResidentView>>, ApiError> {
    let user_id = user.id;
    let rows = db::run(&pool, move |conn| {
        let mut rows = Vec::new();
        for id in proxies::principals_of(conn, user_id)? {
            rows.extend(store::find(conn, id)?);
        }
        Ok(rows)
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|r| ResidentView::of(r, Audience::Resident))
            .collect(),
    ))
}
