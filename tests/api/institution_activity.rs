//! The coordinator's report per institution for the quarterly meeting with partners:
//! what was ordered, done, cancelled, charged and said about the work, per institution,
//! without a resident's name or address.

use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::cheques::{performed_order, resident};
use crate::helpers::{World, create_participant, order_body, world};
use crate::series_institution::institution;

/// A job ordered by the werkleider on the institution's account for a resident of its own.
async fn order(w: &World, home: i64, name: &str, house: &str, minutes: i64) -> Value {
    let contact = resident(w, name, Some("1940-01-01"), house).await;
    let mut body = order_body(w.hedge, minutes);
    body["recipient_id"] = json!(contact);
    body["institution_id"] = json!(home);
    body
}

fn report_path(from: &str, to: &str) -> String {
    format!("/api/v1/reports/institutions?from={from}&to={to}")
}

#[actix_web::test]
async fn each_institution_sees_what_was_done_for_it_without_names() {
    let w = world().await;
    let today = servicepunt::clock::today().to_string();
    let home = institution(&w, "Woonzorgcentrum De Hoven").await;
    let quiet = institution(&w, "Woonstede").await;
    let closed = institution(&w, "Oud Verpleeghuis").await;
    w.app
        .patch(
            &format!("/api/v1/institutions/{closed}"),
            Some(&w.coordinator),
            json!({"active": false}),
        )
        .await;

    // Done and confirmed: 2 h 30 m worked, billed as three hours; the werkleider passes
    // on the home's compliment.
    let worker = create_participant(&w.app, &w.coordinator, "Werker Hoven", "solo_klus").await;
    let done = order(&w, home, "Bewoner Een", "71", 180).await;
    let job = performed_order(&w, done, worker, 1, 150).await;
    let settled = w
        .app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(settled.body["status"], "settled", "{}", settled.text);
    let compliment = w
        .app
        .post(
            &format!("/api/v1/jobs/{job}/feedback"),
            Some(&w.werkleider),
            json!({"kind": "compliment", "message": "De bewoners waren er blij mee"}),
        )
        .await;
    assert_eq!(compliment.status, 201, "{}", compliment.text);
    // One waits for a crew, one is called off.
    let waiting = order(&w, home, "Bewoner Twee", "72", 60).await;
    let waiting = w.app.post("/api/v1/jobs", Some(&w.werkleider), waiting).await;
    assert_eq!(waiting.body["status"], "waitlisted", "{}", waiting.text);
    let off = order(&w, home, "Bewoner Drie", "73", 60).await;
    let off = w.app.post("/api/v1/jobs", Some(&w.werkleider), off).await;
    let off = off.body["id"].as_i64().unwrap();
    let cancelled = w
        .app
        .post(&format!("/api/v1/jobs/{off}/cancel"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.text);

    let report = w.app.get(&report_path(&today, &today), Some(&w.coordinator)).await;
    assert_eq!(report.status, 200, "{}", report.text);
    let listed = report.body["institutions"].as_array().unwrap();
    let names: Vec<&str> = listed.iter().map(|i| i["institution"].as_str().unwrap()).collect();
    assert_eq!(names, ["Woonstede", "Woonzorgcentrum De Hoven"], "{}", report.text);
    let hoven = &listed[1];
    assert_eq!(hoven["institution_id"], home);
    let counts = [
        "jobs_ordered",
        "jobs_performed",
        "jobs_cancelled",
        "jobs_refused",
        "jobs_waiting_now",
        "compliments",
        "complaints",
    ]
    .map(|k| hoven[k].as_i64().unwrap());
    assert_eq!(counts, [3, 1, 1, 0, 1, 1, 0], "{}", report.text);
    assert_eq!(hoven["minutes_performed"], 180);
    assert_eq!(hoven["minutes_charged"], 180);
    assert_eq!(hoven["charged_cents"], 9750);
    assert_eq!(hoven["by_service"].as_array().unwrap().len(), 1, "{}", report.text);
    assert_eq!(hoven["by_service"][0]["performed"], 1);
    assert_eq!(hoven["by_service"][0]["minutes"], 180);
    assert_eq!(listed[0]["institution_id"], quiet);
    assert_eq!(listed[0]["jobs_ordered"], 0);
    for private in ["Bewoner", "Werker", "Dorpsstraat", "blij"] {
        assert!(!report.text.contains(private), "{private} in {}", report.text);
    }

    // A weekly visit from tomorrow runs in the coming week, not today; its first visits
    // are ordered at once.
    let mut weekly = crate::series::weekly(crate::series::shopping(&w).await);
    weekly["recipient_id"] = json!(resident(&w, "Bewoner Vier", Some("1938-05-05"), "74").await);
    weekly["institution_id"] = json!(home);
    let series = crate::series::start(&w, &w.werkleider, weekly).await;
    assert_eq!(series.status, 201, "{}", series.text);
    let visits = series.body["visits"].as_array().unwrap().len() as i64;
    assert!(visits > 0, "{}", series.text);
    let week_end = (servicepunt::clock::today() + chrono::Duration::days(7)).to_string();
    let week = w.app.get(&report_path(&today, &week_end), Some(&w.coordinator)).await;
    assert_eq!(week.body["institutions"][1]["series_running"], 1, "{}", week.text);
    assert_eq!(
        week.body["institutions"][1]["jobs_ordered"],
        3 + visits,
        "{}",
        week.text
    );
    let day = w.app.get(&report_path(&today, &today), Some(&w.coordinator)).await;
    assert_eq!(day.body["institutions"][1]["series_running"], 0, "{}", day.text);

    // Another period has nothing done; only the waiting list, as it is now, stays.
    let past = w
        .app
        .get(&report_path("2020-01-01", "2020-03-31"), Some(&w.coordinator))
        .await;
    let hoven = &past.body["institutions"][1];
    assert_eq!(
        (
            &hoven["jobs_ordered"],
            &hoven["jobs_performed"],
            &hoven["charged_cents"],
            &hoven["jobs_waiting_now"]
        ),
        (&json!(0), &json!(0), &json!(0), &json!(1 + visits)),
        "{}",
        past.text
    );

    // As a spreadsheet: a line per institution, hours and euros.
    let csv = w.app.get_csv(&report_path(&today, &today), &w.coordinator).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines.len(), 3, "{}", csv.text);
    assert_eq!(
        lines[2],
        format!(
            "Woonzorgcentrum De Hoven,{},1,1,0,{},0,3.00,3.00,97.50,1,0",
            3 + visits,
            1 + visits
        )
    );

    // A period backwards is a clear error; it is the coordinator's report alone.
    w.app
        .get(&report_path(&today, "2020-01-01"), Some(&w.coordinator))
        .await
        .assert_problem(422, "validation_failed");
    for role in [Role::Werkleider, Role::Finance, Role::Resident] {
        let token = w.app.token_for(role).await;
        w.app
            .get(&report_path(&today, &today), Some(&token))
            .await
            .assert_problem(403, "forbidden");
    }
}
