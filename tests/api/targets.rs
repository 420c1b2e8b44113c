//! Targets for klussen, diensten and income: the coordinator sets them per month and the
//! monthly report shows how far the month got.

use serde_json::json;

use crate::cheques::{counter, performed_job, performed_order, resident, sell, settle};
use crate::helpers::{count_rows, create_participant, create_service, order_body, world};

#[actix_web::test]
async fn the_monthly_report_shows_how_far_the_month_got() {
    let w = world().await;
    let month = servicepunt::clock::today().format("%Y-%m").to_string();
    let path = format!("/api/v1/targets/{month}");
    w.app
        .get(&path, Some(&w.coordinator))
        .await
        .assert_problem(404, "not_found");

    // Refused whole: not a month, a figure out of range, a field unknown.
    let aim = json!({"klus_minutes": 600, "dienst_minutes": 120, "income_cents": 10000});
    w.app
        .call(
            reqwest::Method::PUT,
            "/api/v1/targets/2026-13",
            Some(&w.coordinator),
            Some(aim.clone()),
        )
        .await
        .assert_problem(422, "validation_failed");
    let wild = json!({"klus_minutes": -1, "dienst_minutes": 120, "income_cents": 100_000_000_000_i64});
    let refused = w
        .app
        .call(reqwest::Method::PUT, &path, Some(&w.coordinator), Some(wild))
        .await;
    assert_eq!(
        refused.error_fields(),
        ["klus_minutes", "income_cents"],
        "{}",
        refused.text
    );
    let mut extra = aim.clone();
    extra["hedge_minutes"] = json!(5);
    let unknown = w
        .app
        .call(reqwest::Method::PUT, &path, Some(&w.coordinator), Some(extra))
        .await;
    assert_eq!(unknown.status, 400, "{}", unknown.text);
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM service_targets").await, 0);
    let werkleider = w
        .app
        .call(reqwest::Method::PUT, &path, Some(&w.werkleider), Some(aim.clone()))
        .await;
    werkleider.assert_problem(403, "forbidden");

    // Set, then set again: the second replaces the first.
    let first = json!({"klus_minutes": 1, "dienst_minutes": 1, "income_cents": 1});
    let set = w
        .app
        .call(reqwest::Method::PUT, &path, Some(&w.coordinator), Some(first))
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let set = w
        .app
        .call(reqwest::Method::PUT, &path, Some(&w.coordinator), Some(aim))
        .await;
    assert_eq!(set.body["klus_minutes"], 600, "{}", set.text);
    let read = w.app.get(&path, Some(&w.coordinator)).await;
    assert_eq!(read.body, set.body);
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM service_targets").await, 1);

    // An hour's klus paid with a regular cheque, two hours' dienst not paid yet.
    let c = counter(&w).await;
    let oma = resident(&w, "Oma Doel", Some("1980-01-01"), "70").await;
    assert_eq!(sell(&w, &c, oma, 2, "cash").await.status, 201);
    let worker = create_participant(&w.app, &w.coordinator, "Werker Doel", "solo_klus").await;
    let klus = performed_job(&w, oma, worker, 1, 60).await;
    settle(&w, klus).await;
    let company = create_service(&w.app, &w.coordinator, "Gezelschap", "gezelschap", false, 240).await;
    let mut dienst = order_body(company, 120);
    dienst["recipient_id"] = json!(oma);
    performed_order(&w, dienst, worker, 2, 120).await;

    let report = w
        .app
        .get(&format!("/api/v1/reports/monthly?month={month}"), Some(&w.coordinator))
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    let r = &report.body;
    assert_eq!(r["minutes_klussen"], 60, "{}", report.text);
    assert_eq!(r["minutes_diensten"], 120);
    assert_eq!(r["income_cents"], 1500);
    assert_eq!(
        r["targets"],
        json!({
            "klus_minutes": {"target": 600, "reached": 60, "percent": 10},
            "dienst_minutes": {"target": 120, "reached": 120, "percent": 100},
            "income_cents": {"target": 10000, "reached": 1500, "percent": 15},
        })
    );
    // A month without targets shows none.
    let other = w
        .app
        .get("/api/v1/reports/monthly?month=2020-01", Some(&w.coordinator))
        .await;
    assert!(other.body.get("targets").is_none(), "{}", other.text);
    assert_eq!(other.body["income_cents"], 0);
}
