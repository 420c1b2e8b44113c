//! A month of mixed counter, online, redeemed, refunded and expired activity reconciles to
//! the cent; a closed month takes no more postings.

use chrono::Datelike;
use serde_json::json;

use crate::cheques::{assert_books, counter, performed_job, resident, sell};
use crate::helpers::create_participant;
use crate::online::{SECRET, checkout, deliver, now, online_world};
use crate::stripe_mock::{event, stripe_signature};

#[actix_web::test]
async fn a_month_of_mixed_activity_reconciles_and_a_closed_month_stays_closed() {
    let (w, _mock) = online_world().await;
    let c = counter(&w).await;
    let today = servicepunt::clock::today();
    let oma = resident(
        &w,
        "Oma Maand",
        Some(&format!("{}", today - chrono::Duration::days(80 * 366))),
        "80",
    )
    .await;
    let buurman = resident(&w, "Buurman Maand", Some("1985-05-05"), "81").await;

    // Long ago: two cheques bought that have expired by now.
    let (session, product) = (c.session, c.product);
    w.app
        .db(move |conn| {
            let long_ago = today - chrono::Duration::days(800);
            servicepunt::db::write_tx(conn, |conn| {
                let sale = servicepunt::cheques::sale::CounterSale {
                    cash_session_id: session,
                    resident_id: buurman,
                    product_id: product,
                    quantity: 2,
                    payment: servicepunt::cheques::sale::Payment::Cash,
                };
                servicepunt::cheques::sale::sell(
                    conn,
                    1,
                    &sale,
                    &Default::default(),
                    long_ago,
                    servicepunt::db::now(),
                )?;
                servicepunt::cheques::changes::expire_due(conn, today, servicepunt::db::now())
            })
            .unwrap()
        })
        .await;

    // This month: counter sales at both tariffs, an online purchase, a job paid with
    // cheques, a refund.
    assert_eq!(sell(&w, &c, oma, 4, "cash").await.status, 201);
    let regular = sell(&w, &c, buurman, 3, "pin").await;
    let (token, _, _) = w.app.register_resident("maand@example.nl").await;
    let started = checkout(&w, &token, &c, 2, "maand-1").await;
    let session_id = started.body["checkout"]["stripe_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paid = event(
        "evt_maand",
        "checkout.session.completed",
        json!({"id": session_id, "payment_status": "paid", "amount_total": 3000, "payment_intent": "pi_maand"}),
    );
    assert_eq!(
        deliver(&w, &paid, &stripe_signature(SECRET, now(), &paid)).await.body["outcome"],
        "issued"
    );
    let worker = create_participant(&w.app, &w.coordinator, "Werker Maand", "solo_klus").await;
    let job = performed_job(&w, oma, worker, 1, 100).await;
    let confirmed = w
        .app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(confirmed.body["status"], "settled", "{}", confirmed.text);
    let serial = regular.body["cheques"][0]["serial"].as_str().unwrap().to_owned();
    let refunded = w
        .app
        .post(
            &format!("/api/v1/cheques/{serial}/refund"),
            Some(&c.finance),
            json!({"method": "cash", "reason": "Verhuist", "cash_session_id": c.session}),
        )
        .await;
    assert_eq!(refunded.body["status"], "refunded", "{}", refunded.text);
    assert_books(&w, &c).await;

    let first = today.with_day0(0).unwrap();
    let report = w
        .app
        .get(
            &format!("/api/v1/finance/reconciliation?from={first}&to={today}"),
            Some(&c.finance),
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    let r = &report.body;
    assert_eq!(r["balanced"], true, "{}", report.text);
    assert_eq!(r["difference_cents"], 0);
    // Sold this month: 4 × €8 cash, 3 × €15 PIN, 2 × €15 online.
    assert_eq!(r["sales_cents"], 3200 + 4500 + 3000, "{}", report.text);
    let line = |tariff: &str, channel: &str| {
        r["sales"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["tariff"] == tariff && l["channel"] == channel)
            .map(|l| l["cents"].as_i64().unwrap())
    };
    assert_eq!(line("reduced", "cash"), Some(3200));
    assert_eq!(line("regular", "pin"), Some(4500));
    assert_eq!(line("regular", "online"), Some(3000));
    // 1 h 40 m takes two reduced cheques; one regular cheque refunded.
    assert_eq!(r["redemptions_cents"], 1600);
    assert_eq!(r["refunds_cents"], 1500);
    assert_eq!(r["subsidy_claimed_cents"], 1400);
    let expected_closing =
        r["opening_liability_cents"].as_i64().unwrap() + 10700 - 1600 - 1500 - r["expiries_cents"].as_i64().unwrap();
    assert_eq!(r["closing_liability_cents"], expected_closing);
    // Unnamed, the period is the month so far: the same report.
    let unnamed = w.app.get("/api/v1/finance/reconciliation", Some(&c.finance)).await;
    let to: chrono::NaiveDate = serde_json::from_value(unnamed.body["to"].clone()).unwrap();
    assert!(to == today || to == today.succ_opt().unwrap(), "{}", unnamed.text);
    assert_eq!(unnamed.body["from"], json!(to.with_day(1).unwrap().to_string()));
    if to == today {
        assert_eq!(unnamed.body, report.body);
    }
    // A last day alone: its month up to it.
    let last_month = first.pred_opt().unwrap();
    let before = w
        .app
        .get(
            &format!("/api/v1/finance/reconciliation?to={last_month}"),
            Some(&c.finance),
        )
        .await;
    assert_eq!(before.body["from"], json!(last_month.with_day(1).unwrap().to_string()));
    // Over all time the opening is zero and the expired batch is breakage.
    let all = w
        .app
        .get(
            &format!("/api/v1/finance/reconciliation?from=2000-01-01&to={today}"),
            Some(&c.finance),
        )
        .await;
    assert_eq!(all.body["balanced"], true, "{}", all.text);
    assert_eq!(all.body["opening_liability_cents"], 0);
    assert_eq!(all.body["expiries_cents"], 2 * 1500);
    assert_eq!(all.body["closing_liability_cents"], 2 * 800 + 2 * 1500 + 2 * 1500);
    let csv = w
        .app
        .get_csv(
            &format!("/api/v1/finance/reconciliation?from={first}&to={today}"),
            &c.finance,
        )
        .await;
    assert!(csv.text.contains("check,passed,0.00"), "{}", csv.text);
    w.app
        .get(
            &format!(
                "/api/v1/finance/reconciliation?from={today}&to={}",
                first.pred_opt().unwrap()
            ),
            Some(&c.finance),
        )
        .await
        .assert_problem(422, "validation_failed");

    // Last month is closed: nothing can be dated in it any more.
    let last = servicepunt::ledger::periods::month_of(first.pred_opt().unwrap());
    let this = servicepunt::ledger::periods::month_of(today);
    let close = |m: String| {
        let w = &w;
        let finance = c.finance.clone();
        async move {
            w.app
                .post(&format!("/api/v1/finance/periods/{m}/close"), Some(&finance), json!({}))
                .await
        }
    };
    assert_eq!(close(last.clone()).await.status, 204);
    close(last.clone()).await.assert_problem(409, "period_already_closed");
    close(this.clone()).await.assert_problem(422, "validation_failed");
    close("2026-13".into()).await.assert_problem(422, "validation_failed");
    let backdated = first.pred_opt().unwrap();
    let refused = w
        .app
        .db(move |conn| {
            servicepunt::db::write_tx(conn, |conn| {
                use servicepunt::ledger::{Account, credit, debit, store};
                store::post(
                    conn,
                    backdated,
                    "correction",
                    "late",
                    &[debit(Account::Bank, 100), credit(Account::ServiceRevenue, 100)],
                    None,
                    servicepunt::db::now(),
                )
            })
        })
        .await;
    assert_eq!(refused.unwrap_err().code(), "period_closed");
    // Reopening is the coordinator's, with a reason, and is audited.
    w.app
        .post(
            &format!("/api/v1/finance/periods/{last}/reopen"),
            Some(&c.finance),
            json!({"reason": "correctie"}),
        )
        .await
        .assert_problem(403, "forbidden");
    w.app
        .post(
            &format!("/api/v1/finance/periods/{last}/reopen"),
            Some(&w.coordinator),
            json!({"reason": " "}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let reopened = w
        .app
        .post(
            &format!("/api/v1/finance/periods/{last}/reopen"),
            Some(&w.coordinator),
            json!({"reason": "Bankafschrift te laat verwerkt"}),
        )
        .await;
    assert_eq!(reopened.status, 204, "{}", reopened.text);
    let periods = w.app.get("/api/v1/finance/periods", Some(&c.finance)).await;
    assert_eq!(periods.body["closed"], json!([]));
    assert_eq!(periods.body["events"][0]["action"], "reopened");
    assert_eq!(periods.body["events"][0]["reason"], "Bankafschrift te laat verwerkt");
    assert_eq!(periods.body["events"][1]["action"], "closed");
}
