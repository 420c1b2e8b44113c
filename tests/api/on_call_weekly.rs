//! A weekly on-call rota set in one go: each staff member concerned gets one mail listing
//! their days, not one a day.

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::clock;

use crate::closed_days::close;
use crate::helpers::{World, count_rows, world};
use crate::planned_work::mails;

async fn weekly(w: &World, body: Value) -> crate::helpers::Reply {
    w.app.post("/api/v1/planning/on-call", Some(&w.werkleider), body).await
}

/// The next `weekday` (0 = Monday) after today.
fn next(weekday: u32) -> NaiveDate {
    let mut day = clock::today().succ_opt().unwrap();
    while day.weekday().num_days_from_monday() != weekday {
        day = day.succ_opt().unwrap();
    }
    day
}

#[actix_web::test]
async fn a_coach_put_on_every_tuesday_morning_gets_one_mail_with_the_days() {
    let w = world().await;
    let joke = w.app.create_user("joke@servicepunt.example", Role::Werkleider).await;
    let karim = w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let tuesday = next(1);
    let to = tuesday + Duration::days(20);

    // Joke had the second Tuesday's whole day.
    let second = tuesday + Duration::days(7);
    let path = format!("/api/v1/planning/on-call/{second}");
    let day = json!({"user_id": joke, "phone": "0612345678"});
    assert_eq!(
        w.app
            .call(Method::PUT, &path, Some(&w.werkleider), Some(day))
            .await
            .status,
        201
    );

    let body = json!({"user_id": karim, "phone": "0318123456", "from": tuesday, "to": to,
        "weekdays": [1], "dagdelen": ["morning"]});
    let set = weekly(&w, body).await;
    assert_eq!(set.status, 200, "{}", set.text);
    let days = [tuesday, second, tuesday + Duration::days(14)];
    assert_eq!(set.body["days"], json!(days), "{}", set.text);
    assert_eq!(set.body["dagdelen"], json!(["morning"]));

    let rota = w
        .app
        .get(
            &format!("/api/v1/planning/on-call?from={tuesday}&to={to}"),
            Some(&w.werkleider),
        )
        .await;
    let shifts: Vec<(Value, Value, Value)> = rota.body["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["date"].clone(), s["dagdeel"].clone(), s["phone"].clone()))
        .collect();
    let karims = json!("0318123456");
    let expected = vec![
        (json!(days[0]), json!("morning"), karims.clone()),
        (json!(second), json!("morning"), karims.clone()),
        (json!(second), json!("afternoon"), json!("0612345678")),
        (json!(second), json!("evening"), json!("0612345678")),
        (json!(days[2]), json!("morning"), karims),
    ];
    assert_eq!(shifts, expected, "{}", rota.text);

    // One mail each: Karim his three mornings, Joke the one she lost.
    let told = mails(&w, "on_call_weeks").await;
    let summary: Vec<(String, Value, usize)> = told
        .iter()
        .map(|(to, d)| (to.clone(), d["on"].clone(), d["days"].as_array().unwrap().len()))
        .collect();
    assert_eq!(
        summary,
        [
            ("karim@coach.example".to_owned(), json!(true), 3),
            ("joke@servicepunt.example".to_owned(), json!(false), 1),
        ]
    );
    let joke_lost = &told[1].1["days"][0];
    assert_eq!(
        *joke_lost,
        json!({"date": second, "dagdelen": {"nl": "ochtend", "en": "morning"}})
    );
}

#[actix_web::test]
async fn a_weekly_rota_that_cannot_be_set_writes_nothing() {
    let w = world().await;
    let karim = w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let finance = w.app.create_user("geld@servicepunt.example", Role::Finance).await;
    let today = clock::today();
    let first_error = |reply: &crate::helpers::Reply| {
        assert_eq!(reply.status, 422, "{}", reply.text);
        (
            reply.body["errors"][0]["field"].as_str().unwrap().to_owned(),
            reply.body["errors"][0]["code"].as_str().unwrap().to_owned(),
        )
    };
    let body = |from: NaiveDate, to: NaiveDate, weekdays: Value| json!({"user_id": karim, "phone": "0318123456", "from": from, "to": to, "weekdays": weekdays});
    let monday = next(0);
    for (body, field, code) in [
        (
            body(today - Duration::days(1), today, json!([0])),
            "from",
            "date_in_past",
        ),
        (
            body(monday, monday - Duration::days(1), json!([0])),
            "to",
            "invalid_period",
        ),
        (
            body(monday, today + Duration::days(400), json!([0])),
            "to",
            "too_far_ahead",
        ),
        (body(monday, monday, json!([])), "weekdays", "required"),
        (body(monday, monday, json!([9])), "weekdays", "invalid_weekday"),
        (body(monday, monday, json!([3])), "weekdays", "no_days"),
    ] {
        let refused = weekly(&w, body).await;
        assert_eq!(first_error(&refused), (field.to_owned(), code.to_owned()));
    }
    let wrong = json!({"user_id": finance, "phone": "bel maar", "from": monday, "to": monday, "weekdays": [0],
        "dagdelen": []});
    let refused = weekly(&w, wrong).await;
    assert_eq!(refused.error_fields(), ["user_id", "phone", "dagdelen"]);
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM on_call_shifts").await, 0);
    assert!(mails(&w, "on_call_weeks").await.is_empty());
}

async fn shifts_on(w: &World, day: NaiveDate) -> Value {
    let path = format!("/api/v1/planning/on-call?from={day}&to={day}");
    w.app.get(&path, Some(&w.werkleider)).await.body["shifts"].clone()
}

#[actix_web::test]
async fn a_weekly_rota_leaves_out_the_days_the_servicepunt_is_closed() {
    let w = world().await;
    let karim = w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let thursday = next(3);
    let closed = thursday + Duration::days(7);
    assert_eq!(close(&w, closed, "Teamdag").await.status, 201);

    let body = |from: NaiveDate, to: NaiveDate| json!({"user_id": karim, "phone": "0318123456", "from": from, "to": to, "weekdays": [3]});
    let set = weekly(&w, body(thursday, thursday + Duration::days(14))).await;
    assert_eq!(set.status, 200, "{}", set.text);
    let open = [thursday, thursday + Duration::days(14)];
    assert_eq!(set.body["days"], json!(open), "{}", set.text);
    assert_eq!(set.body["closed_days_left_out"], json!([closed]));
    assert_eq!(shifts_on(&w, closed).await, json!([]), "none on the closed day");
    let told = mails(&w, "on_call_weeks").await;
    assert_eq!(told.len(), 1);
    let told: Vec<&Value> = told[0].1["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["date"])
        .collect();
    assert_eq!(told, [&json!(open[0]), &json!(open[1])]);

    // Only closed days: a clear error, and nothing written.
    let refused = weekly(&w, body(closed, closed)).await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(refused.body["errors"][0]["code"], "all_days_closed", "{}", refused.text);
    assert_eq!(shifts_on(&w, closed).await, json!([]), "none on the closed day");
}
