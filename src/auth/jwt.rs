//! Access tokens: HS256 JWTs with `iss`, `aud`, `exp`, `iat`, `sub`, `role`, `sid` (the
//! session, so ending it ends its access tokens at once) and a `kid` header naming the
//! key, so a secret can be rotated while tokens it signed run out.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Role;

pub const ISSUER: &str = "servicepunt";
pub const AUDIENCE: &str = "servicepunt-api";
/// Seconds a token is still accepted after its `exp`, for clocks a little apart.
pub const LEEWAY_SECS: u64 = 5;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub role: Role,
    /// The session (refresh-token family) the token was issued in.
    pub sid: String,
    pub iat: u64,
    pub exp: u64,
}

#[derive(Clone)]
struct Key {
    kid: String,
    secret: SecretString,
}

/// The signing key and the earlier keys still accepted for verification.
#[derive(Clone)]
pub struct JwtKeys {
    current: Key,
    previous: Vec<Key>,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("current_kid", &self.current.kid)
            .finish_non_exhaustive()
    }
}

/// A key's id is derived from the secret, so rotating the secret rotates the id.
fn kid_of(secret: &SecretString) -> String {
    hex::encode(&Sha256::digest(secret.expose_secret().as_bytes())[..8])
}

impl JwtKeys {
    pub fn new(current: SecretString, previous: Vec<SecretString>) -> Self {
        let key = |secret: SecretString| Key {
            kid: kid_of(&secret),
            secret,
        };
        JwtKeys {
            current: key(current),
            previous: previous.into_iter().map(key).collect(),
        }
    }

    pub fn current_kid(&self) -> &str {
        &self.current.kid
    }

    fn find(&self, kid: &str) -> Option<&Key> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.kid == kid)
    }

    /// Signs an access token for `user_id` in session `sid`, valid for `ttl` from `now`
    /// (seconds since epoch).
    pub fn issue(&self, user_id: i64, role: Role, sid: &str, now: u64, ttl: Duration) -> anyhow::Result<String> {
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user_id.to_string(),
            role,
            sid: sid.into(),
            iat: now,
            exp: now + ttl.as_secs(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.current.kid.clone());
        let key = EncodingKey::from_secret(self.current.secret.expose_secret().as_bytes());
        Ok(encode(&header, &claims, &key)?)
    }

    /// Verifies signature, algorithm, key id, issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let header = decode_header(token).ok()?;
        if header.alg != Algorithm::HS256 {
            return None;
        }
        let key = self.find(header.kid.as_deref()?)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        let decoding = DecodingKey::from_secret(key.secret.expose_secret().as_bytes());
        decode::<Claims>(token, &decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(SecretString::from(secret.to_owned()), vec![])
    }

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn issues_and_verifies() {
        let k = keys(A);
        let now = unix_now();
        let token = k.issue(7, Role::Finance, "s1", now, Duration::from_secs(900)).unwrap();
        let claims = k.verify(&token).unwrap();
        assert_eq!(claims.sub, "7");
        assert_eq!(claims.role, Role::Finance);
        assert_eq!(claims.sid, "s1");
        assert_eq!(claims.exp, now + 900);
    }

    #[test]
    fn a_token_without_a_session_is_refused() {
        let k = keys(A);
        let claims = serde_json::json!({
            "iss": ISSUER, "aud": AUDIENCE, "sub": "1", "role": "resident",
            "iat": unix_now(), "exp": unix_now() + 900,
        });
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(k.current_kid().to_owned());
        let token = encode(&header, &claims, &EncodingKey::from_secret(A.as_bytes())).unwrap();
        assert!(k.verify(&token).is_none());
    }

    #[test]
    fn rejects_expired_wrong_key_and_tampering() {
        let k = keys(A);
        let expired = k
            .issue(1, Role::Resident, "s1", unix_now() - 3600, Duration::from_secs(900))
            .unwrap();
        assert!(k.verify(&expired).is_none());
        let other = keys(B)
            .issue(1, Role::Resident, "s1", unix_now(), Duration::from_secs(900))
            .unwrap();
        assert!(k.verify(&other).is_none());
        let good = k
            .issue(1, Role::Resident, "s1", unix_now(), Duration::from_secs(900))
            .unwrap();
        let mut parts: Vec<&str> = good.split('.').collect();
        let forged_claims = URL_SAFE_NO_PAD.encode(br#"{"iss":"servicepunt","aud":"servicepunt-api","sub":"1","role":"coordinator","sid":"s1","iat":1,"exp":99999999999}"#);
        parts[1] = &forged_claims;
        assert!(k.verify(&parts.join(".")).is_none());
    }

    #[test]
    fn rotation_keeps_old_tokens_valid() {
        let old = keys(A);
        let token = old
            .issue(3, Role::Werkleider, "s1", unix_now(), Duration::from_secs(900))
            .unwrap();
        let rotated = JwtKeys::new(SecretString::from(B.to_owned()), vec![SecretString::from(A.to_owned())]);
        assert!(rotated.verify(&token).is_some());
        assert!(keys(B).verify(&token).is_none());
    }
}
