//! The list of work logs: the werkleider's queue of time to approve, one participant's
//! logs over a period, a coach's caseload only; approving a batch of them, all or none;
//! and each call in the access log.

use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::audit_trail::audit_entries;
use crate::helpers::{World, create_participant, world};

/// Office time logged by the werkleider for `participant`, `days_ago` days back at noon
/// UTC, `minutes` long; the log's id.
pub async fn office_time(w: &World, participant: i64, days_ago: i64, minutes: i64) -> i64 {
    let start = (chrono::Utc::now() - chrono::Duration::days(days_ago))
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc();
    let end = start + chrono::Duration::minutes(minutes);
    let reply = w
        .app
        .post(
            "/api/v1/worklogs",
            Some(&w.werkleider),
            json!({"participant_ids": [participant], "activity": "office",
                   "started_at": start.to_rfc3339(), "ended_at": end.to_rfc3339()}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body[0]["id"].as_i64().unwrap()
}

/// A participant with an account of their own at `email`, signed in: (token, id).
pub async fn signed_in_participant(w: &World, name: &str, email: &str) -> (String, i64) {
    w.app.create_user(email, Role::Participant).await;
    let profile = json!({"name": name, "contracted_hours_per_week": 24, "account_email": email});
    let created = w.app.post("/api/v1/participants", Some(&w.werkleider), profile).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let token = w.app.login(email).await["access_token"].as_str().unwrap().to_owned();
    (token, created.body["id"].as_i64().unwrap())
}

/// An hour of office time the participant signed in with `token` logs themselves from
/// `start`; the log's id.
pub async fn own_hour(w: &World, token: &str, start: chrono::DateTime<chrono::Utc>) -> i64 {
    let end = start + chrono::Duration::hours(1);
    let span = json!({"activity": "office", "started_at": start.to_rfc3339(), "ended_at": end.to_rfc3339()});
    let logged = w.app.post("/api/v1/worklogs", Some(token), span).await;
    assert_eq!(logged.status, 201, "{}", logged.text);
    logged.body[0]["id"].as_i64().unwrap()
}

/// Approves work log `id` as the werkleider.
pub async fn approve(w: &World, id: i64) {
    let reply = w
        .app
        .post(
            &format!("/api/v1/worklogs/{id}/approve"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn list(w: &World, token: &str, query: &str) -> Value {
    let reply = w.app.get(&format!("/api/v1/worklogs?{query}"), Some(token)).await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.text);
    reply.body
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn the_werkleider_finds_the_time_waiting_for_approval_oldest_first() {
    let w = world().await;
    let coach_email = "coach-uren@servicepunt.example";
    let coach_id = w.app.create_user(coach_email, Role::Trajectbegeleider).await;
    let coach = w.app.login(coach_email).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let anna = create_participant(&w.app, &w.coordinator, "Anna Uren", "solo_klus").await;
    let bert = create_participant(&w.app, &w.coordinator, "Bert Uren", "solo_klus").await;
    let patched = w
        .app
        .patch(
            &format!("/api/v1/participants/{bert}"),
            Some(&w.coordinator),
            json!({"coach_user_id": coach_id}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);

    let anna_old = office_time(&w, anna, 3, 120).await;
    let bert_old = office_time(&w, bert, 2, 90).await;
    let anna_new = office_time(&w, anna, 1, 60).await;
    approve(&w, anna_old).await;

    // The queue: what is still pending, in the order it was worked.
    let pending = list(&w, &w.werkleider, "status=pending").await;
    assert_eq!(ids(&pending), [bert_old, anna_new]);
    assert_eq!(pending["total"], 2);
    assert!(
        pending["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["status"] == "pending")
    );
    assert_eq!(ids(&list(&w, &w.werkleider, "status=approved").await), [anna_old]);

    // One participant's logs, over a period, a page at a time.
    assert_eq!(
        ids(&list(&w, &w.werkleider, &format!("participant_id={anna}")).await),
        [anna_old, anna_new]
    );
    // The days the logs were made on count back from today's UTC date (`office_time`);
    // Dutch "today" is a day later from 23:00 or 22:00 UTC.
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(2);
    let recent = list(&w, &w.coordinator, &format!("from={from}&to={today}")).await;
    assert_eq!(ids(&recent), [bert_old, anna_new]);
    let second = list(&w, &w.werkleider, "per_page=2&page=2").await;
    assert_eq!((ids(&second), second["total"].as_i64()), (vec![anna_new], Some(3)));

    // A coach sees their own caseload only, whatever they ask for.
    assert_eq!(ids(&list(&w, &coach, "").await), [bert_old]);
    assert_eq!(
        ids(&list(&w, &coach, &format!("participant_id={anna}")).await),
        Vec::<i64>::new()
    );

    let backwards = w
        .app
        .get(&format!("/api/v1/worklogs?from={today}&to={from}"), Some(&w.werkleider))
        .await;
    backwards.assert_problem(422, "validation_failed");
    assert_eq!(backwards.body["errors"][0]["code"], "invalid_period", "as every period");
    w.app
        .get("/api/v1/worklogs?status=lost", Some(&w.werkleider))
        .await
        .assert_problem(400, "invalid_query");
    let participant = w.app.token_for(Role::Participant).await;
    w.app
        .get("/api/v1/worklogs", Some(&participant))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn reading_and_deciding_a_participants_time_is_in_the_access_log() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Logboek Lies", "solo_klus").await;
    let id = office_time(&w, p, 1, 45).await;
    approve(&w, id).await;
    let second = office_time(&w, p, 2, 30).await;
    let batch = w
        .app
        .post(
            "/api/v1/worklogs/approve",
            Some(&w.werkleider),
            json!({"ids": [second]}),
        )
        .await;
    assert_eq!(batch.status, 200, "{}", batch.text);
    list(&w, &w.werkleider, &format!("participant_id={p}")).await;
    let history = w
        .app
        .get(&format!("/api/v1/worklogs/{id}/history"), Some(&w.werkleider))
        .await;
    assert_eq!(history.status, 200, "{}", history.text);

    let log = audit_entries(&w, &format!("participant:{p}")).await;
    for expected in [
        ("change", "POST /api/v1/worklogs", 201),
        ("change", "POST /api/v1/worklogs/{id}/approve", 200),
        ("change", "POST /api/v1/worklogs/approve", 200),
        ("read", "GET /api/v1/worklogs", 200),
        ("read", "GET /api/v1/worklogs/{id}/history", 200),
    ] {
        let expected = (expected.0.to_owned(), expected.1.to_owned(), expected.2, Some(p));
        assert!(log.contains(&expected), "{expected:?} in {log:?}");
    }
}

#[actix_web::test]
async fn a_crew_s_hours_are_in_each_member_s_access_log() {
    let w = world().await;
    let anna = create_participant(&w.app, &w.coordinator, "Anna Ploeg", "solo_klus").await;
    let bert = create_participant(&w.app, &w.coordinator, "Bert Ploeg", "solo_klus").await;
    let outsider = create_participant(&w.app, &w.coordinator, "Carla Buiten", "solo_klus").await;
    let start = chrono::Utc::now() - chrono::Duration::hours(6);
    let crew = json!({"participant_ids": [bert, anna], "activity": "training",
        "started_at": start.to_rfc3339(), "ended_at": (start + chrono::Duration::hours(2)).to_rfc3339()});
    let logged = w.app.post("/api/v1/worklogs", Some(&w.werkleider), crew).await;
    assert_eq!(logged.status, 201, "{}", logged.text);
    let both: Vec<i64> = ids(&json!({"items": logged.body}));
    let batch = w
        .app
        .post("/api/v1/worklogs/approve", Some(&w.werkleider), json!({"ids": both}))
        .await;
    assert_eq!(batch.status, 200, "{}", batch.text);

    for member in [anna, bert] {
        let calls: Vec<_> = audit_entries(&w, &format!("participant:{member}"))
            .await
            .into_iter()
            .filter(|(_, operation, _, _)| operation.starts_with("POST /api/v1/worklogs"))
            .collect();
        let entry = |operation: &str, status| ("change".to_owned(), operation.to_owned(), status, Some(member));
        assert_eq!(
            calls,
            vec![
                entry("POST /api/v1/worklogs/approve", 200),
                entry("POST /api/v1/worklogs", 201)
            ],
            "member {member}"
        );
    }
    let others = audit_entries(&w, &format!("participant:{outsider}")).await;
    assert!(
        others
            .iter()
            .all(|(_, operation, _, _)| !operation.contains("worklogs")),
        "{others:?}"
    );
}

fn codes(reply: &crate::helpers::Reply) -> String {
    reply.body["errors"][0]["code"].as_str().unwrap_or_default().to_owned()
}

#[actix_web::test]
async fn a_batch_of_logs_is_approved_all_together_or_not_at_all() {
    let w = world().await;
    let anna = create_participant(&w.app, &w.coordinator, "Anna Batch", "solo_klus").await;
    let bert = create_participant(&w.app, &w.coordinator, "Bert Batch", "solo_klus").await;
    let done = office_time(&w, anna, 3, 60).await;
    let anna_log = office_time(&w, anna, 2, 60).await;
    let bert_log = office_time(&w, bert, 1, 60).await;
    approve(&w, done).await;
    let batch = |ids: Vec<i64>| {
        let w = &w;
        async move {
            w.app
                .post("/api/v1/worklogs/approve", Some(&w.werkleider), json!({"ids": ids}))
                .await
        }
    };

    // One not pending any more, or one unknown: none of the others is approved.
    let stale = batch(vec![anna_log, done, bert_log]).await;
    stale.assert_problem(409, "not_pending");
    assert!(
        stale.body["detail"].as_str().unwrap().contains(&done.to_string()),
        "{}",
        stale.text
    );
    let unknown = batch(vec![anna_log, 999_999]).await;
    unknown.assert_problem(422, "validation_failed");
    assert_eq!(codes(&unknown), "unknown_log");
    assert_eq!(codes(&batch(vec![anna_log, anna_log]).await), "duplicate_log");
    assert_eq!(codes(&batch(vec![]).await), "required");
    assert_eq!(
        ids(&list(&w, &w.werkleider, "status=pending").await),
        [anna_log, bert_log]
    );

    let approved = batch(vec![bert_log, anna_log]).await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    let got: Vec<(i64, &str)> = approved
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["id"].as_i64().unwrap(), l["status"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [(bert_log, "approved"), (anna_log, "approved")]);
    assert_eq!(list(&w, &w.werkleider, "status=pending").await["total"], 0);
    let participant = w.app.token_for(Role::Participant).await;
    w.app
        .post(
            "/api/v1/worklogs/approve",
            Some(&participant),
            json!({"ids": [anna_log]}),
        )
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn a_batch_of_logs_is_rejected_with_one_reason_all_together_or_not_at_all() {
    let w = world().await;
    let email = "eigen-uren@servicepunt.example";
    let (token, _) = signed_in_participant(&w, "Dirk Eigen", email).await;
    let (mut own_logs, mut own_starts) = (Vec::new(), Vec::new());
    for hours_ago in [5, 8] {
        let start = chrono::Utc::now() - chrono::Duration::hours(hours_ago);
        own_logs.push(own_hour(&w, &token, start).await);
        let local = servicepunt::planning::rules::Slot::from_utc(start.naive_utc(), start.naive_utc()).local_start;
        own_starts.push(local.format("%H:%M").to_string());
    }
    let [own, earlier] = own_logs[..] else { unreachable!() };
    let eva = create_participant(&w.app, &w.coordinator, "Eva Ploeg", "solo_klus").await;
    let entered = office_time(&w, eva, 1, 60).await;
    let done = office_time(&w, eva, 2, 60).await;
    approve(&w, done).await;
    let reject = |ids: Vec<i64>, reason: &'static str| {
        let w = &w;
        async move {
            let body = json!({"ids": ids, "reason": reason});
            w.app.post("/api/v1/worklogs/reject", Some(&w.werkleider), body).await
        }
    };

    // One decided already, or no reason: none of the others is rejected.
    let stale = reject(vec![own, done], "Die dag was er geen werk").await;
    stale.assert_problem(409, "not_pending");
    assert!(stale.body["detail"].as_str().unwrap().contains("nothing was rejected"));
    let unsaid = reject(vec![own], "  ").await;
    unsaid.assert_problem(422, "validation_failed");
    assert_eq!(codes(&unsaid), "required");
    assert_eq!(codes(&reject(vec![own, 999_999], "Geen werk").await), "unknown_log");
    assert_eq!(
        ids(&list(&w, &w.werkleider, "status=pending").await),
        [entered, earlier, own]
    );

    let rejected = reject(vec![own, entered, earlier], "Die dag was er geen werk").await;
    assert_eq!(rejected.status, 200, "{}", rejected.text);
    let got: Vec<(i64, &str, &str)> = rejected
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let reason = l["rejection_reason"].as_str().unwrap();
            (l["id"].as_i64().unwrap(), l["status"].as_str().unwrap(), reason)
        })
        .collect();
    let why = "Die dag was er geen werk";
    assert_eq!(
        got,
        [
            (own, "rejected", why),
            (entered, "rejected", why),
            (earlier, "rejected", why)
        ]
    );
    assert_eq!(list(&w, &w.werkleider, "status=pending").await["total"], 0);
    // Only the time Dirk logged himself is mailed about, in one mail, earliest first; the
    // refused batches sent nothing.
    let told = crate::planned_work::mails(&w, "worklog_rejected").await;
    assert_eq!(told.len(), 1, "{told:?}");
    let (to, data) = &told[0];
    assert_eq!((to.as_str(), &data["reason"]), (email, &json!(why)));
    let starts: Vec<&str> = data["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["from"].as_str().unwrap())
        .collect();
    assert_eq!(starts, [&own_starts[1], &own_starts[0]], "{data}");
}
