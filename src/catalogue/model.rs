use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::service_versions;
use crate::domain::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    /// A job around the home, e.g. garden work.
    Klus,
    /// A service to a person, e.g. company or help with groceries.
    Dienst,
}

impl ServiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Klus => "klus",
            ServiceKind::Dienst => "dienst",
        }
    }

    pub fn from_stored(s: &str) -> Self {
        if s == "dienst" {
            ServiceKind::Dienst
        } else {
            ServiceKind::Klus
        }
    }
}

/// A text in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub nl: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Nl => &self.nl,
            Language::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = service_versions)]
pub struct ServiceVersionRow {
    pub id: i64,
    pub service_id: i64,
    pub version: i64,
    pub kind: String,
    pub category: String,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub around_home: bool,
    pub allowed: bool,
    pub not_allowed_reason_nl: Option<String>,
    pub not_allowed_reason_en: Option<String>,
    pub required_skill: Option<String>,
    pub needs_solo_clearance: bool,
    pub default_minutes: i64,
    pub max_minutes: i64,
    pub min_crew: i64,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
    pub bill_per_person: bool,
}

impl ServiceVersionRow {
    pub fn name(&self) -> Localized {
        Localized {
            nl: self.name_nl.clone(),
            en: self.name_en.clone(),
        }
    }

    pub fn not_allowed_reason(&self) -> Option<Localized> {
        match (&self.not_allowed_reason_nl, &self.not_allowed_reason_en) {
            (Some(nl), Some(en)) => Some(Localized {
                nl: nl.clone(),
                en: en.clone(),
            }),
            _ => None,
        }
    }
}

/// A service as the catalogue shows it: its current version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceView {
    pub id: i64,
    pub version: i64,
    pub kind: ServiceKind,
    /// Groups services for the five-hour rule and reports, e.g. `tuin`.
    pub category: String,
    pub name: Localized,
    pub description: Localized,
    /// The five-hour rule applies.
    pub around_home: bool,
    /// On the list agreed with local entrepreneurs; otherwise it cannot be ordered.
    pub allowed: bool,
    pub not_allowed_reason: Option<Localized>,
    pub required_skill: Option<String>,
    pub needs_solo_clearance: bool,
    pub default_minutes: i64,
    pub max_minutes: i64,
    pub min_crew: i64,
    /// Bill the crew's person-hours instead of the working span.
    pub bill_per_person: bool,
    pub active: bool,
}

impl ServiceView {
    pub fn of(row: ServiceVersionRow, active: bool) -> Self {
        ServiceView {
            id: row.service_id,
            version: row.version,
            kind: ServiceKind::from_stored(&row.kind),
            name: row.name(),
            not_allowed_reason: row.not_allowed_reason(),
            description: Localized {
                nl: row.description_nl,
                en: row.description_en,
            },
            category: row.category,
            around_home: row.around_home,
            allowed: row.allowed,
            required_skill: row.required_skill,
            needs_solo_clearance: row.needs_solo_clearance,
            default_minutes: row.default_minutes,
            max_minutes: row.max_minutes,
            min_crew: row.min_crew,
            bill_per_person: row.bill_per_person,
            active,
        }
    }
}
