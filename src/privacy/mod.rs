//! Privacy (AVG/GDPR): an audit log of who read or changed a resident's or participant's
//! personal data, a resident's data as JSON for a data-subject request, and erasure that
//! keeps the financial records the law requires. What is stored, why and for how long is
//! in `docs/privacy.md`.

pub mod audit;
pub mod audit_subject;
pub mod audit_trail;
pub mod erase;
pub mod export;
pub mod fiscal;
pub mod handlers;
pub mod participant;
pub mod retention;
