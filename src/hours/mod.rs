//! Worked hours and the participatiebaan bonus: work logs recorded once, approved by the
//! werkleider and corrected only with a trail; jobs performed, confirmed or disputed by
//! the resident (or confirmed when the window passes); year-end bonus statements in
//! integer cents, frozen when issued.

pub mod approval;
pub mod bonus;
pub mod completion;
pub mod handlers;
pub mod list;
pub mod logging;
pub mod rejection_mail;
pub mod rules;
pub mod statements;
pub mod store;
