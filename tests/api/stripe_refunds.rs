//! Refunds made in Stripe's dashboard: what is a whole number of the purchase's unused
//! cheques is booked as their refund; what is not (part of a cheque, a payment not ours)
//! is listed for finance in the Stripe reconciliation, to the cent, once, until finance
//! settles it.

use serde_json::{Value, json};

use crate::cheques::{Counter, assert_books, counter};
use crate::helpers::World;
use crate::online::{SECRET, checkout, deliver, now, online_world, stripe_report_today};
use crate::stripe_mock::{event, stripe_signature};

/// A `charge.refunded` report of `charge` with `total` refunded so far.
fn refund_report(id: &str, charge: &str, payment_intent: &str, total: i64) -> String {
    event(
        id,
        "charge.refunded",
        json!({"id": charge, "object": "charge", "payment_intent": payment_intent, "amount_refunded": total}),
    )
}

/// Delivers the reports, each signed; their outcomes.
pub async fn report(w: &World, reports: &[(&str, &str, &str, i64)]) -> Vec<String> {
    let mut outcomes = Vec::new();
    for (id, charge, pi, total) in reports {
        let body = refund_report(id, charge, pi, *total);
        let reply = deliver(w, &body, &stripe_signature(SECRET, now(), &body)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        outcomes.push(reply.body["outcome"].as_str().unwrap().to_owned());
    }
    outcomes
}

/// The refunds the Stripe reconciliation lists as not booked: (charge, cents), by charge.
async fn not_booked(w: &World, finance: &str) -> Vec<(String, i64)> {
    let report = stripe_report_today(w, finance).await;
    let mismatches = report.body["mismatches"].as_array().unwrap().iter();
    let mut listed: Vec<(String, i64)> = mismatches
        .filter(|m| m["kind"] == "refund_not_booked")
        .map(|m| {
            (
                m["reference"].as_str().unwrap().to_owned(),
                m["amount_cents"].as_i64().unwrap(),
            )
        })
        .collect();
    listed.sort();
    listed
}

/// Two € 15 cheques bought online and paid (payment `pi_deels`); the buyer's token.
pub async fn paid_purchase(w: &World, c: &Counter) -> String {
    let (token, _, _) = w.app.register_resident("deels@example.nl").await;
    let started = checkout(w, &token, c, 2, "deels-1").await;
    let session = started.body["checkout"]["stripe_session_id"].as_str().unwrap();
    let paid = event(
        "evt_paid",
        "checkout.session.completed",
        json!({"id": session, "payment_status": "paid", "amount_total": 3000, "payment_intent": "pi_deels"}),
    );
    let issued = deliver(w, &paid, &stripe_signature(SECRET, now(), &paid)).await;
    assert_eq!(issued.body["outcome"], "issued", "{}", issued.text);
    token
}

pub async fn settle(w: &World, c: &Counter, charge: &str, note: &str) -> crate::helpers::Reply {
    w.app
        .post(
            &format!("/api/v1/finance/stripe-refunds/{charge}/settle"),
            Some(&c.finance),
            json!({"note": note}),
        )
        .await
}

#[actix_web::test]
async fn a_refund_that_is_not_whole_cheques_is_listed_for_finance_until_it_is() {
    let (w, _mock) = online_world().await;
    let c = counter(&w).await;
    let token = paid_purchase(&w, &c).await;

    // € 20 refunded in the dashboard: one cheque (€ 15) is refunded, € 5 is not booked;
    // reported again, still € 5. A refund of a payment not ours is not booked at all.
    let outcomes = report(
        &w,
        &[
            ("evt_r1", "ch_1", "pi_deels", 2000),
            ("evt_r1_again", "ch_1", "pi_deels", 2000),
            ("evt_stranger", "ch_2", "pi_elsewhere", 700),
        ],
    )
    .await;
    assert_eq!(outcomes, ["refund_unmatched", "refund_unmatched", "unmatched"]);
    let expected = |ch_1: i64| vec![("ch_1".to_owned(), ch_1), ("ch_2".to_owned(), 700)];
    assert_eq!(not_booked(&w, &c.finance).await, expected(500));
    // The books know of one cheque refunded: € 15 at Stripe, where € 10 is.
    assert_eq!(assert_books(&w, &c).await["accounts"]["stripe_clearing"], 1500);

    // € 10 more (€ 30 in all) makes up the other cheque: nothing is left over. € 2 more
    // after that is left over again, and a late report of the old total changes nothing.
    let outcomes = report(&w, &[("evt_r2", "ch_1", "pi_deels", 3000)]).await;
    assert_eq!(outcomes, ["refunded"]);
    let rest = not_booked(&w, &c.finance).await;
    assert_eq!(rest, [("ch_2".to_owned(), 700)]);
    let outcomes = report(
        &w,
        &[
            ("evt_r3", "ch_1", "pi_deels", 3200),
            ("evt_r_late", "ch_1", "pi_deels", 2000),
        ],
    )
    .await;
    assert_eq!(outcomes, ["refund_unmatched", "refund_unmatched"]);
    assert_eq!(not_booked(&w, &c.finance).await, expected(200));

    let wallet = w.app.get("/api/v1/me/cheques", Some(&token)).await;
    let statuses: Vec<&Value> = wallet.body["cheques"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["status"])
        .collect();
    assert_eq!(statuses, [&json!("refunded"), &json!("refunded")], "{}", wallet.text);
    // The books hold both cheques refunded, so nothing at Stripe; Stripe paid back € 2
    // more, which its next payout will lack. The reconciliation is where finance sees it.
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["stripe_clearing"], 0);
    assert_eq!(books["accounts"]["cheque_liability"], 0);
}

#[actix_web::test]
async fn finance_settles_goodwill_out_of_stripe_clearing_and_a_stranger_without_booking() {
    let (w, _mock) = online_world().await;
    let c = counter(&w).await;
    paid_purchase(&w, &c).await;
    // € 20 given back of a € 30 purchase: one cheque refunded, € 5 goodwill; and € 7 of
    // a payment not ours.
    report(
        &w,
        &[
            ("evt_r1", "ch_1", "pi_deels", 2000),
            ("evt_stranger", "ch_2", "pi_elsewhere", 700),
        ],
    )
    .await;
    let listed = vec![("ch_1".to_owned(), 500), ("ch_2".to_owned(), 700)];
    assert_eq!(not_booked(&w, &c.finance).await, listed);

    // Without a reason, or for a charge never reported, nothing happens.
    let no_note = settle(&w, &c, "ch_1", "  ").await;
    assert_eq!(no_note.error_fields(), ["note"], "{}", no_note.text);
    settle(&w, &c, "ch_unknown", "?").await.assert_problem(404, "not_found");
    assert_eq!(not_booked(&w, &c.finance).await, listed);

    // Sent with a key, as the back office's screen does, and again after a lost answer:
    // the first answer, booked once.
    let keyed = || {
        let path = "/api/v1/finance/stripe-refunds/ch_1/settle";
        w.app.send(
            w.app
                .client
                .post(w.app.url(path))
                .bearer_auth(&c.finance)
                .header("Idempotency-Key", "coulance-1")
                .json(&json!({"note": "Coulance: afgesproken met mevrouw."})),
        )
    };
    let goodwill = keyed().await;
    assert_eq!(goodwill.status, 200, "{}", goodwill.text);
    let retried = keyed().await;
    assert_eq!((retried.status, &retried.body), (goodwill.status, &goodwill.body));
    assert_eq!(retried.headers["idempotent-replayed"], "true");
    assert_eq!(goodwill.body["settled_as"], "goodwill");
    assert_eq!(goodwill.body["amount_cents"], 500);
    assert!(goodwill.body["journal_entry_id"].is_i64(), "{}", goodwill.text);
    settle(&w, &c, "ch_1", "Nog eens")
        .await
        .assert_problem(409, "nothing_to_settle");
    // Out of Stripe clearing (€ 15 left of € 30 less € 15 refunded, less € 5) into goodwill.
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["stripe_clearing"], 1000);
    assert_eq!(books["accounts"]["goodwill"], 500);

    let stranger = settle(&w, &c, "ch_2", "Betaling van de kerstmarkt, niet van ons.").await;
    assert_eq!(stranger.status, 200, "{}", stranger.text);
    assert_eq!(stranger.body["settled_as"], "not_ours");
    assert_eq!(stranger.body["journal_entry_id"], Value::Null);
    assert_eq!(not_booked(&w, &c.finance).await, []);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["stripe_clearing"], 1000, "not booked");

    // € 10 more given back: what was settled counts as booked, so € 10 is listed, not
    // € 15; € 5 more makes up the other cheque, and nothing is listed or booked twice.
    let outcomes = report(&w, &[("evt_r2", "ch_1", "pi_deels", 3000)]).await;
    assert_eq!(outcomes, ["refund_unmatched"]);
    assert_eq!(not_booked(&w, &c.finance).await, [("ch_1".to_owned(), 1000)]);
    let outcomes = report(&w, &[("evt_r3", "ch_1", "pi_deels", 3500)]).await;
    assert_eq!(outcomes, ["refunded"]);
    assert_eq!(not_booked(&w, &c.finance).await, []);
    // Stripe holds € 30 less € 35 given back; so do the books.
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["stripe_clearing"], -500);
    assert_eq!(books["accounts"]["goodwill"], 500);
    assert_eq!(books["accounts"]["cheque_liability"], 0);
}
