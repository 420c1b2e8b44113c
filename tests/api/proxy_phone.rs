//! A family member who phones for a resident is known by their number at the desk.

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{TestApp, registration, resident_body, spawn_app};
use crate::residents::create;

/// The names the resident list gives for `phone`.
async fn calling(app: &TestApp, staff: &str, phone: &str) -> Vec<String> {
    let page = app.get(&format!("/api/v1/residents?phone={phone}"), Some(staff)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let items = page.body["items"].as_array().unwrap().iter();
    items.map(|r| r["name"].as_str().unwrap().to_owned()).collect()
}

/// Mevrouw Bakker, registered at the desk with her own number, 0318 765432; her id.
async fn mevrouw_bakker(app: &TestApp, staff: &str) -> i64 {
    let mut bakker = resident_body("Mevrouw Bakker", "6711 AB");
    bakker["phone"] = json!("0318 765432");
    create(app, staff, bakker).await
}

#[actix_web::test]
async fn the_desk_finds_a_resident_by_the_number_their_daughter_calls_from() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let bakker = mevrouw_bakker(&app, &staff).await;
    let (_, ans, _) = app.register_resident("ans@example.nl").await;
    let proxies = format!("/api/v1/residents/{bakker}/proxies");

    // A number that is no phone number is refused, and nothing is linked.
    app.post(
        &proxies,
        Some(&staff),
        json!({"proxy_email": "ans@example.nl", "consent": true, "phone": "bel Ans"}),
    )
    .await
    .assert_field_problem("phone", "invalid_phone");
    assert_eq!(app.get(&proxies, Some(&staff)).await.body, json!([]));

    let linked = app
        .post(
            &proxies,
            Some(&staff),
            json!({"proxy_email": "ans@example.nl", "relationship": "dochter", "consent": true,
                   "phone": "06 12345678"}),
        )
        .await;
    assert_eq!(linked.status, 201, "{}", linked.text);
    assert_eq!(linked.body["phone"], "0612345678");
    let link = linked.body["id"].as_i64().unwrap();
    assert_eq!(calling(&app, &staff, "06%2012345678").await, ["Mevrouw Bakker"]);
    assert_eq!(
        calling(&app, &staff, "%2B31%20612345678").await,
        ["Mevrouw Bakker"],
        "as the phone shows a mobile number"
    );
    assert_eq!(
        calling(&app, &staff, "0318765432").await,
        ["Mevrouw Bakker"],
        "her own number still finds her"
    );
    assert_eq!(app.get(&proxies, Some(&staff)).await.body[0]["phone"], "0612345678");
    let coordinator = app.token_for(Role::Coordinator).await;
    let export_of_bakker = format!("/api/v1/residents/{bakker}/export");
    let export = app.get(&export_of_bakker, Some(&coordinator)).await;
    assert_eq!(export.body["proxies"][0]["phone"], "0612345678", "{}", export.text);

    // Once she no longer acts for her mother, her number is gone with the link.
    app.revoke_proxy(bakker, &staff, link).await;
    assert!(calling(&app, &staff, "0612345678").await.is_empty());
    let export = app.get(&export_of_bakker, Some(&coordinator)).await;
    let ended = &export.body["proxies"][0];
    assert!(ended["revoked_at"].is_string(), "{}", export.text);
    assert_eq!(ended["phone"], json!(null), "not kept with the ended link");
    app.grant_proxy(bakker, &staff, "ans@example.nl").await;
    assert!(
        calling(&app, &staff, "0612345678").await.is_empty(),
        "linked again without a number: none kept from before"
    );

    // Nor when her own data is erased: her links end with it.
    let again = app.get(&proxies, Some(&staff)).await.body[0]["id"].as_i64().unwrap();
    app.revoke_proxy(bakker, &staff, again).await;
    let relinked = app
        .post(
            &proxies,
            Some(&staff),
            json!({"proxy_email": "ans@example.nl", "consent": true, "phone": "0612345678"}),
        )
        .await;
    assert_eq!(relinked.status, 201, "{}", relinked.text);
    let erased = app
        .post(
            &format!("/api/v1/residents/{ans}/erase"),
            Some(&coordinator),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    assert!(calling(&app, &staff, "0612345678").await.is_empty());
    let export = app.get(&export_of_bakker, Some(&coordinator)).await;
    assert_eq!(export.body["proxies"][0]["phone"], json!(null), "{}", export.text);
}

#[actix_web::test]
async fn a_family_member_with_a_new_number_changes_it_themselves() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let bakker = mevrouw_bakker(&app, &staff).await;
    let (ans, _, _) = app.register_resident("ans@example.nl").await;
    let (stranger, _, _) = app.register_resident("vreemde@example.nl").await;
    let linked = app
        .post(
            &format!("/api/v1/residents/{bakker}/proxies"),
            Some(&staff),
            json!({"proxy_email": "ans@example.nl", "relationship": "dochter", "consent": true,
                   "phone": "06 12345678"}),
        )
        .await;
    assert_eq!(linked.status, 201, "{}", linked.text);
    let link = format!("/api/v1/residents/{bakker}/proxies/{}", linked.body["id"]);

    // Someone else's link is not theirs to change; a wrong number changes nothing.
    app.patch(&link, Some(&stranger), json!({"phone": "06 99999999"}))
        .await
        .assert_problem(403, "forbidden");
    app.patch(&link, Some(&ans), json!({"phone": "mijn nieuwe"}))
        .await
        .assert_field_problem("phone", "invalid_phone");
    app.patch(&link, Some(&ans), json!({"consent": false}))
        .await
        .assert_problem(400, "invalid_body");
    assert_eq!(calling(&app, &staff, "0612345678").await, ["Mevrouw Bakker"]);

    let changed = app.patch(&link, Some(&ans), json!({"phone": "06 87654321"})).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["phone"], "0687654321");
    assert_eq!(changed.body["relationship"], "dochter", "what was not sent stays");
    assert_eq!(calling(&app, &staff, "0687654321").await, ["Mevrouw Bakker"]);
    assert!(
        calling(&app, &staff, "0612345678").await.is_empty(),
        "the old number is gone"
    );

    let cleared = app.patch(&link, Some(&staff), json!({"relationship": null})).await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.body["relationship"], json!(null));
    assert_eq!(cleared.body["phone"], "0687654321");

    // An ended link is not changed back to life.
    app.revoke_proxy(bakker, &staff, linked.body["id"].as_i64().unwrap())
        .await;
    app.patch(&link, Some(&staff), json!({"phone": "06 12345678"}))
        .await
        .assert_problem(404, "not_found");
}

/// The hits of a phone search: (name, phone_match) for each.
async fn who_is_calling(app: &TestApp, staff: &str, phone: &str) -> Vec<(String, serde_json::Value)> {
    let page = app.get(&format!("/api/v1/residents?phone={phone}"), Some(staff)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let items = page.body["items"].as_array().unwrap().iter();
    items
        .map(|r| (r["name"].as_str().unwrap().to_owned(), r["phone_match"].clone()))
        .collect()
}

#[actix_web::test]
async fn a_phone_search_says_whose_number_it_is() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Finance).await;
    let bakker = mevrouw_bakker(&app, &staff).await;
    app.register_resident("ans@example.nl").await;
    let mut henk = registration("henk@example.nl");
    henk["name"] = json!("Henk Bakker");
    henk["phone"] = json!("0318 765432");
    assert_eq!(app.register(henk).await.status, 201);
    let proxies = format!("/api/v1/residents/{bakker}/proxies");
    let link = |email: &str, relationship: &str, phone: &str| json!({"proxy_email": email, "relationship": relationship, "consent": true, "phone": phone});
    let daughter = app
        .post(&proxies, Some(&staff), link("ans@example.nl", "dochter", "06 12345678"))
        .await;
    assert_eq!(daughter.status, 201, "{}", daughter.text);
    // Her husband calls from their landline too.
    let husband = app
        .post(
            &proxies,
            Some(&staff),
            link("henk@example.nl", "echtgenoot", "0318 765432"),
        )
        .await;
    assert_eq!(husband.status, 201, "{}", husband.text);

    let ans = json!({"proxy_id": daughter.body["id"], "name": "Anna de Vries", "relationship": "dochter"});
    assert_eq!(
        who_is_calling(&app, &staff, "0612345678").await,
        [("Mevrouw Bakker".to_owned(), json!({"own": false, "proxies": [ans]}))]
    );
    let henk = json!({"proxy_id": husband.body["id"], "name": "Henk Bakker", "relationship": "echtgenoot"});
    // Their landline: her record, his own (he registered with it), and him acting for her.
    assert_eq!(
        who_is_calling(&app, &staff, "765432").await,
        [
            ("Henk Bakker".to_owned(), json!({"own": true, "proxies": []})),
            ("Mevrouw Bakker".to_owned(), json!({"own": true, "proxies": [henk]}))
        ]
    );
    // The daughter's own record has her own number; her mother's does not.
    let own = who_is_calling(&app, &staff, "0318123456").await;
    assert!(
        own.iter()
            .all(|(name, matched)| name == "Anna de Vries" && matched == &json!({"own": true, "proxies": []})),
        "{own:?}"
    );
    let by_name = app.get("/api/v1/residents?name=bakker", Some(&staff)).await;
    assert_eq!(by_name.body["items"][0].get("phone_match"), None, "{}", by_name.text);
}
