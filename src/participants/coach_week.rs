//! Once a week, in the daily timer's first round from Monday on, each coach hears what
//! the week holds for them: progress reviews due by Sunday (overdue ones too), questions
//! to the sociale dienst still open to take to the meeting at the Werkplein, intakes
//! booked on their roster, and last week's booked intakes that do not say yet whether the
//! client came, and participants cleared to go alone to people's homes whose VOG stops
//! counting within six weeks (or has), where a VOG is asked for. What concerns participants
//! without an active coach goes to
//! the coordinators (reviews and questions). A week with nothing for someone sends them
//! nothing.
//!
//! The mail holds counts and the first day due, not whose: that is welfare data, in the
//! lists behind the links.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::json;

use super::coach_mail::Recipients;
use super::{approval_store, intake_store, ramp_up, review, review_store, store};
use crate::auth::email_links;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::Template;
use crate::planning::reminders;

pub const KIND: &str = "coach_week";
/// The pages of the coaches' screens the mail links to.
pub const REVIEWS_PAGE: &str = "trajectories/reviews-due";
pub const QUESTIONS_PAGE: &str = "trajectories/approvals-open";
pub const INTAKES_PAGE: &str = "intake-slots";
pub const VOG_PAGE: &str = "participants?vog_renewal_due=true";

/// What one recipient's week holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Week {
    pub reviews_due: usize,
    /// The earliest day a review counted fell due.
    pub first_due: Option<NaiveDate>,
    pub open_questions: usize,
    pub intakes: usize,
    /// Booked intakes of the week before that do not say yet whether the client came.
    pub unnoted_intakes: usize,
    /// Participants going alone to homes whose VOG needs renewing
    /// ([`super::vog::renewal_due`]).
    pub vogs_due: usize,
}

impl Week {
    pub fn review_due(&mut self, on: NaiveDate) {
        self.reviews_due += 1;
        self.first_due = Some(self.first_due.map_or(on, |d| d.min(on)));
    }

    pub fn is_empty(&self) -> bool {
        self.reviews_due == 0
            && self.open_questions == 0
            && self.intakes == 0
            && self.unnoted_intakes == 0
            && self.vogs_due == 0
    }

    /// The mail's data for `name`; `coordinators`: about participants without a coach.
    pub fn data(&self, name: &str, coordinators: bool, today: NaiveDate, public_url: &str) -> serde_json::Value {
        let mut data = json!({
            "name": name,
            "coordinators": coordinators,
            "reviews_due": self.reviews_due,
            "overdue": self.first_due.is_some_and(|d| d < today),
            "open_questions": self.open_questions,
            "intakes": self.intakes,
            "unnoted_intakes": self.unnoted_intakes,
            "vogs_due": self.vogs_due,
        });
        if let Some(first) = self.first_due {
            data["first_due"] = json!(first.to_string());
        }
        if !public_url.is_empty() {
            data["reviews_link"] = json!(email_links::page(public_url, REVIEWS_PAGE));
            data["questions_link"] = json!(email_links::page(public_url, QUESTIONS_PAGE));
            data["intakes_link"] = json!(email_links::page(public_url, INTAKES_PAGE));
            data["vog_link"] = json!(email_links::page(public_url, VOG_PAGE));
        }
        data
    }
}

/// Tells everyone their week, unless that was done already this week; how many mails
/// went out. `vog_months`: how recent a VOG has to be (0: none asked for).
pub fn run(
    conn: &mut DbConn,
    today: NaiveDate,
    vog_months: u32,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    let monday = ramp_up::monday(today);
    // One run a week: what comes up later in the week waits for next Monday's mail.
    if !reminders::claim(conn, KIND, 0, monday, now)? {
        return Ok(0);
    }
    let sunday = monday + Duration::days(6);
    let mut recipients = Recipients::default();
    let mut weeks: BTreeMap<Option<i64>, Week> = BTreeMap::new();
    for r in review_store::running_with_last_review(conn, today)? {
        let due = review::next_due(r.trajectory.starts_on, r.last_held);
        if due <= sunday {
            let to = recipients.resolve(conn, r.coach_user_id)?;
            weeks.entry(to).or_default().review_due(due);
        }
    }
    for open in approval_store::open(conn)? {
        let to = recipients.resolve(conn, open.coach_user_id)?;
        weeks.entry(to).or_default().open_questions += 1;
    }
    for coach in intake_store::booked_between(conn, today, sunday)? {
        // A coach who left has no Werkplein day to be told of; the coordinator sees the
        // roster whole.
        if let Some(to) = recipients.resolve(conn, Some(coach))? {
            weeks.entry(Some(to)).or_default().intakes += 1;
        }
    }
    // Last week's, while the missed ones can still be raised at a weekly meeting.
    for coach in intake_store::unnoted_between(conn, monday - Duration::days(7), monday - Duration::days(1))? {
        if let Some(to) = recipients.resolve(conn, Some(coach))? {
            weeks.entry(Some(to)).or_default().unnoted_intakes += 1;
        }
    }
    if vog_months > 0 {
        for p in store::list(conn, None, Some(true))? {
            if p.vog_renewal_due(today, vog_months) {
                let to = recipients.resolve(conn, p.coach_user_id)?;
                weeks.entry(to).or_default().vogs_due += 1;
            }
        }
    }
    let mut sent = 0;
    for (to, week) in weeks.iter().filter(|(_, w)| !w.is_empty()) {
        let data = |name: &str| week.data(name, to.is_none(), today, public_url);
        sent += recipients.send(conn, *to, Template::CoachWeek, data, now)?;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_week_counts_reviews_from_the_earliest_due() {
        let mut week = Week::default();
        assert!(week.is_empty());
        week.review_due(day(9));
        week.review_due(day(3));
        week.review_due(day(11));
        assert_eq!(week.reviews_due, 3);
        assert_eq!(week.first_due, Some(day(3)));
        assert!(!week.is_empty());
        let data = week.data("Karin", false, day(7), "https://app.example");
        assert_eq!(data["overdue"], true, "the 3rd is before the 7th");
        assert_eq!(data["first_due"], "2026-12-03");
        assert_eq!(data["intakes_link"], "https://app.example/intake-slots");
    }

    #[test]
    fn a_week_without_reviews_has_no_first_day_and_no_links_without_a_url() {
        let week = Week {
            intakes: 2,
            ..Week::default()
        };
        assert!(!week.is_empty());
        let data = week.data("Karin", true, day(7), "");
        assert!(data.get("first_due").is_none());
        assert_eq!(data["overdue"], false);
        assert_eq!(data["coordinators"], true);
        assert!(data.get("reviews_link").is_none());
    }
}
