//! Progress reviews: the coach writes down each talk with the participant and the step of
//! the participation ladder they stand on; the participant reads their own way up; the
//! coordinator sees the moves in figures, never a name or a summary.

use chrono::{Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::clock;

use crate::audit_trail::audit_entries;
use crate::helpers::{Reply, World, count_rows, world};
use crate::hours::participant_account;

const COUNT: &str = "SELECT COUNT(*) AS n FROM progress_reviews";

fn review(held_on: NaiveDate, step: i64, summary: &str) -> Value {
    json!({"held_on": held_on, "ladder_step": step, "summary": summary})
}

async fn write(w: &World, trajectory: i64, token: &str, body: Value) -> Reply {
    let path = format!("/api/v1/trajectories/{trajectory}/reviews");
    w.app.post(&path, Some(token), body).await
}

async fn correct(w: &World, trajectory: i64, id: &Value, body: Value) -> Reply {
    let path = format!("/api/v1/trajectories/{trajectory}/reviews/{id}");
    w.app.call(Method::PUT, &path, Some(&w.coordinator), Some(body)).await
}

async fn first_trajectory(w: &World, participant: i64) -> i64 {
    let path = format!("/api/v1/participants/{participant}/trajectories");
    let list = w.app.get(&path, Some(&w.coordinator)).await;
    list.body[0]["id"].as_i64().unwrap()
}

fn steps(reply: &Reply) -> Vec<(i64, Value)> {
    let list = reply.body.as_array().unwrap_or_else(|| panic!("{}", reply.text));
    list.iter()
        .map(|r| (r["ladder_step"].as_i64().unwrap(), r["ladder_change"].clone()))
        .collect()
}

#[actix_web::test]
async fn the_coach_writes_reviews_down_and_the_participant_reads_the_way_up() {
    let w = world().await;
    let (token, p) = participant_account(&w, "els@deelnemer.example").await;
    let (other, _) = participant_account(&w, "teun@deelnemer.example").await;
    let trajectory = first_trajectory(&w, p).await;
    let today = clock::today();
    let started = today - Duration::days(30);
    let coach = w.coordinator.clone();

    // Everything wrong is said at once, and nothing is written.
    let bad = write(&w, trajectory, &coach, review(today + Duration::days(1), 7, " ")).await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.error_fields(), ["held_on", "ladder_step", "summary"]);
    let early = write(&w, trajectory, &coach, review(started - Duration::days(1), 2, "x")).await;
    assert_eq!(early.body["errors"][0]["code"], "before_trajectory", "{}", early.text);
    assert_eq!(count_rows(&w.app, COUNT).await, 0);

    let first = write(&w, trajectory, &coach, review(started, 2, "Komt nog niet op tijd")).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["ladder_step_name"], "sociale contacten buiten de deur");
    assert_eq!(first.body["ladder_change"], Value::Null);
    write(&w, trajectory, &coach, review(started, 3, "Nog eens"))
        .await
        .assert_problem(409, "review_exists");
    let now = write(
        &w,
        trajectory,
        &coach,
        review(today, 4, "Sluit de dag af, allemaal plusjes"),
    )
    .await;
    assert_eq!(now.status, 201, "{}", now.text);
    assert_eq!(now.body["ladder_change"], 2);

    // The participant reads their own, newest first; another participant none of them.
    let mine = w.app.get("/api/v1/me/reviews", Some(&token)).await;
    assert_eq!(steps(&mine), [(4, json!(2)), (2, Value::Null)]);
    assert_eq!(mine.body[0]["summary"], "Sluit de dag af, allemaal plusjes");
    let theirs = w.app.get("/api/v1/me/reviews", Some(&other)).await;
    assert_eq!(theirs.body, json!([]), "{}", theirs.text);

    // A correction moves the change of the review after it; the same again changes nothing.
    let fixed = correct(
        &w,
        trajectory,
        &first.body["id"],
        review(started, 1, "Komt nog niet op tijd"),
    )
    .await;
    assert_eq!(fixed.status, 200, "{}", fixed.text);
    assert!(fixed.body["corrected_at"].is_string(), "{}", fixed.text);
    let again = correct(
        &w,
        trajectory,
        &first.body["id"],
        review(started, 1, "Komt nog niet op tijd"),
    )
    .await;
    assert_eq!(again.body["corrected_at"], fixed.body["corrected_at"]);
    let list = format!("/api/v1/trajectories/{trajectory}/reviews");
    assert_eq!(
        steps(&w.app.get(&list, Some(&coach)).await),
        [(4, json!(3)), (1, Value::Null)]
    );
    correct(&w, trajectory, &now.body["id"], review(started, 4, "Verzet"))
        .await
        .assert_problem(409, "review_exists");
    let elsewhere = first_trajectory(
        &w,
        crate::hours::participant_account(&w, "ali@deelnemer.example").await.1,
    )
    .await;
    correct(&w, elsewhere, &first.body["id"], review(started, 2, "Niet van hem"))
        .await
        .assert_problem(404, "not_found");

    // Only their coach (and the coordinator) read or write them.
    w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let stranger = w.app.login("karim@coach.example").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    w.app.get(&list, Some(&stranger)).await.assert_problem(404, "not_found");
    write(&w, trajectory, &stranger, review(today - Duration::days(1), 3, "x"))
        .await
        .assert_problem(404, "not_found");
    w.app
        .get(&list, Some(&w.werkleider))
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(count_rows(&w.app, COUNT).await, 2);

    // Who wrote and read them is in the audit log against the participant.
    let log = audit_entries(&w, &format!("participant:{p}")).await;
    for expected in [
        ("change", "POST /api/v1/trajectories/{id}/reviews", 201, Some(p)),
        (
            "change",
            "PUT /api/v1/trajectories/{id}/reviews/{review_id}",
            200,
            Some(p),
        ),
        ("read", "GET /api/v1/trajectories/{id}/reviews", 200, Some(p)),
    ] {
        let expected = (expected.0.to_owned(), expected.1.to_owned(), expected.2, expected.3);
        assert!(log.contains(&expected), "{expected:?} in {log:?}");
    }
}

/// The exit review is often written up after the trajectory ended; one held after its
/// last day is not.
#[actix_web::test]
async fn an_exit_review_is_written_after_the_trajectory_ended_and_the_export_holds_it() {
    let w = world().await;
    let (_, p) = participant_account(&w, "klaar@deelnemer.example").await;
    let today = clock::today();
    let last_day = today - Duration::days(3);
    let trajectory = crate::helpers::end_trajectory(&w.app, &w.coordinator, p, last_day).await;
    let after = write(
        &w,
        trajectory,
        &w.coordinator,
        review(last_day + Duration::days(1), 5, "x"),
    )
    .await;
    assert_eq!(after.body["errors"][0]["code"], "after_trajectory", "{}", after.text);
    let exit = write(
        &w,
        trajectory,
        &w.coordinator,
        review(last_day, 5, "Vaste baan bij de kwekerij"),
    )
    .await;
    assert_eq!(exit.status, 201, "{}", exit.text);

    let export = w
        .app
        .get(&format!("/api/v1/participants/{p}/export"), Some(&w.coordinator))
        .await;
    let reviews = &export.body["trajectories"][0]["reviews"];
    assert_eq!(reviews[0]["summary"], "Vaste baan bij de kwekerij", "{}", export.text);

    crate::helpers::erase_participant(&w.app, &w.coordinator, p).await;
    assert_eq!(count_rows(&w.app, COUNT).await, 0, "reviews go with the erasure");
    write(
        &w,
        trajectory,
        &w.coordinator,
        review(last_day - Duration::days(1), 5, "x"),
    )
    .await
    .assert_problem(409, "participant_erased");
}

#[actix_web::test]
async fn the_ladder_report_counts_moves_and_names_no_one() {
    let w = world().await;
    let today = clock::today();
    let (_, up) = participant_account(&w, "omhoog@deelnemer.example").await;
    let (_, once) = participant_account(&w, "eenmaal@deelnemer.example").await;
    let (up_t, once_t) = (first_trajectory(&w, up).await, first_trajectory(&w, once).await);
    let c = w.coordinator.clone();
    for (t, days_ago, step) in [(up_t, 30, 2), (up_t, 10, 3), (up_t, 2, 4), (once_t, 5, 1)] {
        let summary = format!("Gesprek van {days_ago} dagen geleden");
        let reply = write(&w, t, &c, review(today - Duration::days(days_ago), step, &summary)).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }

    let from = today - Duration::days(14);
    let path = format!("/api/v1/reports/ladder?from={from}&to={today}");
    let report = w.app.get(&path, Some(&c)).await;
    assert_eq!(report.status, 200, "{}", report.text);
    assert_eq!(report.body["reviews"], 3, "{}", report.text);
    let total = &report.body["total"];
    let moves = ["reviewed", "moved_up", "stayed", "moved_down", "first_review"].map(|k| total[k].clone());
    assert_eq!(moves, [2, 1, 0, 0, 1].map(|n| json!(n)), "{}", report.text);
    let on: Vec<i64> = total["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["participants"].as_i64().unwrap())
        .collect();
    assert_eq!(on, [1, 0, 0, 1, 0, 0]);
    assert_eq!(report.body["kinds"][0]["kind"], "participatiebaan");
    assert!(!report.text.contains("Gesprek"), "no summaries: {}", report.text);
    assert!(!report.text.contains("deelnemer"), "no names: {}", report.text);

    let backwards = format!("/api/v1/reports/ladder?from={today}&to={from}");
    w.app
        .get(&backwards, Some(&c))
        .await
        .assert_problem(422, "validation_failed");
    w.app
        .get(&path, Some(&w.werkleider))
        .await
        .assert_problem(403, "forbidden");
}

/// A coach sees whose review is due: the first from a trajectory's first day, then a
/// month after the last; only their own caseload.
#[actix_web::test]
async fn a_coach_sees_whose_review_is_due() {
    let w = world().await;
    let today = clock::today();
    let coach_id = w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let karim = w.app.login("karim@coach.example").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut theirs = vec![];
    for email in [
        "nooit@deelnemer.example",
        "lang@deelnemer.example",
        "pas@deelnemer.example",
    ] {
        let (_, p) = participant_account(&w, email).await;
        let assign = json!({"coach_user_id": coach_id});
        let path = format!("/api/v1/participants/{p}");
        let moved = w
            .app
            .call(Method::PATCH, &path, Some(&w.coordinator), Some(assign))
            .await;
        assert_eq!(moved.status, 200, "{}", moved.text);
        theirs.push(first_trajectory(&w, p).await);
    }
    let (_, elses) = participant_account(&w, "ander@deelnemer.example").await;
    let started = today - Duration::days(30);
    let long_ago = review(today - Duration::days(29), 2, "Een maand geleden, bijna");
    assert_eq!(write(&w, theirs[1], &karim, long_ago).await.status, 201);
    assert_eq!(
        write(&w, theirs[2], &karim, review(today, 3, "Vandaag")).await.status,
        201
    );

    let due = w.app.get("/api/v1/trajectories/reviews-due", Some(&karim)).await;
    assert_eq!(due.status, 200, "{}", due.text);
    let list: Vec<(i64, Value, Value)> = due
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["trajectory"]["id"].as_i64().unwrap(),
                d["last_review_on"].clone(),
                d["due_on"].clone(),
            )
        })
        .collect();
    assert_eq!(list, [(theirs[0], Value::Null, json!(started))], "{}", due.text);
    assert_eq!(due.body[0]["participant_name"], "Deelnemer nooit@deelnemer.example");

    // Not the one reviewed 29 days ago, nor today's; the coordinator sees everyone's.
    let all = w
        .app
        .get("/api/v1/trajectories/reviews-due", Some(&w.coordinator))
        .await;
    let ids: Vec<i64> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["trajectory"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [theirs[0], first_trajectory(&w, elses).await], "{}", all.text);
}
