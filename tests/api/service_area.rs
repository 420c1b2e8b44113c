//! Where the servicepunt works: with a service area set, an address outside it is refused
//! wherever an address is entered — registration, the desk, a change of address, a job
//! at another address — and nothing is written. Without one, any Dutch address is taken.

use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::helpers::{World, count_rows, order_body, registration, resident_body, world, world_with};

const AMSTERDAM: &str = "1012 AB";

fn outside(reply: &crate::helpers::Reply) {
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.body["errors"][0]["field"], "address.postcode", "{}", reply.text);
    assert_eq!(
        reply.body["errors"][0]["code"], "outside_service_area",
        "{}",
        reply.text
    );
}

fn amsterdam() -> Value {
    json!({"street": "Damrak", "house_number": "1", "postcode": AMSTERDAM, "city": "Amsterdam"})
}

async fn ede() -> World {
    world_with(|raw| raw.service_area = "6710-6718, 6720".into()).await
}

#[actix_web::test]
async fn an_address_outside_the_service_area_is_refused_wherever_it_is_entered() {
    let w = ede().await;
    let desk = w.app.token_for(Role::Finance).await;
    let residents = || count_rows(&w.app, "SELECT COUNT(*) AS n FROM residents");
    let before = residents().await;

    // The desk, and a resident registering themselves.
    let refused = w
        .app
        .post("/api/v1/residents", Some(&desk), resident_body("Piet", AMSTERDAM))
        .await;
    outside(&refused);
    let mut body = registration("piet@example.nl");
    body["address"] = amsterdam();
    outside(&w.app.post("/api/v1/auth/register", None, body).await);
    assert_eq!(residents().await, before, "nothing written");
    let bennekom = w
        .app
        .post("/api/v1/residents", Some(&desk), resident_body("Els", "6720 AB"))
        .await;
    assert_eq!(bennekom.status, 201, "{}", bennekom.text);
    let els = bennekom.body["id"].as_i64().unwrap();

    // A change of address, by the desk or by the resident.
    let path = format!("/api/v1/residents/{els}");
    let moved = w.app.patch(&path, Some(&desk), json!({"address": amsterdam()})).await;
    outside(&moved);
    let (token, _, _) = w.app.register_resident("anna@example.nl").await;
    let own = w
        .app
        .patch("/api/v1/me/resident", Some(&token), json!({"address": amsterdam()}))
        .await;
    outside(&own);
    let unchanged = w.app.get(&path, Some(&desk)).await;
    assert_eq!(unchanged.body["address"]["postcode"], "6720 AB", "{}", unchanged.text);

    // A job at another address; at her own, the order goes in.
    let jobs = || count_rows(&w.app, "SELECT COUNT(*) AS n FROM jobs");
    let mut order = order_body(w.hedge, 60);
    order["address"] = amsterdam();
    outside(&w.app.post("/api/v1/jobs", Some(&token), order).await);
    assert_eq!(jobs().await, 0);
    let placed = w.app.post("/api/v1/jobs", Some(&token), order_body(w.hedge, 60)).await;
    assert_eq!(placed.status, 201, "{}", placed.text);
}

#[actix_web::test]
async fn without_a_service_area_any_dutch_address_is_taken() {
    let w = world().await;
    let desk = w.app.token_for(Role::Finance).await;
    let taken = w
        .app
        .post("/api/v1/residents", Some(&desk), resident_body("Piet", AMSTERDAM))
        .await;
    assert_eq!(taken.status, 201, "{}", taken.text);
}
