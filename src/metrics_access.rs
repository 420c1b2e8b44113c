//! Who may read `/metrics`. Request counts per route and the outbox's state are
//! operational, not personal, but they show how much the service is used and cost a
//! database query each: in production only a scraper with the configured token reads
//! them, and without a token the route is off.

use actix_web::HttpRequest;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

#[derive(Debug, Clone)]
pub enum MetricsAccess {
    /// Anyone (outside production, with no token set).
    Open,
    /// Whoever sends `Authorization: Bearer <token>`.
    Token(SecretString),
    /// Nobody: the route answers 404 (production with no token set).
    Off,
}

/// Shortest token accepted, like the JWT secret.
pub const MIN_TOKEN_LEN: usize = 32;

impl MetricsAccess {
    pub fn check(&self, req: &HttpRequest) -> Result<(), ApiError> {
        let expected = match self {
            MetricsAccess::Open => return Ok(()),
            MetricsAccess::Off => return Err(ApiError::NotFound),
            MetricsAccess::Token(token) => token,
        };
        let presented = crate::auth::extract::bearer(req)?;
        // Comparing digests keeps the time taken independent of where they differ.
        let digest = |s: &str| Sha256::digest(s.as_bytes());
        if digest(presented) == digest(expected.expose_secret()) {
            Ok(())
        } else {
            Err(ApiError::InvalidToken)
        }
    }
}
