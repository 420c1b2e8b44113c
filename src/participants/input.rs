//! Request bodies for participants and their rules.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::clearance::Clearance;
use super::model::AvailabilitySlot;
use crate::domain::{Email, PersonName, Phone, Postcode, ShortText, SpokenLanguage};
use crate::error::{ApiError, FieldProblem, Violations};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "0318 123456")]
    pub phone: Option<String>,
    /// Home postcode (for distance in suggestions).
    #[schema(
        max_length = 7,
        pattern = r"^[1-9][0-9]{3} ?([A-Ra-rT-Zt-z][A-Za-z]|[Ss][BCE-RT-Zbce-rt-z])$",
        example = "6711 AB"
    )]
    pub postcode: Option<String>,
    #[schema(max_length = 100)]
    pub wijk: Option<String>,
    #[schema(schema_with = language_codes)]
    pub languages: Option<Vec<String>>,
    /// Skills the catalogue's services require, e.g. `tuinieren`; another word is refused
    /// with `unknown_skill`, naming the ones it knows.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Service categories they like (`tuin`, `gezelschap`, …); another word is refused
    /// with `unknown_category`.
    #[serde(default)]
    pub interests: Vec<String>,
    /// Service categories they would rather not do, as `interests`.
    #[serde(default)]
    pub aversions: Vec<String>,
    /// Default `new`.
    pub clearance: Option<Clearance>,
    #[schema(minimum = 0, maximum = 40)]
    pub contracted_hours_per_week: i64,
    #[serde(default)]
    pub availability: Vec<AvailabilitySlot>,
    /// The trajectbegeleider whose caseload this is (the coaches: `GET
    /// /api/v1/staff?role=trajectbegeleider`).
    pub coach_user_id: Option<i64>,
    /// The login address of the participant's own account (role participant): linked
    /// when it has one, made (and a link to choose a password mailed) when it has none.
    #[schema(max_length = 254, format = Email)]
    pub account_email: Option<String>,
    /// The day their certificate of conduct (VOG) was issued, when they showed one; only
    /// the date is kept. Where the servicepunt asks for one, `solo_dienst` and `onboarder`
    /// need it recent (`vog_required`).
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub vog_issued_on: Option<NaiveDate>,
}

/// Changes; absent fields stay. A clearance change needs `clearance_reason`.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantPatch {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 254, format = Email)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "0318 123456")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(
        max_length = 7,
        pattern = r"^[1-9][0-9]{3} ?([A-Ra-rT-Zt-z][A-Za-z]|[Ss][BCE-RT-Zbce-rt-z])$",
        example = "6711 AB"
    )]
    pub postcode: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 100)]
    pub wijk: Option<Option<String>>,
    #[schema(schema_with = language_codes)]
    pub languages: Option<Vec<String>>,
    /// As at registration; words the profile holds already stay, even ones the catalogue
    /// no longer uses.
    pub skills: Option<Vec<String>>,
    pub interests: Option<Vec<String>>,
    pub aversions: Option<Vec<String>>,
    pub clearance: Option<Clearance>,
    #[schema(max_length = 1000)]
    pub clearance_reason: Option<String>,
    /// As at registration; `null` clears it.
    #[serde(default, deserialize_with = "crate::dates::in_range_patch")]
    pub vog_issued_on: Option<Option<NaiveDate>>,
    #[schema(minimum = 0, maximum = 40)]
    pub contracted_hours_per_week: Option<i64>,
    pub availability: Option<Vec<AvailabilitySlot>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    pub coach_user_id: Option<Option<i64>>,
    pub active: Option<bool>,
    /// Gives a participant without an account their own, as at registration: linked or
    /// made. For one whose invitation is still open (no password chosen), mails a new
    /// link to this address, corrected if it was mistyped; the earlier links stop working.
    /// 409 `has_account` once they have chosen a password.
    #[schema(max_length = 254, format = Email)]
    pub account_email: Option<String>,
}

/// A parsed profile, ready to store.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postcode: Option<String>,
    pub wijk: Option<String>,
    pub languages: String,
    pub skills: String,
    pub interests: String,
    pub aversions: String,
    pub contracted_minutes: i64,
    pub availability: Vec<AvailabilitySlot>,
    pub vog_issued_on: Option<NaiveDate>,
}

fn list(field: &str, items: &[String], v: &mut Violations) -> String {
    let mut clean: Vec<String> = Vec::new();
    for item in items {
        let s = item.trim().to_lowercase();
        if s.is_empty() || s.len() > 40 || !s.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '-') {
            v.push(
                field,
                "invalid_item",
                "lower-case words of letters, '-' or '_', at most 40",
            );
        } else if !clean.contains(&s) {
            clean.push(s);
        }
    }
    if clean.len() > 30 {
        v.push(field, "too_many", "at most 30");
    }
    clean.join(",")
}

/// The contract of `languages`: the codes [`SpokenLanguage`] takes, spelled out, so a form
/// offers them and the fuzzing sends them (the server also takes them in capitals).
fn language_codes() -> utoipa::openapi::schema::Array {
    crate::schema_forms::optional_codes(
        SpokenLanguage::codes(),
        "Language codes (ISO 639-1, e.g. `[\"nl\", \"ar\"]`; `pap`, `srn`, `ber`, `rif`, `tzm` and \
         `prs` for languages without one), at least one. Default `[\"nl\"]` at registration. \
         Anything else is refused with `unknown_language`, naming the code to write for a \
         language's name (`engels` → `en`).",
    )
}

/// The languages spoken, as codes (see [`SpokenLanguage`]), each once, comma-separated;
/// a participant speaks at least one.
fn languages(items: &[String], v: &mut Violations) -> String {
    let mut codes: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match SpokenLanguage::parse(item).map(SpokenLanguage::into_inner) {
            Ok(code) if !codes.contains(&code) => codes.push(code),
            Ok(_) => {}
            Err(p) => v.push(&format!("languages[{i}]"), p.code, p.message),
        }
    }
    if items.is_empty() {
        v.push("languages", "required", "at least one language");
    }
    codes.join(",")
}

fn optional<T>(
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, FieldProblem>,
) -> Result<Option<T>, FieldProblem> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse(s).map(Some),
        None => Ok(None),
    }
}

/// At most this many characters say why a clearance changes.
const CLEARANCE_REASON_CHARS: usize = 1000;

pub fn hours(field: &str, h: i64, v: &mut Violations) -> i64 {
    if !(0..=40).contains(&h) {
        v.push(field, "out_of_range", "between 0 and 40 hours a week");
    }
    h.saturating_mul(60)
}

pub fn availability(slots: &[AvailabilitySlot], v: &mut Violations) -> Vec<AvailabilitySlot> {
    if slots.iter().any(|s| s.weekday > 6) {
        v.push("availability", "invalid_weekday", "weekday is 0 (Monday) to 6 (Sunday)");
    }
    let mut unique: Vec<AvailabilitySlot> = Vec::new();
    for s in slots {
        if !unique.contains(s) {
            unique.push(*s);
        }
    }
    unique
}

impl ParticipantInput {
    pub fn parse(&self) -> Result<Profile, ApiError> {
        let mut v = Violations::new();
        let name = PersonName::parse(&self.name);
        let email = optional(self.email.as_deref(), |s| Email::parse(s).map(Email::into_inner));
        let phone = optional(self.phone.as_deref(), |s| Phone::parse(s).map(Phone::into_inner));
        let postcode = optional(self.postcode.as_deref(), |s| {
            Postcode::parse(s).map(|p| p.as_str().to_owned())
        });
        let wijk = optional(self.wijk.as_deref(), |s| {
            ShortText::parse(s, 100).map(ShortText::into_inner)
        });
        v.note("name", &name);
        v.note("email", &email);
        v.note("phone", &phone);
        v.note("postcode", &postcode);
        v.note("wijk", &wijk);
        let languages = languages(self.languages.as_deref().unwrap_or(&["nl".to_owned()]), &mut v);
        let skills = list("skills", &self.skills, &mut v);
        let interests = list("interests", &self.interests, &mut v);
        let aversions = list("aversions", &self.aversions, &mut v);
        let contracted_minutes = hours("contracted_hours_per_week", self.contracted_hours_per_week, &mut v);
        let availability = availability(&self.availability, &mut v);
        v.into_result()?;
        Ok(Profile {
            name: name?.into_inner(),
            email: email?,
            phone: phone?,
            postcode: postcode?,
            wijk: wijk?,
            languages,
            skills,
            interests,
            aversions,
            contracted_minutes,
            availability,
            vog_issued_on: self.vog_issued_on,
        })
    }
}

impl ParticipantPatch {
    /// Applies the patch to the stored profile.
    pub fn apply(&self, mut p: Profile) -> Result<Profile, ApiError> {
        let mut v = Violations::new();
        if let Some(name) = &self.name {
            let parsed = PersonName::parse(name);
            v.note("name", &parsed);
            if let Ok(n) = parsed {
                p.name = n.into_inner();
            }
        }
        let mut opt = |field: &str,
                       raw: &Option<Option<String>>,
                       parse: &dyn Fn(&str) -> Result<String, FieldProblem>,
                       target: &mut Option<String>| {
            if let Some(value) = raw {
                match optional(value.as_deref(), parse) {
                    Ok(x) => *target = x,
                    Err(e) => v.note::<()>(field, &Err(e)),
                }
            }
        };
        opt(
            "email",
            &self.email,
            &|s| Email::parse(s).map(Email::into_inner),
            &mut p.email,
        );
        opt(
            "phone",
            &self.phone,
            &|s| Phone::parse(s).map(Phone::into_inner),
            &mut p.phone,
        );
        opt(
            "postcode",
            &self.postcode,
            &|s| Postcode::parse(s).map(|x| x.as_str().to_owned()),
            &mut p.postcode,
        );
        opt(
            "wijk",
            &self.wijk,
            &|s| ShortText::parse(s, 100).map(ShortText::into_inner),
            &mut p.wijk,
        );
        if let Some(l) = &self.languages {
            p.languages = languages(l, &mut v);
        }
        if let Some(l) = &self.skills {
            p.skills = list("skills", l, &mut v);
        }
        if let Some(l) = &self.interests {
            p.interests = list("interests", l, &mut v);
        }
        if let Some(l) = &self.aversions {
            p.aversions = list("aversions", l, &mut v);
        }
        if let Some(h) = self.contracted_hours_per_week {
            p.contracted_minutes = hours("contracted_hours_per_week", h, &mut v);
        }
        if let Some(a) = &self.availability {
            p.availability = availability(a, &mut v);
        }
        if let Some(vog) = self.vog_issued_on {
            p.vog_issued_on = vog;
        }
        let reason = self.clearance_reason.as_deref().map_or("", str::trim);
        if self.clearance.is_some() && reason.is_empty() {
            v.push("clearance_reason", "required", "say why the clearance changes");
        }
        if reason.chars().count() > CLEARANCE_REASON_CHARS {
            v.push(
                "clearance_reason",
                "too_long",
                format!("at most {CLEARANCE_REASON_CHARS} characters"),
            );
        }
        v.into_result()?;
        Ok(p)
    }
}
