//! Health, readiness, metrics and request ids.

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

#[actix_web::test]
async fn health_and_ready() {
    let app = spawn_app().await;
    let health = app.get("/health", None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body, json!({"status": "ok"}));
    let ready = app.get("/ready", None).await;
    assert_eq!(ready.status, 200);
    let backend = if app.db.is_postgres() { "postgres" } else { "sqlite" };
    assert_eq!(ready.body, json!({"status": "ready", "database": backend}));
}

#[actix_web::test]
async fn request_ids_are_echoed_or_generated() {
    let app = spawn_app().await;
    let given = app
        .send(app.client.get(app.url("/health")).header("x-request-id", "abc-123"))
        .await;
    assert_eq!(given.headers["x-request-id"], "abc-123");
    let generated = app.get("/health", None).await;
    let id = generated.headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a uuid: {id}");
    let hostile = app
        .send(
            app.client
                .get(app.url("/health"))
                .header("x-request-id", "x".repeat(500)),
        )
        .await;
    assert_ne!(hostile.headers["x-request-id"].to_str().unwrap().len(), 500);
    // Errors carry the id too.
    let missing = app
        .send(app.client.get(app.url("/nope")).header("x-request-id", "err-1"))
        .await;
    assert_eq!(missing.headers["x-request-id"], "err-1");
}

#[actix_web::test]
async fn metrics_count_requests_by_route_pattern_and_status() {
    let app = spawn_app().await;
    app.get("/health", None).await;
    app.get("/health", None).await;
    app.get("/api/v1/residents/12345", None).await;
    let metrics = app.send(app.client.get(app.url("/metrics"))).await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.content_type().starts_with("text/plain"));
    let text = metrics.text;
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/health",status="200"} 2"#),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/api/v1/residents/{id}",status="401""#),
        "{text}"
    );
    assert!(!text.contains("12345"), "concrete ids never become labels");
    assert!(text.contains("http_request_duration_seconds_bucket"));
}

#[actix_web::test]
async fn with_a_metrics_token_only_its_holder_reads_the_metrics() {
    let token = "prometheus-scrape-token-0123456789abcdef";
    let app = spawn_app_with(|s| s.metrics_token = Some(token.into())).await;
    let read = |auth: Option<&'static str>| {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(value) = auth {
            request = request.header("Authorization", value);
        }
        app.send(request)
    };
    read(None).await.assert_problem(401, "unauthenticated");
    read(Some("Bearer prometheus-scrape-token-0123456789abcdeX"))
        .await
        .assert_problem(401, "invalid_token");
    read(Some("Basic cHJvbWV0aGV1czp4"))
        .await
        .assert_problem(401, "invalid_token");
    let ok = read(Some("Bearer prometheus-scrape-token-0123456789abcdef")).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let lower = read(Some("bearer prometheus-scrape-token-0123456789abcdef")).await;
    assert_eq!(lower.status, 200, "as the API's tokens: {}", lower.text);
    assert!(ok.text.contains("http_requests_total"), "{}", ok.text);
}

#[actix_web::test]
async fn in_production_without_a_token_the_metrics_are_off() {
    let app = spawn_app_with(|s| {
        s.env = "production".into();
        s.smtp_url = Some("smtp://127.0.0.1:9".into());
        s.outbox_worker = false;
    })
    .await;
    app.get("/metrics", None).await.assert_problem(404, "not_found");
    assert_eq!(app.get("/health", None).await.status, 200);
}

#[actix_web::test]
async fn security_headers_are_set() {
    let app = spawn_app().await;
    let reply = app.get("/health", None).await;
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");
    assert_eq!(reply.headers["cache-control"], "no-store");
}
