//! Keys residents leave with the servicepunt (pure rules). A key carries a tag with a
//! short number, never the address, so a lost key leads no one to a house; a tag that
//! reads like an address (spaces, a street name) is refused.

use crate::error::FieldProblem;

/// At most this many characters on a tag.
pub const MAX_TAG_CHARS: usize = 12;

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
}
