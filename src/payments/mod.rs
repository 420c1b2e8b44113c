//! Online cheque purchases through Stripe Checkout (iDEAL and card), the Stripe webhook,
//! refunds back through Stripe and payouts into the bank.

pub mod checkout;
pub mod event;
pub mod gateway;
pub mod handlers;
pub mod reconciliation;
pub mod refund;
pub mod settlement;
pub mod signature;
pub mod store;
pub mod webhook;

use std::time::Duration;

use secrecy::SecretString;

pub use gateway::Payments;

#[derive(Debug, Clone)]
pub struct StripeSettings {
    pub secret_key: Option<SecretString>,
    pub webhook_secret: Option<SecretString>,
    pub api_base: Option<String>,
    pub timeout: Duration,
    /// The front end's address, where Stripe sends the resident back after paying.
    pub public_url: String,
}
