//! Email that is never lost: registration, verification and password reset mails travel a
//! real SMTP conversation; an unreachable server delays mail without losing or doubling it;
//! a rolled-back transaction sends nothing; racing workers send each message once.

use std::collections::HashMap;
use std::time::Duration;

use diesel::prelude::*;
use serde_json::json;
use servicepunt::auth::Role;
use servicepunt::auth::store;
use servicepunt::db;
use servicepunt::db::schema::{outbox, user_tokens};
use servicepunt::error::ApiError;
use servicepunt::notify::{self, Template};

use crate::helpers::{PASSWORD, TestApp, registration, spawn_app_with};
use crate::smtp_sink::{Received, SmtpSink};

const WAIT: Duration = Duration::from_secs(10);

pub async fn app_with_sink(sink: &SmtpSink, customise: impl FnOnce(&mut servicepunt::config::RawSettings)) -> TestApp {
    let to_sink = mail_to(sink);
    spawn_app_with(move |s| {
        to_sink(s);
        customise(s);
    })
    .await
}

/// Settings that send the app's mail to `sink` at once, retrying quickly.
pub fn mail_to(sink: &SmtpSink) -> impl FnOnce(&mut servicepunt::config::RawSettings) + use<> {
    let url = sink.url();
    move |s| {
        s.outbox_worker = true;
        s.smtp_url = Some(url);
        s.outbox_poll_ms = 20;
        s.outbox_backoff_ms = 100;
        s.outbox_backoff_max_ms = 200;
        s.smtp_timeout_secs = 2;
    }
}

/// The mail among `mails` sent to `address`; fails when there is none.
pub fn sent_to<'a>(mails: &'a [Received], address: &str) -> &'a Received {
    let rcpt = [format!("<{address}>")];
    mails
        .iter()
        .find(|m| m.rcpt_to == rcpt)
        .unwrap_or_else(|| panic!("a mail to {address}"))
}

/// The 64-hex-digit token in a mail's plain-text part.
pub fn token_in(mail: &Received) -> String {
    let text = mail.part("text/plain").expect("a plain-text part");
    text.split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 64)
        .expect("a token in the mail")
        .to_owned()
}

/// Waits until every message in the outbox is sent (at most `timeout`, as workers of
/// other processes deliver it); how many are still not sent.
pub async fn unsent_after(app: &TestApp, timeout: Duration) -> i64 {
    let unsent = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE status <> 'sent'";
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let n = crate::helpers::count_rows(app, unsent).await;
        if n == 0 || tokio::time::Instant::now() >= deadline {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn statuses(app: &TestApp) -> Vec<(String, i64)> {
    app.db(|c| {
        outbox::table
            .order(outbox::id)
            .select((outbox::status, outbox::attempts))
            .load(c)
            .unwrap()
    })
    .await
}

/// Waits until every outbox row is `sent` (the send happens just before it is recorded).
async fn wait_all_sent(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !statuses(app).await.iter().all(|(s, _)| s == "sent") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "every message is marked sent: {:?}",
            statuses(app).await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn counts_by_message_id(mails: &[Received]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for m in mails {
        *counts.entry(m.header("Message-ID").expect("a Message-ID")).or_insert(0) += 1;
    }
    counts
}

#[actix_web::test]
async fn registration_mails_a_link_that_confirms_the_address_and_opens_the_account() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let reply = app
        .post("/api/v1/auth/register", None, registration("anna@example.nl"))
        .await;
    assert_eq!(reply.status, 202, "{}", reply.text);

    let mails = sink.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.rcpt_to, ["<anna@example.nl>"]);
    assert_eq!(mail.mail_from, "<servicepunt@localhost>");
    assert_eq!(mail.header("Subject").as_deref(), Some("Bevestig uw e-mailadres"));
    assert!(mail.header("To").unwrap().contains("anna@example.nl"));
    let message_id = mail.header("Message-ID").unwrap();
    let stored: String = app
        .db(|c| outbox::table.select(outbox::message_id).first(c).unwrap())
        .await;
    assert_eq!(message_id, stored, "the outbox fixes the Message-ID");
    let text = mail.part("text/plain").unwrap();
    assert!(text.contains("Beste Anna de Vries"), "{text}");
    // minijinja also escapes '/' in HTML (as &#x2f;), which browsers decode in attributes.
    let html = mail.part("text/html").unwrap().replace("&#x2f;", "/");
    assert!(
        html.contains("<a href=\"http://127.0.0.1:8080/register/confirm?token="),
        "{html}"
    );

    // Until the address is confirmed there is no account: the password opens nothing.
    let login = json!({"email": "anna@example.nl", "password": PASSWORD});
    app.post("/api/v1/auth/login", None, login.clone())
        .await
        .assert_problem(401, "invalid_credentials");
    let token = token_in(mail);
    let confirm = "/api/v1/auth/register/confirm";
    let confirmed = app.post(confirm, None, json!({"token": token})).await;
    assert_eq!(confirmed.status, 201, "{}", confirmed.text);
    assert_eq!(confirmed.body["resident"]["name"], "Anna de Vries");
    assert_eq!(confirmed.body["resident"]["address"]["postcode"], "6711 AB");
    let access = confirmed.body["tokens"]["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/me", Some(access)).await;
    assert_eq!(me.body["email_verified"], true, "{}", me.text);
    assert_eq!(app.post("/api/v1/auth/login", None, login).await.status, 200);
    app.post(confirm, None, json!({"token": token}))
        .await
        .assert_problem(400, "invalid_or_expired_token");
    app.post(confirm, None, json!({"token": "f".repeat(64)}))
        .await
        .assert_problem(400, "invalid_or_expired_token");

    // Once sent, the outbox keeps the record but not the content (it held the token).
    wait_all_sent(&app).await;
    let data: Option<String> = app.db(|c| outbox::table.select(outbox::data).first(c).unwrap()).await;
    assert_eq!(data, None);
}

#[actix_web::test]
async fn an_account_made_by_staff_confirms_its_address_with_a_resent_link() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    app.create_user("kees@example.nl", Role::Resident).await;
    let access = app.login("kees@example.nl").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.get("/api/v1/me", Some(&access)).await.body["email_verified"], false);

    let resend = "/api/v1/auth/verify-email/resend";
    assert_eq!(app.post(resend, Some(&access), json!({})).await.status, 202);
    let mails = sink.wait_for(1, WAIT).await;
    let html = mails[0].part("text/html").unwrap().replace("&#x2f;", "/");
    assert!(html.contains("http://127.0.0.1:8080/verify-email?token="), "{html}");
    let token = token_in(&mails[0]);
    let verified = app
        .post("/api/v1/auth/verify-email", None, json!({"token": token}))
        .await;
    assert_eq!(verified.status, 204, "{}", verified.text);
    assert_eq!(app.get("/api/v1/me", Some(&access)).await.body["email_verified"], true);
    app.post("/api/v1/auth/verify-email", None, json!({"token": token}))
        .await
        .assert_problem(400, "invalid_or_expired_token");

    // Confirmed once, asking again sends nothing.
    assert_eq!(app.post(resend, Some(&access), json!({})).await.status, 202);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sink.received().len(), 1);
}

#[actix_web::test]
async fn names_are_escaped_in_html_mail() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let mut body = registration("x@example.nl");
    body["name"] = json!("<script>alert('x')</script>");
    body["language"] = json!("en");
    assert_eq!(app.post("/api/v1/auth/register", None, body).await.status, 202);
    let mails = sink.wait_for(1, WAIT).await;
    let html = mails[0].part("text/html").unwrap();
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert_eq!(
        mails[0].header("Subject").as_deref(),
        Some("Confirm your email address")
    );
}

#[actix_web::test]
async fn an_unreachable_mail_server_delays_mail_but_loses_and_doubles_nothing() {
    let mut sink = SmtpSink::start().await;
    sink.stop();
    let app = app_with_sink(&sink, |s| s.outbox_max_attempts = 1000).await;
    for i in 0..5 {
        app.register_resident(&format!("r{i}@example.nl")).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(sink.received().is_empty());
    let waiting = statuses(&app).await;
    assert_eq!(waiting.len(), 5);
    assert!(
        waiting.iter().all(|(s, _)| s == "pending" || s == "sending"),
        "{waiting:?}"
    );
    assert!(
        waiting.iter().any(|(_, attempts)| *attempts >= 2),
        "retried meanwhile: {waiting:?}"
    );

    sink.restart().await;
    let mails = sink.wait_for(5, WAIT).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails_later = sink.received();
    assert_eq!(mails_later.len(), mails.len(), "nothing more arrives");
    let counts = counts_by_message_id(&mails_later);
    assert_eq!(counts.len(), 5, "every message arrived");
    assert!(counts.values().all(|n| *n == 1), "none twice: {counts:?}");
    wait_all_sent(&app).await;
}

#[actix_web::test]
async fn a_rolled_back_transaction_sends_nothing() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let user_id = app.create_user("staff@servicepunt.example", Role::Werkleider).await;
    app.db(move |conn| {
        let result: Result<(), ApiError> = db::write_tx(conn, |conn| {
            let user = store::find_user(conn, user_id)?.unwrap();
            notify::to_user(
                conn,
                &user,
                Template::PasswordReset,
                &json!({"name": "rolled back", "token": "t", "link": "l", "valid_minutes": 60}),
            )?;
            Err(ApiError::conflict("test", "the business change failed"))
        });
        assert!(result.is_err());
        db::write_tx(conn, |conn| -> Result<(), ApiError> {
            let user = store::find_user(conn, user_id)?.unwrap();
            notify::to_user(
                conn,
                &user,
                Template::PasswordReset,
                &json!({"name": "committed", "token": "t", "link": "l", "valid_minutes": 60}),
            )?;
            Ok(())
        })
        .unwrap();
    })
    .await;
    // The committed message was queued after the rolled-back one: once it is here, the
    // other would have been too.
    let mails = sink.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mails_later = sink.received();
    assert_eq!(mails_later.len(), 1, "{mails:?}");
    assert!(mails_later[0].part("text/plain").unwrap().contains("committed"));
    assert_eq!(statuses(&app).await.len(), 1, "the rolled-back row does not exist");
}

#[actix_web::test]
async fn password_reset_end_to_end() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    app.post("/api/v1/auth/register", None, registration("kees@example.nl"))
        .await;
    let confirmation = sink.wait_for(1, WAIT).await; // the link that confirms the address
    let reply = app
        .post(
            "/api/v1/auth/register/confirm",
            None,
            json!({"token": token_in(&confirmation[0])}),
        )
        .await;
    let old_refresh = reply.body["tokens"]["refresh_token"].as_str().unwrap().to_owned();
    let old_access = reply.body["tokens"]["access_token"].as_str().unwrap().to_owned();

    // Unknown and known addresses get the same answer; only the known one gets mail.
    let unknown = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": "nobody@example.nl"}),
        )
        .await;
    let known = app
        .post("/api/v1/auth/password-reset", None, json!({"email": "Kees@Example.nl"}))
        .await;
    assert_eq!((unknown.status.as_u16(), known.status.as_u16()), (202, 202));
    assert_eq!(unknown.text, known.text);
    let mails = sink.wait_for(2, WAIT).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sink.received().len(), 2);
    let reset_mail = &mails[1];
    assert_eq!(reset_mail.rcpt_to, ["<kees@example.nl>"]);
    assert_eq!(
        reset_mail.header("Subject").as_deref(),
        Some("Nieuw wachtwoord instellen")
    );
    let token = token_in(reset_mail);

    let confirm = "/api/v1/auth/password-reset/confirm";
    app.post(confirm, None, json!({"token": token, "new_password": "kort"}))
        .await
        .assert_problem(422, "validation_failed");
    let done = app
        .post(
            confirm,
            None,
            json!({"token": token, "new_password": "een-heel-nieuw-wachtwoord"}),
        )
        .await;
    assert_eq!(done.status, 204, "{}", done.text);

    app.post(
        "/api/v1/auth/login",
        None,
        json!({"email": "kees@example.nl", "password": PASSWORD}),
    )
    .await
    .assert_problem(401, "invalid_credentials");
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "kees@example.nl", "password": "een-heel-nieuw-wachtwoord"}),
        )
        .await;
    assert_eq!(login.status, 200);
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": old_refresh}))
        .await
        .assert_problem(401, "invalid_refresh_token");
    // Whoever held the old session is out at once, not when its access token runs out.
    app.get("/api/v1/me", Some(&old_access))
        .await
        .assert_problem(401, "invalid_token");
    let new_access = login.body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/me", Some(new_access)).await.status, 200);
    app.post(
        confirm,
        None,
        json!({"token": token, "new_password": "nog-een-ander-wachtwoord"}),
    )
    .await
    .assert_problem(400, "invalid_or_expired_token");

    // A token past its hour no longer works.
    app.post("/api/v1/auth/password-reset", None, json!({"email": "kees@example.nl"}))
        .await;
    let mails = sink.wait_for(4, WAIT).await;
    // The holder hears that the password changed, with the way back in.
    assert_eq!(mails[2].rcpt_to, ["<kees@example.nl>"]);
    assert_eq!(
        mails[2].header("Subject").as_deref(),
        Some("Uw wachtwoord is gewijzigd")
    );
    let late_token = token_in(&mails[3]);
    app.db(|c| {
        let past = db::now() - chrono::Duration::minutes(1);
        diesel::update(user_tokens::table)
            .set(user_tokens::expires_at.eq(past))
            .execute(c)
            .unwrap();
    })
    .await;
    app.post(
        confirm,
        None,
        json!({"token": late_token, "new_password": "nog-een-ander-wachtwoord"}),
    )
    .await
    .assert_problem(400, "invalid_or_expired_token");
}

#[actix_web::test]
async fn dead_messages_are_listed_and_can_be_retried() {
    let mut sink = SmtpSink::start().await;
    sink.stop();
    let app = app_with_sink(&sink, |s| s.outbox_max_attempts = 2).await;
    app.register_resident("late@example.nl").await;
    let coordinator = app.token_for(Role::Coordinator).await;

    let deadline = tokio::time::Instant::now() + WAIT;
    let dead = loop {
        let page = app.get("/api/v1/admin/outbox?status=dead", Some(&coordinator)).await;
        if page.body["total"] == 1 || tokio::time::Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(dead.body["total"], 1, "{}", dead.text);
    let message = &dead.body["items"][0];
    assert_eq!(message["attempts"], 2);
    assert!(message["last_error"].as_str().is_some_and(|e| !e.is_empty()));
    assert!(message.get("data").is_none(), "content is not exposed");
    let id = message["id"].as_i64().unwrap();

    let metrics = app.send(app.client.get(app.url("/metrics"))).await.text;
    assert!(
        metrics.contains("servicepunt_outbox_messages{status=\"dead\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("servicepunt_mail_send_duration_seconds_count{outcome=\"failed\"} 2"),
        "{metrics}"
    );

    let werkleider = app.token_for(Role::Werkleider).await;
    app.post(
        &format!("/api/v1/admin/outbox/{id}/retry"),
        Some(&werkleider),
        json!({}),
    )
    .await
    .assert_problem(403, "forbidden");
    sink.restart().await;
    let retried = app
        .post(
            &format!("/api/v1/admin/outbox/{id}/retry"),
            Some(&coordinator),
            json!({}),
        )
        .await;
    assert_eq!(retried.status, 200, "{}", retried.text);
    assert_eq!(retried.body["status"], "pending");
    assert_eq!(sink.wait_for(1, WAIT).await.len(), 1);
    app.post(
        &format!("/api/v1/admin/outbox/{id}/retry"),
        Some(&coordinator),
        json!({}),
    )
    .await
    .assert_problem(409, "not_dead");
    app.post("/api/v1/admin/outbox/999999/retry", Some(&coordinator), json!({}))
        .await
        .assert_problem(404, "not_found");
    app.get("/api/v1/admin/outbox?status=lost", Some(&coordinator))
        .await
        .assert_problem(400, "invalid_query");
}

#[actix_web::test]
async fn without_smtp_mail_is_written_to_files_in_development() {
    let app = spawn_app_with(|s| {
        s.outbox_worker = true;
        s.outbox_poll_ms = 20;
    })
    .await;
    app.register_resident("files@example.nl").await;
    let dir = app.data_dir.path().join("outbox");
    let deadline = tokio::time::Instant::now() + WAIT;
    let files = loop {
        let files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        if !files.is_empty() || tokio::time::Instant::now() > deadline {
            break files;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().unwrap(), "eml");
    let content = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        content.contains("files@example.nl") && content.contains("Message-ID: <"),
        "{content}"
    );
    // The file is written before the message is marked sent, in a separate step.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !statuses(&app).await.iter().all(|(s, _)| s == "sent") {
        assert!(tokio::time::Instant::now() < deadline, "{:?}", statuses(&app).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// With the servicepunt's phone number set, every mail ends with it: "laat het ons
/// weten" is something an elderly resident does by phone.
#[actix_web::test]
async fn the_mail_as_sent_says_whom_to_call() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |s| s.phone = Some("0318 123 456".into())).await;
    let reply = app
        .post("/api/v1/auth/register", None, registration("anna@example.nl"))
        .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    let mails = sink.wait_for(1, WAIT).await;
    let text = mails[0].part("text/plain").unwrap();
    assert!(text.contains("Servicepunt, bel ons: 0318 123 456"), "{text}");
    let html = mails[0].part("text/html").unwrap();
    assert!(html.contains("0318 123 456</a>"), "{html}");
}
