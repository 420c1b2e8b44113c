//! Ordering and planning the work: writers queueing, idempotency keys, the anti-splitting
//! rule, double booking of a participant, racing outbox workers, a day closing while work
//! is planned on it.

use std::collections::BTreeSet;

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::json;
use servicepunt::auth::Role;

use super::{answered, assert_all, patch_all};
use crate::closed_days::close;
use crate::helpers::{
    count_rows, create_participant, create_service, local_span, next_day_at, next_local, order_body, resident_body,
    spawn_app, test_settings, world,
};
use crate::mail::{app_with_sink, counts_by_message_id, statuses};
use crate::planned_work::{outbox_messages, participant_with_address};
use crate::planning::{assign, unassign, waitlisted_job};
use crate::smtp_sink::SmtpSink;

#[actix_web::test]
async fn concurrent_writers_queue_instead_of_failing() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let replies = join_all((0..40).map(|i| {
        app.post(
            "/api/v1/residents",
            Some(&staff),
            resident_body(&format!("Bewoner {i}"), "6711 AB"),
        )
    }))
    .await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let list = app.get("/api/v1/residents?per_page=100", Some(&staff)).await;
    assert_eq!(list.body["total"], 40);
}

#[actix_web::test]
async fn one_idempotency_key_sent_concurrently_orders_once() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let service = create_service(&app, &coordinator, "Gezelschap", "gezelschap", false, 240).await;
    let (resident, _, _) = app.register_resident("haast@example.nl").await;
    let replies = join_all((0..20).map(|_| {
        app.send(
            app.client
                .post(app.url("/api/v1/jobs"))
                .bearer_auth(&resident)
                .header("Idempotency-Key", "one-tap")
                .json(&order_body(service, 120)),
        )
    }))
    .await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let ids: std::collections::HashSet<_> = replies.iter().map(|r| r.body["id"].clone()).collect();
    assert_eq!(ids.len(), 1, "every retry answers with the one job");
    assert_eq!(app.get("/api/v1/jobs", Some(&resident)).await.body["total"], 1);
}

#[actix_web::test]
async fn concurrent_orders_for_one_address_cannot_all_slip_under_the_limit() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let hedge = create_service(&app, &coordinator, "Heg snoeien", "tuin", true, 300).await;
    let (resident, _, _) = app.register_resident("race@example.nl").await;
    let replies = join_all((0..20).map(|_| app.post("/api/v1/jobs", Some(&resident), order_body(hedge, 180)))).await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let auto_accepted = replies.iter().filter(|r| r.body["status"] == "waitlisted").count();
    let held = replies.iter().filter(|r| r.body["status"] == "requested").count();
    assert_eq!(
        (auto_accepted, held),
        (1, 19),
        "only the first 3 hours pass without a werkleider"
    );
}

#[actix_web::test]
async fn fifty_concurrent_bookings_of_one_participant_give_one_success() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Gewild Gert", "solo_klus").await;
    let mut jobs = Vec::new();
    for _ in 0..50 {
        jobs.push(waitlisted_job(&w, w.hedge, 60).await);
    }
    let span = next_local(13, 60);
    let crew = [worker];
    let replies = join_all(jobs.iter().map(|job| assign(&w, *job, &crew, &span))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        r.assert_problem(409, "participant_busy");
    }
}

#[actix_web::test]
async fn twenty_workers_racing_deliver_each_message_once() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |s| s.outbox_worker = false).await;
    let user_id = app.create_user("many@servicepunt.example", Role::Finance).await;
    app.db(move |conn| {
        let user = servicepunt::auth::store::find_user(conn, user_id).unwrap().unwrap();
        for i in 0..40 {
            let data = json!({"name": format!("bericht {i}"), "token": "t", "link": "l", "valid_minutes": 60});
            servicepunt::notify::to_user(conn, &user, servicepunt::notify::Template::PasswordReset, &data).unwrap();
        }
    })
    .await;

    let mut raw = test_settings(&app.db, std::env::temp_dir());
    raw.smtp_url = Some(sink.url());
    raw.jwt_secret = Some(crate::helpers::JWT_SECRET.into());
    let settings = servicepunt::config::Settings::from_raw(raw).unwrap();
    let renderer = std::sync::Arc::new(servicepunt::notify::Renderer::new().unwrap());
    let mut small_batches = settings.clone();
    small_batches.outbox.batch = 3;
    let workers: Vec<_> = (0..20)
        .map(|_| servicepunt::app::outbox_worker(&small_batches, app.pool.clone(), renderer.clone(), None).unwrap())
        .collect();
    let drain = |w: servicepunt::notify::worker::Worker| async move {
        let mut handled = 0;
        loop {
            match w.run_once().await.unwrap() {
                0 => return handled,
                n => handled += n,
            }
        }
    };
    let handled: Vec<usize> = join_all(workers.iter().cloned().map(drain)).await;
    assert_eq!(
        handled.iter().sum::<usize>(),
        40,
        "every message was claimed exactly once ({handled:?})"
    );

    let mails = sink.received();
    let counts = counts_by_message_id(&mails);
    assert_eq!(counts.len(), 40);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert!(
        statuses(&app)
            .await
            .iter()
            .all(|(s, attempts)| s == "sent" && *attempts == 1)
    );
}

/// The crew of one job log their hours at the same moment, each from their own phone:
/// the work on a klus around the home still spans at most five hours, and the logs that
/// would stretch it further are refused.
#[actix_web::test]
async fn twenty_logs_on_one_job_at_once_keep_it_within_five_hours() {
    let w = world().await;
    let mut crew = Vec::new();
    for n in 0..20 {
        crew.push(create_participant(&w.app, &w.coordinator, &format!("Werker {n}"), "solo_klus").await);
    }
    let job = waitlisted_job(&w, w.hedge, 240).await;
    let planned = assign(&w, job, &crew, &next_local(9, 240)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    let assignment = planned.body["id"].as_i64().unwrap();
    let started = w
        .app
        .post(
            &format!("/api/v1/assignments/{assignment}/start"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    assert_eq!(started.status, 204, "{}", started.text);
    // An hour each, a quarter apart: together they would span 5 h 45.
    let first = chrono::Utc::now() - chrono::Duration::hours(10);
    let logs: Vec<serde_json::Value> = crew
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let from = first + chrono::Duration::minutes(15 * n as i64);
            let until = from + chrono::Duration::minutes(60);
            json!({"participant_ids": [p], "assignment_id": assignment, "started_at": from.to_rfc3339(),
                   "ended_at": until.to_rfc3339(), "note": "gedaan"})
        })
        .collect();
    let replies = join_all(
        logs.iter()
            .map(|l| w.app.post("/api/v1/worklogs", Some(&w.werkleider), l.clone())),
    )
    .await;
    let mut kept = Vec::new();
    for (n, r) in replies.iter().enumerate() {
        if r.status == 201 {
            kept.push(15 * n as i64);
        } else {
            r.assert_problem(422, "five_hour_rule");
        }
    }
    let (earliest, latest) = (kept.iter().min().unwrap(), kept.iter().max().unwrap());
    assert!(
        latest + 60 - earliest <= 300,
        "the logs kept span {} minutes",
        latest + 60 - earliest
    );
}

/// Werkleiders planning one waiting job at the same moment, each with another
/// participant: it is planned once, and the others hear it is no longer waiting.
#[actix_web::test]
async fn one_job_planned_twenty_times_at_once_is_planned_once() {
    let w = world().await;
    let mut workers = Vec::new();
    for n in 0..20 {
        workers.push(create_participant(&w.app, &w.coordinator, &format!("Planbaar {n}"), "solo_klus").await);
    }
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let span = next_local(10, 60);
    let replies = join_all(workers.iter().map(|p| assign(&w, job, std::slice::from_ref(p), &span))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        r.assert_problem(409, "invalid_transition");
    }
    let sql = format!("SELECT COUNT(*) AS n FROM assignments WHERE job_id = {job}");
    assert_eq!(count_rows(&w.app, sql).await, 1);
}

/// Werkleiders re-planning one job at the same moment, each sending another participant,
/// one moving it an hour later: each change builds on the one before, so the crew is
/// always one that was checked (never the crews of two changes together) and the move
/// is not undone by a change that only named a crew.
#[actix_web::test]
async fn one_job_re_planned_twenty_times_at_once_keeps_one_checked_crew() {
    let w = world().await;
    let mut workers = Vec::new();
    for n in 0..20 {
        workers.push(create_participant(&w.app, &w.coordinator, &format!("Herplanbaar {n}"), "solo_klus").await);
    }
    let day = next_day_at(10);
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, job, &workers[..1], &local_span(day, 10, 60)).await;
    assert_eq!(planned.status, StatusCode::CREATED, "{}", planned.text);
    let path = format!("/api/v1/assignments/{}", planned.body["id"]);
    let moved = local_span(day, 11, 60);
    let mut changes = vec![json!({"starts_at": moved.0, "ends_at": moved.1})];
    changes.extend(workers[1..19].iter().map(|p| json!({"participant_ids": [p]})));
    let replies = patch_all(&w.app, &path, &w.werkleider, &changes).await;
    assert_all(&replies, 200);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM assignment_members m JOIN assignments a ON a.id = m.assignment_id WHERE a.job_id = {job}"
    );
    assert_eq!(
        count_rows(&w.app, sql).await,
        1,
        "one crew of one, as every change asked"
    );
    let now = w.app.get(&format!("/api/v1/jobs/{job}"), Some(&w.werkleider)).await;
    let at = |s: &serde_json::Value| chrono::DateTime::parse_from_rfc3339(s.as_str().unwrap_or_default()).ok();
    assert_eq!(
        at(&now.body["schedule"]["starts_at"]),
        at(&json!(moved.0)),
        "the move stays: {}",
        now.text
    );
}

/// A resident cancelling while werkleiders re-plan the job: each re-plan comes before the
/// cancellation or is told the job cannot be re-planned; nothing is planned after it.
#[actix_web::test]
async fn a_job_cancelled_while_it_is_re_planned_stays_cancelled() {
    let w = world().await;
    let mut workers = Vec::new();
    for n in 0..20 {
        workers.push(create_participant(&w.app, &w.coordinator, &format!("Afgezegd {n}"), "solo_klus").await);
    }
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, job, &workers[..1], &next_local(10, 60)).await;
    assert_eq!(planned.status, StatusCode::CREATED, "{}", planned.text);
    let path = format!("/api/v1/assignments/{}", planned.body["id"]);
    let cancel = format!("/api/v1/jobs/{job}/cancel");
    let replies = join_all((0..20).map(|n| {
        if n == 10 {
            let body = json!({"reason": "bewoner belde af"});
            w.app.call(Method::POST, &cancel, Some(&w.werkleider), Some(body))
        } else {
            let body = json!({"participant_ids": [workers[n]]});
            w.app.call(Method::PATCH, &path, Some(&w.werkleider), Some(body))
        }
    }))
    .await;
    assert_eq!(replies[10].status, 200, "{}", replies[10].text);
    for r in replies.iter().filter(|r| r.status != StatusCode::OK) {
        r.assert_problem(409, "invalid_transition");
    }
    let events = w
        .app
        .get(&format!("/api/v1/jobs/{job}/events"), Some(&w.werkleider))
        .await;
    let events = events.body.as_array().expect("events");
    let last = events.last().expect("an event");
    assert_eq!(
        last["to_status"], "cancelled",
        "nothing after the cancellation: {events:?}"
    );
}

/// The auto-planner's proposal applied from two screens at once (and a double click): it
/// is applied once, and the others hear it was applied already.
#[actix_web::test]
async fn one_proposal_applied_twenty_times_at_once_is_applied_once() {
    let w = world().await;
    for n in 0..2 {
        create_participant(&w.app, &w.coordinator, &format!("Voorstel {n}"), "solo_klus").await;
    }
    for _ in 0..3 {
        waitlisted_job(&w, w.hedge, 60).await;
    }
    let tomorrow = servicepunt::clock::today().succ_opt().unwrap();
    let proposal = w
        .app
        .post(
            "/api/v1/planning/proposals",
            Some(&w.werkleider),
            json!({"from": tomorrow, "to": tomorrow}),
        )
        .await;
    assert_eq!(proposal.status, 201, "{}", proposal.text);
    let lines = proposal.body["lines"].as_array().map_or(0, Vec::len);
    assert!(lines > 0, "{}", proposal.text);
    let path = format!("/api/v1/planning/proposals/{}/apply", proposal.body["id"]);
    let replies = join_all((0..20).map(|_| w.app.post(&path, Some(&w.werkleider), json!({})))).await;
    answered(&replies, 200, 1);
    for r in replies.iter().filter(|r| r.status != StatusCode::OK) {
        r.assert_problem(409, "already_applied");
    }
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM assignments").await,
        i64::try_from(lines).unwrap()
    );
}

/// A werkleider taking a job off the planning while its crew logs the hours already
/// worked: either the removal comes first and the logs hear the assignment is gone, or
/// the first log does and the removal is refused. Nothing answers 500.
#[actix_web::test]
async fn an_assignment_removed_while_hours_are_logged_on_it() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Snelle Schrijver", "solo_klus").await;
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, job, &[worker], &next_local(10, 60)).await;
    assert_eq!(planned.status, StatusCode::CREATED, "{}", planned.text);
    let id = planned.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/assignments/{id}");
    let first = chrono::Utc::now() - chrono::Duration::hours(4);
    let replies = join_all((0..20).map(|n| {
        if n == 0 {
            w.app.call(Method::DELETE, &path, Some(&w.werkleider), None)
        } else {
            let start = first + chrono::Duration::minutes(10 * n);
            let body = json!({"participant_ids": [worker], "assignment_id": id, "started_at": start.to_rfc3339(), "ended_at": (start + chrono::Duration::minutes(10)).to_rfc3339(), "note": "al gedaan"});
            w.app.call(Method::POST, "/api/v1/worklogs", Some(&w.werkleider), Some(body))
        }
    }))
    .await;
    let logged = replies[1..].iter().filter(|r| r.status == StatusCode::CREATED).count();
    if replies[0].status == StatusCode::NO_CONTENT {
        assert_eq!(logged, 0, "{:?}", super::codes(&replies));
        for r in &replies[1..] {
            r.assert_problem(422, "validation_failed");
            assert_eq!(r.body["errors"][0]["code"], "unknown_assignment", "{}", r.text);
        }
    } else {
        replies[0].assert_problem(409, "hours_logged");
        assert_eq!(logged, 19, "{:?}", super::codes(&replies));
    }
}

/// A day closed while werkleiders plan twenty jobs on it: each job planned before the
/// closing is in its list of work to re-plan, and each after it is refused because the
/// day is closed. None slips in unlisted.
#[actix_web::test]
async fn a_day_closed_while_twenty_jobs_are_planned_on_it_lists_every_one_planned() {
    let w = world().await;
    let day = servicepunt::clock::today() + chrono::Duration::days(2);
    let mut plans = Vec::new();
    for n in 0..20 {
        let who = create_participant(&w.app, &w.coordinator, &format!("Feestdag {n}"), "solo_klus").await;
        plans.push((waitlisted_job(&w, w.hedge, 60).await, who));
    }
    let span = local_span(day, 10, 60);
    let planning = join_all(
        plans
            .iter()
            .map(|(job, who)| assign(&w, *job, std::slice::from_ref(who), &span)),
    );
    let (replies, closed) = futures_util::join!(planning, close(&w, day, "Teamdag"));
    assert_eq!(closed.status, StatusCode::CREATED, "{}", closed.text);
    let listed: BTreeSet<i64> = closed.body["planned_work"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    let made: BTreeSet<i64> = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .map(|r| r.body["id"].as_i64().unwrap())
        .collect();
    for refused in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        refused.assert_problem(422, "service_point_closed");
    }
    assert_eq!(made, listed, "{} planned, {} refused", made.len(), 20 - made.len());
}

/// A day closes while the work of twenty participants, each with their schedule for it,
/// is taken off it: nobody who was told not to come gets a schedule for the day after.
#[actix_web::test]
async fn a_day_closed_while_its_work_is_taken_off_is_the_crews_last_word() {
    let w = world().await;
    // Evening work today or tomorrow: the afternoon round has passed, so each participant
    // has their schedule already, and taking work off tells them again.
    let day = next_day_at(20);
    let mut planned = Vec::new();
    for n in 0..20 {
        let who = participant_with_address(&w, &format!("Avond {n}"), &format!("avond{n}@example.nl")).await;
        let job = waitlisted_job(&w, w.hedge, 60).await;
        let made = assign(&w, job, &[who], &local_span(day, 20, 60)).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
        planned.push(made.body["id"].as_i64().unwrap());
    }
    let taking_off = join_all(planned.iter().map(|id| unassign(&w, *id)));
    let (replies, closed) = futures_util::join!(taking_off, close(&w, day, "Storm"));
    assert_eq!(closed.status, StatusCode::CREATED, "{}", closed.text);
    assert_all(&replies, 204);
    let mut told_closed = BTreeSet::new();
    for (template, to, _) in outbox_messages(&w).await {
        match template.as_str() {
            "participant_day_closed" => {
                told_closed.insert(to);
            }
            "participant_schedule" => assert!(!told_closed.contains(&to), "{to}: a schedule after the closing"),
            _ => {}
        }
    }
}
