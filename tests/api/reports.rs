//! The monthly management report counts what happened without naming anyone.

use chrono::Datelike;
use serde_json::json;

use crate::cheques::{performed_job, resident};
use crate::helpers::{bare_participant, create_participant, order_body, start_trajectory, world};

#[actix_web::test]
async fn the_month_in_figures_and_no_names() {
    let w = world().await;
    let today = servicepunt::clock::today();
    let oma = resident(
        &w,
        "Oma Rapport",
        Some(&format!("{}", today - chrono::Duration::days(76 * 366))),
        "90",
    )
    .await;
    let jan = resident(&w, "Jan Rapport", Some("1979-09-09"), "91").await;
    let kees = resident(&w, "Kees Rapport", Some("1990-01-01"), "92").await;
    let worker = create_participant(&w.app, &w.coordinator, "Werker Rapport", "solo_klus").await;
    performed_job(&w, oma, worker, 1, 100).await;
    performed_job(&w, jan, worker, 2, 60).await;
    // Half an hour for a care home, billed as one.
    let home = crate::series_institution::institution(&w, "Woonzorgcentrum Rapport").await;
    let contact = resident(&w, "Bewoner Rapport", Some("1980-02-02"), "93").await;
    let mut for_home = order_body(w.hedge, 60);
    for_home["recipient_id"] = json!(contact);
    for_home["institution_id"] = json!(home);
    crate::cheques::performed_order(&w, for_home, worker, 3, 30).await;
    // Two orders at one address within the window: the second is reviewed and refused.
    let mut order = order_body(w.hedge, 200);
    order["recipient_id"] = json!(kees);
    let first = w.app.post("/api/v1/jobs", Some(&w.werkleider), order.clone()).await;
    assert_eq!(first.body["status"], "waitlisted", "{}", first.text);
    let second = w.app.post("/api/v1/jobs", Some(&w.werkleider), order).await;
    let id = second.body["id"].as_i64().unwrap();
    let refused = w
        .app
        .post(
            &format!("/api/v1/jobs/{id}/refuse"),
            Some(&w.werkleider),
            json!({"reason_code": "competition", "note": "Hovenier Jansen"}),
        )
        .await;
    assert_eq!(refused.body["status"], "refused", "{}", refused.text);

    // A detachering that ran out last month without anyone ending it runs no more, and
    // is not this month's exit.
    let gone = bare_participant(&w.app, &w.coordinator, "Weg Rapport").await;
    let first_of_month = today.with_day(1).unwrap();
    let detachering = json!({"kind": "detachering", "starts_on": first_of_month - chrono::Duration::days(300),
        "ends_on": first_of_month - chrono::Duration::days(10)});
    start_trajectory(&w.app, &w.coordinator, gone, detachering).await;

    let month = today.format("%Y-%m").to_string();
    let reply = w
        .app
        .get(&format!("/api/v1/reports/monthly?month={month}"), Some(&w.coordinator))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let r = &reply.body;
    assert_eq!(r["jobs_performed"], 3, "{}", reply.text);
    assert_eq!(r["residents_served"], 3);
    // 1 h 40 m, 1 h and 30 m, billed per started hour; the 76-year-old's two hours count
    // as delivered to priority residents, the care home's hour as the institutional share.
    assert_eq!(r["minutes_delivered"], 240);
    assert_eq!(r["minutes_to_priority_residents"], 120);
    assert_eq!(r["minutes_for_institutions"], 60);
    assert_eq!(r["refusals"], json!([{"key": "competition", "count": 1}]));
    assert_eq!(
        r["participants_by_trajectory"],
        json!([{"key": "participatiebaan", "count": 1}])
    );
    assert_eq!(r["exits"], json!([]), "{}", reply.text);
    assert_eq!(r["waiting"]["on_list_now"], 1);
    assert_eq!(r["waiting"]["planned"], 3);
    assert!(r["waiting"]["median_wait_days"].as_f64().is_some());
    let hedge = r["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["service"] == "Heg snoeien")
        .unwrap();
    assert_eq!(hedge["ordered"], 5);
    assert_eq!(hedge["performed"], 3);
    assert_eq!(hedge["wijk"], "onbekend");
    if today.day() > 1 {
        let worked: i64 = r["minutes_worked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_i64().unwrap())
            .sum();
        assert_eq!(worked, 190, "{}", reply.text);
    }
    for private in ["Rapport", "Hovenier", "Dorpsstraat", "1979"] {
        assert!(!reply.text.contains(private), "{private} in {}", reply.text);
    }
    w.app
        .get("/api/v1/reports/monthly?month=2026-5", Some(&w.coordinator))
        .await
        .assert_problem(422, "validation_failed");
}
