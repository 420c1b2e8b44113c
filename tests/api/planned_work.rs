//! Work planned before something changed: an absence, a profile change. The werkleider is
//! told which work no longer fits, and the board marks it until it is re-planned.

use serde_json::{Value, json};

use crate::helpers::{World, create_participant, next_local, world};
use crate::planning::{assign, waitlisted_job};

/// The assignment as the board shows it on its day under `participant`.
async fn on_board(w: &World, day: &str, participant: i64, assignment: i64) -> Value {
    let board = w
        .app
        .get(&format!("/api/v1/planning?from={day}&to={day}"), Some(&w.werkleider))
        .await;
    assert_eq!(board.status, 200, "{}", board.text);
    board.body["days"][0]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["participant_id"] == participant)
        .flat_map(|p| p["assignments"].as_array().unwrap().clone())
        .find(|a| a["assignment_id"] == assignment)
        .unwrap_or_else(|| {
            panic!(
                "assignment {assignment} of {participant} not on the board: {}",
                board.text
            )
        })
}

fn conflict_codes(on_board: &Value) -> Vec<(String, Option<i64>)> {
    on_board["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap().to_owned(), c["participant_id"].as_i64()))
        .collect()
}

/// A job for one participant of the world at ten o'clock: (participant, assignment, day).
async fn planned(w: &World, name: &str) -> (i64, i64, String) {
    let worker = create_participant(&w.app, &w.coordinator, name, "solo_klus").await;
    let job = waitlisted_job(w, w.hedge, 60).await;
    let span = next_local(10, 60);
    let reply = assign(w, job, &[worker], &span).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    (worker, reply.body["id"].as_i64().unwrap(), span.0[..10].to_owned())
}

#[actix_web::test]
async fn a_sick_report_names_the_work_it_leaves_and_the_board_marks_it() {
    let w = world().await;
    let (sick, assignment, day) = planned(&w, "Zieke Sanne").await;
    assert_eq!(conflict_codes(&on_board(&w, &day, sick, assignment).await), vec![]);

    let reported = w
        .app
        .post(
            &format!("/api/v1/participants/{sick}/absences"),
            Some(&w.werkleider),
            json!({"kind": "sick", "starts_on": day}),
        )
        .await;
    assert_eq!(reported.status, 201, "{}", reported.text);
    assert_eq!(reported.body["kind"], "sick");
    assert_eq!(reported.body["ends_on"], day.as_str());
    let left: Vec<i64> = reported.body["planned_work"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(left, vec![assignment], "{}", reported.text);
    assert_eq!(
        conflict_codes(&on_board(&w, &day, sick, assignment).await),
        vec![("absent".to_owned(), Some(sick))]
    );

    // Someone else goes: the work fits again.
    let stand_in = create_participant(&w.app, &w.coordinator, "Invaller Ivo", "solo_klus").await;
    let replanned = w
        .app
        .patch(
            &format!("/api/v1/assignments/{assignment}"),
            Some(&w.werkleider),
            json!({"participant_ids": [stand_in]}),
        )
        .await;
    assert_eq!(replanned.status, 200, "{}", replanned.text);
    assert_eq!(conflict_codes(&on_board(&w, &day, stand_in, assignment).await), vec![]);

    // A later absence on other days leaves nothing behind.
    let later = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap() + chrono::Duration::days(10);
    let again = w
        .app
        .post(
            &format!("/api/v1/participants/{stand_in}/absences"),
            Some(&w.werkleider),
            json!({"kind": "leave", "starts_on": later, "ends_on": later + chrono::Duration::days(2)}),
        )
        .await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body["planned_work"], json!([]), "{}", again.text);
}

#[actix_web::test]
async fn a_changed_profile_shows_on_the_work_planned_before() {
    let w = world().await;
    let (worker, assignment, day) = planned(&w, "Veranderde Vera").await;
    let path = format!("/api/v1/participants/{worker}");
    let weekday = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .unwrap()
        .format("%u")
        .to_string()
        .parse::<i64>()
        .unwrap()
        - 1;
    // No longer on this weekday, and a clearance lowered to `new`.
    let other_days: Vec<Value> = (0..7)
        .filter(|d| *d != weekday)
        .map(|d| json!({"weekday": d, "dagdeel": "morning"}))
        .collect();
    let changed = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"availability": other_days}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(
        conflict_codes(&on_board(&w, &day, worker, assignment).await),
        vec![("unavailable".to_owned(), Some(worker))]
    );
    let lowered = w
        .app
        .patch(
            &path,
            Some(&w.werkleider),
            json!({"clearance": "new", "clearance_reason": "terug naar begeleid werken"}),
        )
        .await;
    assert_eq!(lowered.status, 200, "{}", lowered.text);
    assert_eq!(
        conflict_codes(&on_board(&w, &day, worker, assignment).await),
        vec![("unavailable".to_owned(), Some(worker)), ("clearance".to_owned(), None)]
    );
}
