//! HTTP endpoints for online payment: starting a checkout and Stripe's webhook.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::checkout::{self, CheckoutStarted};
use super::event::Event;
use super::gateway::{self, SessionRequest};
use super::reconciliation::StripeReconciliation;
use super::settlement::{self, Settlement};
use super::signature::{self, SignatureError};
use super::{Payments, store, webhook};
use crate::auth::RequireRole;
use crate::auth::extract::{FinanceDesk, ResidentAccount};
use crate::cheques::{sale, wallet};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::idempotency;
use crate::jobs::settings::JobSettings;
use crate::period::PeriodQuery;
use crate::request_body::{Json, RawBody};
use crate::request_query::Query;

/// Under `/api/v1/checkout-sessions`.
pub fn checkout_sessions_routes(cfg: &mut ServiceConfig) {
    cfg.service(start_checkout);
}

/// Under `/api/v1/webhooks`.
pub fn webhooks_routes(cfg: &mut ServiceConfig) {
    cfg.service(stripe_webhook);
}

/// Under `/api/v1/finance`.
pub fn finance_routes(cfg: &mut ServiceConfig) {
    cfg.service(stripe_reconciliation).service(settle_refund);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutInput {
    pub product_id: i64,
    #[schema(minimum = 1, maximum = 50)]
    pub quantity: i64,
    /// The resident the cheques are for, when a proxy buys; leave out to buy for yourself.
    pub resident_id: Option<i64>,
}

/// Starts an online purchase of cheques (iDEAL or card) at the tariff that applies to the
/// resident today, and returns the Stripe page to pay on. The cheques are issued as soon
/// as Stripe confirms the payment. Send an `Idempotency-Key`: a retry gives the same page.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(crate::idempotency::KeyHeader),
    request_body = CheckoutInput,
    responses(
        (status = 201, description = "Pay at `url`", body = CheckoutStarted),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown product, no price, the yearly cap reached, or not a resident you act for", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Stripe refused; nothing was charged", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Online payment is switched off or Stripe did not answer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn start_checkout(
    req: HttpRequest,
    resident: RequireRole<ResidentAccount>,
    pool: web::Data<DbPool>,
    payments: web::Data<Payments>,
    body: Json<CheckoutInput>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency::key_of(&req)?;
    let user = resident.user;
    let input = body.into_inner();
    let u = user;
    let quote = db::run(&pool, move |conn| {
        checkout::prepare(
            conn,
            &u,
            input.resident_id,
            input.product_id,
            input.quantity,
            clock::today(),
        )
    })
    .await?;
    // Checked after the input, so a wrong request hears what is wrong with it.
    let stripe = payments.stripe()?;
    let reference = checkout::reference(user.id, key.as_deref());
    // A retry asks Stripe for the same expiry as the request it repeats (Stripe refuses a
    // retried request whose parameters differ); a checkout recorded already keeps its own,
    // and an unrecorded one asks under a key of its expiry's own (`stripe_key`).
    let recorded = {
        let reference = reference.clone();
        db::run(&pool, move |conn| Ok(store::by_reference(conn, &reference)?)).await?
    };
    let payable_until = match recorded {
        Some(earlier) => earlier.payable_until,
        None => Some(checkout::payable_until(db::now())),
    };
    let base = payments.public_url.trim_end_matches('/');
    let session = stripe
        .create_session(
            &SessionRequest {
                reference: &reference,
                product_name: &quote.product.name,
                unit_amount_cents: quote.unit_price_cents,
                quantity: u64::try_from(quote.quantity).unwrap_or(1),
                success_url: format!("{base}/cheques/bought?checkout={reference}"),
                cancel_url: format!("{base}/cheques"),
                expires_at: payable_until.map(|t| t.and_utc().timestamp()),
            },
            &checkout::stripe_key(&reference, payable_until),
        )
        .await?;
    let url = session.url.clone().unwrap_or_default();
    let started = db::run_tx(&pool, move |conn| {
        if store::by_session(conn, &session.id)?.is_none() {
            // Quoted again with the resident's sales locked: a checkout or counter sale
            // made meanwhile may have taken what was left under the yearly cap. (The
            // session at Stripe then expires unpaid.)
            wallet::lock(conn, quote.resident_id)?;
            sale::quote(
                conn,
                quote.resident_id,
                quote.product.id,
                quote.quantity,
                clock::today(),
            )?;
        }
        let session = (session.id.as_str(), payable_until);
        let checkout = checkout::record(conn, &user, &quote, &reference, session, db::now())?;
        Ok(CheckoutStarted {
            checkout,
            url: url.clone(),
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(started))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookReceipt {
    /// What was done with the event: `issued`, `duplicate`, `unmatched`, `ignored`, …
    pub outcome: String,
}

fn bad_signature(e: SignatureError) -> ApiError {
    let detail = match e {
        SignatureError::Malformed => "the Stripe-Signature header is missing or malformed",
        SignatureError::Stale => "the signature's timestamp is more than five minutes off",
        SignatureError::Mismatch => "the signature does not match the body",
    };
    ApiError::BadRequest {
        code: "invalid_signature",
        detail: detail.into(),
    }
}

/// Stripe's webhook. The body is checked against the `Stripe-Signature` header before
/// anything is read or written; each event is handled once, however often it arrives.
#[utoipa::path(
    tag = "payments",
    params(("Stripe-Signature" = String, Header, description = "Stripe's HMAC-SHA256 signature")),
    request_body(content = String, description = "The event as Stripe sent it", content_type = "application/json"),
    responses(
        (status = 200, description = "Handled (or seen before)", body = WebhookReceipt),
        (status = 400, description = "Bad signature or not an event; nothing written", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "No webhook secret configured", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stripe")]
pub async fn stripe_webhook(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    payments: web::Data<Payments>,
    settings: web::Data<JobSettings>,
    RawBody(body): RawBody,
) -> Result<web::Json<WebhookReceipt>, ApiError> {
    let secret = payments.webhook_secret.as_ref().ok_or_else(gateway::not_configured)?;
    let header = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    signature::verify(secret.expose_secret(), header, &body, chrono::Utc::now().timestamp()).map_err(bad_signature)?;
    let event = Event::parse(&body).map_err(|_| ApiError::BadRequest {
        code: "invalid_event",
        detail: "the body is not a Stripe event".into(),
    })?;
    // A payout's contents come from Stripe before the transaction; if Stripe cannot say,
    // the webhook fails and Stripe delivers it again later. A payout already handled is
    // not asked about again: its redelivery is answered even while Stripe is down.
    let lines = match (&payments.stripe, event.kind.as_str(), event.data.object.id.as_deref()) {
        (Some(stripe), "payout.paid", Some(id)) => {
            let event_id = event.id.clone();
            if db::run(&pool, move |conn| Ok(store::seen(conn, &event_id)?)).await? {
                return Ok(web::Json(WebhookReceipt {
                    outcome: webhook::DUPLICATE.to_owned(),
                }));
            }
            Some(stripe.payout_transactions(id).await?)
        }
        _ => None,
    };
    let policy = settings.subsidy.clone();
    let outcome = db::run_tx(&pool, move |conn| {
        webhook::handle(conn, &event, lines.as_deref(), &policy, clock::today(), db::now())
    })
    .await;
    let outcome = match outcome {
        Ok(o) => o,
        // Another delivery of the same event won the race to record it.
        Err(e) if db::is_unique_violation(&e) => webhook::DUPLICATE,
        Err(e) => return Err(e),
    };
    Ok(web::Json(WebhookReceipt {
        outcome: outcome.to_owned(),
    }))
}

/// Stripe against our books for a period: payouts with their fees and matched payments,
/// and every mismatch for finance to resolve.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(PeriodQuery),
    responses(
        (status = 200, description = "Payouts and mismatches", body = StripeReconciliation),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period ends before it starts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stripe-reconciliation")]
pub async fn stripe_reconciliation(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    query: Query<PeriodQuery>,
) -> Result<web::Json<StripeReconciliation>, ApiError> {
    let (from, to) = query.into_inner().days()?;
    let report = db::run_snapshot(&pool, move |conn| super::reconciliation::build(conn, from, to)).await?;
    Ok(web::Json(report))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettleInput {
    /// Why (the goodwill agreed with the resident, whose payment it was, …).
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub note: String,
}

/// Settles a refund Stripe made that could not be booked against cheques (a
/// `refund_not_booked` in the Stripe reconciliation), which then is no longer listed.
/// Part of one of our purchases given back is booked as goodwill out of Stripe clearing;
/// a refund of a payment not ours is acknowledged without booking. Settles what Stripe's
/// last report of the charge left unbooked; a later report is listed again. Send an
/// `Idempotency-Key` header: a retry with the same key and body gets the first answer
/// instead of `nothing_to_settle`.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(("charge" = String, Path, description = "The Stripe charge refunded, as listed"), crate::idempotency::KeyHeader),
    request_body = SettleInput,
    responses(
        (status = 200, description = "Settled", body = Settlement),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No refund of this charge was left unbooked", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing left to settle (nothing_to_settle), the month is closed (period_closed), or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No note, or too long; or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stripe-refunds/{charge}/settle")]
pub async fn settle_refund(
    req: HttpRequest,
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    charge: web::Path<String>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let by = staff.id;
    let charge = charge.into_inner();
    let (key, hash, input): (_, _, SettleInput) = idempotency::keyed(&req, body.into_inner())?;
    let note = crate::jobs::input::required_note(input.note, "note", "say why it is settled")?;
    idempotency::run(&pool, by, key, hash, None, move |conn| {
        let settled = settlement::settle(conn, &charge, &note, by, clock::today(), db::now())?;
        Ok((
            StatusCode::OK,
            serde_json::to_value(settled).map_err(ApiError::internal)?,
        ))
    })
    .await
}
