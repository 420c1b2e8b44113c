//! What runs by the clock inside `serve` (or `servicepunt worker`), until the process
//! ends. Every round (a minute): tomorrow's broken work to the werkleiders from 14:00,
//! tomorrow's reminders and schedules from 16:00, performed jobs whose confirmation window
//! has passed, unconfirmed registrations past their link's lifetime, and answers kept for
//! `Idempotency-Key` past theirs.
//!
//! Once a Dutch day, in its first round (and in the next if it failed): cheque expiry and
//! the expiry reminders, welfare data, audit entries, sent messages and feedback past their
//! retention, erased people's financial records past the fiscal period, sign-in tokens
//! that can do nothing any more, the records of reminders, the on-call rota and the intake
//! roster of days long past, the visits
//! of recurring series that came within their fortnight (`jobs::series`), and the
//! coaches' notice of trajectories near their last day (`participants::ending_notice`),
//! the werkleiders' of regular helpers near theirs (`planning::handover_notice`)
//! and, on the first day of a week, their week (`participants::coach_week`).
//! Those follow dates, so running them again the same day finds nothing new; every minute, each
//! in a write transaction, they were work for nothing (the fiscal round reads the records
//! of every erased resident).

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDate;

use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::planning::reminders::RoundSettings;

/// How long the timers keep what they delete at the end of its period.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub welfare_months: u32,
    pub audit_months: u32,
    pub message_months: u32,
    pub feedback_months: u32,
    /// How long an ended session's revocation has to stay visible.
    pub access_ttl: chrono::Duration,
}

impl Retention {
    pub fn of(settings: &crate::config::Settings) -> Self {
        Retention {
            welfare_months: settings.welfare_retention_months,
            audit_months: settings.audit_retention_months,
            message_months: settings.message_retention_months,
            feedback_months: settings.feedback_retention_months,
            access_ttl: chrono::Duration::from_std(settings.jwt.access_ttl).unwrap_or(chrono::Duration::days(1)),
        }
    }
}

/// The work done once a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Daily {
    ChequeExpiry,
    WelfareRetention,
    AuditRetention,
    MessageRetention,
    FeedbackRetention,
    FiscalRetention,
    ExpiredTokens,
    PastReminders,
    SeriesVisits,
    TrajectoriesEnding,
    HandoverDue,
    CoachWeek,
    BuddiesOver,
}

impl Daily {
    pub const ALL: [Daily; 13] = [
        Daily::ChequeExpiry,
        Daily::WelfareRetention,
        Daily::AuditRetention,
        Daily::MessageRetention,
        Daily::FeedbackRetention,
        Daily::FiscalRetention,
        Daily::ExpiredTokens,
        Daily::PastReminders,
        Daily::SeriesVisits,
        Daily::TrajectoriesEnding,
        Daily::HandoverDue,
        Daily::CoachWeek,
        Daily::BuddiesOver,
    ];
}

/// The day each daily work last succeeded in this process.
#[derive(Debug, Default)]
pub struct DoneOn(HashMap<Daily, NaiveDate>);

impl DoneOn {
    pub fn due(&self, work: Daily, today: NaiveDate) -> bool {
        self.0.get(&work) != Some(&today)
    }

    pub fn done(&mut self, work: Daily, today: NaiveDate) {
        self.0.insert(work, today);
    }
}

pub async fn run_forever(pool: DbPool, every: Duration, retention: Retention, round: RoundSettings) {
    let mut done = DoneOn::default();
    loop {
        every_round(&pool, &round).await;
        let today = crate::clock::today();
        for work in Daily::ALL {
            if done.due(work, today) && daily(&pool, work, today, retention, &round).await {
                done.done(work, today);
            }
        }
        tokio::time::sleep(every).await;
    }
}

async fn every_round(pool: &DbPool, round: &RoundSettings) {
    // Messages, registrations and kept answers: no kept read shows them (see
    // `read_cache`), so these are not counted as writes. A confirmation changes the job
    // and the books, so it is.
    let round = round.clone();
    let messages = db::run_uncounted_tx(pool, move |conn| {
        crate::planning::reminders::run(conn, db::now(), &round)
    });
    if let Err(e) = messages.await {
        tracing::warn!(error = %e, "timed messages failed; trying again later");
    }
    if let Err(e) = db::run_tx(pool, |conn| crate::hours::completion::auto_confirm(conn, db::now())).await {
        tracing::warn!(error = %e, "automatic confirmation failed; trying again later");
    }
    let registrations = db::run_uncounted_tx(pool, |conn| {
        Ok(crate::auth::registrations::remove_expired(conn, db::now())?)
    });
    if let Err(e) = registrations.await {
        tracing::warn!(error = %e, "removing expired registrations failed; trying again later");
    }
    let stored = db::run_uncounted_tx(pool, |conn| Ok(crate::idempotency::remove_expired(conn, db::now())?));
    if let Err(e) = stored.await {
        tracing::warn!(error = %e, "removing expired idempotency keys failed; trying again later");
    }
}

/// Deletes what a retention period has run out for. No kept answer (`read_cache`) shows
/// the audit log, sent messages, feedback, tokens, reminder records, the on-call rota or
/// the intake roster, so this is not counted as a write.
async fn deletion<T, F>(pool: &DbPool, mut delete: F) -> Result<(), ApiError>
where
    F: FnMut(&mut db::DbConn) -> diesel::QueryResult<T> + Send + 'static,
    T: Send + 'static,
{
    db::run_uncounted_tx(pool, move |conn| Ok(delete(conn)?))
        .await
        .map(drop)
}

/// Runs one daily work; whether it succeeded.
async fn daily(pool: &DbPool, work: Daily, today: NaiveDate, retention: Retention, round: &RoundSettings) -> bool {
    let outcome: Result<(), ApiError> = match work {
        Daily::ChequeExpiry => db::run_tx(pool, move |conn| crate::cheques::expiry::run(conn, today, db::now()))
            .await
            .map(drop),
        Daily::WelfareRetention => db::run_tx(pool, move |conn| {
            crate::privacy::retention::run(conn, today, retention.welfare_months)
        })
        .await
        .map(drop),
        Daily::AuditRetention => {
            deletion(pool, move |conn| {
                crate::privacy::audit::remove_older_than(conn, db::now(), retention.audit_months)
            })
            .await
        }
        Daily::MessageRetention => {
            deletion(pool, move |conn| {
                crate::notify::outbox::remove_older_than(conn, db::now(), retention.message_months)
            })
            .await
        }
        Daily::FeedbackRetention => {
            deletion(pool, move |conn| {
                crate::feedback::store::remove_older_than(conn, db::now(), retention.feedback_months)
            })
            .await
        }
        Daily::FiscalRetention => db::run_tx(pool, move |conn| crate::privacy::fiscal::run(conn, today))
            .await
            .map(|purged| {
                if purged != crate::privacy::fiscal::Purged::default() {
                    tracing::info!(
                        residents = purged.residents,
                        participants = purged.participants,
                        "records past the fiscal retention period removed"
                    );
                }
            }),
        Daily::ExpiredTokens => {
            deletion(pool, move |conn| {
                crate::auth::expired_tokens::remove(conn, db::now(), retention.access_ttl)
            })
            .await
        }
        Daily::PastReminders => {
            deletion(pool, move |conn| {
                let reminders = crate::planning::reminders::forget_past(conn, today)?;
                let rota = crate::planning::on_call_store::forget_past(conn, today)?;
                Ok(reminders + rota + crate::participants::intake_store::forget_past(conn, today)?)
            })
            .await
        }
        Daily::SeriesVisits => crate::jobs::series::round(pool, &round.jobs).await.map(drop),
        Daily::TrajectoriesEnding => {
            let public_url = round.public_url.clone();
            db::run_tx(pool, move |conn| {
                crate::participants::ending_notice::run(conn, today, &public_url, db::now())
            })
            .await
            .map(drop)
        }
        // Reminder records and mail only, which no kept answer shows: not a write.
        Daily::HandoverDue => {
            let public_url = round.public_url.clone();
            db::run_uncounted_tx(pool, move |conn| {
                crate::planning::handover_notice::run(conn, today, &public_url, db::now())
            })
            .await
            .map(drop)
        }
        Daily::BuddiesOver => db::run_tx(pool, move |conn| crate::participants::buddy_ending::run(conn, today))
            .await
            .map(drop),
        Daily::CoachWeek => {
            let (public_url, vog_months) = (round.public_url.clone(), round.jobs.vog_months);
            db::run_tx(pool, move |conn| {
                crate::participants::coach_week::run(conn, today, vog_months, &public_url, db::now())
            })
            .await
            .map(drop)
        }
    };
    if let Err(e) = &outcome {
        tracing::warn!(error = %e, work = ?work, "daily timer work failed; trying again next round");
    }
    outcome.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_work_runs_once_a_day_and_again_after_a_failure() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let mut done = DoneOn::default();
        assert!(
            done.due(Daily::FiscalRetention, day(3)),
            "the first round of the process"
        );
        done.done(Daily::FiscalRetention, day(3));
        assert!(!done.due(Daily::FiscalRetention, day(3)), "not again that day");
        assert!(
            done.due(Daily::AuditRetention, day(3)),
            "each work on its own (this one failed)"
        );
        assert!(done.due(Daily::FiscalRetention, day(4)), "the next day");
    }
}
