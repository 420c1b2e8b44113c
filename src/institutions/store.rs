//! Institutions and their charges in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::statements::StatementRow;
use crate::db::schema::{institution_charges, institutions, jobs, service_versions};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = institutions)]
pub struct Institution {
    pub id: i64,
    #[schema(example = "Woonzorgcentrum De Hoven")]
    pub name: String,
    /// What one hour of work costs the institution, in cents.
    pub hourly_rate_cents: i64,
    /// Inactive institutions keep their history but new jobs cannot name them.
    pub active: bool,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, name: &str, rate: i64, now: NaiveDateTime) -> QueryResult<Institution> {
    diesel::insert_into(institutions::table)
        .values((
            institutions::name.eq(name),
            institutions::hourly_rate_cents.eq(rate),
            institutions::active.eq(true),
            institutions::created_at.eq(now),
            institutions::updated_at.eq(now),
        ))
        .returning(institutions::all_columns)
        .get_result(conn)
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Institution>> {
    institutions::table
        .order(institutions::name)
        .select(Institution::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Institution>> {
    institutions::table
        .find(id)
        .select(Institution::as_select())
        .first(conn)
        .optional()
}

/// Holds off other changes to the list of institutions until the transaction ends
/// ([`db::lock`]): a name is checked free and then written, and a change writes the
/// whole row it read, so on PostgreSQL two at once could both take one name or undo
/// each other.
pub fn lock(conn: &mut DbConn) -> QueryResult<()> {
    db::lock(conn, "institutions")
}

pub fn name_taken(conn: &mut DbConn, name: &str, other_than: i64) -> QueryResult<bool> {
    let n: i64 = institutions::table
        .filter(institutions::name.eq(name))
        .filter(institutions::id.ne(other_than))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn update(conn: &mut DbConn, i: &Institution, now: NaiveDateTime) -> QueryResult<Institution> {
    diesel::update(institutions::table.find(i.id))
        .set((
            institutions::name.eq(&i.name),
            institutions::hourly_rate_cents.eq(i.hourly_rate_cents),
            institutions::active.eq(i.active),
            institutions::updated_at.eq(now),
        ))
        .returning(institutions::all_columns)
        .get_result(conn)
}

pub struct NewCharge {
    pub job_id: i64,
    pub institution_id: i64,
    pub charged_on: NaiveDate,
    pub minutes: i64,
    pub hourly_rate_cents: i64,
    pub amount_cents: i64,
}

/// Records a job's charge; false when the job was charged already (one charge per job).
pub fn insert_charge(conn: &mut DbConn, c: &NewCharge, now: NaiveDateTime) -> QueryResult<bool> {
    let exists: i64 = institution_charges::table
        .filter(institution_charges::job_id.eq(c.job_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(institution_charges::table)
        .values((
            institution_charges::job_id.eq(c.job_id),
            institution_charges::institution_id.eq(c.institution_id),
            institution_charges::charged_on.eq(c.charged_on),
            institution_charges::minutes.eq(c.minutes),
            institution_charges::hourly_rate_cents.eq(c.hourly_rate_cents),
            institution_charges::amount_cents.eq(c.amount_cents),
            institution_charges::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Charges dated in `[from, to)` with the institution's name and the job's service and
/// address, by institution and day, in one query.
pub fn statement_rows(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<StatementRow>> {
    institution_charges::table
        .inner_join(institutions::table)
        .inner_join(jobs::table.inner_join(service_versions::table))
        .filter(institution_charges::charged_on.ge(from))
        .filter(institution_charges::charged_on.lt(to))
        .order((
            institution_charges::institution_id,
            institution_charges::charged_on,
            institution_charges::job_id,
        ))
        .select((
            institution_charges::institution_id,
            institutions::name,
            institution_charges::job_id,
            institution_charges::charged_on,
            service_versions::name_nl,
            jobs::street,
            jobs::house_number,
            jobs::city,
            institution_charges::minutes,
            institution_charges::hourly_rate_cents,
            institution_charges::amount_cents,
        ))
        .load(conn)
}
