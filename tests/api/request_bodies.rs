//! The request bodies of the contract are the ones the server reads: a body built from
//! an operation's schema in `openapi/openapi.json` is never refused as unreadable
//! (`invalid_body`), whatever its values make of it further on. Two types of one name
//! once gave two operations the same schema, and the contract then told front ends to
//! send a field the server refused. The bodies built here serve `text_limits` too.

use reqwest::Method;
use serde_json::{Map, Value, json};
use servicepunt::auth::Role;

use crate::authorization::{ANON, MATRIX};
use crate::helpers::{TestApp, create_participant, create_service, resident_body, spawn_app};

pub fn contract() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).unwrap(),
    )
    .unwrap()
}

/// `schema` with a `$ref` followed to the component it names.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => resolve(doc, &doc["components"]["schemas"][r.rsplit('/').next().unwrap()]),
        None => schema,
    }
}

/// Every date in a body or an address is tomorrow: the rules refuse days far ahead, and
/// a series of visits starts tomorrow at the earliest.
pub fn tomorrow() -> chrono::NaiveDate {
    servicepunt::clock::today() + chrono::Duration::days(1)
}

/// A value of `schema`: its (first) example, its first choice, or a plain value of its
/// type; an object with its required properties, or with `every` property.
pub fn sample(doc: &Value, schema: &Value, every: bool) -> Value {
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example").or_else(|| schema["examples"].get(0)) {
        return example.clone();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    for choice in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema[choice].as_array() {
            let not_null = options.iter().find(|o| o["type"] != "null").unwrap();
            return sample(doc, not_null, every);
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").cloned().unwrap_or(Value::Null),
        kind => kind.clone(),
    };
    match kind.as_str() {
        Some("object") => {
            let mut object = Map::new();
            let properties = schema["properties"].as_object().into_iter().flatten();
            for (name, property) in properties {
                let required = schema["required"].as_array().into_iter().flatten().any(|r| r == name);
                if every || required {
                    object.insert(name.clone(), sample(doc, property, every));
                }
            }
            Value::Object(object)
        }
        Some("array") => {
            let least = schema["minItems"].as_u64().unwrap_or(0);
            let items = if every { least.max(1) } else { least };
            Value::Array((0..items).map(|_| sample(doc, &schema["items"], every)).collect())
        }
        Some("integer") | Some("number") => schema.get("minimum").cloned().unwrap_or(json!(1)),
        Some("boolean") => json!(true),
        Some("string") => match schema["format"].as_str() {
            Some("date") => json!(tomorrow()),
            Some("date-time") => json!(format!("{}T09:00:00+01:00", tomorrow())),
            _ => json!("x"),
        },
        _ => Value::Null,
    }
}

/// Who calls `method` `path` in these tests (the coordinator where allowed, else the
/// first role its row in the authorization matrix names; `None`: anonymously), and the
/// path with made-up ids and tomorrow's date.
pub fn caller_and_address(method: &str, path: &str) -> (Option<Role>, String) {
    let allowed = MATRIX
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, allowed)| *allowed)
        .unwrap_or_else(|| panic!("no row in the authorization matrix for {method} {path}"));
    let role = ["coordinator"]
        .iter()
        .chain(allowed)
        .find(|who| allowed.contains(who))
        .filter(|who| **who != ANON)
        .map(|who| who.parse().unwrap());
    let day = tomorrow().to_string();
    let concrete = path
        .split('/')
        .map(|part| match part {
            "{date}" => &day,
            "{month}" => &day[..7],
            "{year}" => &day[..4],
            "{serial}" => "SVW-0000-0000-0",
            "{charge}" => "ch_unknown",
            p if p.starts_with('{') => "999999",
            p => p,
        })
        .collect::<Vec<_>>()
        .join("/");
    (role, concrete)
}

/// Every operation that takes a JSON body: method, path with made-up ids, the role to
/// call it as (`None`: anonymously) and its body's schema.
pub fn operations_with_bodies(doc: &Value) -> Vec<(String, String, Option<Role>, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(schema) = op["requestBody"]["content"]["application/json"].get("schema") else {
                continue;
            };
            // Stripe's calls are read only once their signature holds (tests/api/online.rs).
            if path == "/api/v1/webhooks/stripe" {
                continue;
            }
            let method = method.to_uppercase();
            let (role, concrete) = caller_and_address(&method, path);
            found.push((method, concrete, role, schema.clone()));
        }
    }
    found
}

pub async fn token(app: &TestApp, tokens: &mut Vec<(Role, String)>, role: Option<Role>) -> Option<String> {
    let role = role?;
    if let Some((_, t)) = tokens.iter().find(|(r, _)| *r == role) {
        return Some(t.clone());
    }
    let t = app.token_for(role).await;
    tokens.push((role, t.clone()));
    Some(t)
}

/// Records for the operations that look their subject up before they read the body (a
/// made-up id gets 404), as pairs of the made-up address and the real one; and the
/// resident's id.
pub async fn real_records(app: &TestApp, coordinator: &str) -> (Vec<(String, String)>, Value) {
    let created = |reply: crate::helpers::Reply| {
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body["id"].clone()
    };
    let resident = created(
        app.post(
            "/api/v1/residents",
            Some(coordinator),
            resident_body("Anna de Vries", "6711 AB"),
        )
        .await,
    );
    let service = create_service(app, coordinator, "Heg snoeien", "tuin", true, 300).await;
    let participant = create_participant(app, coordinator, "Karin Klant", "solo_klus").await;
    let trajectories = app
        .get(
            &format!("/api/v1/participants/{participant}/trajectories"),
            Some(coordinator),
        )
        .await;
    let trajectory = &trajectories.body[0]["id"];
    let approval = created(
        app.post(
            &format!("/api/v1/trajectories/{trajectory}/approvals"),
            Some(coordinator),
            json!({"kind": "participation_to_capacity", "proposal": "Twee dagdelen bij de kringloop"}),
        )
        .await,
    );
    let review = created(
        app.post(
            &format!("/api/v1/trajectories/{trajectory}/reviews"),
            Some(coordinator),
            json!({"held_on": servicepunt::clock::today(), "ladder_step": 2, "summary": "Goed begonnen"}),
        )
        .await,
    );
    app.register_resident("familie@example.nl").await;
    let link = app
        .grant_proxy(resident.as_i64().unwrap(), coordinator, "familie@example.nl")
        .await;
    let real = [
        (
            "/api/v1/residents/999999/proxies",
            format!("/api/v1/residents/{resident}/proxies"),
        ),
        (
            "/api/v1/residents/999999/proxies/999999",
            format!("/api/v1/residents/{resident}/proxies/{link}"),
        ),
        ("/api/v1/services/999999", format!("/api/v1/services/{service}")),
        (
            "/api/v1/participants/999999",
            format!("/api/v1/participants/{participant}"),
        ),
        (
            "/api/v1/trajectories/999999/reviews",
            format!("/api/v1/trajectories/{trajectory}/reviews"),
        ),
        (
            "/api/v1/trajectories/999999/reviews/999999",
            format!("/api/v1/trajectories/{trajectory}/reviews/{review}"),
        ),
        (
            "/api/v1/trajectories/999999/approvals/999999/answer",
            format!("/api/v1/trajectories/{trajectory}/approvals/{approval}/answer"),
        ),
    ]
    .map(|(made_up, real)| (made_up.to_owned(), real));
    (real.into(), resident)
}

/// `path`, or the real address in its place.
pub fn real_address(real: &[(String, String)], path: String) -> String {
    real.iter()
        .find(|(made_up, _)| *made_up == path)
        .map_or(path, |(_, r)| r.clone())
}

#[actix_web::test]
async fn a_body_made_from_the_contract_is_one_the_server_reads() {
    let doc = contract();
    let app = spawn_app().await;
    let mut tokens = Vec::new();
    let mut unread = Vec::new();
    let operations = operations_with_bodies(&doc);
    assert!(
        operations.len() > 50,
        "only {} operations with a body",
        operations.len()
    );
    let coordinator = token(&app, &mut tokens, Some(Role::Coordinator)).await.unwrap();
    let (real, _) = real_records(&app, &coordinator).await;
    for (method, path, role, schema) in operations {
        let path = real_address(&real, path);
        let token = token(&app, &mut tokens, role).await;
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        // No body is a list: refused as unreadable, which shows the server reads this
        // operation's body as this caller (the gate lets them through).
        let probe = app.call(method.clone(), &path, token.as_deref(), Some(json!([]))).await;
        if probe.body["code"] != "invalid_body" {
            unread.push(format!("{method} {path} as {role:?}: a list answered {}", probe.text));
        }
        for every in [false, true] {
            let body = sample(&doc, &schema, every);
            let reply = app
                .call(method.clone(), &path, token.as_deref(), Some(body.clone()))
                .await;
            assert_ne!(reply.status, 500, "{method} {path}: {}", reply.text);
            if matches!(reply.body["code"].as_str(), Some("invalid_body" | "malformed_json")) {
                unread.push(format!("{method} {path} with {body}: {}", reply.body["detail"]));
            }
        }
    }
    assert!(
        unread.is_empty(),
        "bodies as the contract has them, refused:\n{}",
        unread.join("\n")
    );
}
