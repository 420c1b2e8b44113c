//! Which calls the audit log records, and whose data each is about, from the route alone
//! (pure: no I/O). The trees about one person (`/residents/{id}…`, `/participants/{id}…`)
//! and their lists, and the welfare data kept outside them: trajectories (found by their
//! own id), attendance and work logs (the participant is in the body or the log, so the
//! handler names them), the desk's decisions on possible duplicate records (the handler
//! names the two), residents' compliments and complaints, the intake roster
//! (people referred before they are participants) and who leaves soon (the last day of
//! their trajectories).

/// Route trees whose calls are logged, and the kind of person they are about.
const TREES: [(&str, &str); 11] = [
    ("/api/v1/residents", "resident"),
    // Records that look like one person: the handler names the two.
    ("/api/v1/resident-duplicates", "resident"),
    // Residents' compliments and complaints (about the crew): the handler names the
    // resident whose complaint it handles.
    ("/api/v1/feedback", "resident"),
    // The keys held, with whose they are.
    ("/api/v1/keys", "resident"),
    ("/api/v1/participants", "participant"),
    ("/api/v1/trajectories", "participant"),
    // Who offered to be a buddy: people who finished a trajectory here.
    ("/api/v1/buddy-volunteers", "participant"),
    // Who leaves soon: the last day of their trajectories, told to the werkleiders.
    ("/api/v1/planning/handovers", "participant"),
    // The intake roster: the names of people the sociale dienst refers, before they are
    // participants.
    ("/api/v1/intake-slots", "participant"),
    ("/api/v1/attendance", "participant"),
    ("/api/v1/worklogs", "participant"),
];

/// Whose data a call is about, as far as its route tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The person with this id.
    Person(i64),
    /// A list of people of that kind.
    List,
    /// The participant whose trajectory this is.
    TrajectoryOf(i64),
    /// Not in the route: the handler may name the person, or it stays unknown.
    Unknown,
}

/// Whether a path is in a logged tree at all (the cheap check for every request).
pub fn in_scope(path: &str) -> bool {
    TREES.iter().any(|(prefix, _)| path.starts_with(prefix))
}

/// The kind of person and the subject of a call to `path`, matched by route `pattern`;
/// `None` for routes the log does not cover.
pub fn subject(pattern: &str, path: &str) -> Option<(&'static str, Subject)> {
    let (prefix, kind) = TREES.iter().find(|(prefix, _)| pattern.starts_with(prefix))?;
    let rest = &pattern[prefix.len()..];
    let id = || {
        path.strip_prefix(prefix)?
            .trim_start_matches('/')
            .split('/')
            .next()?
            .parse::<i64>()
            .ok()
    };
    let subject = match (*prefix, rest) {
        (_, "") if *prefix != "/api/v1/attendance" => Subject::List,
        ("/api/v1/trajectories", "/ending" | "/reviews-due" | "/approvals-open") => Subject::List,
        ("/api/v1/trajectories", r) if r.starts_with("/{id}") => id().map_or(Subject::Unknown, Subject::TrajectoryOf),
        ("/api/v1/residents" | "/api/v1/participants", r) if r.starts_with("/{id}") => {
            id().map_or(Subject::Unknown, Subject::Person)
        }
        _ => Subject::Unknown,
    };
    Some((kind, subject))
}

#[cfg(test)]
mod tests {
    use super::{Subject, in_scope, subject};

    #[test]
    fn routes_about_one_person_are_recognised() {
        let cases = [
            (
                "/api/v1/residents/{id}",
                "/api/v1/residents/12",
                Some(("resident", Subject::Person(12))),
            ),
            (
                "/api/v1/residents/{id}/eligibility",
                "/api/v1/residents/7/eligibility",
                Some(("resident", Subject::Person(7))),
            ),
            (
                "/api/v1/participants/{id}/trajectories",
                "/api/v1/participants/3/trajectories",
                Some(("participant", Subject::Person(3))),
            ),
            (
                "/api/v1/residents",
                "/api/v1/residents",
                Some(("resident", Subject::List)),
            ),
            (
                "/api/v1/residents/{id}",
                "/api/v1/residents/abc",
                Some(("resident", Subject::Unknown)),
            ),
            (
                "/api/v1/trajectories/{id}/end",
                "/api/v1/trajectories/5/end",
                Some(("participant", Subject::TrajectoryOf(5))),
            ),
            (
                "/api/v1/trajectories/ending",
                "/api/v1/trajectories/ending",
                Some(("participant", Subject::List)),
            ),
            ("/api/v1/keys", "/api/v1/keys", Some(("resident", Subject::List))),
            (
                "/api/v1/resident-duplicates",
                "/api/v1/resident-duplicates",
                Some(("resident", Subject::List)),
            ),
            (
                "/api/v1/resident-duplicates/{id}/merge",
                "/api/v1/resident-duplicates/4/merge",
                Some(("resident", Subject::Unknown)),
            ),
            (
                "/api/v1/planning/handovers",
                "/api/v1/planning/handovers",
                Some(("participant", Subject::List)),
            ),
            ("/api/v1/planning", "/api/v1/planning", None),
            (
                "/api/v1/trajectories/reviews-due",
                "/api/v1/trajectories/reviews-due",
                Some(("participant", Subject::List)),
            ),
            (
                "/api/v1/trajectories/approvals-open",
                "/api/v1/trajectories/approvals-open",
                Some(("participant", Subject::List)),
            ),
            (
                "/api/v1/trajectories/{id}/approvals/{approval_id}/answer",
                "/api/v1/trajectories/9/approvals/2/answer",
                Some(("participant", Subject::TrajectoryOf(9))),
            ),
            (
                "/api/v1/attendance",
                "/api/v1/attendance",
                Some(("participant", Subject::Unknown)),
            ),
            (
                "/api/v1/feedback",
                "/api/v1/feedback",
                Some(("resident", Subject::List)),
            ),
            (
                "/api/v1/feedback/{id}/handled",
                "/api/v1/feedback/4/handled",
                Some(("resident", Subject::Unknown)),
            ),
            (
                "/api/v1/intake-slots",
                "/api/v1/intake-slots",
                Some(("participant", Subject::List)),
            ),
            (
                "/api/v1/intake-slots/{id}/booking",
                "/api/v1/intake-slots/3/booking",
                Some(("participant", Subject::Unknown)),
            ),
            ("/api/v1/jobs/{id}", "/api/v1/jobs/1", None),
        ];
        for (pattern, path, expected) in cases {
            assert_eq!(subject(pattern, path), expected, "{path}");
        }
    }

    #[test]
    fn only_the_logged_trees_are_in_scope() {
        assert!(in_scope("/api/v1/residents/3/export"));
        assert!(in_scope("/api/v1/trajectories/ending"));
        assert!(in_scope("/api/v1/worklogs/4/approve"));
        assert!(in_scope("/api/v1/feedback/4/handled"));
        assert!(!in_scope("/api/v1/planning"));
        assert!(!in_scope("/health"));
    }
}
