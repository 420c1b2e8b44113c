//! The monthly management report: what the service delivered, to whom (in groups), how
//! long people waited, what was refused and why, and what the participants did.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::summary::{Count, count_by, median, one_decimal};
use super::targets::{self, TargetProgress};
use super::{flow, flow_store};
use crate::catalogue::model::ServiceKind;
use crate::clock;
use crate::db::DbConn;
use crate::db::schema::{job_events, jobs, service_versions, work_logs};
use crate::error::ApiError;
use crate::hours::store::APPROVED;
use crate::ledger::{Account, balances};
use crate::residents::{eligibility, eligibility_store, store as residents};

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceWijk {
    pub service: String,
    /// `onbekend` when the resident's wijk is not known.
    pub wijk: String,
    pub ordered: i64,
    pub performed: i64,
    pub minutes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Waiting {
    /// Jobs on the waiting list when the report is made.
    pub on_list_now: i64,
    /// Jobs planned this month, and how many days they had waited since acceptance.
    pub planned: i64,
    pub median_wait_days: Option<f64>,
    pub longest_wait_days: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthlyReport {
    pub month: String,
    pub jobs: Vec<ServiceWijk>,
    pub jobs_performed: i64,
    pub residents_served: i64,
    /// Minutes of work delivered in all, and to residents of 70 and over or with a Wmo
    /// indication on the day.
    pub minutes_delivered: i64,
    pub minutes_to_priority_residents: i64,
    /// Of those, minutes delivered on institutions' accounts (care homes, the housing
    /// corporation): the institutional share.
    pub minutes_for_institutions: i64,
    /// The minutes delivered, of klussen and of diensten.
    pub minutes_klussen: i64,
    pub minutes_diensten: i64,
    /// Income from the services, in cents: what the service revenue account took in the
    /// month (cheques used and their subsidy, institutions' invoices, late-cancellation
    /// fees).
    pub income_cents: i64,
    /// The month's targets (`PUT /api/v1/targets/{month}`) and how far it got; absent
    /// when none were set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<TargetProgress>,
    pub waiting: Waiting,
    /// Refused jobs by reason (`competition` when it would compete with a business).
    pub refusals: Vec<Count>,
    /// Participants with a trajectory running in the month, by kind of trajectory.
    pub participants_by_trajectory: Vec<Count>,
    /// Approved hours worked, in minutes, by activity.
    pub minutes_worked: Vec<Count>,
    /// Trajectories over in the month, by why: the exit reason recorded, `continued` into
    /// a next trajectory, or `reached_end` with nothing after it.
    pub exits: Vec<Count>,
}

/// Job ids that reached `status` in [start, end), with the moment.
fn reached(
    conn: &mut DbConn,
    status: &str,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    job_events::table
        .filter(job_events::to_status.eq(status))
        .filter(job_events::at.ge(start))
        .filter(job_events::at.lt(end))
        .select((job_events::job_id, job_events::at))
        .load(conn)
}

type JobFacts = (
    i64,
    i64,
    Option<String>,
    String,
    Option<i64>,
    Option<NaiveDateTime>,
    Option<String>,
    Option<i64>,
    String,
);

fn facts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<BTreeMap<i64, JobFacts>> {
    let rows: Vec<JobFacts> = jobs::table
        .inner_join(service_versions::table)
        .filter(jobs::id.eq_any(ids))
        .select((
            jobs::id,
            jobs::recipient_id,
            jobs::wijk,
            service_versions::name_nl,
            jobs::billable_minutes,
            jobs::queue_at,
            jobs::refusal_code,
            jobs::institution_id,
            service_versions::kind,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.0, r)).collect())
}

/// What the service revenue account took in the journal from `first` to the day before
/// `next`: its credits less its debits (a fee given back), in cents. Read from the sums
/// kept for closed months, like the trial balance.
fn income_cents(conn: &mut DbConn, first: NaiveDate, next: NaiveDate) -> QueryResult<i64> {
    let last = next.pred_opt().unwrap_or(next);
    let sums = balances::sums(conn, Some(first), last)?;
    let revenue = Account::ServiceRevenue.as_str();
    Ok(-sums
        .iter()
        .filter(|((account, _), _)| account == revenue)
        .map(|(_, cents)| cents)
        .sum::<i64>())
}

pub fn build(conn: &mut DbConn, month: &str, first: NaiveDate, next: NaiveDate) -> Result<MonthlyReport, ApiError> {
    let (start, end) = (clock::local_midnight_utc(first), clock::local_midnight_utc(next));
    let ordered: Vec<i64> = jobs::table
        .filter(jobs::created_at.ge(start))
        .filter(jobs::created_at.lt(end))
        .select(jobs::id)
        .load(conn)?;
    let performed = reached(conn, "performed", start, end)?;
    let planned = reached(conn, "scheduled", start, end)?;
    let refused = reached(conn, "refused", start, end)?;
    let all: Vec<i64> = ordered
        .iter()
        .copied()
        .chain(performed.iter().chain(&planned).chain(&refused).map(|(id, _)| *id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let facts = facts(conn, &all)?;

    let mut table: BTreeMap<(String, String), ServiceWijk> = BTreeMap::new();
    fn row<'a>(table: &'a mut BTreeMap<(String, String), ServiceWijk>, f: &JobFacts) -> &'a mut ServiceWijk {
        let key = (f.3.clone(), f.2.clone().unwrap_or_else(|| "onbekend".into()));
        table.entry(key.clone()).or_insert_with(|| ServiceWijk {
            service: key.0,
            wijk: key.1,
            ordered: 0,
            performed: 0,
            minutes: 0,
        })
    }
    for id in &ordered {
        if let Some(f) = facts.get(id) {
            row(&mut table, f).ordered += 1;
        }
    }
    let mut served = BTreeSet::new();
    let (mut delivered, mut priority, mut institutional) = (0, 0, 0);
    let (mut klussen, mut diensten) = (0, 0);
    for (id, at) in &performed {
        let Some(f) = facts.get(id) else { continue };
        let minutes = f.4.unwrap_or(0);
        let r = row(&mut table, f);
        r.performed += 1;
        r.minutes += minutes;
        served.insert(f.1);
        delivered += minutes;
        if f.8 == ServiceKind::Dienst.as_str() {
            diensten += minutes;
        } else {
            klussen += minutes;
        }
        if f.7.is_some() {
            institutional += minutes;
        }
        if let Some(resident) = residents::find(conn, f.1)? {
            let periods: Vec<_> = eligibility_store::for_resident(conn, f.1)?
                .iter()
                .map(|p| p.as_rule())
                .collect();
            if eligibility::decide(resident.birth_date, &periods, clock::local_date(at.and_utc())).reduced_rate {
                priority += minutes;
            }
        }
    }
    let mut waits: Vec<f64> = planned
        .iter()
        .filter_map(|(id, at)| {
            let queued = facts.get(id)?.5?;
            Some((*at - queued).num_minutes().max(0) as f64 / 1440.0)
        })
        .collect();
    let on_list_now: i64 = jobs::table
        .filter(jobs::status.eq("waitlisted"))
        .count()
        .get_result(conn)?;
    let longest = waits
        .iter()
        .copied()
        .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))));
    let waiting = Waiting {
        on_list_now,
        planned: planned.len() as i64,
        median_wait_days: median(&mut waits).map(one_decimal),
        longest_wait_days: longest.map(one_decimal),
    };
    let refusals = count_by(
        refused
            .iter()
            .filter_map(|(id, _)| facts.get(id))
            .map(|f| f.6.clone().unwrap_or_else(|| "other".into())),
    );

    // A trajectory runs to its last day (ended early, extended or as planned), whether or
    // not a coach ended it; its exits are counted as the flow report counts them.
    let stays = flow_store::stays(conn)?;
    let participants = count_by(
        stays
            .iter()
            .filter(|s| s.starts_on < next && s.last_day >= first)
            .map(|s| (s.participant_id, s.kind.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|(_, kind)| kind),
    );
    let last = next.pred_opt().unwrap_or(next);
    let exits = flow::flow(&stays, first, last, clock::today()).total.exits;
    let worked: Vec<(Option<String>, i64)> = work_logs::table
        .filter(work_logs::status.eq(APPROVED))
        .filter(work_logs::started_at.ge(start))
        .filter(work_logs::started_at.lt(end))
        .select((work_logs::activity, work_logs::minutes))
        .load(conn)?;
    let mut by_activity: BTreeMap<String, i64> = BTreeMap::new();
    for (activity, minutes) in worked {
        *by_activity.entry(activity.unwrap_or_else(|| "job".into())).or_default() += minutes;
    }
    let income = income_cents(conn, first, next)?;
    let targets = targets::find(conn, month)?.map(|t| TargetProgress::of(&t, klussen, diensten, income));
    Ok(MonthlyReport {
        month: month.to_owned(),
        jobs: table.into_values().collect(),
        jobs_performed: performed.len() as i64,
        residents_served: served.len() as i64,
        minutes_delivered: delivered,
        minutes_to_priority_residents: priority,
        minutes_for_institutions: institutional,
        minutes_klussen: klussen,
        minutes_diensten: diensten,
        income_cents: income,
        targets,
        waiting,
        refusals,
        participants_by_trajectory: participants,
        minutes_worked: by_activity
            .into_iter()
            .map(|(key, count)| Count { key, count })
            .collect(),
        exits,
    })
}
