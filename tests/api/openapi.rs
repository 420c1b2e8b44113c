//! The API contract: the committed `openapi/openapi.json` equals what the code generates
//! and what the server serves. Regenerate with `cargo run -- openapi > openapi/openapi.json`.

use crate::helpers::spawn_app;

fn committed() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
        .expect("openapi/openapi.json is committed")
}

#[test]
fn committed_contract_matches_the_code() {
    let generated = servicepunt::openapi::document_json().unwrap();
    assert!(
        generated == committed(),
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json` and review the diff"
    );
}

#[actix_web::test]
async fn served_contract_is_the_committed_one() {
    let app = spawn_app().await;
    let served = app.send(app.client.get(app.url("/openapi.json"))).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.text, committed());
    assert_eq!(served.body["openapi"], "3.1.0");
}

#[test]
fn every_operation_documents_its_responses_and_protected_ones_their_security() {
    let doc: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    let public = [
        ("get", "/health"),
        ("get", "/ready"),
        ("get", "/metrics"),
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/refresh"),
        ("post", "/api/v1/auth/logout"),
        ("post", "/api/v1/auth/register"),
        ("post", "/api/v1/auth/register/confirm"),
        ("post", "/api/v1/auth/verify-email"),
        ("post", "/api/v1/auth/password-reset"),
        ("post", "/api/v1/auth/password-reset/confirm"),
        ("get", "/api/v1/services"),
        ("get", "/api/v1/services/{id}"),
        ("get", "/api/v1/cheque-products"),
        // Stripe signs its calls instead.
        ("post", "/api/v1/webhooks/stripe"),
    ];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            if !public.contains(&(method.as_str(), path.as_str())) {
                assert!(
                    op["security"].is_array(),
                    "{method} {path} must declare bearer security"
                );
            }
        }
    }
}
