//! Request bodies for the catalogue and their rules.

use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{Localized, ServiceKind};
use crate::error::{ApiError, Violations};

/// The terms of a service, as one version stores them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTerms {
    pub kind: ServiceKind,
    pub category: String,
    pub name: Localized,
    pub description: Localized,
    pub around_home: bool,
    pub allowed: bool,
    pub not_allowed_reason: Option<Localized>,
    pub required_skill: Option<String>,
    pub needs_solo_clearance: bool,
    pub default_minutes: i64,
    pub max_minutes: i64,
    pub min_crew: i64,
    pub bill_per_person: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    pub kind: ServiceKind,
    /// Lower-case letters and underscores, e.g. `tuin`, `gezelschap`.
    #[schema(max_length = 40, pattern = "^[a-z_]+$", example = "tuin")]
    pub category: String,
    #[schema(value_type = LocalizedName)]
    pub name: Localized,
    #[schema(value_type = LocalizedDescription)]
    pub description: Localized,
    pub around_home: bool,
    /// Default true.
    pub allowed: Option<bool>,
    /// Required when `allowed` is false: what the resident is told.
    #[schema(value_type = Option<LocalizedReason>)]
    pub not_allowed_reason: Option<Localized>,
    #[schema(max_length = 40, pattern = "^[a-z_]+$")]
    pub required_skill: Option<String>,
    pub needs_solo_clearance: Option<bool>,
    #[schema(minimum = 15, maximum = 600)]
    pub default_minutes: i64,
    #[schema(minimum = 15, maximum = 600)]
    pub max_minutes: i64,
    /// Default 1.
    #[schema(minimum = 1, maximum = 6)]
    pub min_crew: Option<i64>,
    /// Bill the crew's person-hours instead of the working span (default false).
    pub bill_per_person: Option<bool>,
    /// Default true.
    pub active: Option<bool>,
}

/// Changes; any field left out keeps its value. Writes a new version.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServicePatch {
    pub kind: Option<ServiceKind>,
    #[schema(max_length = 40, pattern = "^[a-z_]+$")]
    pub category: Option<String>,
    #[schema(value_type = Option<LocalizedName>)]
    pub name: Option<Localized>,
    #[schema(value_type = Option<LocalizedDescription>)]
    pub description: Option<Localized>,
    pub around_home: Option<bool>,
    pub allowed: Option<bool>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(value_type = Option<LocalizedReason>)]
    pub not_allowed_reason: Option<Option<Localized>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 40, pattern = "^[a-z_]+$")]
    pub required_skill: Option<Option<String>>,
    pub needs_solo_clearance: Option<bool>,
    #[schema(minimum = 15, maximum = 600)]
    pub default_minutes: Option<i64>,
    #[schema(minimum = 15, maximum = 600)]
    pub max_minutes: Option<i64>,
    #[schema(minimum = 1, maximum = 6)]
    pub min_crew: Option<i64>,
    pub bill_per_person: Option<bool>,
    pub active: Option<bool>,
}

/// The most characters of a service's name, description and not-allowed reason in each
/// language; the contract's types below declare the same (tests/api/text_limits.rs).
const NAME_CHARS: usize = 100;
const DESCRIPTION_CHARS: usize = 2000;
const REASON_CHARS: usize = 500;

// A `Localized` text in a request, as the contract describes it for each field: the
// types are the schemas of `ServiceInput` and `ServicePatch` fields, never built.

/// A service's name in Dutch and English: 1 to 100 characters each.
#[derive(ToSchema)]
#[allow(dead_code, reason = "a schema only")]
struct LocalizedName {
    #[schema(min_length = 1, pattern = r"\S", max_length = 100, example = "Heg knippen")]
    nl: String,
    #[schema(min_length = 1, pattern = r"\S", max_length = 100, example = "Hedge trimming")]
    en: String,
}

/// What a service is, in Dutch and English: 1 to 2000 characters each.
#[derive(ToSchema)]
#[allow(dead_code, reason = "a schema only")]
struct LocalizedDescription {
    #[schema(min_length = 1, pattern = r"\S", max_length = 2000)]
    nl: String,
    #[schema(min_length = 1, pattern = r"\S", max_length = 2000)]
    en: String,
}

/// Why a service cannot be ordered, in Dutch and English: 1 to 500 characters each.
#[derive(ToSchema)]
#[allow(dead_code, reason = "a schema only")]
struct LocalizedReason {
    #[schema(min_length = 1, pattern = r"\S", max_length = 500)]
    nl: String,
    #[schema(min_length = 1, pattern = r"\S", max_length = 500)]
    en: String,
}

fn slug_ok(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

fn text_ok(s: &str, max: usize) -> bool {
    !s.trim().is_empty() && s.chars().count() <= max
}

impl ServiceTerms {
    /// Checks the terms; `five_hour_limit` is the limit of their category.
    pub fn validate(mut self, five_hour_limit: impl Fn(&str) -> i64) -> Result<Self, ApiError> {
        let mut v = Violations::new();
        if !slug_ok(&self.category) {
            v.push(
                "category",
                "invalid_category",
                "lower-case letters and underscores, at most 40",
            );
        }
        for (field, text, max) in [
            ("name.nl", &self.name.nl, NAME_CHARS),
            ("name.en", &self.name.en, NAME_CHARS),
            ("description.nl", &self.description.nl, DESCRIPTION_CHARS),
            ("description.en", &self.description.en, DESCRIPTION_CHARS),
        ] {
            if !text_ok(text, max) {
                v.push(field, "invalid_text", format!("required, at most {max} characters"));
            }
        }
        match (&self.not_allowed_reason, self.allowed) {
            (None, false) => v.push(
                "not_allowed_reason",
                "required",
                "say why the service cannot be ordered",
            ),
            (Some(r), _) if !text_ok(&r.nl, REASON_CHARS) || !text_ok(&r.en, REASON_CHARS) => v.push(
                "not_allowed_reason",
                "invalid_text",
                format!("required in both languages, at most {REASON_CHARS} characters"),
            ),
            _ => {}
        }
        if let Some(skill) = &self.required_skill
            && !slug_ok(skill)
        {
            v.push(
                "required_skill",
                "invalid_skill",
                "lower-case letters and underscores, at most 40",
            );
        }
        if !(15..=600).contains(&self.max_minutes) {
            v.push("max_minutes", "out_of_range", "between 15 and 600 minutes");
        }
        if !(15..=self.max_minutes.max(15)).contains(&self.default_minutes) {
            v.push("default_minutes", "out_of_range", "between 15 minutes and max_minutes");
        }
        let limit = five_hour_limit(&self.category);
        if self.around_home && self.max_minutes > limit {
            v.push(
                "max_minutes",
                "five_hour_rule",
                format!("work around the home lasts at most {limit} minutes"),
            );
        }
        if !(1..=6).contains(&self.min_crew) {
            v.push("min_crew", "out_of_range", "between 1 and 6 people");
        }
        v.into_result()?;
        self.name.nl = self.name.nl.trim().to_owned();
        self.name.en = self.name.en.trim().to_owned();
        if self.allowed {
            self.not_allowed_reason = None;
        }
        Ok(self)
    }
}

impl ServiceInput {
    /// The terms and whether the service starts active.
    pub fn into_terms(self) -> (ServiceTerms, bool) {
        (
            ServiceTerms {
                kind: self.kind,
                category: self.category,
                name: self.name,
                description: self.description,
                around_home: self.around_home,
                allowed: self.allowed.unwrap_or(true),
                not_allowed_reason: self.not_allowed_reason,
                required_skill: self.required_skill.filter(|s| !s.is_empty()),
                needs_solo_clearance: self.needs_solo_clearance.unwrap_or(false),
                default_minutes: self.default_minutes,
                max_minutes: self.max_minutes,
                min_crew: self.min_crew.unwrap_or(1),
                bill_per_person: self.bill_per_person.unwrap_or(false),
            },
            self.active.unwrap_or(true),
        )
    }
}

impl ServicePatch {
    /// Applies the patch to the current terms. Returns the new terms (if any term changed)
    /// and the new active flag (if given).
    pub fn apply(self, current: &ServiceTerms) -> (Option<ServiceTerms>, Option<bool>) {
        let active = self.active;
        let next = ServiceTerms {
            kind: self.kind.unwrap_or(current.kind),
            category: self.category.unwrap_or_else(|| current.category.clone()),
            name: self.name.unwrap_or_else(|| current.name.clone()),
            description: self.description.unwrap_or_else(|| current.description.clone()),
            around_home: self.around_home.unwrap_or(current.around_home),
            allowed: self.allowed.unwrap_or(current.allowed),
            not_allowed_reason: self
                .not_allowed_reason
                .unwrap_or_else(|| current.not_allowed_reason.clone()),
            required_skill: self.required_skill.unwrap_or_else(|| current.required_skill.clone()),
            needs_solo_clearance: self.needs_solo_clearance.unwrap_or(current.needs_solo_clearance),
            default_minutes: self.default_minutes.unwrap_or(current.default_minutes),
            max_minutes: self.max_minutes.unwrap_or(current.max_minutes),
            min_crew: self.min_crew.unwrap_or(current.min_crew),
            bill_per_person: self.bill_per_person.unwrap_or(current.bill_per_person),
        };
        ((next != *current).then_some(next), active)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> ServiceTerms {
        ServiceTerms {
            kind: ServiceKind::Klus,
            category: "tuin".into(),
            name: Localized {
                nl: "Heg snoeien".into(),
                en: "Hedge trimming".into(),
            },
            description: Localized {
                nl: "Snoeien".into(),
                en: "Trimming".into(),
            },
            around_home: true,
            allowed: true,
            not_allowed_reason: None,
            required_skill: Some("tuinieren".into()),
            needs_solo_clearance: false,
            default_minutes: 120,
            max_minutes: 300,
            min_crew: 1,
            bill_per_person: false,
        }
    }

    #[test]
    fn around_home_services_respect_the_five_hour_limit() {
        assert!(terms().validate(|_| 300).is_ok());
        let long = ServiceTerms {
            max_minutes: 301,
            ..terms()
        };
        let Err(ApiError::Validation(errors)) = long.validate(|_| 300) else {
            panic!()
        };
        assert_eq!(errors[0].code, "five_hour_rule");
        let dienst = ServiceTerms {
            around_home: false,
            max_minutes: 480,
            ..terms()
        };
        assert!(dienst.validate(|_| 300).is_ok());
    }

    #[test]
    fn disallowed_services_need_a_reason() {
        let t = ServiceTerms {
            allowed: false,
            ..terms()
        };
        assert!(t.validate(|_| 300).is_err());
    }

    #[test]
    fn patch_detects_real_changes() {
        let (none, active) = ServicePatch {
            active: Some(false),
            ..Default::default()
        }
        .apply(&terms());
        assert!(none.is_none());
        assert_eq!(active, Some(false));
        let (changed, _) = ServicePatch {
            max_minutes: Some(240),
            ..Default::default()
        }
        .apply(&terms());
        assert_eq!(changed.map(|t| t.max_minutes), Some(240));
    }
}
