//! Buying cheques online: a Checkout Session at a local mock of Stripe, cheques issued
//! once by a signed webhook however often it is delivered, nothing written on a bad
//! signature, refunds back through Stripe, payouts to the bank, and clean errors when
//! Stripe fails or is not configured.

use futures_util::future::join_all;
use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::cheques::{Counter, assert_books, counter, serials};
use crate::helpers::{World, count_rows, world, world_with};
use crate::stripe_mock::{Mode, StripeMock, event, stripe_signature, transaction};

pub const SECRET: &str = "whsec_test_servicepunt";

pub async fn online_world() -> (World, StripeMock) {
    let mock = StripeMock::start().await;
    let base = mock.base.clone();
    let w = world_with(move |s| {
        s.stripe_secret_key = Some("sk_test_servicepunt".into());
        s.stripe_webhook_secret = Some(SECRET.into());
        s.stripe_api_base = Some(base);
        s.stripe_timeout_secs = 1;
    })
    .await;
    (w, mock)
}

pub async fn deliver(w: &World, body: &str, signature: &str) -> crate::helpers::Reply {
    w.app
        .send(
            w.app
                .client
                .post(w.app.url("/api/v1/webhooks/stripe"))
                .header("Stripe-Signature", signature)
                .header("Content-Type", "application/json")
                .body(body.to_owned()),
        )
        .await
}

/// Today's Stripe reconciliation, as finance asks for it; answered 200.
pub async fn stripe_report_today(w: &World, finance: &str) -> crate::helpers::Reply {
    let today = servicepunt::clock::today();
    let report = w
        .app
        .get(
            &format!("/api/v1/finance/stripe-reconciliation?from={today}&to={today}"),
            Some(finance),
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    report
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub async fn checkout(w: &World, token: &str, c: &Counter, quantity: i64, key: &str) -> crate::helpers::Reply {
    w.app
        .send(
            w.app
                .client
                .post(w.app.url("/api/v1/checkout-sessions"))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&json!({"product_id": c.product, "quantity": quantity})),
        )
        .await
}

/// Whom the receipts were mailed to, in the order they were queued.
async fn receipts_to(w: &World) -> Vec<String> {
    let receipts = crate::planned_work::mails(w, "cheque_receipt").await;
    receipts.into_iter().map(|(to, _)| to).collect()
}

async fn count(w: &World, table: &'static str) -> i64 {
    count_rows(&w.app, format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}")).await
}

#[actix_web::test]
async fn a_paid_checkout_issues_its_cheques_once_however_often_stripe_says_so() {
    let (w, mock) = online_world().await;
    let c = counter(&w).await;
    let (token, resident, _) = w.app.register_resident("online@example.nl").await;

    // The resident starts a checkout; a retry with the same key is the same checkout.
    let started = checkout(&w, &token, &c, 2, "buy-1").await;
    assert_eq!(started.status, 201, "{}", started.text);
    assert_eq!(started.body["checkout"]["total_cents"], 3000);
    assert_eq!(started.body["checkout"]["status"], "open");
    assert!(
        started.body["url"]
            .as_str()
            .unwrap()
            .starts_with("https://checkout.stripe.test/")
    );
    let again = checkout(&w, &token, &c, 2, "buy-1").await;
    assert_eq!(again.body["checkout"]["id"], started.body["checkout"]["id"]);
    let calls = mock.seen();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].path, "/v1/checkout/sessions");
    assert_eq!(
        calls[0].idempotency_key, calls[1].idempotency_key,
        "our key is passed to Stripe"
    );
    assert_eq!(calls[0].authorization.as_deref(), Some("Bearer sk_test_servicepunt"));
    let reference = started.body["checkout"]["reference"].as_str().unwrap().to_owned();
    for expected in [
        "mode=payment",
        "line_items[0][price_data][unit_amount]=1500",
        "line_items[0][price_data][currency]=eur",
        "line_items[0][quantity]=2",
        "allowed_payment_method_types[0]=ideal",
        "allowed_payment_method_types[1]=card",
    ] {
        assert!(calls[0].body.contains(expected), "{expected} in {}", calls[0].body);
    }
    assert!(
        calls[0].body.contains(&format!("metadata[reference]={reference}")),
        "{}",
        calls[0].body
    );
    // Stripe expires the payment page after an hour (rounded up to ten minutes), not its
    // default day, and the checkout says until when it can be paid.
    let expires_at: i64 = calls[0]
        .body
        .split('&')
        .find_map(|p| p.strip_prefix("expires_at="))
        .unwrap_or_else(|| panic!("no expires_at in {}", calls[0].body))
        .parse()
        .unwrap();
    let ahead = expires_at - now();
    assert!((3590..=4210).contains(&ahead), "expires {ahead} s ahead");
    let payable_until = chrono::DateTime::from_timestamp(expires_at, 0).unwrap();
    assert_eq!(
        started.body["checkout"]["payable_until"],
        json!(payable_until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        "{}",
        started.text
    );
    // Nothing is sold before Stripe says paid.
    assert_eq!(count(&w, "cheques").await, 0);

    // The same signed event, delivered ten times at once, issues the cheques once.
    let session = started.body["checkout"]["stripe_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = event(
        "evt_paid_1",
        "checkout.session.completed",
        json!({"id": session, "object": "checkout.session", "payment_status": "paid", "amount_total": 3000,
               "payment_intent": "pi_test_1", "metadata": {"reference": reference},
               "customer_details": {"email": "online@example.nl", "name": "Anna de Vries"}}),
    );
    let signature = stripe_signature(SECRET, now(), &body);
    let replies = join_all((0..10).map(|_| deliver(&w, &body, &signature))).await;
    let mut outcomes: Vec<String> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{}", r.text);
            r.body["outcome"].as_str().unwrap().to_owned()
        })
        .collect();
    outcomes.sort();
    assert_eq!(outcomes.iter().filter(|o| *o == "issued").count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| *o == "duplicate").count(), 9, "{outcomes:?}");
    assert_eq!(count(&w, "cheques").await, 2);
    let wallet = w.app.get("/api/v1/me/cheques", Some(&token)).await;
    assert_eq!(wallet.body["balance_minutes"], 120, "{}", wallet.text);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["stripe_clearing"], 3000);
    // The receipt with the serials goes to the resident.
    let mailed: Vec<String> = receipts_to(&w).await;
    assert_eq!(mailed, vec!["online@example.nl".to_owned()]);

    // Forged, stale or tampered deliveries are refused and write nothing.
    let events_before = count(&w, "stripe_events").await;
    let other = event(
        "evt_paid_2",
        "checkout.session.completed",
        json!({"id": session, "payment_status": "paid", "amount_total": 3000}),
    );
    for (body, signature) in [
        (other.clone(), stripe_signature("whsec_forged", now(), &other)),
        (other.clone(), stripe_signature(SECRET, now() - 600, &other)),
        (other.replace("3000", "1"), stripe_signature(SECRET, now(), &other)),
        (other.clone(), String::new()),
        // The furthest past a timestamp can name: a stale delivery, not an overflow.
        (other.clone(), format!("t={},v1=00", i64::MIN)),
    ] {
        let refused = deliver(&w, &body, &signature).await;
        refused.assert_problem(400, "invalid_signature");
    }
    assert_eq!(count(&w, "stripe_events").await, events_before);
    assert_eq!(count(&w, "cheques").await, 2);

    // An event for a session we do not know is kept for finance.
    let stranger = event(
        "evt_unknown",
        "checkout.session.completed",
        json!({"id": "cs_somewhere_else", "payment_status": "paid", "amount_total": 999}),
    );
    let kept = deliver(&w, &stranger, &stripe_signature(SECRET, now(), &stranger)).await;
    assert_eq!(kept.body["outcome"], "unmatched", "{}", kept.text);
    assert_eq!(count(&w, "stripe_events").await, events_before + 1);

    // Refunding an online cheque goes back through Stripe.
    let serials = serials(&wallet.body);
    w.app
        .post(
            &format!("/api/v1/cheques/{}/refund", serials[0]),
            Some(&c.finance),
            json!({"method": "cash", "reason": "Verhuist"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    // With a key, as a counter screen sends it: a retry after a lost answer gets the
    // first answer and asks Stripe nothing more.
    let refund = || {
        w.app.send(
            w.app
                .client
                .post(w.app.url(&format!("/api/v1/cheques/{}/refund", serials[0])))
                .bearer_auth(&c.finance)
                .header("Idempotency-Key", "terug-online-1")
                .json(&json!({"method": "online", "reason": "Verhuist"})),
        )
    };
    let refunded = refund().await;
    assert_eq!(refunded.body["status"], "refunded", "{}", refunded.text);
    let retried = refund().await;
    assert_eq!(retried.body, refunded.body);
    assert_eq!(retried.headers["idempotent-replayed"], "true");
    let refund_calls: Vec<_> = mock.seen().into_iter().filter(|s| s.path == "/v1/refunds").collect();
    assert_eq!(refund_calls.len(), 1);
    let refund_call = &refund_calls[0];
    assert!(
        refund_call.body.contains("payment_intent=pi_test_1"),
        "{}",
        refund_call.body
    );
    assert!(refund_call.body.contains("amount=1500"), "{}", refund_call.body);
    // Stripe then reports the refund we made: nothing more happens.
    let ours = event(
        "evt_refund_ours",
        "charge.refunded",
        json!({"id": "ch_1", "object": "charge", "payment_intent": "pi_test_1", "amount_refunded": 1500}),
    );
    let known = deliver(&w, &ours, &stripe_signature(SECRET, now(), &ours)).await;
    assert_eq!(known.body["outcome"], "refund_known", "{}", known.text);
    // A refund made in Stripe's dashboard refunds the other cheque.
    let dashboard = event(
        "evt_refund_dashboard",
        "charge.refunded",
        json!({"id": "ch_1", "object": "charge", "payment_intent": "pi_test_1", "amount_refunded": 3000}),
    );
    let done = deliver(&w, &dashboard, &stripe_signature(SECRET, now(), &dashboard)).await;
    assert_eq!(done.body["outcome"], "refunded", "{}", done.text);
    let state = w
        .app
        .get(&format!("/api/v1/cheques/{}", serials[1]), Some(&c.finance))
        .await;
    assert_eq!(state.body["status"], "refunded", "{}", state.text);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["stripe_clearing"], 0);
    assert_eq!(books["accounts"]["cheque_liability"], 0);

    // A payout moves money from Stripe to the bank; what it contains is asked of Stripe,
    // matched to our payments, and its fees booked.
    mock.set_transactions(vec![
        transaction("txn_charge", "charge", 3000, 70, "pi_test_1"),
        transaction("txn_refund", "refund", -1500, 0, "pi_test_1"),
        transaction("txn_stranger", "charge", 500, 20, "pi_not_ours"),
    ]);
    let payout = event(
        "evt_payout",
        "payout.paid",
        json!({"id": "po_1", "object": "payout", "amount": 1910, "arrival_date": now()}),
    );
    let paid_out = deliver(&w, &payout, &stripe_signature(SECRET, now(), &payout)).await;
    assert_eq!(paid_out.body["outcome"], "payout_recorded", "{}", paid_out.text);
    let listed = mock
        .seen()
        .into_iter()
        .find(|s| s.path == "/v1/balance_transactions")
        .unwrap();
    assert!(listed.query.contains("payout=po_1"), "{}", listed.query);
    assert!(listed.query.contains("expand[0]=data.source"), "{}", listed.query);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["bank"], 1910);
    assert_eq!(books["accounts"]["payment_fees"], 90);
    // Delivered again while Stripe is down: answered as seen, Stripe not asked, booked once.
    mock.set_mode(Mode::Error500);
    let asked = mock.seen().len();
    let again = deliver(&w, &payout, &stripe_signature(SECRET, now(), &payout)).await;
    assert_eq!(again.body["outcome"], "duplicate", "{}", again.text);
    assert_eq!(mock.seen().len(), asked);
    mock.set_mode(Mode::Normal);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["bank"], 1910);
    let report = stripe_report_today(&w, &c.finance).await;
    let p = &report.body["payouts"][0];
    assert_eq!(p["payout_id"], "po_1");
    assert_eq!((p["lines"].as_i64(), p["matched_lines"].as_i64()), (Some(3), Some(2)));
    assert_eq!(p["adds_up"], true);
    assert_eq!(report.body["fees_cents"], 90);
    assert_eq!(report.body["online_sales_cents"], 3000);
    let kinds: Vec<(&str, &str)> = report.body["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["kind"].as_str().unwrap(), m["reference"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("unknown_payment", "txn_stranger")), "{kinds:?}");
    assert!(
        kinds.contains(&("paid_without_cheques", "cs_somewhere_else")),
        "{kinds:?}"
    );
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    let _ = resident;
}

#[actix_web::test]
async fn stripe_failing_leaves_no_checkout_and_says_so() {
    let (w, mock) = online_world().await;
    let c = counter(&w).await;
    let (token, _, _) = w.app.register_resident("failing@example.nl").await;
    mock.set_mode(Mode::Error500);
    checkout(&w, &token, &c, 1, "fail-1")
        .await
        .assert_problem(502, "payment_provider_error");
    mock.set_mode(Mode::Slow);
    let slow = checkout(&w, &token, &c, 1, "slow-1").await;
    slow.assert_problem(503, "payments_unavailable");
    assert_eq!(
        slow.headers["retry-after"], "30",
        "a passing fault says when to try again"
    );
    assert_eq!(count(&w, "checkouts").await, 0);
    assert_eq!(count(&w, "cheque_sales").await, 0);
    // Bad input is refused before Stripe is asked.
    mock.set_mode(Mode::Normal);
    let asked = mock.seen().len();
    let bad: Value = json!({"product_id": c.product, "quantity": 0});
    w.app
        .post("/api/v1/checkout-sessions", Some(&token), bad)
        .await
        .assert_problem(422, "validation_failed");
    let stranger = w
        .app
        .post(
            "/api/v1/residents",
            Some(&w.werkleider),
            crate::helpers::resident_body("Vreemde", "6711 AB"),
        )
        .await;
    let refused = w
        .app
        .post(
            "/api/v1/checkout-sessions",
            Some(&token),
            json!({"product_id": c.product, "quantity": 1, "resident_id": stranger.body["id"]}),
        )
        .await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(mock.seen().len(), asked);
}

#[actix_web::test]
async fn without_stripe_keys_online_payment_is_unavailable_and_the_rest_works() {
    let w = world().await;
    let c = counter(&w).await;
    let (token, _, _) = w.app.register_resident("nokeys@example.nl").await;
    let refused = checkout(&w, &token, &c, 1, "k").await;
    refused.assert_problem(503, "payments_unavailable");
    assert!(
        refused.headers.get("retry-after").is_none(),
        "trying again will not help"
    );
    let body = event("evt_x", "checkout.session.completed", json!({"id": "cs_x"}));
    deliver(&w, &body, &stripe_signature(SECRET, now(), &body))
        .await
        .assert_problem(503, "payments_unavailable");
    let finance = w.app.token_for(Role::Finance).await;
    assert_eq!(w.app.get("/api/v1/cheque-products", Some(&finance)).await.status, 200);
}

#[actix_web::test]
async fn a_daughter_buys_for_her_mother_and_both_get_the_receipt() {
    let (w, _mock) = online_world().await;
    let c = counter(&w).await;
    let (mother_token, mother, _) = w.app.register_resident("moeder.online@example.nl").await;
    let (daughter_token, _, _) = w.app.register_resident("dochter.online@example.nl").await;
    w.app
        .grant_proxy(mother, &mother_token, "dochter.online@example.nl")
        .await;
    let started = w
        .app
        .post(
            "/api/v1/checkout-sessions",
            Some(&daughter_token),
            json!({"product_id": c.product, "quantity": 1, "resident_id": mother}),
        )
        .await;
    assert_eq!(started.status, 201, "{}", started.text);
    assert_eq!(started.body["checkout"]["resident_id"], mother);
    let session = started.body["checkout"]["stripe_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = event(
        "evt_family",
        "checkout.session.async_payment_succeeded",
        json!({"id": session, "payment_status": "paid", "amount_total": 1500, "payment_intent": "pi_family"}),
    );
    let reply = deliver(&w, &body, &stripe_signature(SECRET, now(), &body)).await;
    assert_eq!(reply.body["outcome"], "issued", "{}", reply.text);
    // The cheques are the mother's; the receipt goes to her and to her daughter.
    let wallet = w.app.get("/api/v1/me/cheques", Some(&mother_token)).await;
    assert_eq!(wallet.body["cheques"].as_array().unwrap().len(), 1, "{}", wallet.text);
    let own = w.app.get("/api/v1/me/cheques", Some(&daughter_token)).await;
    assert_eq!(
        own.body["cheques"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "{}",
        own.text
    );
    let mut mailed: Vec<String> = receipts_to(&w).await;
    mailed.sort();
    assert_eq!(mailed, ["dochter.online@example.nl", "moeder.online@example.nl"]);
}
