//! Privacy: every look at a resident's data is in the audit log, the coordinator can hand
//! a resident all their data, and erasure removes what identifies them while the books
//! stay whole.

use reqwest::Method;
use serde_json::json;
use servicepunt::auth::Role;

use crate::cheques::{assert_books, counter, sell};
use crate::helpers::{PASSWORD, World, count_rows, execute_sql, order_body, resident_body, world};

/// The audit log about a resident, as the coordinator reads it: the reply and its entries.
async fn audit_of(w: &World, resident: i64) -> (crate::helpers::Reply, Vec<serde_json::Value>) {
    let log = w
        .app
        .get(
            &format!("/api/v1/admin/audit?subject=resident:{resident}"),
            Some(&w.coordinator),
        )
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    let entries = log.body["items"].as_array().unwrap().clone();
    (log, entries)
}

#[actix_web::test]
async fn reads_are_audited_data_can_be_exported_and_a_resident_erased() {
    let w = world().await;
    let c = counter(&w).await;
    let (resident_token, id, _) = w.app.register_resident("privacy@example.nl").await;
    let wmo = w
        .app
        .post(
            &format!("/api/v1/residents/{id}/eligibility"),
            Some(&w.werkleider),
            json!({"basis": "wmo", "valid_from": "2026-01-01", "evidence_ref": "WMO-2026-0099"}),
        )
        .await;
    assert_eq!(wmo.status, 201, "{}", wmo.text);
    let mut order = order_body(w.hedge, 60);
    order["description"] = json!("Heg bij de achterdeur, sleutel onder de mat");
    // Ordered as the app does, with a key: the response is kept to answer a retry.
    let job = w
        .app
        .send(
            w.app
                .client
                .post(w.app.url("/api/v1/jobs"))
                .bearer_auth(&resident_token)
                .header("Idempotency-Key", "order-privacy-1")
                .json(&order),
        )
        .await;
    assert_eq!(job.status, 201, "{}", job.text);
    assert_eq!(sell(&w, &c, id, 2, "cash").await.status, 201);
    let kept_copies = "SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_body LIKE '%sleutel onder de mat%'";
    assert_eq!(crate::helpers::count_rows(&w.app, kept_copies).await, 1);

    // Reads by staff, and a refused read by another resident, are logged.
    assert_eq!(
        w.app
            .get(&format!("/api/v1/residents/{id}"), Some(&w.werkleider))
            .await
            .status,
        200
    );
    assert_eq!(
        w.app
            .get(&format!("/api/v1/residents/{id}/cheques"), Some(&c.finance))
            .await
            .status,
        200
    );
    let (stranger, _, _) = w.app.register_resident("nieuwsgierig@example.nl").await;
    assert_eq!(
        w.app
            .get(&format!("/api/v1/residents/{id}"), Some(&stranger))
            .await
            .status,
        403
    );
    let (log, entries) = audit_of(&w, id).await;
    let ops: Vec<(String, i64)> = entries
        .iter()
        .filter(|e| e["subject_id"] == id)
        .map(|e| {
            (
                e["operation"].as_str().unwrap().to_owned(),
                e["status"].as_i64().unwrap(),
            )
        })
        .collect();
    for expected in [
        ("GET /api/v1/residents/{id}".to_owned(), 200),
        ("GET /api/v1/residents/{id}/cheques".to_owned(), 200),
        ("GET /api/v1/residents/{id}".to_owned(), 403),
        ("POST /api/v1/residents/{id}/eligibility".to_owned(), 201),
    ] {
        assert!(ops.contains(&expected), "{expected:?} in {ops:?}");
    }
    assert!(!log.text.contains("privacy@example.nl"), "the log holds no content");
    w.app
        .get("/api/v1/admin/audit?subject=somebody", Some(&w.coordinator))
        .await
        .assert_problem(422, "validation_failed");

    // Export: everything, to the coordinator only.
    let finance_export = w
        .app
        .get(&format!("/api/v1/residents/{id}/export"), Some(&c.finance))
        .await;
    finance_export.assert_problem(403, "forbidden");
    let export = w
        .app
        .get(&format!("/api/v1/residents/{id}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(export.status, 200, "{}", export.text);
    assert_eq!(export.body["resident"]["name"], "Anna de Vries");
    assert_eq!(export.body["account"]["email"], "privacy@example.nl");
    assert_eq!(export.body["eligibility_periods"][0]["evidence_ref"], "WMO-2026-0099");
    assert_eq!(
        export.body["jobs"][0]["description"],
        "Heg bij de achterdeur, sleutel onder de mat"
    );
    assert_eq!(export.body["cheques"].as_array().unwrap().len(), 2);
    assert!(!export.body["messages"].as_array().unwrap().is_empty());

    // Erasure: confirmed, once; the person is gone, the money is not.
    let erase = format!("/api/v1/residents/{id}/erase");
    w.app
        .post(&erase, Some(&w.coordinator), json!({"confirm": false}))
        .await
        .assert_problem(422, "validation_failed");
    w.app
        .post(&erase, Some(&w.werkleider), json!({"confirm": true}))
        .await
        .assert_problem(403, "forbidden");
    // Not while a job is still to be done: it would send someone to an address that is
    // gone. The resident cancels it first.
    w.app
        .post(&erase, Some(&w.coordinator), json!({"confirm": true}))
        .await
        .assert_problem(409, "open_jobs");
    let cancel = format!("/api/v1/jobs/{}/cancel", job.body["id"]);
    let cancelled = w.app.post(&cancel, Some(&resident_token), json!({})).await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.text);
    let erased = w.app.post(&erase, Some(&w.coordinator), json!({"confirm": true})).await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    w.app
        .post(&erase, Some(&w.coordinator), json!({"confirm": true}))
        .await
        .assert_problem(409, "already_erased");
    let after = w
        .app
        .get(&format!("/api/v1/residents/{id}/export"), Some(&w.coordinator))
        .await;
    let text = after.text.clone();
    for gone in [
        "Anna de Vries",
        "privacy@example.nl",
        "Molenstraat",
        "WMO-2026-0099",
        "sleutel onder de mat",
        "0318123456",
        "0318 123456",
    ] {
        assert!(!text.contains(gone), "{gone} still in {text}");
    }
    assert!(after.body["resident"]["erased_at"].is_string());
    assert_eq!(
        crate::helpers::count_rows(&w.app, kept_copies).await,
        0,
        "the response kept for a retry of the order is a copy"
    );
    assert_eq!(after.body["eligibility_periods"], json!([]));
    assert_eq!(
        after.body["cheques"].as_array().unwrap().len(),
        2,
        "financial records stay"
    );
    assert_eq!(after.body["purchases"].as_array().unwrap().len(), 1);
    assert_books(&w, &c).await;
    // The account cannot log in any more, with either address.
    let login = w
        .app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "privacy@example.nl", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status, 401, "{}", login.text);
    // Nor use the access token it held.
    w.app
        .get(&format!("/api/v1/residents/{id}"), Some(&resident_token))
        .await
        .assert_problem(401, "invalid_token");
    let _ = Role::Coordinator;
}

/// Runs the welfare retention (24 months) as the daily timer would on `on`; how many
/// participants it concerned.
async fn welfare_retention(w: &World, on: chrono::NaiveDate) -> usize {
    w.app
        .db(move |conn| {
            servicepunt::db::write_tx(conn, |conn| servicepunt::privacy::retention::run(conn, on, 24)).unwrap()
        })
        .await
}

#[actix_web::test]
async fn welfare_data_goes_once_the_last_trajectory_ended_long_enough_ago() {
    let w = world().await;
    let ended = crate::helpers::create_participant(&w.app, &w.coordinator, "Oud Deelnemer", "solo_klus").await;
    let running = crate::helpers::create_participant(&w.app, &w.coordinator, "Nog Bezig", "solo_klus").await;
    let today = servicepunt::clock::today();
    for (p, note) in [(ended, "Belde af: ziek"), (running, "Te laat, bus")] {
        let r = w
            .app
            .post(
                "/api/v1/attendance",
                Some(&w.coordinator),
                json!({"participant_id": p, "date": today, "status": "excused", "note": note}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }
    let pair = w
        .app
        .post(
            &format!("/api/v1/participants/{ended}/do-not-pair"),
            Some(&w.coordinator),
            json!({"other_participant_id": running}),
        )
        .await;
    assert!(pair.status.is_success(), "{}", pair.text);
    for p in [ended, running] {
        let list = w
            .app
            .get(&format!("/api/v1/participants/{p}/trajectories"), Some(&w.coordinator))
            .await;
        let plan = format!("/api/v1/trajectories/{}/plan", list.body[0]["id"]);
        let goals = Some(json!({"goals": ["Op tijd komen"]}));
        let written = w.app.call(Method::PUT, &plan, Some(&w.coordinator), goals).await;
        assert_eq!(written.status, 200, "{}", written.text);
        let reviews = format!("/api/v1/trajectories/{}/reviews", list.body[0]["id"]);
        let talk = json!({"held_on": today, "ladder_step": 3, "summary": "Gaat goed"});
        let reviewed = w.app.post(&reviews, Some(&w.coordinator), talk).await;
        assert_eq!(reviewed.status, 201, "{}", reviewed.text);
        let ramp_up = format!("/api/v1/participants/{p}/ramp-up");
        let steps = Some(json!({"steps": [{"from": today, "hours_per_week": 16}]}));
        let paced = w.app.call(Method::PUT, &ramp_up, Some(&w.coordinator), steps).await;
        assert_eq!(paced.status, 200, "{}", paced.text);
        let approvals = format!("/api/v1/trajectories/{}/approvals", list.body[0]["id"]);
        let question = json!({"kind": "extra_time", "proposal": "Nog drie maanden"});
        let asked = w.app.post(&approvals, Some(&w.coordinator), question).await;
        assert_eq!(asked.status, 201, "{}", asked.text);
        let vog = json!({"vog_issued_on": today});
        let shown = w
            .app
            .patch(&format!("/api/v1/participants/{p}"), Some(&w.coordinator), vog)
            .await;
        assert_eq!(shown.status, 200, "{}", shown.text);
    }
    let trajectory = crate::helpers::end_trajectory(&w.app, &w.coordinator, ended, today).await;
    // One that ran out without anyone ending it is over too.
    let ran_out = crate::helpers::bare_participant(&w.app, &w.coordinator, "Uitgelopen").await;
    let detachering = json!({"kind": "detachering", "starts_on": today - chrono::Duration::days(200),
        "ends_on": today - chrono::Duration::days(20)});
    crate::helpers::start_trajectory(&w.app, &w.coordinator, ran_out, detachering).await;
    let absent = json!({"participant_id": ran_out, "date": today - chrono::Duration::days(25),
        "status": "excused", "note": "Ziek"});
    assert!(
        w.app
            .post("/api/v1/attendance", Some(&w.coordinator), absent)
            .await
            .status
            .is_success()
    );

    // Within the retention period nothing goes; after it (24 months), only the ended
    // participant's and the one that ran out: the running one's lasts 11 months more.
    assert_eq!(welfare_retention(&w, today + chrono::Duration::days(365)).await, 0);
    assert_eq!(welfare_retention(&w, today + chrono::Duration::days(800)).await, 2);
    let (attendance_left, pairs_left, exit): (Vec<i64>, i64, Option<String>) = w
        .app
        .db(move |conn| {
            use diesel::prelude::*;
            use servicepunt::db::schema::{attendance, do_not_pair, trajectories};
            let who: Vec<i64> = attendance::table.select(attendance::participant_id).load(conn).unwrap();
            let pairs: i64 = do_not_pair::table.count().get_result(conn).unwrap();
            let exit = trajectories::table
                .find(trajectory)
                .select(trajectories::exit_reason)
                .first(conn)
                .unwrap();
            (who, pairs, exit)
        })
        .await;
    assert_eq!(attendance_left, vec![running], "the running participant's record stays");
    let plans = "SELECT COUNT(*) AS n FROM trajectory_plans";
    assert_eq!(count_rows(&w.app, plans).await, 1, "the running one's plan stays");
    let reviews = "SELECT COUNT(*) AS n FROM progress_reviews";
    assert_eq!(count_rows(&w.app, reviews).await, 1, "the running one's review stays");
    let ramp_up = "SELECT COUNT(*) AS n FROM ramp_up_steps";
    assert_eq!(
        count_rows(&w.app, ramp_up).await,
        1,
        "the running one's ramp-up plan stays"
    );
    let questions = "SELECT COUNT(*) AS n FROM approval_requests";
    assert_eq!(
        count_rows(&w.app, questions).await,
        1,
        "the running one's question stays"
    );
    assert_eq!(pairs_left, 0);
    assert_eq!(exit, None);
    // Hours and the participant's profile (for the bonus and the books) are still there;
    // the VOG's date only while a trajectory runs.
    let gone = w
        .app
        .get(&format!("/api/v1/participants/{ended}"), Some(&w.coordinator))
        .await;
    assert_eq!(gone.status, 200);
    assert_eq!(gone.body["vog_issued_on"], json!(null), "{}", gone.text);
    let kept = w
        .app
        .get(&format!("/api/v1/participants/{running}"), Some(&w.coordinator))
        .await;
    assert_eq!(kept.body["vog_issued_on"], json!(today), "{}", kept.text);
}

/// Records today's attendance of a participant as excused, with the werkleider's note, and
/// two hours of office work that ended three hours ago.
pub async fn excused_and_worked(w: &World, p: i64, note: &str) {
    let today = servicepunt::clock::today();
    let noted = w
        .app
        .post(
            "/api/v1/attendance",
            Some(&w.coordinator),
            json!({"participant_id": p, "date": today, "status": "excused", "note": note}),
        )
        .await;
    assert!(noted.status.is_success(), "{}", noted.text);
    let end = chrono::Utc::now() - chrono::Duration::hours(3);
    let logged = w
        .app
        .post(
            "/api/v1/worklogs",
            Some(&w.werkleider),
            json!({"participant_ids": [p], "activity": "office", "started_at": (end - chrono::Duration::hours(2)).to_rfc3339(), "ended_at": end.to_rfc3339()}),
        )
        .await;
    assert_eq!(logged.status, 201, "{}", logged.text);
}

#[actix_web::test]
async fn a_participant_can_have_their_data_exported_and_erased() {
    let w = world().await;
    let p = crate::helpers::create_participant(&w.app, &w.coordinator, "Petra Privé", "solo_klus").await;
    excused_and_worked(&w, p, "Afspraak bij de huisarts").await;
    let (today, end) = (
        servicepunt::clock::today(),
        chrono::Utc::now() - chrono::Duration::hours(3),
    );

    let export = w
        .app
        .get(&format!("/api/v1/participants/{p}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(export.status, 200, "{}", export.text);
    assert_eq!(export.body["participant"]["name"], "Petra Privé");
    assert_eq!(export.body["attendance"][0]["note"], "Afspraak bij de huisarts");
    assert_eq!(export.body["work_logs"].as_array().unwrap().len(), 1);
    w.app
        .get(&format!("/api/v1/participants/{p}/export"), Some(&w.werkleider))
        .await
        .assert_problem(403, "forbidden");

    // Not while they are planned for work still to be done: the werkleider plans someone
    // else first.
    let job = crate::planning::waitlisted_job(&w, w.hedge, 60).await;
    let planned = crate::planning::assign(&w, job, &[p], &crate::helpers::next_local(10, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    let erase = format!("/api/v1/participants/{p}/erase");
    w.app
        .post(&erase, Some(&w.coordinator), json!({"confirm": true}))
        .await
        .assert_problem(409, "planned_work");
    let unplanned = crate::planning::unassign(&w, planned.body["id"].as_i64().unwrap()).await;
    assert_eq!(unplanned.status, 204, "{}", unplanned.text);
    assert_eq!(
        w.app
            .post(&erase, Some(&w.coordinator), json!({"confirm": true}))
            .await
            .status,
        204
    );
    w.app
        .post(&erase, Some(&w.coordinator), json!({"confirm": true}))
        .await
        .assert_problem(409, "already_erased");
    // Nothing is recorded for them again, and they are not made active again.
    let path = format!("/api/v1/participants/{p}");
    let absence = json!({"kind": "sick", "starts_on": today});
    let trajectories = w.app.get(&format!("{path}/trajectories"), Some(&w.coordinator)).await;
    let tid = trajectories.body[0]["id"]
        .as_i64()
        .expect("the participant's trajectory");
    let trajectory = format!("/api/v1/trajectories/{tid}");
    let extension = json!({"until": today + chrono::Duration::days(400), "justification": "nog niet klaar"});
    let ending = json!({"on": today, "exit_reason": "regular_work"});
    for reply in [
        w.app
            .post(&format!("{trajectory}/extend"), Some(&w.coordinator), extension)
            .await,
        w.app
            .post(&format!("{trajectory}/end"), Some(&w.coordinator), ending)
            .await,
        w.app
            .patch(
                &path,
                Some(&w.werkleider),
                json!({"active": true, "phone": "0318123456"}),
            )
            .await,
        w.app
            .post(&format!("{path}/absences"), Some(&w.werkleider), absence)
            .await,
    ] {
        reply.assert_problem(409, "participant_erased");
    }
    // Chosen in the body, the participant is a field of the request.
    let as_field = [
        (
        w.app
            .post(
                "/api/v1/attendance",
                Some(&w.werkleider),
                json!({"participant_id": p, "date": today, "status": "no_show"}),
            )
            .await,
            "participant_id",
        ),
        (
            w.app
            .post(
                "/api/v1/worklogs",
                Some(&w.werkleider),
                json!({"participant_ids": [p], "activity": "office", "started_at": (end - chrono::Duration::hours(5)).to_rfc3339(), "ended_at": (end - chrono::Duration::hours(4)).to_rfc3339()}),
            )
            .await,
            "participant_ids",
        ),
    ];
    for (reply, field) in as_field {
        reply.assert_problem(422, "validation_failed");
        assert_eq!(reply.body["errors"][0]["field"], field, "{}", reply.text);
        assert_eq!(reply.body["errors"][0]["code"], "participant_erased", "{}", reply.text);
    }
    let after = w
        .app
        .get(&format!("/api/v1/participants/{p}/export"), Some(&w.coordinator))
        .await;
    assert!(!after.text.contains("Petra"), "{}", after.text);
    assert!(!after.text.contains("huisarts"), "{}", after.text);
    assert_eq!(after.body["attendance"], json!([]));
    assert_eq!(
        after.body["work_logs"].as_array().unwrap().len(),
        1,
        "hours stay for the bonus and the books"
    );
    assert_eq!(after.body["participant"]["active"], false);
}

/// Runs the fiscal retention job as if it were `on`.
async fn fiscal_retention(w: &crate::helpers::World, on: chrono::NaiveDate) -> servicepunt::privacy::fiscal::Purged {
    w.app
        .db(move |conn| servicepunt::db::write_tx(conn, |conn| servicepunt::privacy::fiscal::run(conn, on)).unwrap())
        .await
}

#[actix_web::test]
async fn erased_peoples_financial_records_go_after_the_fiscal_period_and_the_books_stay_whole() {
    use chrono::Datelike;
    use servicepunt::privacy::fiscal::Purged;

    let w = world().await;
    let c = counter(&w).await;
    let erased = crate::cheques::resident(&w, "Weg Gaand", None, "7").await;
    let kept = crate::cheques::resident(&w, "Blijft Bestaan", None, "9").await;
    let worker = crate::helpers::create_participant(&w.app, &w.coordinator, "Werker Weg", "solo_klus").await;
    assert_eq!(sell(&w, &c, erased, 3, "cash").await.status, 201);
    assert_eq!(sell(&w, &c, kept, 1, "pin").await.status, 201);
    let job = crate::cheques::performed_job(&w, erased, worker, 1, 120).await;
    let confirmed = w
        .app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(confirmed.body["status"], "settled", "{}", confirmed.text);
    for path in [
        format!("/api/v1/residents/{erased}/erase"),
        format!("/api/v1/participants/{worker}/erase"),
    ] {
        let r = w.app.post(&path, Some(&w.coordinator), json!({"confirm": true})).await;
        assert_eq!(r.status, 204, "{path}: {}", r.text);
    }
    let today = servicepunt::clock::today();
    let last_kept_day = chrono::NaiveDate::from_ymd_opt(today.year() + 7, 12, 31).unwrap();
    let first_free_day = last_kept_day.succ_opt().unwrap();
    // Inside the period nothing goes.
    assert_eq!(fiscal_retention(&w, last_kept_day).await, Purged::default());
    // After it the participant's hours go, but not the resident's records: one cheque is
    // still unused and can be spent.
    assert_eq!(
        fiscal_retention(&w, first_free_day).await,
        Purged {
            residents: 0,
            participants: 1
        }
    );
    let refund = w
        .app
        .get(&format!("/api/v1/residents/{erased}/cheques"), Some(&c.finance))
        .await;
    let unused: Vec<String> = refund.body["cheques"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["status"] == "sold")
        .map(|x| x["serial"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(unused.len(), 1, "{}", refund.text);
    let refunded = w
        .app
        .post(
            &format!("/api/v1/cheques/{}/refund", unused[0]),
            Some(&c.finance),
            json!({"method": "cash", "reason": "erfgenamen vragen het geld terug", "cash_session_id": c.session}),
        )
        .await;
    assert!(refunded.status.is_success(), "{}", refunded.text);
    let entries = count_rows(&w.app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM journal_entries").await;
    let books_before = assert_books(&w, &c).await;
    assert_eq!(fiscal_retention(&w, last_kept_day).await, Purged::default());
    assert_eq!(
        fiscal_retention(&w, first_free_day).await,
        Purged {
            residents: 1,
            participants: 0
        }
    );

    // Everything that tied money to the erased resident and the participant is gone ...
    for (table, sql) in [
        (
            "residents",
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM residents WHERE id = {erased}"),
        ),
        (
            "cheques",
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cheques WHERE owner_resident_id = {erased}"),
        ),
        (
            "cheque_sales",
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cheque_sales WHERE resident_id = {erased}"),
        ),
        (
            "cash_payouts",
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cash_payouts WHERE cash_session_id = {}",
                c.session
            ),
        ),
        (
            "jobs",
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM jobs WHERE recipient_id = {erased}"),
        ),
        (
            "job_events",
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM job_events WHERE job_id = {job}"),
        ),
        (
            "participants",
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM participants WHERE id = {worker}"),
        ),
        (
            "work_logs",
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM work_logs WHERE participant_id = {worker}"),
        ),
    ] {
        assert_eq!(count_rows(&w.app, sql).await, 0, "{table} left behind");
    }
    // ... while the other resident keeps everything, and the books keep every entry.
    let theirs = w
        .app
        .get(&format!("/api/v1/residents/{kept}/cheques"), Some(&c.finance))
        .await;
    assert_eq!(theirs.body["cheques"].as_array().unwrap().len(), 1, "{}", theirs.text);
    assert_eq!(
        count_rows(&w.app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM journal_entries").await,
        entries,
        "the general ledger keeps every entry"
    );
    assert_eq!(assert_books(&w, &c).await["accounts"], books_before["accounts"]);
}

/// actix routes `/api/v1/%72esidents/7` to `/residents/{id}` (it decodes the letter), so
/// the audit log must read the path the same way: spelt so, a read is still logged, and
/// about the right resident.
#[actix_web::test]
async fn a_read_at_an_address_spelt_with_encoded_letters_is_still_logged() {
    let w = world().await;
    let created = w
        .app
        .post(
            "/api/v1/residents",
            Some(&w.werkleider),
            resident_body("Kees Bos", "6711 AB"),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    let encoded_id: String = id.to_string().bytes().map(|b| format!("%{b:02X}")).collect();
    for path in [
        format!("/api/v1/%72esidents/{id}"),
        format!("/api/v1/residents/{encoded_id}"),
    ] {
        let read = w.app.get(&path, Some(&w.werkleider)).await;
        assert_eq!(read.status, 200, "{path} is the resident's address: {}", read.text);
        assert_eq!(read.body["name"], "Kees Bos");
    }
    let (log, entries) = audit_of(&w, id).await;
    let reads = entries
        .iter()
        .filter(|e| e["operation"] == "GET /api/v1/residents/{id}" && e["status"] == 200)
        .count();
    assert_eq!(reads, 2, "both reads are logged about resident {id}: {}", log.text);
}

/// An erased resident's record keeps only what the law makes us keep, without a name:
/// nothing new is recorded for them afterwards — no job (it would send a participant to
/// an empty address), no purchase, no eligibility (welfare data), no contact details, no
/// proxy — while their unused cheque can still be refunded.
#[actix_web::test]
async fn nothing_new_is_recorded_for_an_erased_resident() {
    let w = world().await;
    let c = counter(&w).await;
    let id = crate::cheques::resident(&w, "Weg Gaand", Some("1940-01-01"), "7").await;
    let bought = sell(&w, &c, id, 1, "cash").await;
    assert_eq!(bought.status, 201, "{}", bought.text);
    w.app.register_resident("familie.weg@example.nl").await;
    let erased = w
        .app
        .post(
            &format!("/api/v1/residents/{id}/erase"),
            Some(&w.coordinator),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(erased.status, 204, "{}", erased.text);

    let mut order = order_body(w.hedge, 60);
    order["recipient_id"] = json!(id);
    let as_field = [
        (
            w.app.post("/api/v1/jobs", Some(&w.werkleider), order).await,
            "recipient_id",
        ),
        (sell(&w, &c, id, 1, "cash").await, "resident_id"),
    ];
    for (reply, field) in as_field {
        reply.assert_problem(422, "validation_failed");
        assert_eq!(reply.body["errors"][0]["field"], field, "{}", reply.text);
        assert_eq!(reply.body["errors"][0]["code"], "resident_erased", "{}", reply.text);
    }
    let eligibility = json!({"basis": "wmo", "valid_from": "2026-01-01", "evidence_ref": "WMO-1"});
    let proxy = json!({"proxy_email": "familie.weg@example.nl", "consent": true});
    for reply in [
        w.app
            .post(
                &format!("/api/v1/residents/{id}/eligibility"),
                Some(&w.werkleider),
                eligibility,
            )
            .await,
        w.app
            .patch(
                &format!("/api/v1/residents/{id}"),
                Some(&w.werkleider),
                json!({"phone": "0318123456"}),
            )
            .await,
        w.app
            .post(&format!("/api/v1/residents/{id}/proxies"), Some(&w.werkleider), proxy)
            .await,
    ] {
        reply.assert_problem(409, "resident_erased");
    }
    for (table, sql) in [
        (
            "jobs",
            format!("SELECT COUNT(*) AS n FROM jobs WHERE recipient_id = {id}"),
        ),
        (
            "cheque_sales",
            format!("SELECT COUNT(*) AS n FROM cheque_sales WHERE resident_id = {id}"),
        ),
        (
            "eligibility",
            format!("SELECT COUNT(*) AS n FROM eligibility_periods WHERE resident_id = {id}"),
        ),
        (
            "proxies",
            format!("SELECT COUNT(*) AS n FROM resident_proxies WHERE resident_id = {id}"),
        ),
        (
            "phone",
            format!("SELECT COUNT(*) AS n FROM residents WHERE id = {id} AND phone IS NOT NULL"),
        ),
    ] {
        let expected = if table == "cheque_sales" { 1 } else { 0 };
        assert_eq!(count_rows(&w.app, sql).await, expected, "{table}");
    }
    let serial = bought.body["cheques"][0]["serial"].as_str().unwrap().to_owned();
    let refunded = w
        .app
        .post(
            &format!("/api/v1/cheques/{serial}/refund"),
            Some(&c.finance),
            json!({"method": "cash", "reason": "erfgenamen", "cash_session_id": c.session}),
        )
        .await;
    assert_eq!(refunded.body["status"], "refunded", "{}", refunded.text);
    assert_books(&w, &c).await;
}

/// A change of participant `id`'s profile by the coordinator, which must succeed.
async fn change(w: &crate::helpers::World, id: i64, body: serde_json::Value) {
    let path = format!("/api/v1/participants/{id}");
    let changed = w.app.patch(&path, Some(&w.coordinator), body).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
}

/// Someone who never had a trajectory (a student on a placement, or who left during
/// intake) has welfare data too; it goes once they have been inactive long enough.
#[actix_web::test]
async fn welfare_data_of_someone_without_a_trajectory_goes_after_they_left() {
    let w = world().await;
    let today = servicepunt::clock::today();
    let left = crate::helpers::bare_participant(&w.app, &w.coordinator, "Stagiair Weg").await;
    let stays = crate::helpers::bare_participant(&w.app, &w.coordinator, "Stagiair Blijft").await;
    for p in [left, stays] {
        let absent = json!({"participant_id": p, "date": today, "status": "excused", "note": "Ziek"});
        let r = w.app.post("/api/v1/attendance", Some(&w.coordinator), absent).await;
        assert!(r.status.is_success(), "{}", r.text);
    }
    change(&w, left, json!({"active": false})).await;
    // Their profile corrected well after they left does not start the period again.
    change(&w, left, json!({"phone": "0612345678"})).await;
    let later = today + chrono::Duration::days(500);
    execute_sql(
        &w.app,
        format!("UPDATE participants SET updated_at = '{later} 10:00:00' WHERE id = {left}"),
    )
    .await;
    // Someone who left and came back is active: nothing of theirs counts down.
    change(&w, stays, json!({"active": false})).await;
    change(&w, stays, json!({"active": true})).await;

    assert_eq!(welfare_retention(&w, today + chrono::Duration::days(365)).await, 0);
    assert_eq!(welfare_retention(&w, today + chrono::Duration::days(800)).await, 1);
    let left_over = format!("SELECT COUNT(*) AS n FROM attendance WHERE participant_id = {left}");
    assert_eq!(count_rows(&w.app, &left_over).await, 0);
    let kept = format!("SELECT COUNT(*) AS n FROM attendance WHERE participant_id = {stays}");
    assert_eq!(count_rows(&w.app, &kept).await, 1, "still active: kept");
}
