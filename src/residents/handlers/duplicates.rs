//! The desk's list of records that look like one person, and its decisions on them (see
//! `residents::duplicates`).

use actix_web::{HttpRequest, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::ResidentDesk;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::privacy::audit_trail;
use crate::request_body::Json;
use crate::residents::duplicates::{self, DuplicateDecision, PossibleDuplicate};
use crate::residents::merge;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    #[schema(schema_with = checked)]
    pub checked_with_resident: bool,
}

fn checked() -> utoipa::openapi::schema::Object {
    crate::schema_forms::must_be_true(
        "Must be true: you checked with the resident (by the phone number on the desk's record, or in person) \
         that the app registration is theirs. The merge gives the app's account the record's cheques, and \
         cannot be undone.",
    )
}

/// Records that look like one person: a resident registered at the desk who registered
/// in the app as well (or changed their name or address there to the desk's), oldest
/// first. The registrant was told nothing. Check with the resident, by the phone number
/// on the desk's record, that the app registration is theirs; then merge, or say they
/// are two people.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The pairs waiting for a decision", body = [PossibleDuplicate]),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the resident desk", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn possible_duplicates(
    _staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<PossibleDuplicate>>, ApiError> {
    Ok(web::Json(db::run(&pool, |conn| Ok(duplicates::open(conn)?)).await?))
}

/// One person: the app's record is merged into the desk's. Its jobs, series, cheques,
/// sales, online payments, eligibility, family members, keys and preferred helpers come
/// onto the desk's record; the app's account logs in to it; the details the desk's
/// record lacks are taken over (its name, address and language stay; where both have a
/// phone number, the desk's stays, so change it afterwards if the app's is the one to
/// call); the app's record goes. Only after checking with the resident
/// (`checked_with_resident`): the account gets the record's cheques.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Pair id")),
    request_body = MergeInput,
    responses(
        (status = 200, description = "Merged; the desk's record as it is now", body = DuplicateDecision),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the resident desk", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pair", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already (already_decided), a record's data was erased (resident_erased), or both records have an account (both_have_accounts)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not checked with the resident (confirmation_required)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/merge")]
pub async fn merge_duplicate(
    staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    id: web::Path<i64>,
    body: Json<MergeInput>,
) -> Result<web::Json<DuplicateDecision>, ApiError> {
    if !body.checked_with_resident {
        return Err(ApiError::validation(
            "checked_with_resident",
            "confirmation_required",
            "check with the resident that the app registration is theirs first, then send true",
        ));
    }
    let (id, by) = (id.into_inner(), staff.user.id);
    let (decision, records) = db::run_tx(&pool, move |conn| merge::merge(conn, id, by)).await?;
    audit_trail::name_subjects(&req, records);
    tracing::info!(pair = id, by, "resident records merged");
    Ok(web::Json(decision))
}

/// Two people of one name at one address: the pair is closed and not brought up again.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Pair id")),
    responses(
        (status = 200, description = "Told apart", body = DuplicateDecision),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the resident desk", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pair", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already (already_decided)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/different-people")]
pub async fn tell_apart(
    staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    id: web::Path<i64>,
) -> Result<web::Json<DuplicateDecision>, ApiError> {
    let (id, by) = (id.into_inner(), staff.user.id);
    let (decision, records) = db::run_tx(&pool, move |conn| duplicates::tell_apart(conn, id, by)).await?;
    audit_trail::name_subjects(&req, records);
    Ok(web::Json(decision))
}
