//! Every answer of every test keeps the contract (`openapi/openapi.json`): its status is
//! one the operation documents, a JSON body matches the schema documented for that status
//! and content type, and `Location` comes exactly with the 201s that document it.
//!
//! Schemathesis checks the same of what it generates, but its requests seldom get past
//! validation to a use case (an order needs a real service, a sale an open cash session),
//! so the success answers of most writes would go unchecked. The suite makes every kind
//! of answer on purpose, on both backends, and [`check`] is called for each of them from
//! `TestApp::send`.
//!
//! The answers of the layers in front of the handlers (a header twice, a body too large,
//! the database gone) are listed on every operation as references to
//! `components.responses`. Addresses the contract does not describe (`/ready` and
//! `/metrics` are described; an unknown path is not) and methods an address does not
//! take are checked elsewhere.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Reply, committed_contract};

struct Contract {
    doc: Value,
    /// The collections whose `POST` answers 201 with `Location`.
    located: Vec<String>,
    /// Path templates, the most literal first, so `/jobs/series` wins over `/jobs/{id}`.
    templates: Vec<String>,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

static CONTRACT: LazyLock<Contract> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(&committed_contract()).unwrap();
    let mut templates: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    templates.sort_by_key(|t| t.matches('{').count());
    Contract {
        located: located_collections(&doc),
        doc,
        templates,
        validators: Mutex::new(HashMap::new()),
    }
});

/// The collections whose `POST` answers 201 with `Location`, as `doc` documents them
/// (path templates).
pub fn located_collections(doc: &Value) -> Vec<String> {
    let mut located = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if item["post"]["responses"]["201"]["headers"].get("Location").is_some() {
            located.push(path.clone());
        }
    }
    located
}

/// Whether `path` is an address of the template `/a/{id}/b`.
fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
}

/// The schema validator for `schema` (a part of the contract), made once per place.
fn validator(place: &str, schema: &Value) -> Arc<jsonschema::Validator> {
    let contract = &*CONTRACT;
    let mut made = contract.validators.lock().unwrap();
    if let Some(v) = made.get(place) {
        return v.clone();
    }
    // The schema's `$ref`s point into the contract's components: the document it is
    // checked in carries them.
    let document = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": contract.doc["components"],
        "allOf": [schema],
    });
    let v = Arc::new(
        jsonschema::options()
            .should_validate_formats(true)
            .build(&document)
            .unwrap_or_else(|e| panic!("the contract's schema at {place} does not compile: {e}")),
    );
    made.insert(place.to_owned(), v.clone());
    v
}

/// Panics when `reply`, the answer to `method path`, breaks the contract.
pub fn check(method: &Method, path: &str, reply: &Reply) {
    let contract = &*CONTRACT;
    check_location(contract, path, reply);
    let Some(template) = contract.templates.iter().find(|t| fits(t, path)) else {
        return;
    };
    let Some(operation) = contract.doc["paths"][template].get(method.as_str().to_lowercase()) else {
        return;
    };
    let status = reply.status.as_u16();
    let name = format!("{method} {template}");
    note_answer(&name, status);
    let mut documented = &operation["responses"][status.to_string()];
    if let Some(at) = documented["$ref"].as_str() {
        documented = contract.doc.pointer(at.trim_start_matches('#')).unwrap();
    }
    assert!(
        !documented.is_null(),
        "{name} answered {status}, which the contract does not list for it: {}",
        reply.text
    );
    let content_type = reply.content_type().split(';').next().unwrap_or("").trim().to_owned();
    // A compressed body is checked in the tests that ask for one: here it is bytes.
    let encoded = reply.headers.get("content-encoding").is_some_and(|c| c != "identity");
    if method == Method::HEAD || encoded {
        return;
    }
    if reply.text.is_empty() {
        // actix itself refuses more than 96 headers with a bare 431 (see `request_head`).
        assert!(
            documented.get("content").is_none() || status == 431,
            "{name} answered {status} without the body the contract describes"
        );
        return;
    }
    let Some(content) = documented.get("content") else {
        panic!(
            "{name} answered {status} with a body the contract does not describe: {}",
            reply.text
        );
    };
    let Some(media) = content.get(&content_type) else {
        panic!(
            "{name} answered {status} as {content_type:?}; the contract lists {:?}",
            content.as_object().unwrap().keys().collect::<Vec<_>>()
        );
    };
    if !content_type.ends_with("json") {
        return;
    }
    let Some(schema) = media.get("schema") else {
        return;
    };
    let place = format!("{name} {status} {content_type}");
    let errors = problems(&validator(&place, schema), &reply.body);
    assert!(
        errors.is_empty(),
        "{place}: the body is off the contract: {errors:?}\nbody: {}",
        reply.text
    );
}

/// Adds `name status` to the file `CONTRACT_ANSWERS` names, when it names one: `.ci/run`
/// has `scripts/contract_answers.py` check that every operation got a 2xx in the suite.
/// One short write in append mode per answer, so the tests' lines do not mix.
fn note_answer(name: &str, status: u16) {
    use std::io::Write;
    let Some(file) = std::env::var_os("CONTRACT_ANSWERS") else {
        return;
    };
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .unwrap();
    out.write_all(format!("{name} {status}\n").as_bytes()).unwrap();
}

/// A 201 in a collection that documents `Location` names the new thing's address by the
/// `id` in its body, and no other answer sends one.
fn check_location(contract: &Contract, path: &str, reply: &Reply) {
    let location = reply.headers.get("location").map(|v| v.to_str().unwrap());
    if reply.status == StatusCode::CREATED && contract.located.iter().any(|t| fits(t, path)) {
        let expected = format!(
            "{path}/{}",
            reply.body["id"].as_i64().expect("a located answer has an id")
        );
        assert_eq!(location, Some(expected.as_str()), "Location of a 201 from {path}");
    } else {
        assert_eq!(location, None, "Location of a {} from {path}", reply.status);
    }
}

/// What is wrong with `body`, one line per fault with where it is (at most five).
fn problems(validator: &jsonschema::Validator, body: &Value) -> Vec<String> {
    validator
        .iter_errors(body)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}
