//! Residents as staff and residents see them, eligibility and proxies.

use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{TestApp, resident_body, spawn_app};

/// Registers a resident as staff; returns the id.
pub async fn create(app: &TestApp, token: &str, body: serde_json::Value) -> i64 {
    let reply = app.post("/api/v1/residents", Some(token), body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["id"].as_i64().unwrap();
    assert_eq!(reply.headers["location"], format!("/api/v1/residents/{id}").as_str());
    id
}

#[actix_web::test]
async fn staff_register_read_and_change_a_resident() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let mut body = resident_body("Gerrit  Bos", "6711ab");
    body["wijk"] = json!("Veldhuizen");
    body["phone"] = json!("0318-654321");
    body["staff_notes"] = json!("Slechthorend: bel lang over.");
    let id = create(&app, &staff, body).await;

    let got = app.get(&format!("/api/v1/residents/{id}"), Some(&staff)).await;
    assert_eq!(got.body["name"], "Gerrit Bos");
    assert_eq!(got.body["address"]["postcode"], "6711 AB");
    assert_eq!(got.body["staff_notes"], "Slechthorend: bel lang over.");
    assert_eq!(got.body["has_account"], false);

    let changed = app
        .patch(
            &format!("/api/v1/residents/{id}"),
            Some(&staff),
            json!({"phone": null, "birth_date": "1950-05-05", "wijk": "Ede-Zuid"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.body["phone"], json!(null));
    assert_eq!(changed.body["birth_date"], "1950-05-05");
    assert_eq!(changed.body["wijk"], "Ede-Zuid");
    assert_eq!(changed.body["name"], "Gerrit Bos", "absent fields stay");

    app.get("/api/v1/residents/424242", Some(&staff))
        .await
        .assert_problem(404, "not_found");
    app.patch("/api/v1/residents/424242", Some(&staff), json!({"wijk": "x"}))
        .await
        .assert_problem(404, "not_found");
    app.patch(
        &format!("/api/v1/residents/{id}"),
        Some(&staff),
        json!({"address": {"street": "a", "house_number": "1", "postcode": "bad", "city": "Ede"}}),
    )
    .await
    .assert_problem(422, "validation_failed");
}

/// The desk does not register someone twice: the same name at the same door is the same
/// person (else they would hold two yearly allowances of reduced cheques), unless two
/// birth dates tell namesakes apart.
#[actix_web::test]
async fn the_desk_registers_one_person_once() {
    let app = spawn_app().await;
    let desk = app.token_for(Role::Finance).await;
    let mut anna = resident_body("Anna de Vries", "6711ab");
    anna["address"]["house_number"] = json!("12a");
    let first = create(&app, &desk, anna.clone()).await;
    anna["name"] = json!("anna  DE VRIES");
    anna["address"]["house_number"] = json!("12 A");
    let again = app.post("/api/v1/residents", Some(&desk), anna.clone()).await;
    again.assert_problem(409, "resident_exists");
    assert!(
        again.body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("resident {first} ")),
        "{}",
        again.text
    );
    let listed = app.get("/api/v1/residents?name=anna", Some(&desk)).await;
    assert_eq!(listed.body["total"], 1, "{}", listed.text);
    // Someone else in the house, and Anna at another door, are other people.
    anna["name"] = json!("Kees de Vries");
    create(&app, &desk, anna.clone()).await;
    anna["name"] = json!("Anna de Vries");
    anna["address"]["house_number"] = json!("14");
    create(&app, &desk, anna).await;

    let mut father = resident_body("Jan Smit", "6711ab");
    father["birth_date"] = json!("1948-05-01");
    create(&app, &desk, father.clone()).await;
    father["birth_date"] = json!("1975-09-12");
    create(&app, &desk, father.clone()).await;
    father["birth_date"] = json!(null);
    app.post("/api/v1/residents", Some(&desk), father)
        .await
        .assert_problem(409, "resident_exists");

    // A change of name or address does not make a second record of someone either.
    let mut kees = resident_body("Kees Bakker", "6711ab");
    kees["address"]["house_number"] = json!("12a");
    let kees = create(&app, &desk, kees).await;
    let path = format!("/api/v1/residents/{kees}");
    app.patch(&path, Some(&desk), json!({"name": "Anna de Vries"}))
        .await
        .assert_problem(409, "resident_exists");
    assert_eq!(
        app.get(&path, Some(&desk)).await.body["name"],
        "Kees Bakker",
        "nothing changed"
    );
    let moved = app
        .patch(
            &path,
            Some(&desk),
            json!({"wijk": "Veldhuizen", "phone": "0318 111111"}),
        )
        .await;
    assert_eq!(
        moved.status,
        StatusCode::OK,
        "a record is not its own double: {}",
        moved.text
    );
}

#[actix_web::test]
async fn search_by_name_and_postcode_with_pages() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Finance).await;
    for (name, pc) in [
        ("Anna Jansen", "6711 AB"),
        ("Jan de Boer", "6712 CD"),
        ("Émile Janssens", "6711 XY"),
        ("Kees Smit", "6711 AB"),
    ] {
        create(&app, &staff, resident_body(name, pc)).await;
    }
    let by_name = app.get("/api/v1/residents?name=JAN", Some(&staff)).await;
    let names: Vec<_> = by_name.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["Anna Jansen", "Jan de Boer", "Émile Janssens"],
        "ordered by name"
    );
    assert_eq!(by_name.body["total"], 3);

    let accent = app.get("/api/v1/residents?name=%C3%A9MILE", Some(&staff)).await;
    assert_eq!(
        accent.body["total"], 1,
        "search folds non-ASCII case too: {}",
        accent.text
    );

    let exact = app.get("/api/v1/residents?postcode=6711ab", Some(&staff)).await;
    assert_eq!(exact.body["total"], 2);
    let area = app.get("/api/v1/residents?postcode=6711", Some(&staff)).await;
    assert_eq!(area.body["total"], 3);

    let page1 = app.get("/api/v1/residents?per_page=3&page=1", Some(&staff)).await;
    let page2 = app.get("/api/v1/residents?per_page=3&page=2", Some(&staff)).await;
    assert_eq!(page1.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(page2.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(page2.body["total"], 4);
    assert_eq!(page2.body["page"], 2);
}

/// When a resident calls, the desk finds them by the number the phone shows.
#[actix_web::test]
async fn the_desk_finds_who_is_calling_by_their_number() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    for (name, pc, phone) in [
        ("Mevrouw Bakker", "6711 AB", "0318 123456"),
        ("Meneer Visser", "6712 CD", "+31 318 654321"),
        ("Anna Jansen", "6711 XY", "06-12345678"),
    ] {
        let mut body = resident_body(name, pc);
        body["phone"] = json!(phone);
        create(&app, &staff, body).await;
    }
    let found = |query: &'static str| {
        let (app, staff) = (&app, &staff);
        async move {
            let page = app.get(&format!("/api/v1/residents?{query}"), Some(staff)).await;
            assert_eq!(page.status, 200, "{query}: {}", page.text);
            let items = page.body["items"].as_array().unwrap().iter();
            items
                .map(|r| r["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("phone=0318123456").await, ["Mevrouw Bakker"]);
    assert_eq!(
        found("phone=%2B31318123456").await,
        ["Mevrouw Bakker"],
        "+31 as the phone shows it"
    );
    assert_eq!(found("phone=0318%20654321").await, ["Meneer Visser"], "stored as +31");
    assert_eq!(found("phone=06%2012345678").await, ["Anna Jansen"]);
    assert_eq!(found("phone=5678").await, ["Anna Jansen"], "by the last digits");
    assert_eq!(found("phone=0318999999").await, Vec::<String>::new());
    assert_eq!(found("phone=3456&name=bakker").await, ["Mevrouw Bakker"]);
    assert_eq!(
        found("phone=3456&name=jansen").await,
        Vec::<String>::new(),
        "both must match"
    );
    for bad in ["phone=123", "phone=bakker"] {
        app.get(&format!("/api/v1/residents?{bad}"), Some(&staff))
            .await
            .assert_problem(400, "invalid_query");
    }
}

#[actix_web::test]
async fn only_resident_desk_staff_reach_the_resident_list() {
    let app = spawn_app().await;
    for role in [Role::Werkleider, Role::Finance, Role::Coordinator] {
        let token = app.token_for(role).await;
        assert_eq!(app.get("/api/v1/residents", Some(&token)).await.status, 200, "{role}");
    }
    for role in [Role::Participant, Role::Trajectbegeleider, Role::Resident] {
        let token = app.token_for(role).await;
        app.get("/api/v1/residents", Some(&token))
            .await
            .assert_problem(403, "forbidden");
        app.post("/api/v1/residents", Some(&token), resident_body("X", "6711 AB"))
            .await
            .assert_problem(403, "forbidden");
    }
    app.get("/api/v1/residents", None)
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn staff_notes_never_reach_the_resident() {
    let app = spawn_app().await;
    let (resident_token, resident_id, _) = app.register_resident("oma@example.nl").await;
    let staff = app.token_for(Role::Werkleider).await;
    app.patch(
        &format!("/api/v1/residents/{resident_id}"),
        Some(&staff),
        json!({"staff_notes": "Let op de hond."}),
    )
    .await;
    let own = app.get("/api/v1/me/resident", Some(&resident_token)).await;
    assert!(!own.text.contains("Let op de hond"), "{}", own.text);
    let staff_view = app.get(&format!("/api/v1/residents/{resident_id}"), Some(&staff)).await;
    assert_eq!(staff_view.body["staff_notes"], "Let op de hond.");
}

#[actix_web::test]
async fn eligibility_around_the_seventieth_birthday() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Finance).await;
    let mut body = resident_body("Truus", "6711 AB");
    body["birth_date"] = json!("1956-06-15");
    let id = create(&app, &staff, body).await;
    let ask = |on: &str| format!("/api/v1/residents/{id}/eligibility?on={on}");

    let before = app.get(&ask("2026-06-14"), Some(&staff)).await;
    assert_eq!(
        before.body,
        json!({"resident_id": id, "on": "2026-06-14", "reduced_rate": false, "reasons": []})
    );
    let on = app.get(&ask("2026-06-15"), Some(&staff)).await;
    assert_eq!(on.body["reduced_rate"], true);
    assert_eq!(on.body["reasons"], json!([{"basis": "age_70_plus", "age": 70}]));

    let mut leap = resident_body("Leap", "6711 AB");
    leap["birth_date"] = json!("1956-02-29");
    let leap_id = create(&app, &staff, leap).await;
    let feb28 = app
        .get(
            &format!("/api/v1/residents/{leap_id}/eligibility?on=2026-02-28"),
            Some(&staff),
        )
        .await;
    let mar1 = app
        .get(
            &format!("/api/v1/residents/{leap_id}/eligibility?on=2026-03-01"),
            Some(&staff),
        )
        .await;
    assert_eq!(feb28.body["reduced_rate"], false);
    assert_eq!(mar1.body["reduced_rate"], true);

    // Without a date: today (in the Netherlands) is used.
    let today = app
        .get(&format!("/api/v1/residents/{id}/eligibility"), Some(&staff))
        .await;
    assert_eq!(today.status, 200);
    assert!(today.body["on"].is_string());
}

#[actix_web::test]
async fn eligibility_at_the_edges_of_a_wmo_period() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let id = create(&app, &staff, resident_body("Henk", "6711 AB")).await;
    let path = format!("/api/v1/residents/{id}/eligibility");

    let recorded = app
        .post(&path, Some(&staff), json!({"basis": "wmo", "valid_from": "2026-02-01", "valid_until": "2026-07-31", "evidence_ref": "WMO-2026-0412"}))
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text);
    let period_id = recorded.body["id"].as_i64().unwrap();
    assert!(recorded.body["verified_by"].as_i64().is_some());

    for (on, expected) in [
        ("2026-01-31", false),
        ("2026-02-01", true),
        ("2026-07-31", true),
        ("2026-08-01", false),
    ] {
        let reply = app.get(&format!("{path}?on={on}"), Some(&staff)).await;
        assert_eq!(reply.body["reduced_rate"], expected, "{on}: {}", reply.text);
    }
    let inside = app.get(&format!("{path}?on=2026-03-01"), Some(&staff)).await;
    assert_eq!(
        inside.body["reasons"],
        json!([{"basis": "wmo", "period_id": period_id, "valid_from": "2026-02-01", "valid_until": "2026-07-31"}])
    );

    app.post(
        &path,
        Some(&staff),
        json!({"basis": "wmo", "valid_from": "2026-05-01", "valid_until": "2026-04-01", "evidence_ref": "x"}),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.post(
        &path,
        Some(&staff),
        json!({"basis": "wmo", "valid_from": "2026-05-01", "evidence_ref": "  "}),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.post(
        &path,
        Some(&staff),
        json!({"basis": "diagnosis", "valid_from": "2026-05-01", "evidence_ref": "x"}),
    )
    .await
    .assert_problem(400, "invalid_body");
    app.post(
        "/api/v1/residents/999999/eligibility",
        Some(&staff),
        json!({"basis": "wmo", "valid_from": "2026-05-01", "evidence_ref": "x"}),
    )
    .await
    .assert_problem(404, "not_found");

    let participant = app.token_for(Role::Participant).await;
    app.get(&path, Some(&participant))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn a_daughter_becomes_proxy_of_her_mother_with_consent() {
    let app = spawn_app().await;
    let (mother_token, mother_id, _) = app.register_resident("moeder@example.nl").await;
    let (daughter_token, _, daughter_user) = app.register_resident("dochter@example.nl").await;
    let (stranger_token, _, _) = app.register_resident("vreemde@example.nl").await;
    let path = format!("/api/v1/residents/{mother_id}/proxies");

    app.post(
        &path,
        Some(&mother_token),
        json!({"proxy_email": "dochter@example.nl", "consent": false}),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.post(
        &path,
        Some(&stranger_token),
        json!({"proxy_email": "vreemde@example.nl", "consent": true}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.post(
        &path,
        Some(&mother_token),
        json!({"proxy_email": "nobody@example.nl", "consent": true}),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.post(
        &path,
        Some(&mother_token),
        json!({"proxy_email": "moeder@example.nl", "consent": true}),
    )
    .await
    .assert_problem(422, "validation_failed");

    let granted = app
        .post(
            &path,
            Some(&mother_token),
            json!({"proxy_email": "Dochter@example.nl", "relationship": "dochter", "consent": true}),
        )
        .await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    assert_eq!(granted.body["proxy_user_id"], daughter_user);
    assert_eq!(granted.body["relationship"], "dochter");
    assert!(granted.body["consent_at"].is_string());
    app.post(
        &path,
        Some(&mother_token),
        json!({"proxy_email": "dochter@example.nl", "consent": true}),
    )
    .await
    .assert_problem(409, "proxy_exists");

    let principals = app.get("/api/v1/me/principals", Some(&daughter_token)).await;
    assert_eq!(principals.body.as_array().unwrap().len(), 1);
    assert_eq!(principals.body[0]["id"], mother_id);
    assert!(principals.body[0].get("staff_notes").is_none());

    let listed = app.get(&path, Some(&mother_token)).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    app.get(&path, Some(&stranger_token))
        .await
        .assert_problem(403, "forbidden");

    // The daughter may end it herself; then she acts for nobody.
    let proxy_id = granted.body["id"].as_i64().unwrap();
    let revoked = app
        .call(
            reqwest::Method::DELETE,
            &format!("{path}/{proxy_id}"),
            Some(&daughter_token),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me/principals", Some(&daughter_token)).await.body,
        json!([])
    );
    app.call(
        reqwest::Method::DELETE,
        &format!("{path}/{proxy_id}"),
        Some(&mother_token),
        None,
    )
    .await
    .assert_problem(404, "not_found");

    // Staff can link her again (consent given at the counter).
    let staff = app.token_for(Role::Werkleider).await;
    let again = app
        .post(
            &path,
            Some(&staff),
            json!({"proxy_email": "dochter@example.nl", "consent": true}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
    assert_eq!(again.body["id"], proxy_id, "the link is re-activated, not duplicated");
}
