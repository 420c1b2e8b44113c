//! The planning board: per day and participant, the planned work, the free dagdelen and
//! absences, the days the servicepunt is closed, plus the waiting list — what the
//! werkleider's screen needs in one call.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::assignment_store;
use super::facts::BoardJob;
use super::rules::{self, ParticipantFacts, Slot, Violation};
use super::{closed_days, facts, standing};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::lifecycle::JobStatus;
use crate::jobs::model::Dagdeel;
use crate::jobs::queue::{self, WaitlistEntry};
use crate::jobs::settings::JobSettings;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardAssignment {
    pub assignment_id: i64,
    pub job_id: i64,
    pub service: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub ends_at: NaiveDateTime,
    /// The hard rules this planned work breaks now that something changed since it was
    /// planned (an absence, availability, clearance, contracted hours, a trajectory's
    /// end, do-not-pair): it needs re-planning. Empty when it still fits, and for work
    /// that started already.
    pub conflicts: Vec<Violation>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantDay {
    pub participant_id: i64,
    pub first_name: String,
    pub absent: bool,
    pub assignments: Vec<BoardAssignment>,
    /// Dagdelen the participant works that day with nothing planned in them yet and that
    /// have not ended yet: time gone by is not free.
    pub free_dagdelen: Vec<Dagdeel>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardDay {
    pub date: NaiveDate,
    /// Why the servicepunt is closed that day (nobody is sent out, no dagdeel is free);
    /// absent when it is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
    /// Who works that day: a dagdeel of their availability falls on it, or work is
    /// planned for them. The others are left out.
    pub participants: Vec<ParticipantDay>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanningBoard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<BoardDay>,
    pub waitlist: Vec<WaitlistEntry>,
}

pub const MAX_DAYS: i64 = 31;

/// What the planned work breaks now; nothing for work that started already.
pub(super) fn conflicts(job: &BoardJob, members: &[i64], people: &[ParticipantFacts], slot: &Slot) -> Vec<Violation> {
    if job.status != JobStatus::Scheduled {
        return Vec::new();
    }
    let crew: Vec<&ParticipantFacts> = people.iter().filter(|p| members.contains(&p.id)).collect();
    standing::broken(&crew, &job.facts, slot)
}

pub fn build(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
    settings: &JobSettings,
    now: NaiveDateTime,
) -> Result<PlanningBoard, ApiError> {
    if to < from || (to - from).num_days() >= MAX_DAYS {
        return Err(ApiError::validation(
            "to",
            "invalid_period",
            format!("from 1 to {MAX_DAYS} days, `to` not before `from`"),
        ));
    }
    let people = facts::participants(conn, None, from, to, None, settings.vog_months)?;
    let closed = closed_days::between(conn, from, to)?;
    let first = Slot::from_local(
        from.and_hms_opt(0, 0, 0).unwrap_or_default(),
        from.and_hms_opt(0, 0, 0).unwrap_or_default(),
    );
    let last = to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).unwrap_or_default();
    let last = Slot::from_local(last, last);
    let planned = assignment_store::between(conn, first.utc_start, last.utc_start)?;
    let job_ids: Vec<i64> = planned.iter().map(|(a, _)| a.job_id).collect();
    let jobs = facts::board_jobs(conn, &job_ids, settings)?;
    let mut named = Vec::with_capacity(planned.len());
    for (a, members) in planned {
        let job = jobs.get(&a.job_id).ok_or(ApiError::NotFound)?;
        let broken = conflicts(job, &members, &people, &Slot::from_utc(a.starts_at, a.ends_at));
        named.push((a, members, (job.service.clone(), broken)));
    }
    let days = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|date| {
            let weekday = date.weekday().num_days_from_monday();
            let closed = closed_days::reason_on(&closed, date);
            let participants = people
                .iter()
                .filter_map(|p| {
                    let assignments: Vec<BoardAssignment> = named
                        .iter()
                        .filter(|(a, m, _)| {
                            m.contains(&p.id) && Slot::from_utc(a.starts_at, a.ends_at).local_start.date() == date
                        })
                        .map(|(a, _, (service, broken))| BoardAssignment {
                            assignment_id: a.id,
                            job_id: a.job_id,
                            service: service.clone(),
                            starts_at: a.starts_at,
                            ends_at: a.ends_at,
                            conflicts: broken.clone(),
                        })
                        .collect();
                    let works = p.availability.iter().any(|(day, _)| *day == weekday);
                    if !works && assignments.is_empty() {
                        return None;
                    }
                    let absent = p.absences.iter().any(|(f, t)| *f <= date && date <= *t);
                    let free_dagdelen = [Dagdeel::Morning, Dagdeel::Afternoon, Dagdeel::Evening]
                        .into_iter()
                        .filter(|d| !absent && closed.is_none() && p.availability.contains(&(weekday, *d)))
                        .filter(|d| {
                            let (s, e) = rules::dagdeel_bounds(*d);
                            let part = Slot::from_local(date.and_time(s), date.and_time(e));
                            part.utc_end > now
                                && !assignments
                                    .iter()
                                    .any(|a| a.starts_at < part.utc_end && part.utc_start < a.ends_at)
                        })
                        .collect();
                    Some(ParticipantDay {
                        participant_id: p.id,
                        first_name: p.first_name.clone(),
                        absent,
                        assignments,
                        free_dagdelen,
                    })
                })
                .collect();
            BoardDay {
                date,
                closed,
                participants,
            }
        })
        .collect();
    Ok(PlanningBoard {
        from,
        to,
        days,
        waitlist: queue::entries(conn, None, None, now)?,
    })
}
