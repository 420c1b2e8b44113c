//! Hostile or careless clients: CORS only for the configured front end, security
//! headers on every answer, rate limits on the public endpoints that send mail, and a
//! deadline on slow request bodies.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;
use servicepunt::auth::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, count_rows, resident_body, spawn_app_with};

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
    // The same route spelt with an encoded letter is the same count.
    let encoded = app
        .post(
            "/api/v1/auth/%70assword-reset",
            None,
            json!({"email": "wie@example.nl"}),
        )
        .await;
    encoded.assert_problem(429, "too_many_requests");
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

/// Sends a request head declaring `length` bytes of body, then `parts` with `gap`
/// between them, while reading the answer; returns it once the server closes or after
/// ten seconds.
async fn trickle(app: &TestApp, path: &str, token: &str, length: usize, parts: &[&str], gap: Duration) -> String {
    let address = app.address.trim_start_matches("http://").to_owned();
    let (mut reader, mut writer) = TcpStream::connect(&address).await.unwrap().into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    let parts: Vec<String> = parts.iter().map(|p| (*p).to_owned()).collect();
    let sending = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await.unwrap();
        for part in parts {
            // The server may have answered and closed already; that is what is tested.
            if writer.write_all(part.as_bytes()).await.is_err() {
                break;
            }
            tokio::time::sleep(gap).await;
        }
    });
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(10);
    while !complete(&answer) && Instant::now() < deadline {
        match tokio::time::timeout_at(deadline.into(), reader.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => answer.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    sending.abort();
    String::from_utf8_lossy(&answer).into_owned()
}

/// Whether `answer` holds a whole response: its head and `Content-Length` bytes of body.
fn complete(answer: &[u8]) -> bool {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    });
    length.is_some_and(|n| body.len() >= n)
}

#[actix_web::test]
async fn a_body_that_trickles_in_is_cut_off_and_nothing_is_written() {
    let app = spawn_app_with(|s| s.body_timeout_secs = 1).await;
    let staff = app.token_for(Role::Werkleider).await;
    let body = resident_body("Trage Client", "6711 AB").to_string();
    let (first, rest) = body.split_at(10);

    // A byte a quarter-second: the whole body would take far longer than the second allowed.
    let slow: Vec<&str> = (0..rest.len()).map(|i| &rest[i..=i]).collect();
    let mut parts = vec![first];
    parts.extend(slow);
    let started = Instant::now();
    let answer = trickle(
        &app,
        "/api/v1/residents",
        &staff,
        body.len(),
        &parts,
        Duration::from_millis(250),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("content-type: application/problem+json"), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
    // Answered at the deadline, not when the client would have finished (~6 s).
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM residents").await, 0);

    // A body in two parts that arrives within the time is served as usual.
    let answer = trickle(
        &app,
        "/api/v1/residents",
        &staff,
        body.len(),
        &[first, rest],
        Duration::from_millis(300),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM residents").await, 1);
}
