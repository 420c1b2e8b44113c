//! Opaque random tokens (refresh tokens, generated secrets) and how they are stored.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes from the OS generator, hex encoded (64 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // ThreadRng is a CSPRNG (ChaCha) seeded from the OS and reseeded periodically.
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Tokens are stored as SHA-256 hashes: a leaked table does not yield usable tokens, and
/// the tokens carry 256 bits of entropy, so no salt or slow hash is needed.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hashes_stable() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
