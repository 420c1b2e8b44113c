//! HTTP endpoints for privacy: the audit log, a resident's data export and erasure.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::ExportFor;
use super::audit::{self, AuditEntry};
use crate::auth::extract::CoordinatorOnly;
use crate::auth::{AuthState, RequireRole};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::pagination::{PageInfo, PageQuery};
use crate::request_body::Json;
use crate::request_query::Query;

/// Under `/api/v1/admin`.
pub fn admin_routes(cfg: &mut ServiceConfig) {
    cfg.service(audit_log);
}

/// Under `/api/v1/residents`.
pub fn residents_routes(cfg: &mut ServiceConfig) {
    cfg.service(export_resident).service(erase_resident);
}

/// Under `/api/v1/participants`.
pub fn participants_routes(cfg: &mut ServiceConfig) {
    cfg.service(export_participant).service(erase_participant);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// `resident:12` or `participant:3`.
    #[param(pattern = r"^(resident|participant):[0-9]+$", example = "resident:12")]
    pub subject: String,
    /// Include calls to the lists of residents or participants, which show this person
    /// among others (default true).
    pub lists: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// Who read or changed this person's data, newest first, a page at a time.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(AuditQuery, PageQuery),
    responses(
        (status = 200, description = "A page of entries", body = AuditPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a subject", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn audit_log(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    query: Query<AuditQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<AuditPage>, ApiError> {
    let AuditQuery { subject, lists } = query.into_inner();
    let parsed = subject
        .split_once(':')
        .and_then(|(kind, id)| Some((kind, id.parse::<i64>().ok()?)))
        .filter(|(kind, _)| ["resident", "participant"].contains(kind));
    let Some((kind, id)) = parsed else {
        return Err(ApiError::validation(
            "subject",
            "invalid_subject",
            "a subject looks like resident:12 or participant:3",
        ));
    };
    let (kind, lists, page) = (kind.to_owned(), lists.unwrap_or(true), page.into_inner());
    let (items, total) = db::run_snapshot(&pool, move |conn| {
        Ok(audit::for_subject(conn, &kind, id, lists, &page)?)
    })
    .await?;
    Ok(web::Json(AuditPage {
        items,
        page: PageInfo::new(&page, total),
    }))
}

/// Everything held about a resident, as JSON, for a data-subject access request.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "The resident's data", body = Object),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/export")]
pub async fn export_resident(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let data = db::run_snapshot(&pool, move |conn| {
        super::export::resident(conn, id, ExportFor::Coordinator)
    })
    .await?;
    Ok(download(&format!("resident-{id}.json"), data))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseInput {
    #[schema(schema_with = confirmation)]
    pub confirm: bool,
}

fn confirmation() -> utoipa::openapi::schema::Object {
    crate::schema_forms::must_be_true("Must be true: erasure cannot be undone.")
}

impl EraseInput {
    fn confirmed(&self) -> Result<(), ApiError> {
        if self.confirm {
            return Ok(());
        }
        Err(ApiError::validation(
            "confirm",
            "confirmation_required",
            "erasure cannot be undone: send confirm true",
        ))
    }
}

/// A data export as a JSON file to save.
pub(super) fn download(filename: &str, data: serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{filename}\"")))
        .json(data)
}

/// Erases a resident's personal data on their request. Financial records (purchases,
/// cheques, the journal, billed minutes) are kept for the fiscal retention period without
/// a name; everything else that identifies the resident is removed or blanked.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    request_body = EraseInput,
    responses(
        (status = 204, description = "Erased"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Erased already, or jobs still to be done (open_jobs)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not confirmed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/erase")]
pub async fn erase_resident(
    _coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<EraseInput>,
) -> Result<HttpResponse, ApiError> {
    body.confirmed()?;
    let id = id.into_inner();
    db::run_tx(&pool, move |conn| super::erase::resident(conn, id, db::now())).await?;
    // Their account's access tokens stop working now, not when they run out.
    auth.revocations.reload_now(&pool).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Everything held about a participant, as JSON, for a data-subject access request.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "The participant's data", body = Object),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/export")]
pub async fn export_participant(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let data = db::run_snapshot(&pool, move |conn| {
        super::participant::export(conn, id, ExportFor::Coordinator)
    })
    .await?;
    Ok(download(&format!("participant-{id}.json"), data))
}

/// Erases a participant's personal and welfare data on their request; hours worked and
/// bonus statements stay for the fiscal period without a name.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    request_body = EraseInput,
    responses(
        (status = 204, description = "Erased"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Erased already, or planned for work not done yet (planned_work)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not confirmed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/erase")]
pub async fn erase_participant(
    _coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<EraseInput>,
) -> Result<HttpResponse, ApiError> {
    body.confirmed()?;
    let id = id.into_inner();
    db::run_tx(&pool, move |conn| super::participant::erase(conn, id, db::now())).await?;
    // Their account's access tokens stop working now, not when they run out.
    auth.revocations.reload_now(&pool).await;
    Ok(HttpResponse::NoContent().finish())
}
