//! The coordinator's report of trajectories in and out over a period, for the
//! municipality: by kind, who ran, started, ended and why, counts only.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{bare_participant, create_participant, end_trajectory, start_trajectory, world};

#[actix_web::test]
async fn the_flow_counts_who_came_went_on_and_left_without_naming_anyone() {
    let w = world().await;
    let (app, coordinator) = (&w.app, w.coordinator.as_str());
    let today = servicepunt::clock::today();
    let day = |n: i64| today - Duration::days(n);

    // Een: a participatiebaan begun in the period, ended early for regular work.
    let een = create_participant(app, coordinator, "Een Eerste", "solo_klus").await;
    end_trajectory(app, coordinator, een, day(5)).await;
    // Twee: an orientation from before the period, then a participatiebaan still running.
    let twee = bare_participant(app, coordinator, "Twee Tweede").await;
    start_trajectory(
        app,
        coordinator,
        twee,
        json!({"kind": "orientation", "starts_on": day(100)}),
    )
    .await;
    start_trajectory(
        app,
        coordinator,
        twee,
        json!({"kind": "participatiebaan", "starts_on": day(43)}),
    )
    .await;
    // Drie: a detachering from before the period that reached its last day in it.
    let drie = bare_participant(app, coordinator, "Drie Derde").await;
    let detachering = json!({"kind": "detachering", "starts_on": day(200), "ends_on": day(20)});
    start_trajectory(app, coordinator, drie, detachering).await;

    let path = format!("/api/v1/reports/trajectories?from={}&to={}", day(60), day(1));
    let report = app.get(&path, Some(coordinator)).await;
    assert_eq!(report.status, 200, "{}", report.text);
    let flows: Vec<(&str, i64, i64, i64, i64)> = report.body["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let n = |f: &str| k[f].as_i64().unwrap();
            (
                k["kind"].as_str().unwrap(),
                n("at_start"),
                n("started"),
                n("ended"),
                n("at_end"),
            )
        })
        .collect();
    assert_eq!(
        flows,
        [
            ("detachering", 1, 0, 1, 0),
            ("orientation", 1, 0, 1, 0),
            ("participatiebaan", 0, 2, 1, 1),
        ],
        "{}",
        report.text
    );
    assert_eq!(
        report.body["total"]["exits"],
        json!([{"key": "continued", "count": 1}, {"key": "reached_end", "count": 1}, {"key": "regular_work", "count": 1}])
    );
    assert_eq!(report.body["left"], 2);
    assert!(!report.text.contains("Eerste") && !report.text.contains("participant_id"));

    let backwards = format!("/api/v1/reports/trajectories?from={}&to={}", day(1), day(60));
    app.get(&backwards, Some(coordinator))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(app.get(&path, Some(&w.werkleider)).await.status, 403);
}
