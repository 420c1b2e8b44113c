use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::FinanceDesk;
use crate::cheques::changes::{self, Payout, RefundMethod};
use crate::cheques::store::{self, Cheque};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::idempotency;
use crate::jobs::input::required_note;
use crate::jobs::settings::JobSettings;
use crate::payments::Payments;
use crate::payments::refund as payments_refund;
use crate::request_body::Json;

fn reason(raw: String) -> Result<String, ApiError> {
    required_note(raw, "reason", "say why")
}

/// A cheque kept valid longer: the new last day and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChequeExtendInput {
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub until: NaiveDate,
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub reason: String,
}

/// Gives a cheque a later last day; an expired cheque comes back into use (its breakage
/// reversed in the books). Send an `Idempotency-Key` header: a retry with the same key
/// and body gets the first answer instead of `not_later`.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("serial" = String, Path, description = "Cheque number"), crate::idempotency::KeyHeader),
    request_body = ChequeExtendInput,
    responses(
        (status = 200, description = "Extended", body = Cheque),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cheque", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Used, refunded or void, or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not later, no reason, or a typo in the number; or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{serial}/extend")]
pub async fn extend(
    req: HttpRequest,
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    serial: web::Path<String>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (by, raw) = (staff.id, serial.into_inner());
    let (key, hash, input): (_, _, ChequeExtendInput) = idempotency::keyed(&req, body.into_inner())?;
    let why = reason(input.reason)?;
    idempotency::run(&pool, by, key, hash, None, move |conn| {
        let c = super::find_cheque(conn, &raw)?;
        let c = changes::extend(conn, &c, input.until, change(&why, by))?;
        Ok((StatusCode::OK, serde_json::to_value(c).map_err(ApiError::internal)?))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    pub method: RefundMethod,
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub reason: String,
    /// The open cash session whose drawer the cash comes out of: required for `cash`,
    /// left out otherwise.
    #[serde(default)]
    pub cash_session_id: Option<i64>,
}

/// Refunds an unused cheque at the price paid, less the refund fee (a setting). Cash
/// comes out of the drawer of an open cash session, which its close then counts. Send an
/// `Idempotency-Key` header: a retry with the same key and body gets the first answer
/// instead of `invalid_state`.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("serial" = String, Path, description = "Cheque number"), crate::idempotency::KeyHeader),
    request_body = RefundInput,
    responses(
        (status = 200, description = "Refunded", body = Cheque),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cheque", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not unused, or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, a typo in the number, or no open cash session for cash; or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{serial}/refund")]
pub async fn refund(
    req: HttpRequest,
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    payments: web::Data<Payments>,
    serial: web::Path<String>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (by, raw) = (staff.id, serial.into_inner());
    let (key, hash, input): (_, _, RefundInput) = idempotency::keyed(&req, body.into_inner())?;
    let why = reason(input.reason)?;
    let (k, h) = (key.clone(), hash.clone());
    let fee = settings.refund_fee_cents;
    let (method, session) = (input.method, input.cash_session_id);
    let why_online = why.clone();
    // Counter purchases are refunded at once; online ones go back through Stripe.
    let first = db::run_tx(&pool, move |conn| {
        if let Some(kept) = idempotency::claim(conn, by, k.as_deref())? {
            return Ok(First::Kept(kept));
        }
        let c = super::find_cheque(conn, &raw)?;
        let online = store::sale_channel(conn, c.sale_id)? == "online";
        match (online, method) {
            (false, RefundMethod::Online) => Err(ApiError::validation(
                "method",
                "not_bought_online",
                "this cheque was bought at the counter: refund it in cash or by bank transfer",
            )),
            (true, RefundMethod::Online) => {
                Payout::of(method, session)?;
                let reserved = payments_refund::reserve(conn, &c, fee, db::now())?;
                Ok(First::Reserved(c, reserved))
            }
            (true, _) => Err(ApiError::validation(
                "method",
                "bought_online",
                "this cheque was bought online: it is refunded online, to the card or account it was paid from",
            )),
            (false, _) => {
                let payout = Payout::of(method, session)?;
                let c = changes::refund(conn, &c, payout, fee, change(&why, by))?;
                idempotency::remember(conn, by, k.as_deref(), &h, StatusCode::OK, &answer(&c)?)?;
                Ok(First::Refunded(c))
            }
        }
    })
    .await;
    let (c, reserved) = match first {
        Ok(First::Kept(kept)) => return idempotency::replay_kept(kept, &hash),
        Ok(First::Refunded(c)) => return Ok(HttpResponse::Ok().json(c)),
        Ok(First::Reserved(c, reserved)) => (c, reserved),
        Err(ApiError::IdempotencyRace) => return idempotency::after_race(&pool, by, key, &hash, None).await,
        Err(e) => return Err(e),
    };
    let asked = match payments.stripe() {
        Ok(stripe) => {
            stripe
                .refund(
                    &reserved.payment_intent,
                    reserved.amount_cents,
                    &c.serial,
                    &reserved.idempotency_key,
                )
                .await
        }
        Err(e) => Err(e),
    };
    let done = match asked {
        Ok(done) => done,
        Err(e) => {
            let kept = c.clone();
            db::run_tx(&pool, move |conn| payments_refund::release(conn, &kept)).await?;
            return Err(e);
        }
    };
    // Stripe has refunded: that is recorded whatever became of the key meanwhile (a client
    // that used it for another request too), and the answer kept if the key is free.
    let c = db::run_tx(&pool, move |conn| {
        let c = payments_refund::complete(conn, &c, &done.id, fee, change(&why_online, by))?;
        if idempotency::claim(conn, by, key.as_deref())?.is_none() {
            idempotency::remember(conn, by, key.as_deref(), &hash, StatusCode::OK, &answer(&c)?)?;
        }
        Ok(c)
    })
    .await?;
    Ok(HttpResponse::Ok().json(c))
}

/// How a refund's first step ended: an answer kept for its key, refunded at once (a
/// counter purchase), or reserved for Stripe to refund (an online one).
enum First {
    Kept(idempotency::Kept),
    Refunded(Cheque),
    Reserved(Cheque, payments_refund::Reserved),
}

fn answer(c: &Cheque) -> Result<String, ApiError> {
    serde_json::to_string(c).map_err(ApiError::internal)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidInput {
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub reason: String,
    /// For a cheque sold in cash: the open cash session whose drawer the cash comes back
    /// out of. Left out otherwise.
    #[serde(default)]
    pub cash_session_id: Option<i64>,
}

/// Voids a misprinted cheque; its sale is reversed the way it was paid (cash from the
/// drawer of an open cash session). Send an `Idempotency-Key` header: a retry with the
/// same key and body gets the first answer instead of `invalid_state`.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("serial" = String, Path, description = "Cheque number"), crate::idempotency::KeyHeader),
    request_body = VoidInput,
    responses(
        (status = 200, description = "Voided", body = Cheque),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cheque", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not unused, or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, a typo in the number, or no open cash session for cash; or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{serial}/void")]
pub async fn void(
    req: HttpRequest,
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    serial: web::Path<String>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (by, raw) = (staff.id, serial.into_inner());
    let (key, hash, input): (_, _, VoidInput) = idempotency::keyed(&req, body.into_inner())?;
    let why = reason(input.reason)?;
    idempotency::run(&pool, by, key, hash, None, move |conn| {
        let c = super::find_cheque(conn, &raw)?;
        let c = changes::void(conn, &c, input.cash_session_id, change(&why, by))?;
        Ok((StatusCode::OK, serde_json::to_value(c).map_err(ApiError::internal)?))
    })
    .await
}

fn change(reason: &str, by: i64) -> changes::Change<'_> {
    changes::Change {
        reason,
        by: Some(by),
        today: clock::today(),
        now: db::now(),
    }
}
