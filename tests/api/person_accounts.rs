//! The coordinator switches a resident's or a participant's account off and on again.

use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::Role;

use crate::audit_trail::audit_entries;
use crate::helpers::{PASSWORD, World, create_participant, registration, resident_body, world};

async fn log_in(w: &World, email: &str) -> StatusCode {
    w.app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": PASSWORD}),
        )
        .await
        .status
}

/// Switches the account at `account` (`…/{id}/account`) on or off as the coordinator;
/// asserts a 200 with that state and returns the sessions ended.
async fn switch(w: &World, account: &str, on: bool) -> serde_json::Value {
    let verb = if on { "enable" } else { "disable" };
    let reply = w
        .app
        .post(&format!("{account}/{verb}"), Some(&w.coordinator), json!({}))
        .await;
    assert_eq!(
        (reply.status.as_u16(), &reply.body["active"]),
        (200, &json!(on)),
        "{}",
        reply.text
    );
    reply.body["sessions_ended"].clone()
}

#[actix_web::test]
async fn a_residents_account_is_switched_off_at_once_and_on_again() {
    let w = world().await;
    let email = "telefoon.kwijt@bewoner.example";
    let registered = w.app.register(registration(email)).await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    let id = registered.body["resident"]["id"].as_i64().unwrap();
    let access = registered.body["tokens"]["access_token"].as_str().unwrap().to_owned();
    let refresh = registered.body["tokens"]["refresh_token"].as_str().unwrap().to_owned();
    let account = format!("/api/v1/residents/{id}/account");

    let shown = w.app.get(&account, Some(&w.coordinator)).await;
    assert_eq!(
        (shown.status.as_u16(), &shown.body["active"], &shown.body["user_id"]),
        (200, &json!(true), &registered.body["user_id"]),
        "{}",
        shown.text
    );

    assert_eq!(switch(&w, &account, false).await, 1);
    w.app
        .get("/api/v1/me/resident", Some(&access))
        .await
        .assert_problem(401, "invalid_token");
    let refreshed = w
        .app
        .post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(refreshed.status, 401, "{}", refreshed.text);
    assert_eq!(log_in(&w, email).await, 401);
    // Switching off what is off changes nothing; the record itself stays.
    assert_eq!(switch(&w, &account, false).await, 0);
    let record = w
        .app
        .get(&format!("/api/v1/residents/{id}"), Some(&w.coordinator))
        .await;
    assert_eq!(record.body["name"], "Anna de Vries", "{}", record.text);

    switch(&w, &account, true).await;
    assert_eq!(log_in(&w, email).await, 200);

    let entries = audit_entries(&w, &format!("resident:{id}")).await;
    for operation in ["disable", "enable"] {
        let operation = format!("POST /api/v1/residents/{{id}}/account/{operation}");
        assert!(
            entries
                .iter()
                .any(|(action, op, ..)| action == "change" && *op == operation),
            "{operation} not in {entries:?}"
        );
    }
}

#[actix_web::test]
async fn a_participants_account_is_switched_off_and_their_profile_stays() {
    let w = world().await;
    let id = create_participant(&w.app, &w.coordinator, "Vertrokken Vera", "solo_klus").await;
    let email = "vera@deelnemer.example";
    w.app.create_user(email, Role::Participant).await;
    let linked = w
        .app
        .patch(
            &format!("/api/v1/participants/{id}"),
            Some(&w.werkleider),
            json!({"account_email": email}),
        )
        .await;
    assert_eq!(linked.body["has_account"], true, "{}", linked.text);
    let access = w.app.login(email).await["access_token"].as_str().unwrap().to_owned();
    let account = format!("/api/v1/participants/{id}/account");

    assert_eq!(switch(&w, &account, false).await, 1);
    w.app
        .get("/api/v1/me/schedule", Some(&access))
        .await
        .assert_problem(401, "invalid_token");
    assert_eq!(log_in(&w, email).await, 401);
    let profile = w
        .app
        .get(&format!("/api/v1/participants/{id}"), Some(&w.werkleider))
        .await;
    assert_eq!(
        (&profile.body["active"], &profile.body["has_account"]),
        (&json!(true), &json!(true)),
        "{}",
        profile.text
    );
    let shown = w.app.get(&account, Some(&w.coordinator)).await;
    assert_eq!(shown.body["active"], false, "{}", shown.text);

    switch(&w, &account, true).await;
    assert_eq!(log_in(&w, email).await, 200);
}

#[actix_web::test]
async fn no_account_an_unknown_person_and_an_erased_one_are_refused() {
    let w = world().await;
    // Entered at the counter: no account of their own.
    let walk_in = w
        .app
        .post(
            "/api/v1/residents",
            Some(&w.coordinator),
            resident_body("Jan Balie", "6711AB"),
        )
        .await;
    assert_eq!(walk_in.status, 201, "{}", walk_in.text);
    let walk_in = walk_in.body["id"].as_i64().unwrap();
    for (method, suffix) in [("GET", ""), ("POST", "/disable"), ("POST", "/enable")] {
        let path = format!("/api/v1/residents/{walk_in}/account{suffix}");
        let reply = match method {
            "GET" => w.app.get(&path, Some(&w.coordinator)).await,
            _ => w.app.post(&path, Some(&w.coordinator), json!({})).await,
        };
        reply.assert_problem(409, "no_account");
    }
    let no_profile = create_participant(&w.app, &w.coordinator, "Zonder Account", "solo_klus").await;
    w.app
        .post(
            &format!("/api/v1/participants/{no_profile}/account/disable"),
            Some(&w.coordinator),
            json!({}),
        )
        .await
        .assert_problem(409, "no_account");
    w.app
        .post(
            "/api/v1/residents/999999/account/disable",
            Some(&w.coordinator),
            json!({}),
        )
        .await
        .assert_problem(404, "not_found");

    // Erased on request: the account went with the data, and stays off.
    let (_, id, _) = w.app.register_resident("wissen@bewoner.example").await;
    let erased = w
        .app
        .post(
            &format!("/api/v1/residents/{id}/erase"),
            Some(&w.coordinator),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    for switch in ["enable", "disable"] {
        w.app
            .post(
                &format!("/api/v1/residents/{id}/account/{switch}"),
                Some(&w.coordinator),
                json!({}),
            )
            .await
            .assert_problem(409, "resident_erased");
    }
    let shown = w
        .app
        .get(&format!("/api/v1/residents/{id}/account"), Some(&w.coordinator))
        .await;
    assert_eq!(shown.body["active"], false, "{}", shown.text);
}
