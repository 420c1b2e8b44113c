//! The job's life as a state machine (pure):
//!
//! ```text
//! requested ─accept→ accepted ─waitlist→ waitlisted ─schedule→ scheduled ─start→ in_progress
//!     │                                      ↑ unschedule ─────────┘                 │ perform
//!     └─refuse→ refused                                                           performed
//!                                                 confirmed ←confirm─ disputed ←dispute─┤
//!                                      settled ←settle─ confirmed ←confirm──────────────┘
//! cancel: from requested, accepted, waitlisted and scheduled → cancelled
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Requested,
    Accepted,
    Refused,
    Waitlisted,
    Scheduled,
    InProgress,
    Performed,
    Confirmed,
    Disputed,
    Settled,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Refuse,
    Waitlist,
    Schedule,
    Unschedule,
    Start,
    Perform,
    Confirm,
    Dispute,
    Settle,
    Cancel,
}

impl JobStatus {
    pub const ALL: [JobStatus; 11] = [
        JobStatus::Requested,
        JobStatus::Accepted,
        JobStatus::Refused,
        JobStatus::Waitlisted,
        JobStatus::Scheduled,
        JobStatus::InProgress,
        JobStatus::Performed,
        JobStatus::Confirmed,
        JobStatus::Disputed,
        JobStatus::Settled,
        JobStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Requested => "requested",
            JobStatus::Accepted => "accepted",
            JobStatus::Refused => "refused",
            JobStatus::Waitlisted => "waitlisted",
            JobStatus::Scheduled => "scheduled",
            JobStatus::InProgress => "in_progress",
            JobStatus::Performed => "performed",
            JobStatus::Confirmed => "confirmed",
            JobStatus::Disputed => "disputed",
            JobStatus::Settled => "settled",
            JobStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Refused | JobStatus::Settled | JobStatus::Cancelled)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status after `action`, or `None` when the action is not allowed from `from`.
pub fn next(from: JobStatus, action: Action) -> Option<JobStatus> {
    use Action as A;
    use JobStatus as S;
    Some(match (from, action) {
        (S::Requested, A::Accept) => S::Accepted,
        (S::Requested, A::Refuse) => S::Refused,
        (S::Accepted, A::Waitlist) => S::Waitlisted,
        (S::Waitlisted, A::Schedule) => S::Scheduled,
        (S::Scheduled, A::Unschedule) => S::Waitlisted,
        (S::Scheduled, A::Start) => S::InProgress,
        (S::InProgress, A::Perform) => S::Performed,
        (S::Performed, A::Confirm) | (S::Disputed, A::Confirm) => S::Confirmed,
        (S::Performed, A::Dispute) => S::Disputed,
        (S::Confirmed, A::Settle) => S::Settled,
        (S::Requested | S::Accepted | S::Waitlisted | S::Scheduled, A::Cancel) => S::Cancelled,
        _ => return None,
    })
}

/// A cancellation is late when the job was planned to start within `free_period` of `now`.
pub fn is_late_cancellation(
    now: chrono::NaiveDateTime,
    scheduled_start: Option<chrono::NaiveDateTime>,
    free_period: chrono::Duration,
) -> bool {
    scheduled_start.is_some_and(|start| start - now < free_period)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 11] = [
        Action::Accept,
        Action::Refuse,
        Action::Waitlist,
        Action::Schedule,
        Action::Unschedule,
        Action::Start,
        Action::Perform,
        Action::Confirm,
        Action::Dispute,
        Action::Settle,
        Action::Cancel,
    ];

    /// Every legal transition, written out once more as the specification.
    const LEGAL: [(JobStatus, Action, JobStatus); 15] = {
        use Action as A;
        use JobStatus as S;
        [
            (S::Requested, A::Accept, S::Accepted),
            (S::Requested, A::Refuse, S::Refused),
            (S::Requested, A::Cancel, S::Cancelled),
            (S::Accepted, A::Waitlist, S::Waitlisted),
            (S::Accepted, A::Cancel, S::Cancelled),
            (S::Waitlisted, A::Schedule, S::Scheduled),
            (S::Waitlisted, A::Cancel, S::Cancelled),
            (S::Scheduled, A::Unschedule, S::Waitlisted),
            (S::Scheduled, A::Start, S::InProgress),
            (S::Scheduled, A::Cancel, S::Cancelled),
            (S::InProgress, A::Perform, S::Performed),
            (S::Performed, A::Confirm, S::Confirmed),
            (S::Performed, A::Dispute, S::Disputed),
            (S::Disputed, A::Confirm, S::Confirmed),
            (S::Confirmed, A::Settle, S::Settled),
        ]
    };

    #[test]
    fn every_pair_is_legal_exactly_when_listed() {
        for from in JobStatus::ALL {
            for action in ACTIONS {
                let expected = LEGAL
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(next(from, action), expected, "{from} + {action:?}");
            }
        }
    }

    #[test]
    fn final_states_allow_nothing() {
        for from in JobStatus::ALL.into_iter().filter(|s| s.is_final()) {
            assert!(ACTIONS.iter().all(|a| next(from, *a).is_none()), "{from}");
        }
    }

    #[test]
    fn names_round_trip() {
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }

    #[test]
    fn late_cancellation_inside_the_free_period() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 5, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let day = chrono::Duration::hours(24);
        assert!(!is_late_cancellation(now, None, day));
        assert!(!is_late_cancellation(now, Some(now + chrono::Duration::hours(24)), day));
        assert!(is_late_cancellation(now, Some(now + chrono::Duration::hours(23)), day));
        assert!(is_late_cancellation(now, Some(now - chrono::Duration::hours(1)), day));
    }
}
