use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::extract::FinanceDesk;
use crate::auth::{AuthUser, RequireRole};
use crate::cheques::sale::{self, CounterSale, Payment, SaleResult};
use crate::cheques::{receipt, store};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::idempotency;
use crate::jobs::access;
use crate::jobs::settings::JobSettings;
use crate::notify::{Renderer, Template};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleInput {
    pub cash_session_id: i64,
    pub resident_id: i64,
    pub product_id: i64,
    #[schema(minimum = 1, maximum = 50)]
    pub quantity: i64,
    pub payment_method: Payment,
}

/// Sells cheques at the counter in an open cash session: the reduced price when the
/// resident is 70 or older or has a Wmo period today. Returns the cheques with their
/// serials; confirmed jobs of the resident waiting for cheques are paid at once.
/// Send an `Idempotency-Key`: a retried sale is one sale.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(crate::idempotency::KeyHeader),
    request_body = SaleInput,
    responses(
        (status = 201, description = "Sold", body = SaleResult),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A sale with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No open session, unknown resident or product, no price, the yearly cap reached, or a reused key", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn sell_cheques(
    req: HttpRequest,
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (key, hash, input): (_, _, SaleInput) = idempotency::keyed(&req, body.into_inner())?;
    let by = staff.id;
    idempotency::run(&pool, by, key, hash, None, move |conn| {
        let request = CounterSale {
            cash_session_id: input.cash_session_id,
            resident_id: input.resident_id,
            product_id: input.product_id,
            quantity: input.quantity,
            payment: input.payment_method,
        };
        let result = sale::sell(conn, by, &request, &settings.subsidy, clock::today(), db::now())?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(result).map_err(ApiError::internal)?,
        ))
    })
    .await
}

/// The receipt of a sale, ready to print, in the resident's language: for finance, and for
/// the resident whose cheques it sold (or a family member who acts for them), who may
/// have lost the mailed one.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Sale id")),
    responses(
        (status = 200, description = "HTML, ready to print", body = String, content_type = "text/html"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither finance nor a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sale (or not of your cheques)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/receipt")]
pub async fn sale_receipt(
    user: AuthUser,
    pool: web::Data<DbPool>,
    renderer: web::Data<Renderer>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let finance = access::staff_or_resident::<FinanceDesk>(&user)?;
    let id = id.into_inner();
    let (language, data, _) = db::run(&pool, move |conn| {
        if !finance {
            let owner = store::sale_resident(conn, id)?.ok_or(ApiError::NotFound)?;
            access::acting_for(conn, &user, owner)?;
        }
        receipt::data(conn, id)
    })
    .await?;
    let page = renderer
        .render(Template::ChequeReceipt, language, &data)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.html))
}
