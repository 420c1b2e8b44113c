//! Records changed from two screens at once: a service, a participant, a pair kept
//! apart, an institution, a resident registered at the desk, a proxy, a key's tag, a question to the sociale dienst, a time on
//! the intake roster, a compliment, a morning's attendance, an order being planned, a
//! crew's hours approved or rejected in batches. Each
//! change builds on the one before; a duplicate is told it exists; an erasure leaves
//! nothing recorded meanwhile.

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{World, count_rows, create_participant, next_local, world};

use super::{answered, assert_all, patch_all};
use crate::worklog_list::{own_hour, signed_in_participant};

/// Coordinators changing one service at the same moment: each change becomes a version
/// of its own, built on the one before, so none undoes another.
#[actix_web::test]
async fn twenty_changes_to_one_service_at_once_each_become_a_version() {
    let w = world().await;
    let path = format!("/api/v1/services/{}", w.hedge);
    let mut changes = vec![json!({"min_crew": 2})];
    changes.extend((1..20).map(|n| json!({"name": {"nl": format!("Heg snoeien {n}"), "en": format!("Hedge {n}")}})));
    let replies = patch_all(&w.app, &path, &w.coordinator, &changes).await;
    assert_all(&replies, 200);
    let mut versions: Vec<i64> = replies.iter().map(|r| r.body["version"].as_i64().unwrap()).collect();
    versions.sort_unstable();
    assert_eq!(versions, (2..=21).collect::<Vec<i64>>());
    let now = w.app.get(&path, None).await;
    assert_eq!(now.body["version"], 21, "{}", now.text);
    assert_eq!(now.body["min_crew"], 2, "a later change did not undo it: {}", now.text);
}

/// Werkleiders changing one participant at the same moment, one the phone number and the
/// others the days: each change builds on the one before, so none puts back what another
/// changed.
#[actix_web::test]
async fn twenty_changes_to_one_participant_at_once_undo_none_of_each_other() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Werker Dagen", "solo_klus").await;
    let path = format!("/api/v1/participants/{p}");
    let mut changes = vec![json!({"phone": "0318 123 456"})];
    changes.extend((1..20).map(|n| {
        let days: Vec<serde_json::Value> = (0..=n % 7)
            .map(|d| json!({"weekday": d, "dagdeel": "morning"}))
            .collect();
        json!({ "availability": days })
    }));
    let replies = patch_all(&w.app, &path, &w.werkleider, &changes).await;
    assert_all(&replies, 200);
    let now = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(now.body["phone"], "0318123456", "{}", now.text);
}

/// Two werkleiders recording that two participants must not work together, at the same
/// moment: it is recorded once and both hear it is.
#[actix_web::test]
async fn one_pair_kept_apart_twenty_times_at_once_is_recorded_once() {
    let w = world().await;
    let a = create_participant(&w.app, &w.coordinator, "Werker Aap", "solo_klus").await;
    let b = create_participant(&w.app, &w.coordinator, "Werker Beer", "solo_klus").await;
    let asks: Vec<(String, serde_json::Value)> = (0..20)
        .map(|n| {
            let (from, other) = if n % 2 == 0 { (a, b) } else { (b, a) };
            (
                format!("/api/v1/participants/{from}/do-not-pair"),
                json!({"other_participant_id": other, "reason": "ruzie"}),
            )
        })
        .collect();
    let replies = join_all(
        asks.iter()
            .map(|(path, body)| w.app.post(path, Some(&w.werkleider), body.clone())),
    )
    .await;
    assert_all(&replies, 204);
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM do_not_pair").await, 1);
}

/// One care home entered twice at the same moment is one institution; the other entry
/// hears it exists.
#[actix_web::test]
async fn one_institution_entered_twenty_times_at_once_exists_once() {
    let w = world().await;
    let body = json!({"name": "Zorgcentrum De Horst", "hourly_rate_cents": 3500});
    let replies =
        join_all((0..20).map(|_| w.app.post("/api/v1/institutions", Some(&w.coordinator), body.clone()))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "institution_exists");
    }
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM institutions").await, 1);
}

/// A resident registered at the desk from twenty screens at once (a double click, two
/// colleagues) is one resident; the others hear they are registered already.
#[actix_web::test]
async fn one_resident_registered_twenty_times_at_once_exists_once() {
    let w = world().await;
    let body = crate::helpers::resident_body("Truus Jansen", "6712 CD");
    let replies = join_all((0..20).map(|_| w.app.post("/api/v1/residents", Some(&w.werkleider), body.clone()))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "resident_exists");
    }
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM residents").await, 1);
}

/// A resident's daughter recorded as their proxy from two screens at the same moment is
/// one proxy; the others hear she is one already.
#[actix_web::test]
async fn one_proxy_recorded_twenty_times_at_once_exists_once() {
    let w = world().await;
    let (mother, mother_id, _) = w.app.register_resident("moeder.race@example.nl").await;
    w.app.register_resident("dochter.race@example.nl").await;
    let path = format!("/api/v1/residents/{mother_id}/proxies");
    let body = json!({"proxy_email": "dochter.race@example.nl", "consent": true});
    let replies = join_all((0..20).map(|_| w.app.post(&path, Some(&mother), body.clone()))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "proxy_exists");
    }
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM resident_proxies").await,
        1
    );
}

/// Twenty keys given the same tag at once, at two desks, for twenty residents: one is
/// received under it; the others hear the tag is in use, and no two keys share it.
#[actix_web::test]
async fn one_tag_given_to_twenty_keys_at_once_is_on_one() {
    let w = world().await;
    let mut residents = vec![];
    for i in 0..20 {
        residents.push(w.app.register_resident(&format!("sleutel{i}.race@example.nl")).await.1);
    }
    let paths: Vec<String> = residents
        .iter()
        .map(|r| format!("/api/v1/residents/{r}/keys"))
        .collect();
    let tag = json!({"tag": "S-1"});
    let replies = join_all(paths.iter().map(|p| w.app.post(p, Some(&w.werkleider), tag.clone()))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "tag_in_use");
    }
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM resident_keys").await, 1);
}

/// One question to the sociale dienst asked twenty times at once (a coach's double tap,
/// the coordinator at the same moment): one is open; the others hear it was asked.
#[actix_web::test]
async fn one_question_to_the_sociale_dienst_asked_twenty_times_is_open_once() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Vraag Race", "solo_klus").await;
    let trajectories = w
        .app
        .get(&format!("/api/v1/participants/{p}/trajectories"), Some(&w.coordinator))
        .await;
    let path = format!("/api/v1/trajectories/{}/approvals", trajectories.body[0]["id"]);
    let body = json!({"kind": "extra_time", "proposal": "Drie maanden erbij"});
    let replies = join_all((0..20).map(|_| w.app.post(&path, Some(&w.coordinator), body.clone()))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "already_asked");
    }
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM approval_requests").await,
        1
    );
}

/// A coach opening twenty overlapping times on their Werkplein day at once (a double tap,
/// two screens): one is opened; and one time booked from twenty screens at once: one
/// booking, the others told it is taken.
#[actix_web::test]
async fn twenty_overlapping_times_opened_or_one_booked_at_once_are_taken_once() {
    let w = world().await;
    let coach = w
        .app
        .create_user(
            "karin.race@voorwerk.example",
            servicepunt::auth::Role::Trajectbegeleider,
        )
        .await;
    let day = servicepunt::clock::today() + chrono::Duration::days(2);
    let replies = join_all((0..20).map(|n| {
        let body = json!({"on": day, "times": [format!("09:{n:02}")], "minutes": 45, "coach_id": coach});
        w.app.post("/api/v1/intake-slots", Some(&w.coordinator), body)
    }))
    .await;
    let slot = answered(&replies, 201, 1)[0].body[0]["id"].as_i64().unwrap();
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "slot_overlaps");
    }
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM intake_slots").await, 1);

    let path = format!("/api/v1/intake-slots/{slot}/booking");
    let replies = join_all((0..20).map(|n| {
        let body = json!({"client_name": format!("Cliënt {n}"), "case_manager": "Mw. De Vries"});
        w.app.post(&path, Some(&w.coordinator), body)
    }))
    .await;
    let client = answered(&replies, 200, 1)[0].body["booking"]["client_name"].clone();
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "already_booked");
    }
    let roster = w.app.get("/api/v1/intake-slots", Some(&w.coordinator)).await;
    assert_eq!(
        roster.body[0]["booking"]["client_name"], client,
        "the booking answered is the one kept"
    );
}

/// A resident's compliment sent twenty times at once (a double tap, a phone's retries):
/// one compliment, one mail to the crew, and every answer is that compliment.
#[actix_web::test]
async fn one_compliment_sent_twenty_times_at_once_is_given_once() {
    let w = world().await;
    let (_, worker) = crate::hours::participant_account(&w, "els.race@deelnemer.example").await;
    let (resident, recipient, _) = w.app.register_resident("anna.race@example.nl").await;
    let job = crate::cheques::performed_job(&w, recipient, worker, 0, 90).await;
    let path = format!("/api/v1/jobs/{job}/feedback");
    let body = json!({"kind": "compliment", "message": "Dank je wel!"});
    let replies = join_all((0..20).map(|_| w.app.post(&path, Some(&resident), body.clone()))).await;
    let first = answered(&replies, 201, 1)[0].body["id"].clone();
    assert_eq!(answered(&replies, 200, 19).len(), 19);
    assert!(
        replies.iter().all(|r| r.body["id"] == first),
        "{:?}",
        super::codes(&replies)
    );
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM job_feedback").await, 1);
    let mails = "SELECT COUNT(*) AS n FROM outbox WHERE template = 'compliment_received'";
    assert_eq!(count_rows(&w.app, mails).await, 1);
}

/// Two werkleiders at the counter recording the same morning's check-in, and a double
/// tap: every recording is taken and the day keeps one record, the last one made.
#[actix_web::test]
async fn one_mornings_attendance_recorded_twenty_times_at_once_is_one_record() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Werker Ochtend", "solo_klus").await;
    let today = servicepunt::clock::today();
    let statuses = ["present", "no_show", "excused"];
    let replies = join_all((0..20).map(|n| {
        let body = json!({"participant_id": p, "date": today, "status": statuses[n % 3]});
        w.app.post("/api/v1/attendance", Some(&w.werkleider), body)
    }))
    .await;
    assert_all(&replies, 201);
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM attendance").await, 1);
    let last = replies
        .iter()
        .max_by_key(|r| r.body["id"].as_i64())
        .expect("twenty answers");
    let kept = count_rows(
        &w.app,
        &format!(
            "SELECT COUNT(*) AS n FROM attendance WHERE status = '{}'",
            last.body["status"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(kept, 1, "the record kept is the last one made");
}

/// The erasure at `erase`, sent at the same moment as nineteen recordings taking turns
/// from `recordings` (method, path, body): each recording must come before the erasure
/// (and be erased with it) or be refused after it with `code` (in the problem, or in its
/// field errors when the subject was chosen in the body); afterwards each of `left`
/// counts nothing.
async fn erase_amid(w: &World, erase: &str, recordings: &[(Method, String, Value)], code: &str, left: &[String]) {
    let replies = join_all((0..20).map(|n| match n {
        0 => w.app.call(
            Method::POST,
            erase,
            Some(&w.coordinator),
            Some(json!({"confirm": true})),
        ),
        _ => {
            let (method, path, body) = &recordings[n % recordings.len()];
            w.app
                .call(method.clone(), path, Some(&w.werkleider), Some(body.clone()))
        }
    }))
    .await;
    assert_eq!(replies[0].status, 204, "{}", replies[0].text);
    for r in replies[1..].iter().filter(|r| !r.status.is_success()) {
        let told = if r.status == 422 {
            &r.body["errors"][0]["code"]
        } else {
            &r.body["code"]
        };
        assert_eq!(told, code, "{}", r.text);
    }
    for sql in left {
        assert_eq!(count_rows(&w.app, sql.clone()).await, 0, "{sql}");
    }
}

/// A coordinator erasing a resident while werkleiders record a Wmo period and a new
/// phone number for them: no welfare data or contact detail outlives the erasure.
#[actix_web::test]
async fn a_resident_erased_while_their_data_is_recorded_keeps_none_of_it() {
    let w = world().await;
    let id = crate::cheques::resident(&w, "Snel Weg", None, "9").await;
    let path = format!("/api/v1/residents/{id}");
    let eligibility = json!({"basis": "wmo", "valid_from": "2026-01-01", "evidence_ref": "WMO-9"});
    let recordings = [
        (Method::POST, format!("{path}/eligibility"), eligibility),
        (Method::PATCH, path.clone(), json!({"phone": "0318 12 34 56"})),
    ];
    let left = [
        format!("SELECT COUNT(*) AS n FROM eligibility_periods WHERE resident_id = {id}"),
        format!("SELECT COUNT(*) AS n FROM residents WHERE id = {id} AND phone IS NOT NULL"),
    ];
    erase_amid(&w, &format!("{path}/erase"), &recordings, "resident_erased", &left).await;
}

/// The same for a participant: erased while werkleiders record the morning's attendance
/// and a new phone number, nothing recorded meanwhile outlives the erasure.
#[actix_web::test]
async fn a_participant_erased_while_their_data_is_recorded_keeps_none_of_it() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Snelle Wil", "solo_klus").await;
    let path = format!("/api/v1/participants/{p}");
    let today = servicepunt::clock::today();
    let attendance = json!({"participant_id": p, "date": today, "status": "excused", "note": "bij de tandarts"});
    let recordings = [
        (Method::POST, "/api/v1/attendance".to_owned(), attendance),
        (Method::PATCH, path.clone(), json!({"phone": "0318 65 43 21"})),
    ];
    let left = [
        format!("SELECT COUNT(*) AS n FROM attendance WHERE participant_id = {p}"),
        format!("SELECT COUNT(*) AS n FROM participants WHERE id = {p} AND phone IS NOT NULL"),
    ];
    erase_amid(&w, &format!("{path}/erase"), &recordings, "participant_erased", &left).await;
}

/// A resident changing the days that suit them, over and over, while a werkleider plans
/// the job: each change comes before the planning or is told the job has its time now;
/// none lands after it.
#[actix_web::test]
async fn an_order_changed_while_it_is_planned_keeps_its_time() {
    let w = world().await;
    let (resident, job) = crate::job_changes::resident_with_order(&w, "haast@example.nl", "401").await;
    let worker = create_participant(&w.app, &w.coordinator, "Planner Piet", "solo_klus").await;
    let path = format!("/api/v1/jobs/{job}");
    let today = servicepunt::clock::today();
    let span = next_local(10, 60);
    let events = format!("{path}/events");
    let ordered = w
        .app
        .get(&events, Some(&resident))
        .await
        .body
        .as_array()
        .map_or(0, Vec::len);
    let replies = join_all((0..20).map(|n| {
        if n == 10 {
            let body = json!({"job_id": job, "participant_ids": [worker], "starts_at": span.0, "ends_at": span.1});
            w.app
                .call(Method::POST, "/api/v1/assignments", Some(&w.werkleider), Some(body))
        } else {
            let day = today + chrono::Duration::days(n + 1);
            let body = json!({"preferred_windows": [{"date": day, "dagdeel": "afternoon"}]});
            w.app.call(Method::PATCH, &path, Some(&resident), Some(body))
        }
    }))
    .await;
    assert_eq!(replies[10].status, 201, "{}", replies[10].text);
    let changed = replies.iter().filter(|r| r.status == 200).count();
    for r in replies.iter().filter(|r| r.status != 200 && r.status != 201) {
        r.assert_problem(409, "not_changeable");
    }
    let events = w.app.get(&events, Some(&resident)).await;
    let events = events.body.as_array().expect("events");
    let steps: Vec<&str> = events
        .iter()
        .map(|e| e["to_status"].as_str().unwrap_or_default())
        .collect();
    let planned_at = steps.iter().position(|s| *s == "scheduled").expect("planned");
    assert_eq!(
        planned_at,
        steps.len() - 1,
        "nothing changed after the planning: {events:?}"
    );
    assert_eq!(
        planned_at,
        ordered + changed,
        "one event per change, before it: {events:?}"
    );
}

/// Twenty werkleiders approving the same six logs at once, each batch naming them in
/// another order: one batch approves all six, the others are refused whole (never a
/// deadlock between two batches locking the logs in opposite orders), and each log is
/// decided once.
#[actix_web::test]
async fn twenty_batches_approving_the_same_logs_in_any_order_approve_them_once() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Batch Bas", "solo_klus").await;
    let mut logs = Vec::new();
    for day in 1..=6 {
        logs.push(crate::worklog_list::office_time(&w, p, day, 60).await);
    }
    let batches: Vec<Vec<i64>> = (0..20)
        .map(|n| {
            let mut ids = logs.clone();
            ids.rotate_left(n % logs.len());
            if n % 2 == 1 {
                ids.reverse();
            }
            ids
        })
        .collect();
    let replies = join_all(batches.iter().map(|ids| {
        w.app
            .post("/api/v1/worklogs/approve", Some(&w.werkleider), json!({"ids": ids}))
    }))
    .await;
    answered(&replies, 200, 1);
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "not_pending");
    }
    let approved = count_rows(
        &w.app,
        &format!("SELECT COUNT(*) AS n FROM work_logs WHERE participant_id = {p} AND status = 'approved' AND decided_by IS NOT NULL"),
    )
    .await;
    assert_eq!(approved, 6);
}

/// Twenty werkleiders deciding the same six logs a participant entered at once, half
/// approving and half rejecting them, each batch naming them in another order: one batch
/// decides all six, the others are refused whole, and the participant is mailed about a
/// rejection once or, if the approval won, not at all.
#[actix_web::test]
async fn twenty_batches_approving_or_rejecting_the_same_logs_decide_them_once() {
    let w = world().await;
    let (token, p) = signed_in_participant(&w, "Race Rik", "race-rik@servicepunt.example").await;
    let mut logs = Vec::new();
    for day in 1..=6 {
        let start = (chrono::Utc::now() - chrono::Duration::days(day))
            .date_naive()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc();
        logs.push(own_hour(&w, &token, start).await);
    }
    let replies = join_all((0..20).map(|n| {
        let mut ids = logs.clone();
        ids.rotate_left(n % logs.len());
        if n % 3 == 1 {
            ids.reverse();
        }
        let (path, body) = if n % 2 == 0 {
            ("/api/v1/worklogs/approve", json!({"ids": ids}))
        } else {
            ("/api/v1/worklogs/reject", json!({"ids": ids, "reason": "Niet gewerkt"}))
        };
        w.app.post(path, Some(&w.werkleider), body)
    }))
    .await;
    let won = answered(&replies, 200, 1)[0];
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "not_pending");
    }
    let status = won.body[0]["status"].as_str().unwrap().to_owned();
    let decided = count_rows(
        &w.app,
        format!("SELECT COUNT(*) AS n FROM work_logs WHERE participant_id = {p} AND status = '{status}'"),
    )
    .await;
    assert_eq!(decided, 6, "{status}");
    let mailed = count_rows(
        &w.app,
        "SELECT COUNT(*) AS n FROM outbox WHERE template = 'worklog_rejected'",
    )
    .await;
    assert_eq!(mailed, i64::from(status == "rejected"), "{status}");
}
