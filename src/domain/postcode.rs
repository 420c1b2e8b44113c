use std::fmt;

use crate::error::FieldProblem;

/// A Dutch postcode: four digits (the first not 0) and two letters, stored as `1234 AB`.
///
/// Input is forgiving about case and the space (`1234ab`, `1234 ab`); the letter pairs
/// SA, SD and SS are not issued by PostNL and are refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode(String);

impl Postcode {
    /// The written forms [`parse`](Self::parse) takes, for the contract (`pattern` in the
    /// OpenAPI document, where a form can check a postcode before sending it): `1234 AB`,
    /// `1234ab`, without SA, SD and SS. Surrounding white space is forgiven too.
    pub const PATTERN: &'static str = r"^[1-9][0-9]{3} ?([A-Ra-rT-Zt-z][A-Za-z]|[Ss][BCE-RT-Zbce-rt-z])$";

    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let invalid = || FieldProblem::new("invalid_postcode", "a Dutch postcode looks like 1234 AB");
        let bytes = compact.as_bytes();
        if bytes.len() != 6 || raw.trim().len() > 7 {
            return Err(invalid());
        }
        let digits_ok = bytes[..4].iter().all(u8::is_ascii_digit) && bytes[0] != b'0';
        let letters_ok = bytes[4..].iter().all(u8::is_ascii_uppercase);
        if !digits_ok || !letters_ok || matches!(&compact[4..], "SA" | "SD" | "SS") {
            return Err(invalid());
        }
        Ok(Postcode(format!("{} {}", &compact[..4], &compact[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The four-digit area, used for search and for proximity.
    pub fn area(&self) -> &str {
        &self.0[..4]
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_forms() {
        for ok in ["6711 AB", "6711ab", " 6711 ab ", "6711Ab"] {
            assert_eq!(Postcode::parse(ok).map(|p| p.0), Ok("6711 AB".to_owned()), "{ok:?}");
        }
    }

    #[test]
    fn rejects_bad() {
        for bad in [
            "",
            "671 AB",
            "0711 AB",
            "6711 A",
            "6711 ABC",
            "ABCD 12",
            "6711 SS",
            "6711 SA",
            "6711-AB",
            "6711 ÄB",
            "6711 sd",
            "67 11 AB x",
            // More than seven characters as written.
            "6711  AB",
        ] {
            assert!(Postcode::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    proptest! {
        #[test]
        fn valid_shapes_round_trip(d in 1000u32..10000, l in "[A-RT-Z][A-Z]") {
            let p = Postcode::parse(&format!("{d}{}", l.to_lowercase())).unwrap();
            prop_assert_eq!(Postcode::parse(p.as_str()).unwrap(), p.clone());
            prop_assert_eq!(p.area(), d.to_string());
        }

        #[test]
        fn never_panics(s in ".{0,20}") {
            let _ = Postcode::parse(&s);
        }

        #[test]
        fn whatever_the_pattern_allows_parses(s in crate::domain::matching(Postcode::PATTERN)) {
            prop_assert!(Postcode::parse(&s).is_ok(), "{:?}", s);
        }
    }
}
