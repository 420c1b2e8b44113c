//! Typed settings: defaults, then an optional `servicepunt.toml`, then the environment.
//!
//! Settings are loaded once in `main` and passed in; nothing reads them from a global.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use secrecy::{ExposeSecret, SecretString};

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::ThrottleLimits;
use crate::cheques::subsidy::SubsidyPolicy;
use crate::client_addr::TrustedProxies;
use crate::db::PoolOptions;
use crate::domain::ServiceArea;
use crate::jobs::settings::{CategoryLimit, FiveHourLimits, JobSettings};
use crate::metrics_access::{self, MetricsAccess};
use crate::notify::mailer::MailSettings;
use crate::notify::worker::OutboxSettings;
use crate::payments::StripeSettings;

mod raw;
pub use raw::RawSettings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone)]
pub struct JwtSettings {
    pub keys: JwtKeys,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

/// Resolved settings the application runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    /// May hold a database password: never log it.
    pub database_url: SecretString,
    pub bind: String,
    pub jwt: JwtSettings,
    pub log_format: LogFormat,
    pub data_dir: PathBuf,
    pub pool: PoolOptions,
    pub max_body_bytes: usize,
    pub body_timeout: Duration,
    pub account_answer_floor: Duration,
    pub login_throttle: ThrottleLimits,
    pub workers: Option<usize>,
    pub mail: MailSettings,
    pub outbox: OutboxSettings,
    pub public_url: String,
    pub jobs: JobSettings,
    pub timers: bool,
    pub stripe: StripeSettings,
    pub public_requests_per_minute: u32,
    pub welfare_retention_months: u32,
    pub audit_retention_months: u32,
    pub message_retention_months: u32,
    pub feedback_retention_months: u32,
    /// Origins allowed for CORS.
    pub cors_origins: Vec<String>,
    pub metrics: MetricsAccess,
    pub trusted_proxies: TrustedProxies,
}

const MIN_SECRET_LEN: usize = 32;

/// The longest lead the auto-planner may be given: two days.
const MAX_PLANNING_LEAD_MINUTES: u32 = 2 * 24 * 60;

impl Settings {
    pub fn load() -> anyhow::Result<Self> {
        Self::from_raw(RawSettings::load()?)
    }

    pub fn from_raw(raw: RawSettings) -> anyhow::Result<Self> {
        let environment = match raw.env.as_str() {
            "development" | "dev" => Environment::Development,
            "production" | "prod" => Environment::Production,
            other => bail!("SERVICEPUNT_ENV must be development or production, not {other:?}"),
        };
        let log_format = match raw.log_format.as_deref() {
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            None if environment == Environment::Production => LogFormat::Json,
            None => LogFormat::Pretty,
            Some(other) => bail!("SERVICEPUNT_LOG_FORMAT must be json or pretty, not {other:?}"),
        };
        let database_url = raw
            .database_url
            .clone()
            .unwrap_or_else(|| raw.data_dir.join("servicepunt.db").to_string_lossy().into_owned());
        let secret = match raw.jwt_secret.clone() {
            Some(s) => s,
            None if environment == Environment::Production => {
                bail!("SERVICEPUNT_JWT_SECRET must be set in production (at least {MIN_SECRET_LEN} characters)")
            }
            None => generated_secret(&raw.data_dir.join("jwt_secret"))?,
        };
        let previous: Vec<String> = raw
            .jwt_previous_secrets
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        for s in std::iter::once(&secret).chain(&previous) {
            if s.len() < MIN_SECRET_LEN {
                bail!("JWT secrets must be at least {MIN_SECRET_LEN} characters long");
            }
        }
        if environment == Environment::Production && raw.smtp_url.is_none() {
            bail!("SMTP_URL must be set in production: mail would otherwise only be written to files");
        }
        let smtp_timeout = Duration::from_secs(raw.smtp_timeout_secs.max(1));
        let default_limit = CategoryLimit {
            limit_minutes: raw.five_hour_limit_minutes,
            window_days: raw.split_window_days,
        };
        let limits = std::iter::once(("default", &default_limit))
            .chain(raw.category_limits.iter().map(|(k, v)| (k.as_str(), v)));
        for (category, limit) in limits {
            if !(15..=600).contains(&limit.limit_minutes) || !(1..=365).contains(&limit.window_days) {
                bail!("five-hour limits for {category}: limit_minutes must be 15 to 600 and window_days 1 to 365");
            }
        }
        if ![15, 30, 60].contains(&raw.billing_unit_minutes) {
            bail!("SERVICEPUNT_BILLING_UNIT_MINUTES must be 15, 30 or 60");
        }
        if raw.municipality.trim().is_empty() || raw.municipality.chars().count() > 100 {
            bail!("SERVICEPUNT_MUNICIPALITY must be a name of at most 100 characters");
        }
        if raw.planning_lead_minutes > MAX_PLANNING_LEAD_MINUTES {
            bail!("SERVICEPUNT_PLANNING_LEAD_MINUTES must be at most {MAX_PLANNING_LEAD_MINUTES} (two days)");
        }
        let service_area =
            ServiceArea::parse(&raw.service_area).map_err(|e| anyhow::anyhow!("SERVICEPUNT_SERVICE_AREA: {e}"))?;
        if raw.access_token_minutes == 0 || raw.refresh_token_days == 0 {
            bail!("token lifetimes must be positive");
        }
        let metrics = match raw.metrics_token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) if t.len() < metrics_access::MIN_TOKEN_LEN => bail!(
                "SERVICEPUNT_METRICS_TOKEN must be at least {} characters",
                metrics_access::MIN_TOKEN_LEN
            ),
            Some(t) => MetricsAccess::Token(SecretString::from(t.to_owned())),
            None if environment == Environment::Production => MetricsAccess::Off,
            None => MetricsAccess::Open,
        };
        let trusted_proxies = TrustedProxies::parse(raw.trusted_proxies.as_deref().unwrap_or(""))
            .map_err(|e| anyhow::anyhow!("SERVICEPUNT_TRUSTED_PROXIES: {e}"))?;
        Ok(Settings {
            environment,
            database_url: SecretString::from(database_url),
            bind: raw.bind,
            jwt: JwtSettings {
                keys: JwtKeys::new(
                    SecretString::from(secret),
                    previous.into_iter().map(SecretString::from).collect(),
                ),
                access_ttl: Duration::from_secs(u64::from(raw.access_token_minutes) * 60),
                refresh_ttl: Duration::from_secs(u64::from(raw.refresh_token_days) * 86_400),
            },
            log_format,
            data_dir: raw.data_dir.clone(),
            pool: PoolOptions {
                max_size: raw.db_pool_size.max(1),
                acquire_timeout: Duration::from_secs(raw.db_acquire_timeout_secs.max(1)),
            },
            max_body_bytes: raw.max_body_bytes,
            body_timeout: Duration::from_secs(raw.body_timeout_secs.clamp(1, 300)),
            account_answer_floor: Duration::from_millis(raw.account_answer_floor_ms.min(5_000)),
            login_throttle: ThrottleLimits {
                per_account: raw.login_max_failures_per_account,
                per_client: raw.login_max_failures_per_client,
                window: Duration::from_secs(raw.login_window_minutes * 60),
            },
            workers: raw.workers,
            mail: MailSettings {
                smtp_url: raw.smtp_url.map(SecretString::from),
                from: raw.mail_from,
                phone: contact_phone(raw.phone.as_deref())?,
                file_dir: raw.data_dir.join("outbox"),
                timeout: smtp_timeout,
            },
            outbox: OutboxSettings {
                worker_enabled: raw.outbox_worker,
                poll: Duration::from_millis(raw.outbox_poll_ms.max(10)),
                // A claim outlives the longest send, so a live sender is never overtaken.
                lease: Duration::from_secs(raw.outbox_lease_secs).max(smtp_timeout * 2),
                batch: 20,
                max_attempts: raw.outbox_max_attempts.max(1),
                backoff_base: Duration::from_millis(raw.outbox_backoff_ms),
                backoff_cap: Duration::from_millis(raw.outbox_backoff_max_ms),
            },
            public_requests_per_minute: raw.public_requests_per_minute.max(1),
            welfare_retention_months: raw.welfare_retention_months.clamp(1, 120),
            audit_retention_months: raw.audit_retention_months.clamp(6, 240),
            message_retention_months: raw.message_retention_months.clamp(3, 120),
            feedback_retention_months: raw.feedback_retention_months.clamp(3, 120),
            cors_origins: cors_origins(raw.cors_origins.as_deref())?,
            metrics,
            trusted_proxies,
            stripe: StripeSettings {
                secret_key: raw.stripe_secret_key.filter(|k| !k.is_empty()).map(SecretString::from),
                webhook_secret: raw
                    .stripe_webhook_secret
                    .filter(|k| !k.is_empty())
                    .map(SecretString::from),
                api_base: raw.stripe_api_base.filter(|u| !u.is_empty()),
                timeout: Duration::from_secs(raw.stripe_timeout_secs.clamp(1, 60)),
                public_url: raw.public_url.clone(),
            },
            public_url: raw.public_url,
            timers: raw.timers,
            jobs: JobSettings {
                auto_accept: raw.auto_accept,
                free_cancellation: chrono::Duration::hours(raw.free_cancellation_hours.max(0)),
                waitlist_priority: chrono::Duration::days(raw.waitlist_priority_days.max(0)),
                five_hour: FiveHourLimits {
                    default: CategoryLimit {
                        limit_minutes: raw.five_hour_limit_minutes,
                        window_days: raw.split_window_days,
                    },
                    per_category: raw.category_limits,
                },
                billing_unit_minutes: raw.billing_unit_minutes,
                confirm_window: chrono::Duration::hours(raw.confirm_window_hours.max(1)),
                refund_fee_cents: raw.refund_fee_cents.max(0),
                service_area,
                vog_months: raw.vog_months,
                planning_lead: chrono::Duration::minutes(i64::from(raw.planning_lead_minutes)),
                subsidy: SubsidyPolicy {
                    municipality: raw.municipality,
                    claim: raw.subsidy_claim,
                },
            },
        })
    }

    pub fn database_url(&self) -> &str {
        self.database_url.expose_secret()
    }
}

/// The phone number for the foot of every mail as written (spaces help the reader),
/// once it is checked to be one; none when unset or empty.
fn contact_phone(raw: Option<&str>) -> anyhow::Result<Option<String>> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => crate::domain::Phone::parse(p)
            .map(|_| Some(p.to_owned()))
            .map_err(|e| anyhow::anyhow!("SERVICEPUNT_PHONE: {}", e.message)),
    }
}

/// The configured front-end origins: each `http(s)://host[:port]`, no path. Kept in lower
/// case, as browsers send an `Origin` (`https://App.Example.nl` would never match).
fn cors_origins(raw: Option<&str>) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for origin in raw.unwrap_or("").split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let origin = origin.to_ascii_lowercase();
        let origin = origin.as_str();
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or("");
        if rest.is_empty() || rest.contains('/') || origin == "*" {
            bail!("SERVICEPUNT_CORS_ORIGINS holds origins like https://app.example.nl, not {origin:?}");
        }
        out.push(origin.to_owned());
    }
    Ok(out)
}

/// Outside production a missing JWT secret is generated once and kept in the data folder,
/// readable by the owner only, so tokens survive restarts.
fn generated_secret(path: &Path) -> anyhow::Result<String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;

    if let Ok(existing) = std::fs::read_to_string(path) {
        return Ok(existing.trim().to_owned());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let secret = crate::auth::tokens::random_token();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(secret.as_bytes())?;
    Ok(secret)
}

#[cfg(test)]
mod tests;
