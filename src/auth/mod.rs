//! Authentication and roles: argon2id passwords, short-lived JWT access tokens, rotating
//! refresh tokens with theft detection, login throttling, and the role extractors that make
//! a handler's audience visible in its signature.

pub mod account_access;
pub mod account_tokens;
pub mod email_links;
pub mod even_time;
pub mod expired_tokens;
pub mod extract;
pub mod handlers;
pub mod hashing;
pub mod invitations;
pub mod jwt;
pub mod login_failures;
pub mod mail_cap;
pub mod password;
pub mod person_accounts;
pub mod registrations;
pub mod revocations;
pub mod role;
pub mod session;
pub mod staff_accounts;
pub mod staff_directory;
pub mod store;
pub mod throttle;
pub mod tokens;
pub mod verified_tokens;

pub use extract::{AuthUser, RequireRole};
pub use role::Role;

use crate::config::JwtSettings;
use throttle::ThrottleLimits;

/// What the auth handlers and extractors need at run time, shared by all workers.
pub struct AuthState {
    pub jwt: JwtSettings,
    /// Sessions ended recently: their access tokens are refused.
    pub revocations: std::sync::Arc<revocations::Revocations>,
    /// Access tokens verified here before, until they expire.
    pub verified: verified_tokens::VerifiedTokens,
    /// Failed logins allowed per account and per client address.
    pub throttle: ThrottleLimits,
    /// Where the front end lives: links in account emails point there.
    pub public_url: String,
    /// How long registration and password-reset requests take at least (`even_time`).
    pub answer_floor: std::time::Duration,
}
