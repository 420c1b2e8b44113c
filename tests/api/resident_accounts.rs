//! The desk gives a resident it registered an account for the app: the resident is
//! mailed a link to choose a password, and then logs in to their own record (not a second
//! one beside it).

use std::time::Duration;

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{Reply, TestApp, resident_body};
use crate::mail::{app_with_sink, sent_to, token_in};
use crate::participant_accounts::choose_password_and_log_in;
use crate::smtp_sink::SmtpSink;

const WAIT: Duration = Duration::from_secs(10);

/// Registers a resident at the desk; their id.
async fn at_the_desk(app: &TestApp, desk: &str, name: &str) -> i64 {
    let created = app
        .post("/api/v1/residents", Some(desk), resident_body(name, "6711 AB"))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.body["id"].as_i64().unwrap()
}

async fn give(app: &TestApp, desk: &str, resident: i64, email: &str) -> Reply {
    let path = format!("/api/v1/residents/{resident}/account");
    app.post(&path, Some(desk), json!({"email": email})).await
}

#[actix_web::test]
async fn a_resident_registered_at_the_desk_logs_in_to_their_own_record() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let desk = app.token_for(Role::Finance).await;
    let id = at_the_desk(&app, &desk, "Mevrouw Jansen").await;
    let email = "jansen@bewoner.example";

    let given = give(&app, &desk, id, "Jansen@Bewoner.example").await;
    assert_eq!(
        (given.status.as_u16(), &given.body["email"], &given.body["sent_again"]),
        (201, &json!(email), &json!(false)),
        "{}",
        given.text
    );
    let record = app.get(&format!("/api/v1/residents/{id}"), Some(&desk)).await;
    assert_eq!(
        (&record.body["has_account"], &record.body["email"]),
        (&json!(true), &json!(email)),
        "{}",
        record.text
    );

    // The desk sees whether she has chosen her password yet.
    let account = format!("/api/v1/residents/{id}/account");
    let in_use = || async { app.get(&account, Some(&desk)).await.body["email_verified"].clone() };
    assert_eq!(in_use().await, false);

    let invitation = &sink.wait_for(1, WAIT).await[0];
    assert_eq!(invitation.rcpt_to, [format!("<{email}>")]);
    let token = choose_password_and_log_in(&app, invitation, email).await;
    assert_eq!(in_use().await, true);
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["role"], "resident", "{}", me.text);
    let own = app.get("/api/v1/me/resident", Some(&token)).await;
    assert_eq!(
        (&own.body["id"], &own.body["name"]),
        (&json!(id), &json!("Mevrouw Jansen")),
        "{}",
        own.text
    );

    // Once she has chosen a password, the account is hers: the desk sends no new link.
    give(&app, &desk, id, email).await.assert_problem(409, "has_account");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), 1, "no mail for the refused call");
}

#[actix_web::test]
async fn a_mistyped_address_is_corrected_and_its_link_stops_working() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let desk = app.token_for(Role::Werkleider).await;
    let id = at_the_desk(&app, &desk, "Henk de Boer").await;

    let first = give(&app, &desk, id, "henk@bewoner.exmaple").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let email = "henk@bewoner.example";
    let again = give(&app, &desk, id, email).await;
    assert_eq!(
        (again.status.as_u16(), &again.body["sent_again"], &again.body["user_id"]),
        (200, &json!(true), &first.body["user_id"]),
        "{}",
        again.text
    );

    let mails = sink.wait_for(2, WAIT).await;
    let to = |address: &str| sent_to(&mails, address);
    let stale = json!({"token": token_in(to("henk@bewoner.exmaple")), "new_password": "wie-dit-leest-is-niet-henk"});
    app.post("/api/v1/auth/password-reset/confirm", None, stale)
        .await
        .assert_problem(400, "invalid_or_expired_token");
    let token = choose_password_and_log_in(&app, to(email), email).await;
    let own = app.get("/api/v1/me/resident", Some(&token)).await;
    assert_eq!(
        (&own.body["id"], &own.body["email"]),
        (&json!(id), &json!(email)),
        "{}",
        own.text
    );
}

#[actix_web::test]
async fn a_refused_account_leaves_the_record_as_it_was_and_sends_no_mail() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let desk = app.token_for(Role::Coordinator).await;
    let id = at_the_desk(&app, &desk, "Truus Visser").await;

    let bad = give(&app, &desk, id, "geen adres").await;
    bad.assert_field_problem("email", "invalid_email");
    let taken = "buurman@bewoner.example";
    app.create_user(taken, Role::Resident).await;
    give(&app, &desk, id, taken).await.assert_problem(409, "email_in_use");
    give(&app, &desk, 999_999, "truus@bewoner.example")
        .await
        .assert_problem(404, "not_found");
    let record = app.get(&format!("/api/v1/residents/{id}"), Some(&desk)).await;
    assert_eq!(
        (&record.body["has_account"], &record.body["email"]),
        (&json!(false), &json!(null)),
        "{}",
        record.text
    );

    let erase = format!("/api/v1/residents/{id}/erase");
    let erased = app.post(&erase, Some(&desk), json!({"confirm": true})).await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    give(&app, &desk, id, "truus@bewoner.example")
        .await
        .assert_problem(409, "resident_erased");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.received().is_empty(), "no mail for a refused call");
}
