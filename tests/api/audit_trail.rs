//! The audit log covers welfare data kept outside the participant routes, and fails
//! closed: when its entry cannot be written, a resident's data is not shown and not
//! changed. The fault is real: a trigger makes the database refuse audit rows, on either
//! backend.

use serde_json::json;

use crate::helpers::{
    TestApp, World, count_rows, create_participant, end_trajectory, execute_sql, resident_body, world,
};
use crate::residents::create;

async fn refuse_audit_rows(app: &TestApp) {
    if app.db.is_postgres() {
        execute_sql(
            app,
            "CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$ LANGUAGE plpgsql",
        )
        .await;
        execute_sql(
            app,
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
        )
        .await;
    } else {
        execute_sql(
            app,
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END",
        )
        .await;
    }
}

async fn accept_audit_rows(app: &TestApp) {
    let on = if app.db.is_postgres() { " ON audit_log" } else { "" };
    execute_sql(app, format!("DROP TRIGGER refuse_audit{on}")).await;
}

#[actix_web::test]
async fn without_its_audit_entry_personal_data_is_neither_shown_nor_changed() {
    let w = world().await;
    let id = create(&w.app, &w.werkleider, resident_body("Gerrit Bos", "6711 AB")).await;
    let path = format!("/api/v1/residents/{id}");
    let entries = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log";
    let before = count_rows(&w.app, entries).await;

    refuse_audit_rows(&w.app).await;
    let read = w.app.get(&path, Some(&w.werkleider)).await;
    read.assert_problem(503, "audit_unavailable");
    assert_eq!(read.headers["retry-after"], "5", "when to try again");
    assert!(!read.text.contains("Gerrit"), "the data is withheld: {}", read.text);
    w.app
        .patch(&path, Some(&w.werkleider), json!({"wijk": "Ede-Zuid"}))
        .await
        .assert_problem(503, "audit_unavailable");
    // Lists of residents are personal data too.
    w.app
        .get("/api/v1/residents", Some(&w.werkleider))
        .await
        .assert_problem(503, "audit_unavailable");
    // Routes about no one person are not affected.
    assert_eq!(w.app.get("/api/v1/services", None).await.status, 200);
    assert_eq!(count_rows(&w.app, entries).await, before);

    accept_audit_rows(&w.app).await;
    let read = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body["wijk"], json!(null), "the refused change was not made");
    let changed = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"wijk": "Ede-Zuid"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["wijk"], "Ede-Zuid");

    // The change's entry, written before it ran, carries its outcome.
    let log = audit_entries(&w, &format!("resident:{id}")).await;
    assert_eq!(
        without_subject(&log[..2]),
        [
            ("change", "PATCH /api/v1/residents/{id}", 200),
            ("read", "GET /api/v1/residents/{id}", 200),
        ]
    );
}

/// Entries as (action, operation, status).
fn without_subject(entries: &[(String, String, i64, Option<i64>)]) -> Vec<(&str, &str, i64)> {
    entries
        .iter()
        .map(|(action, operation, status, _)| (action.as_str(), operation.as_str(), *status))
        .collect()
}

/// A werkleider reads a resident's record `times` times.
async fn read_resident(w: &World, id: i64, times: usize) {
    for _ in 0..times {
        let read = w.app.get(&format!("/api/v1/residents/{id}"), Some(&w.werkleider)).await;
        assert_eq!(read.status, 200, "{}", read.text);
    }
}

/// The entries about one person (`resident:12`, lists included), newest first, as
/// (action, operation, status, subject).
pub async fn audit_entries(w: &World, subject: &str) -> Vec<(String, String, i64, Option<i64>)> {
    let log = w
        .app
        .get(
            &format!("/api/v1/admin/audit?subject={subject}&per_page=100"),
            Some(&w.coordinator),
        )
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["operation"].as_str().unwrap().to_owned(),
                e["status"].as_i64().unwrap(),
                e["subject_id"].as_i64(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn welfare_data_outside_the_participant_routes_is_logged_against_the_participant() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Welzijn Wim", "solo_klus").await;
    let other = create_participant(&w.app, &w.coordinator, "Ander Anouk", "solo_klus").await;
    let today = servicepunt::clock::today();

    let attendance = w
        .app
        .post(
            "/api/v1/attendance",
            Some(&w.werkleider),
            json!({"participant_id": p, "date": today, "status": "no_show"}),
        )
        .await;
    assert_eq!(attendance.status, 201, "{}", attendance.text);
    let ending = w.app.get("/api/v1/trajectories/ending", Some(&w.coordinator)).await;
    assert_eq!(ending.status, 200, "{}", ending.text);
    let leaving = w.app.get("/api/v1/planning/handovers", Some(&w.werkleider)).await;
    assert_eq!(leaving.status, 200, "{}", leaving.text);
    let buddies = w.app.get("/api/v1/buddy-volunteers", Some(&w.coordinator)).await;
    assert_eq!(buddies.status, 200, "{}", buddies.text);
    let tid = end_trajectory(&w.app, &w.coordinator, p, today).await;
    // A refused change is logged too, against the participant whose trajectory it is.
    w.app
        .post(
            &format!("/api/v1/trajectories/{tid}/extend"),
            Some(&w.werkleider),
            json!({"until": today, "justification": "x"}),
        )
        .await
        .assert_problem(403, "forbidden");

    let log = audit_entries(&w, &format!("participant:{p}")).await;
    for expected in [
        ("change", "POST /api/v1/attendance", 201, Some(p)),
        ("read", "GET /api/v1/trajectories/ending", 200, None),
        ("read", "GET /api/v1/planning/handovers", 200, None),
        ("read", "GET /api/v1/buddy-volunteers", 200, None),
        ("change", "POST /api/v1/trajectories/{id}/end", 200, Some(p)),
        ("change", "POST /api/v1/trajectories/{id}/extend", 403, Some(p)),
    ] {
        let expected = (expected.0.to_owned(), expected.1.to_owned(), expected.2, expected.3);
        assert!(log.contains(&expected), "{expected:?} in {log:?}");
    }
    // The other participant's log holds the list read, not Wim's records.
    let theirs = audit_entries(&w, &format!("participant:{other}")).await;
    assert!(
        theirs.iter().all(|(_, _, _, subject)| *subject != Some(p)),
        "{theirs:?}"
    );
    assert!(
        theirs
            .iter()
            .any(|(_, op, _, _)| op == "GET /api/v1/trajectories/ending")
    );
}

#[actix_web::test]
async fn the_log_comes_a_page_at_a_time_with_or_without_the_lists() {
    let w = world().await;
    let id = create(&w.app, &w.werkleider, resident_body("Gerrit Bos", "6711 AB")).await;
    assert_eq!(w.app.get("/api/v1/residents", Some(&w.werkleider)).await.status, 200);
    read_resident(&w, id, 3).await;
    let log = async |query: &str| {
        w.app
            .get(
                &format!("/api/v1/admin/audit?subject=resident:{id}{query}"),
                Some(&w.coordinator),
            )
            .await
    };

    let own = log("&lists=false").await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.body["total"], 3, "{}", own.text);
    let second = log("&lists=false&per_page=2&page=2").await;
    assert_eq!(
        (second.body["page"].as_i64(), second.body["per_page"].as_i64()),
        (Some(2), Some(2))
    );
    let items = second.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", second.text);
    assert_eq!(items[0]["operation"], "GET /api/v1/residents/{id}");

    let with_lists = log("").await;
    let operations: Vec<&str> = with_lists.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert!(with_lists.body["total"].as_i64().unwrap() >= 5, "{}", with_lists.text);
    for expected in ["GET /api/v1/residents", "POST /api/v1/residents"] {
        assert!(operations.contains(&expected), "{expected} in {operations:?}");
    }
}

#[actix_web::test]
async fn entries_go_once_they_are_older_than_the_retention_period() {
    let w = world().await;
    let id = create(&w.app, &w.werkleider, resident_body("Gerrit Bos", "6711 AB")).await;
    read_resident(&w, id, 3).await;
    // Two of the reads happened six years ago.
    execute_sql(
        &w.app,
        format!(
            "UPDATE audit_log SET at = '2020-11-01 10:00:00' WHERE id IN \
             (SELECT id FROM audit_log WHERE subject_id = {id} AND action = 'read' ORDER BY id LIMIT 2)"
        ),
    )
    .await;
    let about = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE subject_id = {id}");
    assert_eq!(count_rows(&w.app, &about).await, 3);

    let removed = w
        .app
        .db(move |conn| {
            servicepunt::db::write_tx(conn, |conn| {
                servicepunt::privacy::audit::remove_older_than(conn, servicepunt::db::now(), 60)
            })
            .unwrap()
        })
        .await;
    assert_eq!(removed, 2);
    assert_eq!(count_rows(&w.app, &about).await, 1, "the recent read stays");
}

#[actix_web::test]
async fn a_head_is_logged_as_a_read_and_a_method_the_record_does_not_take_as_refused() {
    let w = world().await;
    let id = create(&w.app, &w.werkleider, resident_body("Hanna Smit", "6711 AB")).await;
    let record = w.app.url(&format!("/api/v1/residents/{id}"));
    let head = w.app.send(w.app.client.head(&record).bearer_auth(&w.werkleider)).await;
    assert_eq!(head.status, 200);
    let put = w.app.send(w.app.client.put(&record).bearer_auth(&w.werkleider)).await;
    put.assert_problem(405, "method_not_allowed");

    let entries = audit_entries(&w, &format!("resident:{id}&lists=false")).await;
    assert_eq!(
        without_subject(&entries),
        [
            ("change", "PUT /api/v1/residents/{id}", 405),
            ("read", "HEAD /api/v1/residents/{id}", 200),
        ]
    );
}
