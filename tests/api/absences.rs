//! Absences after they are recorded: reported back sooner, or withdrawn when recorded by
//! mistake.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{create_participant, world};

/// The profile shows the absences of the last 30 days and to come (on SQLite it showed
/// none: the open end of the range was a date SQLite sorted before every other).
#[actix_web::test]
async fn recorded_absences_show_on_the_profile() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Afwezige Ada", "solo_klus").await;
    let today = servicepunt::clock::today();
    let periods = [(-40, -35), (-3, 2), (20, 24)];
    for (from, to) in periods {
        let recorded = w
            .app
            .post(
                &format!("/api/v1/participants/{worker}/absences"),
                Some(&w.werkleider),
                json!({"kind": "leave", "starts_on": today + Duration::days(from), "ends_on": today + Duration::days(to)}),
            )
            .await;
        assert_eq!(recorded.status, 201, "{}", recorded.text);
    }
    let seen = w
        .app
        .get(&format!("/api/v1/participants/{worker}"), Some(&w.werkleider))
        .await;
    let starts: Vec<&str> = seen.body["absences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["starts_on"].as_str().unwrap())
        .collect();
    let expected = [
        (today + Duration::days(-3)).to_string(),
        (today + Duration::days(20)).to_string(),
    ];
    assert_eq!(starts, expected, "{}", seen.text);
}
