//! Calls to Stripe: creating a Checkout Session and refunding a payment. The requests are
//! built by async-stripe (form encoding, authentication, `Stripe-Version`, our
//! `Idempotency-Key`); the answers are read into small structs with the fields we use,
//! for the same reason as the events (see `event`).

use std::collections::HashMap;
use std::time::Duration;

use secrecy::ExposeSecret;
use stripe::{IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionAllowedPaymentMethodTypes as Method, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionLineItemsPriceData, ProductData,
};
use stripe_core::balance_transaction::ListBalanceTransaction;
use stripe_core::refund::CreateRefund;
use stripe_shared::CheckoutSessionMode;
use stripe_types::Currency;

use super::StripeSettings;
use crate::error::ApiError;

#[derive(Debug, miniserde::Deserialize)]
pub struct CreatedSession {
    pub id: String,
    pub url: Option<String>,
}

#[derive(Debug, miniserde::Deserialize)]
pub struct CreatedRefund {
    pub id: String,
    pub status: Option<String>,
}

#[derive(Debug, miniserde::Deserialize)]
struct TransactionPage {
    data: Vec<Transaction>,
    has_more: bool,
}

/// One balance transaction of a payout: a charge, a refund, the payout itself, …
#[derive(Debug, Clone, miniserde::Deserialize)]
pub struct Transaction {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: i64,
    pub fee: i64,
    pub net: i64,
    /// Expanded: the charge or refund, with its payment.
    pub source: Option<Source>,
}

#[derive(Debug, Clone, miniserde::Deserialize)]
pub struct Source {
    pub id: String,
    pub payment_intent: Option<String>,
}

/// Pages read at most for one payout (100 transactions a page).
const MAX_PAGES: usize = 50;

/// What to ask the resident to pay.
pub struct SessionRequest<'a> {
    pub reference: &'a str,
    pub product_name: &'a str,
    pub unit_amount_cents: i64,
    pub quantity: u64,
    pub success_url: String,
    pub cancel_url: String,
    /// When Stripe expires the payment page (Unix seconds); Stripe's 24 hours when `None`.
    pub expires_at: Option<i64>,
}

pub struct Stripe {
    client: stripe::Client,
    timeout: Duration,
}

/// Stripe did not answer in time: usually a passing fault on their side or the way there.
const PROVIDER_RETRY_AFTER_SECS: u64 = 30;

fn unavailable() -> ApiError {
    ApiError::Unavailable {
        code: "payments_unavailable",
        detail: "online payment is not available at the moment; please try again later or pay at the counter".into(),
        retry_after_secs: Some(PROVIDER_RETRY_AFTER_SECS),
    }
}

/// No Stripe keys: not a passing fault, so no time to try again is named.
pub fn not_configured() -> ApiError {
    ApiError::Unavailable {
        code: "payments_unavailable",
        detail: "online payment is not available here; please pay at the counter".into(),
        retry_after_secs: None,
    }
}

/// Stripe failed us: a 5xx, a refusal or no answer. Nothing is logged but the kind.
fn provider(e: &StripeError) -> ApiError {
    match e {
        StripeError::Timeout => unavailable(),
        StripeError::Stripe(_, status) => {
            tracing::warn!(status, "stripe refused a request");
            ApiError::BadGateway {
                code: "payment_provider_error",
                detail: "the payment provider refused the request; nothing was charged".into(),
            }
        }
        StripeError::ClientError(_) | StripeError::JSONDeserialize(_) | StripeError::ConfigError(_) => {
            tracing::warn!(kind = ?std::mem::discriminant(e), "stripe call failed");
            ApiError::BadGateway {
                code: "payment_provider_error",
                detail: "the payment provider could not be reached; nothing was charged".into(),
            }
        }
    }
}

fn key(raw: &str) -> Result<IdempotencyKey, ApiError> {
    IdempotencyKey::new(raw).map_err(|_| ApiError::validation("Idempotency-Key", "invalid_key", "not a usable key"))
}

impl Stripe {
    pub fn from_settings(s: &StripeSettings) -> anyhow::Result<Option<Self>> {
        let Some(secret) = &s.secret_key else {
            return Ok(None);
        };
        let mut builder = stripe::ClientBuilder::new(secret.expose_secret()).timeout(s.timeout);
        if let Some(base) = &s.api_base {
            builder = builder.url(base.clone());
        }
        let client = builder
            .build()
            .map_err(|e| anyhow::anyhow!("cannot set up the Stripe client: {e}"))?;
        Ok(Some(Self {
            client,
            timeout: s.timeout,
        }))
    }

    /// The overall bound on one call, retries included.
    async fn bounded<T>(&self, call: impl Future<Output = Result<T, StripeError>>) -> Result<T, ApiError> {
        match tokio::time::timeout(self.timeout + Duration::from_secs(1), call).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(provider(&e)),
            Err(_) => Err(unavailable()),
        }
    }

    pub async fn create_session(&self, r: &SessionRequest<'_>, idempotency: &str) -> Result<CreatedSession, ApiError> {
        let mut price = CreateCheckoutSessionLineItemsPriceData::new(Currency::EUR);
        price.unit_amount = Some(r.unit_amount_cents);
        price.product_data = Some(ProductData::new(r.product_name));
        let mut line = CreateCheckoutSessionLineItems::new();
        line.price_data = Some(price);
        line.quantity = Some(r.quantity);
        let metadata = HashMap::from([("reference".to_owned(), r.reference.to_owned())]);
        let request = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .allowed_payment_method_types(vec![Method::Ideal, Method::Card])
            .line_items(vec![line])
            .client_reference_id(r.reference)
            .metadata(metadata)
            .success_url(r.success_url.clone())
            .cancel_url(r.cancel_url.clone());
        let request = match r.expires_at {
            Some(at) => request.expires_at(at),
            None => request,
        };
        let call = request
            .build()
            .customize::<CreatedSession>()
            .request_strategy(RequestStrategy::Idempotent(key(idempotency)?))
            .send(&self.client);
        self.bounded(call).await
    }

    /// The balance transactions a payout paid out, with the payment each belongs to.
    pub async fn payout_transactions(&self, payout_id: &str) -> Result<Vec<Transaction>, ApiError> {
        let mut out: Vec<Transaction> = Vec::new();
        for _ in 0..MAX_PAGES {
            let mut request = ListBalanceTransaction::new()
                .payout(payout_id)
                .limit(100)
                .expand(vec!["data.source".to_owned()]);
            if let Some(last) = out.last() {
                request = request.starting_after(last.id.clone());
            }
            let call = request.build().customize::<TransactionPage>().send(&self.client);
            let page = self.bounded(call).await?;
            out.extend(page.data);
            if !page.has_more {
                break;
            }
        }
        Ok(out)
    }

    pub async fn refund(
        &self,
        payment_intent: &str,
        amount_cents: i64,
        serial: &str,
        idempotency: &str,
    ) -> Result<CreatedRefund, ApiError> {
        let request = CreateRefund::new()
            .payment_intent(payment_intent)
            .amount(amount_cents)
            .metadata(HashMap::from([("cheque".to_owned(), serial.to_owned())]));
        let call = request
            .build()
            .customize::<CreatedRefund>()
            .request_strategy(RequestStrategy::Idempotent(key(idempotency)?))
            .send(&self.client);
        self.bounded(call).await
    }
}

/// Online payment as configured: Stripe when a key is set, and the webhook secret.
pub struct Payments {
    pub stripe: Option<Stripe>,
    pub webhook_secret: Option<secrecy::SecretString>,
    pub public_url: String,
}

impl Payments {
    pub fn from_settings(s: &StripeSettings) -> anyhow::Result<Self> {
        Ok(Self {
            stripe: Stripe::from_settings(s)?,
            webhook_secret: s.webhook_secret.clone(),
            public_url: s.public_url.clone(),
        })
    }

    pub fn stripe(&self) -> Result<&Stripe, ApiError> {
        self.stripe.as_ref().ok_or_else(not_configured)
    }
}
