//! Participants, trajectories and assignments: every hard rule, and no double booking.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::db::schema::outbox;

use crate::helpers::{World, create_participant, next_local, order_body, world};

static NEXT_HOUSE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(100);

/// A waitlisted job for a new resident; returns its id.
pub async fn waitlisted_job(w: &World, service: i64, minutes: i64) -> i64 {
    // Each at its own address, so the anti-splitting rule does not hold them back.
    let n = NEXT_HOUSE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut body = crate::helpers::registration(&format!("r{n}@example.nl"));
    body["address"]["house_number"] = json!(n.to_string());
    let registered = w.app.register(body).await;
    let resident = registered.body["tokens"]["access_token"].as_str().unwrap().to_owned();
    let reply = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(service, minutes))
        .await;
    assert_eq!(reply.body["status"], "waitlisted", "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// A participant "Priya Ramdin" with an account at `account`, in an orientation trajectory
/// begun ten days ago, who works every morning; their id and access token.
pub async fn participant_with_account(w: &World, account: &str) -> (i64, String) {
    let app = &w.app;
    app.create_user(account, Role::Participant).await;
    let token = app.login(account).await["access_token"].as_str().unwrap().to_owned();
    let created = app
        .post(
            "/api/v1/participants",
            Some(&w.werkleider),
            json!({"name": "Priya Ramdin", "skills": ["tuinieren"], "clearance": "solo_klus",
               "contracted_hours_per_week": 32, "account_email": account,
               "availability": (0..7).map(|d| json!({"weekday": d, "dagdeel": "morning"})).collect::<Vec<_>>()}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    let start = servicepunt::clock::today() - chrono::Duration::days(10);
    app.post(
        &format!("/api/v1/participants/{id}/trajectories"),
        Some(&w.coordinator),
        json!({"kind": "orientation", "starts_on": start}),
    )
    .await;
    (id, token)
}

pub async fn assign(w: &World, job: i64, crew: &[i64], span: &(String, String)) -> crate::helpers::Reply {
    w.app
        .post(
            "/api/v1/assignments",
            Some(&w.werkleider),
            json!({"job_id": job, "participant_ids": crew, "starts_at": span.0, "ends_at": span.1}),
        )
        .await
}

pub async fn unassign(w: &World, assignment: i64) -> crate::helpers::Reply {
    w.app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/assignments/{assignment}"),
            Some(&w.werkleider),
            None,
        )
        .await
}

fn codes(reply: &crate::helpers::Reply) -> Vec<String> {
    reply.body["errors"].as_array().map_or_else(Vec::new, |e| {
        e.iter().map(|x| x["code"].as_str().unwrap_or("").to_owned()).collect()
    })
}

/// A dienst at someone's home that needs solo clearance (company for an afternoon).
pub async fn solo_dienst(w: &World) -> i64 {
    let reply = w
        .app
        .post(
            "/api/v1/services",
            Some(&w.coordinator),
            json!({"kind": "dienst", "category": "gezelschap", "name": {"nl": "Gezelschap", "en": "Company"},
                   "description": {"nl": "x", "en": "x"}, "around_home": false, "needs_solo_clearance": true,
                   "default_minutes": 60, "max_minutes": 240}),
        )
        .await;
    reply.body["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn a_new_participant_goes_to_a_dienst_only_with_an_onboarder() {
    let w = world().await;
    let dienst = solo_dienst(&w).await;
    let new = create_participant(&w.app, &w.coordinator, "Nieuwe Nina", "new").await;
    let onboarder = create_participant(&w.app, &w.coordinator, "Oude Otto", "onboarder").await;
    let job = waitlisted_job(&w, dienst, 60).await;
    let span = next_local(10, 60);

    let alone = assign(&w, job, &[new], &span).await;
    alone.assert_problem(422, "clearance");
    let together = assign(&w, job, &[new, onboarder], &span).await;
    assert_eq!(together.status, StatusCode::CREATED, "{}", together.text);
    assert_eq!(together.body["participant_ids"], json!([new, onboarder]));

    // The resident hears the date, the time and first names only.
    let data: Vec<Option<String>> = w
        .app
        .db(move |conn| {
            outbox::table
                .filter(outbox::template.eq("job_scheduled"))
                .select(outbox::data)
                .load(conn)
                .unwrap()
        })
        .await;
    let message: Value = serde_json::from_str(data[0].as_deref().unwrap()).unwrap();
    assert_eq!(message["helpers"], "Nieuwe & Oude");
}

#[actix_web::test]
async fn each_hard_rule_names_itself() {
    let w = world().await;
    let app = &w.app;
    let span = next_local(9, 120);

    // A participatiebaan that ended yesterday.
    let ended = create_participant(app, &w.coordinator, "Eindigde Eva", "solo_klus").await;
    let yesterday = servicepunt::clock::today() - chrono::Duration::days(1);
    crate::helpers::end_trajectory(app, &w.coordinator, ended, yesterday).await;
    let job = waitlisted_job(&w, w.hedge, 120).await;
    assign(&w, job, &[ended], &span)
        .await
        .assert_problem(422, "trajectory_inactive");

    // No skill.
    let unskilled = create_participant(app, &w.coordinator, "Zonder Zeger", "solo_klus").await;
    app.patch(
        &format!("/api/v1/participants/{unskilled}"),
        Some(&w.werkleider),
        json!({"skills": []}),
    )
    .await;
    assign(&w, job, &[unskilled], &span)
        .await
        .assert_problem(422, "missing_skill");

    // Absent that day.
    let sick = create_participant(app, &w.coordinator, "Zieke Zoë", "solo_klus").await;
    let day = &span.0[..10];
    let absence = app
        .post(
            &format!("/api/v1/participants/{sick}/absences"),
            Some(&w.werkleider),
            json!({"kind": "sick", "starts_on": day}),
        )
        .await;
    assert_eq!(absence.status, 201, "{}", absence.text);
    assign(&w, job, &[sick], &span).await.assert_problem(422, "absent");

    // Works mornings only.
    let mornings = create_participant(app, &w.coordinator, "Ochtend Olaf", "solo_klus").await;
    let only_mornings: Vec<Value> = (0..7).map(|d| json!({"weekday": d, "dagdeel": "morning"})).collect();
    app.patch(
        &format!("/api/v1/participants/{mornings}"),
        Some(&w.werkleider),
        json!({"availability": only_mornings}),
    )
    .await;
    let evening = next_local(18, 60);
    assign(&w, job, &[mornings], &evening)
        .await
        .assert_problem(422, "unavailable");

    // Contracted for one hour a week.
    let part_time = create_participant(app, &w.coordinator, "Deeltijd Dirk", "solo_klus").await;
    app.patch(
        &format!("/api/v1/participants/{part_time}"),
        Some(&w.werkleider),
        json!({"contracted_hours_per_week": 1}),
    )
    .await;
    assign(&w, job, &[part_time], &span)
        .await
        .assert_problem(422, "weekly_hours_exceeded");

    // Not together.
    let a = create_participant(app, &w.coordinator, "Anton A", "solo_klus").await;
    let b = create_participant(app, &w.coordinator, "Bert B", "solo_klus").await;
    let pair = app
        .post(
            &format!("/api/v1/participants/{a}/do-not-pair"),
            Some(&w.werkleider),
            json!({"other_participant_id": b}),
        )
        .await;
    assert_eq!(pair.status, 204);
    assign(&w, job, &[a, b], &span).await.assert_problem(422, "do_not_pair");

    // More than five hours around the home.
    let long = next_local(9, 301);
    let reply = assign(&w, job, &[a], &long).await;
    assert!(codes(&reply).contains(&"five_hour_rule".to_owned()), "{}", reply.text);

    // A crew too small.
    let two = w
        .app
        .post(
            "/api/v1/services",
            Some(&w.coordinator),
            json!({"kind": "klus", "category": "tuin", "name": {"nl": "Boom", "en": "Tree"}, "description": {"nl": "x", "en": "x"},
                   "around_home": true, "default_minutes": 60, "max_minutes": 240, "min_crew": 2}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let tree = waitlisted_job(&w, two, 60).await;
    assign(&w, tree, &[a], &span)
        .await
        .assert_problem(422, "crew_too_small");

    // Unknown participants and reversed spans.
    assign(&w, job, &[999_999], &span)
        .await
        .assert_problem(422, "validation_failed");
    assign(&w, job, &[a], &(span.1.clone(), span.0.clone()))
        .await
        .assert_problem(422, "validation_failed");

    // And the job was never scheduled by any of these.
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{job}"), Some(&w.werkleider)).await.body["status"],
        "waitlisted"
    );
}

/// A do-not-pair note is lifted when the two may work together again, by a werkleider or
/// the coach of the participant; another coach does not see the participant at all.
#[actix_web::test]
async fn a_do_not_pair_note_can_be_lifted() {
    let w = world().await;
    let a = create_participant(&w.app, &w.coordinator, "Anton A", "solo_klus").await;
    let b = create_participant(&w.app, &w.coordinator, "Bert B", "solo_klus").await;
    let note = json!({"other_participant_id": b, "reason": "Ruzie"});
    let pair = w
        .app
        .post(
            &format!("/api/v1/participants/{a}/do-not-pair"),
            Some(&w.werkleider),
            note,
        )
        .await;
    assert_eq!(pair.status, 204, "{}", pair.text);
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let span = next_local(10, 60);
    assign(&w, job, &[a, b], &span).await.assert_problem(422, "do_not_pair");

    // Named the other way round, it is the same note.
    let app = &w.app;
    let lift = |token: String| async move {
        let path = format!("/api/v1/participants/{b}/do-not-pair/{a}");
        app.call(reqwest::Method::DELETE, &path, Some(&token), None).await
    };
    let other_coach = w.app.token_for(Role::Trajectbegeleider).await;
    lift(other_coach).await.assert_problem(404, "not_found");
    assert_eq!(lift(w.werkleider.clone()).await.status, 204);
    let profile = w
        .app
        .get(&format!("/api/v1/participants/{a}"), Some(&w.werkleider))
        .await;
    assert_eq!(profile.body["do_not_pair"], json!([]), "{}", profile.text);
    let together = assign(&w, job, &[a, b], &span).await;
    assert_eq!(together.status, 201, "{}", together.text);
    lift(w.werkleider.clone()).await.assert_problem(404, "not_found");
}

#[actix_web::test]
async fn overlapping_bookings_are_refused_and_removal_puts_the_job_back() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Druk Dana", "solo_klus").await;
    let first = waitlisted_job(&w, w.hedge, 120).await;
    let second = waitlisted_job(&w, w.hedge, 120).await;
    // All on one day (between 9 and 10 o'clock the next 9:00 is tomorrow's, the next
    // 10:00 today's).
    let day = crate::helpers::next_day_at(9);
    let span = crate::helpers::local_span(day, 9, 120);
    let made = assign(&w, first, &[worker], &span).await;
    assert_eq!(made.status, 201);
    let overlapping = crate::helpers::local_span(day, 10, 60);
    assign(&w, second, &[worker], &overlapping)
        .await
        .assert_problem(409, "participant_busy");
    let after = crate::helpers::local_span(day, 11, 60);
    assert_eq!(
        assign(&w, second, &[worker], &after).await.status,
        201,
        "back to back is fine"
    );

    let id = made.body["id"].as_i64().unwrap();
    let moved = w
        .app
        .patch(
            &format!("/api/v1/assignments/{id}"),
            Some(&w.werkleider),
            json!({"starts_at": after.0, "ends_at": after.1}),
        )
        .await;
    moved.assert_problem(409, "participant_busy");
    assert_eq!(unassign(&w, id).await.status, 204);
    assert_eq!(
        w.app
            .get(&format!("/api/v1/jobs/{first}"), Some(&w.werkleider))
            .await
            .body["status"],
        "waitlisted"
    );
}

#[actix_web::test]
async fn a_participant_sees_their_own_schedule_and_checks_in() {
    let w = world().await;
    let app = &w.app;
    let (me_id, token) = participant_with_account(&w, "deelnemer@servicepunt.example").await;
    let other = create_participant(app, &w.coordinator, "Karel Kok", "solo_klus").await;

    let mine = waitlisted_job(&w, w.hedge, 60).await;
    let theirs = waitlisted_job(&w, w.hedge, 60).await;
    let span = next_local(9, 60);
    let a = assign(&w, mine, &[me_id], &span).await;
    assert_eq!(a.status, 201, "{}", a.text);
    assign(&w, theirs, &[other], &span).await;

    let own = app.get("/api/v1/me/participant", Some(&token)).await;
    assert_eq!(own.body["name"], "Priya Ramdin");
    assert!(own.body.get("do_not_pair").is_none());
    let schedule = app.get("/api/v1/me/schedule", Some(&token)).await;
    let items = schedule.body.as_array().unwrap();
    assert_eq!(items.len(), 1, "only own assignments: {}", schedule.text);
    assert_eq!(items[0]["recipient_first_name"], "Anna");
    assert_eq!(items[0]["phone"], "0318123456");
    assert!(items[0]["address"].as_str().unwrap().contains("Molenstraat"));

    let other_assignment = app.get("/api/v1/me/schedule", Some(&token)).await.body[0]["assignment_id"]
        .as_i64()
        .unwrap();
    let started = app
        .post(
            &format!("/api/v1/assignments/{other_assignment}/start"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(started.status, 204);
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{mine}"), Some(&w.werkleider)).await.body["status"],
        "in_progress"
    );
    let theirs_assignment = a.body["id"].as_i64().unwrap() + 1;
    app.post(
        &format!("/api/v1/assignments/{theirs_assignment}/start"),
        Some(&token),
        json!({}),
    )
    .await
    .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn coaches_see_their_caseload_and_trajectory_rules_hold() {
    let w = world().await;
    let app = &w.app;
    let coach_email = "coach@servicepunt.example";
    let coach_id = app.create_user(coach_email, Role::Trajectbegeleider).await;
    let coach = app.login(coach_email).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = app
        .post(
            "/api/v1/participants",
            Some(&w.werkleider),
            json!({"name": "Mijn Mo", "contracted_hours_per_week": 24, "coach_user_id": coach_id}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let not_mine = create_participant(app, &w.coordinator, "Ander Ad", "new").await;

    let list = app.get("/api/v1/participants", Some(&coach)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    app.get(&format!("/api/v1/participants/{not_mine}"), Some(&coach))
        .await
        .assert_problem(404, "not_found");
    app.get(&format!("/api/v1/participants/{not_mine}/trajectories"), Some(&coach))
        .await
        .assert_problem(404, "not_found");

    let path = format!("/api/v1/participants/{mine}/trajectories");
    let start = servicepunt::clock::today() - chrono::Duration::days(60);
    let orientation = app
        .post(&path, Some(&coach), json!({"kind": "orientation", "starts_on": start}))
        .await;
    assert_eq!(orientation.status, 201, "{}", orientation.text);
    let overlap = app
        .post(
            &path,
            Some(&coach),
            json!({"kind": "participatiebaan", "starts_on": start + chrono::Duration::days(10)}),
        )
        .await;
    overlap.assert_problem(422, "validation_failed");
    assert_eq!(overlap.body["errors"][0]["code"], "trajectory_overlap");
    let baan_start = start + chrono::Duration::weeks(8);
    let baan = app
        .post(
            &path,
            Some(&coach),
            json!({"kind": "participatiebaan", "starts_on": baan_start}),
        )
        .await;
    assert_eq!(baan.status, 201, "{}", baan.text);
    let baan_id = baan.body["id"].as_i64().unwrap();
    let extend = format!("/api/v1/trajectories/{baan_id}/extend");
    let too_far = baan_start + chrono::Duration::days(365 * 2 + 10);
    let reply = app
        .post(
            &extend,
            Some(&coach),
            json!({"until": too_far, "justification": "Nog niet klaar"}),
        )
        .await;
    assert_eq!(reply.body["errors"][0]["code"], "extension_too_long", "{}", reply.text);
    let ok_until = baan_start + chrono::Duration::days(500);
    assert_eq!(
        app.post(
            &extend,
            Some(&coach),
            json!({"until": ok_until, "justification": "Groeit nog"})
        )
        .await
        .status,
        200
    );
    let again = app
        .post(
            &extend,
            Some(&coach),
            json!({"until": ok_until + chrono::Duration::days(1), "justification": "x"}),
        )
        .await;
    assert_eq!(again.body["errors"][0]["code"], "already_extended");

    // The werkleider sees the summary in the profile, not the welfare details.
    let profile = app
        .get(&format!("/api/v1/participants/{mine}"), Some(&w.werkleider))
        .await;
    assert_eq!(profile.body["current_trajectory"]["kind"], "participatiebaan");
    app.get(&path, Some(&w.werkleider))
        .await
        .assert_problem(403, "forbidden");
    for role in [Role::Finance, Role::Resident] {
        let token = app.token_for(role).await;
        app.get(&format!("/api/v1/participants/{mine}"), Some(&token))
            .await
            .assert_problem(403, "forbidden");
        app.get("/api/v1/trajectories/ending", Some(&token))
            .await
            .assert_problem(403, "forbidden");
    }

    // Ending soon: the orientation ended long ago; nothing ends within 30 days.
    assert_eq!(
        app.get("/api/v1/trajectories/ending?within_days=30", Some(&coach))
            .await
            .body,
        json!([])
    );
    let soon = app
        .get("/api/v1/trajectories/ending?within_days=600", Some(&coach))
        .await;
    assert_eq!(soon.body.as_array().unwrap().len(), 1, "{}", soon.text);
    assert_eq!(soon.body[0]["participant_name"], "Mijn Mo");

    // A clearance change needs a reason and is recorded.
    let no_reason = app
        .patch(
            &format!("/api/v1/participants/{mine}"),
            Some(&w.werkleider),
            json!({"clearance": "solo_klus"}),
        )
        .await;
    no_reason.assert_problem(422, "validation_failed");
    let changed = app
        .patch(
            &format!("/api/v1/participants/{mine}"),
            Some(&w.werkleider),
            json!({"clearance": "solo_klus", "clearance_reason": "Drie weken goed meegelopen"}),
        )
        .await;
    assert_eq!(changed.body["clearance"], "solo_klus");
    let history = changed.body["clearance_history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["reason"], "Drie weken goed meegelopen");
    assert_eq!(history.last().unwrap()["from_clearance"], "new");
}

/// The werkleider logs, for one participant on an assignment, the hour that ended an
/// hour ago (well outside the planned time, so with a note).
async fn log_the_hour_before_last(w: &World, participant: i64, assignment: i64, note: &str) -> crate::helpers::Reply {
    let end = chrono::Utc::now() - chrono::Duration::hours(1);
    let start = end - chrono::Duration::hours(1);
    let body = json!({"participant_ids": [participant], "assignment_id": assignment, "started_at": start.to_rfc3339(), "ended_at": end.to_rfc3339(), "note": note});
    w.app.post("/api/v1/worklogs", Some(&w.werkleider), body).await
}

/// Hours logged on an assignment keep it: removing it would take the job back to the
/// waiting list and leave the hours pointing nowhere. The werkleider rejects the hours
/// first, or re-plans instead.
#[actix_web::test]
async fn an_assignment_with_hours_logged_on_it_is_not_removed() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Vroege Vera", "solo_klus").await;
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let made = assign(&w, job, &[worker], &next_local(10, 60)).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.body["id"].as_i64().unwrap();
    let logged = log_the_hour_before_last(&w, worker, id, "Eerder gedaan, bewoner belde").await;
    assert_eq!(logged.status, 201, "{}", logged.text);
    unassign(&w, id).await.assert_problem(409, "hours_logged");
    let job_now = w.app.get(&format!("/api/v1/jobs/{job}"), Some(&w.werkleider)).await;
    assert_eq!(job_now.body["status"], "scheduled", "nothing changed: {}", job_now.text);

    let log_id = logged.body[0]["id"].as_i64().unwrap();
    let rejected = w
        .app
        .post(
            &format!("/api/v1/worklogs/{log_id}/reject"),
            Some(&w.werkleider),
            json!({"reason": "Verkeerde opdracht"}),
        )
        .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text);
    assert_eq!(unassign(&w, id).await.status, 204, "a rejected log does not keep it");
}

/// A planned job the resident cancels frees its crew: they can be sent elsewhere at that
/// time, and their schedule and the board no longer show it.
#[actix_web::test]
async fn a_cancelled_job_frees_its_crew() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Vrije Vincent", "solo_klus").await;
    let span = next_local(10, 60);
    let first = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, first, &[worker], &span).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    let second = waitlisted_job(&w, w.hedge, 60).await;
    assign(&w, second, &[worker], &span)
        .await
        .assert_problem(409, "participant_busy");
    let cancelled = w
        .app
        .post(
            &format!("/api/v1/jobs/{first}/cancel"),
            Some(&w.werkleider),
            json!({"reason": "bewoner is opgenomen"}),
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    let again = assign(&w, second, &[worker], &span).await;
    assert_eq!(again.status, 201, "the crew is free again: {}", again.text);
    let day = &span.0[..10];
    let board = w
        .app
        .get(&format!("/api/v1/planning?from={day}&to={day}"), Some(&w.werkleider))
        .await;
    assert_eq!(board.status, 200, "{}", board.text);
    let jobs_on_board: Vec<i64> = board.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["participants"].as_array().unwrap().clone())
        .flat_map(|p| p["assignments"].as_array().unwrap().clone())
        .map(|a| a["job_id"].as_i64().unwrap())
        .collect();
    assert_eq!(jobs_on_board, vec![second], "{}", board.text);
    // Time spent on it anyway is another activity: the log says why it is refused.
    let id = planned.body["id"].as_i64().unwrap();
    let logged = log_the_hour_before_last(&w, worker, id, "voor niets gereden").await;
    logged.assert_problem(422, "job_cancelled");
}

/// A participant planned on work not done yet is not made inactive (the crew would be
/// short): the werkleider plans someone else first, or the job is cancelled.
#[actix_web::test]
async fn a_planned_participant_is_not_made_inactive() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Geplande Gert", "solo_klus").await;
    let job = waitlisted_job(&w, w.hedge, 60).await;
    assert_eq!(assign(&w, job, &[worker], &next_local(10, 60)).await.status, 201);
    let path = format!("/api/v1/participants/{worker}");
    let inactive = json!({"active": false});
    w.app
        .patch(&path, Some(&w.werkleider), inactive.clone())
        .await
        .assert_problem(409, "planned_work");
    let still = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(still.body["active"], true, "{}", still.text);
    let cancelled = w
        .app
        .post(&format!("/api/v1/jobs/{job}/cancel"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    let made = w.app.patch(&path, Some(&w.werkleider), inactive).await;
    assert_eq!(made.status, 200, "{}", made.text);
    assert_eq!(made.body["active"], false);
}
