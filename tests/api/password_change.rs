//! A signed-in user changes their own password (`POST /api/v1/me/password`).

use std::time::Duration;

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{PASSWORD, Reply, TestApp};
use crate::mail::{app_with_sink, token_in};
use crate::smtp_sink::SmtpSink;

const WAIT: Duration = Duration::from_secs(10);
const NEW: &str = "een-heel-nieuw-wachtwoord";

async fn change(app: &TestApp, token: &str, current: &str, new: &str) -> Reply {
    let body = json!({"current_password": current, "new_password": new});
    app.post("/api/v1/me/password", Some(token), body).await
}

async fn login(app: &TestApp, email: &str, password: &str) -> Reply {
    let body = json!({"email": email, "password": password});
    app.post("/api/v1/auth/login", None, body).await
}

fn field_error(reply: &Reply, field: &str, code: &str) {
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.body["code"], "validation_failed", "{}", reply.text);
    assert_eq!(reply.body["errors"][0]["field"], field, "{}", reply.text);
    assert_eq!(reply.body["errors"][0]["code"], code, "{}", reply.text);
}

#[actix_web::test]
async fn a_changed_password_ends_every_other_session_and_is_mailed_about() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let email = "wim@servicepunt.example";
    app.create_user(email, Role::Werkleider).await;
    let phone = app.login(email).await;
    let desk = app.login(email).await;
    let desk_access = desk["access_token"].as_str().unwrap();
    // A reset link asked for earlier, by the holder or by someone else.
    app.post("/api/v1/auth/password-reset", None, json!({"email": email}))
        .await;
    let reset_token = token_in(&sink.wait_for(1, WAIT).await[0]);

    field_error(
        &change(&app, desk_access, "niet-het-wachtwoord", NEW).await,
        "current_password",
        "wrong_password",
    );
    field_error(
        &change(&app, desk_access, PASSWORD, "kort").await,
        "new_password",
        "password_too_short",
    );
    // Neither changed anything: the old password still works.
    assert_eq!(login(&app, email, PASSWORD).await.status, 200);

    let changed = change(&app, desk_access, PASSWORD, NEW).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let fresh = changed.body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/me", Some(fresh)).await.body["email"], email);

    // Every session before it is over at once, the caller's own included.
    for old in [&phone, &desk] {
        let access = old["access_token"].as_str().unwrap();
        app.get("/api/v1/me", Some(access))
            .await
            .assert_problem(401, "invalid_token");
        let refresh = old["refresh_token"].as_str().unwrap();
        app.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh}))
            .await
            .assert_problem(401, "invalid_refresh_token");
    }
    let refreshed = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": changed.body["refresh_token"]}),
        )
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    login(&app, email, PASSWORD)
        .await
        .assert_problem(401, "invalid_credentials");
    assert_eq!(login(&app, email, NEW).await.status, 200);
    // The reset link from before the change no longer works.
    let late = json!({"token": reset_token, "new_password": "nog-een-ander-wachtwoord"});
    app.post("/api/v1/auth/password-reset/confirm", None, late)
        .await
        .assert_problem(400, "invalid_or_expired_token");

    let mails = sink.wait_for(2, WAIT).await;
    let notice = &mails[1];
    assert_eq!(notice.rcpt_to, [format!("<{email}>")]);
    assert_eq!(notice.header("Subject").as_deref(), Some("Uw wachtwoord is gewijzigd"));
    let text = notice.part("text/plain").unwrap();
    assert!(text.contains("/password-reset"), "{text}");
    assert!(!text.contains(NEW) && !notice.data.contains(NEW));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sink.received().len(), 2, "one notice for the one change");
}

#[actix_web::test]
async fn wrong_current_passwords_are_throttled_with_the_logins() {
    let app = crate::helpers::spawn_app().await;
    let email = "fenna@servicepunt.example";
    app.create_user(email, Role::Finance).await;
    let access = app.login(email).await["access_token"].as_str().unwrap().to_owned();
    for _ in 0..5 {
        let wrong = change(&app, &access, "raden-raden-raden", NEW).await;
        field_error(&wrong, "current_password", "wrong_password");
    }
    // A stolen phone cannot go on guessing, not even with the right one, nor log in.
    let blocked = change(&app, &access, PASSWORD, NEW).await;
    blocked.assert_problem(429, "too_many_requests");
    assert!(blocked.headers.contains_key("retry-after"));
    login(&app, email, PASSWORD)
        .await
        .assert_problem(429, "too_many_requests");
    // Nothing changed while it was refused.
    assert_eq!(app.get("/api/v1/me", Some(&access)).await.status, 200);
}
