//! The catalogue: public to read, the coordinator's to change, versioned.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{TestDb, create_service, order_body, spawn_app, spawn_app_with};

#[actix_web::test]
async fn anyone_reads_the_catalogue_only_the_coordinator_changes_it() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let hedge = create_service(&app, &coordinator, "Heg snoeien", "tuin", true, 300).await;
    let company = create_service(&app, &coordinator, "Gezelschap", "gezelschap", false, 240).await;

    let public = app.get("/api/v1/services", None).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.body.as_array().unwrap().len(), 2);
    let one = app.get(&format!("/api/v1/services/{hedge}"), None).await;
    assert_eq!(one.body["name"]["nl"], "Heg snoeien");
    assert_eq!(one.body["around_home"], true);
    assert_eq!(one.body["version"], 1);

    let werkleider = app.token_for(Role::Werkleider).await;
    app.patch(
        &format!("/api/v1/services/{hedge}"),
        Some(&werkleider),
        json!({"max_minutes": 200}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.post("/api/v1/services", None, json!({}))
        .await
        .assert_problem(401, "unauthenticated");

    let off = app
        .patch(
            &format!("/api/v1/services/{company}"),
            Some(&coordinator),
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.body["active"], false);
    assert_eq!(off.body["version"], 1, "switching off is not a change of terms");
    assert_eq!(
        app.get("/api/v1/services", None).await.body.as_array().unwrap().len(),
        1
    );
    app.get("/api/v1/services?include_inactive=true", Some(&werkleider))
        .await
        .assert_problem(403, "forbidden");
    let all = app
        .get("/api/v1/services?include_inactive=true", Some(&coordinator))
        .await;
    assert_eq!(all.body.as_array().unwrap().len(), 2);
    // The public list is kept for a few seconds, but a change shows at once.
    create_service(&app, &coordinator, "Gras maaien", "tuin", true, 120).await;
    assert_eq!(
        app.get("/api/v1/services", None).await.body.as_array().unwrap().len(),
        2
    );
    app.get("/api/v1/services/999999", None)
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn terms_that_break_the_rules_are_refused() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let body = json!({
        "kind": "klus", "category": "tuin", "name": {"nl": "Grote tuin", "en": "Big garden"},
        "description": {"nl": "x", "en": "x"}, "around_home": true, "default_minutes": 60, "max_minutes": 301
    });
    let reply = app.post("/api/v1/services", Some(&coordinator), body.clone()).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.body["errors"][0]["code"], "five_hour_rule");

    let mut not_allowed = body;
    not_allowed["max_minutes"] = json!(240);
    not_allowed["allowed"] = json!(false);
    let reply = app.post("/api/v1/services", Some(&coordinator), not_allowed).await;
    assert_eq!(reply.body["errors"][0]["field"], "not_allowed_reason");

    let mut tighter = json!({
        "kind": "klus", "category": "tuin", "name": {"nl": "Tuin", "en": "Garden"},
        "description": {"nl": "x", "en": "x"}, "around_home": true, "default_minutes": 60, "max_minutes": 300
    });
    let app = spawn_app_with(|s| {
        s.category_limits.insert(
            "tuin".into(),
            servicepunt::jobs::settings::CategoryLimit {
                limit_minutes: 240,
                window_days: 7,
            },
        );
    })
    .await;
    let coordinator = app.token_for(Role::Coordinator).await;
    app.post("/api/v1/services", Some(&coordinator), tighter.clone())
        .await
        .assert_problem(422, "validation_failed");
    tighter["max_minutes"] = json!(240);
    assert_eq!(
        app.post("/api/v1/services", Some(&coordinator), tighter).await.status,
        201
    );
}

#[actix_web::test]
async fn a_job_keeps_the_version_it_was_ordered_under() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let service = create_service(&app, &coordinator, "Tuinonderhoud", "tuin", true, 300).await;
    let (resident, _, _) = app.register_resident("oma@example.nl").await;
    let job = app
        .post("/api/v1/jobs", Some(&resident), order_body(service, 120))
        .await;
    assert_eq!(job.status, StatusCode::CREATED, "{}", job.text);

    let changed = app
        .patch(
            &format!("/api/v1/services/{service}"),
            Some(&coordinator),
            json!({"name": {"nl": "Tuinwerk", "en": "Garden work"}}),
        )
        .await;
    assert_eq!(changed.body["version"], 2);
    let id = job.body["id"].as_i64().unwrap();
    let again = app.get(&format!("/api/v1/jobs/{id}"), Some(&resident)).await;
    assert_eq!(again.body["service"]["version"], 1);
    assert_eq!(again.body["service"]["name"]["nl"], "Tuinonderhoud");
    let new_job = app.post("/api/v1/jobs", Some(&resident), order_body(service, 60)).await;
    assert_eq!(new_job.body["service"]["version"], 2);
}

#[actix_web::test]
async fn demo_loads_a_catalogue_participants_and_a_planned_week_once() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_servicepunt"))
            .arg("demo")
            .current_dir(dir.path())
            .env("DATABASE_URL", &db.url)
            .env_remove("SERVICEPUNT_ENV")
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let out = String::from_utf8_lossy(&first.stdout).into_owned();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("catalogue: 9 service(s) added"));
    let closed_line = lines.next().unwrap();
    let closed: usize = closed_line
        .strip_prefix("closed days: ")
        .and_then(|rest| rest.strip_suffix(" public holidays"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{closed_line}"));
    assert!(closed >= 9, "at least next year's nine: {closed_line}");
    let people_line = lines.next().unwrap();
    assert!(
        people_line.starts_with("participants: 10 added, ") && people_line.ends_with(" approved work logs"),
        "{people_line}"
    );
    let jobs_line = lines.next().unwrap();
    // Sixteen orders and the first two visits of a weekly one.
    assert!(jobs_line.starts_with("jobs: 18 ordered, "), "{jobs_line}");
    let planned: i64 = jobs_line
        .split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(planned > 0, "the auto-planner planned next week: {jobs_line}");
    assert_eq!(lines.next(), Some("cheques: 22 sold, 2 expired, 2 redeemed"));
    let password = lines.next().unwrap().rsplit(' ').next().unwrap().to_owned();
    let second = String::from_utf8_lossy(&run().stdout).into_owned();
    assert_eq!(
        second.trim(),
        "catalogue: 0 service(s) added\nclosed days: 0 public holidays\nparticipants: 0 added, 0 approved work logs\njobs: 0 ordered, 0 planned next week\ncheques: 0 sold, 0 expired, 0 redeemed"
    );

    let url = db.url.clone();
    let app = spawn_app_with(move |s| s.database_url = Some(url)).await;
    let services = app.get("/api/v1/services", None).await.body;
    let names: Vec<&str> = services
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"]["nl"].as_str().unwrap())
        .collect();
    for expected in [
        "Tuinonderhoud",
        "Heg snoeien",
        "Klein klusje in huis",
        "Boodschappenhulp",
        "Gezelschap",
        "Begeleiding naar afspraak",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let painting = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"]["nl"] == "Schilderwerk")
        .unwrap();
    // The demo werkleider sees the participants and a planned week.
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "werkleider@demo.servicepunt", "password": password}),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text);
    let token = login.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/participants", Some(&token))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        10
    );
    let weekly = app.get("/api/v1/job-series", Some(&token)).await;
    assert_eq!(
        weekly.body["items"][0]["visits"].as_array().map(Vec::len),
        Some(2),
        "{}",
        weekly.text
    );
    let holidays = app.get("/api/v1/planning/closed-days", Some(&token)).await;
    assert_eq!(holidays.body.as_array().unwrap().len(), closed, "{}", holidays.text);
    let scheduled = app
        .get("/api/v1/jobs?status=scheduled&per_page=100", Some(&token))
        .await;
    assert_eq!(scheduled.body["total"], planned);
    // The demo's sales and expired batch are in the books, which balance.
    let finance = app.token_for(servicepunt::auth::Role::Finance).await;
    let books = app.get("/api/v1/finance/trial-balance", Some(&finance)).await;
    assert_eq!(books.body["balanced"], true, "{}", books.text);
    assert_eq!(books.body["liability_matches_cheques"], true, "{}", books.text);
    // Mevrouw Bakker (born 1941) bought the expired two at the reduced price.
    assert_eq!(books.body["accounts"]["breakage"], -2 * 800, "{}", books.text);
    // Her job of two hours on the last working day was paid with two of her cheques:
    // their price and the municipality's part are revenue, and the part is claimed.
    assert_eq!(books.body["accounts"]["service_revenue"], -2 * 1500, "{}", books.text);
    assert_eq!(books.body["accounts"]["subsidy_receivable"], 2 * 700, "{}", books.text);
    let settled = app.get("/api/v1/jobs?status=settled", Some(&token)).await;
    assert_eq!(settled.body["total"], 1, "{}", settled.text);
    assert_eq!(painting["allowed"], false);
    assert!(
        painting["not_allowed_reason"]["nl"]
            .as_str()
            .unwrap()
            .contains("ondernemers")
    );
}
