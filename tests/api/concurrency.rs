//! Races that must have exactly one winner, on both backends.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{create_service, order_body, registration, resident_body, spawn_app};

#[actix_web::test]
async fn one_refresh_token_spent_concurrently_rotates_once() {
    let app = spawn_app().await;
    app.create_user("w@servicepunt.example", Role::Werkleider).await;
    let tokens = app.login("w@servicepunt.example").await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let replies =
        join_all((0..20).map(|_| app.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh})))).await;
    let ok = replies.iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(
        ok,
        1,
        "exactly one rotation: {:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != StatusCode::OK) {
        r.assert_problem(401, "invalid_refresh_token");
    }
}

#[actix_web::test]
async fn one_address_registered_concurrently_creates_one_account() {
    let app = spawn_app().await;
    let replies =
        join_all((0..20).map(|_| app.post("/api/v1/auth/register", None, registration("race@example.nl")))).await;
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(
        created,
        1,
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, r.body["code"].clone()))
            .collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        r.assert_problem(409, "email_taken");
    }
}

#[actix_web::test]
async fn concurrent_writers_queue_instead_of_failing() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let replies = join_all((0..40).map(|i| {
        app.post(
            "/api/v1/residents",
            Some(&staff),
            resident_body(&format!("Bewoner {i}"), "6711 AB"),
        )
    }))
    .await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let list = app.get("/api/v1/residents?per_page=100", Some(&staff)).await;
    assert_eq!(list.body["total"], 40);
}

#[actix_web::test]
async fn one_idempotency_key_sent_concurrently_orders_once() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let service = create_service(&app, &coordinator, "Gezelschap", "gezelschap", false, 240).await;
    let (resident, _, _) = app.register_resident("haast@example.nl").await;
    let replies = join_all((0..20).map(|_| {
        app.send(
            app.client
                .post(app.url("/api/v1/jobs"))
                .bearer_auth(&resident)
                .header("Idempotency-Key", "one-tap")
                .json(&order_body(service, 120)),
        )
    }))
    .await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let ids: std::collections::HashSet<_> = replies.iter().map(|r| r.body["id"].clone()).collect();
    assert_eq!(ids.len(), 1, "every retry answers with the one job");
    assert_eq!(app.get("/api/v1/jobs", Some(&resident)).await.body["total"], 1);
}

#[actix_web::test]
async fn concurrent_orders_for_one_address_cannot_all_slip_under_the_limit() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let hedge = create_service(&app, &coordinator, "Heg snoeien", "tuin", true, 300).await;
    let (resident, _, _) = app.register_resident("race@example.nl").await;
    let replies = join_all((0..20).map(|_| app.post("/api/v1/jobs", Some(&resident), order_body(hedge, 180)))).await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let auto_accepted = replies.iter().filter(|r| r.body["status"] == "waitlisted").count();
    let held = replies.iter().filter(|r| r.body["status"] == "requested").count();
    assert_eq!(
        (auto_accepted, held),
        (1, 19),
        "only the first 3 hours pass without a werkleider"
    );
}
