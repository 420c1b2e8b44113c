//! Access tokens this process has verified already, so a token is checked from scratch
//! once, not on every request it comes with.
//!
//! A screen sends the same bearer token with every call for the token's lifetime (15
//! minutes by default). Verifying it — decoding its header and claims twice over, the
//! HMAC, the claim checks — took about a third of the time of a small read served from
//! memory: held, the kept reconciliation went from 57 to 83 % of `/health`'s requests
//! per second under wrk (docs/performance.md). Verification depends on the token's text,
//! the signing keys and the clock; the keys do not change while the process runs, so a
//! token that verified once verifies again until it expires, and expiry is checked on
//! every use with the same leeway as [`JwtKeys::verify`](super::jwt::JwtKeys::verify).
//! Ended sessions are checked on every request as before
//! ([`Revocations`](super::revocations::Revocations)).
//!
//! Only tokens that verified are held, so nobody fills the map without logging in, and it
//! holds at most [`MAX_HELD`]. A token is found by a keyed hash of its text (the map's
//! random keys, so nobody can aim at another's slot) and then compared with the held text
//! in full, in constant time.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, PoisonError, RwLock};

use super::AuthUser;
use super::jwt::{Claims, LEEWAY_SECS};

/// Tokens held at most (a few hundred bytes each); when full, the expired ones go, and if
/// that is not enough, all of them.
pub const MAX_HELD: usize = 10_000;

/// What a verified token says, as far as a request needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub user: AuthUser,
    /// The session the token was issued in, to check whether it has ended.
    pub sid: Arc<str>,
    /// Seconds since the epoch.
    pub expires: u64,
}

impl Verified {
    /// `None` when the subject is not an account id.
    pub fn of(claims: Claims) -> Option<Self> {
        let id = claims.sub.parse::<i64>().ok()?;
        Some(Verified {
            user: AuthUser { id, role: claims.role },
            sid: claims.sid.into(),
            expires: claims.exp,
        })
    }

    fn valid_at(&self, now: u64) -> bool {
        now.saturating_sub(LEEWAY_SECS) <= self.expires
    }
}

struct Held {
    token: Box<str>,
    verified: Verified,
}

#[derive(Default)]
pub struct VerifiedTokens {
    held: RwLock<HashMap<u64, Held>>,
    hasher: RandomState,
}

/// Equal texts, taking the same time wherever they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |differ, (x, y)| differ | (x ^ y)) == 0
}

impl VerifiedTokens {
    /// What `token` says, if it was verified here before and has not expired at `now`
    /// (seconds since the epoch).
    pub fn get(&self, token: &str, now: u64) -> Option<Verified> {
        let slot = self.hasher.hash_one(token);
        let held = self.held.read().unwrap_or_else(PoisonError::into_inner);
        held.get(&slot)
            .filter(|h| same(h.token.as_bytes(), token.as_bytes()) && h.verified.valid_at(now))
            .map(|h| h.verified.clone())
    }

    /// Holds `token`, which has just been verified and says `verified`.
    pub fn keep(&self, token: &str, verified: Verified, now: u64) {
        let slot = self.hasher.hash_one(token);
        let mut held = self.held.write().unwrap_or_else(PoisonError::into_inner);
        if held.len() >= MAX_HELD && !held.contains_key(&slot) {
            held.retain(|_, h| h.verified.valid_at(now));
            if held.len() >= MAX_HELD {
                held.clear();
            }
        }
        held.insert(
            slot,
            Held {
                token: token.into(),
                verified,
            },
        );
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.held.read().unwrap_or_else(PoisonError::into_inner).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    const NOW: u64 = 1_800_000_000;

    fn verified(id: i64, role: Role, sid: &str, expires: u64) -> Verified {
        Verified {
            user: AuthUser { id, role },
            sid: sid.into(),
            expires,
        }
    }

    #[test]
    fn a_held_token_is_answered_until_it_expires_with_the_leeway() {
        let tokens = VerifiedTokens::default();
        let says = verified(7, Role::Finance, "s1", NOW + 900);
        tokens.keep("a.b.c", says.clone(), NOW);
        assert_eq!(tokens.get("a.b.c", NOW), Some(says.clone()));
        assert_eq!(tokens.get("a.b.c", NOW + 900 + LEEWAY_SECS), Some(says));
        assert_eq!(tokens.get("a.b.c", NOW + 900 + LEEWAY_SECS + 1), None);
    }

    #[test]
    fn only_the_exact_text_is_found() {
        let tokens = VerifiedTokens::default();
        tokens.keep("a.b.c", verified(7, Role::Finance, "s1", NOW + 900), NOW);
        assert_eq!(tokens.get("a.b.d", NOW), None);
        assert_eq!(tokens.get("a.b.c.", NOW), None);
        assert_eq!(tokens.get("", NOW), None);
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd") && !same(b"abc", b"ab") && !same(b"xbc", b"abc"));
    }

    #[test]
    fn it_holds_no_more_than_its_bound_and_drops_the_expired_first() {
        let tokens = VerifiedTokens::default();
        tokens.keep("old", verified(1, Role::Resident, "s0", NOW - 3600), NOW - 4000);
        for i in 1..MAX_HELD {
            tokens.keep(&format!("t{i}"), verified(1, Role::Resident, "s1", NOW + 900), NOW);
        }
        assert_eq!(tokens.len(), MAX_HELD);
        tokens.keep("new", verified(2, Role::Resident, "s2", NOW + 900), NOW);
        assert_eq!(tokens.len(), MAX_HELD, "the expired one made room");
        assert!(tokens.get("new", NOW).is_some() && tokens.get("t1", NOW).is_some());
        tokens.keep("newer", verified(3, Role::Resident, "s3", NOW + 900), NOW);
        assert_eq!(tokens.len(), 1, "nothing expired: all went");
        assert!(tokens.get("newer", NOW).is_some());
    }

    #[test]
    fn a_subject_that_is_no_account_id_is_not_held() {
        let claims = |sub: &str| Claims {
            iss: "servicepunt".into(),
            aud: "servicepunt-api".into(),
            sub: sub.into(),
            role: Role::Resident,
            sid: "s1".into(),
            iat: NOW,
            exp: NOW + 900,
        };
        assert_eq!(Verified::of(claims("x")), None);
        assert_eq!(
            Verified::of(claims("12")),
            Some(verified(12, Role::Resident, "s1", NOW + 900))
        );
    }
}
