//! Suggestions, the planning board, attendance, the auto-planner and timed reminders.

use chrono::Datelike;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::db::schema::outbox;

use crate::helpers::{TestApp, create_participant, create_service, next_local, order_body, spawn_app};

static NEXT_HOUSE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(500);

pub(crate) async fn waitlisted_job(app: &TestApp, service: i64, minutes: i64) -> i64 {
    waitlisted_job_by(app, service, minutes).await.0
}

/// A job on the waiting list, ordered by a new resident; returns it and their email.
pub(crate) async fn waitlisted_job_by(app: &TestApp, service: i64, minutes: i64) -> (i64, String) {
    let n = NEXT_HOUSE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let email = format!("t{n}@example.nl");
    let mut body = crate::helpers::registration(&email);
    body["address"]["house_number"] = json!(n.to_string());
    let token = app.register(body).await.body["tokens"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = app
        .post("/api/v1/jobs", Some(&token), order_body(service, minutes))
        .await;
    assert_eq!(reply.body["status"], "waitlisted", "{}", reply.text);
    (reply.body["id"].as_i64().unwrap(), email)
}

async fn templates(app: &TestApp) -> Vec<(String, String)> {
    app.db(move |conn| {
        outbox::table
            .order(outbox::id)
            .select((outbox::template, outbox::recipient_email))
            .load(conn)
            .unwrap()
    })
    .await
}

#[actix_web::test]
async fn suggestions_explain_themselves() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let hedge = create_service(&app, &coordinator, "Heg", "tuin", true, 300).await;
    let keen = create_participant(&app, &coordinator, "Tuin Tineke", "solo_klus").await;
    app.patch(
        &format!("/api/v1/participants/{keen}"),
        Some(&werkleider),
        json!({"interests": ["tuin"]}),
    )
    .await;
    let plain = create_participant(&app, &coordinator, "Gewone Gijs", "solo_klus").await;
    let ended = create_participant(&app, &coordinator, "Klaar Kees", "solo_klus").await;
    let tid = app
        .get(
            &format!("/api/v1/participants/{ended}/trajectories"),
            Some(&coordinator),
        )
        .await
        .body[0]["id"]
        .as_i64()
        .unwrap();
    let yesterday = servicepunt::clock::today() - chrono::Duration::days(1);
    app.post(
        &format!("/api/v1/trajectories/{tid}/end"),
        Some(&coordinator),
        json!({"on": yesterday, "exit_reason": "wsw"}),
    )
    .await;

    let job = waitlisted_job(&app, hedge, 60).await;
    let (from, until) = next_local(9, 60);
    let url = format!(
        "/api/v1/jobs/{job}/suggestions?starts_at={}&ends_at={}",
        urlencode(&from),
        urlencode(&until)
    );
    let reply = app.get(&url, Some(&werkleider)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let ranked: Vec<i64> = reply.body["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["participant_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ranked, [keen, plain], "interest wins: {}", reply.text);
    let parts = &reply.body["ranked"][0]["score"];
    assert_eq!(parts["interests"], 10);
    assert_eq!(
        parts["total"],
        parts["continuity"].as_i64().unwrap()
            + parts["fairness"].as_i64().unwrap()
            + parts["distance"].as_i64().unwrap()
            + parts["language"].as_i64().unwrap()
            + parts["interests"].as_i64().unwrap()
    );
    let excluded = reply.body["excluded"].as_array().unwrap();
    assert_eq!(excluded.len(), 1);
    assert_eq!(excluded[0]["participant_id"], ended);
    assert_eq!(excluded[0]["rules"][0]["code"], "trajectory_inactive");

    let resident = app.token_for(Role::Resident).await;
    app.get(&url, Some(&resident)).await.assert_problem(403, "forbidden");
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[actix_web::test]
async fn the_board_shows_work_free_time_absences_and_the_waiting_list() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let hedge = create_service(&app, &coordinator, "Heg", "tuin", true, 300).await;
    let busy = create_participant(&app, &coordinator, "Bezige Bas", "solo_klus").await;
    let away = create_participant(&app, &coordinator, "Afwezige Ans", "solo_klus").await;
    let job = waitlisted_job(&app, hedge, 60).await;
    let waiting = waitlisted_job(&app, hedge, 60).await;
    let (from, until) = next_local(9, 60);
    let made = app
        .post(
            "/api/v1/assignments",
            Some(&werkleider),
            json!({"job_id": job, "participant_ids": [busy], "starts_at": from, "ends_at": until}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let day = &from[..10];
    let other_day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .succ_opt()
        .unwrap();
    let elsewhere = create_participant(&app, &coordinator, "Morgen Mira", "solo_klus").await;
    let only_tomorrow = json!([{"weekday": other_day.weekday().num_days_from_monday(), "dagdeel": "morning"}]);
    let changed = app
        .patch(
            &format!("/api/v1/participants/{elsewhere}"),
            Some(&werkleider),
            json!({"availability": only_tomorrow}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    app.post(
        &format!("/api/v1/participants/{away}/absences"),
        Some(&werkleider),
        json!({"kind": "leave", "starts_on": day}),
    )
    .await;

    let board = app
        .get(&format!("/api/v1/planning?from={day}&to={day}"), Some(&werkleider))
        .await;
    assert_eq!(board.status, 200, "{}", board.text);
    let people = board.body["days"][0]["participants"].as_array().unwrap();
    let bas = people.iter().find(|p| p["participant_id"] == busy).unwrap();
    assert_eq!(bas["assignments"][0]["job_id"], job);
    assert_eq!(bas["free_dagdelen"], json!(["afternoon", "evening"]));
    let ans = people.iter().find(|p| p["participant_id"] == away).unwrap();
    assert_eq!(ans["absent"], true);
    assert_eq!(ans["free_dagdelen"], json!([]));
    assert!(
        people.iter().all(|p| p["participant_id"] != elsewhere),
        "who does not work that day is left out: {}",
        board.text
    );
    assert_eq!(board.body["waitlist"][0]["job_id"], waiting);
    let next = app
        .get(
            &format!("/api/v1/planning?from={other_day}&to={other_day}"),
            Some(&werkleider),
        )
        .await;
    let mira = next.body["days"][0]["participants"].as_array().unwrap();
    let mira = mira.iter().find(|p| p["participant_id"] == elsewhere).unwrap();
    assert_eq!(mira["free_dagdelen"], json!(["morning"]));
    app.get(&format!("/api/v1/planning?from={day}&to=2001-01-01"), Some(&werkleider))
        .await
        .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn the_board_opens_on_the_week_from_today() {
    let app = spawn_app().await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let today = servicepunt::clock::today();
    let board = app.get("/api/v1/planning", Some(&werkleider)).await;
    assert_eq!(board.status, 200, "{}", board.text);
    let from: chrono::NaiveDate = serde_json::from_value(board.body["from"].clone()).unwrap();
    // Today in the Netherlands, or tomorrow if midnight passed in between.
    assert!(from == today || from == today.succ_opt().unwrap(), "{}", board.text);
    let week: Vec<Value> = (0..7)
        .map(|n| json!((from + chrono::Duration::days(n)).to_string()))
        .collect();
    let dates: Vec<Value> = board.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].clone())
        .collect();
    assert_eq!(dates, week);
    assert_eq!(board.body["to"], week[6]);

    // A first day alone: the week from it.
    let named = app.get("/api/v1/planning?from=2027-03-01", Some(&werkleider)).await;
    assert_eq!(
        (&named.body["from"], &named.body["to"]),
        (&json!("2027-03-01"), &json!("2027-03-07"))
    );
    // A last day alone: from today up to it, and no period when it has passed.
    let until = app.get("/api/v1/planning?to=2001-01-01", Some(&werkleider)).await;
    until.assert_problem(422, "validation_failed");
    assert_eq!(until.body["errors"][0]["code"], "invalid_period");
    // A malformed day: serde's words, not the framework's.
    let bad = app.get("/api/v1/planning?from=soon", Some(&werkleider)).await;
    bad.assert_problem(400, "invalid_query");
    assert!(!bad.text.contains("Query deserialize error"), "{}", bad.text);
}

#[actix_web::test]
async fn no_shows_are_for_the_coach_only() {
    let app = spawn_app().await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let coach_id = app
        .create_user("coach@servicepunt.example", Role::Trajectbegeleider)
        .await;
    let coach = app.login("coach@servicepunt.example").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = app
        .post(
            "/api/v1/participants",
            Some(&werkleider),
            json!({"name": "Laat Lotte", "contracted_hours_per_week": 24, "coach_user_id": coach_id}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let today = servicepunt::clock::today();
    let recorded = app
        .post(
            "/api/v1/attendance",
            Some(&werkleider),
            json!({"participant_id": p, "date": today, "status": "no_show"}),
        )
        .await;
    assert_eq!(recorded.status, 201, "{}", recorded.text);
    let again = app
        .post(
            "/api/v1/attendance",
            Some(&werkleider),
            json!({"participant_id": p, "date": today, "status": "excused", "note": "Belde om 9:10"}),
        )
        .await;
    assert_eq!(again.status, 201);
    let seen = app
        .get(&format!("/api/v1/participants/{p}/attendance"), Some(&coach))
        .await;
    assert_eq!(seen.body.as_array().unwrap().len(), 1, "one record per day");
    assert_eq!(seen.body[0]["status"], "excused");
    for token in [werkleider.clone(), app.token_for(Role::Coordinator).await] {
        let reply = app
            .get(&format!("/api/v1/participants/{p}/attendance"), Some(&token))
            .await;
        assert!(reply.status == 403 || reply.status == 404, "{}", reply.status);
    }
    let other_coach = app.token_for(Role::Trajectbegeleider).await;
    app.get(&format!("/api/v1/participants/{p}/attendance"), Some(&other_coach))
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn the_auto_planner_proposes_and_applies_without_breaking_a_rule() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let hedge = create_service(&app, &coordinator, "Heg", "tuin", true, 300).await;
    let a = create_participant(&app, &coordinator, "Plan Piet", "solo_klus").await;
    let b = create_participant(&app, &coordinator, "Plan Pam", "new").await;
    app.patch(
        &format!("/api/v1/participants/{a}"),
        Some(&werkleider),
        json!({"contracted_hours_per_week": 6}),
    )
    .await;
    let mut jobs = Vec::new();
    for _ in 0..4 {
        jobs.push(waitlisted_job(&app, hedge, 180).await);
    }
    let tomorrow = servicepunt::clock::today().succ_opt().unwrap();
    let proposal = app
        .post(
            "/api/v1/planning/proposals",
            Some(&werkleider),
            json!({"from": tomorrow, "to": tomorrow}),
        )
        .await;
    assert_eq!(proposal.status, 201, "{}", proposal.text);
    let lines = proposal.body["lines"].as_array().unwrap().clone();
    // Only Piet may go alone (Pam is new) and he has six hours a week: two jobs of three.
    assert_eq!(lines.len(), 2, "{}", proposal.text);
    assert_eq!(proposal.body["served_minutes"], 360);
    assert_eq!(proposal.body["unplaced_job_ids"].as_array().unwrap().len(), 2);
    for line in &lines {
        assert!(
            line["participant_ids"]
                .as_str()
                .unwrap()
                .split(',')
                .any(|p| p == a.to_string())
        );
    }
    let _ = b;
    // Nothing happened yet.
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{}", jobs[0]), Some(&werkleider))
            .await
            .body["status"],
        "waitlisted"
    );

    let id = proposal.body["id"].as_i64().unwrap();
    let first_line = lines[0]["id"].as_i64().unwrap();
    let applied = app
        .post(
            &format!("/api/v1/planning/proposals/{id}/apply"),
            Some(&werkleider),
            json!({"line_ids": [first_line]}),
        )
        .await;
    assert_eq!(applied.status, 200, "{}", applied.text);
    let job = lines[0]["job_id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{job}"), Some(&werkleider)).await.body["status"],
        "scheduled"
    );
    app.post(
        &format!("/api/v1/planning/proposals/{id}/apply"),
        Some(&werkleider),
        json!({}),
    )
    .await
    .assert_problem(409, "already_applied");

    // A proposal made stale by a manual booking is refused whole, naming the line.
    let second = app
        .post(
            "/api/v1/planning/proposals",
            Some(&werkleider),
            json!({"from": tomorrow, "to": tomorrow}),
        )
        .await;
    let line = &second.body["lines"][0];
    let crew: Vec<i64> = line["participant_ids"]
        .as_str()
        .unwrap()
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    let other_job = second.body["lines"][0]["job_id"].as_i64().unwrap();
    let others: Vec<i64> = jobs.iter().copied().filter(|j| *j != other_job && *j != job).collect();
    let starts = line["starts_at"].as_str().unwrap().to_owned();
    let ends = line["ends_at"].as_str().unwrap().to_owned();
    assert!(starts.ends_with('Z'), "times are sent as UTC with their Z: {starts}");
    let manual = app
        .post(
            "/api/v1/assignments",
            Some(&werkleider),
            json!({"job_id": others[0], "participant_ids": crew, "starts_at": starts, "ends_at": ends}),
        )
        .await;
    assert_eq!(manual.status, 201, "{}", manual.text);
    let stale = app
        .post(
            &format!("/api/v1/planning/proposals/{}/apply", second.body["id"]),
            Some(&werkleider),
            json!({}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert!(stale.body["detail"].as_str().unwrap().starts_with("line "));
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{other_job}"), Some(&werkleider))
            .await
            .body["status"],
        "waitlisted",
        "nothing applied"
    );
}

#[actix_web::test]
async fn reminders_go_out_once_the_afternoon_before() {
    let (app, werkleider, worker_email, hedge) = spawn_app_with_participant_account().await;
    let worker = app.get("/api/v1/participants", Some(&werkleider)).await.body[0]["id"]
        .as_i64()
        .unwrap();
    let (job, resident_email) = waitlisted_job_by(&app, hedge, 60).await;
    // The day after tomorrow, 10:00 Dutch time: its round is tomorrow afternoon, so
    // planning it now tells nobody yet (see `planned_work` for changes after the round).
    let day = servicepunt::clock::today() + chrono::Duration::days(2);
    let start = servicepunt::planning::rules::Slot::from_local(
        day.and_hms_opt(10, 0, 0).unwrap(),
        day.and_hms_opt(11, 0, 0).unwrap(),
    );
    let made = app
        .post(
            "/api/v1/assignments",
            Some(&werkleider),
            json!({"job_id": job, "participant_ids": [worker],
            "starts_at": start.utc_start.and_utc().to_rfc3339(), "ends_at": start.utc_end.and_utc().to_rfc3339()}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);

    let eve = day.pred_opt().unwrap();
    let at = move |h: u32| {
        servicepunt::planning::rules::Slot::from_local(
            eve.and_hms_opt(h, 0, 0).unwrap(),
            eve.and_hms_opt(h, 0, 0).unwrap(),
        )
        .utc_start
    };
    let runs = app
        .db(move |conn| {
            let mut out = Vec::new();
            for hour in [15, 16, 17] {
                let sent = servicepunt::db::write_tx(conn, |c| {
                    servicepunt::planning::reminders::run(c, at(hour), &Default::default())
                })
                .unwrap();
                out.push((sent.residents, sent.participants));
            }
            out
        })
        .await;
    assert_eq!(runs, [(0, 0), (1, 1), (0, 0)], "nothing before 16:00, once after");
    let sent = templates(&app).await;
    assert!(sent.contains(&("job_reminder".to_owned(), resident_email)), "{sent:?}");
    assert!(sent.contains(&("participant_schedule".to_owned(), worker_email)));
}

/// An app with a hedge service (its id last) and a participant account who can do it.
async fn spawn_app_with_participant_account() -> (TestApp, String, String, i64) {
    let app = spawn_app().await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let hedge = create_service(&app, &coordinator, "Heg", "tuin", true, 300).await;
    let email = "werker@servicepunt.example".to_owned();
    app.create_user(&email, Role::Participant).await;
    let availability: Vec<Value> = (0..7).map(|d| json!({"weekday": d, "dagdeel": "morning"})).collect();
    let p = app
        .post(
            "/api/v1/participants",
            Some(&werkleider),
            json!({"name": "Werker Wim", "skills": ["tuinieren"], "clearance": "solo_klus",
            "contracted_hours_per_week": 32, "account_email": email, "availability": availability}),
        )
        .await;
    let id = p.body["id"].as_i64().unwrap();
    let start = servicepunt::clock::today() - chrono::Duration::days(5);
    app.post(
        &format!("/api/v1/participants/{id}/trajectories"),
        Some(&coordinator),
        json!({"kind": "participatiebaan", "starts_on": start}),
    )
    .await;
    (app, werkleider, email, hedge)
}
