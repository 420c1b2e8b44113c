//! Domain values shared by several features, parsed once at the edge of the API so the rest
//! of the code cannot hold an invalid one.

mod email;
mod language;
mod money;
mod postcode;
mod service_area;
mod spoken_language;
mod text;

pub use email::Email;
pub use language::Language;
pub use money::{decimal, euros};
pub use postcode::Postcode;
pub use service_area::ServiceArea;
pub use spoken_language::SpokenLanguage;
pub use text::{HouseNumber, PersonName, Phone, ShortText};

/// Strings a contract `pattern` (anchored, as JSON Schema writes it) allows: a front end
/// checking input against it sends only what the parser takes.
#[cfg(test)]
pub(crate) fn matching(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    let inner = pattern.trim_start_matches('^').trim_end_matches('$');
    proptest::string::string_regex(inner).unwrap_or_else(|e| panic!("{pattern}: {e}"))
}
