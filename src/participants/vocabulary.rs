//! A participant's skills are matched word for word against the skills the catalogue's
//! services require, and their interests and aversions against the services' categories
//! (`planning::rules`, `planning::score`). A word that matches nothing would silently
//! leave them out of the work they can do, or out of the work they like: `tuinierren`
//! for `tuinieren`. So a new word must be one the catalogue knows; the error names the
//! words it does. Words a profile already holds stay when other fields change, even if
//! the catalogue no longer uses them.

use std::collections::BTreeSet;

use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::error::{ApiError, Violations};

/// The words the catalogue matches on, over all its services (paused ones too: a
/// seasonal service comes back).
#[derive(Debug, Default)]
pub struct Vocabulary {
    pub skills: BTreeSet<String>,
    pub categories: BTreeSet<String>,
}

/// Which list a field of the profile is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    Skills,
    Interests,
    Aversions,
}

impl Words {
    fn field(self) -> &'static str {
        match self {
            Words::Skills => "skills",
            Words::Interests => "interests",
            Words::Aversions => "aversions",
        }
    }
}

impl Vocabulary {
    pub fn of_catalogue(conn: &mut DbConn) -> Result<Self, ApiError> {
        let mut v = Vocabulary::default();
        for (service, _) in catalogue::list(conn, true)? {
            v.categories.insert(service.category);
            v.skills.extend(service.required_skill);
        }
        Ok(v)
    }

    /// Checks a profile's lists at once: each `(words, items, before)`, a list left out of
    /// a change as `None`. 422 with every word refused.
    pub fn check_lists(&self, lists: [(Words, Option<&[String]>, &str); 3]) -> Result<(), ApiError> {
        let mut v = Violations::new();
        for (words, items, before) in lists {
            if let Some(items) = items {
                self.check(words, items, before, &mut v);
            }
        }
        v.into_result()
    }

    /// Records a violation at `field[i]` for each item of `items` that is neither known
    /// to the catalogue nor among `before` (the profile's comma-separated words) (pure).
    pub fn check(&self, words: Words, items: &[String], before: &str, v: &mut Violations) {
        let known = match words {
            Words::Skills => &self.skills,
            Words::Interests | Words::Aversions => &self.categories,
        };
        let kept: BTreeSet<&str> = before.split(',').filter(|w| !w.is_empty()).collect();
        let listed = || {
            if known.is_empty() {
                "none yet".to_owned()
            } else {
                known.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
            }
        };
        for (i, item) in items.iter().enumerate() {
            let word = item.trim().to_lowercase();
            if known.contains(&word) || kept.contains(word.as_str()) {
                continue;
            }
            let field = format!("{}[{i}]", words.field());
            match words {
                Words::Skills => v.push(
                    &field,
                    "unknown_skill",
                    format!(
                        "no service asks for the skill `{word}`; the catalogue's skills: {}",
                        listed()
                    ),
                ),
                Words::Interests | Words::Aversions => v.push(
                    &field,
                    "unknown_category",
                    format!(
                        "no service has the category `{word}`; the catalogue's categories: {}",
                        listed()
                    ),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary {
            skills: ["koken".into(), "tuinieren".into()].into(),
            categories: ["gezelschap".into(), "tuin".into()].into(),
        }
    }

    fn words(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn problems(words_of: Words, items: &[&str], before: &str) -> Vec<(String, String, String)> {
        let mut v = Violations::new();
        vocabulary().check(words_of, &words(items), before, &mut v);
        match v.into_result() {
            Ok(()) => vec![],
            Err(ApiError::Validation(errors)) => errors
                .into_iter()
                .map(|e| (e.field, e.code.to_owned(), e.message))
                .collect(),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn words_the_catalogue_knows_pass_in_any_case() {
        assert!(problems(Words::Skills, &["Tuinieren", " koken "], "").is_empty());
        assert!(problems(Words::Interests, &["tuin"], "").is_empty());
        assert!(problems(Words::Aversions, &["gezelschap"], "").is_empty());
    }

    #[test]
    fn a_misspelt_word_is_refused_at_its_place_naming_the_known_ones() {
        let p = problems(Words::Skills, &["koken", "tuinierren"], "");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "skills[1]");
        assert_eq!(p[0].1, "unknown_skill");
        assert!(
            p[0].2.contains("`tuinierren`") && p[0].2.ends_with("koken, tuinieren"),
            "{}",
            p[0].2
        );
        let p = problems(Words::Aversions, &["koken"], "");
        assert_eq!((p[0].0.as_str(), p[0].1.as_str()), ("aversions[0]", "unknown_category"));
        assert!(p[0].2.ends_with("gezelschap, tuin"), "{}", p[0].2);
    }

    #[test]
    fn words_the_profile_holds_already_stay() {
        assert!(problems(Words::Skills, &["schilderen", "koken"], "schilderen,koken").is_empty());
        assert_eq!(
            problems(Words::Skills, &["schilderen", "behangen"], "schilderen")[0].0,
            "skills[1]"
        );
    }

    #[test]
    fn an_empty_catalogue_says_so() {
        let mut v = Violations::new();
        Vocabulary::default().check(Words::Skills, &words(&["koken"]), "", &mut v);
        let Err(ApiError::Validation(errors)) = v.into_result() else {
            panic!("refused")
        };
        assert!(errors[0].message.ends_with("skills: none yet"), "{}", errors[0].message);
    }
}
