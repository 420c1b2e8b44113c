//! Keys residents leave with the servicepunt (pure rules). A key carries a tag with a
//! short number, never the address, so a lost key leads no one to a house; a tag that
//! reads like an address (spaces, a street name) is refused.

use crate::error::FieldProblem;

/// At most this many characters on a tag.
pub const MAX_TAG_CHARS: usize = 12;

/// The tags [`tag`] takes, as the contract declares them (with at most [`MAX_TAG_CHARS`]
/// characters beside it): letters, digits and dashes, at least one digit.
pub const TAG_PATTERN: &str = r"^[A-Za-z-]{0,11}[0-9][A-Za-z0-9-]{0,11}$";

/// The tag as stored: trimmed and upper-case; letters, digits and dashes, 1 to
/// [`MAX_TAG_CHARS`] of them, and at least one digit.
pub fn tag(raw: &str) -> Result<String, FieldProblem> {
    let tag = raw.trim().to_uppercase();
    let allowed = tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let numbered = tag.chars().any(|c| c.is_ascii_digit());
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS || !allowed || !numbered {
        return Err(FieldProblem::new(
            "invalid_tag",
            format!(
                "the number on the key's tag, e.g. S-12: letters, digits and dashes, at most {MAX_TAG_CHARS}, never the address"
            ),
        ));
    }
    Ok(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_a_short_number_and_never_an_address() {
        assert_eq!(tag(" s-12 ").unwrap(), "S-12");
        assert_eq!(tag("104").unwrap(), "104");
        for bad in ["", "Dorpsstraat 1", "S-", "ABCDEFGHIJK12", "S_12"] {
            assert_eq!(tag(bad).unwrap_err().code, "invalid_tag", "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn whatever_the_pattern_allows_within_the_length_is_a_tag(s in crate::domain::matching(TAG_PATTERN)) {
            proptest::prop_assume!(s.chars().count() <= MAX_TAG_CHARS);
            proptest::prop_assert_eq!(tag(&s), Ok(s.to_uppercase()));
        }
    }
}
