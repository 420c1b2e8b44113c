//! Settings as a person writes them: defaults, an optional `servicepunt.toml`, then the
//! environment (`DATABASE_URL`, `SMTP_URL`, `MAIL_FROM`, the `STRIPE_*` keys and the
//! `SERVICEPUNT_*` variables).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::cheques::subsidy::ClaimMoment;
use crate::jobs::settings::CategoryLimit;

/// Settings as written by a person, before defaults are resolved and secrets generated.
/// Field names are the `servicepunt.toml` keys; the environment names are in the README.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawSettings {
    pub env: String,
    pub database_url: Option<String>,
    pub bind: String,
    pub jwt_secret: Option<String>,
    /// Earlier secrets, comma-separated: tokens they signed stay valid until they expire.
    pub jwt_previous_secrets: Option<String>,
    pub access_token_minutes: u32,
    pub refresh_token_days: u32,
    pub log_format: Option<String>,
    pub data_dir: PathBuf,
    pub db_pool_size: u32,
    pub db_acquire_timeout_secs: u64,
    pub max_body_bytes: usize,
    /// Seconds a request body may take to arrive once its head has.
    pub body_timeout_secs: u64,
    pub login_max_failures_per_account: u32,
    pub login_max_failures_per_client: u32,
    pub login_window_minutes: u64,
    /// Milliseconds before a registration or password-reset request is answered, known
    /// address or not (`auth::even_time`).
    pub account_answer_floor_ms: u64,
    pub workers: Option<usize>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// The servicepunt's phone number, printed at the foot of every mail.
    pub phone: Option<String>,
    /// The front end's address; links in emails point there.
    pub public_url: String,
    pub outbox_worker: bool,
    /// Run the daily timers (reminders, participants' schedules) inside `serve`.
    pub timers: bool,
    pub outbox_poll_ms: u64,
    pub outbox_max_attempts: u32,
    pub outbox_backoff_ms: u64,
    pub outbox_backoff_max_ms: u64,
    pub outbox_lease_secs: u64,
    pub smtp_timeout_secs: u64,
    /// Accept orders that break no rule without a werkleider.
    pub auto_accept: bool,
    pub free_cancellation_hours: i64,
    pub waitlist_priority_days: i64,
    /// The five-hour rule: longest klus around the home, and most work per address per
    /// window, in minutes.
    pub five_hour_limit_minutes: i64,
    /// The anti-splitting rule's rolling window.
    pub split_window_days: i64,
    /// Per-category overrides, e.g. `[category_limits.tuin] limit_minutes = 240, window_days = 7`.
    pub category_limits: BTreeMap<String, CategoryLimit>,
    /// Billable time is rounded up to whole units of this many minutes (60 or 30).
    pub billing_unit_minutes: i64,
    /// Hours a resident has to confirm or dispute performed work before it is confirmed.
    pub confirm_window_hours: i64,
    /// Kept back when an unused cheque is refunded, in cents.
    pub refund_fee_cents: i64,
    /// The municipality that pays the reduced-rate difference.
    pub municipality: String,
    /// Where the servicepunt works: four-digit postcode areas and ranges, e.g.
    /// `6710-6718, 6720`; blank for anywhere.
    pub service_area: String,
    /// How recent a participant's VOG must be to be cleared to go alone to people's
    /// homes, in months; 0 for none asked.
    pub vog_months: u32,
    /// The auto-planner sends nobody out sooner than this many minutes after it is asked,
    /// so the resident and the crew hear of the visit in time.
    pub planning_lead_minutes: u32,
    /// When that difference is claimed: `on_redemption` (default) or `on_sale`.
    pub subsidy_claim: ClaimMoment,
    /// Stripe's secret API key; without it online payment answers 503.
    pub stripe_secret_key: Option<String>,
    /// The signing secret of the Stripe webhook endpoint.
    pub stripe_webhook_secret: Option<String>,
    /// Another Stripe API address (a local mock in tests).
    pub stripe_api_base: Option<String>,
    /// How long one call to Stripe may take.
    pub stripe_timeout_secs: u64,
    /// Requests per client address per minute on registration, password reset and email
    /// verification.
    pub public_requests_per_minute: u32,
    /// Months a participant's welfare data is kept after their last trajectory ended.
    pub welfare_retention_months: u32,
    /// Months an audit log entry is kept.
    pub audit_retention_months: u32,
    /// Months a sent (or given-up) message's record is kept.
    pub message_retention_months: u32,
    /// Months a compliment or complaint is kept after it was given.
    pub feedback_retention_months: u32,
    /// Front-end origins allowed to call the API from a browser, comma-separated
    /// (e.g. `https://app.servicepuntede.nl`). None: same origin only.
    pub cors_origins: Option<String>,
    /// The bearer token a scraper sends to read `/metrics` (at least 32 characters).
    /// Unset: open outside production, off in production.
    pub metrics_token: Option<String>,
    /// Reverse proxies or load balancers in front of the service, comma-separated
    /// addresses or networks: for their connections the client address is read from
    /// `X-Forwarded-For`.
    pub trusted_proxies: Option<String>,
}

impl Default for RawSettings {
    fn default() -> Self {
        Self {
            env: "development".into(),
            database_url: None,
            bind: "127.0.0.1:8080".into(),
            jwt_secret: None,
            jwt_previous_secrets: None,
            access_token_minutes: 15,
            refresh_token_days: 30,
            log_format: None,
            data_dir: PathBuf::from("data"),
            db_pool_size: 10,
            db_acquire_timeout_secs: 5,
            max_body_bytes: 64 * 1024,
            body_timeout_secs: 15,
            account_answer_floor_ms: 300,
            login_max_failures_per_account: 5,
            login_max_failures_per_client: 20,
            login_window_minutes: 15,
            workers: None,
            smtp_url: None,
            mail_from: "Servicepunt <servicepunt@localhost>".into(),
            phone: None,
            public_url: "http://127.0.0.1:8080".into(),
            outbox_worker: true,
            timers: true,
            outbox_poll_ms: 1000,
            outbox_max_attempts: 8,
            outbox_backoff_ms: 60_000,
            outbox_backoff_max_ms: 3_600_000,
            outbox_lease_secs: 120,
            smtp_timeout_secs: 30,
            auto_accept: true,
            free_cancellation_hours: 24,
            waitlist_priority_days: 7,
            five_hour_limit_minutes: 300,
            split_window_days: 14,
            category_limits: BTreeMap::new(),
            billing_unit_minutes: 60,
            confirm_window_hours: 72,
            refund_fee_cents: 0,
            municipality: "Ede".into(),
            service_area: String::new(),
            vog_months: 0,
            planning_lead_minutes: 120,
            subsidy_claim: ClaimMoment::OnRedemption,
            stripe_secret_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: None,
            stripe_timeout_secs: 10,
            public_requests_per_minute: 20,
            welfare_retention_months: 24,
            audit_retention_months: 60,
            message_retention_months: 24,
            feedback_retention_months: 24,
            cors_origins: None,
            metrics_token: None,
            trusted_proxies: None,
        }
    }
}

impl RawSettings {
    /// Reads defaults, `servicepunt.toml` in the working directory (if present), then
    /// `DATABASE_URL`, `SMTP_URL`, `MAIL_FROM` and the `SERVICEPUNT_*` variables.
    pub fn load() -> anyhow::Result<Self> {
        Figment::from(Serialized::defaults(RawSettings::default()))
            .merge(Toml::file("servicepunt.toml"))
            .merge(Env::raw().only(&[
                "DATABASE_URL",
                "SMTP_URL",
                "MAIL_FROM",
                "STRIPE_SECRET_KEY",
                "STRIPE_WEBHOOK_SECRET",
                "STRIPE_API_BASE",
            ]))
            // SERVICEPUNT_PASSWORD belongs to `user create`, not to the settings.
            .merge(Env::prefixed("SERVICEPUNT_").ignore(&["password"]))
            .extract()
            .context("invalid settings")
    }
}
