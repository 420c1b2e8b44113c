//! How residents are stored and how they are shown.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::residents;
use crate::domain::Language;
use crate::error::ApiError;
use crate::pagination::PageInfo;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = residents)]
pub struct ResidentRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub name_key: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub wijk: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub language: String,
    pub staff_notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Set when the resident's personal data was erased on request (AVG art. 17).
    pub erased_at: Option<NaiveDateTime>,
}

/// Code of the answer when something new would be recorded for an erased resident.
pub const RESIDENT_ERASED: &str = "resident_erased";

impl ResidentRow {
    /// All a participant is told of who the work is for: the first name, or the name as
    /// recorded when it has none ("Mevrouw Bakker"; see [`super::called`]).
    pub fn first_name(&self) -> String {
        super::called::called(&self.name)
    }

    /// Refuses to record anything new for a resident whose data was erased on request: the
    /// record keeps only what the law makes us keep, without a name (`privacy::erase`),
    /// and no job, purchase, eligibility, proxy or contact detail is added to it again.
    /// `field` names the request field that chose the resident, or None when the address
    /// did (then it is a conflict with the record's state).
    pub fn still_recordable(self, field: Option<&str>) -> Result<Self, ApiError> {
        if self.erased_at.is_none() {
            return Ok(self);
        }
        let message = "this resident's data was erased on request: nothing new is recorded for them";
        Err(match field {
            Some(field) => ApiError::validation(field, RESIDENT_ERASED, message),
            None => ApiError::conflict(RESIDENT_ERASED, message),
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AddressView {
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResidentView {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: AddressView,
    pub wijk: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub language: Language,
    /// Whether the resident has an account of their own.
    pub has_account: bool,
    /// Only in staff views.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_notes: Option<String>,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

/// Who is looking decides what is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Staff,
    Resident,
}

impl ResidentView {
    pub fn of(row: ResidentRow, audience: Audience) -> Self {
        ResidentView {
            id: row.id,
            has_account: row.user_id.is_some(),
            name: row.name,
            email: row.email,
            phone: row.phone,
            address: AddressView {
                street: row.street,
                house_number: row.house_number,
                postcode: row.postcode,
                city: row.city,
            },
            wijk: row.wijk,
            birth_date: row.birth_date,
            language: Language::from_stored(&row.language),
            staff_notes: match audience {
                Audience::Staff => row.staff_notes,
                Audience::Resident => None,
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A resident found by the staff search.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentHit {
    #[serde(flatten)]
    pub resident: ResidentView,
    /// Only when searched by `phone`: whose number it is, so the desk knows who is
    /// calling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_match: Option<PhoneMatch>,
    /// Only when the record and another look like one person and the desk has not
    /// decided yet (`/api/v1/resident-duplicates`): sell to, or order for, the record
    /// the desk keeps, after deciding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub possible_duplicate: Option<DuplicateMark>,
}

/// The other record of an undecided pair of possible duplicates.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateMark {
    /// The pair (`/api/v1/resident-duplicates/{id}`).
    pub pair_id: i64,
    pub other_resident_id: i64,
}

/// Whose number a phone search matched on a resident.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhoneMatch {
    /// The resident's own number.
    pub own: bool,
    /// The family members acting for the resident (active proxies) who phone from it.
    pub proxies: Vec<CallingProxy>,
}

/// A family member acting for a resident, as the desk greets them on the phone.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallingProxy {
    /// The proxy link (`/api/v1/residents/{id}/proxies`).
    pub proxy_id: i64,
    pub name: String,
    /// E.g. `dochter`.
    pub relationship: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentPage {
    pub items: Vec<ResidentHit>,
    #[serde(flatten)]
    pub page: PageInfo,
}
