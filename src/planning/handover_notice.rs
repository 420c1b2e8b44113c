//! The werkleiders hear six weeks ahead that a participant who is some residents' regular
//! helper comes to their last day (`handover`): time to take a successor along on a
//! visit or two. Each participant is told of once for their last day; if it moves (an
//! extension), again when the new one comes near. Someone who is nobody's regular helper
//! is not told of: nothing needs handing over.
//!
//! The mail gives how many helpers leave, how many residents (each once) they are the
//! regular helper of, how many of those know no helper who stays, and the first last
//! day, not who: that is on the list behind the link (`GET /api/v1/planning/handovers`).

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
    // Those of them who know no helper who stays: whom a successor has to meet.
    let mut unintroduced = BTreeSet::new();
    for h in leaving.iter().filter(|h| !h.residents.is_empty()) {
        if !reminders::claim(conn, KIND, h.participant_id, h.last_day, now)? {
            continue;
        }
        helpers += 1;
        residents.extend(h.residents.iter().map(|r| r.resident_id));
        unintroduced.extend(
            h.residents
                .iter()
                .filter(|r| r.known_helpers.is_empty())
                .map(|r| r.resident_id),
        );
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
            "unintroduced": unintroduced.len(),
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

    fn render(data: &serde_json::Value) -> [(String, String); 2] {
        let r = Renderer::new().unwrap();
        [Language::En, Language::Nl].map(|language| {
            let out = r.render(Template::HandoverDue, language, data).unwrap();
            (out.text, out.html)
        })
    }

    #[test]
    fn the_mail_counts_helpers_and_residents_in_words_that_fit() {
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
                              "unintroduced": 1, "first": "2027-01-15", "within_days": 42});
            for ((text, html), words) in render(&data).into_iter().zip([en, nl]) {
                assert!(text.contains(words), "{text}");
                assert!(html.contains(words), "{html}");
            }
        }
    }

    #[test]
    fn the_mail_says_how_many_residents_still_have_to_meet_someone() {
        let successor = ["Take a successor along", "Neem vóór die tijd een opvolger mee"];
        let cases = [
            (
                (1, 0),
                "The resident knows a helper who stays already",
                "De bewoner kent al een hulp die blijft",
            ),
            (
                (3, 0),
                "Each of them knows a helper who stays already",
                "Ze kennen allemaal al een hulp die blijft",
            ),
            (
                (1, 1),
                "The resident does not know a helper who stays yet",
                "De bewoner kent nog geen hulp die blijft",
            ),
            (
                (3, 3),
                "None of them knows a helper who stays yet",
                "Geen van hen kent nog een hulp die blijft",
            ),
            (
                (3, 1),
                "1 of them does not know a helper who stays yet",
                "1 van hen kent nog geen hulp die blijft",
            ),
            (
                (3, 2),
                "2 of them do not know a helper who stays yet",
                "2 van hen kennen nog geen hulp die blijft",
            ),
        ];
        for ((residents, unintroduced), en, nl) in cases {
            let data = json!({"name": "Anna", "helpers": 2, "residents": residents,
                              "unintroduced": unintroduced, "first": "2027-01-15", "within_days": 42});
            for (((text, html), words), successor) in render(&data).into_iter().zip([en, nl]).zip(successor) {
                assert!(text.contains(words), "{text}");
                assert!(html.contains(words), "{html}");
                // Asked to take a successor along only when someone has yet to meet one.
                assert_eq!(text.contains(successor), unintroduced > 0, "{text}");
            }
        }
    }
}
