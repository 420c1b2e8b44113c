//! Where the servicepunt works: the four-digit postcode areas of its municipality. The
//! municipality pays the reduced rate for its own residents, and the crews walk or cycle
//! from the servicepunt; an address outside is not taken on. Not set: anywhere.

use crate::error::FieldProblem;

use super::Postcode;

/// Postcode areas as inclusive ranges of their four digits; empty for anywhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceArea(Vec<(u16, u16)>);

impl ServiceArea {
    /// Reads a list such as `6710-6718, 6720, 6741`: areas and ranges of areas, comma
    /// separated; blank for anywhere.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let area = |s: &str| -> Result<u16, String> {
            let s = s.trim();
            match s.parse::<u16>() {
                Ok(n) if (1000..=9999).contains(&n) && s.len() == 4 => Ok(n),
                _ => Err(format!("`{s}` is not a four-digit postcode area")),
            }
        };
        let mut ranges = vec![];
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (first, last) = match part.split_once('-') {
                Some((first, last)) => (area(first)?, area(last)?),
                None => (area(part)?, area(part)?),
            };
            if last < first {
                return Err(format!("`{part}` runs backwards"));
            }
            ranges.push((first, last));
        }
        Ok(ServiceArea(ranges))
    }

    /// Whether any address is taken on.
    pub fn is_anywhere(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, postcode: &Postcode) -> bool {
        let Ok(area) = postcode.area().parse::<u16>() else {
            return false;
        };
        self.is_anywhere() || self.0.iter().any(|(first, last)| (*first..=*last).contains(&area))
    }

    /// `postcode` as it is when it lies in the area; a problem for the field otherwise.
    pub fn check(&self, postcode: Postcode) -> Result<Postcode, FieldProblem> {
        if self.contains(&postcode) {
            Ok(postcode)
        } else {
            Err(FieldProblem::new(
                "outside_service_area",
                "the servicepunt does not work at this postcode; please call the servicepunt",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postcode(s: &str) -> Postcode {
        Postcode::parse(s).unwrap()
    }

    #[test]
    fn an_area_is_a_list_of_postcode_areas_and_ranges() {
        let ede = ServiceArea::parse(" 6710-6718, 6720 ,6741").unwrap();
        for inside in ["6710 AA", "6713 KL", "6718 ZZ", "6720 AB", "6741 CD"] {
            assert!(ede.contains(&postcode(inside)), "{inside}");
        }
        for outside in ["6709 ZZ", "6719 AA", "6721 AA", "1012 AB"] {
            assert!(!ede.contains(&postcode(outside)), "{outside}");
        }
        assert_eq!(ede.check(postcode("1012 AB")).unwrap_err().code, "outside_service_area");
        assert_eq!(ede.check(postcode("6741 CD")), Ok(postcode("6741 CD")));
    }

    #[test]
    fn no_area_takes_any_address() {
        let anywhere = ServiceArea::parse("  ").unwrap();
        assert!(anywhere.is_anywhere());
        assert!(anywhere.contains(&postcode("9999 ZZ")));
    }

    #[test]
    fn a_malformed_area_is_refused_when_the_service_starts() {
        for bad in ["671", "67100", "abcd", "6718-6710", "6710-", "0999"] {
            assert!(ServiceArea::parse(bad).is_err(), "{bad:?}");
        }
    }
}
