//! How well a participant suits a job (pure), in points with every part visible:
//!
//! | part | points |
//! |---|---|
//! | continuity | 30 if they helped this resident before, 30 more if the resident asked for them |
//! | fairness | up to 25, in proportion to the contracted hours still free that week |
//! | distance | 15 for the same wijk, else 10 for the same postcode area |
//! | language | 10 when they speak the resident's language |
//! | interests | 10 when the work is among their interests, −20 among their aversions |
//!
//! Hard rules decide who may go; the score only orders those who may.

use serde::Serialize;
use utoipa::ToSchema;

use super::rules::{JobFacts, ParticipantFacts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, ToSchema)]
pub struct ScoreParts {
    pub continuity: i64,
    pub fairness: i64,
    pub distance: i64,
    pub language: i64,
    pub interests: i64,
    pub total: i64,
}

pub fn score(p: &ParticipantFacts, job: &JobFacts, week: (i32, u32)) -> ScoreParts {
    let continuity = if job.previous_participants.contains(&p.id) {
        30
    } else {
        0
    } + if job.preferred_participants.contains(&p.id) {
        30
    } else {
        0
    };
    let planned = p.planned_minutes.get(&week).copied().unwrap_or(0);
    let allowed = p.week_minutes(week);
    let fairness = if allowed > 0 {
        (25 * (allowed - planned).max(0) / allowed).min(25)
    } else {
        0
    };
    let distance = match (&p.wijk, &job.wijk, &p.postcode_area) {
        (Some(a), Some(b), _) if a == b => 15,
        (_, _, Some(area)) if *area == job.postcode_area => 10,
        _ => 0,
    };
    let language = if p.languages.contains(&job.language) { 10 } else { 0 };
    let interests = if p.aversions.contains(&job.category) {
        -20
    } else if p.interests.contains(&job.category) {
        10
    } else {
        0
    };
    ScoreParts {
        continuity,
        fairness,
        distance,
        language,
        interests,
        total: continuity + fairness + distance + language + interests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participants::clearance::Clearance;
    use crate::planning::rules::tests::{dienst, participant};

    #[test]
    fn parts_add_up_and_explain() {
        let mut p = participant(7, Clearance::SoloDienst);
        p.wijk = Some("Veldhuizen".into());
        p.interests.insert("gezelschap".into());
        let mut job = dienst();
        job.category = "gezelschap".into();
        job.wijk = Some("Veldhuizen".into());
        job.previous_participants.insert(7);
        let week = (2026, 45);
        p.planned_minutes.insert(week, p.contracted_minutes / 2);
        let s = score(&p, &job, week);
        assert_eq!(
            s,
            ScoreParts {
                continuity: 30,
                fairness: 12,
                distance: 15,
                language: 10,
                interests: 10,
                total: 77
            }
        );
        p.aversions.insert("gezelschap".into());
        assert_eq!(score(&p, &job, week).interests, -20);
    }

    #[test]
    fn the_least_planned_scores_highest_on_fairness() {
        let mut busy = participant(1, Clearance::SoloDienst);
        let idle = participant(2, Clearance::SoloDienst);
        busy.planned_minutes.insert((2026, 45), busy.contracted_minutes);
        assert_eq!(score(&busy, &dienst(), (2026, 45)).fairness, 0);
        assert_eq!(score(&idle, &dienst(), (2026, 45)).fairness, 25);
    }
}
