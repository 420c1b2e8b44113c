//! A resident the desk registered who registers in the app as well: the registrant is
//! told nothing, the desk finds the two records side by side, and merges the app's into
//! its own (jobs, cheques and the account come along, the books do not move) or says they
//! are two people.

use serde_json::{Value, json};

use crate::audit_trail::audit_entries;
use crate::cheques::{counter, resident, sell, serials};
use crate::helpers::{Reply, TestApp, World, count_rows, order_body, world};

const LIST: &str = "/api/v1/resident-duplicates";

async fn pairs(app: &TestApp, desk: &str) -> Vec<Value> {
    let list = app.get(LIST, Some(desk)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.body.as_array().unwrap().clone()
}

/// `merge` (checked with the resident) or `different-people`.
async fn decide(app: &TestApp, desk: &str, pair: i64, decision: &str) -> Reply {
    let body = match decision {
        "merge" => json!({"checked_with_resident": true}),
        _ => json!({}),
    };
    app.post(&format!("{LIST}/{pair}/{decision}"), Some(desk), body).await
}

/// Anna as the desk registered her: born in 1941, with the desk's phone number and a
/// note; her id.
async fn anna_at_the_desk(w: &World) -> i64 {
    let id = resident(w, "Anna de Vries", Some("1941-03-02"), "12 A").await;
    let noted = w
        .app
        .patch(
            &format!("/api/v1/residents/{id}"),
            Some(&w.werkleider),
            json!({"phone": "0318 999999", "staff_notes": "Sleutel bij de buren"}),
        )
        .await;
    assert_eq!(noted.status, 200, "{}", noted.text);
    id
}

#[actix_web::test]
async fn the_desk_merges_an_app_registration_into_its_record() {
    let w = world().await;
    let c = counter(&w).await;
    let desk_id = anna_at_the_desk(&w).await;

    // She registers in the app (as `registration` does: Anna de Vries, 12a, 6711 AB).
    let (token, app_id, user_id) = w.app.register_resident("anna@example.nl").await;
    assert_ne!(app_id, desk_id, "the app makes a record of its own");
    let own = w.app.get("/api/v1/me/resident", Some(&token)).await;
    assert_eq!(own.body["id"], app_id, "and tells her nothing: {}", own.text);
    assert!(!own.text.contains("duplicate"), "{}", own.text);
    w.app.get(LIST, Some(&token)).await.assert_problem(403, "forbidden");

    // Before the desk notices, she orders a job and the counter sells to the new record.
    let ordered = w.app.post("/api/v1/jobs", Some(&token), order_body(w.hedge, 60)).await;
    assert_eq!(ordered.status, 201, "{}", ordered.text);
    let job = ordered.body["id"].as_i64().unwrap();
    let sold = sell(&w, &c, app_id, 2, "cash").await;
    assert_eq!(sold.status, 201, "{}", sold.text);
    let mut cheques = serials(&sold.body);
    cheques.sort();

    let found = pairs(&w.app, &c.finance).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (&found[0]["registered"]["id"], &found[0]["known"]["id"]),
        (&json!(app_id), &json!(desk_id))
    );
    assert_eq!(found[0]["known"]["phone"], "0318999999");
    let pair = found[0]["id"].as_i64().unwrap();

    // At the counter, a search shows the two marked, each with the other.
    let search = w.app.get("/api/v1/residents?name=de vries", Some(&c.finance)).await;
    let marks: Vec<(&Value, &Value)> = search.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| (&hit["id"], &hit["possible_duplicate"]))
        .collect();
    assert_eq!(
        marks,
        [
            (&json!(desk_id), &json!({"pair_id": pair, "other_resident_id": app_id})),
            (&json!(app_id), &json!({"pair_id": pair, "other_resident_id": desk_id})),
        ]
    );

    // Only once checked with her, by the phone number on the desk's record.
    let path = format!("{LIST}/{pair}/merge");
    let unchecked = w
        .app
        .post(&path, Some(&c.finance), json!({"checked_with_resident": false}))
        .await;
    unchecked.assert_field_problem("checked_with_resident", "confirmation_required");
    assert_eq!(pairs(&w.app, &c.finance).await.len(), 1, "nothing decided");
    let merged = decide(&w.app, &c.finance, pair, "merge").await;
    assert_eq!(merged.status, 200, "{}", merged.text);
    let kept = &merged.body["known"];
    assert_eq!(merged.body["outcome"], "merged");
    assert_eq!(
        (&kept["id"], &kept["has_account"], &kept["email"]),
        (&json!(desk_id), &json!(true), &json!("anna@example.nl"))
    );
    assert_eq!(
        (&kept["phone"], &kept["birth_date"], &kept["staff_notes"]),
        (
            &json!("0318999999"),
            &json!("1941-03-02"),
            &json!("Sleutel bij de buren")
        ),
        "the desk's details stay"
    );

    // Her account now logs in to the desk's record, with her job and cheques.
    let own = w.app.get("/api/v1/me/resident", Some(&token)).await;
    assert_eq!(own.body["id"], desk_id, "{}", own.text);
    let her_job = w.app.get(&format!("/api/v1/jobs/{job}"), Some(&token)).await;
    assert_eq!(her_job.body["recipient_id"], desk_id, "{}", her_job.text);
    let wallet = w
        .app
        .get(&format!("/api/v1/residents/{desk_id}/cheques"), Some(&c.finance))
        .await;
    let mut held = serials(&wallet.body);
    held.sort();
    assert_eq!(held, cheques, "{}", wallet.text);
    crate::cheques::assert_books(&w, &c).await;
    let gone = w
        .app
        .get(&format!("/api/v1/residents/{app_id}"), Some(&c.finance))
        .await;
    gone.assert_problem(404, "not_found");
    let accounts = format!("SELECT COUNT(*) AS n FROM residents WHERE user_id = {user_id}");
    assert_eq!(count_rows(&w.app, accounts).await, 1);

    // Decided once; the merge is in the audit log of the record kept.
    assert!(pairs(&w.app, &c.finance).await.is_empty());
    let search = w.app.get("/api/v1/residents?name=de vries", Some(&c.finance)).await;
    assert_eq!(search.body["items"].as_array().unwrap().len(), 1, "{}", search.text);
    assert!(
        search.body["items"][0].get("possible_duplicate").is_none(),
        "{}",
        search.text
    );
    decide(&w.app, &c.finance, pair, "merge")
        .await
        .assert_problem(409, "already_decided");
    let logged = audit_entries(&w, &format!("resident:{desk_id}")).await;
    assert!(
        logged.iter().any(
            |(_, operation, status, _)| operation == "POST /api/v1/resident-duplicates/{id}/merge" && *status == 200
        ),
        "{logged:?}"
    );
}

#[actix_web::test]
async fn two_people_of_one_name_are_told_apart_once() {
    let w = world().await;
    let desk_id = anna_at_the_desk(&w).await;
    let (token, app_id, _) = w.app.register_resident("anna@example.nl").await;
    let pair = pairs(&w.app, &w.werkleider).await[0]["id"].as_i64().unwrap();

    let apart = decide(&w.app, &w.werkleider, pair, "different-people").await;
    assert_eq!(
        (
            apart.status.as_u16(),
            &apart.body["outcome"],
            &apart.body["known"]["id"]
        ),
        (200, &json!("different_people"), &json!(desk_id)),
        "{}",
        apart.text
    );
    assert!(pairs(&w.app, &w.werkleider).await.is_empty());
    decide(&w.app, &w.werkleider, pair, "merge")
        .await
        .assert_problem(409, "already_decided");

    // Changing her name back and forth in the app does not bring the pair up again.
    for name in ["A. de Vries", "Anna de Vries"] {
        let changed = w
            .app
            .patch("/api/v1/me/resident", Some(&token), json!({"name": name}))
            .await;
        assert_eq!(changed.status, 200, "{}", changed.text);
    }
    assert!(pairs(&w.app, &w.werkleider).await.is_empty());
    let both = w
        .app
        .get(&format!("/api/v1/residents/{app_id}"), Some(&w.werkleider))
        .await;
    assert_eq!(both.status, 200, "both records stay: {}", both.text);
}

#[actix_web::test]
async fn a_name_changed_in_the_app_to_the_desks_is_noted() {
    let w = world().await;
    let desk_id = anna_at_the_desk(&w).await;
    let mut body = crate::helpers::registration("anna@example.nl");
    body["name"] = json!("A. de Vries");
    let registered = w.app.register(body).await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    assert!(pairs(&w.app, &w.werkleider).await.is_empty(), "another name");

    let token = registered.body["tokens"]["access_token"].as_str().unwrap();
    let changed = w
        .app
        .patch("/api/v1/me/resident", Some(token), json!({"name": "Anna  de VRIES"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let found = pairs(&w.app, &w.werkleider).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["known"]["id"], desk_id);
}

#[actix_web::test]
async fn two_accounts_are_not_merged_and_nothing_moves() {
    let w = world().await;
    let desk_id = anna_at_the_desk(&w).await;
    let given = w
        .app
        .post(
            &format!("/api/v1/residents/{desk_id}/account"),
            Some(&w.werkleider),
            json!({"email": "anna.devries@example.nl"}),
        )
        .await;
    assert_eq!(given.status, 201, "{}", given.text);
    let (token, app_id, _) = w.app.register_resident("anna@example.nl").await;
    let ordered = w.app.post("/api/v1/jobs", Some(&token), order_body(w.hedge, 60)).await;
    assert_eq!(ordered.status, 201, "{}", ordered.text);
    let pair = pairs(&w.app, &w.werkleider).await[0]["id"].as_i64().unwrap();

    decide(&w.app, &w.werkleider, pair, "merge")
        .await
        .assert_problem(409, "both_have_accounts");
    let own = w.app.get("/api/v1/me/resident", Some(&token)).await;
    assert_eq!(own.body["id"], app_id, "{}", own.text);
    let jobs = format!("SELECT COUNT(*) AS n FROM jobs WHERE recipient_id = {app_id}");
    assert_eq!(count_rows(&w.app, jobs).await, 1);
    assert_eq!(pairs(&w.app, &w.werkleider).await.len(), 1, "still to decide");
}

#[actix_web::test]
async fn erasing_a_record_ends_its_pair() {
    let w = world().await;
    let desk_id = anna_at_the_desk(&w).await;
    w.app.register_resident("anna@example.nl").await;
    let pair = pairs(&w.app, &w.werkleider).await[0]["id"].as_i64().unwrap();
    let erased = w
        .app
        .post(
            &format!("/api/v1/residents/{desk_id}/erase"),
            Some(&w.coordinator),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(erased.status, 204, "{}", erased.text);

    assert!(pairs(&w.app, &w.werkleider).await.is_empty(), "nothing left to decide");
    decide(&w.app, &w.werkleider, pair, "merge")
        .await
        .assert_problem(404, "not_found");
    let search = w.app.get("/api/v1/residents?name=vries", Some(&w.werkleider)).await;
    assert!(!search.text.contains("possible_duplicate"), "{}", search.text);
}

#[actix_web::test]
async fn a_family_member_acting_for_both_records_acts_for_the_one_kept() {
    let w = world().await;
    let desk_id = anna_at_the_desk(&w).await;
    let mut daughter = crate::helpers::registration("els@example.nl");
    daughter["name"] = json!("Els de Vries");
    daughter["address"]["house_number"] = json!("40");
    let els = w.app.register(daughter).await;
    assert_eq!(els.status, 201, "{}", els.text);
    let els_token = els.body["tokens"]["access_token"].as_str().unwrap().to_owned();
    w.app.grant_proxy(desk_id, &w.werkleider, "els@example.nl").await;
    let (token, app_id, _) = w.app.register_resident("anna@example.nl").await;
    w.app.grant_proxy(app_id, &token, "els@example.nl").await;
    let pair = pairs(&w.app, &w.werkleider).await[0]["id"].as_i64().unwrap();

    let merged = decide(&w.app, &w.werkleider, pair, "merge").await;
    assert_eq!(merged.status, 200, "{}", merged.text);
    let proxies = w
        .app
        .get(&format!("/api/v1/residents/{desk_id}/proxies"), Some(&w.werkleider))
        .await;
    assert_eq!(proxies.body.as_array().map(Vec::len), Some(1), "{}", proxies.text);
    let principals = w.app.get("/api/v1/me/principals", Some(&els_token)).await;
    let ids: Vec<&Value> = principals.body.as_array().unwrap().iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, [&json!(desk_id)], "{}", principals.text);
}

#[actix_web::test]
async fn two_records_are_paired_once_whichever_changes() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let app = crate::mail::app_with_sink(&sink, |_| {}).await;
    let desk = app.token_for(servicepunt::auth::Role::Werkleider).await;
    let mut anna = crate::helpers::resident_body("Anna de Vries", "6711 AB");
    anna["address"]["house_number"] = json!("12a");
    let desk_id = app.post("/api/v1/residents", Some(&desk), anna).await.body["id"].clone();
    app.register_resident("anna@example.nl").await;
    assert_eq!(pairs(&app, &desk).await.len(), 1);

    // The desk's record gets an account too, and she changes her name there and back.
    let email = "a.devries@example.nl";
    let account = format!("/api/v1/residents/{desk_id}/account");
    let given = app.post(&account, Some(&desk), json!({"email": email})).await;
    assert_eq!(given.status, 201, "{}", given.text);
    let mails = sink.wait_for(2, std::time::Duration::from_secs(10)).await;
    let invitation = crate::mail::sent_to(&mails, email);
    let token = crate::participant_accounts::choose_password_and_log_in(&app, invitation, email).await;
    for name in ["A. de Vries", "Anna de Vries"] {
        let changed = app
            .patch("/api/v1/me/resident", Some(&token), json!({"name": name}))
            .await;
        assert_eq!(changed.status, 200, "{}", changed.text);
    }
    assert_eq!(pairs(&app, &desk).await.len(), 1, "the same two, the other way round");
}
