//! Login, sessions, refresh-token rotation and theft detection, logout, registration.

use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{PASSWORD, TestApp, registration, spawn_app, spawn_app_with};

#[actix_web::test]
async fn coordinator_logs_in_reads_me_refreshes_and_logs_out() {
    let app = spawn_app().await;
    app.create_user("coordinator@servicepunt.example", Role::Coordinator)
        .await;

    let tokens = app.login("Coordinator@Servicepunt.example").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();

    let me = app.get("/api/v1/me", Some(access)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "coordinator@servicepunt.example");
    assert_eq!(me.body["role"], "coordinator");

    // Refresh rotates: a new pair comes back and the old refresh token is spent.
    let rotated = app
        .post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.text);
    let new_refresh = rotated.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(new_refresh, refresh);
    let new_access = rotated.body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/me", Some(new_access)).await.status, StatusCode::OK);

    // Logout revokes the session: the current refresh token no longer works.
    let out = app
        .post("/api/v1/auth/logout", None, json!({"refresh_token": new_refresh}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": new_refresh}))
        .await
        .assert_problem(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn replaying_a_spent_refresh_token_revokes_the_whole_family() {
    let app = spawn_app().await;
    app.create_user("w@servicepunt.example", Role::Werkleider).await;
    let first = app.login("w@servicepunt.example").await;
    let old = first["refresh_token"].as_str().unwrap();

    let second = app
        .post("/api/v1/auth/refresh", None, json!({"refresh_token": old}))
        .await;
    assert_eq!(second.status, StatusCode::OK);
    let current = second.body["refresh_token"].as_str().unwrap();

    // The spent token is presented again (a thief, or a copy): refused…
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": old}))
        .await
        .assert_problem(401, "invalid_refresh_token");
    // …and the legitimate, unspent token of that family is now revoked too.
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": current}))
        .await
        .assert_problem(401, "invalid_refresh_token");

    // Another login (another family) is unaffected.
    let other = app.login("w@servicepunt.example").await;
    let again = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": other["refresh_token"]}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
}

#[actix_web::test]
async fn unknown_refresh_tokens_are_refused() {
    let app = spawn_app().await;
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": "0".repeat(64)}))
        .await
        .assert_problem(401, "invalid_refresh_token");
    // Logging out with an unknown token is harmless.
    let out = app
        .post("/api/v1/auth/logout", None, json!({"refresh_token": "nonsense"}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn wrong_password_and_unknown_account_answer_the_same() {
    let app = spawn_app().await;
    app.create_user("f@servicepunt.example", Role::Finance).await;
    let wrong = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "f@servicepunt.example", "password": "wrong-password-1"}),
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "nobody@servicepunt.example", "password": PASSWORD}),
        )
        .await;
    wrong.assert_problem(401, "invalid_credentials");
    unknown.assert_problem(401, "invalid_credentials");
    assert_eq!(wrong.body, unknown.body);
}

#[actix_web::test]
async fn login_is_throttled_per_account_with_retry_after() {
    let app = spawn_app().await;
    app.create_user("target@servicepunt.example", Role::Finance).await;
    for _ in 0..5 {
        let r = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": "target@servicepunt.example", "password": "guess-guess-guess"}),
            )
            .await;
        r.assert_problem(401, "invalid_credentials");
    }
    // Even the right password is refused while the account is throttled.
    let blocked = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "target@servicepunt.example", "password": PASSWORD}),
        )
        .await;
    blocked.assert_problem(429, "too_many_requests");
    let retry_after: u64 = blocked.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "Retry-After {retry_after}");
}

#[actix_web::test]
async fn login_is_throttled_per_client_address() {
    let app = spawn_app().await;
    for i in 0..20 {
        let email = format!("guess{i}@servicepunt.example");
        app.post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": "guess-guess-guess"}),
        )
        .await
        .assert_problem(401, "invalid_credentials");
    }
    app.create_user("real@servicepunt.example", Role::Werkleider).await;
    app.post(
        "/api/v1/auth/login",
        None,
        json!({"email": "real@servicepunt.example", "password": PASSWORD}),
    )
    .await
    .assert_problem(429, "too_many_requests");
}

/// A login at `base` (this instance or another) with `password`.
async fn login_at(app: &TestApp, base: &str, email: &str, password: &str) -> crate::helpers::Reply {
    let body = json!({"email": email, "password": password});
    app.send(app.client.post(format!("{base}/api/v1/auth/login")).json(&body))
        .await
}

#[actix_web::test]
async fn instances_on_one_database_share_the_login_throttle() {
    let app = spawn_app().await;
    let other = app.another_instance().await;
    let email = "target@servicepunt.example";
    app.create_user(email, Role::Finance).await;
    // Five guesses spread over two instances: each saw fewer than its limit of five.
    for i in 0..5 {
        let base = if i % 2 == 0 { &app.address } else { &other.address };
        login_at(&app, base, email, "guess-guess-guess")
            .await
            .assert_problem(401, "invalid_credentials");
    }
    for base in [&app.address, &other.address] {
        login_at(&app, base, email, PASSWORD)
            .await
            .assert_problem(429, "too_many_requests");
    }
}

#[actix_web::test]
async fn a_successful_login_clears_the_accounts_failures() {
    let app = spawn_app().await;
    let email = "vergeetachtig@servicepunt.example";
    app.create_user(email, Role::Werkleider).await;
    for _ in 0..2 {
        for _ in 0..4 {
            login_at(&app, &app.address, email, "bijna-goed-wachtwoord")
                .await
                .assert_problem(401, "invalid_credentials");
        }
        // Eight failures in all, but never five since the last success.
        assert_eq!(login_at(&app, &app.address, email, PASSWORD).await.status, 200);
    }
    let rows = "SELECT COUNT(*) AS n FROM login_failures WHERE scope = 'account'";
    assert_eq!(crate::helpers::count_rows(&app, rows).await, 0);
}

/// A login attempt that says it was forwarded for `from`.
async fn login_from(app: &TestApp, from: &str, email: &str, password: &str) -> crate::helpers::Reply {
    app.send(
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("X-Forwarded-For", from)
            .json(&json!({"email": email, "password": password})),
    )
    .await
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    // The tests connect from the loopback address: here that is the proxy.
    let app = spawn_app_with(|s| s.trusted_proxies = Some("127.0.0.1, ::1".into())).await;
    for i in 0..20 {
        login_from(
            &app,
            "203.0.113.9",
            &format!("guess{i}@servicepunt.example"),
            "guess-guess-guess",
        )
        .await
        .assert_problem(401, "invalid_credentials");
    }
    app.create_user("real@servicepunt.example", Role::Werkleider).await;
    login_from(&app, "203.0.113.9", "real@servicepunt.example", PASSWORD)
        .await
        .assert_problem(429, "too_many_requests");
    let neighbour = login_from(&app, "198.51.100.7", "real@servicepunt.example", PASSWORD).await;
    assert_eq!(neighbour.status, StatusCode::OK, "{}", neighbour.text);
}

#[actix_web::test]
async fn an_ipv6_client_cannot_step_past_its_limit_by_changing_address() {
    let app = spawn_app_with(|s| s.trusted_proxies = Some("127.0.0.1, ::1".into())).await;
    // Every guess from another address of the same /64.
    for i in 0..20 {
        login_from(
            &app,
            &format!("2001:db8:1:2::{:x}", 0x1000 + i),
            &format!("guess{i}@servicepunt.example"),
            "guess-guess-guess",
        )
        .await
        .assert_problem(401, "invalid_credentials");
    }
    app.create_user("real@servicepunt.example", Role::Werkleider).await;
    login_from(&app, "2001:db8:1:2:ffff::9", "real@servicepunt.example", PASSWORD)
        .await
        .assert_problem(429, "too_many_requests");
    // Another network is another client.
    let neighbour = login_from(&app, "2001:db8:1:3::9", "real@servicepunt.example", PASSWORD).await;
    assert_eq!(neighbour.status, StatusCode::OK, "{}", neighbour.text);
}

#[actix_web::test]
async fn without_a_trusted_proxy_a_forwarded_address_changes_nothing() {
    let app = spawn_app().await;
    for i in 0..20 {
        login_from(
            &app,
            &format!("198.51.100.{i}"),
            &format!("guess{i}@servicepunt.example"),
            "guess-guess-guess",
        )
        .await
        .assert_problem(401, "invalid_credentials");
    }
    app.create_user("real@servicepunt.example", Role::Werkleider).await;
    login_from(&app, "192.0.2.1", "real@servicepunt.example", PASSWORD)
        .await
        .assert_problem(429, "too_many_requests");
}

#[actix_web::test]
async fn resident_registers_reads_and_edits_own_record_but_not_the_staff_list() {
    let app = spawn_app().await;
    let (token, resident_id, _) = app.register_resident("anna@example.nl").await;

    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["role"], "resident");

    let own = app.get("/api/v1/me/resident", Some(&token)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["id"], resident_id);
    assert_eq!(own.body["address"]["postcode"], "6711 AB");
    assert_eq!(own.body["email"], "anna@example.nl");
    assert_eq!(own.body["phone"], "0318123456");
    assert!(own.body.get("staff_notes").is_none());

    let edited = app
        .patch(
            "/api/v1/me/resident",
            Some(&token),
            json!({"phone": "06 12345678", "language": "en"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["phone"], "0612345678");
    assert_eq!(edited.body["language"], "en");
    assert_eq!(edited.body["name"], "Anna de Vries");

    // Fields staff verify cannot be set by the resident.
    app.patch("/api/v1/me/resident", Some(&token), json!({"birth_date": "1940-01-01"}))
        .await
        .assert_problem(400, "invalid_body");

    app.get("/api/v1/residents", Some(&token))
        .await
        .assert_problem(403, "forbidden");
    app.get(&format!("/api/v1/residents/{resident_id}"), Some(&token))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn registration_refuses_weak_input() {
    let app = spawn_app().await;
    let mut weak = registration("piet@example.nl");
    weak["password"] = json!("short");
    weak["address"]["postcode"] = json!("12345");
    let reply = app.post("/api/v1/auth/register", None, weak).await;
    reply.assert_problem(422, "validation_failed");
    let fields: Vec<_> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].clone(), e["code"].clone()))
        .collect();
    assert!(
        fields.contains(&(json!("password"), json!("password_too_short"))),
        "{fields:?}"
    );
    assert!(
        fields.contains(&(json!("address.postcode"), json!("invalid_postcode"))),
        "{fields:?}"
    );

    let mut common = registration("kees@example.nl");
    common["password"] = json!("wachtwoord123");
    let reply = app.post("/api/v1/auth/register", None, common).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.body["errors"][0]["code"], "password_too_common");

    // Nothing was half-written: the refused addresses can still register.
    app.register_resident("piet@example.nl").await;
}

#[actix_web::test]
async fn a_role_without_a_resident_record_gets_404_on_me_resident() {
    let app = spawn_app().await;
    let participant = app.token_for(Role::Participant).await;
    app.get("/api/v1/me/resident", Some(&participant))
        .await
        .assert_problem(403, "forbidden");
    let coordinator = app.token_for(Role::Coordinator).await;
    app.get("/api/v1/me/resident", Some(&coordinator))
        .await
        .assert_problem(404, "not_found");
}
