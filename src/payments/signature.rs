//! Stripe's webhook signature: `Stripe-Signature: t=<unix time>,v1=<hex>[,v1=…]`, where
//! each `v1` is HMAC-SHA256 over `"{t}.{raw body}"` with the endpoint's signing secret.
//! An event is accepted when one `v1` matches (compared in constant time) and `t` is
//! within five minutes of now, so a captured delivery cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far the signed time may be from ours.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// No header, or no `t=` or `v1=` in it.
    Malformed,
    /// The time is more than the tolerance away from now.
    Stale,
    /// No `v1` matches the body.
    Mismatch,
}

fn mac(secret: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!())
}

/// The header Stripe would send for `body` signed at `timestamp` (used by tests and the
/// bench to sign their payloads the way Stripe does).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut m = mac(secret);
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    format!("t={timestamp},v1={}", hex::encode(m.finalize().into_bytes()))
}

pub fn verify(secret: &str, header: &str, body: &[u8], now: i64) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let t = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    // `abs_diff`: a timestamp of i64::MIN would overflow a subtraction.
    if now.abs_diff(t) > TOLERANCE_SECS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    for candidate in &signatures {
        let mut m = mac(secret);
        m.update(t.to_string().as_bytes());
        m.update(b".");
        m.update(body);
        if m.verify_slice(candidate).is_ok() {
            return Ok(());
        }
    }
    Err(SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const NOW: i64 = 1_790_000_000;

    #[test]
    fn a_signed_body_verifies_and_anything_else_does_not() {
        let body = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;
        let header = sign(SECRET, NOW, body);
        assert_eq!(verify(SECRET, &header, body, NOW), Ok(()));
        assert_eq!(verify(SECRET, &header, body, NOW + 299), Ok(()));
        assert_eq!(verify(SECRET, &header, body, NOW + 301), Err(SignatureError::Stale));
        assert_eq!(verify(SECRET, &header, body, NOW - 301), Err(SignatureError::Stale));
        for t in [i64::MIN, i64::MAX] {
            let header = format!("t={t},v1=00");
            assert_eq!(verify(SECRET, &header, body, NOW), Err(SignatureError::Stale), "{t}");
        }
        assert_eq!(verify("whsec_other", &header, body, NOW), Err(SignatureError::Mismatch));
        let tampered = br#"{"id":"evt_1","type":"checkout.session.completeD"}"#;
        assert_eq!(verify(SECRET, &header, tampered, NOW), Err(SignatureError::Mismatch));
        assert_eq!(verify(SECRET, "", body, NOW), Err(SignatureError::Malformed));
        assert_eq!(verify(SECRET, "t=abc,v1=00", body, NOW), Err(SignatureError::Malformed));
        assert_eq!(
            verify(SECRET, &format!("t={NOW}"), body, NOW),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn one_matching_signature_among_several_is_enough() {
        let body = b"{}";
        let good = sign(SECRET, NOW, body);
        let v1 = good.split_once(",v1=").map(|(_, v)| v).unwrap_or_default();
        let header = format!("t={NOW},v1={},v0=ignored,v1={v1}", "ab".repeat(32));
        assert_eq!(verify(SECRET, &header, body, NOW), Ok(()));
    }
}
