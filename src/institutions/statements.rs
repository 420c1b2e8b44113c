//! An institution's monthly statement: every job charged to it, at the rate it was charged
//! at, with the total to invoice; made from the month's charges in one read.

use chrono::NaiveDate;
use diesel::Queryable;
use serde::Serialize;
use utoipa::ToSchema;

use crate::csv;
use crate::domain::decimal;

/// One charge as read for a statement, with what the statement shows of its institution
/// and job.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StatementRow {
    pub institution_id: i64,
    pub institution: String,
    pub job_id: i64,
    pub charged_on: NaiveDate,
    pub service: String,
    pub street: String,
    pub house_number: String,
    pub city: String,
    pub minutes: i64,
    pub hourly_rate_cents: i64,
    pub amount_cents: i64,
}

/// One job on a statement: what was done, when, and what it costs.
#[derive(Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatementLine {
    pub job_id: i64,
    /// The day the job was confirmed and charged.
    pub charged_on: NaiveDate,
    pub service: String,
    pub address: String,
    pub minutes: i64,
    pub hourly_rate_cents: i64,
    pub amount_cents: i64,
}

#[derive(Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct InstitutionStatement {
    pub institution_id: i64,
    pub institution: String,
    pub month: String,
    pub lines: Vec<StatementLine>,
    pub total_minutes: i64,
    pub total_cents: i64,
}

/// The month's statements, one per institution with charges, from rows ordered by
/// institution.
pub fn group(month: &str, rows: Vec<StatementRow>) -> Vec<InstitutionStatement> {
    let mut out: Vec<InstitutionStatement> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|s| s.institution_id != r.institution_id) {
            out.push(InstitutionStatement {
                institution_id: r.institution_id,
                institution: r.institution.clone(),
                month: month.to_owned(),
                lines: Vec::new(),
                total_minutes: 0,
                total_cents: 0,
            });
        }
        if let Some(s) = out.last_mut() {
            s.total_minutes += r.minutes;
            s.total_cents += r.amount_cents;
            s.lines.push(StatementLine {
                job_id: r.job_id,
                charged_on: r.charged_on,
                service: r.service,
                address: format!("{} {}, {}", r.street, r.house_number, r.city),
                minutes: r.minutes,
                hourly_rate_cents: r.hourly_rate_cents,
                amount_cents: r.amount_cents,
            });
        }
    }
    out
}

/// The statements as CSV: a line per job and a total line per institution.
pub fn csv(statements: &[InstitutionStatement]) -> String {
    let header = [
        "institution",
        "job",
        "charged_on",
        "service",
        "address",
        "minutes",
        "hourly_rate",
        "amount",
    ];
    let mut body = csv::line(&header.map(String::from));
    for s in statements {
        for l in &s.lines {
            body.push_str(&csv::line(&[
                s.institution.clone(),
                l.job_id.to_string(),
                l.charged_on.to_string(),
                l.service.clone(),
                l.address.clone(),
                l.minutes.to_string(),
                decimal(l.hourly_rate_cents),
                decimal(l.amount_cents),
            ]));
        }
        let mut total = vec![String::new(); header.len()];
        total[0] = format!("total {}", s.institution);
        total[5] = s.total_minutes.to_string();
        total[7] = decimal(s.total_cents);
        body.push_str(&csv::line(&total));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(institution_id: i64, job_id: i64, minutes: i64, amount_cents: i64) -> StatementRow {
        StatementRow {
            institution_id,
            institution: format!("Instelling {institution_id}"),
            job_id,
            charged_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            service: "Heg snoeien".into(),
            street: "Stationsweg".into(),
            house_number: "1a".into(),
            city: "Ede".into(),
            minutes,
            hourly_rate_cents: 3250,
            amount_cents,
        }
    }

    #[test]
    fn one_statement_per_institution_with_its_totals() {
        let statements = group(
            "2026-11",
            vec![row(1, 10, 60, 3250), row(1, 11, 180, 9750), row(2, 12, 30, 1625)],
        );
        let totals: Vec<_> = statements
            .iter()
            .map(|s| (s.institution_id, s.lines.len(), s.total_minutes, s.total_cents))
            .collect();
        assert_eq!(totals, [(1, 2, 240, 13000), (2, 1, 30, 1625)]);
        assert_eq!(statements[1].institution, "Instelling 2");
        assert_eq!(statements[1].month, "2026-11");
        assert_eq!(statements[0].lines[1].address, "Stationsweg 1a, Ede");
        assert!(group("2026-11", Vec::new()).is_empty());
    }

    #[test]
    fn csv_has_a_line_per_job_and_a_total_per_institution() {
        let text = csv(&group("2026-11", vec![row(1, 10, 60, 3250), row(2, 12, 30, 1625)]));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(
            lines[1].starts_with("Instelling 1,10,2026-11-02,Heg snoeien,"),
            "{text}"
        );
        assert!(lines[2].starts_with("total Instelling 1,"), "{text}");
        assert!(lines[2].ends_with(",60,,32.50"), "{text}");
        assert!(lines[4].ends_with(",30,,16.25"), "{text}");
    }
}
