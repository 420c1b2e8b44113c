//! Small text values: names, phone numbers, house numbers and bounded free text.

use crate::error::FieldProblem;

fn clean(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A person's name as they write it: 1 to 200 characters, inner white space folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let s = clean(raw);
        if s.is_empty() {
            return Err(FieldProblem::new("required", "a name is required"));
        }
        if s.chars().count() > 200 || has_control(&s) {
            return Err(FieldProblem::new(
                "invalid_name",
                "a name has at most 200 printable characters",
            ));
        }
        Ok(PersonName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A phone number as dialled: digits with optional leading `+` and separators, 10 to 15
/// digits in at most [`Phone::MAX_CHARS`] characters. Stored without separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// `+31 (0)318 - 12 34 56` fits with room to spare.
    pub const MAX_CHARS: usize = 25;

    /// The usual written forms, for the contract (`pattern` in the OpenAPI document, with
    /// [`MAX_CHARS`](Self::MAX_CHARS) as `maxLength`): `0318123456`, `0318 123456`,
    /// `06-12345678`, `+31 318 123456`. [`parse`](Self::parse) also takes brackets and
    /// runs of separators (`+31 (0)318 - 12 34 56`).
    pub const PATTERN: &'static str = r"^\+?[0-9]([ -]?[0-9]){9,14}$";

    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let trimmed = raw.trim();
        let invalid = || {
            FieldProblem::new(
                "invalid_phone",
                format!(
                    "a phone number has 10 to 15 digits and at most {} characters, e.g. 0318 123456 or +31 318 123456",
                    Self::MAX_CHARS
                ),
            )
        };
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => ("+", rest),
            None => ("", trimmed),
        };
        if trimmed.chars().count() > Self::MAX_CHARS
            || !rest
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
        {
            return Err(invalid());
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if !(10..=15).contains(&digits.len()) {
            return Err(invalid());
        }
        Ok(Phone(format!("{plus}{digits}")))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A Dutch house number with optional addition: `12`, `12a`, `12-3`, `12 bis`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseNumber(String);

impl HouseNumber {
    /// The forms [`parse`](Self::parse) takes, for the contract: one to five digits, the
    /// first not 0, then an addition of up to ten letters, digits, spaces, `-` or `/`
    /// that does not start with a digit (`12`, `12a`, `12-3`, `12 bis`). Letters outside
    /// A to Z are taken as well (`12é`).
    pub const PATTERN: &'static str = r"^[1-9][0-9]{0,4}([A-Za-z /-][A-Za-z0-9 /-]{0,9})?$";

    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let s = clean(raw);
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        let addition = &s[digits.len()..];
        let ok = !digits.is_empty()
            && digits.len() <= 5
            && !digits.starts_with('0')
            && addition.chars().count() <= 10
            && addition
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '/'));
        if !ok {
            return Err(FieldProblem::new(
                "invalid_house_number",
                "a house number starts with digits, e.g. 12 or 12a",
            ));
        }
        Ok(HouseNumber(s))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Free text with a length bound (street, city, wijk, notes): trimmed; empty means absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortText(String);

impl ShortText {
    /// Parses required text of at most `max` characters.
    pub fn parse(raw: &str, max: usize) -> Result<Self, FieldProblem> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldProblem::new("required", "this field is required"));
        }
        if s.chars().count() > max {
            return Err(FieldProblem::new("too_long", format!("at most {max} characters")));
        }
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(FieldProblem::new("invalid_text", "control characters are not allowed"));
        }
        Ok(ShortText(s.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_fold_space_and_refuse_empty() {
        assert_eq!(
            PersonName::parse("  Anna   de  Vries ").map(|n| n.0),
            Ok("Anna de Vries".into())
        );
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"x".repeat(201)).is_err());
        assert!(PersonName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(Phone::parse("0318-123 456").map(|p| p.0), Ok("0318123456".into()));
        assert_eq!(
            Phone::parse("+31 (0)318 123456").map(|p| p.0),
            Ok("+310318123456".into())
        );
        for bad in ["", "12345", "0318abc456", "++31318123456", "1234567890123456"] {
            assert!(Phone::parse(bad).is_err(), "{bad:?}");
        }
        // Ten digits, but spread over more than 25 characters.
        assert!(Phone::parse(&format!("0318{}123456", " ".repeat(15))).is_ok());
        assert!(Phone::parse(&format!("0318{}123456", " ".repeat(16))).is_err());
    }

    #[test]
    fn house_numbers() {
        // At most 15 characters: five digits and an addition of ten.
        for ok in ["1", "12a", "12-3", "12 bis", "99999", "12345 abcdefghi"] {
            assert!(HouseNumber::parse(ok).is_ok(), "{ok:?}");
        }
        for bad in ["", "a12", "0", "123456", "12<script>", "12345 abcdefghij"] {
            assert!(HouseNumber::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn short_text_bounds() {
        assert!(ShortText::parse("Ede", 10).is_ok());
        assert_eq!(ShortText::parse("  ", 10).map_err(|p| p.code), Err("required"));
        assert_eq!(ShortText::parse("abcdefghijk", 10).map_err(|p| p.code), Err("too_long"));
    }

    proptest! {
        #[test]
        fn whatever_the_phone_pattern_allows_parses(s in crate::domain::matching(Phone::PATTERN)) {
            prop_assume!(s.chars().count() <= Phone::MAX_CHARS);
            prop_assert!(Phone::parse(&s).is_ok(), "{:?}", s);
        }

        #[test]
        fn whatever_the_house_number_pattern_allows_parses(s in crate::domain::matching(HouseNumber::PATTERN)) {
            prop_assert!(HouseNumber::parse(&s).is_ok(), "{:?}", s);
        }

        #[test]
        fn parsers_never_panic(s in ".{0,40}") {
            let _ = PersonName::parse(&s);
            let _ = Phone::parse(&s);
            let _ = HouseNumber::parse(&s);
            let _ = ShortText::parse(&s, 20);
        }
    }
}
