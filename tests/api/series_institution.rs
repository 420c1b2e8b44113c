//! A recurring visit on an institution's account: a care home's weekly visit for one of
//! its residents is charged to the home, visit by visit, as a one-off order would be.

use serde_json::{Value, json};

use crate::cheques::resident;
use crate::helpers::{World, world};
use crate::series::{run_round, shift_weekday, shopping, start, weekly};

pub async fn institution(w: &World, name: &str) -> i64 {
    let made = w
        .app
        .post(
            "/api/v1/institutions",
            Some(&w.coordinator),
            json!({"name": name, "hourly_rate_cents": 3250}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    made.body["id"].as_i64().unwrap()
}

/// The institution on each visit's job, by date.
async fn paid_by(w: &World, series: &Value) -> Vec<Value> {
    let mut payers = Vec::new();
    for visit in series["visits"].as_array().unwrap() {
        let job = w
            .app
            .get(&format!("/api/v1/jobs/{}", visit["job_id"]), Some(&w.werkleider))
            .await;
        payers.push(job.body["institution_id"].clone());
    }
    payers
}

#[actix_web::test]
async fn every_visit_of_a_care_home_series_is_on_its_account() {
    let w = world().await;
    let shop = shopping(&w).await;
    let home = institution(&w, "Woonzorgcentrum De Hoven").await;
    let bewoner = resident(&w, "Bewoner De Hoven", Some("1938-05-05"), "70").await;
    let mut body = weekly(shop);
    body["recipient_id"] = json!(bewoner);
    body["institution_id"] = json!(home);
    let started = start(&w, &w.werkleider, body.clone()).await;
    assert_eq!(started.status, 201, "{}", started.text);
    assert_eq!(started.body["institution_id"], home);
    let id = started.body["id"].as_i64().unwrap();
    shift_weekday(&w, id, 3).await;
    assert_eq!(run_round(&w).await.ordered, 2);
    let series = w
        .app
        .get(&format!("/api/v1/job-series/{id}"), Some(&w.werkleider))
        .await;
    assert_eq!(paid_by(&w, &series.body).await, vec![json!(home); 4], "{}", series.text);

    // A resident cannot put their series on an institution's account.
    let (token, _, _) = w.app.register_resident("zelf@example.nl").await;
    let mut own = weekly(shop);
    own["institution_id"] = json!(home);
    let refused = start(&w, &token, own).await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(refused.body["errors"][0]["code"], "staff_only", "{}", refused.text);

    // The home no longer takes work on its account: the series stops at its next visit,
    // with that as the reason, and no visit goes to the resident's cheques instead.
    let off = w
        .app
        .patch(
            &format!("/api/v1/institutions/{home}"),
            Some(&w.coordinator),
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.text);
    shift_weekday(&w, id, 1).await;
    assert_eq!(run_round(&w).await.stopped, 1);
    let stopped = w
        .app
        .get(&format!("/api/v1/job-series/{id}"), Some(&w.werkleider))
        .await;
    assert_eq!(stopped.body["stop_reason"], "unknown_institution", "{}", stopped.text);
    assert_eq!(paid_by(&w, &stopped.body).await, vec![json!(home); 4]);
}
