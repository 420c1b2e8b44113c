//! Worked hours, approval and corrections, job completion and confirmation, and the
//! participatiebaan bonus.

use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::helpers::{World, create_participant, next_local, order_body, world};

/// A past span today or yesterday, Dutch time, as RFC 3339 (start, end).
fn past(hours_ago: i64, minutes: i64) -> (String, String) {
    let end = chrono::Utc::now() - chrono::Duration::hours(hours_ago);
    let start = end - chrono::Duration::minutes(minutes);
    (start.to_rfc3339(), end.to_rfc3339())
}

/// A participant account with a profile and an active participatiebaan; (token, id).
pub async fn participant_account(w: &World, email: &str) -> (String, i64) {
    w.app.create_user(email, Role::Participant).await;
    let token = w.app.login(email).await["access_token"].as_str().unwrap().to_owned();
    let availability: Vec<Value> = (0..7)
        .flat_map(|d| ["morning", "afternoon", "evening"].map(move |p| json!({"weekday": d, "dagdeel": p})))
        .collect();
    let p = w
        .app
        .post(
            "/api/v1/participants",
            Some(&w.werkleider),
            json!({"name": format!("Deelnemer {email}"), "skills": ["tuinieren"], "clearance": "solo_klus",
            "contracted_hours_per_week": 40, "account_email": email, "availability": availability}),
        )
        .await;
    let id = p.body["id"].as_i64().unwrap();
    let start = servicepunt::clock::today() - chrono::Duration::days(30);
    w.app
        .post(
            &format!("/api/v1/participants/{id}/trajectories"),
            Some(&w.coordinator),
            json!({"kind": "participatiebaan", "starts_on": start}),
        )
        .await;
    (token, id)
}

/// A job assigned to `crew` around the last hours, checked in; (job id, assignment id, resident token).
async fn job_in_progress(w: &World, crew: &[i64], house: &str) -> (i64, i64, String) {
    job_in_progress_at(w, crew, house, 9).await
}

async fn job_in_progress_at(w: &World, crew: &[i64], house: &str, hour: u32) -> (i64, i64, String) {
    let mut body = crate::helpers::registration(&format!("bewoner{house}@example.nl"));
    body["address"]["house_number"] = json!(house);
    let resident = w.app.register(body).await.body["tokens"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 180))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let (from, until) = next_local(hour, 180);
    let a = w
        .app
        .post(
            "/api/v1/assignments",
            Some(&w.werkleider),
            json!({"job_id": job, "participant_ids": crew, "starts_at": from, "ends_at": until}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let assignment = a.body["id"].as_i64().unwrap();
    assert_eq!(
        w.app
            .post(
                &format!("/api/v1/assignments/{assignment}/start"),
                Some(&w.werkleider),
                json!({})
            )
            .await
            .status,
        204
    );
    (job, assignment, resident)
}

async fn log(w: &World, token: &str, body: Value) -> crate::helpers::Reply {
    w.app.post("/api/v1/worklogs", Some(token), body).await
}

#[actix_web::test]
async fn participants_log_their_own_hours_and_werkleiders_approve_and_correct() {
    let w = world().await;
    let (token, me) = participant_account(&w, "eigen@servicepunt.example").await;
    let other = create_participant(&w.app, &w.coordinator, "Ander Anton", "solo_klus").await;
    let (_, mine, _) = job_in_progress(&w, &[me], "201").await;
    let (_, theirs, _) = job_in_progress_at(&w, &[other], "202", 13).await;
    // Assignments lie ahead; logging against them needs a note (far outside the plan).
    let (s, e) = past(3, 130);
    let no_note = log(
        &w,
        &token,
        json!({"assignment_id": mine, "started_at": s, "ended_at": e}),
    )
    .await;
    no_note.assert_problem(422, "note_required");
    let ok = log(
        &w,
        &token,
        json!({"assignment_id": mine, "started_at": s, "ended_at": e, "note": "Eerder begonnen, bewoner vroeg erom"}),
    )
    .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(ok.body[0]["minutes"], 130);
    assert_eq!(ok.body[0]["status"], "pending");
    let id = ok.body[0]["id"].as_i64().unwrap();

    let not_theirs = log(
        &w,
        &token,
        json!({"assignment_id": theirs, "started_at": s, "ended_at": e, "note": "x"}),
    )
    .await;
    not_theirs.assert_problem(422, "not_on_assignment");
    assert_eq!(not_theirs.body["detail"], "Deelnemer is not in this crew");
    log(
        &w,
        &token,
        json!({"participant_ids": [other], "activity": "office", "started_at": s, "ended_at": e}),
    )
    .await
    .assert_problem(403, "forbidden");
    let overlap = past(3, 60);
    let overlapping = log(
        &w,
        &token,
        json!({"activity": "office", "started_at": overlap.0, "ended_at": overlap.1}),
    )
    .await;
    overlapping.assert_problem(422, "overlapping_log");
    // It says which time is logged already, as the participant's clock shows it.
    let dutch = |t: &str, form: &str| servicepunt::clock::local(t.parse().unwrap()).format(form).to_string();
    let told = format!(
        "Deelnemer has logged {} from {} to {} (Dutch time)",
        dutch(&s, "%Y-%m-%d"),
        dutch(&s, "%H:%M"),
        dutch(&e, "%H:%M")
    );
    assert!(
        overlapping.body["detail"].as_str().unwrap().starts_with(&told),
        "{}",
        overlapping.text
    );
    // Logging for a crew, the werkleider reads whose time clashes, by name.
    let crew =
        json!({"participant_ids": [other, me], "activity": "office", "started_at": overlap.0, "ended_at": overlap.1});
    let refused = log(&w, &w.werkleider, crew).await;
    refused.assert_problem(422, "overlapping_log");
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("Deelnemer has logged"),
        "{}",
        refused.text
    );
    // Staff logging for a crew name each participant once (a repeat read as an overlap).
    let twice = json!({"participant_ids": [other, other], "activity": "office", "started_at": s, "ended_at": e});
    let refused = log(&w, &w.werkleider, twice).await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(refused.body["errors"][0]["code"], "duplicate_participant");
    let future = next_local(20, 60);
    log(
        &w,
        &token,
        json!({"activity": "training", "started_at": future.0, "ended_at": future.1}),
    )
    .await
    .assert_problem(422, "in_future");
    let resident = w.app.token_for(Role::Resident).await;
    log(
        &w,
        &resident,
        json!({"activity": "office", "started_at": s, "ended_at": e}),
    )
    .await
    .assert_problem(403, "forbidden");

    // Approve, then correct: the approved log stays, a new one supersedes it.
    let approved = w
        .app
        .post(
            &format!("/api/v1/worklogs/{id}/approve"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    assert_eq!(approved.body["status"], "approved");
    w.app
        .post(
            &format!("/api/v1/worklogs/{id}/approve"),
            Some(&w.werkleider),
            json!({}),
        )
        .await
        .assert_problem(409, "not_pending");
    w.app
        .post(&format!("/api/v1/worklogs/{id}/approve"), Some(&token), json!({}))
        .await
        .assert_problem(403, "forbidden");
    let (cs, ce) = past(3, 120);
    let corrected = w
        .app
        .post(
            &format!("/api/v1/worklogs/{id}/correct"),
            Some(&w.werkleider),
            json!({"started_at": cs, "ended_at": ce, "break_minutes": 10, "reason": "Pauze vergeten"}),
        )
        .await;
    assert_eq!(corrected.status, 201, "{}", corrected.text);
    assert_eq!(corrected.body["minutes"], 110);
    assert_eq!(corrected.body["supersedes_id"], id);
    let history = w.app.get(&format!("/api/v1/worklogs/{id}/history"), Some(&token)).await;
    let chain = history.body.as_array().unwrap();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[0]["status"], "superseded");
    assert_eq!(chain[0]["minutes"], 130, "the original is kept as it was");
    assert_eq!(chain[1]["correction_reason"], "Pauze vergeten");

    let hours = w
        .app
        .get("/api/v1/me/hours?from=2000-01-01&to=2100-01-01", Some(&token))
        .await;
    assert_eq!(hours.body["approved_minutes"], 110, "{}", hours.text);

    // A werkleider logs a whole crew at once; a rejection needs a reason.
    let (bs, be) = past(30, 60);
    let bulk = log(
        &w,
        &w.werkleider,
        json!({"participant_ids": [me, other], "activity": "training", "started_at": bs, "ended_at": be}),
    )
    .await;
    assert_eq!(bulk.body.as_array().unwrap().len(), 2, "{}", bulk.text);
    let rid = bulk.body[1]["id"].as_i64().unwrap();
    w.app
        .post(
            &format!("/api/v1/worklogs/{rid}/reject"),
            Some(&w.werkleider),
            json!({"reason": " "}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let rejected = w
        .app
        .post(
            &format!("/api/v1/worklogs/{rid}/reject"),
            Some(&w.werkleider),
            json!({"reason": "Niet aanwezig"}),
        )
        .await;
    assert_eq!(rejected.body["status"], "rejected");

    let summary = w
        .app
        .get(
            &format!(
                "/api/v1/participants/{me}/hours?year={}",
                chrono::Utc::now().format("%Y")
            ),
            Some(&w.werkleider),
        )
        .await;
    assert_eq!(summary.body["approved_minutes"], 110, "{}", summary.text);
    assert_eq!(summary.body["weeks"][0]["contracted_minutes"], 2400);
}

/// Office time logged for `participant` by a werkleider, pending; its id.
async fn office(w: &World, participant: i64, start: &str, end: &str) -> i64 {
    let logged = log(
        w,
        &w.werkleider,
        json!({"participant_ids": [participant], "activity": "office", "started_at": start, "ended_at": end}),
    )
    .await;
    assert_eq!(logged.status, 201, "{}", logged.text);
    logged.body[0]["id"].as_i64().unwrap()
}

/// The Monday of the week `day` is in.
fn monday_of(day: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    day - chrono::Duration::days(day.weekday().num_days_from_monday().into())
}

#[actix_web::test]
async fn a_participant_sees_this_weeks_hours_unless_they_name_days() {
    let w = world().await;
    let (token, me) = participant_account(&w, "deze-week@servicepunt.example").await;
    let monday = monday_of(servicepunt::clock::today());
    // Last Sunday, 09:00 to 10:00 Dutch time: the week before.
    let sunday = servicepunt::clock::local_midnight_utc(monday - chrono::Duration::days(1)).and_utc();
    let before = (
        sunday + chrono::Duration::hours(9),
        sunday + chrono::Duration::hours(10),
    );
    let recent = past(1, 30);
    office(&w, me, &before.0.to_rfc3339(), &before.1.to_rfc3339()).await;
    office(&w, me, &recent.0, &recent.1).await;

    let week = w.app.get("/api/v1/me/hours", Some(&token)).await;
    assert_eq!(week.status, 200, "{}", week.text);
    let from: chrono::NaiveDate = serde_json::from_value(week.body["from"].clone()).unwrap();
    // This week's Monday, or the next one if midnight on Sunday passed in between.
    assert!(
        from == monday || from == monday + chrono::Duration::days(7),
        "{}",
        week.text
    );
    assert_eq!(week.body["to"], json!((from + chrono::Duration::days(6)).to_string()));
    // Half an hour ending an hour ago is this week's unless the week began since.
    let started: chrono::DateTime<chrono::Utc> = recent.0.parse().unwrap();
    let this_week = servicepunt::clock::local_date(started) >= from;
    let minutes: Vec<Value> = week.body["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["minutes"].clone())
        .collect();
    assert_eq!(
        minutes,
        if this_week { vec![json!(30)] } else { Vec::new() },
        "{}",
        week.text
    );
    assert_eq!(week.body["pending_minutes"], if this_week { 30 } else { 0 });

    // Named days: last Sunday alone, and a period that ends before it starts.
    let day = monday - chrono::Duration::days(1);
    let sunday = w
        .app
        .get(&format!("/api/v1/me/hours?from={day}&to={day}"), Some(&token))
        .await;
    // (Between midnight and half past one on a Monday the half hour was on Sunday too.)
    let also = if servicepunt::clock::local_date(started) == day {
        30
    } else {
        0
    };
    assert_eq!(sunday.body["pending_minutes"], 60 + also, "{}", sunday.text);
    let backwards = w
        .app
        .get(&format!("/api/v1/me/hours?from={monday}&to={day}"), Some(&token))
        .await;
    backwards.assert_problem(422, "validation_failed");
    assert_eq!(backwards.body["errors"][0]["code"], "invalid_period");

    // Staff see a year's totals, this year's unless they name one.
    let summary = w
        .app
        .get(&format!("/api/v1/participants/{me}/hours"), Some(&w.werkleider))
        .await;
    assert_eq!(summary.status, 200, "{}", summary.text);
    let year = chrono::Datelike::year(&servicepunt::clock::today());
    assert!(
        summary.body["year"] == year || summary.body["year"] == year + 1,
        "{}",
        summary.text
    );
}

#[actix_web::test]
async fn a_years_weeks_keep_late_decembers_week_one_apart_from_januarys() {
    let w = world().await;
    let me = create_participant(&w.app, &w.coordinator, "Jaarwisseling Jan", "solo_klus").await;
    // 2 January 2025 lies in week 1 of 2025 (from Monday 30 December 2024); 30 December
    // 2025 in week 1 of 2026 (from Monday 29 December 2025).
    for (start, end) in [
        ("2025-01-02T09:00:00+01:00", "2025-01-02T11:00:00+01:00"),
        ("2025-06-03T09:00:00+02:00", "2025-06-03T10:00:00+02:00"),
        ("2025-12-30T09:00:00+01:00", "2025-12-30T12:00:00+01:00"),
        ("2026-01-02T09:00:00+01:00", "2026-01-02T13:00:00+01:00"),
    ] {
        let id = office(&w, me, start, end).await;
        crate::worklog_list::approve(&w, id).await;
    }
    let summary = w
        .app
        .get(
            &format!("/api/v1/participants/{me}/hours?year=2025"),
            Some(&w.werkleider),
        )
        .await;
    assert_eq!(summary.body["approved_minutes"], 360, "{}", summary.text);
    let weeks: Vec<(u64, &str, u64)> = summary.body["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["period"].as_u64().unwrap(),
                w["starts_on"].as_str().unwrap(),
                w["approved_minutes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        weeks,
        [(1, "2024-12-30", 120), (23, "2025-06-02", 60), (1, "2025-12-29", 180)],
        "in the calendar's order, only the days of 2025"
    );
    let months = summary.body["months"].as_array().unwrap();
    assert_eq!(months.len(), 3);
    assert_eq!(months[2]["period"], 12);
    assert_eq!(months[2]["approved_minutes"], 180);
    assert!(months[2]["starts_on"].is_null());
}

#[actix_web::test]
async fn the_five_hour_rule_holds_for_logged_work() {
    let w = world().await;
    let a = create_participant(&w.app, &w.coordinator, "Lange Lies", "solo_klus").await;
    let (_, assignment, _) = job_in_progress(&w, &[a], "210").await;
    let (s, e) = past(10, 240);
    assert_eq!(log(&w, &w.werkleider, json!({"participant_ids": [a], "assignment_id": assignment, "started_at": s, "ended_at": e, "note": "vooraf"})).await.status, 201);
    let later = past(4, 120);
    let reply = log(&w, &w.werkleider, json!({"participant_ids": [a], "assignment_id": assignment, "started_at": later.0, "ended_at": later.1, "note": "x"})).await;
    reply.assert_problem(422, "five_hour_rule");
}

#[actix_web::test]
async fn residents_confirm_dispute_or_are_confirmed_for() {
    let w = world().await;
    let a = create_participant(&w.app, &w.coordinator, "Werker Wout", "solo_klus").await;
    let mut jobs = Vec::new();
    for (n, house) in ["301", "302", "303"].iter().enumerate() {
        let (job, assignment, resident) = job_in_progress_at(&w, &[a], house, 8 + 4 * n as u32).await;
        let (s, e) = past(30 + 5 * n as i64, 130);
        let logged = log(&w, &w.werkleider, json!({"participant_ids": [a], "assignment_id": assignment, "started_at": s, "ended_at": e, "note": "gedaan"})).await;
        let lid = logged.body[0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/jobs/{job}/performed");
        w.app
            .post(&path, Some(&w.werkleider), json!({}))
            .await
            .assert_problem(409, "hours_pending");
        w.app
            .post(
                &format!("/api/v1/worklogs/{lid}/approve"),
                Some(&w.werkleider),
                json!({}),
            )
            .await;
        let performed = w.app.post(&path, Some(&w.werkleider), json!({})).await;
        assert_eq!(performed.status, 200, "{}", performed.text);
        assert_eq!(performed.body["status"], "performed");
        assert_eq!(
            performed.body["billable_minutes"], 180,
            "2 h 10 m is three started hours"
        );
        jobs.push((job, resident, lid));
    }
    // The first confirms.
    let (job, resident, _) = &jobs[0];
    let confirmed = w
        .app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(resident), json!({}))
        .await;
    assert_eq!(confirmed.body["status"], "confirmed", "{}", confirmed.text);
    w.app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(resident), json!({}))
        .await
        .assert_problem(409, "invalid_transition");
    // A stranger cannot.
    let (job2, resident2, lid2) = &jobs[1];
    w.app
        .post(&format!("/api/v1/jobs/{job2}/confirm"), Some(resident), json!({}))
        .await
        .assert_problem(404, "not_found");
    // The second disputes; the werkleider corrects and settles.
    let disputed = w
        .app
        .post(
            &format!("/api/v1/jobs/{job2}/dispute"),
            Some(resident2),
            json!({"reason": "Ze waren er maar anderhalf uur"}),
        )
        .await;
    assert_eq!(disputed.body["status"], "disputed");
    let (cs, ce) = past(36, 90);
    w.app
        .post(
            &format!("/api/v1/worklogs/{lid2}/correct"),
            Some(&w.werkleider),
            json!({"started_at": cs, "ended_at": ce, "reason": "Bewoner had gelijk"}),
        )
        .await;
    let settled = w
        .app
        .post(
            &format!("/api/v1/jobs/{job2}/resolve"),
            Some(&w.werkleider),
            json!({"note": "Uren aangepast"}),
        )
        .await;
    assert_eq!(settled.body["status"], "confirmed", "{}", settled.text);
    assert_eq!(settled.body["billable_minutes"], 120);
    // The third hears nothing back: confirmed after the window by the timer.
    let (job3, _, _) = &jobs[2];
    let (before, after) = w
        .app
        .db(move |c| {
            let before = servicepunt::db::write_tx(c, |c| {
                servicepunt::hours::completion::auto_confirm(c, servicepunt::db::now())
            })
            .unwrap();
            let later = servicepunt::db::now() + chrono::Duration::hours(73);
            let after =
                servicepunt::db::write_tx(c, |c| servicepunt::hours::completion::auto_confirm(c, later)).unwrap();
            (before, after)
        })
        .await;
    assert_eq!((before, after), (0, 1));
    let events = w
        .app
        .get(&format!("/api/v1/jobs/{job3}/events"), Some(&w.werkleider))
        .await;
    let last = events.body.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["to_status"], "confirmed");
    assert_eq!(last["actor_user_id"], json!(null));
}

#[actix_web::test]
async fn the_bonus_counts_participatiebaan_hours_only_and_issued_statements_stay() {
    let w = world().await;
    let app = &w.app;
    let finance = app.token_for(Role::Finance).await;
    let (token, p) = {
        let email = "bonus@servicepunt.example";
        app.create_user(email, Role::Participant).await;
        let token = app.login(email).await["access_token"].as_str().unwrap().to_owned();
        let created = app
            .post(
                "/api/v1/participants",
                Some(&w.werkleider),
                json!({"name": "Bonus Bram", "contracted_hours_per_week": 32, "account_email": email}),
            )
            .await;
        (token, created.body["id"].as_i64().unwrap())
    };
    let trajectories = format!("/api/v1/participants/{p}/trajectories");
    // Orientation from 9 December 2024 (eight weeks, to 2 February 2025); then the baan.
    let o = app
        .post(
            &trajectories,
            Some(&w.coordinator),
            json!({"kind": "orientation", "starts_on": "2024-12-09"}),
        )
        .await;
    assert_eq!(o.status, 201, "{}", o.text);
    let b = app
        .post(
            &trajectories,
            Some(&w.coordinator),
            json!({"kind": "participatiebaan", "starts_on": "2025-02-03"}),
        )
        .await;
    assert_eq!(b.status, 201, "{}", b.text);
    let mut ids = Vec::new();
    for (start, end) in [
        ("2025-01-20T09:00:00+01:00", "2025-01-20T13:00:00+01:00"),
        ("2025-02-10T09:00:00+01:00", "2025-02-10T13:00:00+01:00"),
        ("2025-03-10T09:00:00+01:00", "2025-03-10T10:30:00+01:00"),
    ] {
        let r = log(
            &w,
            &w.werkleider,
            json!({"participant_ids": [p], "activity": "office", "started_at": start, "ended_at": end}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.body[0]["id"].as_i64().unwrap();
        app.post(
            &format!("/api/v1/worklogs/{id}/approve"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
        ids.push(id);
    }
    let list = app.get("/api/v1/bonus-statements?year=2025", Some(&finance)).await;
    let s = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["participant_id"] == p)
        .unwrap()
        .clone();
    assert_eq!(
        s["minutes"], 330,
        "January's orientation hours earn nothing: {}",
        list.text
    );
    assert_eq!(s["amount_cents"], 550, "exactly €1 per approved hour");
    assert_eq!(
        s["months"],
        json!([{"month": 2, "minutes": 240}, {"month": 3, "minutes": 90}])
    );

    let issued = app
        .post("/api/v1/bonus-statements/2025/issue", Some(&finance), json!({}))
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    // A correction afterwards: the issued statement stays, a supplement appears.
    app.post(&format!("/api/v1/worklogs/{}/correct", ids[2]), Some(&w.werkleider),
        json!({"started_at": "2025-03-10T09:00:00+01:00", "ended_at": "2025-03-10T11:30:00+01:00", "reason": "Uur vergeten"})).await;
    let own = app.get("/api/v1/me/bonus-statements/2025", Some(&token)).await;
    assert_eq!(own.body["amount_cents"], 650, "{}", own.text);
    assert_eq!(own.body["issued_amount_cents"], 550);
    assert_eq!(own.body["outstanding_cents"], 100);
    let reissued = app
        .post("/api/v1/bonus-statements/2025/issue", Some(&finance), json!({}))
        .await;
    let mine = reissued
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["participant_id"] == p)
        .unwrap()
        .clone();
    let kinds: Vec<(Value, Value)> = mine["issued"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].clone(), i["amount_cents"].clone()))
        .collect();
    assert_eq!(
        kinds,
        [(json!("regular"), json!(550)), (json!("supplement"), json!(100))]
    );
    assert_eq!(mine["outstanding_cents"], 0);
    // Every issued statement and supplement is owed in the books, and they balance.
    let owed: i64 = reissued
        .body
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["issued"].as_array().unwrap().iter())
        .map(|i| i["amount_cents"].as_i64().unwrap())
        .sum();
    assert!(owed >= 650, "at least this participant's €6,50: {owed}");
    let books = app.get("/api/v1/finance/trial-balance", Some(&finance)).await;
    assert_eq!(books.body["balanced"], true, "{}", books.text);
    assert_eq!(books.body["accounts"]["bonus_payable"], -owed, "{}", books.text);
    assert_eq!(books.body["accounts"]["bonus_expense"], owed);
    // The participant was told, twice: the statement and the supplement.
    let told: i64 = app
        .db(move |conn| {
            use diesel::prelude::*;
            use servicepunt::db::schema::outbox;
            outbox::table
                .filter(outbox::template.eq("bonus_statement_issued"))
                .filter(outbox::recipient_email.eq("bonus@servicepunt.example"))
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    assert_eq!(told, 2);

    let csv = app.get_csv("/api/v1/bonus-statements?year=2025", &finance).await;
    assert!(
        csv.text
            .starts_with("participant_id,name,year,hours,amount,issued,to_pay\r\n"),
        "{}",
        csv.text
    );
    assert!(
        csv.text.contains(&format!("{p},Bonus Bram,2025,6:30,6.50,6.50,0.00")),
        "{}",
        csv.text
    );
    let html = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/bonus-statements/2025/{p}/printable")))
                .bearer_auth(&finance),
        )
        .await;
    assert!(html.content_type().starts_with("text/html"));
    assert!(
        html.text.contains("Bonusoverzicht 2025") && html.text.contains("€ 6,50") && html.text.contains("februari"),
        "{}",
        html.text
    );

    // Rates change from a date; only the coordinator sets them.
    app.post(
        "/api/v1/bonus-rates",
        Some(&finance),
        json!({"valid_from": "2025-03-01", "cents_per_hour": 150}),
    )
    .await
    .assert_problem(403, "forbidden");
    assert_eq!(
        app.post(
            "/api/v1/bonus-rates",
            Some(&w.coordinator),
            json!({"valid_from": "2025-03-01", "cents_per_hour": 150})
        )
        .await
        .status,
        204
    );
    let after = app.get("/api/v1/me/bonus-statements/2025", Some(&token)).await;
    assert_eq!(
        after.body["amount_cents"],
        240 * 100 / 60 + 150 * 150 / 60,
        "{}",
        after.text
    );
    let resident = app.token_for(Role::Resident).await;
    app.get("/api/v1/bonus-statements?year=2025", Some(&resident))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn a_learner_sent_along_costs_nothing_unless_the_service_bills_per_person() {
    let w = world().await;
    let a = create_participant(&w.app, &w.coordinator, "Ervaren Eef", "onboarder").await;
    let b = create_participant(&w.app, &w.coordinator, "Nieuwe Niek", "new").await;
    let mut billed = Vec::new();
    for (n, per_person) in [false, true].into_iter().enumerate() {
        if per_person {
            w.app
                .patch(
                    &format!("/api/v1/services/{}", w.hedge),
                    Some(&w.coordinator),
                    json!({"bill_per_person": true}),
                )
                .await;
        }
        let (job, assignment, _) = job_in_progress_at(&w, &[a, b], &format!("40{n}"), 9 + 4 * n as u32).await;
        let (s, e) = past(40 + 3 * n as i64, 60);
        let logs = log(&w, &w.werkleider, json!({"participant_ids": [a, b], "assignment_id": assignment, "started_at": s, "ended_at": e, "note": "samen"})).await;
        for l in logs.body.as_array().unwrap() {
            w.app
                .post(
                    &format!("/api/v1/worklogs/{}/approve", l["id"]),
                    Some(&w.werkleider),
                    json!({}),
                )
                .await;
        }
        let performed = w
            .app
            .post(&format!("/api/v1/jobs/{job}/performed"), Some(&w.werkleider), json!({}))
            .await;
        billed.push(performed.body["billable_minutes"].clone());
    }
    assert_eq!(billed, [json!(60), json!(120)]);
}

#[actix_web::test]
async fn a_participant_hears_why_their_own_time_was_not_approved() {
    let w = world().await;
    let email = "afgewezen@servicepunt.example";
    let (token, me) = participant_account(&w, email).await;
    let (s, e) = past(3, 130);
    let own = log(
        &w,
        &token,
        json!({"activity": "office", "started_at": s, "ended_at": e}),
    )
    .await;
    assert_eq!(own.status, 201, "{}", own.text);
    let own = own.body[0]["id"].as_i64().unwrap();
    let (s, e) = past(30, 60);
    let theirs = log(
        &w,
        &w.werkleider,
        json!({"participant_ids": [me], "activity": "training", "started_at": s, "ended_at": e}),
    )
    .await;
    assert_eq!(theirs.status, 201, "{}", theirs.text);
    let theirs = theirs.body[0]["id"].as_i64().unwrap();

    for id in [own, theirs] {
        let rejected = w
            .app
            .post(
                &format!("/api/v1/worklogs/{id}/reject"),
                Some(&w.werkleider),
                json!({"reason": "Toen was je op de cursus"}),
            )
            .await;
        assert_eq!(rejected.status, 200, "{}", rejected.text);
    }
    // Only the time they logged themselves: the werkleider's own entry is theirs to mend.
    let told: Vec<_> = crate::planned_work::outbox_messages(&w)
        .await
        .into_iter()
        .filter(|(template, _, _)| template == "worklog_rejected")
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    let (_, to, data) = &told[0];
    assert_eq!(to, email);
    assert_eq!(data["reason"], "Toen was je op de cursus");
    assert_eq!(data["items"][0]["hours"], "2:10");
}
