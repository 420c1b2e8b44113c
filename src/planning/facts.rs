//! Loading what the rules need, in a handful of batched queries (no query per participant).

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::rules::{JobFacts, ParticipantFacts, Slot};
use super::{assignment_store, closed_days};
use crate::catalogue::model::ServiceKind;
use crate::catalogue::store as catalogue;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::lifecycle::JobStatus;
use crate::jobs::model::JobRow;
use crate::jobs::settings::JobSettings;
use crate::participants::model::split_list;
use crate::participants::{ramp_up_store, store as participants, trajectory_store, vog};
use crate::residents::store as residents;

/// Facts for active participants (all, or `only` these) for planning between two local
/// dates, where a VOG counts for `vog_months` (0: none is asked for). Busy spans and
/// planned minutes cover whole ISO weeks around them.
pub fn participants(
    conn: &mut DbConn,
    only: Option<&[i64]>,
    from: NaiveDate,
    to: NaiveDate,
    except_assignment: Option<i64>,
    vog_months: u32,
) -> Result<Vec<ParticipantFacts>, ApiError> {
    let rows: Vec<_> = participants::list(conn, None, Some(true))?
        .into_iter()
        .filter(|r| only.is_none_or(|ids| ids.contains(&r.id)))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let week_start = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let week_end = to + Duration::days(7 - i64::from(to.weekday().num_days_from_monday()));
    let mut facts: HashMap<i64, ParticipantFacts> = rows
        .into_iter()
        .map(|r| {
            let f = ParticipantFacts {
                id: r.id,
                first_name: r.first_name(),
                clearance: Some(r.clearance()),
                vog_counts_until: (vog_months > 0).then(|| {
                    r.vog_issued_on
                        .and_then(|on| vog::valid_until(on, vog_months))
                        .unwrap_or(NaiveDate::MIN)
                }),
                skills: split_list(&r.skills).into_iter().collect(),
                languages: split_list(&r.languages).into_iter().collect(),
                interests: split_list(&r.interests).into_iter().collect(),
                aversions: split_list(&r.aversions).into_iter().collect(),
                postcode_area: r.postcode.as_ref().map(|p| p.chars().take(4).collect()),
                wijk: r.wijk,
                contracted_minutes: r.contracted_minutes_per_week,
                ..ParticipantFacts::default()
            };
            (r.id, f)
        })
        .collect();
    for (id, slot) in participants::availability_of(conn, &ids)? {
        if let Some(f) = facts.get_mut(&id) {
            f.availability.insert((slot.weekday, slot.dagdeel));
        }
    }
    for a in participants::absences_of(conn, &ids, week_start, week_end)? {
        if let Some(f) = facts.get_mut(&a.participant_id) {
            f.absences.push((a.starts_on, a.ends_on));
        }
    }
    for t in trajectory_store::of_participants(conn, &ids)? {
        if let Some(f) = facts.get_mut(&t.participant_id) {
            let p = t.period();
            f.trajectories.push((p.starts_on, p.effective_end()));
        }
    }
    for (id, step) in ramp_up_store::of_participants(conn, &ids)? {
        if let Some(f) = facts.get_mut(&id) {
            f.ramp_up.push(step);
        }
    }
    for (a, b) in participants::do_not_pair_of(conn, &ids)? {
        if let Some(f) = facts.get_mut(&a) {
            f.do_not_pair.insert(b);
        }
        if let Some(f) = facts.get_mut(&b) {
            f.do_not_pair.insert(a);
        }
    }
    let closed: Vec<NaiveDate> = closed_days::between(conn, week_start, week_end)?
        .into_iter()
        .map(|c| c.date)
        .collect();
    for f in facts.values_mut() {
        f.closed_days.clone_from(&closed);
    }
    let span = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
    let busy = assignment_store::spans_of(
        conn,
        &ids,
        span(week_start) - Duration::days(1),
        span(week_end) + Duration::days(1),
        except_assignment,
    )?;
    for (pid, _, start, end) in busy {
        if let Some(f) = facts.get_mut(&pid) {
            f.busy.push((start, end));
            let slot = Slot::from_utc(start, end);
            *f.planned_minutes.entry(slot.week()).or_insert(0) += slot.minutes();
        }
    }
    let mut out: Vec<ParticipantFacts> = facts.into_values().collect();
    out.sort_by_key(|f| f.id);
    Ok(out)
}

/// Facts about a job for the rules and the score.
pub fn job(conn: &mut DbConn, job: &JobRow, settings: &JobSettings, now: NaiveDateTime) -> Result<JobFacts, ApiError> {
    let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let recipient = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
    Ok(JobFacts {
        id: job.id,
        is_dienst: ServiceKind::from_stored(&service.kind) == ServiceKind::Dienst,
        needs_solo_clearance: service.needs_solo_clearance,
        required_skill: service.required_skill.clone(),
        around_home: service.around_home,
        min_crew: usize::try_from(service.min_crew).unwrap_or(1),
        limit_minutes: settings.five_hour.for_category(&service.category).limit_minutes,
        category: service.category,
        language: recipient.language,
        wijk: job.wijk.clone(),
        postcode_area: job.postcode.chars().take(4).collect(),
        previous_participants: assignment_store::previous_participants(conn, job.recipient_id, now)?
            .into_iter()
            .collect(),
        preferred_participants: participants::preferred_of(conn, job.recipient_id)?
            .into_iter()
            .collect(),
    })
}

/// A job on the board: its service's name, its status and the facts the rules need about
/// it (not the ones only the score uses).
pub struct BoardJob {
    pub service: String,
    pub status: JobStatus,
    pub facts: JobFacts,
}

/// [`BoardJob`]s for these jobs, in one query.
pub fn board_jobs(
    conn: &mut DbConn,
    job_ids: &[i64],
    settings: &JobSettings,
) -> Result<HashMap<i64, BoardJob>, ApiError> {
    use crate::db::schema::{jobs, service_versions as sv};
    use diesel::prelude::*;
    type Row = (i64, String, String, String, String, Option<String>, bool, bool, i64);
    let rows: Vec<Row> = jobs::table
        .inner_join(sv::table)
        .filter(jobs::id.eq_any(job_ids))
        .select((
            jobs::id,
            jobs::status,
            sv::name_nl,
            sv::kind,
            sv::category,
            sv::required_skill,
            sv::needs_solo_clearance,
            sv::around_home,
            sv::min_crew,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, status, service, kind, category, required_skill, needs_solo_clearance, around_home, min_crew)| {
                let facts = JobFacts {
                    id,
                    is_dienst: ServiceKind::from_stored(&kind) == ServiceKind::Dienst,
                    needs_solo_clearance,
                    required_skill,
                    around_home,
                    min_crew: usize::try_from(min_crew).unwrap_or(1),
                    limit_minutes: settings.five_hour.for_category(&category).limit_minutes,
                    category,
                    ..JobFacts::default()
                };
                let status = JobStatus::parse(&status).unwrap_or(JobStatus::Requested);
                (id, BoardJob { service, status, facts })
            },
        )
        .collect())
}
