//! Changing an order after it was placed: the task until the work starts, the preferred
//! windows until it is planned.

use serde_json::{Value, json};

use crate::helpers::{World, local_span, next_day_at, order_body, registration, world};
use crate::planned_work::{participant_with_address, schedules};
use crate::planning::assign;

/// A resident of their own with a waitlisted order: (their token, the job's id).
pub async fn resident_with_order(w: &World, email: &str, house: &str) -> (String, i64) {
    let mut body = registration(email);
    body["address"]["house_number"] = json!(house);
    let registered = w.app.register(body).await;
    let token = registered.body["tokens"]["access_token"].as_str().unwrap().to_owned();
    let ordered = w.app.post("/api/v1/jobs", Some(&token), order_body(w.hedge, 60)).await;
    assert_eq!(ordered.body["status"], "waitlisted", "{}", ordered.text);
    (token, ordered.body["id"].as_i64().unwrap())
}

#[actix_web::test]
async fn a_resident_changes_the_task_and_the_windows_until_the_work_is_planned() {
    let w = world().await;
    let (resident, job) = resident_with_order(&w, "wijzig@example.nl", "301").await;
    let path = format!("/api/v1/jobs/{job}");
    let day = next_day_at(20);
    let window = json!([{"date": day + chrono::Duration::days(3), "dagdeel": "morning"}]);
    let changed = w
        .app
        .patch(
            &path,
            Some(&resident),
            json!({"description": "Ook de haag aan de voorkant", "preferred_windows": window}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["description"], "Ook de haag aan de voorkant");
    assert_eq!(
        changed.body["preferred_windows"][0]["dagdeel"], "morning",
        "{}",
        changed.text
    );
    let events = w.app.get(&format!("{path}/events"), Some(&resident)).await;
    let reasons: Vec<&Value> = events.body.as_array().unwrap().iter().map(|e| &e["reason"]).collect();
    assert!(
        reasons.contains(&&json!("changed: description, preferred windows")),
        "{}",
        events.text
    );

    // Someone else's order is not theirs to change; bad input changes nothing.
    let (other, _) = resident_with_order(&w, "ander@example.nl", "302").await;
    w.app
        .patch(&path, Some(&other), json!({"description": "Alles weg"}))
        .await
        .assert_problem(404, "not_found");
    for (body, code) in [
        (json!({}), "nothing_to_change"),
        (json!({"description": " "}), "required"),
        (
            json!({"preferred_windows": [{"date": "2020-01-01", "dagdeel": "morning"}]}),
            "date_in_past",
        ),
    ] {
        let refused = w.app.patch(&path, Some(&resident), body.clone()).await;
        refused.assert_problem(422, "validation_failed");
        assert_eq!(refused.body["errors"][0]["code"], code, "{body}: {}", refused.text);
    }
    let seen = w.app.get(&path, Some(&resident)).await;
    assert_eq!(seen.body["description"], "Ook de haag aan de voorkant");

    // Planned (this evening or tomorrow evening, after the crew's schedule round): the
    // time is the servicepunt's now, the task still the resident's, and the crew hears it.
    let crew = participant_with_address(&w, "Klusser Karel", "karel@example.nl").await;
    let planned = assign(&w, job, &[crew], &local_span(day, 20, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    w.app
        .patch(&path, Some(&resident), json!({"preferred_windows": []}))
        .await
        .assert_problem(409, "not_changeable");
    let told = schedules(&w).await.len();
    let task = w
        .app
        .patch(&path, Some(&resident), json!({"description": "Alleen de achterkant"}))
        .await;
    assert_eq!(task.status, 200, "{}", task.text);
    let mails = schedules(&w).await;
    assert_eq!(mails.len(), told + 1);
    assert_eq!(
        mails[told],
        ("karel@example.nl".to_owned(), true, vec!["20:00".to_owned()])
    );

    // Once the crew is there, the task stays as it was.
    let started = w
        .app
        .post(
            &format!("/api/v1/assignments/{}/start", planned.body["id"]),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    assert_eq!(started.status, 204, "{}", started.text);
    w.app
        .patch(&path, Some(&resident), json!({"description": "Toch de voorkant"}))
        .await
        .assert_problem(409, "not_changeable");
}
