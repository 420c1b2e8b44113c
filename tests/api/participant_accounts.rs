//! A participant's own account comes with their profile: the werkleider gives its
//! address, and a participant without an account is mailed a link to choose a password.

use std::time::Duration;

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{Reply, TestApp, count_rows};
use crate::mail::{app_with_sink, sent_to, token_in};
use crate::smtp_sink::SmtpSink;

const WAIT: Duration = Duration::from_secs(10);
const CHOSEN: &str = "mijn-eigen-wachtwoord";

async fn register(app: &TestApp, werkleider: &str, body: serde_json::Value) -> Reply {
    app.post("/api/v1/participants", Some(werkleider), body).await
}

/// Follows the invitation's link to choose a password and logs in; the access token.
pub async fn choose_password_and_log_in(app: &TestApp, invitation: &crate::smtp_sink::Received, email: &str) -> String {
    let chosen = json!({"token": token_in(invitation), "new_password": CHOSEN});
    let done = app.post("/api/v1/auth/password-reset/confirm", None, chosen).await;
    assert_eq!(done.status, 204, "{}", done.text);
    let body = json!({"email": email, "password": CHOSEN});
    let session = app.post("/api/v1/auth/login", None, body).await;
    assert_eq!(session.status, 200, "{}", session.text);
    session.body["access_token"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_participant_registered_with_a_new_address_is_invited_to_their_account() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let email = "priya@deelnemer.example";

    let created = register(
        &app,
        &werkleider,
        json!({"name": "Priya Ramdin", "contracted_hours_per_week": 24, "account_email": "Priya@Deelnemer.example"}),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["has_account"], true);

    let invitation = &sink.wait_for(1, WAIT).await[0];
    assert_eq!(invitation.rcpt_to, [format!("<{email}>")]);
    assert_eq!(
        invitation.header("Subject").as_deref(),
        Some("Uw account bij het Servicepunt")
    );
    let token = choose_password_and_log_in(&app, invitation, email).await;
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["role"], "participant");
    let own = app.get("/api/v1/me/participant", Some(&token)).await;
    assert_eq!(own.body["id"], created.body["id"], "{}", own.text);

    // The same address again: that account is this participant's already.
    let again = json!({"name": "Priya R.", "contracted_hours_per_week": 8, "account_email": email});
    register(&app, &werkleider, again)
        .await
        .assert_problem(409, "account_linked");
}

#[actix_web::test]
async fn a_participant_without_an_account_gets_one_later() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let created = register(
        &app,
        &werkleider,
        json!({"name": "Sam Haddad", "contracted_hours_per_week": 16, "languages": ["ar", "en"]}),
    )
    .await;
    assert_eq!(created.body["has_account"], false, "{}", created.text);
    let path = format!("/api/v1/participants/{}", created.body["id"]);

    let bad = app
        .patch(&path, Some(&werkleider), json!({"account_email": "geen adres"}))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.body["errors"][0]["code"], "invalid_email");
    let email = "sam@deelnemer.example";
    let linked = app
        .patch(&path, Some(&werkleider), json!({"account_email": email}))
        .await;
    assert_eq!(
        (linked.status.as_u16(), &linked.body["has_account"]),
        (200, &json!(true)),
        "{}",
        linked.text
    );
    // Someone who speaks English and no Dutch is written to in English.
    let invitation = &sink.wait_for(1, WAIT).await[0];
    assert_eq!(
        invitation.header("Subject").as_deref(),
        Some("Your account with the Servicepunt")
    );
    let token = choose_password_and_log_in(&app, invitation, email).await;
    let own = app.get("/api/v1/me/participant", Some(&token)).await;
    assert_eq!(own.body["name"], "Sam Haddad", "{}", own.text);

    app.patch(
        &path,
        Some(&werkleider),
        json!({"account_email": "ander@deelnemer.example"}),
    )
    .await
    .assert_problem(409, "has_account");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), 1, "no account made for the refused change");
}

#[actix_web::test]
async fn a_refused_registration_makes_no_account_and_sends_no_mail() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    app.create_user("finance@servicepunt.example", Role::Finance).await;
    let accounts = || count_rows(&app, "SELECT COUNT(*) AS n FROM users");
    let before = accounts().await;

    // A staff member's address is not a participant's account.
    let staff = json!({"name": "Els", "contracted_hours_per_week": 8, "account_email": "finance@servicepunt.example"});
    let refused = register(&app, &werkleider, staff).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["errors"][0]["code"], "account_not_participant");
    // A new address with a coach who is none: the whole registration goes, account and all.
    let bad_coach = json!({"name": "Els", "contracted_hours_per_week": 8,
        "account_email": "els@deelnemer.example", "coach_user_id": 999_999});
    let refused = register(&app, &werkleider, bad_coach).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["errors"][0]["code"], "unknown_coach");

    assert_eq!(accounts().await, before);
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM participants").await, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.received().is_empty());
}

/// An account switched off is not linked: the participant could not log in with it, and
/// nothing would say why. Switched on again, it is.
#[actix_web::test]
async fn a_switched_off_account_is_not_linked_until_it_is_switched_on() {
    let app = crate::helpers::spawn_app().await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let email = "oud@deelnemer.example";
    app.create_user(email, Role::Participant).await;
    let switch = |on: bool| {
        app.db(move |conn| {
            let now = servicepunt::db::now();
            if on {
                servicepunt::auth::account_access::enable(conn, email, now)
            } else {
                servicepunt::auth::account_access::disable(conn, email, now)
            }
        })
    };
    switch(false).await.unwrap();
    let created = register(
        &app,
        &werkleider,
        json!({"name": "Oud Deelnemer", "contracted_hours_per_week": 8}),
    )
    .await;
    let path = format!("/api/v1/participants/{}", created.body["id"]);
    let link = || app.patch(&path, Some(&werkleider), json!({"account_email": email}));
    link().await.assert_problem(409, "account_disabled");
    let unchanged = app.get(&path, Some(&werkleider)).await;
    assert_eq!(unchanged.body["has_account"], false, "{}", unchanged.text);

    switch(true).await.unwrap();
    let linked = link().await;
    assert_eq!(linked.status, 200, "{}", linked.text);
    assert_eq!(linked.body["has_account"], true);
}

/// The werkleider mistyped the address: giving it again, corrected, before the participant
/// chose a password, mails the new address a link and stops the first one working.
#[actix_web::test]
async fn a_mistyped_account_address_is_corrected_until_the_password_is_chosen() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let wrong = "kees@deelnemer.exmaple";
    let body = json!({"name": "Kees Jansen", "contracted_hours_per_week": 16, "account_email": wrong});
    let created = register(&app, &werkleider, body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let path = format!("/api/v1/participants/{}", created.body["id"]);

    let email = "kees@deelnemer.example";
    let corrected = app
        .patch(&path, Some(&werkleider), json!({"account_email": email}))
        .await;
    assert_eq!(corrected.status, 200, "{}", corrected.text);
    let mails = sink.wait_for(2, WAIT).await;
    let to = |address: &str| sent_to(&mails, address);
    let stale = json!({"token": token_in(to(wrong)), "new_password": "niet-van-kees-zelf"});
    app.post("/api/v1/auth/password-reset/confirm", None, stale)
        .await
        .assert_problem(400, "invalid_or_expired_token");
    let token = choose_password_and_log_in(&app, to(email), email).await;
    let own = app.get("/api/v1/me/participant", Some(&token)).await;
    assert_eq!(own.body["id"], created.body["id"], "{}", own.text);

    // Chosen, the account is theirs: its address is no longer the werkleider's to change.
    app.patch(&path, Some(&werkleider), json!({"account_email": wrong}))
        .await
        .assert_problem(409, "has_account");
}
