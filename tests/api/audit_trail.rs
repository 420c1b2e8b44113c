//! The audit log fails closed: when its entry cannot be written, a resident's data is not
//! shown and not changed. The fault is real: a trigger makes the database refuse audit
//! rows, on either backend.

use serde_json::json;

use crate::helpers::{TestApp, count_rows, execute_sql, resident_body, world};

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
    let created = w
        .app
        .post(
            "/api/v1/residents",
            Some(&w.werkleider),
            resident_body("Gerrit Bos", "6711 AB"),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let path = format!("/api/v1/residents/{}", created.body["id"]);
    let entries = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log";
    let before = count_rows(&w.app, entries).await;

    refuse_audit_rows(&w.app).await;
    let read = w.app.get(&path, Some(&w.werkleider)).await;
    read.assert_problem(503, "audit_unavailable");
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
    let log = w
        .app
        .get(
            &format!("/api/v1/admin/audit?subject=resident:{}", created.body["id"]),
            Some(&w.coordinator),
        )
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    let newest: Vec<(&str, &str, i64)> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["operation"].as_str().unwrap(),
                e["status"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        newest,
        [
            ("change", "PATCH /api/v1/residents/{id}", 200),
            ("read", "GET /api/v1/residents/{id}", 200),
        ]
    );
}
