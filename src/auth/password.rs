//! Password hashing (argon2id, PHC strings) and the rules a new password must meet.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use secrecy::{ExposeSecret, SecretString};

use crate::error::FieldProblem;

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// Passwords long enough to pass the length rule yet among the first tried by attackers.
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789012",
    "0123456789",
    "qwertyuiop",
    "password12",
    "password123",
    "password1234",
    "wachtwoord",
    "wachtwoord1",
    "wachtwoord12",
    "wachtwoord123",
    "welkom1234",
    "welkom12345",
    "iloveyou12",
    "qwerty1234",
    "qwerty12345",
    "1q2w3e4r5t",
    "aaaaaaaaaa",
    "abcdefghij",
    "servicepunt",
    "servicevoordewijk",
    "zomer20242025",
];

/// A password that meets the rules for a new one. Never logged, never serialised.
pub struct NewPassword(SecretString);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let chars = raw.chars().count();
        if chars < MIN_LEN {
            return Err(FieldProblem::new(
                "password_too_short",
                format!("a password has at least {MIN_LEN} characters"),
            ));
        }
        if chars > MAX_LEN {
            return Err(FieldProblem::new(
                "password_too_long",
                format!("a password has at most {MAX_LEN} characters"),
            ));
        }
        let lower = raw.to_lowercase();
        if COMMON.contains(&lower.as_str()) || lower.chars().all(|c| lower.starts_with(c)) {
            return Err(FieldProblem::new(
                "password_too_common",
                "this password is too easy to guess; choose another",
            ));
        }
        Ok(NewPassword(SecretString::from(raw.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// Hashes with argon2id and a fresh random salt.
pub fn hash(password: &NewPassword) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// What an account made for someone by staff stores until its holder chooses a password
/// (through the link they are mailed): no password verifies against it. Like every stored
/// value that starts with `!` (an erased account's too), it is no hash at all, so making
/// the account costs no hashing.
pub const NOT_CHOSEN_YET: &str = "!invited";

/// Whether `stored` holds no password: one not chosen yet, or one taken away.
fn is_unusable(stored: &str) -> bool {
    stored.starts_with('!')
}

/// Checks a password against a stored PHC string. An account without a usable password
/// never matches, after the same work as a real check (so its answer takes as long as any
/// other); a malformed stored hash counts as a mismatch (and is logged) rather than an
/// error the caller could tell apart.
pub fn verify(candidate: &str, stored: &str) -> bool {
    if is_unusable(stored) {
        verify(candidate, dummy_hash());
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok(),
        Err(e) => {
            tracing::error!(error = %e, "stored password hash is malformed");
            false
        }
    }
}

/// A hash to verify against when the account does not exist, so that a login for an
/// unknown address costs as much time as one for a known address.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c2VydmljZXB1bnRkdW1teQ$3l8E7Dyx9XGrx9Q0e0kCj7cRbuX0CWQFVlEY3kZ8t5o"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(
            NewPassword::parse("short").err().map(|p| p.code),
            Some("password_too_short")
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(129)).err().map(|p| p.code),
            Some("password_too_long")
        );
        assert_eq!(
            NewPassword::parse("Wachtwoord123").err().map(|p| p.code),
            Some("password_too_common")
        );
        assert_eq!(
            NewPassword::parse("zzzzzzzzzzzz").err().map(|p| p.code),
            Some("password_too_common")
        );
        assert!(NewPassword::parse("paarse-tulp-bij-de-molen").is_ok());
    }

    #[test]
    fn hash_and_verify() {
        let pw = NewPassword::parse("paarse-tulp-bij-de-molen").unwrap();
        let stored = hash(&pw).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("paarse-tulp-bij-de-molen", &stored));
        assert!(!verify("paarse-tulp-bij-de-mole", &stored));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn no_password_verifies_against_an_unusable_one() {
        for stored in [NOT_CHOSEN_YET, "!erased", "!"] {
            assert!(!verify("", stored));
            assert!(!verify(stored, stored));
            assert!(!verify("paarse-tulp-bij-de-molen", stored));
        }
    }

    #[test]
    fn dummy_hash_parses_and_matches_nothing_usual() {
        assert!(PasswordHash::new(dummy_hash()).is_ok());
        assert!(!verify("", dummy_hash()));
    }
}
