//! Targets for klussen and diensten. 'Komend jaar is het doel dat er bepaalde targets voor
//! klussen en diensten opgesteld worden, zodat het project volledig op de inkomsten van de
//! services kan draaien.' The coordinator sets, per month, the minutes of klussen and of
//! diensten to deliver and the income from the services to earn; the monthly report shows
//! how far the month got. They inform, they do not steer: planning never looks at them,
//! so the resident's wish stays first ('een bedreiging voor het leveren van maatwerk').

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::service_targets;
use crate::error::{ApiError, Violations};

/// At most this many minutes of one kind in a month (far above what 40 participants
/// working full time deliver: about 415,000).
pub const MAX_MINUTES: i64 = 10_000_000;
/// At most this much income in a month, in cents (a hundred million euro).
pub const MAX_INCOME_CENTS: i64 = 10_000_000_000;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetInput {
    /// Minutes of klussen to deliver in the month.
    pub klus_minutes: i64,
    /// Minutes of diensten to deliver in the month.
    pub dienst_minutes: i64,
    /// Income from the services to earn in the month (what the service revenue account
    /// takes: cheques used, their subsidy, institutions' invoices, late-cancellation fees).
    pub income_cents: i64,
}

impl TargetInput {
    /// Each figure from 0 up to its ceiling.
    pub fn check(self) -> Result<Self, ApiError> {
        let mut v = Violations::new();
        for (field, value, max) in [
            ("klus_minutes", self.klus_minutes, MAX_MINUTES),
            ("dienst_minutes", self.dienst_minutes, MAX_MINUTES),
            ("income_cents", self.income_cents, MAX_INCOME_CENTS),
        ] {
            if !(0..=max).contains(&value) {
                v.push(field, "out_of_range", format!("from 0 to {max}"));
            }
        }
        v.into_result()?;
        Ok(self)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema, Queryable)]
pub struct Target {
    /// `YYYY-MM`.
    pub month: String,
    pub klus_minutes: i64,
    pub dienst_minutes: i64,
    pub income_cents: i64,
    /// The coordinator who set it last.
    pub set_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub set_at: NaiveDateTime,
}

/// One figure against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Aim {
    pub target: i64,
    pub reached: i64,
    /// The part of the target reached, in whole percent rounded down; `null` for a target
    /// of 0.
    pub percent: Option<i64>,
}

impl Aim {
    pub fn new(target: i64, reached: i64) -> Aim {
        let percent = (target > 0).then(|| (i128::from(reached) * 100 / i128::from(target)) as i64);
        Aim {
            target,
            reached,
            percent,
        }
    }
}

/// The month's targets and how far it got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct TargetProgress {
    pub klus_minutes: Aim,
    pub dienst_minutes: Aim,
    pub income_cents: Aim,
}

impl TargetProgress {
    pub fn of(target: &Target, klus_minutes: i64, dienst_minutes: i64, income_cents: i64) -> TargetProgress {
        TargetProgress {
            klus_minutes: Aim::new(target.klus_minutes, klus_minutes),
            dienst_minutes: Aim::new(target.dienst_minutes, dienst_minutes),
            income_cents: Aim::new(target.income_cents, income_cents),
        }
    }
}

pub fn find(conn: &mut DbConn, month: &str) -> QueryResult<Option<Target>> {
    service_targets::table.find(month).first(conn).optional()
}

/// Sets the month's targets, replacing what was set before.
pub fn set(conn: &mut DbConn, month: &str, input: TargetInput, by: i64, now: NaiveDateTime) -> QueryResult<Target> {
    let values = (
        service_targets::klus_minutes.eq(input.klus_minutes),
        service_targets::dienst_minutes.eq(input.dienst_minutes),
        service_targets::income_cents.eq(input.income_cents),
        service_targets::set_by.eq(by),
        service_targets::set_at.eq(now),
    );
    // Two coordinators at once: the second waits for the first, then updates its row
    // rather than inserting a second one; the last wins.
    crate::db::lock(conn, &format!("target:{month}"))?;
    let changed = diesel::update(service_targets::table.find(month))
        .set(values)
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(service_targets::table)
            .values((service_targets::month.eq(month), values))
            .execute(conn)?;
    }
    service_targets::table.find(month).first(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_reached_is_rounded_down_and_absent_without_a_target() {
        assert_eq!(Aim::new(1000, 999).percent, Some(99));
        assert_eq!(Aim::new(1000, 2500).percent, Some(250));
        assert_eq!(Aim::new(0, 50).percent, None);
        assert_eq!(Aim::new(MAX_INCOME_CENTS, MAX_INCOME_CENTS).percent, Some(100));
    }

    #[test]
    fn figures_run_from_zero_to_their_ceiling() {
        let ok = TargetInput {
            klus_minutes: MAX_MINUTES,
            dienst_minutes: 0,
            income_cents: MAX_INCOME_CENTS,
        };
        assert!(ok.check().is_ok());
        let bad = TargetInput {
            klus_minutes: -1,
            dienst_minutes: MAX_MINUTES + 1,
            income_cents: MAX_INCOME_CENTS + 1,
        };
        let Err(e) = bad.check() else { panic!("accepted") };
        let fields: Vec<String> = e.problem().errors.iter().map(|f| f.field.clone()).collect();
        assert_eq!(fields, ["klus_minutes", "dienst_minutes", "income_cents"]);
    }
}
