//! What the service did for each institution over a period, for the quarterly meeting
//! with partners: jobs ordered, done, cancelled and refused, hours by service, what was
//! charged, regular arrangements and the compliments and complaints. Counts and sums
//! only — never a resident, an address or a participant.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::csv;
use crate::domain::decimal;

/// One thing that happened for an institution in the period, as read from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    Ordered,
    Performed {
        service: String,
        minutes: i64,
    },
    Cancelled,
    Refused,
    Charged {
        minutes: i64,
        cents: i64,
    },
    Compliment,
    Complaint,
    /// On the waiting list when the report is made.
    Waiting,
    /// A regular arrangement (series) running at some time in the period.
    Series,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ServiceActivity {
    pub service: String,
    pub performed: i64,
    pub minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ToSchema)]
pub struct InstitutionActivity {
    pub institution_id: i64,
    pub institution: String,
    /// Inactive institutions appear only when something happened for them in the period.
    pub active: bool,
    pub jobs_ordered: i64,
    pub jobs_performed: i64,
    pub jobs_cancelled: i64,
    pub jobs_refused: i64,
    /// Its jobs on the waiting list when the report is made.
    pub jobs_waiting_now: i64,
    /// Regular arrangements (series) running at some time in the period.
    pub series_running: i64,
    /// Minutes of work done, as billed, in all and by service.
    pub minutes_performed: i64,
    pub by_service: Vec<ServiceActivity>,
    /// What was charged to it in the period (jobs confirmed in it).
    pub minutes_charged: i64,
    pub charged_cents: i64,
    pub compliments: i64,
    pub complaints: i64,
}

impl InstitutionActivity {
    /// Nothing counted: equal to a blank summary with the same name.
    fn quiet(&self) -> bool {
        *self
            == Self {
                institution_id: self.institution_id,
                institution: self.institution.clone(),
                active: self.active,
                ..Self::default()
            }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionActivityReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// By name: every active institution, and inactive ones with something in the period.
    pub institutions: Vec<InstitutionActivity>,
}

/// The report from the institutions `(id, name, active)` and the period's facts by
/// institution id; facts for an unknown institution are left out.
pub fn summarise(
    from: NaiveDate,
    to: NaiveDate,
    institutions: Vec<(i64, String, bool)>,
    facts: impl IntoIterator<Item = (i64, Fact)>,
) -> InstitutionActivityReport {
    let mut by_id: BTreeMap<i64, (InstitutionActivity, BTreeMap<String, ServiceActivity>)> = institutions
        .into_iter()
        .map(|(id, name, active)| {
            let a = InstitutionActivity {
                institution_id: id,
                institution: name,
                active,
                ..InstitutionActivity::default()
            };
            (id, (a, BTreeMap::new()))
        })
        .collect();
    for (id, fact) in facts {
        let Some((a, services)) = by_id.get_mut(&id) else {
            continue;
        };
        match fact {
            Fact::Ordered => a.jobs_ordered += 1,
            Fact::Performed { service, minutes } => {
                a.jobs_performed += 1;
                a.minutes_performed += minutes;
                let s = services.entry(service.clone()).or_insert(ServiceActivity {
                    service,
                    performed: 0,
                    minutes: 0,
                });
                s.performed += 1;
                s.minutes += minutes;
            }
            Fact::Cancelled => a.jobs_cancelled += 1,
            Fact::Refused => a.jobs_refused += 1,
            Fact::Charged { minutes, cents } => {
                a.minutes_charged += minutes;
                a.charged_cents += cents;
            }
            Fact::Compliment => a.compliments += 1,
            Fact::Complaint => a.complaints += 1,
            Fact::Waiting => a.jobs_waiting_now += 1,
            Fact::Series => a.series_running += 1,
        }
    }
    let mut institutions: Vec<InstitutionActivity> = by_id
        .into_values()
        .map(|(mut a, services)| {
            a.by_service = services.into_values().collect();
            a
        })
        .filter(|a| a.active || !a.quiet())
        .collect();
    institutions.sort_by(|a, b| {
        a.institution
            .cmp(&b.institution)
            .then(a.institution_id.cmp(&b.institution_id))
    });
    InstitutionActivityReport { from, to, institutions }
}

/// The report as CSV: a line per institution.
pub fn csv(report: &InstitutionActivityReport) -> String {
    let header = [
        "institution",
        "ordered",
        "performed",
        "cancelled",
        "refused",
        "waiting_now",
        "series_running",
        "hours_performed",
        "hours_charged",
        "charged",
        "compliments",
        "complaints",
    ];
    let mut body = csv::line(&header.map(String::from));
    for a in &report.institutions {
        body.push_str(&csv::line(&[
            a.institution.clone(),
            a.jobs_ordered.to_string(),
            a.jobs_performed.to_string(),
            a.jobs_cancelled.to_string(),
            a.jobs_refused.to_string(),
            a.jobs_waiting_now.to_string(),
            a.series_running.to_string(),
            hours(a.minutes_performed),
            hours(a.minutes_charged),
            decimal(a.charged_cents),
            a.compliments.to_string(),
            a.complaints.to_string(),
        ]));
    }
    body
}

/// Minutes as hours to two decimals, rounded (90 → `1.50`, 10 → `0.17`).
fn hours(minutes: i64) -> String {
    decimal((minutes * 100 + 30) / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
    }

    fn performed(service: &str, minutes: i64) -> Fact {
        Fact::Performed {
            service: service.into(),
            minutes,
        }
    }

    #[test]
    fn each_institution_gets_its_own_counts_and_hours_by_service() {
        let report = summarise(
            day(1),
            day(31),
            vec![(2, "Woonstede".into(), true), (1, "De Hoven".into(), true)],
            vec![
                (1, Fact::Ordered),
                (1, Fact::Ordered),
                (1, performed("Heg snoeien", 120)),
                (1, performed("Heg snoeien", 60)),
                (1, performed("Ramen wassen", 30)),
                (
                    1,
                    Fact::Charged {
                        minutes: 180,
                        cents: 5850,
                    },
                ),
                (1, Fact::Compliment),
                (2, Fact::Cancelled),
                (2, Fact::Refused),
                (2, Fact::Complaint),
                (2, Fact::Waiting),
                (2, Fact::Series),
                (9, Fact::Ordered),
            ],
        );
        let names: Vec<_> = report.institutions.iter().map(|a| a.institution.as_str()).collect();
        assert_eq!(names, ["De Hoven", "Woonstede"]);
        let hoven = &report.institutions[0];
        assert_eq!(
            (hoven.jobs_ordered, hoven.jobs_performed, hoven.minutes_performed),
            (2, 3, 210)
        );
        assert_eq!(
            (hoven.minutes_charged, hoven.charged_cents, hoven.compliments),
            (180, 5850, 1)
        );
        assert_eq!(
            hoven.by_service,
            [
                ServiceActivity {
                    service: "Heg snoeien".into(),
                    performed: 2,
                    minutes: 180
                },
                ServiceActivity {
                    service: "Ramen wassen".into(),
                    performed: 1,
                    minutes: 30
                }
            ]
        );
        let woonstede = &report.institutions[1];
        assert_eq!(
            (
                woonstede.jobs_cancelled,
                woonstede.jobs_refused,
                woonstede.complaints,
                woonstede.jobs_waiting_now,
                woonstede.series_running,
                woonstede.jobs_ordered
            ),
            (1, 1, 1, 1, 1, 0)
        );
    }

    #[test]
    fn an_inactive_institution_shows_only_when_something_happened() {
        let institutions = || {
            vec![
                (1, "Open".into(), true),
                (2, "Gesloten".into(), false),
                (3, "Gesloten met werk".into(), false),
            ]
        };
        let report = summarise(day(1), day(31), institutions(), vec![(3, Fact::Series)]);
        let names: Vec<_> = report.institutions.iter().map(|a| a.institution.as_str()).collect();
        assert_eq!(names, ["Gesloten met werk", "Open"]);
        assert_eq!(report.institutions[1].jobs_ordered, 0);
        let none = summarise(day(1), day(31), institutions(), Vec::new());
        assert_eq!(none.institutions.len(), 1);
    }

    #[test]
    fn csv_has_a_line_per_institution_with_hours_and_euros() {
        let report = summarise(
            day(1),
            day(31),
            vec![(1, "De Hoven, Ede".into(), true)],
            vec![
                (1, performed("Heg snoeien", 90)),
                (
                    1,
                    Fact::Charged {
                        minutes: 90,
                        cents: 4875,
                    },
                ),
            ],
        );
        let text = csv(&report);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[1], "\"De Hoven, Ede\",0,1,0,0,0,0,1.50,1.50,48.75,0,0");
        assert_eq!(hours(10), "0.17");
        assert_eq!(hours(0), "0.00");
    }
}
