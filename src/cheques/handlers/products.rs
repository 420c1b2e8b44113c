use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::CoordinatorOnly;
use crate::cheques::store::{self, Product};
use crate::cheques::tariff::{self, Price};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    #[serde(flatten)]
    pub product: Product,
    /// Today's prices, if set.
    pub regular_cents: Option<i64>,
    pub reduced_cents: Option<i64>,
}

/// The cheques on sale with today's prices. Public: residents see what a cheque costs.
#[utoipa::path(
    tag = "cheques",
    responses((status = 200, description = "Cheque products", body = Vec<ProductView>))
)]
#[get("")]
pub async fn list_products(pool: web::Data<DbPool>) -> Result<web::Json<Vec<ProductView>>, ApiError> {
    let today = clock::today();
    let list = db::run(&pool, move |conn| {
        let mut out = Vec::new();
        for p in store::products(conn)? {
            let price = tariff::price_on(&store::prices(conn, p.id)?, today);
            out.push(ProductView {
                regular_cents: price.map(|x| x.regular_cents),
                reduced_cents: price.map(|x| x.reduced_cents),
                product: p,
            });
        }
        Ok(out)
    })
    .await?;
    Ok(web::Json(list))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S", example = "Servicecheque 1 uur")]
    pub name: String,
    #[schema(schema_with = face_minutes)]
    pub face_minutes: Option<i64>,
    #[schema(minimum = 0, maximum = 100000)]
    pub regular_cents: i64,
    #[schema(minimum = 0, maximum = 100000)]
    pub reduced_cents: i64,
    /// Default today.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub valid_from: Option<NaiveDate>,
    /// Reduced cheques one resident may buy per calendar year.
    #[schema(minimum = 1, maximum = 1000)]
    pub reduced_yearly_cap: Option<i64>,
    /// Months a cheque stays valid (1 to 60). Leave out for the default: until the end
    /// of the calendar year after the purchase.
    #[schema(minimum = 1, maximum = 60)]
    pub validity_months: Option<i64>,
}

fn face_minutes() -> utoipa::openapi::schema::Object {
    crate::schema_forms::optional_choice(&tariff::FACES, "15, 30 or 60 minutes; default 60.")
}

fn check_prices(regular: i64, reduced: i64) -> Result<(), ApiError> {
    if !(0..=100_000).contains(&regular) || !(0..=regular).contains(&reduced) {
        return Err(ApiError::validation(
            "reduced_cents",
            "invalid_price",
            "prices are 0 to 100000 cents and the reduced one is not above the regular one",
        ));
    }
    Ok(())
}

/// Adds a cheque product with its first price.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    request_body = ProductInput,
    responses(
        (status = 201, description = "Added", body = Product),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid product or prices", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create_product(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    body: Json<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let (by, input) = (coordinator.id, body.into_inner());
    let face = input.face_minutes.unwrap_or(60);
    if !tariff::FACES.contains(&face) {
        return Err(ApiError::validation(
            "face_minutes",
            "invalid_face",
            "a cheque is worth 15, 30 or 60 minutes",
        ));
    }
    check_prices(input.regular_cents, input.reduced_cents)?;
    if input.validity_months.is_some_and(|m| !(1..=60).contains(&m)) {
        return Err(ApiError::validation(
            "validity_months",
            "invalid_validity",
            "a cheque is valid 1 to 60 months",
        ));
    }
    if input.reduced_yearly_cap.is_some_and(|c| !(1..=1000).contains(&c)) {
        return Err(ApiError::validation(
            "reduced_yearly_cap",
            "invalid_cap",
            "a yearly cap is 1 to 1000 cheques",
        ));
    }
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation("name", "invalid_text", "1 to 100 characters"));
    }
    let from = input.valid_from.unwrap_or_else(clock::today);
    let product = db::run_tx(&pool, move |conn| {
        let now = db::now();
        let p = store::create_product(
            conn,
            &store::NewProduct {
                name: &name,
                face_minutes: face,
                reduced_yearly_cap: input.reduced_yearly_cap,
                validity_months: input.validity_months,
            },
            now,
        )?;
        store::set_price(
            conn,
            p.id,
            &Price {
                valid_from: from,
                regular_cents: input.regular_cents,
                reduced_cents: input.reduced_cents,
            },
            Some(by),
            now,
        )?;
        Ok(p)
    })
    .await?;
    Ok(HttpResponse::Created().json(product))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceInput {
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub valid_from: NaiveDate,
    #[schema(minimum = 0, maximum = 100000)]
    pub regular_cents: i64,
    #[schema(minimum = 0, maximum = 100000)]
    pub reduced_cents: i64,
}

/// Sets the prices from a date on. Cheques sold earlier keep the price they were sold for.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Cheque product id")),
    request_body = PriceInput,
    responses(
        (status = 204, description = "Set"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid prices", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/prices")]
pub async fn set_price(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<PriceInput>,
) -> Result<HttpResponse, ApiError> {
    let (by, id, input) = (coordinator.id, id.into_inner(), body.into_inner());
    check_prices(input.regular_cents, input.reduced_cents)?;
    db::run_tx(&pool, move |conn| {
        store::product(conn, id)?.ok_or(ApiError::NotFound)?;
        let price = Price {
            valid_from: input.valid_from,
            regular_cents: input.regular_cents,
            reduced_cents: input.reduced_cents,
        };
        Ok(store::set_price(conn, id, &price, Some(by), db::now())?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
