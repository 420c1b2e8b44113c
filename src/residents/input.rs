//! Request bodies for residents, and their parsing into domain values.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Email, HouseNumber, Language, PersonName, Phone, Postcode, ServiceArea, ShortText};
use crate::error::{ApiError, FieldProblem, Violations};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S", example = "Molenstraat")]
    pub street: String,
    #[schema(
        max_length = 15,
        pattern = r"^[1-9][0-9]{0,4}([A-Za-z /-][A-Za-z0-9 /-]{0,9})?$",
        example = "12a"
    )]
    pub house_number: String,
    /// Dutch postcode, `1234 AB` (case and space are forgiven); within the servicepunt's
    /// area when one is set (`outside_service_area` otherwise).
    #[schema(
        max_length = 7,
        pattern = r"^[1-9][0-9]{3} ?([A-Ra-rT-Zt-z][A-Za-z]|[Ss][BCE-RT-Zbce-rt-z])$",
        example = "6711 AB"
    )]
    pub postcode: String,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S", example = "Ede")]
    pub city: String,
}

/// A resident as staff register them (also the core of self-registration).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidentInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "0318 123456")]
    pub phone: Option<String>,
    pub address: AddressInput,
    /// The neighbourhood (wijk), e.g. `Veldhuizen`.
    #[schema(max_length = 100)]
    pub wijk: Option<String>,
    /// Optional; the 70-plus reduced rate is derived from it.
    pub birth_date: Option<NaiveDate>,
    pub language: Option<Language>,
    /// Notes for staff; never shown to the resident.
    #[schema(max_length = 2000)]
    pub staff_notes: Option<String>,
}

/// Changes by staff. Absent fields stay as they are; `null` clears an optional field.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidentPatch {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 254, format = Email)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "0318 123456")]
    pub phone: Option<Option<String>>,
    pub address: Option<AddressInput>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 100)]
    pub wijk: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    pub birth_date: Option<Option<NaiveDate>>,
    pub language: Option<Language>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 2000)]
    pub staff_notes: Option<Option<String>>,
}

/// Changes a resident may make to their own record. Birth date and wijk are set by staff,
/// who see the evidence; the reduced rate depends on them.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnResidentPatch {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "0318 123456")]
    pub phone: Option<Option<String>>,
    pub address: Option<AddressInput>,
    pub language: Option<Language>,
}

impl From<OwnResidentPatch> for ResidentPatch {
    fn from(own: OwnResidentPatch) -> Self {
        ResidentPatch {
            name: own.name,
            phone: own.phone,
            address: own.address,
            language: own.language,
            ..ResidentPatch::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    pub house_number: String,
    pub postcode: Postcode,
    pub city: String,
}

#[derive(Debug, Clone)]
pub struct NewResident {
    pub name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub address: Address,
    pub wijk: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub language: Language,
    pub staff_notes: Option<String>,
}

/// Parsed changes: `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct ResidentChanges {
    pub name: Option<PersonName>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
    pub address: Option<Address>,
    pub wijk: Option<Option<String>>,
    pub birth_date: Option<Option<NaiveDate>>,
    pub language: Option<Language>,
    pub staff_notes: Option<Option<String>>,
}

const NOTES_MAX: usize = 2000;

/// Treats an empty or blank string like an absent value.
pub(crate) fn optional<T>(
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, FieldProblem>,
) -> Result<Option<T>, FieldProblem> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse(s).map(Some),
        None => Ok(None),
    }
}

fn birth_date(raw: Option<NaiveDate>, today: NaiveDate) -> Result<Option<NaiveDate>, FieldProblem> {
    match raw {
        Some(d) if d > today => Err(FieldProblem::new(
            "birth_date_in_future",
            "a birth date cannot be in the future",
        )),
        Some(d) if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) => Err(FieldProblem::new(
            "birth_date_out_of_range",
            "a birth date is after 1900",
        )),
        other => Ok(other),
    }
}

/// An address as entered, with every problem noted in `v`: a postcode outside `area` is
/// one of them.
fn parse_address(
    raw: &AddressInput,
    prefix: &str,
    area: &ServiceArea,
    v: &mut Violations,
) -> Result<Address, ApiError> {
    let street = ShortText::parse(&raw.street, 200);
    let house_number = HouseNumber::parse(&raw.house_number);
    let postcode = Postcode::parse(&raw.postcode).and_then(|p| area.check(p));
    let city = ShortText::parse(&raw.city, 100);
    v.note(&format!("{prefix}.street"), &street);
    v.note(&format!("{prefix}.house_number"), &house_number);
    v.note(&format!("{prefix}.postcode"), &postcode);
    v.note(&format!("{prefix}.city"), &city);
    // Every problem is in `v` now; callers check it before they use this result.
    Ok(Address {
        street: street.map_err(ApiError::from)?.into_inner(),
        house_number: house_number.map_err(ApiError::from)?.into_inner(),
        postcode: postcode.map_err(ApiError::from)?,
        city: city.map_err(ApiError::from)?.into_inner(),
    })
}

impl ResidentInput {
    pub fn parse(self, today: NaiveDate, area: &ServiceArea) -> Result<NewResident, ApiError> {
        let mut v = Violations::new();
        let name = PersonName::parse(&self.name);
        let email = optional(self.email.as_deref(), Email::parse);
        let phone = optional(self.phone.as_deref(), |s| Phone::parse(s).map(Phone::into_inner));
        let wijk = optional(self.wijk.as_deref(), |s| {
            ShortText::parse(s, 100).map(ShortText::into_inner)
        });
        let birth = birth_date(self.birth_date, today);
        let notes = optional(self.staff_notes.as_deref(), |s| {
            ShortText::parse(s, NOTES_MAX).map(ShortText::into_inner)
        });
        v.note("name", &name);
        v.note("email", &email);
        v.note("phone", &phone);
        v.note("wijk", &wijk);
        v.note("birth_date", &birth);
        v.note("staff_notes", &notes);
        let address = parse_address(&self.address, "address", area, &mut v);
        v.into_result()?;
        Ok(NewResident {
            name: name?,
            email: email?,
            phone: phone?,
            address: address?,
            wijk: wijk?,
            birth_date: birth?,
            language: self.language.unwrap_or_default(),
            staff_notes: notes?,
        })
    }
}

/// Parses a `Some(Option<raw>)` patch field; `Some(None)` or a blank string clears.
/// A merge-patch field read with `parse`: absent stays absent, `null` or blank clears.
pub(crate) fn patch_field<T>(
    raw: Option<Option<String>>,
    parse: impl FnOnce(&str) -> Result<T, FieldProblem>,
) -> Result<Option<Option<T>>, FieldProblem> {
    match raw {
        None => Ok(None),
        Some(value) => optional(value.as_deref(), parse).map(Some),
    }
}

impl ResidentPatch {
    pub fn parse(self, today: NaiveDate, area: &ServiceArea) -> Result<ResidentChanges, ApiError> {
        let mut v = Violations::new();
        let name = self.name.as_deref().map(PersonName::parse).transpose();
        let email = patch_field(self.email, Email::parse);
        let phone = patch_field(self.phone, |s| Phone::parse(s).map(Phone::into_inner));
        let wijk = patch_field(self.wijk, |s| ShortText::parse(s, 100).map(ShortText::into_inner));
        let birth = self.birth_date.map(|b| birth_date(b, today)).transpose();
        let notes = patch_field(self.staff_notes, |s| {
            ShortText::parse(s, NOTES_MAX).map(ShortText::into_inner)
        });
        v.note("name", &name);
        v.note("email", &email);
        v.note("phone", &phone);
        v.note("wijk", &wijk);
        v.note("birth_date", &birth);
        v.note("staff_notes", &notes);
        let address = self.address.as_ref().map(|a| parse_address(a, "address", area, &mut v));
        v.into_result()?;
        Ok(ResidentChanges {
            name: name?,
            email: email?,
            phone: phone?,
            address: address.transpose()?,
            wijk: wijk?,
            birth_date: birth?,
            language: self.language,
            staff_notes: notes?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn input() -> ResidentInput {
        serde_json::from_value(serde_json::json!({
            "name": "Anna de Vries",
            "address": {"street": "Molenstraat", "house_number": "12", "postcode": "6711ab", "city": "Ede"}
        }))
        .unwrap()
    }

    #[test]
    fn parses_a_minimal_resident() {
        let r = input().parse(today(), &ServiceArea::default()).unwrap();
        assert_eq!(r.address.postcode.as_str(), "6711 AB");
        assert_eq!(r.language, Language::Nl);
        assert!(r.email.is_none());
    }

    #[test]
    fn collects_every_field_error() {
        let mut raw = input();
        raw.name = " ".into();
        raw.address.postcode = "67111".into();
        raw.email = Some("nope".into());
        raw.birth_date = NaiveDate::from_ymd_opt(2030, 1, 1);
        let Err(ApiError::Validation(errors)) = raw.parse(today(), &ServiceArea::default()) else {
            panic!("expected validation errors")
        };
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("name", "required"),
                ("email", "invalid_email"),
                ("birth_date", "birth_date_in_future"),
                ("address.postcode", "invalid_postcode")
            ]
        );
    }

    #[test]
    fn patch_distinguishes_clear_from_keep() {
        let patch: ResidentPatch = serde_json::from_str(r#"{"phone": null, "wijk": "Veldhuizen"}"#).unwrap();
        let changes = patch.parse(today(), &ServiceArea::default()).unwrap();
        assert_eq!(changes.phone, Some(None));
        assert_eq!(changes.wijk, Some(Some("Veldhuizen".into())));
        assert!(changes.email.is_none() && changes.name.is_none());
    }

    #[test]
    fn an_address_outside_the_service_area_is_one_more_field_error() {
        let ede = ServiceArea::parse("6710-6718").unwrap();
        assert!(input().parse(today(), &ede).is_ok(), "6711 is Ede");
        let mut raw = input();
        raw.address.postcode = "1012 AB".into();
        raw.email = Some("nope".into());
        let Err(ApiError::Validation(errors)) = raw.parse(today(), &ede) else {
            panic!("expected validation errors")
        };
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [("email", "invalid_email"), ("address.postcode", "outside_service_area")]
        );
        let moved: ResidentPatch = serde_json::from_value(serde_json::json!({"address": {
            "street": "Damrak", "house_number": "1", "postcode": "1012 AB", "city": "Amsterdam"}}))
        .unwrap();
        assert!(moved.parse(today(), &ede).is_err());
    }
}
