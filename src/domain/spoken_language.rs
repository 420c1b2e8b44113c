use crate::error::FieldProblem;

/// A language a participant speaks, as a code: the two letters of ISO 639-1 (`nl`, `en`,
/// `ar`, `ti`), or one of the three-letter codes of ISO 639-2/3 for languages spoken in
/// the Netherlands that have no two-letter code.
///
/// Planning matches these codes against a resident's language, and a participant who
/// speaks `en` but not `nl` is written to in English, so a name or another code for the
/// same language (`engels`, `eng`) would silently match nothing. Such input is refused
/// with the code to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpokenLanguage(String);

impl SpokenLanguage {
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let s = raw.trim().to_lowercase();
        if TWO_LETTER.contains(&s.as_str()) || WITHOUT_TWO_LETTER.contains(&s.as_str()) {
            return Ok(SpokenLanguage(s));
        }
        let message = match NAMES.iter().find(|(name, _)| *name == s) {
            Some((_, code)) => format!("write the language code `{code}` for {}", raw.trim()),
            None => "a language code such as nl, en, ar or tr (ISO 639-1)".to_owned(),
        };
        Err(FieldProblem::new("unknown_language", message))
    }

    pub fn into_inner(self) -> String {
        self.0
    }

    /// Every code [`SpokenLanguage::parse`] takes, as written in the contract.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        TWO_LETTER.into_iter().chain(WITHOUT_TWO_LETTER)
    }
}

/// ISO 639-1, all 183 codes.
const TWO_LETTER: [&str; 183] = [
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi", "bm", "bn", "bo",
    "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo",
    "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi",
    "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka",
    "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng",
    "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn",
    "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su",
    "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur",
    "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Papiamento, Sranantongo, Berber (Tamazight, Tarifit) and Dari: spoken in the
/// Netherlands, without a two-letter code.
const WITHOUT_TWO_LETTER: [&str; 6] = ["pap", "srn", "ber", "rif", "tzm", "prs"];

/// Names and other codes a werkleider may type, with the code to write instead.
const NAMES: [(&str, &str); 52] = [
    ("nederlands", "nl"),
    ("dutch", "nl"),
    ("nld", "nl"),
    ("dut", "nl"),
    ("engels", "en"),
    ("english", "en"),
    ("eng", "en"),
    ("arabisch", "ar"),
    ("arabic", "ar"),
    ("ara", "ar"),
    ("turks", "tr"),
    ("turkish", "tr"),
    ("tur", "tr"),
    ("pools", "pl"),
    ("polish", "pl"),
    ("pol", "pl"),
    ("duits", "de"),
    ("german", "de"),
    ("deu", "de"),
    ("ger", "de"),
    ("frans", "fr"),
    ("french", "fr"),
    ("fra", "fr"),
    ("spaans", "es"),
    ("spanish", "es"),
    ("spa", "es"),
    ("portugees", "pt"),
    ("portuguese", "pt"),
    ("russisch", "ru"),
    ("russian", "ru"),
    ("rus", "ru"),
    ("oekraïens", "uk"),
    ("oekraiens", "uk"),
    ("ukrainian", "uk"),
    ("ukr", "uk"),
    ("roemeens", "ro"),
    ("romanian", "ro"),
    ("bulgaars", "bg"),
    ("bulgarian", "bg"),
    ("tigrinya", "ti"),
    ("tir", "ti"),
    ("somalisch", "so"),
    ("somali", "so"),
    ("perzisch", "fa"),
    ("farsi", "fa"),
    ("persian", "fa"),
    ("koerdisch", "ku"),
    ("kurdish", "ku"),
    ("fries", "fy"),
    ("frysk", "fy"),
    ("papiaments", "pap"),
    ("dari", "prs"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_codes_in_any_case_and_spacing() {
        for (raw, code) in [("nl", "nl"), (" EN ", "en"), ("Ti", "ti"), ("pap", "pap")] {
            assert_eq!(
                SpokenLanguage::parse(raw).map(SpokenLanguage::into_inner),
                Ok(code.to_owned())
            );
        }
    }

    #[test]
    fn refuses_a_name_with_the_code_to_write() {
        let problem = SpokenLanguage::parse("Engels").unwrap_err();
        assert_eq!(problem.code, "unknown_language");
        assert_eq!(problem.message, "write the language code `en` for Engels");
        assert!(SpokenLanguage::parse("eng").unwrap_err().message.contains("`en`"));
    }

    #[test]
    fn refuses_what_is_no_code() {
        for raw in ["", "xx", "e", "nl-be", "klingon"] {
            let problem = SpokenLanguage::parse(raw).unwrap_err();
            assert_eq!(problem.code, "unknown_language", "{raw:?}");
            assert!(problem.message.contains("ISO 639-1"), "{raw:?}");
        }
    }

    #[test]
    fn every_hint_names_a_code_that_is_taken() {
        for (name, code) in NAMES {
            assert!(SpokenLanguage::parse(code).is_ok(), "{name} → {code}");
            assert!(SpokenLanguage::parse(name).is_err(), "{name} is itself a code");
        }
    }

    #[test]
    fn every_code_the_contract_lists_is_taken_as_written() {
        let codes: Vec<&str> = SpokenLanguage::codes().collect();
        assert_eq!(codes.len(), 189);
        for code in codes {
            assert_eq!(
                SpokenLanguage::parse(code).map(SpokenLanguage::into_inner),
                Ok(code.to_owned())
            );
        }
    }

    #[test]
    fn the_two_letter_codes_are_sorted_and_unique() {
        assert!(TWO_LETTER.windows(2).all(|w| w[0] < w[1]));
        assert!(
            TWO_LETTER
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_lowercase()))
        );
    }
}
