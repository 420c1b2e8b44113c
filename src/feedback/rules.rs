//! The rules for feedback, without I/O.

use super::model::FeedbackKind;
use crate::error::{ApiError, Violations};
use crate::jobs::lifecycle::JobStatus;

/// At most this many characters in a message.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// Feedback is about work done: from the moment the werkleider marked it performed.
pub fn may_give(status: JobStatus) -> Result<(), ApiError> {
    match status {
        JobStatus::Performed | JobStatus::Confirmed | JobStatus::Disputed | JobStatus::Settled => Ok(()),
        _ => Err(ApiError::conflict(
            "job_not_done",
            "a compliment or complaint can be given once the work is done",
        )),
    }
}

/// The message, trimmed: not empty, at most [`MAX_MESSAGE_CHARS`].
pub fn message(raw: &str) -> Result<String, ApiError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ApiError::validation(
            "message",
            "required",
            "say what you want to pass on",
        ));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::validation(
            "message",
            "too_long",
            format!("at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// At most this many characters in the werkleider's note and reply.
pub const MAX_NOTE_CHARS: usize = 1000;

/// The werkleider's words on a handled complaint, trimmed: the note for staff (required)
/// and the reply for the resident (optional), each at most [`MAX_NOTE_CHARS`]. Both
/// fields' problems are reported together.
pub fn handled(note: &str, reply: Option<&str>) -> Result<(String, Option<String>), ApiError> {
    let mut v = Violations::new();
    let note = note.trim();
    let reply = reply.map(str::trim).filter(|r| !r.is_empty());
    if note.is_empty() {
        v.push("note", "required", "say what was done about it");
    }
    for (field, text) in [("note", Some(note)), ("reply", reply)] {
        if text.is_some_and(|t| t.chars().count() > MAX_NOTE_CHARS) {
            v.push(field, "too_long", format!("at most {MAX_NOTE_CHARS} characters"));
        }
    }
    v.into_result()?;
    Ok((note.to_owned(), reply.map(str::to_owned)))
}

/// What a second feedback of the same kind on a job means: the same words again are a
/// retry (a phone that lost the answer) and get the first answer; other words are refused,
/// since each job has one compliment and one complaint.
pub fn repeat(kind: FeedbackKind, earlier: &str, now: &str) -> Result<(), ApiError> {
    if earlier == now {
        return Ok(());
    }
    Err(ApiError::conflict(
        "feedback_given",
        match kind {
            FeedbackKind::Compliment => "this job has a compliment already",
            FeedbackKind::Complaint => "this job has a complaint already; the werkleider will contact you about it",
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_work_done_takes_feedback() {
        for s in [
            JobStatus::Performed,
            JobStatus::Confirmed,
            JobStatus::Disputed,
            JobStatus::Settled,
        ] {
            assert!(may_give(s).is_ok(), "{s:?}");
        }
        for s in [
            JobStatus::Requested,
            JobStatus::Accepted,
            JobStatus::Refused,
            JobStatus::Waitlisted,
            JobStatus::Scheduled,
            JobStatus::InProgress,
            JobStatus::Cancelled,
        ] {
            assert_eq!(may_give(s).unwrap_err().code(), "job_not_done", "{s:?}");
        }
    }

    #[test]
    fn a_message_is_trimmed_and_bounded() {
        assert_eq!(message("  Heel fijn geholpen! \n").unwrap(), "Heel fijn geholpen!");
        assert_eq!(message(" \n ").unwrap_err().code(), "validation_failed");
        assert!(message(&"é".repeat(MAX_MESSAGE_CHARS)).is_ok());
        assert_eq!(
            message(&"é".repeat(MAX_MESSAGE_CHARS + 1)).unwrap_err().code(),
            "validation_failed"
        );
    }

    #[test]
    fn a_handled_complaint_needs_a_note_and_may_have_a_reply() {
        assert_eq!(handled(" Gebeld \n", Some("  ")).unwrap(), ("Gebeld".to_owned(), None));
        assert_eq!(
            handled("Gebeld", Some(" Excuses! ")).unwrap(),
            ("Gebeld".to_owned(), Some("Excuses!".to_owned()))
        );
        let long = "é".repeat(MAX_NOTE_CHARS + 1);
        let Err(ApiError::Validation(both)) = handled(" ", Some(&long)) else {
            panic!("both fields are wrong");
        };
        let fields: Vec<_> = both.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(fields, [("note", "required"), ("reply", "too_long")]);
        assert!(handled(&"é".repeat(MAX_NOTE_CHARS), Some(&"é".repeat(MAX_NOTE_CHARS))).is_ok());
    }

    #[test]
    fn the_same_words_again_are_a_retry_other_words_a_conflict() {
        assert!(repeat(FeedbackKind::Compliment, "Dank!", "Dank!").is_ok());
        assert_eq!(
            repeat(FeedbackKind::Complaint, "Te laat", "Niet gekomen")
                .unwrap_err()
                .code(),
            "feedback_given"
        );
    }
}
