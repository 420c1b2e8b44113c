//! Recording, approving and correcting worked time, each in one transaction.

use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::Deserialize;
use utoipa::ToSchema;

use super::rules::{self, Broken};
use super::store::{self, APPROVED, NewLog, PENDING, REJECTED, WorkLog};
use crate::auth::{AuthUser, Role};
use crate::catalogue::store as catalogue;
use crate::clock;
use crate::db::{self, DbConn};
use crate::error::{ApiError, FieldError};
use crate::jobs::lifecycle::JobStatus;
use crate::jobs::settings::JobSettings;
use crate::jobs::store as jobs;
use crate::participants::store as participants;
use crate::planning::assignment_store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Work at the servicepunt office.
    Office,
    Training,
    OtherProject,
}

impl Activity {
    fn as_str(self) -> &'static str {
        match self {
            Activity::Office => "office",
            Activity::Training => "training",
            Activity::OtherProject => "other_project",
        }
    }
}

/// What one log covers (times in UTC).
#[derive(Debug, Clone)]
pub struct Span {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub break_minutes: i64,
}

fn rule(field: &str, b: Broken) -> ApiError {
    ApiError::Rules(vec![FieldError::new(field, b.code, b.message)])
}

fn rule_code(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Rules(vec![FieldError::new("work_log", code, message)])
}

fn unknown_assignment() -> ApiError {
    ApiError::validation("assignment_id", "unknown_assignment", "no such assignment")
}

/// Holds off other logs on the job until the transaction ends ([`db::lock`]): the five
/// hours a klus around the home may span are checked against the job's logs as read, so
/// on PostgreSQL two of the crew logging at once could each fit and together pass them.
/// Taken before the participants' locks, always in that order.
pub fn lock_job(conn: &mut DbConn, job_id: i64) -> QueryResult<()> {
    db::lock(conn, &format!("job-worklogs:{job_id}"))
}

/// What a refusal calls the participant: their first name, as planning does.
fn called(conn: &mut DbConn, participant_id: i64) -> QueryResult<String> {
    let row = participants::find(conn, participant_id)?;
    Ok(row.map_or_else(|| format!("participant {participant_id}"), |p| p.first_name()))
}

/// Checks one log for one participant against every rule; returns its worked minutes.
#[allow(clippy::too_many_arguments)]
fn check(
    conn: &mut DbConn,
    participant_id: i64,
    assignment: Option<&assignment_store::AssignmentRow>,
    span: &Span,
    note: Option<&str>,
    settings: &JobSettings,
    except: Option<i64>,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    let minutes = rules::worked_minutes(span.start, span.end, span.break_minutes).map_err(|b| rule("ended_at", b))?;
    if span.end > now + chrono::Duration::minutes(5) {
        return Err(rule_code(
            "in_future",
            "worked time is logged afterwards, not in advance",
        ));
    }
    if let Some(a) = assignment
        && !assignment_store::members(conn, a.id)?.contains(&participant_id)
    {
        return Err(rule_code(
            "not_on_assignment",
            format!("{} is not in this crew", called(conn, participant_id)?),
        ));
    }
    db::lock(conn, &format!("worklogs:{participant_id}"))?;
    let others = store::live_spans(conn, participant_id, span.start, span.end, except)?;
    if let Some((start, end)) = rules::overlapping(span.start, span.end, &others) {
        let (start, end) = (clock::local(start.and_utc()), clock::local(end.and_utc()));
        return Err(rule_code(
            "overlapping_log",
            format!(
                "{} has logged {} from {} to {} (Dutch time) already",
                called(conn, participant_id)?,
                start.format("%Y-%m-%d"),
                start.format("%H:%M"),
                end.format("%H:%M"),
            ),
        ));
    }
    if let Some(a) = assignment {
        if rules::far_outside((span.start, span.end), (a.starts_at, a.ends_at)) && note.is_none() {
            return Err(rule_code(
                "note_required",
                "this time lies well outside the planned time: add a note",
            ));
        }
        let job = jobs::find(conn, a.job_id)?.ok_or(ApiError::NotFound)?;
        let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
        if service.around_home {
            let mut spans: Vec<_> = store::live_on_job(conn, job.id, except)?
                .iter()
                .map(|l| (l.started_at, l.ended_at))
                .collect();
            spans.push((span.start, span.end));
            let limit = settings.five_hour.for_category(&service.category).limit_minutes;
            if rules::job_span(&spans) > limit {
                return Err(rule_code(
                    "five_hour_rule",
                    format!("work on this job may span at most {limit} minutes"),
                ));
            }
        }
    }
    Ok(minutes)
}

pub struct LogRequest {
    pub participant_ids: Vec<i64>,
    pub assignment_id: Option<i64>,
    pub activity: Option<Activity>,
    pub span: Span,
    pub note: Option<String>,
}

/// Records worked time for one participant, or (werkleider) a whole crew at once.
pub fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    req: &LogRequest,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<Vec<WorkLog>, ApiError> {
    let ids: Vec<i64> = match user.role {
        Role::Participant => {
            let own = participants::find_by_user(conn, user.id)?.ok_or(ApiError::Forbidden)?;
            if req.participant_ids.iter().any(|p| *p != own.id) {
                return Err(ApiError::Forbidden);
            }
            vec![own.id]
        }
        _ if req.participant_ids.is_empty() => {
            return Err(ApiError::validation(
                "participant_ids",
                "required",
                "name the participants",
            ));
        }
        _ => {
            let mut distinct = req.participant_ids.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() != req.participant_ids.len() {
                return Err(ApiError::validation(
                    "participant_ids",
                    "duplicate_participant",
                    "name each participant once",
                ));
            }
            // In ascending order, the order their locks are taken in: two crew logs
            // naming the same people in another order never wait for each other.
            distinct
        }
    };
    let assignment = match req.assignment_id {
        Some(id) => {
            let job_id = assignment_store::find(conn, id)?.ok_or_else(unknown_assignment)?.job_id;
            lock_job(conn, job_id)?;
            // Read again under the lock: removed meanwhile, it is gone.
            let a = assignment_store::find(conn, id)?.ok_or_else(unknown_assignment)?;
            let job = jobs::find(conn, a.job_id)?.ok_or(ApiError::NotFound)?;
            if job.status() == JobStatus::Cancelled {
                return Err(rule_code(
                    "job_cancelled",
                    "this job was cancelled: time spent on it anyway is logged as another activity, with a note",
                ));
            }
            Some(a)
        }
        None => None,
    };
    let activity = match (&assignment, req.activity) {
        (Some(_), _) => "job",
        (None, Some(a)) => a.as_str(),
        (None, None) => {
            return Err(ApiError::validation(
                "activity",
                "required",
                "log either an assignment or an activity",
            ));
        }
    };
    let mut out = Vec::new();
    for pid in ids {
        // Held off by an erasure (and holding it off): nothing is logged for someone
        // erased. In ascending order, after the job's lock, as planning takes them.
        participants::lock(conn, pid)?;
        participants::find(conn, pid)?
            .ok_or_else(|| {
                ApiError::validation(
                    "participant_ids",
                    "unknown_participant",
                    format!("no participant {pid}"),
                )
            })?
            .still_recordable(Some("participant_ids"))?;
        let minutes = check(
            conn,
            pid,
            assignment.as_ref(),
            &req.span,
            req.note.as_deref(),
            settings,
            None,
            now,
        )?;
        out.push(store::insert(
            conn,
            &NewLog {
                participant_id: pid,
                assignment_id: assignment.as_ref().map(|a| a.id),
                job_id: assignment.as_ref().map(|a| a.job_id),
                activity,
                started_at: req.span.start,
                ended_at: req.span.end,
                break_minutes: req.span.break_minutes,
                minutes,
                note: req.note.as_deref(),
                status: PENDING,
                entered_by: user.id,
                decided_by: None,
                supersedes_id: None,
                correction_reason: None,
            },
            now,
        )?);
    }
    Ok(out)
}

pub fn approve(conn: &mut DbConn, id: i64, by: i64, now: NaiveDateTime) -> Result<WorkLog, ApiError> {
    store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if !store::decide(conn, id, APPROVED, by, None, now)? {
        return Err(ApiError::conflict(
            "not_pending",
            "only a pending log can be approved or rejected",
        ));
    }
    store::find(conn, id)?.ok_or(ApiError::NotFound)
}

/// Marks a pending log rejected; the participant is told by [`super::approval`], which
/// calls this.
pub(super) fn reject(
    conn: &mut DbConn,
    id: i64,
    by: i64,
    reason: &str,
    now: NaiveDateTime,
) -> Result<WorkLog, ApiError> {
    store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if !store::decide(conn, id, REJECTED, by, Some(reason), now)? {
        return Err(ApiError::conflict(
            "not_pending",
            "only a pending log can be approved or rejected",
        ));
    }
    store::find(conn, id)?.ok_or(ApiError::NotFound)
}

/// Corrects an approved log: a new, approved log supersedes it; the old one stays as it was.
pub fn correct(
    conn: &mut DbConn,
    id: i64,
    by: i64,
    span: &Span,
    reason: &str,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<WorkLog, ApiError> {
    let old = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if old.status != APPROVED {
        return Err(ApiError::conflict(
            "not_approved",
            "only an approved log is corrected; a pending one is approved or rejected",
        ));
    }
    let assignment = match old.assignment_id {
        Some(a) => assignment_store::find(conn, a)?,
        None => None,
    };
    if let Some(a) = &assignment {
        lock_job(conn, a.job_id)?;
    }
    let minutes = check(
        conn,
        old.participant_id,
        assignment.as_ref(),
        span,
        Some(reason),
        settings,
        Some(old.id),
        now,
    )?;
    if !store::supersede(conn, old.id)? {
        return Err(ApiError::conflict("not_approved", "the log changed meanwhile"));
    }
    Ok(store::insert(
        conn,
        &NewLog {
            participant_id: old.participant_id,
            assignment_id: old.assignment_id,
            job_id: old.job_id,
            activity: old.activity.as_deref().unwrap_or("job"),
            started_at: span.start,
            ended_at: span.end,
            break_minutes: span.break_minutes,
            minutes,
            note: old.note.as_deref(),
            status: APPROVED,
            entered_by: by,
            decided_by: Some(by),
            supersedes_id: Some(old.id),
            correction_reason: Some(reason),
        },
        now,
    )?)
}
