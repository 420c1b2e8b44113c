//! Services and their versions in the database.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::input::ServiceTerms;
use super::model::{Localized, ServiceKind, ServiceVersionRow};
use crate::db::schema::{service_versions, services};
use crate::db::{self, DbConn};

fn insert_version(
    conn: &mut DbConn,
    service_id: i64,
    version: i64,
    t: &ServiceTerms,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<ServiceVersionRow> {
    diesel::insert_into(service_versions::table)
        .values((
            service_versions::service_id.eq(service_id),
            service_versions::version.eq(version),
            service_versions::kind.eq(t.kind.as_str()),
            service_versions::category.eq(&t.category),
            service_versions::name_nl.eq(&t.name.nl),
            service_versions::name_en.eq(&t.name.en),
            service_versions::description_nl.eq(&t.description.nl),
            service_versions::description_en.eq(&t.description.en),
            service_versions::around_home.eq(t.around_home),
            service_versions::allowed.eq(t.allowed),
            service_versions::not_allowed_reason_nl.eq(t.not_allowed_reason.as_ref().map(|r| r.nl.as_str())),
            service_versions::not_allowed_reason_en.eq(t.not_allowed_reason.as_ref().map(|r| r.en.as_str())),
            service_versions::required_skill.eq(t.required_skill.as_deref()),
            service_versions::needs_solo_clearance.eq(t.needs_solo_clearance),
            service_versions::default_minutes.eq(t.default_minutes),
            service_versions::max_minutes.eq(t.max_minutes),
            service_versions::min_crew.eq(t.min_crew),
            service_versions::bill_per_person.eq(t.bill_per_person),
            service_versions::created_at.eq(now),
            service_versions::created_by.eq(by),
        ))
        .returning(service_versions::all_columns)
        .get_result(conn)
}

/// Creates a service with its first version.
pub fn create(
    conn: &mut DbConn,
    t: &ServiceTerms,
    active: bool,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<ServiceVersionRow> {
    let id: i64 = diesel::insert_into(services::table)
        .values((
            services::active.eq(active),
            services::current_version.eq(1i64),
            services::created_at.eq(now),
        ))
        .returning(services::id)
        .get_result(conn)?;
    insert_version(conn, id, 1, t, by, now)
}

/// Holds off other changes to the service until the transaction ends ([`db::lock`]): on
/// PostgreSQL two changes at once would both build on the same version (the second
/// undoing the first) and both write the same next version number.
pub fn lock(conn: &mut DbConn, service_id: i64) -> QueryResult<()> {
    db::lock(conn, &format!("service:{service_id}"))
}

/// Writes the next version and makes it current.
pub fn add_version(
    conn: &mut DbConn,
    service_id: i64,
    t: &ServiceTerms,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<ServiceVersionRow> {
    let current: i64 = services::table
        .find(service_id)
        .select(services::current_version)
        .first(conn)?;
    let row = insert_version(conn, service_id, current + 1, t, by, now)?;
    diesel::update(services::table.find(service_id))
        .set(services::current_version.eq(current + 1))
        .execute(conn)?;
    Ok(row)
}

pub fn set_active(conn: &mut DbConn, service_id: i64, active: bool) -> QueryResult<()> {
    diesel::update(services::table.find(service_id))
        .set(services::active.eq(active))
        .execute(conn)
        .map(|_| ())
}

/// The current version of a service and whether it is active.
pub fn current(conn: &mut DbConn, service_id: i64) -> QueryResult<Option<(ServiceVersionRow, bool)>> {
    service_versions::table
        .inner_join(services::table)
        .filter(services::id.eq(service_id))
        .filter(service_versions::version.eq(services::current_version))
        .select((ServiceVersionRow::as_select(), services::active))
        .first(conn)
        .optional()
}

pub fn version(conn: &mut DbConn, version_id: i64) -> QueryResult<Option<ServiceVersionRow>> {
    service_versions::table
        .find(version_id)
        .select(ServiceVersionRow::as_select())
        .first(conn)
        .optional()
}

/// Several versions at once, by id (for lists that name the service of each row).
pub fn versions(conn: &mut DbConn, version_ids: &[i64]) -> QueryResult<HashMap<i64, ServiceVersionRow>> {
    let rows: Vec<ServiceVersionRow> = service_versions::table
        .filter(service_versions::id.eq_any(version_ids))
        .select(ServiceVersionRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|v| (v.id, v)).collect())
}

/// Current versions, ordered by kind, category and Dutch name.
pub fn list(conn: &mut DbConn, include_inactive: bool) -> QueryResult<Vec<(ServiceVersionRow, bool)>> {
    let query = service_versions::table
        .inner_join(services::table)
        .filter(service_versions::version.eq(services::current_version))
        .order((
            service_versions::kind.asc(),
            service_versions::category.asc(),
            service_versions::name_nl.asc(),
        ))
        .select((ServiceVersionRow::as_select(), services::active));
    if include_inactive {
        query.load(conn)
    } else {
        query.filter(services::active.eq(true)).load(conn)
    }
}

impl From<&ServiceVersionRow> for ServiceTerms {
    fn from(row: &ServiceVersionRow) -> Self {
        ServiceTerms {
            kind: ServiceKind::from_stored(&row.kind),
            category: row.category.clone(),
            name: row.name(),
            description: Localized {
                nl: row.description_nl.clone(),
                en: row.description_en.clone(),
            },
            around_home: row.around_home,
            allowed: row.allowed,
            not_allowed_reason: row.not_allowed_reason(),
            required_skill: row.required_skill.clone(),
            needs_solo_clearance: row.needs_solo_clearance,
            default_minutes: row.default_minutes,
            max_minutes: row.max_minutes,
            min_crew: row.min_crew,
            bill_per_person: row.bill_per_person,
        }
    }
}
