//! Keys residents leave with the servicepunt: the desk records receipt and return, the
//! werkleiders see every key held and whether it should go back, the resident theirs
//! (and a family member who acts for them).

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::extract::{ResidentAccount, ResidentDesk};
use crate::auth::{AuthUser, RequireRole};
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::access;
use crate::request_body::Json;
use crate::residents::keys;
use crate::residents::keys_store::{self, HeldKey, KeyView};
use crate::residents::store;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyInput {
    /// The number on the key's tag, e.g. `S-12`: letters, digits and dashes, at most 12,
    /// never the address.
    #[schema(
        min_length = 1,
        max_length = 12,
        pattern = r"^[A-Za-z-]{0,11}[0-9][A-Za-z0-9-]{0,11}$"
    )]
    pub tag: String,
}

/// The resident `id`, who must exist.
fn resident(conn: &mut DbConn, id: i64) -> Result<(), ApiError> {
    store::find(conn, id)?.map(drop).ok_or(ApiError::NotFound)
}

/// Records a key the resident leaves with the servicepunt, under the number on its tag.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    request_body = KeyInput,
    responses(
        (status = 201, description = "Received", body = KeyView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A key held now carries this tag (tag_in_use), or the resident's data was erased (resident_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a tag number (invalid_tag)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/keys")]
pub async fn receive_key(
    staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<KeyInput>,
) -> Result<HttpResponse, ApiError> {
    let (by, id) = (staff.id, id.into_inner());
    let tag = keys::tag(&body.tag).map_err(|p| ApiError::validation("tag", p.code, p.message))?;
    let key = db::run_tx(&pool, move |conn| {
        store::hold(conn, id)?;
        store::find(conn, id)?
            .ok_or(ApiError::NotFound)?
            .still_recordable(None)?;
        keys_store::receive(conn, id, &tag, by, db::now())
    })
    .await?;
    Ok(HttpResponse::Created().json(key))
}

/// Records that a key went back to the resident. Given back already, nothing changes.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Resident id"),
        ("key_id" = i64, Path, description = "Key id"),
    ),
    responses(
        (status = 200, description = "Given back", body = KeyView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such key of this resident", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/keys/{key_id}/return")]
pub async fn return_key(
    staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<KeyView>, ApiError> {
    let (by, (id, key)) = (staff.id, path.into_inner());
    let key = db::run_tx(&pool, move |conn| keys_store::give_back(conn, id, key, by, db::now())).await?;
    Ok(web::Json(key))
}

/// A resident's keys, held and given back, newest first: for the desk, and for a family
/// member who acts for the resident (is mother's key still at the servicepunt?).
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "The keys", body = Vec<KeyView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither staff nor a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident (or not one you act for)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/keys")]
pub async fn resident_keys(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<KeyView>>, ApiError> {
    let staff = access::staff_or_resident::<ResidentDesk>(&user)?;
    let id = id.into_inner();
    let keys = db::run(&pool, move |conn| {
        if !staff {
            access::acting_for(conn, &user, id)?;
        }
        resident(conn, id)?;
        Ok(keys_store::of_resident(conn, id)?)
    })
    .await?;
    Ok(web::Json(keys))
}

/// Every key the servicepunt holds now: first those of residents with no work still to
/// be done (they go back), then the longest held.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The keys held", body = Vec<HeldKey>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn held_keys(
    _staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<HeldKey>>, ApiError> {
    let held = db::run(&pool, |conn| Ok(keys_store::held(conn)?)).await?;
    Ok(web::Json(held))
}

/// Your keys that the servicepunt holds or gave back, newest first.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your keys", body = Vec<KeyView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No resident profile for this account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/keys")]
pub async fn own_keys(
    user: RequireRole<ResidentAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<KeyView>>, ApiError> {
    let user_id = user.id;
    let keys = db::run(&pool, move |conn| {
        let me = store::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        Ok(keys_store::of_resident(conn, me.id)?)
    })
    .await?;
    Ok(web::Json(keys))
}
