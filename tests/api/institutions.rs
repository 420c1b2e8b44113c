//! Institutions pay by invoice: a job ordered on a care home's account is charged at its
//! hourly rate when confirmed, takes no cheques, and lands on the month's statement.

use serde_json::json;
use servicepunt::auth::Role;

use crate::cheques::{assert_books, counter, performed_order, resident};
use crate::helpers::{create_participant, order_body, world};

#[actix_web::test]
async fn a_care_home_job_is_charged_at_its_rate_and_listed_on_the_statement() {
    let w = world().await;
    let c = counter(&w).await;
    let today = servicepunt::clock::today();

    // The coordinator keeps the institutions; names are unique, rates sensible.
    let home = w
        .app
        .post(
            "/api/v1/institutions",
            Some(&w.coordinator),
            json!({"name": "Woonzorgcentrum De Hoven", "hourly_rate_cents": 3250}),
        )
        .await;
    assert_eq!(home.status, 201, "{}", home.text);
    let home = home.body["id"].as_i64().unwrap();
    w.app
        .post(
            "/api/v1/institutions",
            Some(&w.coordinator),
            json!({"name": " Woonzorgcentrum De Hoven ", "hourly_rate_cents": 3000}),
        )
        .await
        .assert_problem(409, "institution_exists");
    w.app
        .post(
            "/api/v1/institutions",
            Some(&w.coordinator),
            json!({"name": "Woonstede", "hourly_rate_cents": 0}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let closed = w
        .app
        .post(
            "/api/v1/institutions",
            Some(&w.coordinator),
            json!({"name": "Oud Verpleeghuis", "hourly_rate_cents": 3000}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let off = w
        .app
        .patch(
            &format!("/api/v1/institutions/{closed}"),
            Some(&w.coordinator),
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.body["active"], false, "{}", off.text);
    w.app
        .patch(
            "/api/v1/institutions/999999",
            Some(&w.coordinator),
            json!({"active": false}),
        )
        .await
        .assert_problem(404, "not_found");
    let listed = w.app.get("/api/v1/institutions", Some(&w.werkleider)).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2);

    // Only staff order on an institution's account, and only an active one.
    let contact = resident(&w, "Contactpersoon De Hoven", Some("1970-03-03"), "60").await;
    let mut order = order_body(w.hedge, 180);
    order["recipient_id"] = json!(contact);
    order["institution_id"] = json!(closed);
    w.app
        .post("/api/v1/jobs", Some(&w.werkleider), order.clone())
        .await
        .assert_problem(422, "validation_failed");
    let (resident_token, _, _) = w.app.register_resident("bewoner@example.nl").await;
    let mut own = order_body(w.hedge, 60);
    own["institution_id"] = json!(home);
    let refused = w.app.post("/api/v1/jobs", Some(&resident_token), own).await;
    refused.assert_problem(422, "validation_failed");
    assert!(refused.text.contains("staff_only"), "{}", refused.text);

    // Worked 2 h 30 m, billed as three hours at € 32,50, without a single cheque.
    order["institution_id"] = json!(home);
    let worker = create_participant(&w.app, &w.coordinator, "Werker Hoven", "solo_klus").await;
    let job = performed_order(&w, order, worker, 1, 150).await;
    let settled = w
        .app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(settled.body["status"], "settled", "{}", settled.text);
    assert_eq!(settled.body["institution_id"], home);
    let wallet = w
        .app
        .get(&format!("/api/v1/residents/{contact}/cheques"), Some(&c.finance))
        .await;
    assert_eq!(wallet.body["cheques"].as_array().unwrap().len(), 0, "{}", wallet.text);

    // A new rate applies to later jobs; this one keeps the rate it was charged at.
    w.app
        .patch(
            &format!("/api/v1/institutions/{home}"),
            Some(&w.coordinator),
            json!({"hourly_rate_cents": 3500}),
        )
        .await;
    let month = today.format("%Y-%m").to_string();
    let statements = w
        .app
        .get(
            &format!("/api/v1/finance/institution-statements?month={month}"),
            Some(&c.finance),
        )
        .await;
    assert_eq!(statements.status, 200, "{}", statements.text);
    let list = statements.body.as_array().unwrap();
    assert_eq!(list.len(), 1, "{}", statements.text);
    assert_eq!(list[0]["institution"], "Woonzorgcentrum De Hoven");
    assert_eq!(list[0]["total_minutes"], 180);
    assert_eq!(list[0]["total_cents"], 9750);
    assert_eq!(list[0]["lines"][0]["job_id"], job);
    assert_eq!(list[0]["lines"][0]["hourly_rate_cents"], 3250);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["institution_receivable"], 9750);
    assert_eq!(books["accounts"]["service_revenue"], -9750);
    let csv = w
        .app
        .get_csv(
            &format!("/api/v1/finance/institution-statements?month={month}"),
            &c.finance,
        )
        .await;
    assert!(csv.text.contains(",180,32.50,97.50"), "{}", csv.text);
    assert!(
        csv.text.lines().last().unwrap().ends_with(",180,,97.50"),
        "{}",
        csv.text
    );
    // Another month has nothing; a wrong month is a clear error; residents see nothing.
    let empty = w
        .app
        .get("/api/v1/finance/institution-statements?month=2020-01", Some(&c.finance))
        .await;
    assert_eq!(empty.body, json!([]));
    w.app
        .get("/api/v1/finance/institution-statements?month=jan", Some(&c.finance))
        .await
        .assert_problem(422, "validation_failed");
    let resident_user = w.app.token_for(Role::Resident).await;
    w.app
        .get(
            &format!("/api/v1/finance/institution-statements?month={month}"),
            Some(&resident_user),
        )
        .await
        .assert_problem(403, "forbidden");
}
