//! HTTP endpoints for institutions and their monthly statements.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::statements::{self as monthly, InstitutionStatement};
use super::store::{self, Institution};
use crate::auth::RequireRole;
use crate::auth::extract::{CoordinatorOnly, FinanceDesk, ResidentDesk};
use crate::csv;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::ledger::periods::{invalid_month, parse_month};
use crate::request_body::Json;
use crate::request_query::Query;
use crate::responses;

/// Under `/api/v1/institutions`.
pub fn institutions_routes(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(update);
}

/// Under `/api/v1/finance`.
pub fn finance_routes(cfg: &mut ServiceConfig) {
    cfg.service(statements);
}

const MAX_RATE_CENTS: i64 = 100_000;

fn check_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation("name", "invalid_text", "1 to 100 characters"));
    }
    Ok(name)
}

fn check_rate(rate: i64) -> Result<i64, ApiError> {
    if !(1..=MAX_RATE_CENTS).contains(&rate) {
        return Err(ApiError::validation(
            "hourly_rate_cents",
            "invalid_rate",
            format!("an hourly rate is 1 to {MAX_RATE_CENTS} cents"),
        ));
    }
    Ok(rate)
}

fn name_taken() -> ApiError {
    ApiError::conflict("institution_exists", "an institution with this name exists")
}

/// Institutions that pay by invoice, by name.
#[utoipa::path(
    tag = "institutions",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Institutions", body = Vec<Institution>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list(
    _staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<Institution>>, ApiError> {
    Ok(web::Json(db::run(&pool, |conn| Ok(store::list(conn)?)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstitutionInput {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"\S",
        example = "Woonzorgcentrum De Hoven"
    )]
    pub name: String,
    #[schema(example = 3250, minimum = 1, maximum = 100000)]
    pub hourly_rate_cents: i64,
}

/// Adds an institution with its hourly rate.
#[utoipa::path(
    tag = "institutions",
    security(("bearer" = [])),
    request_body = InstitutionInput,
    responses(
        (status = 201, description = "Added", body = Institution, headers(("Location" = String, description = "The new institution's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or rate", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    body: Json<InstitutionInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let name = check_name(&input.name)?;
    let rate = check_rate(input.hourly_rate_cents)?;
    let created = db::run_tx(&pool, move |conn| {
        store::lock(conn)?;
        if store::name_taken(conn, &name, 0)? {
            return Err(name_taken());
        }
        Ok(store::insert(conn, &name, rate, db::now())?)
    })
    .await?;
    Ok(responses::created_at("/api/v1/institutions", created.id, &created))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstitutionPatch {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: Option<String>,
    /// Applies to jobs confirmed from now on; charges made keep their rate.
    #[schema(minimum = 1, maximum = 100000)]
    pub hourly_rate_cents: Option<i64>,
    pub active: Option<bool>,
}

/// Renames an institution, changes its rate or (de)activates it.
#[utoipa::path(
    tag = "institutions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Institution id")),
    request_body = InstitutionPatch,
    responses(
        (status = 200, description = "Changed", body = Institution),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such institution", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or rate", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
pub async fn update(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    path: web::Path<i64>,
    body: Json<InstitutionPatch>,
) -> Result<web::Json<Institution>, ApiError> {
    let (id, patch) = (path.into_inner(), body.into_inner());
    let name = patch.name.as_deref().map(check_name).transpose()?;
    let rate = patch.hourly_rate_cents.map(check_rate).transpose()?;
    let changed = db::run_tx(&pool, move |conn| {
        store::lock(conn)?;
        let mut i = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if let Some(name) = name.clone() {
            if store::name_taken(conn, &name, id)? {
                return Err(name_taken());
            }
            i.name = name;
        }
        if let Some(rate) = rate {
            i.hourly_rate_cents = rate;
        }
        if let Some(active) = patch.active {
            i.active = active;
        }
        Ok(store::update(conn, &i, db::now())?)
    })
    .await?;
    Ok(web::Json(changed))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatementQuery {
    /// `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-11")]
    pub month: String,
}

/// Each institution's statement for a month: every job charged to it, at its rate, with
/// the total to invoice. Institutions without charges are left out. `Accept: text/csv`
/// gives CSV.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(StatementQuery),
    responses(
        (status = 200, description = "Statements (JSON, or CSV with `Accept: text/csv`)", content((Vec<InstitutionStatement> = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a month", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/institution-statements")]
pub async fn statements(
    req: HttpRequest,
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    query: Query<StatementQuery>,
) -> Result<HttpResponse, ApiError> {
    let month = query.into_inner().month;
    let (first, next) = parse_month(&month).ok_or_else(invalid_month)?;
    let m = month.clone();
    let found = db::run_snapshot(&pool, move |conn| {
        Ok(monthly::group(&m, store::statement_rows(conn, first, next)?))
    })
    .await?;
    if csv::wanted(&req) {
        return Ok(csv::attachment(
            &format!("institutions-{month}.csv"),
            monthly::csv(&found),
        ));
    }
    Ok(HttpResponse::Ok().json(found))
}
