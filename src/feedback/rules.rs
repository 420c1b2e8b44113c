//! The rules for feedback, without I/O.

use super::model::FeedbackKind;
use crate::error::ApiError;
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

/// The werkleider's note on a handled complaint: not empty, at most 1000 characters.
pub fn note(raw: &str) -> Result<String, ApiError> {
    crate::jobs::input::optional_note(Some(raw.to_owned()), "note")?
        .ok_or_else(|| ApiError::validation("note", "required", "say what was done about it"))
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
