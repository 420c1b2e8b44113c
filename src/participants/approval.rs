//! The sociale dienst's agreement (pure). The municipality keeps the last word on a
//! participant ('eindregie'): whether they get extra time in the project or move on to
//! another trajectory, whether an assessment, a psychologist or care is brought in, and
//! whether what they do now is participation to their capacity. Without that agreement a
//! participant may be summoned again after leaving. The coach asks the klantmanager,
//! mostly at the weekly day at the Werkplein, and writes the answer down.
//!
//! A question is `pending` until it is answered (`agreed` or `declined`) or the coach
//! takes it back (`withdrawn`); one of a kind is open at a time per trajectory.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, Violations};

/// At most this many characters of proposal, or of a note with the answer.
pub const MAX_TEXT_CHARS: usize = 1000;
/// At most this many characters of the klantmanager's name.
pub const MAX_NAME_CHARS: usize = 100;

/// What the sociale dienst is asked to agree to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalKind {
    /// More time in the current trajectory.
    ExtraTime,
    /// Moving on to a next trajectory, nearer to work.
    NextTrajectory,
    /// An assessment (onderzoek).
    Assessment,
    /// A psychologist.
    Psychologist,
    /// Care or help to clear what stands in the way.
    Care,
    /// That what the participant does now is participation to their capacity
    /// ('participatie naar vermogen').
    ParticipationToCapacity,
}

impl ApprovalKind {
    pub const ALL: [ApprovalKind; 6] = [
        ApprovalKind::ExtraTime,
        ApprovalKind::NextTrajectory,
        ApprovalKind::Assessment,
        ApprovalKind::Psychologist,
        ApprovalKind::Care,
        ApprovalKind::ParticipationToCapacity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalKind::ExtraTime => "extra_time",
            ApprovalKind::NextTrajectory => "next_trajectory",
            ApprovalKind::Assessment => "assessment",
            ApprovalKind::Psychologist => "psychologist",
            ApprovalKind::Care => "care",
            ApprovalKind::ParticipationToCapacity => "participation_to_capacity",
        }
    }

    /// As the klantmanager reads it on the meeting's list.
    pub fn dutch(self) -> &'static str {
        match self {
            ApprovalKind::ExtraTime => "extra tijd in het traject",
            ApprovalKind::NextTrajectory => "door naar een volgend traject",
            ApprovalKind::Assessment => "een onderzoek",
            ApprovalKind::Psychologist => "een psycholoog",
            ApprovalKind::Care => "zorg of hulp inzetten",
            ApprovalKind::ParticipationToCapacity => "participatie naar vermogen",
        }
    }

    pub fn from_stored(s: &str) -> ApprovalKind {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or(ApprovalKind::Care)
    }
}

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatus {
    Pending,
    Agreed,
    Declined,
    Withdrawn,
}

impl ApprovalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Agreed => "agreed",
            ApprovalStatus::Declined => "declined",
            ApprovalStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_stored(s: &str) -> ApprovalStatus {
        match s {
            "agreed" => ApprovalStatus::Agreed,
            "declined" => ApprovalStatus::Declined,
            "withdrawn" => ApprovalStatus::Withdrawn,
            _ => ApprovalStatus::Pending,
        }
    }
}

/// The proposal as the coach words it: what they propose and why, trimmed.
pub fn proposal(raw: &str) -> Result<String, ApiError> {
    let mut v = Violations::new();
    let p = v.text(
        "proposal",
        raw,
        Some("write down what you propose and why"),
        MAX_TEXT_CHARS,
    );
    v.into_result()?;
    Ok(p.unwrap_or_default())
}

/// The klantmanager's answer, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: ApprovalStatus,
    pub answered_on: NaiveDate,
    pub case_manager: Option<String>,
    pub note: Option<String>,
}

/// Checks an answer to a question asked on `asked_on`: given on a day from then to
/// `today`, with an optional name and note; every wrong field at once.
pub fn answer(
    agreed: bool,
    answered_on: NaiveDate,
    case_manager: Option<&str>,
    note: Option<&str>,
    asked_on: NaiveDate,
    today: NaiveDate,
) -> Result<Answer, ApiError> {
    let mut v = Violations::new();
    if answered_on < asked_on {
        v.push("on", "before_asked", "the question was asked after that day");
    } else if answered_on > today {
        v.push("on", "in_future", "write the answer down once it is given");
    }
    let case_manager = case_manager.and_then(|c| v.text("case_manager", c, None, MAX_NAME_CHARS));
    let note = note.and_then(|n| v.text("note", n, None, MAX_TEXT_CHARS));
    v.into_result()?;
    Ok(Answer {
        status: if agreed {
            ApprovalStatus::Agreed
        } else {
            ApprovalStatus::Declined
        },
        answered_on,
        case_manager,
        note,
    })
}

/// Only an open question can be answered or taken back.
pub fn still_open(status: ApprovalStatus) -> Result<(), ApiError> {
    if status == ApprovalStatus::Pending {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "not_pending",
            format!("this question was {} already", status.as_str()),
        ))
    }
}

/// One line of the list for the weekly meeting with the klantmanagers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingLine {
    pub participant: String,
    pub trajectory: String,
    pub asked_on: NaiveDate,
    pub kind: ApprovalKind,
    pub proposal: String,
}

pub const MEETING_HEADER: [&str; 5] = ["deelnemer", "traject", "gevraagd op", "besluit", "voorstel"];

/// The meeting's list as CSV, for a spreadsheet or to print.
pub fn meeting_csv(lines: &[MeetingLine]) -> String {
    let mut body = crate::csv::line(&MEETING_HEADER.map(String::from));
    for l in lines {
        body.push_str(&crate::csv::line(&[
            l.participant.clone(),
            l.trajectory.clone(),
            l.asked_on.to_string(),
            l.kind.dutch().to_owned(),
            l.proposal.clone(),
        ]));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn fields(e: ApiError) -> Vec<(String, &'static str)> {
        let ApiError::Validation(errors) = e else {
            panic!("not a validation error");
        };
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn every_kind_is_stored_and_read_back_the_same() {
        for k in ApprovalKind::ALL {
            assert_eq!(ApprovalKind::from_stored(k.as_str()), k);
        }
        for s in [
            ApprovalStatus::Pending,
            ApprovalStatus::Agreed,
            ApprovalStatus::Declined,
            ApprovalStatus::Withdrawn,
        ] {
            assert_eq!(ApprovalStatus::from_stored(s.as_str()), s);
        }
    }

    #[test]
    fn a_proposal_is_required_and_bounded() {
        assert_eq!(proposal("  Nog drie maanden  ").unwrap(), "Nog drie maanden");
        assert_eq!(
            fields(proposal(" ").unwrap_err()),
            [("proposal".to_owned(), "required")]
        );
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            fields(proposal(&long).unwrap_err()),
            [("proposal".to_owned(), "too_long")]
        );
    }

    #[test]
    fn an_answer_falls_between_the_question_and_today() {
        let given = answer(true, day(8), Some(" mw. Jansen "), Some(" "), day(3), day(10)).unwrap();
        assert_eq!(given.status, ApprovalStatus::Agreed);
        assert_eq!(given.case_manager.as_deref(), Some("mw. Jansen"));
        assert_eq!(given.note, None);
        assert_eq!(
            answer(false, day(3), None, None, day(3), day(3)).unwrap().status,
            ApprovalStatus::Declined
        );
        let name = "n".repeat(MAX_NAME_CHARS + 1);
        let wrong = answer(true, day(2), Some(&name), None, day(3), day(10)).unwrap_err();
        assert_eq!(
            fields(wrong),
            [
                ("on".to_owned(), "before_asked"),
                ("case_manager".to_owned(), "too_long"),
            ]
        );
        let early = answer(true, day(11), None, None, day(3), day(10)).unwrap_err();
        assert_eq!(fields(early), [("on".to_owned(), "in_future")]);
    }

    #[test]
    fn only_an_open_question_changes() {
        assert!(still_open(ApprovalStatus::Pending).is_ok());
        for s in [
            ApprovalStatus::Agreed,
            ApprovalStatus::Declined,
            ApprovalStatus::Withdrawn,
        ] {
            assert!(matches!(still_open(s), Err(ApiError::Conflict { .. })));
        }
    }

    #[test]
    fn the_meeting_list_reads_in_dutch_and_quotes_what_needs_it() {
        let csv = meeting_csv(&[MeetingLine {
            participant: "Priya Ramdin".into(),
            trajectory: "participatiebaan".into(),
            asked_on: day(3),
            kind: ApprovalKind::ParticipationToCapacity,
            proposal: "Twee dagdelen vrijwilligerswerk, \"past goed\"".into(),
        }]);
        assert_eq!(
            csv,
            "deelnemer,traject,gevraagd op,besluit,voorstel\r\n\
             Priya Ramdin,participatiebaan,2026-12-03,participatie naar vermogen,\
             \"Twee dagdelen vrijwilligerswerk, \"\"past goed\"\"\"\r\n"
        );
    }
}
