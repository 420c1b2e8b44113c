//! The Stripe reconciliation over several payouts and purchases: each payout with what it
//! contained, and every mismatch finance has to look into.

use serde_json::{Value, json};

use crate::cheques::counter;
use crate::helpers::World;
use crate::online::{SECRET, checkout, deliver, now, online_world, stripe_report_today};
use crate::stripe_mock::{event, stripe_signature, transaction};

async fn signed(w: &World, body: &str) -> String {
    let reply = deliver(w, body, &stripe_signature(SECRET, now(), body)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["outcome"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn payouts_and_sales_are_matched_and_each_mismatch_is_listed() {
    let (w, mock) = online_world().await;
    let c = counter(&w).await;
    let (token, _, _) = w.app.register_resident("twee@example.nl").await;
    // Two purchases: one Stripe told us the payment of, one it did not.
    let mut sessions = Vec::new();
    for (key, quantity) in [("twee-1", 2), ("twee-2", 1)] {
        let started = checkout(&w, &token, &c, quantity, key).await;
        assert_eq!(started.status, 201, "{}", started.text);
        sessions.push(
            started.body["checkout"]["stripe_session_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let with_payment = event(
        "evt_a",
        "checkout.session.completed",
        json!({"id": sessions[0], "payment_status": "paid", "amount_total": 3000, "payment_intent": "pi_a"}),
    );
    let without = event(
        "evt_b",
        "checkout.session.completed",
        json!({"id": sessions[1], "payment_status": "paid", "amount_total": 1500}),
    );
    assert_eq!(signed(&w, &with_payment).await, "issued");
    assert_eq!(signed(&w, &without).await, "issued");
    let wallet = w.app.get("/api/v1/me/cheques", Some(&token)).await;
    let sale_ids: Vec<i64> = wallet.body["cheques"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sale_id"].as_i64().unwrap())
        .collect();
    let unpaid_sale = *sale_ids.iter().max().unwrap();

    // Two payouts: one of our payment, adding up; one of a payment not ours, whose
    // lines come to € 4,65 more than was paid out.
    mock.set_transactions(vec![transaction("txn_a", "charge", 3000, 70, "pi_a")]);
    let first = event(
        "evt_po_a",
        "payout.paid",
        json!({"id": "po_a", "object": "payout", "amount": 2930, "arrival_date": now()}),
    );
    assert_eq!(signed(&w, &first).await, "payout_recorded");
    mock.set_transactions(vec![transaction("txn_b", "charge", 1500, 35, "pi_stranger")]);
    let second = event(
        "evt_po_b",
        "payout.paid",
        json!({"id": "po_b", "object": "payout", "amount": 1000, "arrival_date": now()}),
    );
    assert_eq!(signed(&w, &second).await, "payout_mismatch");

    let report = stripe_report_today(&w, &c.finance).await;
    let b = &report.body;
    let payouts: Vec<(&Value, &Value, &Value, &Value)> = b["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (&p["payout_id"], &p["lines"], &p["matched_lines"], &p["adds_up"]))
        .collect();
    assert_eq!(
        payouts,
        [
            (&json!("po_a"), &json!(1), &json!(1), &json!(true)),
            (&json!("po_b"), &json!(1), &json!(0), &json!(false)),
        ],
        "{}",
        report.text
    );
    assert_eq!(
        (&b["payouts_cents"], &b["fees_cents"], &b["online_sales_cents"]),
        (&json!(3930), &json!(105), &json!(4500)),
        "{}",
        report.text
    );
    let mut mismatches: Vec<(String, String, i64)> = b["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let text = |k: &str| m[k].as_str().unwrap().to_owned();
            (text("kind"), text("reference"), m["amount_cents"].as_i64().unwrap())
        })
        .collect();
    mismatches.sort();
    assert_eq!(
        mismatches,
        [
            (
                "cheques_without_payment".to_owned(),
                format!("sale {unpaid_sale}"),
                1500
            ),
            ("payout_total".to_owned(), "po_b".to_owned(), -465),
            ("unknown_payment".to_owned(), "txn_b".to_owned(), 1500),
        ],
        "{}",
        report.text
    );
}
