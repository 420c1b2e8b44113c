//! Sending a crew to a job: every hard rule is checked inside the transaction that writes
//! the assignment, after locking the day against its closing and each participant (in id
//! order, so two transactions never wait on each other crosswise). No participant is ever
//! double-booked, and no work is planned on a day as it closes.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::assignment_store::{self, AssignmentRow};
use super::rules::{self, Slot, Violation};
use super::{closed_days, closing_notices, facts, messages, participant_schedule};
use crate::db::{self, DbConn};
use crate::error::{ApiError, FieldError};
use crate::jobs::lifecycle::{Action, JobStatus};
use crate::jobs::model::JobRow;
use crate::jobs::settings::JobSettings;
use crate::jobs::{store as jobs, transition};
use crate::participants::store as participants;

fn to_errors(violations: Vec<Violation>) -> Vec<FieldError> {
    violations
        .into_iter()
        .map(|v| {
            let field = v
                .participant_id
                .map_or_else(|| "assignment".to_owned(), |id| format!("participant {id}"));
            FieldError::new(field, v.code, v.message)
        })
        .collect()
}

/// Locks the participants and checks every rule for the crew at the slot. `except` leaves
/// an assignment out of "busy" (when that assignment itself is being changed).
fn check(
    conn: &mut DbConn,
    job: &JobRow,
    crew: &[i64],
    slot: &Slot,
    settings: &JobSettings,
    except: Option<i64>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let mut sorted = crew.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != crew.len() || crew.is_empty() {
        return Err(ApiError::validation(
            "participant_ids",
            "invalid_crew",
            "name each participant once, at least one",
        ));
    }
    let day = slot.local_start.date();
    closed_days::lock_shared(conn, day)?;
    for id in &sorted {
        participants::lock(conn, *id)?;
        let known = participants::find(conn, *id)?.is_some_and(|p| p.active);
        if !known {
            return Err(ApiError::validation(
                "participant_ids",
                "unknown_participant",
                format!("no active participant {id}"),
            ));
        }
    }
    let facts = facts::participants(conn, Some(&sorted), day, day, except, settings.vog_months)?;
    let job_facts = facts::job(conn, job, settings, now)?;
    let members: Vec<_> = facts.iter().collect();
    let violations = rules::check_crew(&members, &job_facts, slot);
    if violations.iter().any(|v| v.code == "participant_busy") {
        let who: Vec<String> = violations
            .iter()
            .filter(|v| v.code == "participant_busy")
            .map(|v| v.message.clone())
            .collect();
        return Err(ApiError::conflict("participant_busy", who.join("; ")));
    }
    if !violations.is_empty() {
        return Err(ApiError::Rules(to_errors(violations)));
    }
    Ok(())
}

/// What a werkleider (or an applied proposal) asks for.
#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub job_id: i64,
    pub crew: Vec<i64>,
    pub slot: Slot,
    pub pinned: bool,
}

/// Assigns a crew to a waitlisted job, which becomes scheduled.
pub fn create(
    conn: &mut DbConn,
    actor: i64,
    new: &NewAssignment,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<AssignmentRow, ApiError> {
    let NewAssignment {
        job_id,
        crew,
        slot,
        pinned,
    } = new;
    let (job_id, slot, pinned) = (*job_id, *slot, *pinned);
    if slot.utc_end <= slot.utc_start {
        return Err(ApiError::validation(
            "ends_at",
            "span_reversed",
            "the end must be after the start",
        ));
    }
    let job = jobs::find(conn, job_id)?.ok_or_else(|| ApiError::validation("job_id", "unknown_job", "no such job"))?;
    if job.status() != JobStatus::Waitlisted {
        return Err(transition::invalid(job.status(), Action::Schedule));
    }
    check(conn, &job, crew, &slot, settings, None, now)?;
    // The job's move off the waiting list decides between werkleiders planning it at
    // once: the second waits for the first and is told it is planned already.
    transition::apply(conn, &job, Action::Schedule, Some(actor), None, now)?;
    let assignment = assignment_store::insert(conn, job.id, slot.utc_start, slot.utc_end, pinned, actor, now)?;
    assignment_store::set_members(conn, &assignment, crew)?;
    jobs::record_schedule(conn, job.id, Some(slot.utc_start), Some(slot.utc_end))?;
    messages::scheduled(conn, &job, &slot, crew, now)?;
    participant_schedule::changed(conn, &crew.iter().copied().collect(), slot.local_start.date(), now)?;
    Ok(assignment)
}

/// What a werkleider changes on an assignment; what is left out stays as the assignment
/// is once locked, not as it was read before.
#[derive(Debug, Clone, Default)]
pub struct Replan {
    pub crew: Option<Vec<i64>>,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub pinned: Option<bool>,
}

/// Holds off other changes to the assignment until the transaction ends ([`db::lock`]): a
/// change fills in what it leaves out from the assignment as it is and replaces the crew,
/// so two at once on PostgreSQL could put back what the other changed, or leave both
/// crews on the job, unchecked together. Taken before the participants' locks.
fn lock(conn: &mut DbConn, assignment_id: i64) -> QueryResult<()> {
    db::lock(conn, &format!("assignment:{assignment_id}"))
}

fn not_replannable(status: JobStatus) -> ApiError {
    ApiError::conflict(
        "invalid_transition",
        format!("a job that is {status} cannot be re-planned"),
    )
}

/// Changes the crew or the time of an assignment of a job that has not started.
pub fn change(
    conn: &mut DbConn,
    id: i64,
    replan: &Replan,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<AssignmentRow, ApiError> {
    lock(conn, id)?;
    let assignment = assignment_store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let job = jobs::find(conn, assignment.job_id)?.ok_or(ApiError::NotFound)?;
    if job.status() != JobStatus::Scheduled {
        return Err(not_replannable(job.status()));
    }
    let before = assignment_store::members(conn, id)?;
    let crew = replan.crew.clone().unwrap_or_else(|| before.clone());
    let slot = Slot::from_utc(
        replan.starts_at.unwrap_or(assignment.starts_at),
        replan.ends_at.unwrap_or(assignment.ends_at),
    );
    if slot.utc_end <= slot.utc_start {
        return Err(ApiError::validation(
            "ends_at",
            "span_reversed",
            "the end must be after the start",
        ));
    }
    check(conn, &job, &crew, &slot, settings, Some(id), now)?;
    // Still scheduled, and held so until this change commits: a cancellation, check-in
    // or removal made meanwhile wins and this change is refused; one made later waits.
    if !jobs::set_status(conn, job.id, JobStatus::Scheduled, JobStatus::Scheduled, now)? {
        let now_status = jobs::find(conn, job.id)?.map_or(job.status(), |j| j.status());
        return Err(not_replannable(now_status));
    }
    let pinned = replan.pinned.unwrap_or(assignment.pinned);
    let updated = assignment_store::update_span(conn, id, slot.utc_start, slot.utc_end, pinned)?;
    assignment_store::set_members(conn, &updated, &crew)?;
    jobs::record_schedule(conn, job.id, Some(slot.utc_start), Some(slot.utc_end))?;
    jobs::add_event(
        conn,
        job.id,
        Some(JobStatus::Scheduled),
        JobStatus::Scheduled,
        None,
        Some("re-planned"),
        now,
    )?;
    messages::scheduled(conn, &job, &slot, &crew, now)?;
    if crew != before || (slot.utc_start, slot.utc_end) != (assignment.starts_at, assignment.ends_at) {
        let told: BTreeSet<i64> = before.into_iter().chain(crew).collect();
        let days = BTreeSet::from([
            participant_schedule::day_of(assignment.starts_at, assignment.ends_at),
            slot.local_start.date(),
        ]);
        for day in days {
            participant_schedule::changed(conn, &told, day, now)?;
        }
    }
    Ok(updated)
}

/// Removes an assignment; the job goes back on the waiting list, and the resident is told
/// the visit is off (unless the closing of its day told them so already, and that a new
/// day follows). Not while hours that count are logged on it (work was done): the
/// hours' lock holds off a log recorded meanwhile.
pub fn remove(conn: &mut DbConn, assignment: &AssignmentRow, actor: i64, now: NaiveDateTime) -> Result<(), ApiError> {
    crate::hours::logging::lock_job(conn, assignment.job_id)?;
    let logged = assignment_store::live_logs(conn, assignment.id)?;
    if logged > 0 {
        return Err(ApiError::conflict(
            "hours_logged",
            format!("{logged} log(s) of worked time are on this assignment: reject them first, or re-plan it instead"),
        ));
    }
    let job = jobs::find(conn, assignment.job_id)?.ok_or(ApiError::NotFound)?;
    transition::apply(
        conn,
        &job,
        Action::Unschedule,
        Some(actor),
        Some("assignment removed"),
        now,
    )?;
    jobs::record_schedule(conn, job.id, None, None)?;
    if !closing_notices::told_off(conn, assignment)? {
        messages::unscheduled(conn, &job, &Slot::from_utc(assignment.starts_at, assignment.ends_at))?;
    }
    let crew = assignment_store::members(conn, assignment.id)?.into_iter().collect();
    assignment_store::delete(conn, assignment.id)?;
    let day = participant_schedule::day_of(assignment.starts_at, assignment.ends_at);
    participant_schedule::changed(conn, &crew, day, now)?;
    Ok(())
}

/// The crew arrived: the job is in progress.
pub fn start(conn: &mut DbConn, assignment: &AssignmentRow, actor: i64, now: NaiveDateTime) -> Result<(), ApiError> {
    let job = jobs::find(conn, assignment.job_id)?.ok_or(ApiError::NotFound)?;
    transition::apply(conn, &job, Action::Start, Some(actor), Some("checked in"), now)?;
    Ok(())
}
