//! Cheque serials: `SVW-7K3P-9QXD-4`. Eight random characters from Crockford's base-32
//! alphabet less Z (31 characters: no I, L, O, U or Z, so nothing reads as another
//! character) and a check character: the position-weighted sum modulo 31, a prime, so
//! every single mistyped character and every swap of two neighbours is caught (Luhn
//! mod 32 misses the swap of 0 and its last symbol). Reading forgives case, spaces and
//! dashes, and I/L for 1, O for 0.

use rand::Rng;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKMNPQRSTVWXY";
const PREFIX: &str = "SVW";

fn value(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|a| *a == c)
}

/// The check character for `payload`: Σ (position + 1) × value, modulo 31.
fn check_char(payload: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (i, c) in payload.iter().enumerate() {
        sum += (i + 1) * value(*c)?;
    }
    Some(ALPHABET[sum % ALPHABET.len()])
}

pub fn generate() -> String {
    let mut rng = rand::rng();
    let payload: Vec<u8> = (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())]).collect();
    let check = check_char(&payload).unwrap_or(b'0') as char;
    let p = String::from_utf8_lossy(&payload);
    format!("{PREFIX}-{}-{}-{check}", &p[..4], &p[4..])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerialError {
    /// Not the shape of a serial at all.
    Malformed,
    /// The right shape, but the check character does not match: a typo.
    CheckFailed,
}

/// Reads a serial as typed; returns it in its printed form.
pub fn parse(raw: &str) -> Result<String, SerialError> {
    let mut chars: Vec<u8> = raw
        .bytes()
        .filter(|b| !matches!(b, b'-' | b' '))
        .map(|b| match b.to_ascii_uppercase() {
            b'I' | b'L' => b'1',
            b'O' => b'0',
            other => other,
        })
        .collect();
    if chars.len() == 12 && chars.starts_with(b"SVW") {
        chars.drain(..3);
    }
    if chars.len() != 9 || chars.iter().any(|c| value(*c).is_none()) {
        return Err(SerialError::Malformed);
    }
    let (payload, check) = chars.split_at(8);
    if check_char(payload) != Some(check[0]) {
        return Err(SerialError::CheckFailed);
    }
    let p = String::from_utf8_lossy(payload);
    Ok(format!("{PREFIX}-{}-{}-{}", &p[..4], &p[4..], check[0] as char))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_serials_read_back_in_any_case_and_spacing() {
        for _ in 0..200 {
            let s = generate();
            assert_eq!(s.len(), 15, "{s}");
            assert_eq!(parse(&s), Ok(s.clone()));
            assert_eq!(parse(&s.to_lowercase().replace('-', " ")), Ok(s.clone()));
        }
        assert_eq!(parse("SVW-1234"), Err(SerialError::Malformed));
        assert_eq!(parse("hello"), Err(SerialError::Malformed));
    }

    proptest! {
        /// Every single wrong character is caught by the check character.
        #[test]
        fn one_typo_is_always_caught(pos in 0usize..9, replacement in 0usize..31) {
            let s = generate();
            let mut chars: Vec<u8> = s.bytes().filter(|b| *b != b'-').skip(3).collect();
            prop_assume!(ALPHABET[replacement] != chars[pos]);
            chars[pos] = ALPHABET[replacement];
            prop_assert_eq!(parse(&String::from_utf8(chars).unwrap()), Err(SerialError::CheckFailed));
        }

        /// So is swapping two different neighbours.
        #[test]
        fn a_swap_of_neighbours_is_caught(pos in 0usize..8) {
            let s = generate();
            let mut chars: Vec<u8> = s.bytes().filter(|b| *b != b'-').skip(3).collect();
            prop_assume!(chars[pos] != chars[pos + 1]);
            chars.swap(pos, pos + 1);
            prop_assert_eq!(parse(&String::from_utf8(chars).unwrap()), Err(SerialError::CheckFailed));
        }
    }
}
