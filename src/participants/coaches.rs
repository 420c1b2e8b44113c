//! A participant's coach: an active trajectbegeleider. When one leaves, the coordinator
//! hands their whole caseload to another in one go (`hand_over`), instead of changing
//! each participant's profile; every participant moved gets an audit entry, as a change
//! of their profile would.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::Role;
use crate::auth::store as users;
use crate::db::DbConn;
use crate::db::schema::participants;
use crate::error::ApiError;
use crate::privacy::audit::{self, Entry};

/// `id`, if it is the account of an active trajectbegeleider; otherwise 422
/// `unknown_coach` on `field`. A disabled coach cannot read the caseload they would get.
pub fn checked(conn: &mut DbConn, id: i64, field: &'static str) -> Result<i64, ApiError> {
    let user = users::find_user(conn, id)?;
    if user.is_some_and(|u| u.active && u.role() == Some(Role::Trajectbegeleider)) {
        Ok(id)
    } else {
        Err(ApiError::validation(
            field,
            "unknown_coach",
            "no active trajectbegeleider with this id",
        ))
    }
}

/// The number of active participants each of `coaches` coaches (absent: none).
pub fn caseloads(conn: &mut DbConn, coaches: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let counted: Vec<(Option<i64>, i64)> = participants::table
        .filter(participants::coach_user_id.eq_any(coaches))
        .filter(participants::active.eq(true))
        .group_by(participants::coach_user_id)
        .select((participants::coach_user_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(counted.into_iter().filter_map(|(coach, n)| Some((coach?, n))).collect())
}

/// Gives every participant coached by `from` the coach `to` (checked by the caller), on
/// behalf of `by`, with an audit entry for each under `operation`. Returns how many.
/// Each moves only if `from` is still their coach, so a profile changed at the same
/// moment keeps its new coach and gets no entry of this.
pub fn hand_over(
    conn: &mut DbConn,
    by: i64,
    from: i64,
    to: i64,
    operation: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let caseload: Vec<i64> = participants::table
        .filter(participants::coach_user_id.eq(from))
        .order(participants::id.asc())
        .select(participants::id)
        .load(conn)?;
    let mut moved = 0;
    for id in caseload {
        let changed = diesel::update(
            participants::table
                .find(id)
                .filter(participants::coach_user_id.eq(from)),
        )
        .set((participants::coach_user_id.eq(to), participants::updated_at.eq(now)))
        .execute(conn)?;
        if changed == 0 {
            continue;
        }
        let entry = Entry {
            actor_user_id: Some(by),
            subject_kind: "participant",
            subject_id: Some(id),
            action: "change",
            operation,
            status: 200,
        };
        audit::record(conn, &entry, now)?;
        moved += 1;
    }
    Ok(moved)
}
