//! Auto-planner proposals: computed and stored for the werkleider to review; applied (all
//! or selected lines) in one transaction that checks every rule again, because the world
//! may have changed since the proposal was made.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::assign::{self, NewAssignment};
use super::autoplan::{self, PlanJob};
use super::facts;
use super::rules::Slot;
use crate::clock;
use crate::db::schema::{planning_proposals, proposal_lines};
use crate::db::{self, DbConn};
use crate::error::{ApiError, FieldError};
use crate::jobs::settings::JobSettings;
use crate::jobs::store as jobs;
use crate::participants::store as participants;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = proposal_lines)]
pub struct ProposalLine {
    pub id: i64,
    #[serde(skip)]
    pub proposal_id: i64,
    pub job_id: i64,
    /// Comma-separated participant ids.
    pub participant_ids: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub ends_at: NaiveDateTime,
    pub score: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Proposal {
    pub id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub served_minutes: i64,
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub applied_at: Option<NaiveDateTime>,
    pub lines: Vec<ProposalLine>,
    /// Waitlisted jobs the planner could not place.
    pub unplaced_job_ids: Vec<i64>,
}

pub const MAX_DAYS: i64 = 14;
const PRIORITY_BONUS: i64 = 7;

pub fn propose(
    conn: &mut DbConn,
    actor: i64,
    from: NaiveDate,
    to: NaiveDate,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<Proposal, ApiError> {
    if to < from || (to - from).num_days() >= MAX_DAYS {
        return Err(ApiError::validation(
            "to",
            "invalid_period",
            format!("from 1 to {MAX_DAYS} days, `to` not before `from`"),
        ));
    }
    let local_now = clock::local(now.and_utc());
    if from < local_now.date() {
        return Err(ApiError::validation(
            "from",
            "date_in_past",
            "plan from today on: days gone by cannot be planned",
        ));
    }
    let days: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
    let people = facts::participants(conn, None, from, to, None, settings.vog_months)?;
    let mut plan_jobs = Vec::new();
    for job in jobs::waitlisted(conn)? {
        let waited = job.accepted_at.map_or(0, |at| (now - at).num_days().max(0));
        plan_jobs.push(PlanJob {
            facts: facts::job(conn, &job, settings, now)?,
            minutes: job.estimated_minutes,
            weight: 1 + waited + if job.priority { PRIORITY_BONUS } else { 0 },
        });
    }
    let earliest = autoplan::earliest_start(local_now + settings.planning_lead);
    let plan = autoplan::plan(people, &plan_jobs, &days, earliest);
    let id: i64 = diesel::insert_into(planning_proposals::table)
        .values((
            planning_proposals::from_date.eq(from),
            planning_proposals::to_date.eq(to),
            planning_proposals::served_minutes.eq(plan.served_minutes),
            planning_proposals::created_by.eq(actor),
            planning_proposals::created_at.eq(now),
        ))
        .returning(planning_proposals::id)
        .get_result(conn)?;
    for line in &plan.lines {
        let crew: Vec<String> = line.crew.iter().map(i64::to_string).collect();
        diesel::insert_into(proposal_lines::table)
            .values((
                proposal_lines::proposal_id.eq(id),
                proposal_lines::job_id.eq(line.job_id),
                proposal_lines::participant_ids.eq(crew.join(",")),
                proposal_lines::starts_at.eq(line.slot.utc_start),
                proposal_lines::ends_at.eq(line.slot.utc_end),
                proposal_lines::score.eq(line.score),
            ))
            .execute(conn)?;
    }
    let mut proposal = load(conn, id)?;
    proposal.unplaced_job_ids = plan.unplaced;
    Ok(proposal)
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<Proposal, ApiError> {
    let (from, to, served_minutes, applied_at): (NaiveDate, NaiveDate, i64, Option<NaiveDateTime>) =
        planning_proposals::table
            .find(id)
            .select((
                planning_proposals::from_date,
                planning_proposals::to_date,
                planning_proposals::served_minutes,
                planning_proposals::applied_at,
            ))
            .first(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
    let lines = proposal_lines::table
        .filter(proposal_lines::proposal_id.eq(id))
        .order(proposal_lines::id)
        .select(ProposalLine::as_select())
        .load(conn)?;
    Ok(Proposal {
        id,
        from,
        to,
        served_minutes,
        applied_at,
        lines,
        unplaced_job_ids: Vec::new(),
    })
}

fn with_line(line: i64, e: ApiError) -> ApiError {
    match e {
        ApiError::Rules(errors) => ApiError::Rules(
            errors
                .into_iter()
                .map(|f| FieldError::new(format!("line {line}: {}", f.field), f.code, f.message))
                .collect(),
        ),
        ApiError::Conflict { code, detail } => ApiError::Conflict {
            code,
            detail: format!("line {line}: {detail}"),
        },
        other => other,
    }
}

/// Applies the chosen lines (all when `only` is `None`); any broken rule stops the whole.
pub fn apply(
    conn: &mut DbConn,
    actor: i64,
    id: i64,
    only: Option<&[i64]>,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<Proposal, ApiError> {
    // One application at a time: a second waits, then hears it was applied already.
    db::lock(conn, &format!("proposal:{id}"))?;
    let proposal = load(conn, id)?;
    if proposal.applied_at.is_some() {
        return Err(ApiError::conflict(
            "already_applied",
            "this proposal was applied already",
        ));
    }
    if let Some(ids) = only
        && let Some(missing) = ids.iter().find(|l| !proposal.lines.iter().any(|line| line.id == **l))
    {
        return Err(ApiError::validation(
            "line_ids",
            "unknown_line",
            format!("line {missing} is not in this proposal"),
        ));
    }
    let chosen: Vec<&ProposalLine> = proposal
        .lines
        .iter()
        .filter(|l| only.is_none_or(|ids| ids.contains(&l.id)))
        .collect();
    // A line whose start has gone by would send people out in the past: the proposal is
    // out of date, and a new one places the work from now on.
    if let Some(line) = chosen.iter().find(|l| l.starts_at < now) {
        return Err(ApiError::conflict(
            "start_passed",
            format!("line {}: its start has passed; make a new proposal", line.id),
        ));
    }
    let crew_of =
        |line: &ProposalLine| -> Vec<i64> { line.participant_ids.split(',').filter_map(|s| s.parse().ok()).collect() };
    // Everyone in the chosen lines is locked first, in ascending order: locked line by
    // line, two proposals naming the same people in another order could each wait for
    // the other.
    let mut everyone: Vec<i64> = chosen.iter().flat_map(|l| crew_of(l)).collect();
    everyone.sort_unstable();
    everyone.dedup();
    for p in everyone {
        participants::lock(conn, p)?;
    }
    for line in chosen {
        let crew = crew_of(line);
        let new = NewAssignment {
            job_id: line.job_id,
            crew,
            slot: Slot::from_utc(line.starts_at, line.ends_at),
            pinned: false,
        };
        assign::create(conn, actor, &new, settings, now).map_err(|e| with_line(line.id, e))?;
    }
    diesel::update(planning_proposals::table.find(id))
        .set(planning_proposals::applied_at.eq(now))
        .execute(conn)?;
    load(conn, id)
}
