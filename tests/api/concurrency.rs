//! Races that must have exactly one winner, on both backends.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{registration, resident_body, spawn_app};

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
