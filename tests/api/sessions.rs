//! Ending a session ends its access tokens at once, not when they run out: logout, a
//! detected refresh-token theft, and (with a bounded delay) a session ended by another
//! process. Password reset and erasure are checked in `mail.rs` and `privacy.rs`.

use std::time::{Duration, Instant};

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{execute_sql, spawn_app};

fn pair(tokens: &serde_json::Value) -> (String, String) {
    (
        tokens["access_token"].as_str().unwrap().to_owned(),
        tokens["refresh_token"].as_str().unwrap().to_owned(),
    )
}

#[actix_web::test]
async fn logout_ends_the_access_tokens_of_that_session_only() {
    let app = spawn_app().await;
    app.create_user("w@servicepunt.example", Role::Werkleider).await;
    let (phone, phone_refresh) = pair(&app.login("w@servicepunt.example").await);
    let (desk, _) = pair(&app.login("w@servicepunt.example").await);
    assert_eq!(app.get("/api/v1/me", Some(&phone)).await.status, 200);

    let out = app
        .post("/api/v1/auth/logout", None, json!({"refresh_token": phone_refresh}))
        .await;
    assert_eq!(out.status, 204, "{}", out.text);
    app.get("/api/v1/me", Some(&phone))
        .await
        .assert_problem(401, "invalid_token");
    assert_eq!(
        app.get("/api/v1/me", Some(&desk)).await.status,
        200,
        "the other session goes on"
    );
}

#[actix_web::test]
async fn a_replayed_refresh_token_ends_every_access_token_of_its_family() {
    let app = spawn_app().await;
    app.create_user("f@servicepunt.example", Role::Finance).await;
    let (first, spent) = pair(&app.login("f@servicepunt.example").await);
    let rotated = app
        .post("/api/v1/auth/refresh", None, json!({"refresh_token": spent}))
        .await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let (second, _) = pair(&rotated.body);
    assert_eq!(app.get("/api/v1/me", Some(&second)).await.status, 200);

    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": spent}))
        .await
        .assert_problem(401, "invalid_refresh_token");
    for token in [&first, &second] {
        app.get("/api/v1/me", Some(token))
            .await
            .assert_problem(401, "invalid_token");
    }
}

#[actix_web::test]
async fn a_session_ended_by_another_process_stops_working_within_seconds() {
    let app = spawn_app().await;
    let id = app.create_user("c@servicepunt.example", Role::Coordinator).await;
    let (access, _) = pair(&app.login("c@servicepunt.example").await);
    assert_eq!(app.get("/api/v1/me", Some(&access)).await.status, 200);

    // Another instance (or the CLI) ends the session: this process hears nothing of it.
    execute_sql(
        &app,
        format!("UPDATE refresh_tokens SET revoked_at = CURRENT_TIMESTAMP WHERE user_id = {id}"),
    )
    .await;
    // Each instance reloads the ended sessions every second; five is generous.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let reply = app.get("/api/v1/me", Some(&access)).await;
        if reply.status == 401 {
            reply.assert_problem(401, "invalid_token");
            break;
        }
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert!(Instant::now() < deadline, "still accepted after 5 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
