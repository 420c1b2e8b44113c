//! How long an online checkout can be paid: Stripe is asked to expire it after an hour,
//! its reduced cheques count against the yearly cap only that long, and a retry after a
//! lost answer still gets a payment page.

use chrono::{Duration, Utc};
use serde_json::json;
use servicepunt::payments::checkout::{payable_until, reference, stripe_key};

use crate::cheques::{Counter, assert_books, capped_product, counter};
use crate::helpers::{World, execute_sql};
use crate::online::{SECRET, checkout, deliver, now, online_world};
use crate::stripe_mock::{event, stripe_signature};

/// A counter selling a cheque with a yearly cap of 4 reduced, and a 70-plus resident
/// registered online at `email`: (counter, the resident's token, their id).
async fn capped_senior(w: &World, email: &str) -> (Counter, String, i64) {
    let c = counter(w).await;
    let capped = capped_product(w, 4).await;
    let (token, resident, _) = w.app.register_resident(email).await;
    let aged = w
        .app
        .patch(
            &format!("/api/v1/residents/{resident}"),
            Some(&w.werkleider),
            json!({"birth_date": "1940-05-01"}),
        )
        .await;
    assert_eq!(aged.status, 200, "{}", aged.text);
    (Counter { product: capped, ..c }, token, resident)
}

/// Reduced cheques in a checkout that can still be paid count against the yearly cap: a
/// 70-plus resident with a cap of 4 cannot start a second checkout for more while the
/// first is open, nor buy them at the counter; once the first expires unpaid, they can.
#[actix_web::test]
async fn reduced_cheques_in_an_open_checkout_count_against_the_yearly_cap() {
    let (w, _mock) = online_world().await;
    let (c, token, resident) = capped_senior(&w, "oma.online@example.nl").await;

    let first = checkout(&w, &token, &c, 3, "cap-1").await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["checkout"]["tariff"], "reduced", "{}", first.text);
    let refused = |r: &crate::helpers::Reply| {
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["code"], "reduced_cap_reached", "{}", r.text);
    };
    refused(&checkout(&w, &token, &c, 2, "cap-2").await);
    refused(&crate::cheques::sell(&w, &c, resident, 2, "pin").await);
    let last = checkout(&w, &token, &c, 1, "cap-3").await;
    assert_eq!(last.status, 201, "one more fits: {}", last.text);

    // The first is never paid; Stripe says it expired.
    let session = first.body["checkout"]["stripe_session_id"].as_str().unwrap();
    let body = event(
        "evt_cap_expired",
        "checkout.session.expired",
        json!({"id": session, "object": "checkout.session", "payment_status": "unpaid"}),
    );
    let expired = deliver(&w, &body, &stripe_signature(SECRET, now(), &body)).await;
    assert_eq!(expired.body["outcome"], "expired", "{}", expired.text);
    let sold = crate::cheques::sell(&w, &c, resident, 3, "pin").await;
    assert_eq!(sold.status, 201, "{}", sold.text);
    assert_eq!(sold.body["tariff"], "reduced");
    assert_books(&w, &c).await;
}

/// A checkout counts against the yearly cap only while it can be paid: until its expiry
/// (with a few minutes for Stripe's clock), or for a checkout recorded before expiries
/// were kept, Stripe's default day.
#[actix_web::test]
async fn a_checkout_past_its_expiry_no_longer_holds_reduced_cheques_from_the_counter() {
    let (w, _mock) = online_world().await;
    let (c, token, resident) = capped_senior(&w, "opa.online@example.nl").await;
    let started = checkout(&w, &token, &c, 4, "given-up").await;
    assert_eq!(started.body["checkout"]["tariff"], "reduced", "{}", started.text);
    let id = started.body["checkout"]["id"].as_i64().unwrap();
    let ago = |minutes: i64| {
        let at = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes);
        format!("'{}'", at.format("%Y-%m-%d %H:%M:%S"))
    };
    let set = |column: &str, value: String| {
        execute_sql(
            &w.app,
            format!("UPDATE checkouts SET {column} = {value} WHERE id = {id}"),
        )
    };
    let refused = |r: &crate::helpers::Reply| {
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["code"], "reduced_cap_reached", "{}", r.text);
    };

    refused(&crate::cheques::sell(&w, &c, resident, 1, "pin").await);
    set("payable_until", ago(4)).await;
    refused(&crate::cheques::sell(&w, &c, resident, 1, "pin").await);
    // Made before expiries were kept: it counts for a day.
    set("payable_until", "NULL".into()).await;
    set("created_at", ago(23 * 60)).await;
    refused(&crate::cheques::sell(&w, &c, resident, 1, "pin").await);
    set("created_at", ago(25 * 60)).await;
    let sold = crate::cheques::sell(&w, &c, resident, 1, "pin").await;
    assert_eq!(sold.status, 201, "{}", sold.text);
    // Expired a few minutes past the margin: the rest of the cap is free.
    set("created_at", ago(70)).await;
    set("payable_until", ago(6)).await;
    let rest = crate::cheques::sell(&w, &c, resident, 3, "pin").await;
    assert_eq!(rest.status, 201, "{}", rest.text);
    assert_eq!(rest.body["tariff"], "reduced");
    assert_books(&w, &c).await;
}

/// The server stopped between Stripe's answer and recording the checkout, and the
/// resident's phone sends the same request again twenty minutes later: by then the
/// expiry asked for is a later one, so it goes to Stripe under a key of its own (Stripe
/// refuses a key reused with other parameters) and the resident gets a page to pay on.
#[actix_web::test]
async fn a_retry_long_after_a_lost_answer_still_gets_a_page_to_pay_on() {
    let (w, mock) = online_world().await;
    let c = counter(&w).await;
    let (token, _, user_id) = w.app.register_resident("later@example.nl").await;
    let key = "answer-lost";
    let reference = reference(user_id, Some(key));
    let first_expiry = payable_until((Utc::now() - Duration::minutes(20)).naive_utc());
    mock.answered_before(
        &stripe_key(&reference, Some(first_expiry)),
        &format!("expires_at={}", first_expiry.and_utc().timestamp()),
    );

    let started = checkout(&w, &token, &c, 2, key).await;
    assert_eq!(started.status, 201, "{}", started.text);
    assert_eq!(started.body["checkout"]["reference"], reference.as_str());
    assert_ne!(started.body["checkout"]["stripe_session_id"], "cs_test_lost");
    let until: chrono::DateTime<Utc> = started.body["checkout"]["payable_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(until.naive_utc() > first_expiry, "{until} after {first_expiry}");
    // A retry moments later is the same checkout.
    let again = checkout(&w, &token, &c, 2, key).await;
    assert_eq!(
        again.body["checkout"]["id"], started.body["checkout"]["id"],
        "{}",
        again.text
    );
}
