//! The text limits of the contract are the server's: every free-text field of a request
//! body declares its `maxLength` (front ends size their forms by it), one character more
//! is refused with an error naming the field, and a text of exactly that length is not.
//! Texts with a form of their own (a phone number, a postcode) are refused for their form
//! long before their length; their parsers' unit tests hold the limit.

use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::helpers::spawn_app;
use crate::request_bodies::{contract, operations_with_bodies, real_address, real_records, resolve, sample, token};

/// A text field of a body: its path as field errors name it (`address.street`), the
/// schemas of the objects above it (outermost first) and its own schema.
struct TextField {
    path: String,
    parents: Vec<Value>,
    schema: Value,
}

/// Every text field of a body (not the texts in lists, which are codes from a list).
fn text_fields(doc: &Value, schema: &Value, path: &str, parents: &[Value], found: &mut Vec<TextField>) {
    let schema = resolve(doc, schema);
    for choice in ["oneOf", "anyOf", "allOf"] {
        for option in schema[choice].as_array().into_iter().flatten() {
            text_fields(doc, option, path, parents, found);
        }
    }
    let is = |kind: &str| schema["type"] == kind || schema["type"].as_array().is_some_and(|k| k.contains(&json!(kind)));
    if is("object") {
        let parents = [parents, std::slice::from_ref(schema)].concat();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            let inner = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            text_fields(doc, property, &inner, &parents, found);
        }
    } else if is("string") && schema.get("enum").is_none() {
        found.push(TextField {
            path: path.to_owned(),
            parents: parents.to_vec(),
            schema: schema.clone(),
        });
    }
}

/// Texts the server looks up or checks as they are, and refuses as unknown or wrong
/// whatever their length: a limit would tell a stranger nothing and serve no form.
const LOOKED_UP: &[(&str, &str)] = &[
    ("/api/v1/auth/login", "email"),
    ("/api/v1/auth/login", "password"),
    ("/api/v1/auth/password-reset", "email"),
    ("/api/v1/auth/refresh", "refresh_token"),
    ("/api/v1/auth/logout", "refresh_token"),
    ("/api/v1/auth/register/confirm", "token"),
    ("/api/v1/auth/verify-email", "token"),
    ("/api/v1/auth/password-reset/confirm", "token"),
    ("/api/v1/me/password", "current_password"),
];

/// Texts with a form of their own: as many `x`s as the limit allows are still refused,
/// for their form.
const FORMED: &[&str] = &[
    "email",
    "account_email",
    "proxy_email",
    "phone",
    "postcode",
    "address.postcode",
    "address.house_number",
    "password",
    "new_password",
    "tag",
];

/// The least body that holds `text` in `field`: the required fields of every object on
/// the way to it, `also`'s fields, and it.
fn with_text(doc: &Value, field: &TextField, text: &str, also: &Value) -> Value {
    let mut body = sample(doc, &field.parents[0], false);
    for (name, value) in also.as_object().unwrap() {
        body[name] = value.clone();
    }
    let mut at = &mut body;
    let names: Vec<&str> = field.path.split('.').collect();
    for (name, schema) in names.iter().zip(&field.parents[1..]) {
        if !at[*name].is_object() {
            at[*name] = sample(doc, schema, false);
        }
        at = &mut at[*name];
    }
    at[names[names.len() - 1]] = json!(text);
    body
}

/// Whether the field errors of `reply` name the field at `path` (or the object it sits in).
fn names(reply: &crate::helpers::Reply, path: &str) -> bool {
    reply.body["errors"].as_array().into_iter().flatten().any(|e| {
        let field = e["field"].as_str().unwrap_or("");
        field == path || path.starts_with(&format!("{field}."))
    })
}

#[actix_web::test]
async fn every_text_field_declares_the_limit_the_server_keeps() {
    let doc = contract();
    let app = spawn_app().await;
    let mut tokens = Vec::new();
    let mut wrong = Vec::new();
    let mut checked = 0;
    let coordinator = token(&app, &mut tokens, Some(Role::Coordinator)).await.unwrap();
    let (real, resident) = real_records(&app, &coordinator).await;
    for (method, path, role, schema) in operations_with_bodies(&doc) {
        let token = token(&app, &mut tokens, role).await;
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let path = real_address(&real, path);
        // What is looked at before the rest: the resident staff order for, and a weekday
        // between `from` and `to`.
        let also = match path.as_str() {
            "/api/v1/jobs" => json!({"recipient_id": resident}),
            "/api/v1/planning/on-call" => json!({"weekdays": [0, 1, 2, 3, 4, 5, 6]}),
            _ => json!({}),
        };
        let mut fields = Vec::new();
        text_fields(&doc, &schema, "", &[], &mut fields);
        // Over the limit first: a text at the limit may be accepted, and what it writes
        // may change what the operation does next (an answer is given only once).
        for field in &fields {
            let name = field.path.as_str();
            let text = &field.schema;
            let bounded = text.get("format").is_some() || text.get("pattern").is_some();
            let Some(limit) = text["maxLength"].as_u64() else {
                if !bounded && !LOOKED_UP.contains(&(path.as_str(), name)) {
                    wrong.push(format!("{method} {path}: `{name}` declares no maxLength"));
                }
                continue;
            };
            let over = with_text(&doc, field, &"x".repeat(limit as usize + 1), &also);
            let reply = app.call(method.clone(), &path, token.as_deref(), Some(over)).await;
            if reply.status != 422 || !names(&reply, name) {
                wrong.push(format!(
                    "{method} {path}: `{name}` of {} characters: {}",
                    limit + 1,
                    reply.text
                ));
            }
            checked += 1;
        }
        for field in &fields {
            let name = field.path.as_str();
            let Some(limit) = field.schema["maxLength"].as_u64() else {
                continue;
            };
            if !FORMED.contains(&name) {
                let at_limit = with_text(&doc, field, &"x".repeat(limit as usize), &also);
                let reply = app.call(method.clone(), &path, token.as_deref(), Some(at_limit)).await;
                if names(&reply, name) {
                    wrong.push(format!(
                        "{method} {path}: `{name}` of {limit} characters: {}",
                        reply.text
                    ));
                }
            }
        }
    }
    assert!(checked > 80, "only {checked} limits checked");
    assert!(
        wrong.is_empty(),
        "text limits the contract and the server disagree on:\n{}",
        wrong.join("\n")
    );
}
