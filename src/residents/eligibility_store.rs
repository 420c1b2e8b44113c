//! Reduced-rate entitlements (Wmo periods) in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::eligibility::WmoPeriod;
use crate::db::DbConn;
use crate::db::schema::eligibility_periods;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = eligibility_periods)]
pub struct EligibilityPeriod {
    pub id: i64,
    pub resident_id: i64,
    /// Currently always `wmo`.
    pub basis: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// Where the evidence is kept (a file or letter reference) — never its content.
    pub evidence_ref: String,
    /// The staff member who saw the evidence.
    pub verified_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

impl EligibilityPeriod {
    pub fn as_rule(&self) -> WmoPeriod {
        WmoPeriod {
            id: self.id,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        }
    }
}

pub struct NewPeriod<'a> {
    pub resident_id: i64,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub evidence_ref: &'a str,
    pub verified_by: i64,
}

pub fn insert(conn: &mut DbConn, new: &NewPeriod<'_>, now: NaiveDateTime) -> QueryResult<EligibilityPeriod> {
    diesel::insert_into(eligibility_periods::table)
        .values((
            eligibility_periods::resident_id.eq(new.resident_id),
            eligibility_periods::basis.eq("wmo"),
            eligibility_periods::valid_from.eq(new.valid_from),
            eligibility_periods::valid_until.eq(new.valid_until),
            eligibility_periods::evidence_ref.eq(new.evidence_ref),
            eligibility_periods::verified_by.eq(new.verified_by),
            eligibility_periods::created_at.eq(now),
        ))
        .returning(eligibility_periods::all_columns)
        .get_result(conn)
}

pub fn for_resident(conn: &mut DbConn, resident_id: i64) -> QueryResult<Vec<EligibilityPeriod>> {
    eligibility_periods::table
        .filter(eligibility_periods::resident_id.eq(resident_id))
        .order((eligibility_periods::valid_from.asc(), eligibility_periods::id.asc()))
        .select(EligibilityPeriod::as_select())
        .load(conn)
}
