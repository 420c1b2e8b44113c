//! Staff accounts kept by the coordinator: werkleiders, trajectbegeleiders, finance staff
//! and coordinators. Residents register themselves and a participant's account goes with
//! their work profile; neither is listed or switched here, so names and addresses of
//! residents and participants are only read where the audit log sees it.
//! New ones are made by `invitations`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::account_access;
use super::invitations;
use super::store::{self, UserRow};
use super::{AuthUser, Role};
use crate::db::schema::users;
use crate::db::{self, DbConn, MultiBackend};
use crate::domain::{Email, Language};
use crate::error::ApiError;
use crate::pagination::PageQuery;
use crate::participants::coaches;
use crate::participants::intake_store::{self, RosterHandedOver};

/// The roles of staff accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    Werkleider,
    Trajectbegeleider,
    Finance,
    Coordinator,
}

impl StaffRole {
    pub const ALL: [StaffRole; 4] = [
        StaffRole::Werkleider,
        StaffRole::Trajectbegeleider,
        StaffRole::Finance,
        StaffRole::Coordinator,
    ];

    pub fn role(self) -> Role {
        match self {
            StaffRole::Werkleider => Role::Werkleider,
            StaffRole::Trajectbegeleider => Role::Trajectbegeleider,
            StaffRole::Finance => Role::Finance,
            StaffRole::Coordinator => Role::Coordinator,
        }
    }

    pub fn of(role: Role) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.role() == role)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffAccount {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: StaffRole,
    pub language: Language,
    /// `false` once disabled: no login, no session.
    pub active: bool,
    /// The holder proved the address (by choosing a password from the mailed link).
    pub email_verified: bool,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    /// For a trajectbegeleider: the active participants they coach (`null` for other
    /// roles). When a coach leaves, hand it over (`…/caseload-handover`).
    pub caseload: Option<i64>,
}

impl StaffAccount {
    /// The staff account `row` is; `None` for a resident's or participant's.
    pub fn of(row: UserRow) -> Option<Self> {
        let role = StaffRole::of(row.role()?)?;
        Some(StaffAccount {
            id: row.id,
            language: Language::from_stored(&row.language),
            active: row.active,
            email_verified: row.email_verified_at.is_some(),
            created_at: row.created_at,
            email: row.email,
            name: row.name,
            role,
            caseload: None,
        })
    }
}

/// `accounts` with the caseloads of the trajectbegeleiders among them.
fn with_caseloads(conn: &mut DbConn, mut accounts: Vec<StaffAccount>) -> QueryResult<Vec<StaffAccount>> {
    let coaches: Vec<i64> = accounts
        .iter()
        .filter(|a| a.role == StaffRole::Trajectbegeleider)
        .map(|a| a.id)
        .collect();
    if coaches.is_empty() {
        return Ok(accounts);
    }
    let caseloads = coaches::caseloads(conn, &coaches)?;
    for a in accounts.iter_mut().filter(|a| a.role == StaffRole::Trajectbegeleider) {
        a.caseload = Some(caseloads.get(&a.id).copied().unwrap_or(0));
    }
    Ok(accounts)
}

fn staff_roles() -> Vec<&'static str> {
    StaffRole::ALL.iter().map(|r| r.role().as_str()).collect()
}

fn filtered(role: Option<StaffRole>, active: Option<bool>) -> users::BoxedQuery<'static, MultiBackend> {
    let mut query = users::table.into_boxed::<MultiBackend>();
    query = match role {
        Some(role) => query.filter(users::role.eq(role.role().as_str())),
        None => query.filter(users::role.eq_any(staff_roles())),
    };
    if let Some(active) = active {
        query = query.filter(users::active.eq(active));
    }
    query
}

/// A page of staff accounts, by name.
pub fn list(
    conn: &mut DbConn,
    role: Option<StaffRole>,
    active: Option<bool>,
    page: &PageQuery,
) -> QueryResult<(Vec<StaffAccount>, i64)> {
    let total = filtered(role, active).count().get_result(conn)?;
    let rows: Vec<UserRow> = filtered(role, active)
        .order((users::name.asc(), users::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(UserRow::as_select())
        .load(conn)?;
    let accounts = rows.into_iter().filter_map(StaffAccount::of).collect();
    Ok((with_caseloads(conn, accounts)?, total))
}

/// The staff account with this id; 404 for any other account.
fn find(conn: &mut DbConn, id: i64) -> Result<(UserRow, StaffAccount), ApiError> {
    let row = store::find_user(conn, id)?.ok_or(ApiError::NotFound)?;
    let account = StaffAccount::of(row.clone()).ok_or(ApiError::NotFound)?;
    let account = with_caseloads(conn, vec![account])?.pop().ok_or(ApiError::NotFound)?;
    Ok((row, account))
}

/// The target of a change by the coordinator `by`, once every change to staff accounts
/// before it committed: all of them queue on one lock, with the caller checked still
/// active inside it, so two coordinators turning each other off (or into werkleiders) at
/// once cannot leave nobody to undo it.
fn locked_target(conn: &mut DbConn, by: &AuthUser, id: i64) -> Result<UserRow, ApiError> {
    db::lock(conn, "staff-accounts")?;
    store::find_user(conn, by.id)?
        .filter(|u| u.active)
        .ok_or(ApiError::InvalidToken)?;
    Ok(find(conn, id)?.0)
}

fn own_account() -> ApiError {
    ApiError::conflict("own_account", "another coordinator does this to your account")
}

/// Turns a staff account off or on; not the caller's own.
pub fn switch(conn: &mut DbConn, by: &AuthUser, id: i64, on: bool) -> Result<StaffAccount, ApiError> {
    let row = locked_target(conn, by, id)?;
    if id == by.id {
        return Err(own_account());
    }
    let now = db::now();
    if on {
        account_access::switch_on(conn, &row, now)?
            .ok_or_else(|| ApiError::conflict("account_erased", "this account was erased on request"))?;
    } else {
        account_access::switch_off(conn, &row, now)?;
    }
    Ok(find(conn, id)?.1)
}

/// A change to a staff account, checked; absent fields stay.
pub struct Change {
    pub name: Option<String>,
    pub role: Option<StaffRole>,
    pub language: Option<Language>,
    /// Only while the holder has not chosen a password ([`invitations::pending`]).
    pub email: Option<Email>,
}

/// Changes a staff account. A new role ends the account's sessions, since their tokens
/// carry the old one (`true` is returned then: the caller reloads the revocations after
/// commit). Not the caller's own role, and not a trajectbegeleider's while active
/// participants have them as coach. A new address (or the same again) mails a new link
/// to choose a password, while none is chosen: 409 `invitation_accepted` after.
pub fn change(
    conn: &mut DbConn,
    by: &AuthUser,
    id: i64,
    change: &Change,
    public_url: &str,
) -> Result<(StaffAccount, bool), ApiError> {
    let row = locked_target(conn, by, id)?;
    if change.email.is_some() {
        if !invitations::pending(&row) {
            return Err(ApiError::conflict(
                "invitation_accepted",
                "the holder has chosen a password already: the address they log in with is not changed here",
            ));
        }
        if !row.active {
            return Err(ApiError::conflict(
                "account_disabled",
                "this account is switched off: switch it on first",
            ));
        }
    }
    let old_role = row.role().and_then(StaffRole::of).ok_or(ApiError::NotFound)?;
    let new_role = change.role.filter(|r| *r != old_role);
    if new_role.is_some() {
        if id == by.id {
            return Err(own_account());
        }
        if old_role == StaffRole::Trajectbegeleider && coaches::caseloads(conn, &[id])?.contains_key(&id) {
            return Err(ApiError::conflict(
                "has_caseload",
                "participants have this trajectbegeleider as coach; hand the caseload over first",
            ));
        }
        store::lock_account(conn, id)?;
    }
    let now = db::now();
    diesel::update(users::table.find(id))
        .set((
            users::role.eq(new_role.unwrap_or(old_role).role().as_str()),
            users::name.eq(change.name.as_deref().unwrap_or(&row.name)),
            users::language.eq(change.language.unwrap_or(Language::from_stored(&row.language)).as_str()),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    if new_role.is_some() {
        store::revoke_all_sessions(conn, id, now)?;
    }
    if let Some(email) = &change.email {
        // After the update, so the mail greets them by the corrected name.
        let changed = store::find_user(conn, id)?.ok_or(ApiError::NotFound)?;
        invitations::renew(conn, &changed, email, public_url)?;
    }
    Ok((find(conn, id)?.1, new_role.is_some()))
}

/// What a handover of a caseload did.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandedOver {
    /// The participants who have the new coach now (all the old one had, active or not).
    pub moved: usize,
    /// The old coach's intake times to come.
    pub intake_slots: RosterHandedOver,
    pub from: StaffAccount,
    pub to: StaffAccount,
}

/// Gives every participant coached by the account `id` the active trajectbegeleider `to`,
/// and the intake times to come that fit `to`'s roster, under the same lock as the
/// switches, so `to` cannot be turned off meanwhile.
pub fn hand_over_caseload(
    conn: &mut DbConn,
    by: &AuthUser,
    id: i64,
    to: i64,
    operation: &str,
) -> Result<HandedOver, ApiError> {
    locked_target(conn, by, id)?;
    if to == id {
        return Err(ApiError::validation(
            "to",
            "same_coach",
            "this is the coach it is handed over from",
        ));
    }
    coaches::checked(conn, to, "to")?;
    let moved = coaches::hand_over(conn, by.id, id, to, operation, db::now())?;
    let intake_slots = intake_store::hand_over(conn, id, to, crate::clock::local(chrono::Utc::now()))?;
    Ok(HandedOver {
        moved,
        intake_slots,
        from: find(conn, id)?.1,
        to: find(conn, to)?.1,
    })
}
