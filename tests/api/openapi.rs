//! The API contract: the committed `openapi/openapi.json` equals what the code generates
//! and what the server serves. Regenerate with `cargo run -- openapi > openapi/openapi.json`.

use crate::helpers::{committed_contract as committed, spawn_app};

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

/// The names of the component schemas a request body uses, directly or inside another.
fn request_schemas(doc: &serde_json::Value) -> std::collections::BTreeSet<String> {
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                    found.push(r.trim_start_matches("#/components/schemas/").to_owned());
                }
                map.values().for_each(|v| refs(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut todo = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            refs(&op["requestBody"], &mut todo);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            refs(&doc["components"]["schemas"][&name], &mut todo);
        }
    }
    seen
}

/// A phone number, postcode, house number or key tag in a request declares the forms the
/// server takes (the parsers' own patterns), a name, street or city that it may not be
/// blank, an email address its format, and a declaration (the work would otherwise not be
/// done, a proxy's consent, an erasure's confirmation) that it must be `true`: a form can
/// check it before sending, and the fuzzing sends values the server takes as well as ones
/// it refuses.
#[test]
fn request_fields_declare_the_forms_the_parsers_take() {
    use servicepunt::domain::{HouseNumber, Phone, Postcode};
    let doc: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    let patterns = [
        ("phone", Phone::PATTERN),
        ("postcode", Postcode::PATTERN),
        ("house_number", HouseNumber::PATTERN),
        ("tag", servicepunt::residents::keys::TAG_PATTERN),
    ];
    // Signing in and asking for a reset take any text: an unknown address gets the same
    // answer as a malformed one, so neither tells who has an account.
    let unparsed = ["LoginRequest", "PasswordResetRequest"];
    let (mut with_pattern, mut emails, mut declarations) = (0, 0, 0);
    for name in request_schemas(&doc) {
        let Some(properties) = doc["components"]["schemas"][&name]["properties"].as_object() else {
            continue;
        };
        for (field, pattern) in patterns {
            if let Some(property) = properties.get(field) {
                assert_eq!(property["pattern"].as_str(), Some(pattern), "{name}.{field}");
                with_pattern += 1;
            }
        }
        for field in ["street", "city", "name"] {
            // A service's name is one per language (its own schema).
            if let Some(property) = properties
                .get(field)
                .filter(|p| p.get("$ref").is_none() && p.get("oneOf").is_none())
            {
                assert_eq!(
                    property["pattern"].as_str(),
                    Some(r"\S"),
                    "{name}.{field} may not be blank"
                );
                assert_eq!(property["minLength"], 1, "{name}.{field}");
                with_pattern += 1;
            }
        }
        for (field, property) in properties {
            if field.ends_with("email") && !unparsed.contains(&name.as_str()) {
                assert_eq!(property["format"].as_str(), Some("email"), "{name}.{field}");
                emails += 1;
            }
        }
        for (field, property) in properties {
            let must_be = property["description"]
                .as_str()
                .is_some_and(|d| d.starts_with("Must be"));
            if property["type"] == "boolean" && must_be {
                assert_eq!(property["enum"], serde_json::json!([true]), "{name}.{field}");
                declarations += 1;
            }
        }
    }
    // Phone numbers in the resident's three inputs, registration, the participant's two,
    // the two on-call inputs and a proxy's two; postcodes in the address and the participant's two; the
    // address's house number, street and city; a key's tag; names in the resident's three
    // inputs, registration, the participant's two, a staff account's two, an institution's
    // two and a cheque product.
    assert_eq!(with_pattern, 28, "fields with a pattern");
    // Registration, a resident's two inputs, the account the desk gives one and a proxy,
    // a participant's two (their own address and their account's, twice), and a staff
    // account's two.
    assert_eq!(emails, 11, "email fields");
    // The otherwise-not-done declaration of a one-off order and a recurring series, a
    // proxy's consent, the confirmation of an erasure, and the desk's check with the
    // resident before a merge.
    assert_eq!(declarations, 5, "declarations that must be true");
}

/// Every text a request must carry declares what the server takes: a form (a pattern or
/// format, or a choice), or at least that it may not be blank, as the server refuses
/// blank text with `required`. The exceptions are looked up, not parsed: a token or a
/// sign-in address that is not one gets the same answer as a blank one.
#[test]
fn required_text_declares_it_may_not_be_blank() {
    let doc: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    let looked_up = [
        "ConfirmRegistrationRequest.token",
        "LoginRequest.email",
        "LogoutRequest.refresh_token",
        "PasswordResetConfirm.token",
        "PasswordResetRequest.email",
        "RefreshRequest.refresh_token",
        "VerifyEmailRequest.token",
    ];
    let (mut unchecked, mut not_blank) = (Vec::new(), 0);
    for name in request_schemas(&doc) {
        let schema = &doc["components"]["schemas"][&name];
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        let required = schema["required"].as_array().cloned().unwrap_or_default();
        for (field, property) in properties {
            if property["pattern"] == r"\S" {
                assert_eq!(property["minLength"], 1, "{name}.{field}");
                not_blank += 1;
            }
            let text = property["type"] == "string" && required.contains(&serde_json::json!(field));
            let declared = ["pattern", "format", "enum"].iter().any(|k| property.get(k).is_some());
            if text && !declared && !looked_up.contains(&format!("{name}.{field}").as_str()) {
                unchecked.push(format!("{name}.{field}"));
            }
        }
    }
    assert_eq!(unchecked, Vec::<String>::new(), "required text that may be blank");
    // Names, streets and cities (13), descriptions of a job and a series (4, on ordering
    // and changing), a service's name, description and reason in two languages (6), and
    // the reasons, notes and messages of 19 other requests.
    assert_eq!(not_blank, 42, "fields that may not be blank");
}

/// Lists and choices in a request declare what the server takes: the language codes a
/// participant's profile takes, the 1 to `MAX_LOGS` distinct logs of a batch decision, a
/// plan's goals, an intake opening's times and length, and a cheque's worth.
#[test]
fn lists_and_choices_declare_what_the_server_takes() {
    let doc: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let codes: Vec<&str> = servicepunt::domain::SpokenLanguage::codes().collect();
    for name in ["ParticipantInput", "ParticipantPatch"] {
        let languages = &schemas[name]["properties"]["languages"];
        assert_eq!(languages["items"]["enum"], serde_json::json!(codes), "{name}");
        assert_eq!(languages["minItems"], 1, "{name}");
    }
    for name in ["ApproveAllInput", "RejectAllInput"] {
        let ids = &schemas[name]["properties"]["ids"];
        assert_eq!(ids["minItems"], 1, "{name}");
        assert_eq!(ids["maxItems"], servicepunt::hours::approval::MAX_LOGS, "{name}");
        assert_eq!(ids["uniqueItems"], true, "{name}");
        assert_eq!(ids["items"]["type"], "integer", "{name}");
    }
    use servicepunt::participants::{intake, plan};
    let goals = &schemas["PlanInput"]["properties"]["goals"];
    assert_eq!(
        (&goals["minItems"], &goals["maxItems"]),
        (&serde_json::json!(1), &serde_json::json!(plan::MAX_GOALS))
    );
    assert_eq!(goals["items"]["maxLength"], plan::MAX_GOAL_CHARS);
    assert_eq!(goals["items"]["pattern"], r"\S");
    let opening = &schemas["IntakeOpening"]["properties"];
    assert_eq!(opening["times"]["items"]["pattern"], intake::TIME_PATTERN);
    assert_eq!(
        (&opening["times"]["minItems"], &opening["times"]["maxItems"]),
        (&serde_json::json!(1), &serde_json::json!(intake::MAX_TIMES))
    );
    assert_eq!(
        (&opening["minutes"]["minimum"], &opening["minutes"]["maximum"]),
        (
            &serde_json::json!(intake::MIN_MINUTES),
            &serde_json::json!(intake::MAX_MINUTES)
        )
    );
    let mut faces = serde_json::json!(servicepunt::cheques::tariff::FACES);
    faces.as_array_mut().unwrap().push(serde_json::Value::Null);
    assert_eq!(schemas["ProductInput"]["properties"]["face_minutes"]["enum"], faces);
}

/// The `Idempotency-Key` header declares the keys the server takes: a client that sends
/// one outside them gets 400 `invalid_idempotency_key` and its order or sale is not made.
#[test]
fn idempotency_keys_declare_the_pattern_the_server_takes() {
    let doc: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    let mut declared = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(parameters) = op["parameters"].as_array() else {
                continue;
            };
            for p in parameters
                .iter()
                .filter(|p| p["name"] == servicepunt::idempotency::HEADER)
            {
                assert_eq!(
                    p["schema"]["pattern"].as_str(),
                    Some(servicepunt::idempotency::KEY_PATTERN),
                    "{method} {path}"
                );
                declared.push(format!("{method} {path}"));
            }
        }
    }
    declared.sort();
    assert_eq!(
        declared,
        [
            "post /api/v1/cash-sessions",
            "post /api/v1/cash-sessions/{id}/close",
            "post /api/v1/checkout-sessions",
            "post /api/v1/cheque-sales",
            "post /api/v1/cheques/{serial}/extend",
            "post /api/v1/cheques/{serial}/refund",
            "post /api/v1/cheques/{serial}/void",
            "post /api/v1/finance/stripe-refunds/{charge}/settle",
            "post /api/v1/job-series",
            "post /api/v1/jobs",
            "post /api/v1/jobs/{id}/confirm",
            "post /api/v1/jobs/{id}/redeem",
            "post /api/v1/jobs/{id}/resolve",
        ]
    );
}

/// A `POST` that makes one thing with an address of its own (a path one `{…}` below the
/// collection) says where with `Location`, its answer replayed for an `Idempotency-Key`
/// too; nothing else documents one. The suite checks every answer against this
/// (`contract::check`).
#[test]
fn created_things_with_an_address_say_where() {
    let doc: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let mut addressed = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let Some(created) = op["responses"].get("201") else {
                continue;
            };
            let one_thing = created["content"]["application/json"]["schema"]["type"] != "array";
            let item_path = paths.keys().any(|q| {
                q.strip_prefix(&format!("{path}/{{"))
                    .is_some_and(|rest| !rest.contains('/'))
            });
            let says_where = method == "post" && one_thing && item_path;
            assert_eq!(
                created["headers"].get("Location").is_some(),
                says_where,
                "{method} {path}"
            );
            if says_where {
                addressed.push(path.as_str());
            }
        }
    }
    assert_eq!(crate::contract::located_collections(&doc), addressed);
    assert_eq!(
        addressed,
        [
            "/api/v1/admin/users",
            "/api/v1/assignments",
            "/api/v1/cash-sessions",
            "/api/v1/institutions",
            "/api/v1/job-series",
            "/api/v1/jobs",
            "/api/v1/participants",
            "/api/v1/participants/{id}/absences",
            "/api/v1/residents",
            "/api/v1/residents/{id}/proxies",
            "/api/v1/services",
            "/api/v1/trajectories/{id}/reviews",
        ]
    );
}
