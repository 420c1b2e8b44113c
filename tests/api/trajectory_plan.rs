//! The trajectory plan: the coach writes the goals down with the participant, who reads
//! them in the app and signs; a change needs signing again. Only they two (and the
//! coordinator) read it; it is in the participant's export and goes with their erasure.

use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::audit_trail::audit_entries;
use crate::helpers::{World, count_rows, world};
use crate::hours::participant_account;
use crate::planned_work::mails;

async fn write(w: &World, trajectory: i64, token: &str, goals: Value) -> crate::helpers::Reply {
    let path = format!("/api/v1/trajectories/{trajectory}/plan");
    w.app
        .call(Method::PUT, &path, Some(token), Some(json!({"goals": goals})))
        .await
}

async fn sign(w: &World, token: &str, version: i64) -> crate::helpers::Reply {
    w.app
        .post("/api/v1/me/plan/sign", Some(token), json!({"version": version}))
        .await
}

#[actix_web::test]
async fn the_participant_reads_and_signs_the_plan_the_coach_wrote() {
    let w = world().await;
    let (token, p) = participant_account(&w, "els@deelnemer.example").await;
    let (other, _) = participant_account(&w, "teun@deelnemer.example").await;
    let coach = w.coordinator.clone();
    let list = w
        .app
        .get(&format!("/api/v1/participants/{p}/trajectories"), Some(&coach))
        .await;
    let trajectory = list.body[0]["id"].as_i64().unwrap();

    w.app
        .get("/api/v1/me/plan", Some(&token))
        .await
        .assert_problem(404, "not_found");
    let bad = write(&w, trajectory, &coach, json!(["Op tijd komen", "  "])).await;
    assert_eq!(bad.error_fields(), ["goals[1]"], "{}", bad.text);
    assert_eq!(write(&w, trajectory, &coach, json!([])).await.error_fields(), ["goals"]);
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM trajectory_plans").await,
        0
    );

    let goals = json!([
        "Elke dag op tijd op het servicepunt",
        "Zelfstandig een tuin onderhouden"
    ]);
    let first = write(&w, trajectory, &coach, goals.clone()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["version"], 1);
    assert_eq!(first.body["signed_at"], Value::Null);
    // Another coach's participant is not found; a werkleider may not read plans at all.
    w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let stranger = w.app.login("karim@coach.example").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/trajectories/{trajectory}/plan");
    w.app.get(&path, Some(&stranger)).await.assert_problem(404, "not_found");
    w.app
        .get(&path, Some(&w.werkleider))
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get("/api/v1/me/plan", Some(&other))
        .await
        .assert_problem(404, "not_found");

    // Told there is a plan to read, not what it says.
    let told = mails(&w, "plan_written").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].0, "els@deelnemer.example");
    assert_eq!(told[0].1["version"], 1);
    assert!(!told[0].1.to_string().contains("tuin"), "{:?}", told[0].1);

    let mine = w.app.get("/api/v1/me/plan", Some(&token)).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(mine.body["goals"], goals);
    let signed = sign(&w, &token, 1).await;
    assert_eq!(signed.status, 200, "{}", signed.text);
    assert!(signed.body["signed_at"].is_string(), "{}", signed.text);
    let again = sign(&w, &token, 1).await;
    assert_eq!(again.body["signed_at"], signed.body["signed_at"], "signed once");

    // The same goals change nothing; new goals are a version to sign again.
    assert_eq!(write(&w, trajectory, &coach, goals.clone()).await.body["version"], 1);
    let changed = write(&w, trajectory, &coach, json!(["Rijbewijs halen"])).await;
    assert_eq!(changed.body["version"], 2, "{}", changed.text);
    assert_eq!(changed.body["signed_at"], Value::Null);
    assert_eq!(mails(&w, "plan_written").await.len(), 2, "once per new version");
    sign(&w, &token, 1).await.assert_problem(409, "plan_changed");
    assert!(sign(&w, &token, 2).await.body["signed_at"].is_string());
    let read = w.app.get(&path, Some(&coach)).await;
    assert_eq!(read.body["goals"], json!(["Rijbewijs halen"]));
    assert!(read.body["signed_at"].is_string(), "the coach sees it signed");

    // Who read and wrote it is in the audit log; the export holds every version.
    let log = audit_entries(&w, &format!("participant:{p}")).await;
    for expected in [
        ("change", "PUT /api/v1/trajectories/{id}/plan", 200, Some(p)),
        ("read", "GET /api/v1/trajectories/{id}/plan", 200, Some(p)),
    ] {
        let expected = (expected.0.to_owned(), expected.1.to_owned(), expected.2, expected.3);
        assert!(log.contains(&expected), "{expected:?} in {log:?}");
    }
    let export = w
        .app
        .get(&format!("/api/v1/participants/{p}/export"), Some(&w.coordinator))
        .await;
    let plans = &export.body["trajectories"][0]["plans"];
    assert_eq!(plans.as_array().unwrap().len(), 2, "{}", export.text);
    assert_eq!(plans[0]["goals"], goals);

    crate::helpers::erase_participant(&w.app, &w.coordinator, p).await;
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM trajectory_plans").await,
        0
    );
    write(&w, trajectory, &coach, goals)
        .await
        .assert_problem(409, "participant_erased");
}

/// At intake the plan is written and signed before the trajectory's first day.
#[actix_web::test]
async fn the_plan_of_the_next_trajectory_is_signed_before_it_starts() {
    let w = world().await;
    let (token, p) = participant_account(&w, "nieuw@deelnemer.example").await;
    let today = servicepunt::clock::today();
    crate::helpers::end_trajectory(&w.app, &w.coordinator, p, today - chrono::Duration::days(1)).await;
    let next = json!({"kind": "detachering", "starts_on": today + chrono::Duration::days(7)});
    let next = crate::helpers::start_trajectory(&w.app, &w.coordinator, p, next).await;
    let next = next["id"].as_i64().unwrap();

    let goals = json!(["Zelfstandig werken bij de kwekerij"]);
    assert_eq!(write(&w, next, &w.coordinator, goals.clone()).await.status, 200);
    let mine = w.app.get("/api/v1/me/plan", Some(&token)).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(mine.body["trajectory_id"], next);
    assert_eq!(mine.body["goals"], goals);
    assert!(sign(&w, &token, 1).await.body["signed_at"].is_string());
}
