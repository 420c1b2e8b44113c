//! The competition report: jobs refused (for competing with local businesses or other
//! reasons) and jobs a werkleider reviewed under the anti-splitting rule, for the
//! municipality and the entrepreneurs' association. Made from the jobs read with their
//! service's name in one query (`store::competition`).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::lifecycle::JobStatus;
use super::model::JobRow;
use crate::{clock, csv};

/// One refused or reviewed job. No personal data: the report goes to the municipality and
/// the local entrepreneurs' association, so the address is shown as its postcode area.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitionLine {
    pub job_id: i64,
    pub ordered_on: NaiveDate,
    pub service: String,
    pub category: String,
    pub postcode_area: String,
    pub wijk: Option<String>,
    pub estimated_minutes: i64,
    /// `refused`, `accepted_after_review`, `awaiting_review` or `cancelled_after_review`.
    pub outcome: String,
    /// The refusal code, or `split_suspected` for a reviewed job.
    pub reason_code: String,
    /// The werkleider's written reason.
    pub reason: Option<String>,
}

const HEADER: [&str; 10] = [
    "job_id",
    "ordered_on",
    "service",
    "category",
    "postcode_area",
    "wijk",
    "estimated_minutes",
    "outcome",
    "reason_code",
    "reason",
];

/// What became of a refused or reviewed job.
fn outcome(status: JobStatus, reviewed: bool) -> &'static str {
    match (status, reviewed) {
        (JobStatus::Refused, _) => "refused",
        (JobStatus::Requested, true) => "awaiting_review",
        (JobStatus::Cancelled, true) => "cancelled_after_review",
        _ => "accepted_after_review",
    }
}

/// The report's line for a job of the service named `service`.
pub fn line(job: JobRow, service: String) -> CompetitionLine {
    let refused = job.status() == JobStatus::Refused;
    let outcome = outcome(job.status(), job.needs_review.is_some());
    CompetitionLine {
        job_id: job.id,
        ordered_on: clock::local_date(job.created_at.and_utc()),
        service,
        category: job.category,
        postcode_area: job.postcode.chars().take(4).collect(),
        wijk: job.wijk,
        estimated_minutes: job.estimated_minutes,
        outcome: outcome.into(),
        reason_code: if refused {
            job.refusal_code.unwrap_or_default()
        } else {
            job.needs_review.unwrap_or_default()
        },
        reason: if refused { job.refusal_note } else { job.review_reason },
    }
}

/// The report as CSV, a line per job.
pub fn csv(lines: &[CompetitionLine]) -> String {
    let mut body = csv::line(&HEADER.map(String::from));
    for l in lines {
        body.push_str(&csv::line(&[
            l.job_id.to_string(),
            l.ordered_on.to_string(),
            l.service.clone(),
            l.category.clone(),
            l.postcode_area.clone(),
            l.wijk.clone().unwrap_or_default(),
            l.estimated_minutes.to_string(),
            l.outcome.clone(),
            l.reason_code.clone(),
            l.reason.clone().unwrap_or_default(),
        ]));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_follows_status_and_review() {
        assert_eq!(outcome(JobStatus::Refused, true), "refused");
        assert_eq!(outcome(JobStatus::Refused, false), "refused");
        assert_eq!(outcome(JobStatus::Requested, true), "awaiting_review");
        assert_eq!(outcome(JobStatus::Cancelled, true), "cancelled_after_review");
        assert_eq!(outcome(JobStatus::Scheduled, true), "accepted_after_review");
    }
}
