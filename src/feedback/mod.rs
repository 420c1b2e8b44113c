//! What residents say about the work done for them. A compliment goes to the crew who did
//! the work (a customer's appreciation is much of what a participant builds confidence
//! on); a complaint goes to the werkleiders only, who mark it handled with what they did.
//! Participants never see complaints, finance sees neither.

pub mod give;
pub mod handlers;
pub mod mails;
pub mod model;
pub mod rules;
pub mod store;
