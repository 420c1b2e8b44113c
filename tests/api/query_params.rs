//! The query parameters of the contract are the server's: for every parameter a value
//! can be wrong for (a number, a date, a choice, a pattern), the operation takes right
//! values (each at its declared minimum, or its example) and refuses one wrong value
//! with 400 or 422. A declared range or pattern the server does not keep fails it: the
//! public holidays' years and the audit log's subject declared none before this test.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::spawn_app;
use crate::request_bodies::{caller_and_address, contract, resolve, token, tomorrow};

/// A right value for parameter `name` of `schema` (`example`, when given) and a wrong
/// one, or `None` when any text is right.
fn right_and_wrong(doc: &Value, name: &str, schema: &Value, example: &Value) -> Option<(String, &'static str)> {
    let schema = resolve(doc, schema);
    if let Some(options) = schema["oneOf"].as_array() {
        let not_null = options.iter().find(|o| o["type"] != "null")?;
        return right_and_wrong(doc, name, not_null, example);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return Some((first.as_str()?.to_owned(), "not-a-choice"));
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null")?.as_str()?,
        kind => kind.as_str()?,
    };
    let day = tomorrow();
    if let (Some(example), Some(_)) = (example.as_str(), schema.get("pattern")) {
        return Some((example.to_owned(), "x"));
    }
    match (kind, schema["format"].as_str(), schema["pattern"].as_str()) {
        ("integer", ..) => Some((schema["minimum"].as_i64().unwrap_or(1).max(1).to_string(), "x")),
        ("boolean", ..) => Some(("true".into(), "x")),
        ("string", Some("date"), _) => Some((day.to_string(), "x")),
        // The end of a span comes after its start.
        ("string", Some("date-time"), _) => {
            let hour = if name.starts_with("end") { 11 } else { 9 };
            Some((format!("{day}T{hour:02}:00:00+01:00"), "x"))
        }
        // The other pattern is a month's.
        ("string", _, Some(_)) => Some((day.format("%Y-%m").to_string(), "x")),
        _ => None,
    }
}

/// The query parameters the contract declares for operation `op`.
fn in_query(op: &Value) -> Vec<&Value> {
    let parameters = op["parameters"].as_array().into_iter().flatten();
    parameters.filter(|p| p["in"] == "query").collect()
}

fn query(pairs: &[(String, String)]) -> String {
    let joined: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace('+', "%2B")))
        .collect();
    joined.join("&")
}

#[actix_web::test]
async fn every_query_parameter_takes_right_values_and_refuses_wrong_ones() {
    let doc = contract();
    let app = spawn_app().await;
    let mut tokens = Vec::new();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = method.to_uppercase();
            let params = in_query(op);
            if params.is_empty() {
                continue;
            }
            let (role, address) = caller_and_address(&method, path);
            let token = token(&app, &mut tokens, role).await;
            let http = Method::from_bytes(method.as_bytes()).unwrap();
            // Every parameter a right value can be given for, at once.
            let right: Vec<(String, String, &'static str)> = params
                .iter()
                .filter_map(|p| {
                    let name = p["name"].as_str()?;
                    let (good, bad) = right_and_wrong(&doc, name, &p["schema"], &p["example"])?;
                    Some((name.to_owned(), good, bad))
                })
                .collect();
            let all_right: Vec<(String, String)> = right.iter().map(|(n, g, _)| (n.clone(), g.clone())).collect();
            let reply = app
                .call(
                    http.clone(),
                    &format!("{address}?{}", query(&all_right)),
                    token.as_deref(),
                    None,
                )
                .await;
            // Taken: answered, or not found for a made-up id.
            if !(reply.status.is_success() || reply.status == 404) {
                wrong.push(format!("{method} {path} with right values: {}", reply.text));
                continue;
            }
            for (name, _, bad) in &right {
                let one_wrong: Vec<(String, String)> = all_right
                    .iter()
                    .map(|(n, g)| (n.clone(), if n == name { bad.to_string() } else { g.clone() }))
                    .collect();
                let reply = app
                    .call(
                        http.clone(),
                        &format!("{address}?{}", query(&one_wrong)),
                        token.as_deref(),
                        None,
                    )
                    .await;
                if !(reply.status == 400 || reply.status == 422) {
                    wrong.push(format!("{method} {path}: `{name}={bad}` answered {}", reply.status));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 70, "only {checked} parameters checked");
    assert!(
        wrong.is_empty(),
        "query parameters the server reads otherwise than the contract says:\n{}",
        wrong.join("\n")
    );
}

#[actix_web::test]
async fn a_parameter_an_operation_does_not_read_is_refused_by_name() {
    let doc = contract();
    let app = spawn_app().await;
    let mut tokens = Vec::new();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = method.to_uppercase();
            let (role, address) = caller_and_address(&method, path);
            let token = token(&app, &mut tokens, role).await;
            let reads: Vec<&str> = in_query(op).iter().filter_map(|p| p["name"].as_str()).collect();
            let takes = if reads.is_empty() {
                "none".to_owned()
            } else {
                reads.join(", ")
            };
            let http = Method::from_bytes(method.as_bytes()).unwrap();
            let reply = app
                .call(http, &format!("{address}?unread=1"), token.as_deref(), None)
                .await;
            let said = format!("unread: not a parameter here; this address takes {takes}");
            let named = reply.body["detail"].as_str().is_some_and(|d| d.ends_with(&said));
            if reply.status != 400 || reply.body["code"] != "invalid_query" || !named {
                wrong.push(format!("{method} {path}: {} {}", reply.status, reply.text));
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} operations checked");
    assert!(
        wrong.is_empty(),
        "operations that took a parameter they do not read:\n{}",
        wrong.join("\n")
    );
}

#[actix_web::test]
async fn a_misspelt_parameter_changes_nothing_and_says_what_the_address_takes() {
    let app = spawn_app().await;
    let staff = app.token_for(servicepunt::auth::Role::Werkleider).await;
    let board = app.get("/api/v1/planning?date=2026-12-14", Some(&staff)).await;
    board.assert_problem(400, "invalid_query");
    assert_eq!(
        board.body["detail"],
        "the query string is invalid: date: not a parameter here; this address takes from, to"
    );
    let head = app
        .call(Method::HEAD, "/api/v1/planning?date=2026-12-14", Some(&staff), None)
        .await;
    assert_eq!(head.status, 400, "HEAD reads what its GET reads");

    // Refused before the body is read: nothing written.
    let body = crate::helpers::resident_body("Mevrouw Bakker", "6711 AB");
    app.post("/api/v1/residents?confirm=true", Some(&staff), body.clone())
        .await
        .assert_problem(400, "invalid_query");
    let listed = app.get("/api/v1/residents?name=bakker&page=1", Some(&staff)).await;
    assert_eq!(
        listed.status, 200,
        "the search and the page, read by two parts: {}",
        listed.text
    );
    assert_eq!(listed.body["items"], serde_json::json!([]));
    assert_eq!(app.post("/api/v1/residents", Some(&staff), body).await.status, 201);

    // What the contract does not describe is not checked.
    assert_eq!(app.get("/openapi.json?v=2", None).await.status, 200);
    app.get("/api/v1/nothing-here?x=1", Some(&staff))
        .await
        .assert_problem(404, "not_found");
}
