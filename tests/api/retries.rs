//! A money request sent again after its answer was lost (a phone on a bad network, a
//! counter screen that timed out) with its `Idempotency-Key` gets the first answer, and
//! the money moves once: confirming a job (which pays it), settling a dispute, paying with
//! paper cheques, voiding, refunding and extending a cheque, opening and closing the cash
//! drawer.
//! Without the key the second request is refused as what it is, a second one. (A refund
//! Stripe made that finance settles: tests/api/stripe_refunds.rs; an online refund:
//! tests/api/online.rs.)

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::cheques::{Counter, counter, performed_job, resident, sell, serials};
use crate::helpers::{Reply, World, create_participant, world};

async fn keyed(w: &World, path: &str, token: &str, key: &str, body: Value) -> Reply {
    let request = w
        .app
        .client
        .post(w.app.url(path))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&body);
    w.app.send(request).await
}

/// The accounts of the trial balance, which must balance.
async fn books(w: &World, c: &Counter) -> Value {
    crate::cheques::assert_books(w, c).await["accounts"].clone()
}

/// Sends `body` to `path` with `key` twice: the retry gets the first answer, replayed,
/// and the books do not move. Returns the first answer.
async fn sent_twice(w: &World, c: &Counter, path: &str, token: &str, key: &str, body: Value) -> Reply {
    let first = keyed(w, path, token, key, body.clone()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let before = books(w, c).await;
    let retry = keyed(w, path, token, key, body).await;
    assert_eq!(retry.status, 200, "{}", retry.text);
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(books(w, c).await, before, "a retry moves no money");
    first
}

/// A 70-plus resident holding `cheques` reduced cheques of an hour, and a job of an hour
/// performed for her and waiting for her confirmation: the counter, her id and the job's.
async fn performed_for_oma(w: &World, name: &str, house: &str, cheques: i64) -> (Counter, i64, i64) {
    let c = counter(w).await;
    let seventy_one = servicepunt::clock::today() - chrono::Duration::days(71 * 366);
    let oma = resident(w, name, Some(&seventy_one.to_string()), house).await;
    assert_eq!(sell(w, &c, oma, cheques, "cash").await.status, 201);
    let worker = create_participant(&w.app, &w.coordinator, &format!("Werker bij {name}"), "solo_klus").await;
    let job = performed_job(w, oma, worker, 1, 60).await;
    (c, oma, job)
}

#[actix_web::test]
async fn a_retried_confirmation_or_counter_payment_gets_the_first_answer_and_pays_once() {
    let w = world().await;
    let (c, oma, job) = performed_for_oma(&w, "Oma Opnieuw", "1", 3).await;
    let confirm = format!("/api/v1/jobs/{job}/confirm");
    let first = sent_twice(&w, &c, &confirm, &w.werkleider, "bevestig-1", json!({})).await;
    assert_eq!(first.body["status"], "settled", "{}", first.text);
    let wallet = w
        .app
        .get(&format!("/api/v1/residents/{oma}/cheques"), Some(&c.finance))
        .await;
    assert_eq!(wallet.body["balance_minutes"], 120, "one cheque spent: {}", wallet.text);
    w.app
        .post(&confirm, Some(&w.werkleider), json!({}))
        .await
        .assert_problem(409, "invalid_transition");

    // Paper cheques of a neighbour (regular ones pass from hand to hand) pay Piet's job.
    let buur = resident(&w, "Buur Bram", Some("1980-02-02"), "2").await;
    let piet = resident(&w, "Piet Zonder", Some("1979-03-03"), "3").await;
    let paper = serials(&sell(&w, &c, buur, 2, "pin").await.body);
    let worker = create_participant(&w.app, &w.coordinator, "Werker Wouter", "solo_klus").await;
    let job = performed_job(&w, piet, worker, 3, 60).await;
    // The same key for another job is another request.
    let confirm = format!("/api/v1/jobs/{job}/confirm");
    keyed(&w, &confirm, &w.werkleider, "bevestig-1", json!({}))
        .await
        .assert_problem(422, "idempotency_key_reused");
    let waiting = w.app.post(&confirm, Some(&w.werkleider), json!({})).await;
    assert_eq!(waiting.body["status"], "confirmed", "{}", waiting.text);
    let redeem = format!("/api/v1/jobs/{job}/redeem");
    let body = json!({"serials": [paper[0]]});
    let paid = sent_twice(&w, &c, &redeem, &c.finance, "papier-1", body.clone()).await;
    assert_eq!(paid.body["status"], "settled", "{}", paid.text);
    let used = w.app.post(&redeem, Some(&c.finance), body).await;
    assert_eq!(used.status, 409, "{}", used.text);
}

#[actix_web::test]
async fn a_retried_void_or_refund_at_the_counter_moves_the_money_once() {
    let w = world().await;
    let c = counter(&w).await;
    let jan = resident(&w, "Jan Terug", Some("1970-05-05"), "4").await;
    let cheques = serials(&sell(&w, &c, jan, 3, "cash").await.body);

    let void = format!("/api/v1/cheques/{}/void", cheques[0]);
    let body = json!({"reason": "Misdruk", "cash_session_id": c.session});
    let voided = sent_twice(&w, &c, &void, &c.finance, "vervallen-1", body.clone()).await;
    assert_eq!(voided.body["status"], "void", "{}", voided.text);
    assert_eq!(w.app.post(&void, Some(&c.finance), body).await.status, 409);

    let refund = format!("/api/v1/cheques/{}/refund", cheques[1]);
    let body = json!({"method": "cash", "reason": "Verhuist", "cash_session_id": c.session});
    let refunded = sent_twice(&w, &c, &refund, &c.finance, "terug-1", body.clone()).await;
    assert_eq!(refunded.body["status"], "refunded", "{}", refunded.text);
    w.app
        .post(&refund, Some(&c.finance), body.clone())
        .await
        .assert_problem(409, "cheque_not_refundable");
    // The key names one request: the same body for another cheque is refused.
    let other = format!("/api/v1/cheques/{}/refund", cheques[2]);
    keyed(&w, &other, &c.finance, "terug-1", body)
        .await
        .assert_problem(422, "idempotency_key_reused");

    // At the end of the day the drawer is counted and the session closed.
    let close = format!("/api/v1/cash-sessions/{}/close", c.session);
    let body = json!({"counted_cents": 5000});
    let closed = sent_twice(&w, &c, &close, &c.finance, "kas-dicht-1", body.clone()).await;
    assert_eq!(closed.body["counted_cents"], 5000, "{}", closed.text);
    w.app
        .post(&close, Some(&c.finance), body)
        .await
        .assert_problem(409, "session_closed");
}

#[actix_web::test]
async fn a_retried_extension_brings_an_expired_cheque_back_once() {
    let w = world().await;
    let c = counter(&w).await;
    let els = resident(&w, "Els Verlengd", Some("1970-06-06"), "5").await;
    let serial = serials(&sell(&w, &c, els, 1, "cash").await.body).remove(0);
    let sold = books(&w, &c).await;
    // Its last day was yesterday, and the daily run made it breakage.
    let today = servicepunt::clock::today();
    let s = serial.clone();
    let expired = w
        .app
        .db(move |conn| {
            use diesel::prelude::*;
            use servicepunt::db::schema::cheques::dsl;
            diesel::update(dsl::cheques.filter(dsl::serial.eq(&s)))
                .set(dsl::valid_until.eq(today - chrono::Duration::days(1)))
                .execute(conn)
                .unwrap();
            servicepunt::db::write_tx(conn, |c| {
                servicepunt::cheques::expiry::run(c, today, servicepunt::db::now())
            })
            .unwrap()
        })
        .await;
    assert_eq!(expired.0, 1);
    assert_ne!(books(&w, &c).await, sold, "the expiry is in the books");

    let extend = format!("/api/v1/cheques/{serial}/extend");
    let until = (today + chrono::Duration::days(365)).to_string();
    let body = json!({"until": until, "reason": "Ziek geweest"});
    let back = sent_twice(&w, &c, &extend, &c.finance, "verleng-1", body.clone()).await;
    assert_eq!(
        (&back.body["status"], &back.body["valid_until"]),
        (&json!("sold"), &json!(until))
    );
    assert_eq!(books(&w, &c).await, sold, "the breakage reversed once");
    // Without the key a second request is one: the last day is already that day.
    let again = w.app.post(&extend, Some(&c.finance), body).await;
    again.assert_problem(422, "validation_failed");
    assert_eq!(again.body["errors"][0]["code"], "not_later");
}

/// A counter screen that opens the drawer and sends it again (a double click, an answer
/// lost) with its key gets the drawer it opened: one session, one float to count.
#[actix_web::test]
async fn a_retried_opening_of_the_drawer_opens_one_session() {
    let w = world().await;
    let c = counter(&w).await;
    let path = "/api/v1/cash-sessions";
    let body = json!({"float_cents": 7500});
    let key = "open-drawer-monday-1";
    let first = keyed(&w, path, &c.finance, key, body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let retry = keyed(&w, path, &c.finance, key, body).await;
    assert_eq!(retry.status, 201, "{}", retry.text);
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(retry.headers["location"], first.headers["location"]);
    let open = w.app.get("/api/v1/cash-sessions?open=true", Some(&c.finance)).await;
    let ids: Vec<&Value> = open.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["id"])
        .collect();
    assert_eq!(
        ids,
        [&first.body["id"], &json!(c.session)],
        "newest first: {}",
        open.text
    );
    // The same key for another float is another request, not a retry.
    keyed(&w, path, &c.finance, key, json!({"float_cents": 100}))
        .await
        .assert_problem(422, "idempotency_key_reused");
}

#[actix_web::test]
async fn a_retried_settlement_of_a_dispute_gets_the_first_answer() {
    let w = world().await;
    let (c, _, job) = performed_for_oma(&w, "Oma Onenig", "5", 2).await;
    let disputed = w
        .app
        .post(
            &format!("/api/v1/jobs/{job}/dispute"),
            Some(&w.werkleider),
            json!({"reason": "Een uur te veel"}),
        )
        .await;
    assert_eq!(disputed.body["status"], "disputed", "{}", disputed.text);
    let resolve = format!("/api/v1/jobs/{job}/resolve");
    let body = json!({"note": "Uren kloppen, nagevraagd bij de deelnemer"});
    let settled = sent_twice(&w, &c, &resolve, &w.werkleider, "besluit-1", body.clone()).await;
    assert_eq!(settled.body["status"], "settled", "{}", settled.text);
    w.app
        .post(&resolve, Some(&w.werkleider), body)
        .await
        .assert_problem(409, "invalid_transition");
}

/// Twenty taps on "confirm" at once with one key: one payment, and every tap gets its
/// answer (on PostgreSQL the later ones wait for the first on the key, then replay it).
#[actix_web::test]
async fn one_key_sent_twenty_times_at_once_confirms_and_pays_once() {
    let w = world().await;
    let (c, oma, job) = performed_for_oma(&w, "Oma Haastig", "6", 2).await;
    let path = format!("/api/v1/jobs/{job}/confirm");
    let replies = join_all((0..20).map(|_| keyed(&w, &path, &w.werkleider, "een-tik", json!({})))).await;
    for r in &replies {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body, replies[0].body);
    }
    let replayed = replies
        .iter()
        .filter(|r| r.headers.get("idempotent-replayed").is_some())
        .count();
    assert_eq!(replayed, 19);
    let wallet = w
        .app
        .get(&format!("/api/v1/residents/{oma}/cheques"), Some(&c.finance))
        .await;
    assert_eq!(wallet.body["balance_minutes"], 60, "{}", wallet.text);
    books(&w, &c).await;
}
