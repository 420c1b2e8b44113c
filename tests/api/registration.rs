//! Self-registration: the answer does not tell whether an address has an account, no
//! account exists until the address is confirmed, and the mail it sends is bounded.

use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::{Role, mail_cap, registrations};
use servicepunt::db;

use crate::helpers::{PASSWORD, TestApp, count_rows, execute_sql, registration, spawn_app, spawn_app_with};

async fn mails_to(app: &TestApp, email: &str, template: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) AS n FROM outbox WHERE recipient_email = '{email}' AND template = '{template}'");
    count_rows(app, sql).await
}

#[actix_web::test]
async fn a_known_and_a_new_address_get_the_same_answer() {
    let app = spawn_app().await;
    app.register_resident("anna@example.nl").await;

    let known = app
        .post("/api/v1/auth/register", None, registration("ANNA@example.nl"))
        .await;
    let new = app
        .post("/api/v1/auth/register", None, registration("piet@example.nl"))
        .await;
    assert_eq!((known.status, new.status), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert_eq!(
        (known.text.as_str(), known.content_type()),
        (new.text.as_str(), new.content_type())
    );

    // The holder of the known address is told, and nothing about the account changed.
    assert_eq!(mails_to(&app, "anna@example.nl", "already_registered").await, 1);
    assert_eq!(mails_to(&app, "piet@example.nl", "verify_email").await, 1);
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM users").await, 1);
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM residents").await, 1);
    assert_eq!(app.login("anna@example.nl").await["token_type"], "Bearer");
}

#[actix_web::test]
async fn an_unconfirmed_registration_opens_nothing_and_a_newer_one_replaces_it() {
    let app = spawn_app().await;
    let mut first = registration("piet@example.nl");
    first["password"] = json!("een-eerste-wachtwoord");
    assert_eq!(app.post("/api/v1/auth/register", None, first).await.status, 202);
    let old_token = crate::mailed::confirmation_token(&app, "piet@example.nl").await;
    app.post(
        "/api/v1/auth/login",
        None,
        json!({"email": "piet@example.nl", "password": "een-eerste-wachtwoord"}),
    )
    .await
    .assert_problem(401, "invalid_credentials");

    let mut second = registration("piet@example.nl");
    second["name"] = json!("Piet Jansen");
    let confirmed = app.register(second).await;
    assert_eq!(confirmed.status, StatusCode::CREATED, "{}", confirmed.text);
    assert_eq!(confirmed.body["resident"]["name"], "Piet Jansen");
    app.post("/api/v1/auth/register/confirm", None, json!({"token": old_token}))
        .await
        .assert_problem(400, "invalid_or_expired_token");
    // The newer registration's password is the account's.
    app.login("piet@example.nl").await;
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM registrations").await, 0);
}

#[actix_web::test]
async fn an_expired_link_opens_nothing_and_the_daily_timer_removes_it() {
    let app = spawn_app().await;
    app.post("/api/v1/auth/register", None, registration("kees@example.nl"))
        .await;
    let token = crate::mailed::confirmation_token(&app, "kees@example.nl").await;
    let past = (db::now() - chrono::Duration::minutes(1)).format("%Y-%m-%d %H:%M:%S");
    execute_sql(&app, format!("UPDATE registrations SET expires_at = '{past}'")).await;
    app.post("/api/v1/auth/register/confirm", None, json!({"token": token}))
        .await
        .assert_problem(400, "invalid_or_expired_token");

    let removed = app.db(|c| registrations::remove_expired(c, db::now()).unwrap()).await;
    assert_eq!(removed, 1);
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM registrations").await, 0);
}

#[actix_web::test]
async fn one_address_gets_at_most_five_registration_emails_a_day() {
    let app = spawn_app().await;
    let ask = || app.post("/api/v1/auth/register", None, registration("doelwit@example.nl"));
    let token = ask_seven_times_for_five_links(&app, "doelwit@example.nl", ask).await;
    let confirmed = app
        .post("/api/v1/auth/register/confirm", None, json!({"token": token}))
        .await;
    assert_eq!(confirmed.status, StatusCode::CREATED, "{}", confirmed.text);
}

/// Asks for an address-confirmation link seven times: five are mailed; returns the last,
/// which is the one that works.
async fn ask_seven_times_for_five_links<F: Future<Output = crate::helpers::Reply>>(
    app: &TestApp,
    email: &str,
    ask: impl Fn() -> F,
) -> String {
    for _ in 0..7 {
        let reply = ask().await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text);
    }
    assert_eq!(
        mails_to(app, email, "verify_email").await,
        mail_cap::MAILS_PER_ADDRESS_PER_DAY
    );
    crate::mailed::confirmation_token(app, email).await
}

#[actix_web::test]
async fn an_address_that_got_an_account_meanwhile_is_not_registered_twice() {
    let app = spawn_app().await;
    app.post("/api/v1/auth/register", None, registration("els@example.nl"))
        .await;
    let token = crate::mailed::confirmation_token(&app, "els@example.nl").await;
    // Staff made an account for the same address before the link was followed.
    app.create_user("els@example.nl", Role::Resident).await;
    app.post("/api/v1/auth/register/confirm", None, json!({"token": token}))
        .await
        .assert_problem(409, "email_taken");
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM users").await, 1);
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM residents").await, 0);
    let login = json!({"email": "els@example.nl", "password": PASSWORD});
    assert_eq!(app.post("/api/v1/auth/login", None, login).await.status, 200);
}

#[actix_web::test]
async fn answers_that_could_tell_who_has_an_account_take_at_least_the_same_time() {
    let floor = std::time::Duration::from_millis(300);
    let app = spawn_app_with(|s| s.account_answer_floor_ms = 300).await;
    app.register_resident("anna@example.nl").await;
    let asks = [
        ("/api/v1/auth/register", registration("anna@example.nl")),
        ("/api/v1/auth/register", registration("nieuw@example.nl")),
        ("/api/v1/auth/password-reset", json!({"email": "anna@example.nl"})),
        ("/api/v1/auth/password-reset", json!({"email": "niemand@example.nl"})),
    ];
    for (path, body) in asks {
        let started = std::time::Instant::now();
        let reply = app.post(path, None, body).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text);
        // Known or not, nobody gets an answer before the floor: the work either does
        // (a few milliseconds apart) is hidden under it.
        assert!(started.elapsed() >= floor, "{path}: {:?}", started.elapsed());
    }
}

#[actix_web::test]
async fn asking_again_and_again_for_the_confirmation_link_mails_it_five_times_a_day() {
    let app = spawn_app().await;
    app.create_user("kees@example.nl", Role::Resident).await;
    let access = app.login("kees@example.nl").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let ask = || app.post("/api/v1/auth/verify-email/resend", Some(&access), json!({}));
    let token = ask_seven_times_for_five_links(&app, "kees@example.nl", ask).await;
    let confirmed = app
        .post("/api/v1/auth/verify-email", None, json!({"token": token}))
        .await;
    assert_eq!(confirmed.status, StatusCode::NO_CONTENT, "{}", confirmed.text);
}
