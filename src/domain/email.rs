use std::fmt;

use crate::error::FieldProblem;

/// An email address, trimmed and lower-cased so that lookups and uniqueness ignore case.
///
/// The check is deliberately modest (one `@`, a dotted domain, no spaces, sane length):
/// the only real proof of an address is a verification email.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let s = raw.trim().to_lowercase();
        let invalid = || FieldProblem::new("invalid_email", "not a valid email address");
        if s.is_empty() || s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            Email::parse("  Oma.Jansen@Example.NL ").map(|e| e.0),
            Ok("oma.jansen@example.nl".into())
        );
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "plain",
            "a@b",
            "@example.nl",
            "a@@example.nl",
            "a b@example.nl",
            "a@.nl",
            "a@example..nl",
            "a@-x.nl",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn an_address_has_at_most_254_characters() {
        let at_most = format!("{}@{}.nl", "a".repeat(64), "b".repeat(254 - 64 - 4));
        assert_eq!(at_most.len(), 254);
        assert!(Email::parse(&at_most).is_ok());
        let over = format!("{}@{}.nl", "a".repeat(64), "b".repeat(254 - 64 - 3));
        assert!(Email::parse(&over).is_err());
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(local in "[a-z0-9._+-]{1,20}", domain in "[a-z0-9]{1,10}\\.[a-z]{2,5}") {
            let once = Email::parse(&format!("{local}@{domain}")).unwrap();
            let twice = Email::parse(once.as_str()).unwrap();
            prop_assert_eq!(once, twice);
        }

        #[test]
        fn never_panics(s in ".{0,300}") {
            let _ = Email::parse(&s);
        }
    }
}
