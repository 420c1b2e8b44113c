//! Ranked suggestions for a job at a time (pure): everyone the hard rules allow, best
//! score first, each with the parts of their score; and everyone else with the rules that
//! exclude them. Participants below the job's clearance are listed (they may go with a
//! cleared colleague) and say so.

use serde::Serialize;
use utoipa::ToSchema;

use super::rules::{self, JobFacts, ParticipantFacts, Slot, Violation};
use super::score::{self, ScoreParts};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggested {
    pub participant_id: i64,
    pub first_name: String,
    pub score: ScoreParts,
    /// False when they may only go with a colleague of higher clearance.
    pub cleared_alone: bool,
    /// True when their clearance would let them go alone but the VOG it needs has stopped
    /// counting: they go with a cleared colleague until a new one is recorded.
    pub vog_expired: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Excluded {
    pub participant_id: i64,
    pub first_name: String,
    pub rules: Vec<Violation>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestions {
    pub job_id: i64,
    pub ranked: Vec<Suggested>,
    pub excluded: Vec<Excluded>,
}

pub fn rank(participants: &[ParticipantFacts], job: &JobFacts, slot: &Slot) -> Suggestions {
    let week = slot.week();
    let mut ranked = Vec::new();
    let mut excluded = Vec::new();
    for p in participants {
        let broken = rules::check_participant(p, job, slot);
        if broken.is_empty() {
            ranked.push(Suggested {
                participant_id: p.id,
                first_name: p.first_name.clone(),
                score: score::score(p, job, week),
                cleared_alone: rules::cleared_alone(p, job, slot.local_start.date()),
                vog_expired: rules::vog_holds_back(p, job, slot.local_start.date()),
            });
        } else {
            excluded.push(Excluded {
                participant_id: p.id,
                first_name: p.first_name.clone(),
                rules: broken,
            });
        }
    }
    ranked.sort_by(|a, b| {
        b.score
            .total
            .cmp(&a.score.total)
            .then(a.participant_id.cmp(&b.participant_id))
    });
    Suggestions {
        job_id: job.id,
        ranked,
        excluded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participants::clearance::Clearance;
    use crate::planning::rules::tests::{dienst, participant, slot};

    #[test]
    fn ranks_by_score_and_explains_exclusions() {
        let mut continuity = participant(1, Clearance::SoloDienst);
        continuity.first_name = "Ahmed".into();
        let plain = participant(2, Clearance::SoloDienst);
        let mut ended = participant(3, Clearance::SoloDienst);
        ended.trajectories.clear();
        let new = participant(4, Clearance::New);
        let mut lapsed = participant(5, Clearance::SoloDienst);
        lapsed.vog_counts_until = Some(crate::planning::rules::tests::day("2026-11-01"));
        let mut job = dienst();
        job.previous_participants.insert(1);
        let s = rank(
            &[plain, ended, continuity, new, lapsed],
            &job,
            &slot("2026-11-02", (9, 0), (10, 0)),
        );
        let order: Vec<i64> = s.ranked.iter().map(|r| r.participant_id).collect();
        assert_eq!(order, [1, 2, 4, 5]);
        assert_eq!(s.ranked[0].score.continuity, 30);
        assert!(!s.ranked[2].cleared_alone);
        // Below the clearance anyway, or held back by the VOG alone: told apart.
        assert!(!s.ranked[2].vog_expired);
        assert!(!s.ranked[3].cleared_alone && s.ranked[3].vog_expired);
        assert!(s.ranked[..2].iter().all(|r| r.cleared_alone && !r.vog_expired));
        assert_eq!(s.excluded.len(), 1);
        assert_eq!(s.excluded[0].rules[0].code, "trajectory_inactive");
    }
}
