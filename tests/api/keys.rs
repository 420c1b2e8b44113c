//! Keys residents leave with the servicepunt: received under a tag number (never the
//! address), on the crew's schedule while held, listed for the werkleiders with whether
//! they should go back, and given back before a resident's data can be erased.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Reply, World, count_rows, local_span, world};
use crate::planning::{assign, waitlisted_job};

const COUNT: &str = "SELECT COUNT(*) AS n FROM resident_keys";

async fn receive(w: &World, resident: i64, tag: &str) -> Reply {
    let path = format!("/api/v1/residents/{resident}/keys");
    w.app.post(&path, Some(&w.werkleider), json!({"tag": tag})).await
}

async fn give_back(w: &World, resident: i64, key: &Value) -> Reply {
    let path = format!("/api/v1/residents/{resident}/keys/{key}/return");
    w.app.call(Method::POST, &path, Some(&w.werkleider), None).await
}

#[actix_web::test]
async fn a_key_is_kept_under_its_tag_fetched_by_the_crew_and_given_back() {
    let w = world().await;
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let owner = w.app.get(&format!("/api/v1/jobs/{job}"), Some(&w.werkleider)).await;
    let owner = owner.body["recipient_id"].as_i64().unwrap();
    let (token, other, _) = w.app.register_resident("buurvrouw@example.nl").await;

    // A tag is a number, never the address.
    let bad = receive(&w, owner, "Dorpsstraat 1").await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.body["errors"][0]["code"], "invalid_tag");
    assert_eq!(count_rows(&w.app, COUNT).await, 0);
    receive(&w, 999_999, "S-1").await.assert_problem(404, "not_found");

    let key = receive(&w, owner, " s-12 ").await;
    assert_eq!(key.status, 201, "{}", key.text);
    assert_eq!(key.body["tag"], "S-12");
    assert_eq!(key.body["returned_at"], Value::Null);
    receive(&w, other, "S-12").await.assert_problem(409, "tag_in_use");
    assert_eq!(receive(&w, other, "S-13").await.status, 201);

    // The crew sees which key to fetch; the werkleiders which keys are held and whether
    // work is still to come (the neighbour's has none: it goes back, so it comes first).
    let (crew_token, crew) = crate::on_call::participant_with_app(&w, "sanne@deelnemer.example").await;
    let day = servicepunt::clock::today() + chrono::Duration::days(2);
    assert_eq!(assign(&w, job, &[crew], &local_span(day, 10, 60)).await.status, 201);
    let schedule = w.app.get("/api/v1/me/schedule", Some(&crew_token)).await;
    assert_eq!(schedule.body[0]["key_tags"], json!(["S-12"]), "{}", schedule.text);
    let held = w.app.get("/api/v1/keys", Some(&w.werkleider)).await;
    assert_eq!(held.status, 200, "{}", held.text);
    let list: Vec<(Value, Value)> = held
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["tag"].clone(), k["work_to_come"].clone()))
        .collect();
    assert_eq!(list, [(json!("S-13"), json!(false)), (json!("S-12"), json!(true))]);
    let mine = w.app.get("/api/v1/me/keys", Some(&token)).await;
    assert_eq!(mine.body[0]["tag"], "S-13", "{}", mine.text);

    // Not erased while their key is in the cabinet; given back, it can be.
    let erase = format!("/api/v1/residents/{other}/erase");
    w.app
        .post(&erase, Some(&w.coordinator), json!({"confirm": true}))
        .await
        .assert_problem(409, "key_held");
    let export = w
        .app
        .get(&format!("/api/v1/residents/{other}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(export.body["keys"][0]["tag"], "S-13", "{}", export.text);
    let keys = w
        .app
        .get(&format!("/api/v1/residents/{other}/keys"), Some(&w.werkleider))
        .await;
    let back = give_back(&w, other, &keys.body[0]["id"]).await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert!(back.body["returned_at"].is_string(), "{}", back.text);
    let again = give_back(&w, other, &keys.body[0]["id"]).await;
    assert_eq!(again.body["returned_at"], back.body["returned_at"], "given back once");
    give_back(&w, owner, &keys.body[0]["id"])
        .await
        .assert_problem(404, "not_found");
    assert_eq!(receive(&w, owner, "S-13").await.status, 201, "the tag is free again");
    let erased = w.app.post(&erase, Some(&w.coordinator), json!({"confirm": true})).await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    let theirs = format!("SELECT COUNT(*) AS n FROM resident_keys WHERE resident_id = {other}");
    assert_eq!(count_rows(&w.app, &theirs).await, 0);
    receive(&w, other, "S-14").await.assert_problem(409, "resident_erased");
}

/// A family member who acts for a resident sees which of her keys the servicepunt holds;
/// nobody else's, and not once the consent is revoked.
#[actix_web::test]
async fn a_family_member_who_acts_for_a_resident_sees_her_keys() {
    let w = world().await;
    let (mother_token, mother, _) = w.app.register_resident("moeder.sleutel@example.nl").await;
    let (daughter_token, _, _) = w.app.register_resident("dochter.sleutel@example.nl").await;
    let link = w
        .app
        .grant_proxy(mother, &mother_token, "dochter.sleutel@example.nl")
        .await;
    assert_eq!(receive(&w, mother, "S-40").await.status, 201);
    let path = format!("/api/v1/residents/{mother}/keys");

    let seen = w.app.get(&path, Some(&daughter_token)).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    let tags: Vec<&Value> = seen.body.as_array().unwrap().iter().map(|k| &k["tag"]).collect();
    assert_eq!(tags, [&json!("S-40")], "{}", seen.text);
    let (stranger, _, _) = w.app.register_resident("buurman.sleutel@example.nl").await;
    w.app.get(&path, Some(&stranger)).await.assert_problem(404, "not_found");
    let participant = w.app.token_for(servicepunt::auth::Role::Participant).await;
    w.app
        .get(&path, Some(&participant))
        .await
        .assert_problem(403, "forbidden");

    w.app.revoke_proxy(mother, &mother_token, link).await;
    w.app
        .get(&path, Some(&daughter_token))
        .await
        .assert_problem(404, "not_found");
}
