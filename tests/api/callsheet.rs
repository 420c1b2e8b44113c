//! Residents without email are phoned instead: their messages land on the call sheet.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;
use servicepunt::auth::Role;
use servicepunt::db::schema::{call_tasks, outbox};
use servicepunt::db::{self};
use servicepunt::notify::{self, Delivery, Template};
use servicepunt::residents::store;

use crate::helpers::{resident_body, spawn_app};

fn data() -> serde_json::Value {
    json!({"name": "Mevrouw Bakker", "token": "t", "link": "l", "valid_minutes": 60})
}

#[actix_web::test]
async fn a_resident_with_only_a_phone_goes_on_the_call_sheet() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let mut phone_only = resident_body("Mevrouw Bakker", "6711 AB");
    phone_only["phone"] = json!("0318 111222");
    let phone_id = app.post("/api/v1/residents", Some(&staff), phone_only).await.body["id"]
        .as_i64()
        .unwrap();
    let mut with_email = resident_body("Meneer Visser", "6711 AB");
    with_email["email"] = json!("visser@example.nl");
    let email_id = app.post("/api/v1/residents", Some(&staff), with_email).await.body["id"]
        .as_i64()
        .unwrap();

    let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let deliveries = app
        .db(move |conn| {
            db::write_tx(conn, |conn| -> Result<_, servicepunt::error::ApiError> {
                let phone = store::find(conn, phone_id)?.unwrap();
                let email = store::find(conn, email_id)?.unwrap();
                Ok((
                    notify::to_resident(conn, &phone, Template::PasswordReset, &data(), day)?,
                    notify::to_resident(conn, &email, Template::PasswordReset, &data(), day)?,
                ))
            })
            .unwrap()
        })
        .await;
    assert!(matches!(deliveries.0, Delivery::CallSheet(_)), "{deliveries:?}");
    assert!(matches!(deliveries.1, Delivery::Email(_)), "{deliveries:?}");
    let (calls, mails) = app
        .db(move |conn| {
            let c = conn;
            (
                call_tasks::table.count().get_result::<i64>(c).unwrap(),
                outbox::table.count().get_result::<i64>(c).unwrap(),
            )
        })
        .await;
    assert_eq!((calls, mails), (1, 1), "one call, one mail, nothing dropped");

    let sheet = app.get("/api/v1/callsheet?date=2026-11-23", Some(&staff)).await;
    assert_eq!(sheet.status, 200, "{}", sheet.text);
    let items = sheet.body.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["resident_name"], "Mevrouw Bakker");
    assert_eq!(items[0]["phone"], "0318111222");
    assert_eq!(items[0]["overdue"], false);
    assert_eq!(items[0]["subject"], "Nieuw wachtwoord instellen");
    assert!(items[0]["message"].as_str().unwrap().contains("Mevrouw Bakker"));

    // Still open the next day: listed as overdue.
    let next_day = app.get("/api/v1/callsheet?date=2026-11-24", Some(&staff)).await;
    assert_eq!(next_day.body[0]["overdue"], true);

    let id = items[0]["id"].as_i64().unwrap();
    let done = app
        .post(
            &format!("/api/v1/callsheet/{id}/done"),
            Some(&staff),
            json!({"note": "gebeld, begrepen"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.body["done_at"].is_string());
    assert_eq!(done.body["note"], "gebeld, begrepen");
    app.post(&format!("/api/v1/callsheet/{id}/done"), Some(&staff), json!({}))
        .await
        .assert_problem(409, "already_done");
    assert_eq!(
        app.get("/api/v1/callsheet?date=2026-11-24", Some(&staff)).await.body,
        json!([])
    );
    app.post("/api/v1/callsheet/424242/done", Some(&staff), json!({}))
        .await
        .assert_problem(404, "not_found");

    let finance = app.token_for(Role::Finance).await;
    app.get("/api/v1/callsheet", Some(&finance))
        .await
        .assert_problem(403, "forbidden");
    app.get("/api/v1/callsheet?date=yesterday", Some(&staff))
        .await
        .assert_problem(400, "invalid_query");
}

/// A resident registered at the desk with a phone number only; id.
async fn phoned_resident(app: &crate::helpers::TestApp, staff: &str, name: &str, house: &str) -> i64 {
    let mut body = resident_body(name, "6711 AB");
    body["phone"] = json!("0318 111222");
    body["address"]["house_number"] = json!(house);
    let created = app.post("/api/v1/residents", Some(staff), body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.body["id"].as_i64().unwrap()
}

/// Orders a job for `resident` at the desk; the id of the message it puts on the sheet.
async fn order_for(w: &crate::helpers::World, resident: i64) -> i64 {
    ordered_for(w, resident).await.1
}

/// Orders a job for `resident` at the desk; the job's id and that of the message it puts
/// on the sheet.
async fn ordered_for(w: &crate::helpers::World, resident: i64) -> (i64, i64) {
    let mut order = crate::helpers::order_body(w.hedge, 60);
    order["recipient_id"] = json!(resident);
    let job = w.app.post("/api/v1/jobs", Some(&w.werkleider), order).await;
    assert_eq!(job.status, 201, "{}", job.text);
    let sheet = w.app.get("/api/v1/callsheet", Some(&w.werkleider)).await;
    let message = call_ids(&sheet.body).into_iter().max();
    (job.body["id"].as_i64().unwrap(), message.unwrap())
}

/// The ids of a list of calls, in its order.
fn call_ids(calls: &serde_json::Value) -> Vec<i64> {
    calls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

/// The ids of the messages on today's sheet still to be told, in the sheet's order.
async fn open_calls(w: &crate::helpers::World) -> Vec<i64> {
    let sheet = w.app.get("/api/v1/callsheet", Some(&w.werkleider)).await;
    let calls = sheet.body.as_array().unwrap().iter();
    calls
        .filter(|c| c["done_at"].is_null())
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn what_one_resident_is_told_in_one_call_is_together_and_marked_done_at_once() {
    let w = crate::helpers::world().await;
    let (app, staff) = (&w.app, w.werkleider.as_str());
    let bakker = phoned_resident(app, staff, "Mevrouw Bakker", "3").await;
    let visser = phoned_resident(app, staff, "Meneer Visser", "5").await;
    let first = order_for(&w, bakker).await;
    let his = order_for(&w, visser).await;
    let second = order_for(&w, bakker).await;

    // The sheet reads as calls: Mevrouw Bakker's two messages together, then his.
    let sheet = app.get("/api/v1/callsheet", Some(staff)).await;
    let order: Vec<(i64, i64)> = sheet
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["resident_id"].as_i64().unwrap(), c["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        order,
        [(bakker, first), (bakker, second), (visser, his)],
        "{}",
        sheet.text
    );

    // While she is on the phone a third message comes in: it was not read out.
    let during = order_for(&w, bakker).await;
    let done = app
        .post(
            "/api/v1/callsheet/done",
            Some(staff),
            json!({"ids": [second, first], "note": "gebeld, alles doorgegeven"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    let marked = call_ids(&done.body);
    assert_eq!(marked, [second, first], "in the order named");
    for call in done.body.as_array().unwrap() {
        assert!(call["done_at"].is_string(), "{call}");
        assert_eq!(call["note"], "gebeld, alles doorgegeven");
        assert_eq!(call["resident_name"], "Mevrouw Bakker");
    }
    assert_eq!(
        open_calls(&w).await,
        [during, his],
        "the message added during the call is still to be told"
    );

    // All or nothing.
    app.post("/api/v1/callsheet/done", Some(staff), json!({"ids": [during, first]}))
        .await
        .assert_problem(409, "already_done");
    app.post("/api/v1/callsheet/done", Some(staff), json!({"ids": [during, his]}))
        .await
        .assert_field_problem("ids", "several_residents");
    app.post("/api/v1/callsheet/done", Some(staff), json!({"ids": [during, 424242]}))
        .await
        .assert_field_problem("ids", "unknown_call");
    app.post("/api/v1/callsheet/done", Some(staff), json!({"ids": [during, during]}))
        .await
        .assert_field_problem("ids", "duplicate_call");
    app.post("/api/v1/callsheet/done", Some(staff), json!({"ids": []}))
        .await
        .assert_field_problem("ids", "required");
    assert_eq!(
        open_calls(&w).await,
        [during, his],
        "nothing was marked by a refused request"
    );
    let finance = app.token_for(Role::Finance).await;
    app.post("/api/v1/callsheet/done", Some(&finance), json!({"ids": [during]}))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn a_later_message_about_a_job_takes_the_place_of_one_not_yet_told() {
    let w = crate::helpers::world().await;
    let (app, staff) = (&w.app, w.werkleider.as_str());
    let bakker = phoned_resident(app, staff, "Mevrouw Bakker", "7").await;
    let (job, accepted) = ordered_for(&w, bakker).await;
    let other_order = order_for(&w, bakker).await;
    let worker = crate::helpers::create_participant(app, &w.coordinator, "Gert", "solo_klus").await;
    let planned = crate::planning::assign(&w, job, &[worker], &crate::helpers::next_local(10, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);

    // "You are on the waiting list" is not read out beside "we come on ...".
    let open = open_calls(&w).await;
    assert_eq!(open.len(), 2, "{open:?}");
    assert_eq!(open[0], other_order, "the other job's message stays");
    let appointment = open[1];
    assert!(appointment > accepted && !open.contains(&accepted), "{open:?}");
    let sheet = app.get("/api/v1/callsheet", Some(staff)).await;
    let subjects: Vec<&str> = sheet
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap())
        .collect();
    assert!(subjects[1].starts_with("Afgesproken: "), "{subjects:?}");

    // Once told, a message stays on the day's sheet as done, whatever follows.
    let told = app
        .post(&format!("/api/v1/callsheet/{appointment}/done"), Some(staff), json!({}))
        .await;
    assert_eq!(told.status, 200, "{}", told.text);
    let assignment = planned.body["id"].as_i64().unwrap();
    assert_eq!(crate::planning::unassign(&w, assignment).await.status, 204);
    let sheet = app.get("/api/v1/callsheet", Some(staff)).await;
    let ids = call_ids(&sheet.body);
    let off = *ids.iter().max().unwrap();
    assert_eq!(ids, [other_order, appointment, off], "{}", sheet.text);
    assert_eq!(open_calls(&w).await, [other_order, off]);
    assert!(
        sheet.body[2]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Gaat niet door: ")
    );
}
