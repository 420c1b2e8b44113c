//! Stopping a recurring visit for good (a move into care, a long stay in hospital): with
//! `cancel_visits` the visits ordered already go too, each as a cancellation of its own.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{World, count_rows, create_participant, execute_sql, local_span};
use crate::planning::assign;
use crate::series::{Started, run_round, shift_weekday, weekly_series};

async fn count(w: &World, sql: String) -> i64 {
    count_rows(&w.app, format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {sql}")).await
}

/// Each visit's job id and status, by date.
fn visits(series: &Value) -> Vec<(i64, String)> {
    let visits = series["visits"].as_array().unwrap().iter();
    visits
        .map(|v| (v["job_id"].as_i64().unwrap(), v["status"].as_str().unwrap().to_owned()))
        .collect()
}

#[actix_web::test]
async fn stopping_with_cancel_visits_cancels_what_has_not_begun() {
    let Started { w, token, id, .. } = weekly_series("verhuist@example.nl").await;
    // Two more visits, on another weekday (as if time had passed).
    shift_weekday(&w, id, 3).await;
    assert_eq!(run_round(&w).await.ordered, 2);
    let before = w.app.get(&format!("/api/v1/job-series/{id}"), Some(&token)).await;
    let [(begun, _), (planned, _), (waiting, _), (last, _)] = visits(&before.body)[..] else {
        panic!("four visits expected: {}", before.text);
    };
    // The first visit is under way; the second is planned, eight days from now.
    execute_sql(
        &w.app,
        format!("UPDATE jobs SET status = 'in_progress' WHERE id = {begun}"),
    )
    .await;
    let els = create_participant(&w.app, &w.coordinator, "Els", "solo_klus").await;
    let day = servicepunt::clock::today() + Duration::days(8);
    let assigned = assign(&w, planned, &[els], &local_span(day, 10, 60)).await;
    assert_eq!(assigned.status, 201, "{}", assigned.text);

    let stopped = w
        .app
        .post(
            &format!("/api/v1/job-series/{id}/stop"),
            Some(&token),
            json!({"cancel_visits": true, "reason": "Verhuisd naar het verzorgingshuis"}),
        )
        .await;
    assert_eq!(stopped.status, 200, "{}", stopped.text);
    assert_eq!(stopped.body["stop_reason"], "stopped");
    let cancelled = |job: i64| (job, "cancelled".to_owned());
    assert_eq!(
        visits(&stopped.body),
        [
            (begun, "in_progress".to_owned()),
            cancelled(planned),
            cancelled(waiting),
            cancelled(last)
        ],
        "{}",
        stopped.text
    );
    // Each cancelled as one at a time would be: the reason on it, the crew freed, the
    // resident told, and a week ahead not late.
    let with_reason = "job_events WHERE to_status = 'cancelled' AND reason = 'Verhuisd naar het verzorgingshuis'";
    assert_eq!(count(&w, with_reason.to_owned()).await, 3);
    let crew = format!("assignment_members WHERE participant_id = {els}");
    assert_eq!(count(&w, crew).await, 0);
    assert_eq!(count(&w, "outbox WHERE template = 'job_cancelled'".to_owned()).await, 3);
    assert_eq!(count(&w, "jobs WHERE cancelled_late".to_owned()).await, 0);

    // Asked again, nothing more to cancel and nothing ordered.
    let again = w
        .app
        .post(
            &format!("/api/v1/job-series/{id}/stop"),
            Some(&token),
            json!({"cancel_visits": true}),
        )
        .await;
    assert_eq!(again.body["visits"], stopped.body["visits"], "{}", again.text);
    assert_eq!(run_round(&w).await.ordered, 0);
    assert_eq!(count(&w, "outbox WHERE template = 'job_cancelled'".to_owned()).await, 3);
}

#[actix_web::test]
async fn a_stop_refused_for_its_reason_leaves_the_series_running() {
    let Started { w, token, id, .. } = weekly_series("lang@example.nl").await;
    let path = format!("/api/v1/job-series/{id}/stop");
    let long = "x".repeat(1001);
    let refused = w
        .app
        .post(&path, Some(&token), json!({"cancel_visits": true, "reason": long}))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["errors"][0]["code"], "too_long", "{}", refused.text);
    let unknown = w.app.post(&path, Some(&token), json!({"cancel": true})).await;
    unknown.assert_problem(400, "invalid_body");
    assert_eq!(count(&w, "job_series WHERE stopped_at IS NULL".to_owned()).await, 1);
    assert_eq!(count(&w, "jobs WHERE status = 'cancelled'".to_owned()).await, 0);
    // Another resident cannot stop it.
    let (other, _, _) = w.app.register_resident("buren@example.nl").await;
    let stranger = w.app.post(&path, Some(&other), json!({"cancel_visits": true})).await;
    stranger.assert_problem(404, "not_found");
    assert_eq!(count(&w, "jobs WHERE status = 'cancelled'".to_owned()).await, 0);
}
