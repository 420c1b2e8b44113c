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
