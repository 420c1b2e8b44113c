//! Money: double redemption of paper cheques, reports read while sales commit, closes
//! racing what they close over (a month's postings, a cash session's sales and refunds),
//! reduced sales racing for a yearly cap, duplicate Stripe deliveries, one refund settled
//! many times at once, one wallet paying jobs confirmed at once, a day's price set twice
//! at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Datelike;
use futures_util::future::join_all;
use serde_json::json;
use servicepunt::auth::Role;
use servicepunt::error::ApiError;

use crate::cheques::{assert_books, capped_product, counter, performed_job, performed_order, resident, sell, serials};
use crate::helpers::{count_rows, create_participant, order_body, spawn_app, world};
use crate::online::{SECRET, checkout, deliver, now, online_world};
use crate::stripe_mock::{event, stripe_signature};
use crate::stripe_refunds::{paid_purchase, report, settle};

use super::{answered, assert_all};

#[actix_web::test]
async fn a_paper_cheque_is_redeemed_once_however_many_try_at_once() {
    let w = world().await;
    let c = counter(&w).await;
    let giver = resident(&w, "Gever Geert", Some("1980-01-01"), "20").await;
    let bought = sell(&w, &c, giver, 1, "cash").await;
    let serial = bought.body["cheques"][0]["serial"].as_str().unwrap().to_owned();
    let jobs = confirmed_jobs(&w, 60).await;
    let body = json!({"serials": [serial]});
    let paths: Vec<String> = jobs.iter().map(|j| format!("/api/v1/jobs/{j}/redeem")).collect();
    let replies = join_all(paths.iter().map(|p| w.app.post(p, Some(&c.finance), body.clone()))).await;
    let ok = answered(&replies, 200, 1);
    assert_eq!(ok[0].body["status"], "settled");
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "cheque_already_redeemed");
    }
    assert_books(&w, &c).await;
}

/// Twenty residents' jobs of `minutes` each, performed and confirmed, waiting to be paid.
async fn confirmed_jobs(w: &crate::helpers::World, minutes: i64) -> Vec<i64> {
    let worker = create_participant(&w.app, &w.coordinator, "Werker Wendy", "solo_klus").await;
    let mut jobs = Vec::new();
    for n in 0..20 {
        let r = resident(w, &format!("Bewoner {n}"), Some("1980-01-01"), &format!("{}", 100 + n)).await;
        let job = performed_job(w, r, worker, 1 + n, minutes).await;
        let confirmed = w
            .app
            .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
            .await;
        assert_eq!(confirmed.body["status"], "confirmed");
        jobs.push(job);
    }
    jobs
}

/// Three paper cheques handed in for twenty residents' jobs at once, each naming them in
/// another order: one job is paid with all three, and the others are told the cheques
/// are spent (never a deadlock between two taking them in opposite orders).
#[actix_web::test]
async fn paper_cheques_named_in_any_order_pay_one_job() {
    let w = world().await;
    let c = counter(&w).await;
    let giver = resident(&w, "Gever Gijs", Some("1980-01-01"), "21").await;
    let bought = sell(&w, &c, giver, 3, "cash").await;
    let three: Vec<String> = (0..3)
        .map(|i| bought.body["cheques"][i]["serial"].as_str().unwrap().to_owned())
        .collect();
    let jobs = confirmed_jobs(&w, 180).await;
    let paths: Vec<String> = jobs.iter().map(|j| format!("/api/v1/jobs/{j}/redeem")).collect();
    let replies = join_all(paths.iter().enumerate().map(|(n, path)| {
        let mut serials = three.clone();
        serials.rotate_left(n % 3);
        if n % 2 == 1 {
            serials.reverse();
        }
        w.app.post(path, Some(&c.finance), json!({"serials": serials}))
    }))
    .await;
    let ok = answered(&replies, 200, 1);
    assert_eq!(ok[0].body["status"], "settled");
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "cheque_already_redeemed");
    }
    assert_books(&w, &c).await;
}

/// The trial balance compares the books with the cheques in circulation; read while sales
/// commit, each answer must come from one moment, or finance sees a mismatch that is not
/// there (or misses one that is).
#[actix_web::test]
async fn trial_balances_read_during_sales_agree_with_themselves() {
    let w = world().await;
    let c = counter(&w).await;
    let buyer = resident(&w, "Koper Karel", Some("1940-01-01"), "30").await;
    let tb = "/api/v1/finance/trial-balance";
    let sales = (0..20).map(|_| async {
        let r = sell(&w, &c, buyer, 1, "cash").await;
        assert_eq!(r.status, 201, "{}", r.text);
    });
    let reads = (0..40).map(|_| w.app.get(tb, Some(&c.finance)));
    let (_, answers) = futures_util::join!(join_all(sales), join_all(reads));
    for a in &answers {
        assert_eq!(a.status, 200, "{}", a.text);
        assert_eq!(a.body["balanced"], true, "{}", a.text);
        assert_eq!(a.body["liability_matches_cheques"], true, "{}", a.text);
        assert_eq!(a.body["deferred_subsidy_matches_cheques"], true, "{}", a.text);
    }
    let end = assert_books(&w, &c).await;
    assert_eq!(end["cheques_outstanding_cents"], 20 * 800, "{end}");
}

/// Twenty lanes keep posting entries dated last month until finance's close of that month
/// refuses them: each posting lands before the close and counts in the sums the close
/// keeps, or is refused; none slips in after the sums were taken, where no report of the
/// closed month would ever show it.
#[actix_web::test]
async fn postings_racing_the_close_of_their_month_count_or_are_refused() {
    let app = spawn_app().await;
    let finance = app.token_for(Role::Finance).await;
    let this_month = servicepunt::clock::today().with_day(1).unwrap();
    let last_day = this_month - chrono::Duration::days(1);
    let first_day = last_day.with_day(1).unwrap();
    let month = servicepunt::ledger::periods::month_of(last_day);
    let lanes = (0..20).map(|_| async {
        let mut landed = 0;
        for _ in 0..500 {
            match post_last_month(&app, first_day).await {
                Ok(()) => landed += 1,
                Err(e) => {
                    assert_eq!(e.code(), "period_closed", "{e:?}");
                    return landed;
                }
            }
        }
        panic!("the close never came");
    });
    let close = async {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        let path = format!("/api/v1/finance/periods/{month}/close");
        app.post(&path, Some(&finance), json!({})).await
    };
    let (landed, closed) = futures_util::join!(join_all(lanes), close);
    assert_eq!(closed.status, 204, "{}", closed.text);
    let landed: i64 = landed.iter().sum();
    let booked = count_rows(
        &app,
        format!(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS n FROM journal_lines \
             WHERE account = 'cheque_liability' AND entry_date <= '{last_day}'"
        ),
    )
    .await;
    assert!(landed > 0, "postings ran before the close");
    assert_eq!(booked, -100 * landed, "every posting that landed is in the journal");
    // The whole month: its balance comes from the sums kept when it closed.
    let tb = app
        .get(&format!("/api/v1/finance/trial-balance?on={last_day}"), Some(&finance))
        .await;
    assert_eq!(tb.body["accounts"]["cheque_liability"], booked, "{}", tb.text);
}

/// Five entries dated `day` in one transaction, like a sale of several cheques: the month
/// is checked at the first, and the transaction commits after the last.
async fn post_last_month(app: &crate::helpers::TestApp, day: chrono::NaiveDate) -> Result<(), ApiError> {
    use servicepunt::ledger::{Account, credit, debit, store};
    app.db(move |conn| {
        servicepunt::db::write_tx(conn, |conn| {
            let lines = [debit(Account::PinClearing, 20), credit(Account::ChequeLiability, 20)];
            for _ in 0..5 {
                store::post(conn, day, "cheque_sale", "race", &lines, None, servicepunt::db::now())?;
            }
            Ok(())
        })
    })
    .await
}

/// Twenty desks sell one reduced cheque each to the same 70-plus resident at once, under a
/// yearly cap of four: four sales go through and the others are told the cap is reached.
#[actix_web::test]
async fn reduced_sales_racing_for_the_yearly_cap_stop_at_it() {
    let w = world().await;
    let c = counter(&w).await;
    let capped = capped_product(&w, 4).await;
    let oma = resident(&w, "Oma Olga", Some("1940-01-01"), "40").await;
    let body = json!({"cash_session_id": c.session, "resident_id": oma, "product_id": capped,
                      "quantity": 1, "payment_method": "pin"});
    let replies = join_all((0..20).map(|_| w.app.post("/api/v1/cheque-sales", Some(&c.finance), body.clone()))).await;
    let sold = answered(&replies, 201, 4);
    assert!(sold.iter().all(|r| r.body["tariff"] == "reduced"));
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["code"], "reduced_cap_reached", "{}", r.text);
    }
    assert_books(&w, &c).await;
}

/// Cash sales keep coming while finance closes the session: every sale that went through
/// is in the cash the close expects, and the ones after it are refused.
#[actix_web::test]
async fn cash_sales_racing_the_close_of_their_session_are_all_counted() {
    let w = world().await;
    let c = counter(&w).await;
    let mut buyers = Vec::new();
    for n in 0..20 {
        buyers.push(resident(&w, &format!("Koper {n}"), Some("1980-01-01"), &format!("{}", 50 + n)).await);
    }
    let lanes = buyers.iter().map(|buyer| async {
        for sold in 0..200 {
            let r = sell(&w, &c, *buyer, 1, "cash").await;
            if r.status != 201 {
                r.assert_problem(422, "validation_failed");
                assert_eq!(r.body["errors"][0]["code"], "no_open_session", "{}", r.text);
                return sold;
            }
        }
        panic!("the close never came");
    });
    let close = async {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        let path = format!("/api/v1/cash-sessions/{}/close", c.session);
        w.app.post(&path, Some(&c.finance), json!({"counted_cents": 0})).await
    };
    let (sold, closed) = futures_util::join!(join_all(lanes), close);
    assert_eq!(closed.status, 200, "{}", closed.text);
    let sold: i64 = sold.iter().sum();
    assert!(sold > 0, "sales went through before the close");
    // Regular price: 15 euros a cheque, on a float of 50.
    assert_eq!(closed.body["expected_cents"], 5000 + 1500 * sold, "{}", closed.text);
    assert_books(&w, &c).await;
}

/// Cash refunds keep coming while finance closes the session: every refund that went
/// through is out of the cash the close expects, and the ones after it are refused.
#[actix_web::test]
async fn cash_refunds_racing_the_close_of_their_session_are_all_counted() {
    let w = world().await;
    let c = counter(&w).await;
    let mut held = Vec::new();
    for n in 0..20 {
        let buyer = resident(
            &w,
            &format!("Teruggever {n}"),
            Some("1980-01-01"),
            &format!("{}", 50 + n),
        )
        .await;
        let sale = sell(&w, &c, buyer, 10, "cash").await;
        assert_eq!(sale.status, 201, "{}", sale.text);
        held.push(serials(&sale.body));
    }
    let done = AtomicUsize::new(0);
    let body = json!({"method": "cash", "reason": "Verhuist", "cash_session_id": c.session});
    let lanes = held.iter().map(|serials| async {
        for (n, serial) in serials.iter().enumerate() {
            let path = format!("/api/v1/cheques/{serial}/refund");
            let r = w.app.post(&path, Some(&c.finance), body.clone()).await;
            if r.status != 200 {
                r.assert_problem(422, "validation_failed");
                assert_eq!(r.body["errors"][0]["code"], "no_open_session", "{}", r.text);
                return n as i64;
            }
            done.fetch_add(1, Ordering::SeqCst);
        }
        panic!("the close never came");
    });
    let close = async {
        while done.load(Ordering::SeqCst) < 20 {
            actix_web::rt::time::sleep(Duration::from_millis(5)).await;
        }
        let path = format!("/api/v1/cash-sessions/{}/close", c.session);
        w.app.post(&path, Some(&c.finance), json!({"counted_cents": 0})).await
    };
    let (refunded, closed) = futures_util::join!(join_all(lanes), close);
    assert_eq!(closed.status, 200, "{}", closed.text);
    let refunded: i64 = refunded.iter().sum();
    // 200 cheques sold at 15 euros on a float of 50; each refund hands back 15.
    assert_eq!(closed.body["cash_paid_out_cents"], 1500 * refunded, "{}", closed.text);
    assert_eq!(
        closed.body["expected_cents"],
        5000 + 1500 * (200 - refunded),
        "{}",
        closed.text
    );
    assert_books(&w, &c).await;
}

#[actix_web::test]
async fn twenty_deliveries_of_one_stripe_event_issue_the_cheques_once() {
    let (w, _mock) = online_world().await;
    let c = counter(&w).await;
    let (token, _, _) = w.app.register_resident("race.online@example.nl").await;
    let started = checkout(&w, &token, &c, 3, "race-1").await;
    let session = started.body["checkout"]["stripe_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = event(
        "evt_race",
        "checkout.session.completed",
        json!({"id": session, "payment_status": "paid", "amount_total": 4500, "payment_intent": "pi_race"}),
    );
    let signature = stripe_signature(SECRET, now(), &body);
    let replies = join_all((0..20).map(|_| deliver(&w, &body, &signature))).await;
    let issued = replies.iter().filter(|r| r.body["outcome"] == "issued").count();
    assert_eq!(
        issued,
        1,
        "{:?}",
        replies.iter().map(|r| r.text.clone()).collect::<Vec<_>>()
    );
    assert!(replies.iter().all(|r| r.status == 200));
    let wallet = w.app.get("/api/v1/me/cheques", Some(&token)).await;
    assert_eq!(wallet.body["cheques"].as_array().unwrap().len(), 3, "{}", wallet.text);
    assert_books(&w, &c).await;
}

/// Finance clicking "refund" on one cheque bought online twenty times at once (a double
/// click, a slow screen): Stripe is asked for one refund, under one key, and the cheque is
/// refunded once; every click hears it is refunded, or that it cannot be any more.
#[actix_web::test]
async fn one_online_cheque_refunded_twenty_times_at_once_is_refunded_once() {
    let (w, mock) = online_world().await;
    let c = counter(&w).await;
    let (token, _, _) = w.app.register_resident("race.refund@example.nl").await;
    let started = checkout(&w, &token, &c, 2, "race-refund-1").await;
    let session = started.body["checkout"]["stripe_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = event(
        "evt_race_refund",
        "checkout.session.completed",
        json!({"id": session, "payment_status": "paid", "amount_total": 3000, "payment_intent": "pi_race_refund"}),
    );
    let paid = deliver(&w, &body, &stripe_signature(SECRET, now(), &body)).await;
    assert_eq!(paid.body["outcome"], "issued", "{}", paid.text);
    let wallet = w.app.get("/api/v1/me/cheques", Some(&token)).await;
    let serial = serials(&wallet.body)[0].clone();
    let path = format!("/api/v1/cheques/{serial}/refund");
    let ask = json!({"method": "online", "reason": "Verhuist"});
    let replies = join_all((0..20).map(|_| w.app.post(&path, Some(&c.finance), ask.clone()))).await;
    for r in &replies {
        if r.status == 200 {
            assert_eq!(r.body["status"], "refunded", "{}", r.text);
        } else {
            r.assert_problem(409, "cheque_not_refundable");
        }
    }
    let keys: std::collections::HashSet<_> = mock
        .seen()
        .into_iter()
        .filter(|s| s.path == "/v1/refunds")
        .map(|s| s.idempotency_key)
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM stripe_refunds").await, 1);
    let entries = "SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'cheque_refund'";
    assert_eq!(count_rows(&w.app, entries).await, 1);
    assert_books(&w, &c).await;
}

/// Finance settling one goodwill refund twenty times at once (a double click, two desks):
/// it is booked once, and every other click hears there is nothing left to settle.
#[actix_web::test]
async fn one_refund_settled_twenty_times_at_once_is_booked_once() {
    let (w, _mock) = online_world().await;
    let c = counter(&w).await;
    paid_purchase(&w, &c).await;
    report(&w, &[("evt_r1", "ch_1", "pi_deels", 2000)]).await;
    let replies = join_all((0..20).map(|_| settle(&w, &c, "ch_1", "Coulance"))).await;
    let won = answered(&replies, 200, 1);
    assert_eq!(won[0].body["amount_cents"], 500, "{}", won[0].text);
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "nothing_to_settle");
    }
    let entries = "SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'stripe_refund_goodwill'";
    assert_eq!(count_rows(&w.app, entries).await, 1);
    assert_eq!(assert_books(&w, &c).await["accounts"]["goodwill"], 500);
}

/// One resident's jobs confirmed at the same moment (the resident's phone, the
/// werkleider's screen, the window timer) each take cheques from one wallet: every job is
/// paid with cheques of its own, none is refused because another took the cheque it saw.
#[actix_web::test]
async fn twenty_jobs_of_one_resident_confirmed_at_once_each_take_their_own_cheques() {
    let w = world().await;
    let c = counter(&w).await;
    let buurman = resident(&w, "Buurman Bart", Some("1980-01-01"), "30").await;
    assert_eq!(sell(&w, &c, buurman, 20, "pin").await.status, 201);
    let worker = create_participant(&w.app, &w.coordinator, "Werker Wim", "solo_klus").await;
    let mut jobs = Vec::new();
    for n in 0..20 {
        // Twenty quarters stay within the five hours one address may order unchecked.
        let mut order = order_body(w.hedge, 15);
        order["recipient_id"] = json!(buurman);
        jobs.push(performed_order(&w, order, worker, 1 + n, 60).await);
    }
    let paths: Vec<String> = jobs.iter().map(|j| format!("/api/v1/jobs/{j}/confirm")).collect();
    let replies = join_all(paths.iter().map(|p| w.app.post(p, Some(&w.werkleider), json!({})))).await;
    assert_all(&replies, 200);
    assert!(replies.iter().all(|r| r.body["status"] == "settled"));
    let redeemed = count_rows(
        &w.app,
        format!("SELECT COUNT(*) AS n FROM cheques WHERE owner_resident_id = {buurman} AND status = 'redeemed'"),
    )
    .await;
    assert_eq!(redeemed, 20);
    let jobs_paid = count_rows(
        &w.app,
        format!("SELECT COUNT(DISTINCT redeemed_job_id) AS n FROM cheques WHERE owner_resident_id = {buurman}"),
    )
    .await;
    assert_eq!(jobs_paid, 20, "each job has a cheque of its own");
    assert_books(&w, &c).await;
}

/// The coordinator's screen sent a new price (or bonus rate) for one day twenty times at
/// once: the day ends with one price, one of those sent, and no request fails on the
/// price another wrote.
#[actix_web::test]
async fn one_days_price_and_bonus_rate_set_twenty_times_at_once_keep_one_each() {
    let w = world().await;
    let c = counter(&w).await;
    let day = servicepunt::clock::today() + chrono::Duration::days(30);
    let prices = format!("/api/v1/cheque-products/{}/prices", c.product);
    let replies = join_all((0..20).map(|n| {
        let body = json!({"valid_from": day, "regular_cents": 1600 + n, "reduced_cents": 900});
        w.app.post(&prices, Some(&w.coordinator), body)
    }))
    .await;
    assert_all(&replies, 204);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM cheque_prices WHERE product_id = {} AND valid_from = '{day}' AND regular_cents BETWEEN 1600 AND 1619",
        c.product
    );
    assert_eq!(count_rows(&w.app, sql).await, 1);

    let replies = join_all((0..20).map(|n| {
        let body = json!({"valid_from": day, "cents_per_hour": 100 + n});
        w.app.post("/api/v1/bonus-rates", Some(&w.coordinator), body)
    }))
    .await;
    assert_all(&replies, 204);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM bonus_rates WHERE valid_from = '{day}' AND cents_per_hour BETWEEN 100 AND 119"
    );
    assert_eq!(count_rows(&w.app, sql).await, 1);
}
