//! Hostile and clumsy input gets a clear problem document with a stable code, never a 500,
//! and writes nothing.

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{TestApp, count_rows, resident_body, spawn_app};

async fn post_with(
    app: &TestApp,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> crate::helpers::Reply {
    let mut request = app.client.post(app.url(path)).bearer_auth(token).body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(request).await
}

/// How many residents are stored: what a refused request must leave as it was.
async fn residents(app: &TestApp) -> i64 {
    count_rows(app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM residents").await
}

async fn raw_post(
    app: &TestApp,
    path: &str,
    token: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> crate::helpers::Reply {
    post_with(app, path, token, &[("content-type", content_type)], body).await
}

#[actix_web::test]
async fn body_errors_are_problem_documents() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let path = "/api/v1/residents";

    raw_post(&app, path, &staff, "application/json", "{\"name\": ")
        .await
        .assert_problem(400, "malformed_json");
    raw_post(&app, path, &staff, "application/json", "")
        .await
        .assert_problem(400, "malformed_json");
    raw_post(&app, path, &staff, "application/json", "[1,2,3]")
        .await
        .assert_problem(400, "invalid_body");

    // A whole body with more after it is not JSON either, and nothing is made of it.
    let trailing = format!("{} {{}}", resident_body("Piet", "6711 AB"));
    raw_post(&app, path, &staff, "application/json", trailing)
        .await
        .assert_problem(400, "malformed_json");

    // A value of the wrong kind is named by where it stands, so the screen can mark it.
    let wrong_type = app.post(path, Some(&staff), json!({"name": 42, "address": {}})).await;
    wrong_type.assert_problem(400, "invalid_body");
    assert_eq!(
        wrong_type.body["detail"],
        "the request body does not match the expected shape: address: missing field `street` at line 1 \
         column 13"
    );
    let mut nested = resident_body("Piet", "6711 AB");
    nested["address"]["postcode"] = json!(6711);
    let reply = app.post(path, Some(&staff), nested).await;
    reply.assert_problem(400, "invalid_body");
    let detail = reply.body["detail"].as_str().unwrap();
    assert!(
        detail.contains(": address.postcode: invalid type: integer `6711`"),
        "{detail}"
    );

    let missing = app.post(path, Some(&staff), json!({"name": "Piet"})).await;
    missing.assert_problem(400, "invalid_body");
    assert!(
        missing.body["detail"].as_str().unwrap().contains("address"),
        "{}",
        missing.text
    );

    let mut unknown = resident_body("Piet", "6711 AB");
    unknown["is_admin"] = json!(true);
    let reply = app.post(path, Some(&staff), unknown).await;
    reply.assert_problem(400, "invalid_body");
    assert!(reply.body["detail"].as_str().unwrap().contains("is_admin"));

    // So is one in a body read whole first, as an order is for its idempotency key.
    let mut order = crate::helpers::order_body(1, 60);
    order["preferred_windows"] = json!([{"date": "2027-01-04"}, {"date": "soon"}]);
    let reply = app.post("/api/v1/jobs", Some(&staff), order).await;
    reply.assert_problem(400, "invalid_body");
    assert_eq!(
        reply.body["detail"],
        "the request body does not match the expected shape: preferred_windows[1].date: input contains \
         invalid characters"
    );

    let bad_date = json!({"name": "Piet", "birth_date": "1950-02-30",
        "address": {"street": "a", "house_number": "1", "postcode": "6711 AB", "city": "Ede"}});
    let reply = app.post(path, Some(&staff), bad_date).await;
    reply.assert_problem(400, "invalid_body");
    assert!(
        reply.text.contains("birth_date: input is out of range"),
        "{}",
        reply.text
    );

    raw_post(&app, path, &staff, "text/plain", "{}")
        .await
        .assert_problem(415, "unsupported_media_type");

    let ten_megabytes = format!("{{\"name\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
    raw_post(&app, path, &staff, "application/json", ten_megabytes)
        .await
        .assert_problem(413, "payload_too_large");

    assert_eq!(residents(&app).await, 0, "nothing may be written by refused requests");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

async fn encoded_post(app: &TestApp, path: &str, token: &str, encoding: &str, body: Vec<u8>) -> crate::helpers::Reply {
    let headers = [("content-type", "application/json"), ("content-encoding", encoding)];
    post_with(app, path, token, &headers, body).await
}

#[actix_web::test]
async fn bodies_that_cannot_be_read_are_problem_documents_too() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let path = "/api/v1/residents";

    // Compressed bodies are taken, and the limit counts what they unpack to.
    let body = serde_json::to_vec(&resident_body("Gzip Jansen", "6711 AB")).unwrap();
    assert_eq!(encoded_post(&app, path, &staff, "gzip", gzip(&body)).await.status, 201);
    let bomb = gzip(format!("{{\"name\": \"{}\"}}", "x".repeat(10 * 1024 * 1024)).as_bytes());
    assert!(bomb.len() < 64 * 1024, "small on the wire: {} bytes", bomb.len());
    encoded_post(&app, path, &staff, "gzip", bomb)
        .await
        .assert_problem(413, "payload_too_large");

    let not_gzip = encoded_post(&app, path, &staff, "gzip", b"{\"name\": \"Piet\"}".to_vec()).await;
    not_gzip.assert_problem(400, "unreadable_body");
    assert!(!not_gzip.text.contains("Custom"), "no debug output: {}", not_gzip.text);

    // The webhook reads its bytes itself (its signature is over them), with the same answers.
    let webhook = "/api/v1/webhooks/stripe";
    raw_post(&app, webhook, "", "application/json", "x".repeat(100 * 1024))
        .await
        .assert_problem(413, "payload_too_large");
    encoded_post(&app, webhook, "", "gzip", b"{}".to_vec())
        .await
        .assert_problem(400, "unreadable_body");

    assert_eq!(residents(&app).await, 1, "only the readable body was written");
}

#[actix_web::test]
async fn validation_failures_name_each_field() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Finance).await;
    let body = json!({
        "name": "",
        "email": "not-an-email",
        "phone": "12",
        "birth_date": "2999-01-01",
        "address": {"street": "", "house_number": "x", "postcode": "6711 XYZ", "city": "Ede"}
    });
    let reply = app.post("/api/v1/residents", Some(&staff), body).await;
    reply.assert_problem(422, "validation_failed");
    let mut got: Vec<(String, String)> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        ("name", "required"),
        ("email", "invalid_email"),
        ("phone", "invalid_phone"),
        ("birth_date", "birth_date_in_future"),
        ("address.street", "required"),
        ("address.house_number", "invalid_house_number"),
        ("address.postcode", "invalid_postcode"),
    ]
    .into_iter()
    .map(|(f, c)| (f.to_owned(), c.to_owned()))
    .collect::<Vec<_>>();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(residents(&app).await, 0);
}

#[actix_web::test]
async fn bad_postcode_alone_is_a_422_with_its_field() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let reply = app
        .post("/api/v1/residents", Some(&staff), resident_body("Piet", "ABCD 12"))
        .await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(
        reply.body["errors"],
        json!([{"field": "address.postcode", "code": "invalid_postcode", "message": "a Dutch postcode looks like 1234 AB"}])
    );
}

#[actix_web::test]
async fn query_and_path_errors() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    app.get("/api/v1/residents?page=-1", Some(&staff))
        .await
        .assert_problem(400, "invalid_query");
    let reply = app.get("/api/v1/residents?per_page=lots", Some(&staff)).await;
    reply.assert_problem(400, "invalid_query");
    assert_eq!(
        reply.body["detail"],
        "the query string is invalid: per_page: invalid digit found in string"
    );
    app.get("/api/v1/residents/abc", Some(&staff))
        .await
        .assert_problem(404, "not_found");
    app.get("/api/v1/residents/99999999999999999999", Some(&staff))
        .await
        .assert_problem(404, "not_found");
    app.get("/api/v1/residents/1/eligibility?on=2026-13-01", Some(&staff))
        .await
        .assert_problem(400, "invalid_query");
    app.get("/api/v1/nothing-here", None)
        .await
        .assert_problem(404, "not_found");
    // Found by schemathesis: huge numbers once overflowed into a dropped connection.
    let coordinator = app.token_for(Role::Coordinator).await;
    let huge = app
        .post(
            "/api/v1/participants",
            Some(&coordinator),
            serde_json::json!({"name": "Groot Getal", "clearance": "solo_klus", "contracted_hours_per_week": i64::MAX, "availability": []}),
        )
        .await;
    huge.assert_problem(422, "validation_failed");
    let finance = app.token_for(Role::Finance).await;
    let session = app
        .post(
            "/api/v1/cash-sessions",
            Some(&finance),
            serde_json::json!({"float_cents": 0}),
        )
        .await;
    app.post(
        &format!("/api/v1/cash-sessions/{}/close", session.body["id"]),
        Some(&finance),
        serde_json::json!({"counted_cents": i64::MIN}),
    )
    .await
    .assert_problem(422, "validation_failed");
    // Years outside 1900-2199 are refused before anyone is looked up.
    for year in ["2147483647", "-2147483648", "0", "1899", "99999"] {
        app.get(&format!("/api/v1/participants/1/hours?year={year}"), Some(&coordinator))
            .await
            .assert_problem(400, "invalid_query");
    }
    // Hostile search text is data, not SQL or a pattern.
    let reply = app
        .get("/api/v1/residents?name=%25'%20OR%201%3D1--", Some(&staff))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["total"], 0);
}

#[actix_web::test]
async fn login_with_bad_bodies() {
    let app = spawn_app().await;
    let login = "/api/v1/auth/login";
    app.post(login, None, json!({"email": "a@b.nl"}))
        .await
        .assert_problem(400, "invalid_body");
    app.post(login, None, json!({"email": ["a"], "password": "x"}))
        .await
        .assert_problem(400, "invalid_body");
    app.post(login, None, json!({"email": "a@b.nl", "password": "x", "extra": 1}))
        .await
        .assert_problem(400, "invalid_body");
    let huge = app
        .send(
            app.client
                .post(app.url(login))
                .header("content-type", "application/json")
                .body(vec![b' '; 10 * 1024 * 1024]),
        )
        .await;
    huge.assert_problem(413, "payload_too_large");
}

#[actix_web::test]
async fn an_address_asked_with_a_method_it_does_not_take_answers_405_and_what_it_takes() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let ask = |method: reqwest::Method, path: &str| app.client.request(method, app.url(path)).bearer_auth(&staff);

    let wrong = app.send(ask(reqwest::Method::DELETE, "/api/v1/services")).await;
    wrong.assert_problem(405, "method_not_allowed");
    assert_eq!(wrong.headers["allow"], "GET, HEAD, POST");
    assert!(
        wrong.body["detail"].as_str().unwrap().starts_with("DELETE "),
        "{}",
        wrong.text
    );
    let job = app.send(ask(reqwest::Method::PUT, "/api/v1/jobs/12")).await;
    job.assert_problem(405, "method_not_allowed");
    assert_eq!(job.headers["allow"], "GET, HEAD, PATCH");
    // HEAD where there is no GET: the same, without a body.
    let head = app.send(ask(reqwest::Method::HEAD, "/api/v1/auth/login")).await;
    assert_eq!(head.status, 405);
    assert_eq!(head.headers["allow"], "POST");
    // An address that does not exist stays 404, whatever the method.
    app.send(ask(reqwest::Method::DELETE, "/api/v1/nergens"))
        .await
        .assert_problem(404, "not_found");
    app.send(ask(reqwest::Method::PATCH, "/api/v1/jobs/12/nergens"))
        .await
        .assert_problem(404, "not_found");
    // Nothing was done by any of them.
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM services").await, 0);
}

#[actix_web::test]
async fn head_answers_as_get_without_the_body() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Coordinator).await;
    crate::helpers::create_service(&app, &staff, "Heg snoeien", "tuin", true, 300).await;
    let get = app.get("/api/v1/services", None).await;
    let head = app.send(app.client.head(app.url("/api/v1/services"))).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.text, "");
    assert_eq!(head.headers["content-length"], get.text.len().to_string().as_str());
    assert_eq!(head.headers["etag"], get.headers["etag"]);
    // The route's rules hold as for GET: the board needs a werkleider.
    let board = "/api/v1/planning?from=2026-12-07&to=2026-12-07";
    assert_eq!(app.send(app.client.head(app.url(board))).await.status, 401);
    let werkleider = app.token_for(Role::Werkleider).await;
    let allowed = app.send(app.client.head(app.url(board)).bearer_auth(&werkleider)).await;
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.text, "");
}

#[actix_web::test]
async fn a_header_naming_one_thing_sent_twice_is_refused() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let body = || serde_json::to_vec(&resident_body("Piet", "6711 AB")).unwrap();
    let json = ("content-type", "application/json");

    // A second Authorization header: whose request is it? Not guessed.
    let other = "Bearer someone-else";
    let reply = post_with(
        &app,
        "/api/v1/residents",
        &staff,
        &[json, ("authorization", other)],
        body(),
    )
    .await;
    reply.assert_problem(400, "duplicate_header");
    assert!(reply.body["detail"].as_str().unwrap().contains("authorization"));

    // Two keys for one retry-safe write.
    let keys = [json, ("idempotency-key", "k-1"), ("idempotency-key", "k-2")];
    post_with(&app, "/api/v1/residents", &staff, &keys, body())
        .await
        .assert_problem(400, "duplicate_header");
    let types = [json, ("content-type", "text/plain")];
    post_with(&app, "/api/v1/residents", &staff, &types, body())
        .await
        .assert_problem(400, "duplicate_header");
    assert_eq!(residents(&app).await, 0, "none of them was served");

    // Headers that may be lists stay allowed.
    let accepts = [json, ("accept", "text/html"), ("accept", "application/json")];
    assert_eq!(
        post_with(&app, "/api/v1/residents", &staff, &accepts, body())
            .await
            .status,
        201
    );
}

/// actix's compression refused an `Accept-Encoding` that allows none of its codings with a
/// bare 406 ("gzip, deflate", no content type, no security headers).
#[actix_web::test]
async fn an_accept_encoding_no_answer_suits_gets_a_problem_document() {
    let app = spawn_app().await;
    let get = |accept: &'static str| {
        let request = app
            .client
            .get(app.url("/api/v1/services"))
            .header("accept-encoding", accept);
        app.send(request)
    };
    for refusing in ["*;q=0", "identity;q=0", "br, identity;q=0"] {
        let reply = get(refusing).await;
        reply.assert_problem(406, "not_acceptable");
        assert_eq!(reply.headers["x-content-type-options"], "nosniff", "{refusing}");
    }
    // Anything with a coding we have is answered.
    for fine in ["identity;q=0, gzip", "br", "*", "gzip;q=0"] {
        let reply = get(fine).await;
        assert_eq!(reply.status, 200, "{fine}: {}", reply.text);
    }
}

#[actix_web::test]
async fn an_address_longer_than_proxies_allow_is_refused() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let long = format!("/api/v1/residents?name={}", "a".repeat(9 * 1024));
    let reply = app.get(&long, Some(&staff)).await;
    reply.assert_problem(414, "uri_too_long");
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");

    let fits = format!("/api/v1/residents?name={}", "a".repeat(7 * 1024));
    assert_eq!(app.get(&fits, Some(&staff)).await.status, 200);
}

#[actix_web::test]
async fn oversized_headers_are_refused_before_anything_runs() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let path = "/api/v1/residents";
    let big = "x".repeat(20 * 1024);
    let reply = post_with(
        &app,
        path,
        &staff,
        &[("content-type", "application/json"), ("x-padding", &big)],
        serde_json::to_vec(&resident_body("Piet", "6711 AB")).unwrap(),
    )
    .await;
    reply.assert_problem(431, "headers_too_large");
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");

    // Just under the limit is fine.
    let padding = "x".repeat(12 * 1024);
    let headers = [("content-type", "application/json"), ("x-padding", padding.as_str())];
    let body = serde_json::to_vec(&resident_body("Piet", "6711 AB")).unwrap();
    assert_eq!(post_with(&app, path, &staff, &headers, body).await.status, 201);

    // More headers than actix parses (96) are refused by actix itself: no body, but no
    // route runs either.
    let names: Vec<String> = (0..120).map(|i| format!("x-h{i}")).collect();
    let mut many: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
    many.push(("content-type", "application/json"));
    let body = serde_json::to_vec(&resident_body("Klaas", "6711 AB")).unwrap();
    assert_eq!(post_with(&app, path, &staff, &many, body).await.status, 431);

    assert_eq!(
        residents(&app).await,
        1,
        "only the request within the limits was served"
    );
}

#[actix_web::test]
async fn a_nul_character_in_the_address_is_refused() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    // Each was a 500 on PostgreSQL, which cannot compare text holding NUL.
    for path in [
        "/api/v1/residents?name=a%00b",
        "/api/v1/jobs?wijk=a%00b",
        "/api/v1/residents/1%00",
    ] {
        app.get(path, Some(&staff))
            .await
            .assert_problem(400, "invalid_character");
    }
    // An encoded percent sign followed by 00 is not a NUL.
    let search = app.get("/api/v1/residents?name=a%2500b", Some(&staff)).await;
    assert_eq!(search.status, 200, "{}", search.text);
}

#[actix_web::test]
async fn a_body_is_an_object_never_a_list_read_by_position() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    // A list is not read into a body by position, even where its items would fit, nor a
    // body read whole first (an order, for its idempotency key).
    let id = app
        .post("/api/v1/residents", Some(&staff), resident_body("Piet", "6711 AB"))
        .await
        .body["id"]
        .clone();
    let account = format!("/api/v1/residents/{id}/account");
    let listed = raw_post(&app, &account, &staff, "application/json", r#" ["piet@example.nl"]"#).await;
    listed.assert_problem(400, "invalid_body");
    assert!(listed.text.contains("a JSON object"), "{}", listed.text);
    let accounts = "SELECT COUNT(*) AS n FROM users WHERE email = 'piet@example.nl'";
    assert_eq!(count_rows(&app, accounts).await, 0);
    raw_post(&app, "/api/v1/jobs", &staff, "application/json", "[1, \"heg\", 60]")
        .await
        .assert_problem(400, "invalid_body");
    raw_post(&app, "/api/v1/auth/verify-email", &staff, "application/json", "\"abc\"")
        .await
        .assert_problem(400, "invalid_body");
}
