//! The coordinator keeps the staff accounts: `/api/v1/admin/users`.

use std::time::Duration;

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{PASSWORD, Reply, TestApp, spawn_app};
use crate::mail::{app_with_sink, sent_to, token_in};
use crate::smtp_sink::SmtpSink;

const WAIT: Duration = Duration::from_secs(10);
const CHOSEN: &str = "mijn-eigen-wachtwoord";

async fn login(app: &TestApp, email: &str, password: &str) -> Reply {
    let body = json!({"email": email, "password": password});
    app.post("/api/v1/auth/login", None, body).await
}

async fn staff(app: &TestApp, token: &str, query: &str) -> Reply {
    app.get(&format!("/api/v1/admin/users{query}"), Some(token)).await
}

fn emails(page: &Reply) -> Vec<String> {
    let items = page.body["items"].as_array().expect("items");
    items.iter().map(|a| a["email"].as_str().unwrap().to_owned()).collect()
}

#[actix_web::test]
async fn a_new_werkleider_is_invited_and_chooses_a_password() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let email = "nieuwe.werkleider@servicepunt.example";
    let body =
        json!({"email": "  Nieuwe.Werkleider@Servicepunt.example ", "name": "Noor Bakker", "role": "werkleider"});

    let made = app.post("/api/v1/admin/users", Some(&coordinator), body.clone()).await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["email"], email);
    assert_eq!(made.body["role"], "werkleider");
    assert_eq!(made.body["active"], true);
    assert_eq!(made.body["email_verified"], false);
    app.post("/api/v1/admin/users", Some(&coordinator), body)
        .await
        .assert_problem(409, "email_in_use");

    // Nobody can log in with it before the holder chose a password: not with a usual one,
    // not with what the account stores instead, not with nothing.
    for password in [PASSWORD, servicepunt::auth::password::NOT_CHOSEN_YET, ""] {
        login(&app, email, password)
            .await
            .assert_problem(401, "invalid_credentials");
    }
    let invitation = &sink.wait_for(1, WAIT).await[0];
    assert_eq!(invitation.rcpt_to, [format!("<{email}>")]);
    assert_eq!(
        invitation.header("Subject").as_deref(),
        Some("Uw account bij het Servicepunt")
    );
    let chosen = json!({"token": token_in(invitation), "new_password": CHOSEN});
    let done = app
        .post("/api/v1/auth/password-reset/confirm", None, chosen.clone())
        .await;
    assert_eq!(done.status, 204, "{}", done.text);
    app.post("/api/v1/auth/password-reset/confirm", None, chosen)
        .await
        .assert_problem(400, "invalid_or_expired_token");

    let session = login(&app, email, CHOSEN).await;
    assert_eq!(session.status, 200, "{}", session.text);
    let access = session.body["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/me", Some(access)).await;
    assert_eq!(
        (me.body["role"].as_str(), me.body["email_verified"].as_bool()),
        (Some("werkleider"), Some(true))
    );
    let listed = staff(&app, &coordinator, "?role=werkleider").await;
    assert_eq!(emails(&listed), [email]);
    assert_eq!(listed.body["items"][0]["email_verified"], true);
    // A first password is no change to warn about: the invitation was the only mail.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), 1);
}

#[actix_web::test]
async fn bad_invitations_change_nothing() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let before = staff(&app, &coordinator, "").await.body["total"].clone();

    let bad = app
        .post(
            "/api/v1/admin/users",
            Some(&coordinator),
            json!({"email": "geen-adres", "name": "  ", "role": "werkleider"}),
        )
        .await;
    assert_eq!(bad.error_fields(), ["email", "name"]);
    // Residents register themselves; participants' accounts go with their profile.
    for role in ["resident", "participant", "baas"] {
        let r = app
            .post(
                "/api/v1/admin/users",
                Some(&coordinator),
                json!({"email": format!("{role}@servicepunt.example"), "name": "Iemand", "role": role}),
            )
            .await;
        assert!(matches!(r.status.as_u16(), 400 | 422), "{role}: {}", r.text);
        assert_eq!(r.headers["content-type"], "application/problem+json");
    }
    assert_eq!(staff(&app, &coordinator, "").await.body["total"], before);
}

#[actix_web::test]
async fn a_disabled_account_is_out_at_once_and_can_come_back() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let email = "vertrekt@servicepunt.example";
    let id = app.create_user(email, Role::Finance).await;
    let resident = app.create_user("bewoner@servicepunt.example", Role::Resident).await;
    let access = app.login(email).await["access_token"].as_str().unwrap().to_owned();

    let off = app
        .post(
            &format!("/api/v1/admin/users/{id}/disable"),
            Some(&coordinator),
            json!({}),
        )
        .await;
    assert_eq!(
        (off.status.as_u16(), &off.body["active"]),
        (200, &json!(false)),
        "{}",
        off.text
    );
    app.get("/api/v1/me", Some(&access))
        .await
        .assert_problem(401, "invalid_token");
    login(&app, email, PASSWORD)
        .await
        .assert_problem(401, "invalid_credentials");
    assert_eq!(emails(&staff(&app, &coordinator, "?active=false").await), [email]);

    let on = app
        .post(
            &format!("/api/v1/admin/users/{id}/enable"),
            Some(&coordinator),
            json!({}),
        )
        .await;
    assert_eq!(
        (on.status.as_u16(), &on.body["active"]),
        (200, &json!(true)),
        "{}",
        on.text
    );
    assert_eq!(login(&app, email, PASSWORD).await.status, 200);
    assert!(
        staff(&app, &coordinator, "?active=false").await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Not the coordinator's own account, and no resident's.
    let own = app.get("/api/v1/me", Some(&coordinator)).await.body["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/admin/users/{own}/disable"),
        Some(&coordinator),
        json!({}),
    )
    .await
    .assert_problem(409, "own_account");
    app.post(
        &format!("/api/v1/admin/users/{resident}/disable"),
        Some(&coordinator),
        json!({}),
    )
    .await
    .assert_problem(404, "not_found");
    assert!(
        !emails(&staff(&app, &coordinator, "?per_page=100").await).contains(&"bewoner@servicepunt.example".to_owned())
    );
    assert_eq!(login(&app, "bewoner@servicepunt.example", PASSWORD).await.status, 200);
}

#[actix_web::test]
async fn a_wrong_role_is_corrected_and_the_old_sessions_end() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let email = "verkeerde.rol@servicepunt.example";
    let id = app.create_user(email, Role::Finance).await;
    let path = format!("/api/v1/admin/users/{id}");
    let access = app.login(email).await["access_token"].as_str().unwrap().to_owned();

    let renamed = app
        .patch(
            &path,
            Some(&coordinator),
            json!({"name": "Fatima El Amrani", "language": "en"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(
        (&renamed.body["name"], &renamed.body["language"]),
        (&json!("Fatima El Amrani"), &json!("en"))
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&access)).await.status,
        200,
        "a new name ends nothing"
    );
    let blank = app.patch(&path, Some(&coordinator), json!({"name": " "})).await;
    assert_eq!(
        (blank.status.as_u16(), &blank.body["errors"][0]["field"]),
        (422, &json!("name")),
        "{}",
        blank.text
    );

    let moved = app
        .patch(&path, Some(&coordinator), json!({"role": "werkleider"}))
        .await;
    assert_eq!(
        (moved.status.as_u16(), &moved.body["role"]),
        (200, &json!("werkleider")),
        "{}",
        moved.text
    );
    // The old token carried the old role: it is refused at once.
    app.get("/api/v1/me", Some(&access))
        .await
        .assert_problem(401, "invalid_token");
    let fresh = app.login(email).await["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/me", Some(&fresh)).await.body["role"], "werkleider");
    assert_eq!(app.get("/api/v1/planning/broken-work", Some(&fresh)).await.status, 200);

    // Not the coordinator's own role (their name is fine), and no resident's account.
    let own = app.get("/api/v1/me", Some(&coordinator)).await.body["id"]
        .as_i64()
        .unwrap();
    let own_path = format!("/api/v1/admin/users/{own}");
    app.patch(&own_path, Some(&coordinator), json!({"role": "werkleider"}))
        .await
        .assert_problem(409, "own_account");
    assert_eq!(
        app.patch(&own_path, Some(&coordinator), json!({"name": "Co Ordinator"}))
            .await
            .status,
        200
    );
    let resident = app.create_user("bewoner@servicepunt.example", Role::Resident).await;
    app.patch(
        &format!("/api/v1/admin/users/{resident}"),
        Some(&coordinator),
        json!({"role": "finance"}),
    )
    .await
    .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn a_coach_keeps_the_role_while_participants_have_them() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let coach = app
        .create_user("coach@servicepunt.example", Role::Trajectbegeleider)
        .await;
    let registered = app
        .post(
            "/api/v1/participants",
            Some(&coordinator),
            json!({"name": "Joost", "contracted_hours_per_week": 8, "coach_user_id": coach}),
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    let path = format!("/api/v1/admin/users/{coach}");
    app.patch(&path, Some(&coordinator), json!({"role": "finance"}))
        .await
        .assert_problem(409, "has_caseload");
    assert_eq!(
        app.get("/api/v1/admin/users?role=trajectbegeleider", Some(&coordinator))
            .await
            .body["total"],
        1
    );
    // Given another coach, the participant no longer holds the role in place.
    let participant = format!("/api/v1/participants/{}", registered.body["id"]);
    let released = app
        .patch(&participant, Some(&coordinator), json!({"coach_user_id": null}))
        .await;
    assert_eq!(released.status, 200, "{}", released.text);
    let moved = app.patch(&path, Some(&coordinator), json!({"role": "finance"})).await;
    assert_eq!(
        (moved.status.as_u16(), &moved.body["role"]),
        (200, &json!("finance")),
        "{}",
        moved.text
    );
}

/// A mistyped address on a new account is corrected before its holder chose a password:
/// the link goes to the corrected address, the first one stops working, and the holder
/// logs in with the corrected one. Once they have, the address is theirs.
#[actix_web::test]
async fn a_mistyped_address_is_corrected_until_the_password_is_chosen() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |_| {}).await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let wrong = "karin@servicepunt.exmaple";
    let body = json!({"email": wrong, "name": "Karin Smit", "role": "finance"});
    let made = app.post("/api/v1/admin/users", Some(&coordinator), body).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let account = format!("/api/v1/admin/users/{}", made.body["id"]);

    let bad = app.patch(&account, Some(&coordinator), json!({"email": "karin"})).await;
    bad.assert_field_problem("email", "invalid_email");
    let email = "karin@servicepunt.example";
    let corrected = app.patch(&account, Some(&coordinator), json!({"email": email})).await;
    assert_eq!(
        (corrected.status.as_u16(), &corrected.body["email"]),
        (200, &json!(email)),
        "{}",
        corrected.text
    );
    let mails = sink.wait_for(2, WAIT).await;
    let to = |address: &str| sent_to(&mails, address);
    let chose = |mail| json!({"token": token_in(mail), "new_password": CHOSEN});
    app.post("/api/v1/auth/password-reset/confirm", None, chose(to(wrong)))
        .await
        .assert_problem(400, "invalid_or_expired_token");
    let done = app
        .post("/api/v1/auth/password-reset/confirm", None, chose(to(email)))
        .await;
    assert_eq!(done.status, 204, "{}", done.text);
    assert_eq!(login(&app, email, CHOSEN).await.status, 200);

    app.patch(&account, Some(&coordinator), json!({"email": wrong}))
        .await
        .assert_problem(409, "invitation_accepted");
    assert_eq!(login(&app, email, CHOSEN).await.status, 200, "the address stayed");
}
