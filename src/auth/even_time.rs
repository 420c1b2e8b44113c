//! Answers that must not tell by their timing whether an address has an account
//! (registration, a password-reset request) are sent no sooner than a fixed time after
//! the request began. For a known address these write a token and an email, for an
//! unknown one little or nothing: milliseconds apart, which enough requests would
//! measure. Both finish well within the floor (`SERVICEPUNT_ACCOUNT_ANSWER_FLOOR_MS`,
//! 300 by default: long enough for either path under load, short enough not to bother
//! anyone), so the time says nothing.

use std::time::Duration;

use tokio::time::Instant;

/// Waits until `floor` has passed since `started`.
pub async fn pad(started: Instant, floor: Duration) {
    tokio::time::sleep_until(started + floor).await;
}
