//! Work planned already, checked again against the facts as they are now (pure). A crew
//! met every rule when it was planned; a sick report, a changed availability, a lowered
//! clearance or an ended trajectory can break one afterwards. The board shows what broke,
//! so the werkleider re-plans before the day.

use super::rules::{self, JobFacts, ParticipantFacts, Slot, Violation};

impl ParticipantFacts {
    /// The facts without the work at `slot`: it is among the participant's busy spans and
    /// planned minutes once planned, and is neither busy with itself nor counted twice.
    fn without(&self, slot: &Slot) -> ParticipantFacts {
        let mut apart = self.clone();
        if let Some(i) = apart
            .busy
            .iter()
            .position(|(s, e)| *s == slot.utc_start && *e == slot.utc_end)
        {
            apart.busy.swap_remove(i);
            if let Some(minutes) = apart.planned_minutes.get_mut(&slot.week()) {
                *minutes -= slot.minutes();
            }
        }
        apart
    }
}

/// Every hard rule the crew planned at `slot` breaks now.
pub fn broken(crew: &[&ParticipantFacts], job: &JobFacts, slot: &Slot) -> Vec<Violation> {
    let apart: Vec<ParticipantFacts> = crew.iter().map(|p| p.without(slot)).collect();
    let members: Vec<&ParticipantFacts> = apart.iter().collect();
    rules::check_crew(&members, job, slot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participants::clearance::Clearance;
    use crate::planning::rules::tests::{day, dienst, participant, slot};

    /// The participant as planning leaves them once the work at `at` is planned.
    fn planned(id: i64, clearance: Clearance, at: &Slot) -> ParticipantFacts {
        let mut p = participant(id, clearance);
        p.busy.push((at.utc_start, at.utc_end));
        p.planned_minutes.insert(at.week(), at.minutes());
        p
    }

    fn codes(violations: &[Violation]) -> Vec<&'static str> {
        violations.iter().map(|v| v.code).collect()
    }

    #[test]
    fn work_that_still_fits_breaks_nothing() {
        let at = slot("2026-12-08", (9, 0), (11, 0));
        let mut p = planned(1, Clearance::Onboarder, &at);
        // A whole contracted week of it, and work later the same day.
        p.contracted_minutes = at.minutes();
        let later = slot("2026-12-08", (13, 0), (14, 0));
        p.busy.push((later.utc_start, later.utc_end));
        assert!(broken(&[&p], &dienst(), &at).is_empty());
        assert_eq!(
            codes(&rules::check_crew(&[&p], &dienst(), &at)),
            ["participant_busy", "weekly_hours_exceeded"]
        );
    }

    #[test]
    fn what_changed_since_is_named() {
        let at = slot("2026-12-08", (9, 0), (11, 0));
        let mut sick = planned(1, Clearance::Onboarder, &at);
        sick.absences.push((day("2026-12-07"), day("2026-12-09")));
        assert_eq!(codes(&broken(&[&sick], &dienst(), &at)), ["absent"]);

        let mut fewer_hours = planned(2, Clearance::Onboarder, &at);
        fewer_hours.contracted_minutes = 60;
        assert_eq!(
            codes(&broken(&[&fewer_hours], &dienst(), &at)),
            ["weekly_hours_exceeded"]
        );

        let mut no_tuesdays = planned(3, Clearance::Onboarder, &at);
        no_tuesdays.availability.retain(|(weekday, _)| *weekday != 1);
        let lowered = planned(4, Clearance::New, &at);
        let broke = broken(&[&no_tuesdays, &lowered], &dienst(), &at);
        assert_eq!(codes(&broke), ["unavailable"]);
        assert_eq!(broke[0].participant_id, Some(3));
        assert_eq!(codes(&broken(&[&lowered], &dienst(), &at)), ["clearance"]);
    }

    #[test]
    fn other_work_at_the_same_time_still_counts() {
        let at = slot("2026-12-08", (9, 0), (11, 0));
        let mut p = planned(1, Clearance::Onboarder, &at);
        let overlapping = slot("2026-12-08", (10, 0), (12, 0));
        p.busy.push((overlapping.utc_start, overlapping.utc_end));
        assert_eq!(codes(&broken(&[&p], &dienst(), &at)), ["participant_busy"]);
    }
}
