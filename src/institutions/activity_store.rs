//! Reads what happened for the institutions over a period, for their activity report.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::activity::{self, Fact, InstitutionActivityReport};
use crate::clock;
use crate::db::DbConn;
use crate::db::schema::{
    institution_charges, institutions, job_events, job_feedback, job_series, jobs, service_versions,
};
use crate::feedback::model::FeedbackKind;

/// The report for the days `from` to `to` (both included), read in the caller's
/// transaction; the waiting list as it is now.
pub fn report(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> QueryResult<InstitutionActivityReport> {
    let next = to.succ_opt().unwrap_or(to);
    let (start, end) = (clock::local_midnight_utc(from), clock::local_midnight_utc(next));
    let names: Vec<(i64, String, bool)> = institutions::table
        .select((institutions::id, institutions::name, institutions::active))
        .load(conn)?;
    let mut facts: Vec<(i64, Fact)> = Vec::new();

    let ordered: Vec<i64> = jobs::table
        .filter(jobs::created_at.ge(start))
        .filter(jobs::created_at.lt(end))
        .filter(jobs::institution_id.is_not_null())
        .select(jobs::institution_id.assume_not_null())
        .load(conn)?;
    facts.extend(ordered.into_iter().map(|id| (id, Fact::Ordered)));

    let events: Vec<(i64, String, String, Option<i64>)> = job_events::table
        .inner_join(jobs::table.inner_join(service_versions::table))
        .filter(jobs::institution_id.is_not_null())
        .filter(job_events::to_status.eq_any(["performed", "cancelled", "refused"]))
        .filter(job_events::at.ge(start))
        .filter(job_events::at.lt(end))
        .select((
            jobs::institution_id.assume_not_null(),
            job_events::to_status,
            service_versions::name_nl,
            jobs::billable_minutes,
        ))
        .load(conn)?;
    facts.extend(events.into_iter().map(|(id, status, service, minutes)| {
        let fact = match status.as_str() {
            "performed" => Fact::Performed {
                service,
                minutes: minutes.unwrap_or(0),
            },
            "cancelled" => Fact::Cancelled,
            _ => Fact::Refused,
        };
        (id, fact)
    }));

    let charges: Vec<(i64, i64, i64)> = institution_charges::table
        .filter(institution_charges::charged_on.ge(from))
        .filter(institution_charges::charged_on.le(to))
        .select((
            institution_charges::institution_id,
            institution_charges::minutes,
            institution_charges::amount_cents,
        ))
        .load(conn)?;
    facts.extend(
        charges
            .into_iter()
            .map(|(id, minutes, cents)| (id, Fact::Charged { minutes, cents })),
    );

    let feedback: Vec<(i64, String)> = job_feedback::table
        .inner_join(jobs::table)
        .filter(jobs::institution_id.is_not_null())
        .filter(job_feedback::created_at.ge(start))
        .filter(job_feedback::created_at.lt(end))
        .select((jobs::institution_id.assume_not_null(), job_feedback::kind))
        .load(conn)?;
    facts.extend(feedback.into_iter().map(|(id, kind)| {
        let fact = match FeedbackKind::from_stored(&kind) {
            FeedbackKind::Compliment => Fact::Compliment,
            FeedbackKind::Complaint => Fact::Complaint,
        };
        (id, fact)
    }));

    let waiting: Vec<i64> = jobs::table
        .filter(jobs::institution_id.is_not_null())
        .filter(jobs::status.eq("waitlisted"))
        .select(jobs::institution_id.assume_not_null())
        .load(conn)?;
    facts.extend(waiting.into_iter().map(|id| (id, Fact::Waiting)));

    // Running at some time in the period: begun by its end, not over before its start.
    let series: Vec<i64> = job_series::table
        .filter(job_series::institution_id.is_not_null())
        .filter(job_series::starts_on.le(to))
        .filter(job_series::ends_on.is_null().or(job_series::ends_on.ge(from)))
        .filter(job_series::stopped_at.is_null().or(job_series::stopped_at.ge(start)))
        .select(job_series::institution_id.assume_not_null())
        .load(conn)?;
    facts.extend(series.into_iter().map(|id| (id, Fact::Series)));

    Ok(activity::summarise(from, to, names, facts))
}
