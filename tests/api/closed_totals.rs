//! Balances of closed months come from the sums kept when they closed: the trial balance
//! and the reconciliation answer exactly the same before a close, after it, and after a
//! reopen, on every day and span that starts, ends or runs through a closed month.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::ledger::{Account, credit, debit, store, with_dimension};

use crate::helpers::{TestApp, count_rows, spawn_app_with};

async fn post(app: &TestApp, date: NaiveDate, kind: &'static str, lines: Vec<servicepunt::ledger::Line>) {
    app.db(move |conn| {
        servicepunt::db::write_tx(conn, |conn| {
            store::post(conn, date, kind, "test", &lines, None, servicepunt::db::now())
        })
    })
    .await
    .unwrap();
}

/// Every report finance reads, over days and spans around the months.
async fn reports(app: &TestApp, token: &str, days: &[NaiveDate]) -> Vec<Value> {
    let mut out = Vec::new();
    for on in days {
        let r = app
            .get(&format!("/api/v1/finance/trial-balance?on={on}"), Some(token))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        out.push(r.body["accounts"].clone());
        for from in days.iter().filter(|f| *f <= on) {
            let r = app
                .get(
                    &format!("/api/v1/finance/reconciliation?from={from}&to={on}"),
                    Some(token),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            out.push(r.body.clone());
        }
    }
    out
}

#[actix_web::test]
async fn closing_and_reopening_months_changes_no_figure() {
    let app = spawn_app_with(|_| {}).await;
    let finance = app.token_for(Role::Finance).await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let today = servicepunt::clock::today();
    let this_month = today.with_day(1).unwrap();
    let last_month = (this_month - Duration::days(1)).with_day(1).unwrap();
    let before_that = (last_month - Duration::days(1)).with_day(1).unwrap();
    // Sales, redemptions and a subsidy claim spread over three months and today.
    for (i, day) in [
        before_that,
        before_that + Duration::days(9),
        last_month + Duration::days(3),
        today,
    ]
    .into_iter()
    .enumerate()
    {
        let cents = 1500 * (i as i64 + 1);
        post(
            &app,
            day,
            "cheque_sale",
            vec![
                debit(Account::PinClearing, cents),
                credit(Account::ChequeLiability, cents),
            ],
        )
        .await;
        post(
            &app,
            day,
            "cheque_redemption",
            vec![
                debit(Account::ChequeLiability, 800),
                credit(Account::ServiceRevenue, 1500),
                with_dimension(Account::SubsidyReceivable, "Ede", 700),
            ],
        )
        .await;
    }
    let days = [
        before_that,
        before_that + Duration::days(9),
        last_month - Duration::days(1),
        last_month,
        last_month + Duration::days(20),
        this_month - Duration::days(1),
        today,
    ];
    let open = reports(&app, &finance, &days).await;
    assert_eq!(open[0]["cheque_liability"], -1500 + 800, "the figures are real");

    for m in [before_that, last_month] {
        let month = servicepunt::ledger::periods::month_of(m);
        let r = app
            .post(
                &format!("/api/v1/finance/periods/{month}/close"),
                Some(&finance),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
    }
    assert!(
        count_rows(&app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM closed_period_totals").await >= 2 * 4,
        "each closed month keeps its sums"
    );
    assert_eq!(reports(&app, &finance, &days).await, open);

    let month = servicepunt::ledger::periods::month_of(last_month);
    let r = app
        .post(
            &format!("/api/v1/finance/periods/{month}/reopen"),
            Some(&coordinator),
            json!({"reason": "bankafschrift"}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    // A late posting in the reopened month shows up everywhere from that day on.
    assert_eq!(reports(&app, &finance, &days).await, open);
    post(
        &app,
        last_month + Duration::days(5),
        "correction",
        vec![debit(Account::Bank, 100), credit(Account::ServiceRevenue, 100)],
    )
    .await;
    let after = app
        .get(&format!("/api/v1/finance/trial-balance?on={today}"), Some(&finance))
        .await;
    assert_eq!(after.body["accounts"]["bank"], 100);
    assert_eq!(after.body["balanced"], true);
}
