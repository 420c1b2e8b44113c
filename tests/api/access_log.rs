//! The line the server logs for every request: enough to follow the request (its id,
//! method, route pattern, status and time taken) and nothing about whom it concerned: no
//! id from the path, no query string, no body, no token. Read from the real binary's
//! stderr, in production's JSON format.

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cli::{command, serve_logging};
use crate::helpers::{TestDb, send_checked};

/// Lines logged until one is the line for the request `id` (returned last).
fn lines_until_handled(log: &Receiver<String>, id: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut lines = Vec::new();
    while let Ok(line) = log.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        let parsed: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        let done = parsed["span"]["request_id"] == id && parsed["fields"]["message"] == "request handled";
        lines.push(line);
        if done {
            return lines;
        }
    }
    panic!("no line for request {id} within 10 s; logged: {lines:#?}");
}

async fn status(request: reqwest::RequestBuilder, request_id: &str) -> u16 {
    let reply = send_checked(request.header("x-request-id", request_id)).await;
    reply.status.as_u16()
}

#[actix_web::test]
async fn each_request_gets_one_line_with_its_route_pattern_and_nothing_personal() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(dir.path());
    cmd.env("RUST_LOG", "info");
    let (port, mut child, log) = serve_logging(cmd, Some(&db.url));
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let secrets = ["424242", "Jansen", "geheim.persoon", "Hemelsblauw", "Nep-Token-Tekst"];

    // A resident's record by id with a name in the query, with a token that is no token:
    // refused before routing (the record reads no parameter), logged at its route.
    let record = client
        .get(format!("{base}/api/v1/residents/424242?q=Jansen"))
        .bearer_auth("Nep-Token-Tekst");
    // A login with an address and a password in the body.
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "geheim.persoon@example.nl", "password": "Hemelsblauw-Zeilboot-71"}));
    // An address no route takes, with a name in it.
    let unknown = client.get(format!("{base}/api/v1/Jansen/424242"));
    let record = status(record, "trace-record").await;
    let login = status(login, "trace-login").await;
    let unknown = status(unknown, "trace-unknown").await;

    let mut lines = Vec::new();
    for (id, method, route, code) in [
        ("trace-record", "GET", "/api/v1/residents/{id}", record),
        ("trace-login", "POST", "/api/v1/auth/login", login),
        ("trace-unknown", "GET", "unmatched", unknown),
    ] {
        lines.extend(lines_until_handled(&log, id));
        let handled: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
        assert_eq!(handled["level"], "INFO");
        assert_eq!(handled["span"]["method"], method, "{handled}");
        assert_eq!(handled["fields"]["route"], route, "{handled}");
        assert_eq!(handled["fields"]["status"], code, "{handled}");
        assert!(handled["fields"]["latency_ms"].as_f64().is_some(), "{handled}");
    }
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!((record, login, unknown), (400, 401, 404));
    for line in &lines {
        for secret in secrets {
            assert!(!line.contains(secret), "{secret:?} was logged: {line}");
        }
    }
}
