//! Privacy (AVG/GDPR): an audit log of who read or changed a resident's or participant's
//! personal data, a resident's or participant's data as JSON for a data-subject request (the
//! coordinator's full copy, or the person's own from the app), and erasure that
//! keeps the financial records the law requires. What is stored, why and for how long is
//! in `docs/privacy.md`.

pub mod audit;
pub mod audit_subject;
pub mod audit_trail;
pub mod erase;
pub mod export;
pub mod fiscal;
pub mod handlers;
pub mod own_handlers;
pub mod participant;
pub mod retention;

/// Whom a data export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFor {
    /// The coordinator, answering a data-subject request: everything.
    Coordinator,
    /// The person themselves, downloading from the app: without the notes staff write
    /// about them, which may name others (a neighbour, a relative) and which the
    /// coordinator weighs before handing them out (art. 15(4)).
    Subject,
}

impl ExportFor {
    /// Adds to an export what the person's own copy leaves out and why, so they know to
    /// ask for it; the coordinator's copy leaves nothing out.
    pub fn note_withheld(self, export: &mut serde_json::Value, fields: &[&str]) {
        if self == ExportFor::Coordinator {
            return;
        }
        export["withheld"] = serde_json::json!({
                "fields": fields,
                "reason": "notes staff write about you may name others; ask the servicepunt, \
                           where the coordinator goes through them with you",
        });
    }
}
