//! Hostile or careless clients: CORS only for the configured front end, security
//! headers on every answer, and rate limits on the public endpoints that send mail.

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
