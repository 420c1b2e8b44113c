//! Absences after they are recorded: reported back sooner, or withdrawn when recorded by
//! mistake.

use chrono::{Duration, NaiveDate};
use serde_json::json;

use crate::helpers::{create_participant, next_local, world};
use crate::planning::{assign, waitlisted_job};

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

#[actix_web::test]
async fn a_participant_back_sooner_is_planned_again_and_a_mistake_is_withdrawn() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Herstelde Henk", "solo_klus").await;
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let span = next_local(10, 60);
    let planned = assign(&w, job, &[worker], &span).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    let day: NaiveDate = span.0[..10].parse().unwrap();
    let absences = format!("/api/v1/participants/{worker}/absences");
    let sick = w
        .app
        .post(
            &absences,
            Some(&w.werkleider),
            json!({"kind": "sick", "starts_on": day - Duration::days(1), "ends_on": day + Duration::days(4)}),
        )
        .await;
    assert_eq!(sick.status, 201, "{}", sick.text);
    assert_eq!(sick.body["planned_work"][0]["id"], planned.body["id"]);
    let one = format!("{absences}/{}", sick.body["id"]);

    // Back on the day of the work.
    let back = w
        .app
        .patch(&one, Some(&w.werkleider), json!({"ends_on": day - Duration::days(1)}))
        .await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(back.body["ends_on"], (day - Duration::days(1)).to_string());
    assert_eq!(back.body["planned_work"], json!([]), "{}", back.text);
    let board = w
        .app
        .get(&format!("/api/v1/planning?from={day}&to={day}"), Some(&w.werkleider))
        .await;
    let row = board.body["days"][0]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["participant_id"] == worker)
        .unwrap()
        .clone();
    assert_eq!(row["absent"], false, "{}", board.text);
    assert_eq!(row["assignments"][0]["conflicts"], json!([]), "{}", board.text);

    // A last day before the first is refused, and nothing changes.
    let reversed = w
        .app
        .patch(&one, Some(&w.werkleider), json!({"ends_on": day - Duration::days(2)}))
        .await;
    reversed.assert_problem(422, "validation_failed");
    assert_eq!(reversed.body["errors"][0]["code"], "period_reversed");
    let profile = format!("/api/v1/participants/{worker}");
    let seen = w.app.get(&profile, Some(&w.werkleider)).await;
    assert_eq!(
        seen.body["absences"][0]["ends_on"],
        (day - Duration::days(1)).to_string(),
        "{}",
        seen.text
    );

    // Another participant's absence is not reached through this one.
    let other = create_participant(&w.app, &w.coordinator, "Andere Anouk", "solo_klus").await;
    let elsewhere = format!("/api/v1/participants/{other}/absences/{}", sick.body["id"]);
    w.app
        .call(reqwest::Method::DELETE, &elsewhere, Some(&w.werkleider), None)
        .await
        .assert_problem(404, "not_found");

    let withdrawn = w
        .app
        .call(reqwest::Method::DELETE, &one, Some(&w.werkleider), None)
        .await;
    assert_eq!(withdrawn.status, 204, "{}", withdrawn.text);
    let seen = w.app.get(&profile, Some(&w.werkleider)).await;
    assert_eq!(seen.body["absences"], json!([]), "{}", seen.text);
    w.app
        .call(reqwest::Method::DELETE, &one, Some(&w.werkleider), None)
        .await
        .assert_problem(404, "not_found");
}
