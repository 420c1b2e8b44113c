//! Hostile or careless clients: CORS only for the configured front end, security
//! headers on every answer, and rate limits on the public endpoints that send mail.

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;

use crate::helpers::spawn_app_with;

#[actix_web::test]
async fn only_the_configured_front_end_gets_cors_and_every_answer_has_security_headers() {
    let app = spawn_app_with(|s| s.cors_origins = Some("https://app.servicepunt.test".into())).await;
    let preflight = app
        .send(
            app.client
                .request(Method::OPTIONS, app.url("/api/v1/jobs"))
                .header("Origin", "https://app.servicepunt.test")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, idempotency-key"),
        )
        .await;
    assert_eq!(preflight.status, 204);
    let h =
        |r: &crate::helpers::Reply, name: &str| r.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(
        h(&preflight, "access-control-allow-origin").as_deref(),
        Some("https://app.servicepunt.test")
    );
    assert!(
        h(&preflight, "access-control-allow-headers")
            .unwrap()
            .contains("Idempotency-Key")
    );
    let allowed = app
        .send(
            app.client
                .get(app.url("/api/v1/services"))
                .header("Origin", "https://app.servicepunt.test"),
        )
        .await;
    assert_eq!(
        h(&allowed, "access-control-allow-origin").as_deref(),
        Some("https://app.servicepunt.test")
    );
    let evil = app
        .send(
            app.client
                .get(app.url("/api/v1/services"))
                .header("Origin", "https://evil.example"),
        )
        .await;
    assert_eq!(
        evil.status, 200,
        "the answer is there, the browser just may not show it"
    );
    assert_eq!(h(&evil, "access-control-allow-origin"), None);
    let evil_preflight = app
        .send(
            app.client
                .request(Method::OPTIONS, app.url("/api/v1/jobs"))
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"),
        )
        .await;
    assert_eq!(h(&evil_preflight, "access-control-allow-origin"), None);
    for r in [&allowed, &evil] {
        assert_eq!(h(r, "x-content-type-options").as_deref(), Some("nosniff"));
        assert!(
            h(r, "content-security-policy")
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
        assert!(h(r, "strict-transport-security").is_some());
    }
}

#[actix_web::test]
async fn public_mail_sending_endpoints_are_rate_limited_per_client() {
    let app = spawn_app_with(|s| s.public_requests_per_minute = 3).await;
    for _ in 0..3 {
        let r = app
            .post("/api/v1/auth/password-reset", None, json!({"email": "wie@example.nl"}))
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }
    let limited = app
        .post("/api/v1/auth/password-reset", None, json!({"email": "wie@example.nl"}))
        .await;
    limited.assert_problem(429, "too_many_requests");
    let wait: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Other routes and reads are not affected.
    assert_eq!(app.get("/api/v1/services", None).await.status, 200);
    let other = app
        .post("/api/v1/auth/verify-email", None, json!({"token": "nope"}))
        .await;
    assert_ne!(other.status, 429);
}

/// A burst of logins, each checking a password (slow on purpose), against a pool of one
/// connection: every login and every read in between gets through. (That the check holds
/// no connection and runs a few at a time is by construction, `src/auth/hashing.rs`; what
/// it saves is waiting time, which is not asserted here.)
#[actix_web::test]
async fn a_burst_of_logins_on_one_connection_all_get_through_with_the_reads() {
    let app = spawn_app_with(|s| {
        s.db_pool_size = 1;
        s.db_acquire_timeout_secs = 1;
    })
    .await;
    app.create_user("w@servicepunt.example", servicepunt::auth::Role::Werkleider)
        .await;
    let token = app.login("w@servicepunt.example").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let logins = (0..60).map(|_| {
        app.post(
            "/api/v1/auth/login",
            None,
            json!({"email": "w@servicepunt.example", "password": crate::helpers::PASSWORD}),
        )
    });
    let reads = (0..20).map(|_| app.get("/api/v1/me", Some(&token)));
    let (logins, reads) = futures_util::future::join(join_all(logins), join_all(reads)).await;
    for r in logins.iter().chain(&reads) {
        assert_eq!(r.status, 200, "{}", r.text);
    }
}
