//! Ordering klussen and diensten: the five-hour rule, anti-splitting, proxies, visibility
//! and the job's life through triage, scheduling and cancellation.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::Role;
use servicepunt::db::schema::{call_tasks, outbox};

use crate::helpers::{TestApp, create_service, order_body, resident_body, world};

async fn templates_sent(app: &TestApp) -> Vec<String> {
    app.db(move |conn| {
        outbox::table
            .order(outbox::id)
            .select(outbox::template)
            .load::<String>(conn)
            .unwrap()
    })
    .await
}

#[actix_web::test]
async fn five_hours_is_the_limit_for_a_klus_around_the_home() {
    let w = world().await;
    let (resident, _, _) = w.app.register_resident("tuin@example.nl").await;

    let too_long = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 301))
        .await;
    too_long.assert_problem(422, "validation_failed");
    assert_eq!(too_long.body["errors"][0]["code"], "five_hour_rule");
    assert!(
        too_long.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bedrijf"),
        "{}",
        too_long.text
    );

    let exactly = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 300))
        .await;
    assert_eq!(exactly.status, StatusCode::CREATED, "{}", exactly.text);
    assert_eq!(
        exactly.body["status"], "waitlisted",
        "an order that breaks no rule is accepted at once"
    );
    assert_eq!(exactly.body["estimated_minutes"], 300);
    assert_eq!(exactly.body["waitlist"]["position"], 1);
    assert!(exactly.body.get("needs_review").is_none());

    // The message is in the resident's language.
    let mut english = crate::helpers::registration("en@example.nl");
    english["language"] = json!("en");
    english["address"]["house_number"] = json!("99");
    let token = w.app.register(english).await.body["tokens"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = w.app.post("/api/v1/jobs", Some(&token), order_body(w.hedge, 360)).await;
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("local business"),
        "{}",
        reply.text
    );

    // A dienst is not around the home: the rule does not apply.
    let company = create_service(&w.app, &w.coordinator, "Gezelschap", "gezelschap", false, 480).await;
    let long_company = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(company, 360))
        .await;
    assert_eq!(long_company.status, StatusCode::CREATED, "{}", long_company.text);
}

#[actix_web::test]
async fn services_that_may_not_be_ordered_say_why() {
    let w = world().await;
    let (resident, _, _) = w.app.register_resident("r@example.nl").await;
    w.app
        .patch(
            &format!("/api/v1/services/{}", w.hedge),
            Some(&w.coordinator),
            json!({"allowed": false, "not_allowed_reason": {"nl": "Dit doen de hoveniers in de wijk.", "en": "Local gardeners do this."}}),
        )
        .await;
    let reply = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 60))
        .await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.body["errors"][0]["code"], "service_not_allowed");
    assert_eq!(reply.body["errors"][0]["message"], "Dit doen de hoveniers in de wijk.");

    let mut undeclared = order_body(w.hedge, 60);
    undeclared["otherwise_not_done"] = json!(false);
    let reply = w.app.post("/api/v1/jobs", Some(&resident), undeclared).await;
    assert_eq!(reply.body["errors"][0]["code"], "declaration_required");
    let reply = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(424242, 60))
        .await;
    assert_eq!(reply.body["errors"][0]["code"], "unknown_service");
}

#[actix_web::test]
async fn two_three_hour_hedge_jobs_at_one_address_need_a_werkleider() {
    let w = world().await;
    let (resident, _, _) = w.app.register_resident("heg@example.nl").await;
    let first = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 180))
        .await;
    assert_eq!(first.body["status"], "waitlisted");
    let second = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 180))
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.body["status"], "requested", "not accepted automatically");
    assert!(
        second.body.get("needs_review").is_none(),
        "the resident does not see the internal flag"
    );
    let id = second.body["id"].as_i64().unwrap();

    let staff_view = w.app.get(&format!("/api/v1/jobs/{id}"), Some(&w.werkleider)).await;
    assert_eq!(staff_view.body["needs_review"], "split_suspected");

    let accept = format!("/api/v1/jobs/{id}/accept");
    let without = w.app.post(&accept, Some(&w.werkleider), json!({})).await;
    without.assert_problem(422, "validation_failed");
    assert_eq!(without.body["errors"][0]["code"], "review_reason_required");
    let with = w
        .app
        .post(
            &accept,
            Some(&w.werkleider),
            json!({"reason": "Twee aparte heggen, voor- en achtertuin; samen geen bedrijfsklus."}),
        )
        .await;
    assert_eq!(with.status, 200, "{}", with.text);
    assert_eq!(with.body["status"], "waitlisted");
    assert_eq!(
        with.body["review_reason"],
        "Twee aparte heggen, voor- en achtertuin; samen geen bedrijfsklus."
    );

    // Another address is not affected.
    let (neighbour, _, _) = w.app.register_resident("buren@example.nl").await;
    let mut elsewhere = order_body(w.hedge, 180);
    elsewhere["address"] = json!({"street": "Molenstraat", "house_number": "14", "postcode": "6711 AB", "city": "Ede"});
    assert_eq!(
        w.app.post("/api/v1/jobs", Some(&neighbour), elsewhere).await.body["status"],
        "waitlisted"
    );

    // The competition report shows the reviewed job, without personal data.
    let today = servicepunt::clock::today();
    let report_path = format!("/api/v1/reports/competition?from={today}&to={today}");
    let report = w.app.get(&report_path, Some(&w.werkleider)).await;
    assert_eq!(report.status, 200, "{}", report.text);
    let lines = report.body.as_array().unwrap();
    assert_eq!(lines.len(), 1, "{}", report.text);
    assert_eq!(lines[0]["job_id"], id);
    assert_eq!(lines[0]["outcome"], "accepted_after_review");
    assert_eq!(lines[0]["reason_code"], "split_suspected");
    assert_eq!(lines[0]["postcode_area"], "6711");
    assert!(!report.text.contains("Molenstraat") && !report.text.contains("Anna"));

    let csv = w.app.get_csv(&report_path, &w.werkleider).await;
    assert!(csv.content_type().starts_with("text/csv"));
    let mut rows = csv.text.lines();
    assert_eq!(
        rows.next(),
        Some("job_id,ordered_on,service,category,postcode_area,wijk,estimated_minutes,outcome,reason_code,reason")
    );
    let row = rows.next().unwrap();
    assert!(
        row.starts_with(&format!(
            "{id},{today},Heg snoeien,tuin,6711,,180,accepted_after_review,split_suspected,"
        )),
        "{row}"
    );
    assert!(
        row.ends_with("\"Twee aparte heggen, voor- en achtertuin; samen geen bedrijfsklus.\""),
        "{row}"
    );

    let resident_report = w.app.get(&report_path, Some(&resident)).await;
    resident_report.assert_problem(403, "forbidden");

    // Unnamed, the period is the month so far, today's review in it; backwards is no period.
    let month = w.app.get("/api/v1/reports/competition", Some(&w.werkleider)).await;
    assert_eq!(month.status, 200, "{}", month.text);
    let listed = month.body.as_array().unwrap().iter().any(|l| l["job_id"] == id);
    // (Unless a new month began since the review.)
    let new_month = chrono::Datelike::month(&servicepunt::clock::today()) != chrono::Datelike::month(&today);
    assert!(listed || new_month, "{}", month.text);
    let backwards = format!(
        "/api/v1/reports/competition?from={today}&to={}",
        today.pred_opt().unwrap()
    );
    let reply = w.app.get(&backwards, Some(&w.werkleider)).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.body["errors"][0]["code"], "invalid_period");
}

#[actix_web::test]
async fn a_daughter_orders_for_her_mother_as_proxy() {
    let w = world().await;
    let (mother, mother_id, _) = w.app.register_resident("moeder@example.nl").await;
    let (daughter, _, daughter_user) = w.app.register_resident("dochter@example.nl").await;
    let (stranger, _, _) = w.app.register_resident("vreemde@example.nl").await;

    let mut for_mother = order_body(w.hedge, 120);
    for_mother["recipient_id"] = json!(mother_id);
    w.app
        .post("/api/v1/jobs", Some(&daughter), for_mother.clone())
        .await
        .assert_problem(403, "forbidden");

    w.app.grant_proxy(mother_id, &mother, "dochter@example.nl").await;
    let job = w.app.post("/api/v1/jobs", Some(&daughter), for_mother.clone()).await;
    assert_eq!(job.status, StatusCode::CREATED, "{}", job.text);
    assert_eq!(job.body["recipient_id"], mother_id);
    assert_eq!(job.body["requester_user_id"], daughter_user);
    assert_eq!(job.body["channel"], "app");
    assert_eq!(
        job.body["address"]["house_number"], "12a",
        "the mother's address by default"
    );
    let id = job.body["id"].as_i64().unwrap();

    assert_eq!(
        w.app.get(&format!("/api/v1/jobs/{id}"), Some(&mother)).await.status,
        200
    );
    assert_eq!(
        w.app.get(&format!("/api/v1/jobs/{id}"), Some(&daughter)).await.status,
        200
    );
    w.app
        .get(&format!("/api/v1/jobs/{id}"), Some(&stranger))
        .await
        .assert_problem(404, "not_found");
    w.app
        .get(&format!("/api/v1/jobs/{id}/events"), Some(&stranger))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(w.app.get("/api/v1/jobs", Some(&mother)).await.body["total"], 1);
    assert_eq!(w.app.get("/api/v1/jobs", Some(&daughter)).await.body["total"], 1);
    assert_eq!(w.app.get("/api/v1/jobs", Some(&stranger)).await.body["total"], 0);

    // Both hear of it: the mother as recipient, the daughter as the one who ordered.
    let sent = templates_sent(&w.app).await;
    assert_eq!(sent.iter().filter(|t| *t == "job_accepted").count(), 2, "{sent:?}");

    for role in [Role::Participant, Role::Trajectbegeleider] {
        let token = w.app.token_for(role).await;
        w.app
            .post("/api/v1/jobs", Some(&token), for_mother.clone())
            .await
            .assert_problem(403, "forbidden");
        w.app
            .get("/api/v1/jobs", Some(&token))
            .await
            .assert_problem(403, "forbidden");
        w.app
            .get(&format!("/api/v1/jobs/{id}"), Some(&token))
            .await
            .assert_problem(404, "not_found");
    }
}

#[actix_web::test]
async fn staff_take_orders_by_phone_and_phone_only_residents_are_called() {
    let w = world().await;
    let mut body = resident_body("Mevrouw Bakker", "6712 CD");
    body["phone"] = json!("0318 111222");
    body["wijk"] = json!("Veldhuizen");
    let resident_id = w.app.post("/api/v1/residents", Some(&w.werkleider), body).await.body["id"]
        .as_i64()
        .unwrap();

    let mut order = order_body(w.hedge, 90);
    w.app
        .post("/api/v1/jobs", Some(&w.werkleider), order.clone())
        .await
        .assert_problem(422, "validation_failed");
    order["recipient_id"] = json!(resident_id);
    order["channel"] = json!("phone");
    order["preferred_windows"] =
        json!([{"date": servicepunt::clock::today().succ_opt().unwrap(), "dagdeel": "morning"}]);
    let job = w.app.post("/api/v1/jobs", Some(&w.werkleider), order).await;
    assert_eq!(job.status, StatusCode::CREATED, "{}", job.text);
    assert_eq!(job.body["channel"], "phone");
    assert_eq!(job.body["wijk"], "Veldhuizen");
    assert_eq!(job.body["preferred_windows"][0]["dagdeel"], "morning");

    let calls: Vec<String> = w
        .app
        .db(move |conn| call_tasks::table.select(call_tasks::template).load(conn).unwrap())
        .await;
    assert_eq!(calls, ["job_accepted"], "no email address: the servicepunt phones");

    let (resident, _, _) = w.app.register_resident("self@example.nl").await;
    let mut counter = order_body(w.hedge, 60);
    counter["channel"] = json!("counter");
    let reply = w.app.post("/api/v1/jobs", Some(&resident), counter).await;
    assert_eq!(reply.body["errors"][0]["code"], "staff_only");
}

#[actix_web::test]
async fn the_life_of_a_job_and_its_events() {
    let w = world().await;
    let app = &w.app;
    let (resident, _, resident_user) = app.register_resident("leven@example.nl").await;
    let id = app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 240))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let path = |action: &str| format!("/api/v1/jobs/{id}/{action}");

    // Waitlisted: accepting or refusing again is an illegal transition.
    app.post(&path("accept"), Some(&w.werkleider), json!({}))
        .await
        .assert_problem(409, "invalid_transition");
    app.post(&path("refuse"), Some(&w.werkleider), json!({"reason_code": "capacity"}))
        .await
        .assert_problem(409, "invalid_transition");
    // Residents cannot plan.
    let worker = crate::helpers::create_participant(app, &w.coordinator, "Ahmed Yilmaz", "solo_klus").await;
    let (from, until) = crate::helpers::next_local(9, 60);
    let assignment = json!({"job_id": id, "participant_ids": [worker], "starts_at": from, "ends_at": until});
    app.post("/api/v1/assignments", Some(&resident), assignment.clone())
        .await
        .assert_problem(403, "forbidden");
    let scheduled = app
        .post("/api/v1/assignments", Some(&w.werkleider), assignment.clone())
        .await;
    assert_eq!(scheduled.status, 201, "{}", scheduled.text);
    let job = app.get(&format!("/api/v1/jobs/{id}"), Some(&resident)).await;
    assert_eq!(job.body["status"], "scheduled");
    assert!(job.body["waitlist"].is_null());
    app.post("/api/v1/assignments", Some(&w.werkleider), assignment)
        .await
        .assert_problem(409, "invalid_transition");

    // Less than a day before the start: a late cancellation.
    let cancelled = app
        .post(
            &path("cancel"),
            Some(&resident),
            json!({"reason": "Mijn zoon komt toch"}),
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["cancelled_late"], true);
    app.post(&path("cancel"), Some(&resident), json!({}))
        .await
        .assert_problem(409, "invalid_transition");

    let events = app.get(&path("events"), Some(&resident)).await;
    let steps: Vec<(serde_json::Value, serde_json::Value)> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["from_status"].clone(), e["to_status"].clone()))
        .collect();
    assert_eq!(
        steps,
        [
            (json!(null), json!("requested")),
            (json!("requested"), json!("accepted")),
            (json!("accepted"), json!("waitlisted")),
            (json!("waitlisted"), json!("scheduled")),
            (json!("scheduled"), json!("cancelled")),
        ]
    );
    let e = events.body.as_array().unwrap();
    assert_eq!(e[0]["actor_user_id"], resident_user);
    assert_eq!(e[1]["actor_user_id"], json!(null), "accepted by the system");
    assert_eq!(e[4]["reason"], "late cancellation: Mijn zoon komt toch");
    assert!(templates_sent(app).await.contains(&"job_cancelled".to_owned()));
}

#[actix_web::test]
async fn early_cancellation_is_free_and_refusal_is_explained() {
    let w = world().await;
    let app = &w.app;
    let (resident, _, _) = app.register_resident("vroeg@example.nl").await;
    let id = app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 60))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let cancelled = app
        .post(&format!("/api/v1/jobs/{id}/cancel"), Some(&resident), json!({}))
        .await;
    assert_eq!(cancelled.body["cancelled_late"], false);

    // A reviewed job refused for competition.
    app.post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 200))
        .await;
    let second = app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 200))
        .await;
    let id = second.body["id"].as_i64().unwrap();
    let refuse = format!("/api/v1/jobs/{id}/refuse");
    app.post(&refuse, Some(&w.werkleider), json!({"reason_code": "other"}))
        .await
        .assert_problem(422, "validation_failed");
    app.post(&refuse, Some(&w.werkleider), json!({"reason_code": "too_busy"}))
        .await
        .assert_problem(400, "invalid_body");
    let refused = app
        .post(
            &refuse,
            Some(&w.werkleider),
            json!({"reason_code": "competition", "note": "Hovenier gebeld"}),
        )
        .await;
    assert_eq!(refused.status, 200, "{}", refused.text);
    assert_eq!(refused.body["status"], "refused");
    assert_eq!(
        refused.body["refusal"],
        json!({"code": "competition", "note": "Hovenier gebeld"})
    );
    app.post(
        &format!("/api/v1/jobs/{id}/accept"),
        Some(&w.werkleider),
        json!({"reason": "toch"}),
    )
    .await
    .assert_problem(409, "invalid_transition");
    app.post(&format!("/api/v1/jobs/{id}/cancel"), Some(&resident), json!({}))
        .await
        .assert_problem(409, "invalid_transition");
    assert!(templates_sent(app).await.contains(&"job_refused".to_owned()));
    app.post("/api/v1/jobs/999999/accept", Some(&w.werkleider), json!({}))
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn an_idempotency_key_makes_a_retried_order_one_order() {
    let w = world().await;
    let (resident, _, _) = w.app.register_resident("retry@example.nl").await;
    let send = |body: serde_json::Value, key: &str| {
        w.app.send(
            w.app
                .client
                .post(w.app.url("/api/v1/jobs"))
                .bearer_auth(&resident)
                .header("Idempotency-Key", key)
                .json(&body),
        )
    };
    let first = send(order_body(w.hedge, 60), "order-1").await;
    let retry = send(order_body(w.hedge, 60), "order-1").await;
    assert_eq!(first.status, 201);
    assert_eq!(retry.status, 201);
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert!(first.headers.get("idempotent-replayed").is_none());

    send(order_body(w.hedge, 90), "order-1")
        .await
        .assert_problem(422, "idempotency_key_reused");
    send(order_body(w.hedge, 60), &"k".repeat(300))
        .await
        .assert_problem(400, "invalid_idempotency_key");
    assert_eq!(w.app.get("/api/v1/jobs", Some(&resident)).await.body["total"], 1);
    // Without a key, every POST is a new order.
    w.app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 60))
        .await;
    assert_eq!(w.app.get("/api/v1/jobs", Some(&resident)).await.body["total"], 2);
}

#[actix_web::test]
async fn the_waiting_list_puts_seventy_plus_first_within_a_week() {
    let w = world().await;
    let app = &w.app;
    let mut young = resident_body("Jonge Bewoner", "6711 AB");
    young["email"] = json!("jong@example.nl");
    let young_id = app.post("/api/v1/residents", Some(&w.werkleider), young).await.body["id"]
        .as_i64()
        .unwrap();
    let mut old = resident_body("Oude Bewoner", "6712 AB");
    old["birth_date"] = json!("1940-04-01");
    let old_id = app.post("/api/v1/residents", Some(&w.werkleider), old).await.body["id"]
        .as_i64()
        .unwrap();

    for recipient in [young_id, old_id] {
        let mut body = order_body(w.hedge, 60);
        body["recipient_id"] = json!(recipient);
        assert_eq!(
            app.post("/api/v1/jobs", Some(&w.werkleider), body).await.body["status"],
            "waitlisted"
        );
    }
    let list = app.get("/api/v1/waitlist", Some(&w.werkleider)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let entries = list.body.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["recipient_id"], old_id, "the 70-plus resident goes first");
    assert_eq!(entries[0]["priority"], true);
    assert_eq!(entries[0]["position"], 1);
    assert_eq!(entries[1]["position"], 2);
    assert_eq!(entries[1]["estimated_wait_days"], json!(null), "no throughput yet");

    // The resident sees their own place; once work of this service gets planned, an estimate.
    let young_job = entries[1]["job_id"].as_i64().unwrap();
    let old_job = entries[0]["job_id"].as_i64().unwrap();
    let worker = crate::helpers::create_participant(app, &w.coordinator, "Sanne de Wit", "solo_klus").await;
    let (from, until) = crate::helpers::next_local(9, 60);
    let span = json!({"job_id": old_job, "participant_ids": [worker], "starts_at": from, "ends_at": until});
    let planned = app.post("/api/v1/assignments", Some(&w.werkleider), span).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    let mine = app.get(&format!("/api/v1/jobs/{young_job}"), Some(&w.werkleider)).await;
    assert_eq!(mine.body["waitlist"]["position"], 1);
    assert_eq!(
        mine.body["waitlist"]["estimated_wait_days"], 28,
        "one job planned in 28 days: about 28 days per place"
    );

    let other = create_service(app, &w.coordinator, "Gezelschap", "gezelschap", false, 240).await;
    let filtered = app
        .get(&format!("/api/v1/waitlist?service_id={other}"), Some(&w.werkleider))
        .await;
    assert_eq!(filtered.body, json!([]));
    app.get("/api/v1/waitlist", Some(&app.token_for(Role::Finance).await))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn staff_filter_the_job_list() {
    let w = world().await;
    let app = &w.app;
    let (resident, _, _) = app.register_resident("lijst@example.nl").await;
    for _ in 0..3 {
        app.post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 60)).await;
    }
    let id = app.get("/api/v1/jobs", Some(&resident)).await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.post(&format!("/api/v1/jobs/{id}/cancel"), Some(&resident), json!({}))
        .await;

    let finance = app.token_for(Role::Finance).await;
    assert_eq!(app.get("/api/v1/jobs", Some(&finance)).await.body["total"], 3);
    assert_eq!(
        app.get("/api/v1/jobs?status=cancelled", Some(&finance)).await.body["total"],
        1
    );
    assert_eq!(
        app.get("/api/v1/jobs?status=waitlisted&per_page=1", Some(&finance))
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get(&format!("/api/v1/jobs?service_id={}", w.hedge), Some(&finance))
            .await
            .body["total"],
        3
    );
    let today = servicepunt::clock::today();
    assert_eq!(
        app.get(&format!("/api/v1/jobs?from={today}&to={today}"), Some(&finance))
            .await
            .body["total"],
        3
    );
    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/jobs?from={tomorrow}"), Some(&finance))
            .await
            .body["total"],
        0
    );
    app.get("/api/v1/jobs?status=lost", Some(&finance))
        .await
        .assert_problem(400, "invalid_query");
}
