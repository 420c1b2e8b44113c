//! Ramp-up plans: fewer hours a week than contracted for a while, step by step; planning
//! keeps to them and the participant reads theirs.

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::helpers::{World, create_participant, next_local, world};
use crate::planning::{assign, unassign, waitlisted_job};

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

async fn set_plan(w: &World, token: &str, participant: i64, steps: Value) -> crate::helpers::Reply {
    w.app
        .call(
            Method::PUT,
            &format!("/api/v1/participants/{participant}/ramp-up"),
            Some(token),
            Some(json!({ "steps": steps })),
        )
        .await
}

#[actix_web::test]
async fn planning_keeps_to_a_ramp_up_plan_and_the_participant_reads_it() {
    let w = world().await;
    let (token, me) = crate::on_call::participant_with_app(&w, "priya@deelnemer.example").await;
    let today = servicepunt::clock::today();
    let later = today + Duration::days(14);
    let span = next_local(9, 120);

    // One hour a week from this week, twenty from the week two weeks on: given in any
    // order, kept from each week's Monday.
    let set = set_plan(
        &w,
        &w.werkleider,
        me,
        json!([
            {"from": later, "hours_per_week": 20},
            {"from": today, "hours_per_week": 1},
        ]),
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let expected_steps = json!([
        {"week_start": monday(today), "minutes_per_week": 60},
        {"week_start": monday(later), "minutes_per_week": 1200},
    ]);
    assert_eq!(set.body["steps"], expected_steps);
    assert_eq!(set.body["minutes_this_week"], 60);
    assert_eq!(set.body["contracted_minutes_per_week"], 2400);
    assert_eq!(set.body["over_hours"], json!([]));
    // The participant is mailed their hours; the same plan again changes nothing.
    let same = set_plan(
        &w,
        &w.werkleider,
        me,
        json!([{"from": today, "hours_per_week": 1}, {"from": later, "hours_per_week": 20}]),
    )
    .await;
    assert_eq!(same.body["steps"], expected_steps, "{}", same.text);
    // A step of weeks gone by corrected: the hours to come are the same, no mail.
    let past = today - Duration::days(21);
    let corrected = set_plan(
        &w,
        &w.werkleider,
        me,
        json!([
            {"from": past, "hours_per_week": 1},
            {"from": today, "hours_per_week": 1},
            {"from": later, "hours_per_week": 20},
        ]),
    )
    .await;
    assert_eq!(
        corrected.body["steps"].as_array().unwrap().len(),
        3,
        "{}",
        corrected.text
    );
    let mailed = crate::planned_work::mails(&w, "ramp_up_changed").await;
    assert_eq!(mailed.len(), 1, "{mailed:?}");
    assert_eq!(mailed[0].0, "priya@deelnemer.example");
    assert_eq!(
        mailed[0].1["steps"],
        json!([{"from": monday(today), "hours": 1}, {"from": monday(later), "hours": 20}])
    );

    // Two hours of work is more than the plan allows that week (today or tomorrow, both
    // before the second step).
    let job = waitlisted_job(&w, w.hedge, 120).await;
    let refused = assign(&w, job, &[me], &span).await;
    refused.assert_problem(422, "weekly_hours_exceeded");
    assert!(refused.text.contains("ramp-up plan"), "{}", refused.text);

    // The participant reads this week's hours and the steps to come.
    let own = w.app.get("/api/v1/me/participant", Some(&token)).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.body["minutes_this_week"], 60);
    assert_eq!(own.body["ramp_up"], expected_steps);
    // The werkleider sees it on the profile and in the list.
    let profile = w
        .app
        .get(&format!("/api/v1/participants/{me}"), Some(&w.werkleider))
        .await;
    assert_eq!(profile.body["minutes_this_week"], 60, "{}", profile.text);
    assert_eq!(profile.body["contracted_minutes_per_week"], 2400);
    let list = w.app.get("/api/v1/participants", Some(&w.werkleider)).await;
    let listed = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == me)
        .cloned()
        .unwrap();
    assert_eq!(listed["minutes_this_week"], 60, "{}", list.text);

    // Without the plan the contract holds again.
    let path = format!("/api/v1/participants/{me}/ramp-up");
    let removed = w.app.call(Method::DELETE, &path, Some(&w.werkleider), None).await;
    assert_eq!(removed.status, 204, "{}", removed.text);
    let mailed = crate::planned_work::mails(&w, "ramp_up_changed").await;
    assert_eq!(mailed.len(), 2, "{mailed:?}");
    assert_eq!(mailed[1].1["steps"], json!([]), "the plan is over");
    assert_eq!(mailed[1].1["contracted_hours"], 40);
    let again = w.app.call(Method::DELETE, &path, Some(&w.werkleider), None).await;
    assert_eq!(again.status, 204, "{}", again.text);
    assert_eq!(crate::planned_work::mails(&w, "ramp_up_changed").await.len(), 2);
    let read = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(read.body["steps"], json!([]), "{}", read.text);
    assert_eq!(read.body["minutes_this_week"], 2400);
    let planned = assign(&w, job, &[me], &span).await;
    assert_eq!(planned.status, 201, "{}", planned.text);

    // A plan set over work already planned names the week, and the broken-work list marks
    // the work for the werkleider to re-plan.
    let again = set_plan(&w, &w.werkleider, me, json!([{"from": today, "hours_per_week": 1}])).await;
    assert_eq!(again.status, 200, "{}", again.text);
    let work_day: NaiveDate = span.0[..10].parse().unwrap();
    assert_eq!(
        again.body["over_hours"],
        json!([{"week_start": monday(work_day), "planned_minutes": 120, "allowed_minutes": 60}])
    );
    let broken = w.app.get("/api/v1/planning/broken-work", Some(&w.werkleider)).await;
    assert_eq!(broken.status, 200, "{}", broken.text);
    let codes: Vec<&str> = broken.body.as_array().unwrap()[0]["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["weekly_hours_exceeded"], "{}", broken.text);
    let unplanned = unassign(&w, planned.body["id"].as_i64().unwrap()).await;
    assert_eq!(unplanned.status, 204, "{}", unplanned.text);
    let read = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(read.body["over_hours"], json!([]), "{}", read.text);
}

#[actix_web::test]
async fn a_wrong_plan_is_refused_whole_and_the_old_one_stays() {
    let w = world().await;
    let me = create_participant(&w.app, &w.coordinator, "Ramon Opbouw", "solo_klus").await;
    let today = servicepunt::clock::today();
    let kept = set_plan(&w, &w.werkleider, me, json!([{"from": today, "hours_per_week": 16}])).await;
    assert_eq!(kept.status, 200, "{}", kept.text);

    // Every wrong step at once: no hours, two steps in one week, above the contract.
    let wrong = set_plan(
        &w,
        &w.werkleider,
        me,
        json!([
            {"from": today, "hours_per_week": 0},
            {"from": today, "hours_per_week": 20},
            {"from": today + Duration::days(7), "hours_per_week": 41},
        ]),
    )
    .await;
    wrong.assert_problem(422, "validation_failed");
    assert_eq!(
        wrong.error_fields(),
        ["steps[0].hours_per_week", "steps[1].from", "steps[2].hours_per_week"]
    );
    let codes: Vec<&str> = wrong.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["out_of_range", "same_week", "above_contracted_hours"]);
    set_plan(&w, &w.werkleider, me, json!([]))
        .await
        .assert_problem(422, "validation_failed");
    set_plan(
        &w,
        &w.werkleider,
        me,
        json!([{"from": "gisteren", "hours_per_week": 8}]),
    )
    .await
    .assert_problem(400, "invalid_body");
    let path = format!("/api/v1/participants/{me}/ramp-up");
    let read = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(read.body["steps"][0]["minutes_per_week"], 960, "{}", read.text);
    assert_eq!(read.body["steps"].as_array().unwrap().len(), 1);

    // A coach sees and sets only their own caseload's; no one else at all.
    let coach = w.app.token_for(Role::Trajectbegeleider).await;
    w.app.get(&path, Some(&coach)).await.assert_problem(404, "not_found");
    set_plan(&w, &coach, me, json!([{"from": today, "hours_per_week": 8}]))
        .await
        .assert_problem(404, "not_found");
    let finance = w.app.token_for(Role::Finance).await;
    w.app.get(&path, Some(&finance)).await.assert_problem(403, "forbidden");
}

/// A plan come to the whole contracted week does not hold a raised contract back: its
/// steps at the old contract follow the new one; the steps below it stay.
#[actix_web::test]
async fn steps_at_the_whole_contract_follow_a_change_of_it() {
    let w = world().await;
    let me = create_participant(&w.app, &w.coordinator, "Ruben Opbouw", "solo_klus").await;
    let today = servicepunt::clock::today();
    let later = today + Duration::days(7);
    let set = set_plan(
        &w,
        &w.werkleider,
        me,
        json!([{"from": today, "hours_per_week": 16}, {"from": later, "hours_per_week": 40}]),
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let path = format!("/api/v1/participants/{me}");
    let raised = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"contracted_hours_per_week": 36}))
        .await;
    assert_eq!(raised.status, 200, "{}", raised.text);
    let raised = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"contracted_hours_per_week": 38}))
        .await;
    assert_eq!(raised.status, 200, "{}", raised.text);
    let plan = w.app.get(&format!("{path}/ramp-up"), Some(&w.werkleider)).await;
    let minutes: Vec<i64> = plan.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["minutes_per_week"].as_i64().unwrap())
        .collect();
    assert_eq!(
        minutes,
        [960, 38 * 60],
        "40 hours was the whole week; lowered to 36 it follows, and raised to 38: {}",
        plan.text
    );
    assert_eq!(plan.body["minutes_this_week"], 960);
}

#[actix_web::test]
async fn the_plan_is_in_the_hours_the_export_and_goes_with_erasure() {
    let w = world().await;
    let me = create_participant(&w.app, &w.coordinator, "Esra Export", "solo_klus").await;
    // An hour worked three hours ago, approved; the plan holds that week.
    let end = chrono::Utc::now() - Duration::hours(3);
    let start = end - Duration::hours(1);
    let worked_on = servicepunt::clock::local_date(start);
    let logged = w
        .app
        .post(
            "/api/v1/worklogs",
            Some(&w.werkleider),
            json!({"participant_ids": [me], "activity": "office", "started_at": start.to_rfc3339(), "ended_at": end.to_rfc3339()}),
        )
        .await;
    assert_eq!(logged.status, 201, "{}", logged.text);
    let log = logged.body[0]["id"].as_i64().unwrap();
    let approved = w
        .app
        .post(
            &format!("/api/v1/worklogs/{log}/approve"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    let set = set_plan(
        &w,
        &w.werkleider,
        me,
        json!([{"from": worked_on, "hours_per_week": 12}]),
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.text);

    let hours = w
        .app
        .get(
            &format!("/api/v1/participants/{me}/hours?year={}", worked_on.year()),
            Some(&w.werkleider),
        )
        .await;
    assert_eq!(hours.body["weeks"][0]["approved_minutes"], 60, "{}", hours.text);
    assert_eq!(hours.body["weeks"][0]["contracted_minutes"], 720, "{}", hours.text);

    let export_path = format!("/api/v1/participants/{me}/export");
    let export = w.app.get(&export_path, Some(&w.coordinator)).await;
    assert_eq!(
        export.body["ramp_up"],
        json!([{"week_start": monday(worked_on), "minutes_per_week": 720}]),
        "{}",
        export.text
    );
    crate::helpers::erase_participant(&w.app, &w.coordinator, me).await;
    let after = w.app.get(&export_path, Some(&w.coordinator)).await;
    assert_eq!(after.body["ramp_up"], json!([]), "{}", after.text);
    set_plan(
        &w,
        &w.werkleider,
        me,
        json!([{"from": worked_on, "hours_per_week": 12}]),
    )
    .await
    .assert_problem(409, "participant_erased");
}
