//! The trajectory plan (diagnose-trajectplan): the goals a coach writes down with the
//! participant, which the participant signs. Few participants remember their plan, so it
//! is theirs to read in the app in plain words. Each change is a new version that needs
//! signing again; a written version never changes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::trajectory_plans;
use crate::error::{ApiError, Violations};

/// At most this many goals, of at most [`MAX_GOAL_CHARS`] characters each.
pub const MAX_GOALS: usize = 10;
pub const MAX_GOAL_CHARS: usize = 300;

/// The goals, each trimmed: one to [`MAX_GOALS`], none empty or too long (pure).
pub fn goals(raw: &[String]) -> Result<Vec<String>, ApiError> {
    let mut v = Violations::new();
    if raw.is_empty() || raw.len() > MAX_GOALS {
        v.push("goals", "goal_count", format!("one to {MAX_GOALS} goals"));
    }
    let goals: Vec<String> = raw.iter().map(|g| g.trim().to_owned()).collect();
    for (i, g) in goals.iter().enumerate() {
        if g.is_empty() {
            v.push(&format!("goals[{i}]"), "required", "write the goal down");
        } else if g.chars().count() > MAX_GOAL_CHARS {
            v.push(
                &format!("goals[{i}]"),
                "too_long",
                format!("at most {MAX_GOAL_CHARS} characters"),
            );
        }
    }
    v.into_result()?;
    Ok(goals)
}

/// One version of a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanView {
    pub trajectory_id: i64,
    /// 1 for the first plan, one more for each change.
    pub version: i32,
    pub goals: Vec<String>,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub written_at: NaiveDateTime,
    /// When the participant signed this version (UTC); null until then.
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub signed_at: Option<NaiveDateTime>,
}

/// A version as stored: the goals as a JSON list.
#[derive(Queryable, Selectable)]
#[diesel(table_name = trajectory_plans)]
struct Row {
    trajectory_id: i64,
    version: i32,
    goals: String,
    written_at: NaiveDateTime,
    signed_at: Option<NaiveDateTime>,
}

fn view(r: Row) -> PlanView {
    PlanView {
        trajectory_id: r.trajectory_id,
        version: r.version,
        goals: serde_json::from_str(&r.goals).unwrap_or_default(),
        written_at: r.written_at,
        signed_at: r.signed_at,
    }
}

/// The latest version of the plan of `trajectory`, if one was written.
pub fn latest(conn: &mut DbConn, trajectory: i64) -> QueryResult<Option<PlanView>> {
    let row: Option<Row> = trajectory_plans::table
        .filter(trajectory_plans::trajectory_id.eq(trajectory))
        .order(trajectory_plans::version.desc())
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(view))
}

/// Every version of the plans of `trajectories`, oldest first (for an export).
pub fn all_of(conn: &mut DbConn, trajectories: &[i64]) -> QueryResult<Vec<PlanView>> {
    let rows: Vec<Row> = trajectory_plans::table
        .filter(trajectory_plans::trajectory_id.eq_any(trajectories))
        .order((trajectory_plans::trajectory_id, trajectory_plans::version))
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(view).collect())
}

/// Writes `goals` as the next version of the plan of `trajectory`, by coach `by`, and
/// whether it is new: the same goals as the latest version change nothing. The caller
/// holds the participant's lock.
pub fn write(
    conn: &mut DbConn,
    trajectory: i64,
    goals: &[String],
    by: i64,
    now: NaiveDateTime,
) -> Result<(PlanView, bool), ApiError> {
    let current = latest(conn, trajectory)?;
    if let Some(plan) = current.as_ref().filter(|p| p.goals == goals) {
        return Ok((plan.clone(), false));
    }
    let version = current.map_or(1, |p| p.version + 1);
    diesel::insert_into(trajectory_plans::table)
        .values((
            trajectory_plans::trajectory_id.eq(trajectory),
            trajectory_plans::version.eq(version),
            trajectory_plans::goals.eq(serde_json::to_string(goals).map_err(ApiError::internal)?),
            trajectory_plans::written_by.eq(by),
            trajectory_plans::written_at.eq(now),
        ))
        .execute(conn)?;
    Ok((latest(conn, trajectory)?.ok_or(ApiError::NotFound)?, true))
}

/// The participant signs `version` of the plan of `trajectory`: only the latest, which
/// they have read; signing it again changes nothing.
pub fn sign(conn: &mut DbConn, trajectory: i64, version: i32, now: NaiveDateTime) -> Result<PlanView, ApiError> {
    let plan = latest(conn, trajectory)?.ok_or(ApiError::NotFound)?;
    if plan.version != version {
        return Err(ApiError::conflict(
            "plan_changed",
            "your plan was changed since you read it; read it again before you sign",
        ));
    }
    if plan.signed_at.is_some() {
        return Ok(plan);
    }
    diesel::update(
        trajectory_plans::table
            .filter(trajectory_plans::trajectory_id.eq(trajectory))
            .filter(trajectory_plans::version.eq(version)),
    )
    .set(trajectory_plans::signed_at.eq(Some(now)))
    .execute(conn)?;
    latest(conn, trajectory)?.ok_or(ApiError::NotFound)
}

/// Deletes every version of the plans of `trajectories` (erasure, retention).
pub fn delete_of(conn: &mut DbConn, trajectories: &[i64]) -> QueryResult<usize> {
    diesel::delete(trajectory_plans::table.filter(trajectory_plans::trajectory_id.eq_any(trajectories))).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_are_trimmed_and_bounded() {
        let ok = goals(&[" Op tijd komen ".into(), "Rijbewijs halen".into()]).unwrap();
        assert_eq!(ok, ["Op tijd komen", "Rijbewijs halen"]);
        assert!(goals(&[]).is_err());
        assert!(goals(&vec!["x".to_owned(); MAX_GOALS + 1]).is_err());
        let Err(ApiError::Validation(errors)) = goals(&["Goed".into(), " ".into(), "é".repeat(MAX_GOAL_CHARS + 1)])
        else {
            panic!("two goals are wrong");
        };
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(fields, [("goals[1]", "required"), ("goals[2]", "too_long")]);
        assert!(goals(&["é".repeat(MAX_GOAL_CHARS)]).is_ok());
    }
}
