//! The werkleiders hear six weeks ahead that a participant who is some residents' regular
//! helper comes to their last day (`handover`): time to take a successor along on a
//! visit or two. Each participant is told of once for their last day; if it moves (an
//! extension), again when the new one comes near. Someone who is nobody's regular helper
//! is not told of: nothing needs handing over.
//!
//! The mail gives how many helpers leave, how many residents (each once) they are the
//! regular helper of and the first last day, not who: that is on the list behind the
//! link (`GET /api/v1/planning/handovers`).

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::json;

use super::{handover_store, reminders};
use crate::auth::{Role, email_links};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::{Template, staff_mail};

pub const KIND: &str = "handover_due";
/// Six weeks, as the coach's notice of the trajectory's end: a few weekly visits to
/// introduce someone new.
pub const NOTICE_DAYS: i64 = 42;
/// Where the front end shows who leaves soon.
pub const LIST_PAGE: &str = "planning/handovers";

/// Tells every active werkleider of the regular helpers whose last day came within the
/// notice and who were not told of. Returns how many werkleiders were written to.
pub fn run(conn: &mut DbConn, today: NaiveDate, public_url: &str, now: NaiveDateTime) -> Result<usize, ApiError> {
    let leaving = handover_store::leaving_between(conn, today, today + Duration::days(NOTICE_DAYS))?;
    // Residents by id: two leaving helpers of one resident make one resident to tell of.
    let (mut helpers, mut residents, mut first) = (0, BTreeSet::new(), None::<NaiveDate>);
    for h in leaving.iter().filter(|h| !h.residents.is_empty()) {
        if !reminders::claim(conn, KIND, h.participant_id, h.last_day, now)? {
            continue;
        }
        helpers += 1;
        residents.extend(h.residents.iter().map(|r| r.resident_id));
        first = Some(first.map_or(h.last_day, |f| f.min(h.last_day)));
    }
    let Some(first) = first else {
        return Ok(0);
    };
    staff_mail::to_role(conn, Role::Werkleider, Template::HandoverDue, now, |w| {
        let mut data = json!({
            "name": w.name,
            "helpers": helpers,
            "residents": residents.len(),
            "first": first.to_string(),
            "within_days": NOTICE_DAYS,
        });
        if !public_url.is_empty() {
            data["link"] = json!(email_links::page(public_url, LIST_PAGE));
        }
        data
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::domain::Language;
    use crate::notify::{Renderer, Template};

    #[test]
    fn the_mail_counts_helpers_and_residents_in_words_that_fit() {
        let r = Renderer::new().unwrap();
        let cases = [
            ((1, 1), "a resident", "een bewoner"),
            ((1, 3), "3 residents", "3 bewoners"),
            (
                (2, 1),
                "regular helpers of a resident",
                "vaste hulp zijn van een bewoner",
            ),
            (
                (2, 3),
                "regular helpers of 3 residents",
                "vaste hulp zijn van 3 bewoners",
            ),
        ];
        for ((helpers, residents), en, nl) in cases {
            let data = json!({"name": "Anna", "helpers": helpers, "residents": residents,
                              "first": "2027-01-15", "within_days": 42});
            for (language, words) in [(Language::En, en), (Language::Nl, nl)] {
                let out = r.render(Template::HandoverDue, language, &data).unwrap();
                assert!(out.text.contains(words), "{}", out.text);
                assert!(out.html.contains(words), "{}", out.html);
            }
        }
    }
}
