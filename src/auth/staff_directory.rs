//! Who is who among the staff, for the staff: the names behind the account ids that
//! records carry (who opened a cash drawer, approved hours, coaches a participant, made a
//! call). Only names and roles; addresses and the rest stay with the coordinator
//! (`staff_accounts`). Accounts of those who left are listed too, marked, since the
//! records they made keep their ids.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::staff_accounts::StaffRole;
use super::store::UserRow;
use crate::db::DbConn;
use crate::db::schema::users;

/// A colleague as other staff see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Colleague {
    /// The id records carry (`opened_by`, `coach_user_id`, `decided_by`, …).
    pub id: i64,
    pub name: String,
    pub role: StaffRole,
    /// `false` for someone who left (their account is switched off).
    pub active: bool,
}

impl Colleague {
    fn of(row: UserRow) -> Option<Self> {
        Some(Colleague {
            role: StaffRole::of(row.role()?)?,
            id: row.id,
            name: row.name,
            active: row.active,
        })
    }
}

/// Every staff account with `role` (all staff roles when `None`), by name.
pub fn list(conn: &mut DbConn, role: Option<StaffRole>) -> QueryResult<Vec<Colleague>> {
    let roles: Vec<&str> = StaffRole::ALL
        .iter()
        .filter(|r| role.is_none_or(|wanted| wanted == **r))
        .map(|r| r.role().as_str())
        .collect();
    let rows: Vec<UserRow> = users::table
        .filter(users::role.eq_any(roles))
        .order((users::name.asc(), users::id.asc()))
        .select(UserRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().filter_map(Colleague::of).collect())
}
