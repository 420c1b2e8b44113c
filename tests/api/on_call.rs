//! The on-call rota: a professional is always reachable when something happens at an
//! address. The werkleiders say who in each shift (dagdeel) of a day, or the whole day;
//! everyone going out then sees the name and number on their schedule, by mail and in
//! the app.

use chrono::{Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::clock;

use crate::helpers::{Reply, World, count_rows, create_participant, local_span, next_day_at, world};
use crate::planned_work::mails;
use crate::planning::{assign, waitlisted_job};

async fn put_on_call(w: &World, day: NaiveDate, body: Value) -> Reply {
    let path = format!("/api/v1/planning/on-call/{day}");
    w.app.call(Method::PUT, &path, Some(&w.werkleider), Some(body)).await
}

/// A participant with an app account, linked to a profile: (token, participant id).
pub async fn participant_with_app(w: &World, email: &str) -> (String, i64) {
    w.app.create_user(email, Role::Participant).await;
    let token = w.app.login(email).await["access_token"].as_str().unwrap().to_owned();
    let me = create_participant(&w.app, &w.coordinator, "Priya Ramdin", "solo_klus").await;
    let linked = w
        .app
        .patch(
            &format!("/api/v1/participants/{me}"),
            Some(&w.werkleider),
            json!({"account_email": email}),
        )
        .await;
    assert_eq!(linked.status, 200, "{}", linked.text);
    (token, me)
}

#[actix_web::test]
async fn the_crew_going_out_sees_who_is_on_call() {
    let w = world().await;
    let joke = w.app.create_user("joke@servicepunt.example", Role::Werkleider).await;
    let finance = w.app.create_user("geld@servicepunt.example", Role::Finance).await;
    let (token, me) = participant_with_app(&w, "priya@deelnemer.example").await;
    let day = next_day_at(20);

    // Everything wrong is said at once; a day gone by or a year and more ahead is refused.
    let bad = put_on_call(&w, day, json!({"user_id": finance, "phone": "bel maar"})).await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.error_fields(), ["user_id", "phone"]);
    let body = json!({"user_id": joke, "phone": "06 1234 5678"});
    for (when, code) in [
        (clock::today() - Duration::days(1), "date_in_past"),
        (clock::today() + Duration::days(367), "too_far_ahead"),
    ] {
        let refused = put_on_call(&w, when, body.clone()).await;
        assert_eq!(refused.body["errors"][0]["code"], code, "{}", refused.text);
    }
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM on_call_shifts").await, 0);

    // No dagdelen named: the whole day.
    let set = put_on_call(&w, day, body.clone()).await;
    assert_eq!(set.status, 201, "{}", set.text);
    let shifts = set.body["shifts"].as_array().unwrap();
    let dagdelen: Vec<&str> = shifts.iter().map(|s| s["dagdeel"].as_str().unwrap()).collect();
    assert_eq!(dagdelen, ["morning", "afternoon", "evening"], "{}", set.text);
    assert!(
        shifts
            .iter()
            .all(|s| s["phone"] == "0612345678" && s["name"] == "Test Gebruiker")
    );

    // Work planned late that evening: the schedule goes out at once, with who to call.
    let job = waitlisted_job(&w, w.hedge, 60).await;
    assert_eq!(assign(&w, job, &[me], &local_span(day, 20, 60)).await.status, 201);
    let sent = mails(&w, "participant_schedule").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].1["on_call"]["phone"], "0612345678", "{:?}", sent[0].1);
    let schedule = w.app.get("/api/v1/me/schedule", Some(&token)).await;
    assert_eq!(schedule.status, 200, "{}", schedule.text);
    let contact = &schedule.body[0]["on_call"];
    assert_eq!(*contact, json!({"name": "Test Gebruiker", "phone": "0612345678"}));

    // Someone else takes over; then no one: the schedule says so.
    let coach = w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let swapped = put_on_call(&w, day, json!({"user_id": coach, "phone": "+31 318 123456"})).await;
    assert_eq!(swapped.status, 200, "{}", swapped.text);
    let schedule = w.app.get("/api/v1/me/schedule", Some(&token)).await;
    assert_eq!(schedule.body[0]["on_call"]["phone"], "+31318123456");
    let path = format!("/api/v1/planning/on-call/{day}");
    let cleared = w.app.call(Method::DELETE, &path, Some(&w.werkleider), None).await;
    assert_eq!(cleared.status, 204, "{}", cleared.text);

    // Each put on or taken off by someone else heard it; the coach reads the rota.
    let told: Vec<(String, Value, Value)> = mails(&w, "on_call_changed")
        .await
        .into_iter()
        .map(|(to, d)| (to, d["on"].clone(), d["phone"].clone()))
        .collect();
    let expected = [
        ("joke@servicepunt.example", true, "0612345678"),
        ("joke@servicepunt.example", false, "+31318123456"),
        ("karim@coach.example", true, "+31318123456"),
        ("karim@coach.example", false, ""),
    ]
    .map(|(to, on, phone)| (to.to_owned(), json!(on), json!(phone)));
    assert_eq!(told, expected);
    let karim = w.app.login("karim@coach.example").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let rota = w.app.get("/api/v1/planning/on-call", Some(&karim)).await;
    assert_eq!(rota.status, 200, "{}", rota.text);
    let again = w.app.call(Method::DELETE, &path, Some(&w.werkleider), None).await;
    again.assert_problem(404, "not_found");
    let schedule = w.app.get("/api/v1/me/schedule", Some(&token)).await;
    assert_eq!(schedule.body[0]["on_call"], Value::Null, "{}", schedule.text);
}

#[actix_web::test]
async fn the_rota_shows_the_days_with_work_and_no_one_on_call() {
    let w = world().await;
    let joke = w.app.create_user("joke@servicepunt.example", Role::Werkleider).await;
    let me = create_participant(&w.app, &w.coordinator, "Sanne Visser", "solo_klus").await;
    let first = clock::today() + Duration::days(2);
    for day in [first, first + Duration::days(1), first + Duration::days(2)] {
        let job = waitlisted_job(&w, w.hedge, 60).await;
        assert_eq!(assign(&w, job, &[me], &local_span(day, 10, 60)).await.status, 201);
    }
    let body = json!({"user_id": joke, "phone": "0612345678"});
    assert_eq!(put_on_call(&w, first + Duration::days(1), body).await.status, 201);
    let closed = crate::closed_days::close(&w, first + Duration::days(2), "Teamdag").await;
    assert_eq!(closed.status, 201, "{}", closed.text);

    let to = first + Duration::days(6);
    let rota = w
        .app
        .get(&format!("/api/v1/planning/on-call?to={to}"), Some(&w.werkleider))
        .await;
    assert_eq!(rota.status, 200, "{}", rota.text);
    assert_eq!(rota.body["shifts"][0]["date"], json!(first + Duration::days(1)));
    // The closed day sends no one out: nothing to cover.
    let morning = |day: NaiveDate| json!({"date": day, "dagdeel": "morning"});
    assert_eq!(rota.body["uncovered"], json!([morning(first)]), "{}", rota.text);

    // Joke leaves: her days have no one on call any more.
    let disabled = w
        .app
        .post(
            &format!("/api/v1/admin/users/{joke}/disable"),
            Some(&w.coordinator),
            json!({}),
        )
        .await;
    assert!(disabled.status.is_success(), "{}", disabled.text);
    let rota = w
        .app
        .get(&format!("/api/v1/planning/on-call?to={to}"), Some(&w.werkleider))
        .await;
    assert_eq!(rota.body["shifts"], json!([]), "{}", rota.text);
    assert_eq!(
        rota.body["uncovered"],
        json!([morning(first), morning(first + Duration::days(1))])
    );

    let backwards = format!("/api/v1/planning/on-call?from={to}&to={first}");
    w.app
        .get(&backwards, Some(&w.werkleider))
        .await
        .assert_problem(422, "validation_failed");
    let long = format!(
        "/api/v1/planning/on-call?from={first}&to={}",
        first + Duration::days(400)
    );
    let too_long = w.app.get(&long, Some(&w.werkleider)).await;
    assert_eq!(
        too_long.body["errors"][0]["code"], "period_too_long",
        "{}",
        too_long.text
    );
}

/// A day's on-call is kept a month after it, then the daily timer deletes it.
#[actix_web::test]
async fn the_rota_of_days_long_gone_is_deleted() {
    let w = world().await;
    let joke = w.app.create_user("joke@servicepunt.example", Role::Werkleider).await;
    let today = clock::today();
    let body = json!({"user_id": joke, "phone": "0612345678"});
    assert_eq!(put_on_call(&w, today, body).await.status, 201);
    let forget = |on: NaiveDate| {
        w.app
            .db(move |conn| servicepunt::planning::on_call_store::forget_past(conn, on).unwrap())
    };
    let kept = servicepunt::planning::on_call::KEPT_DAYS_AFTER;
    assert_eq!(forget(today + Duration::days(kept)).await, 0);
    assert_eq!(
        forget(today + Duration::days(kept + 1)).await,
        3,
        "the day's three shifts"
    );
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM on_call_shifts").await, 0);
}

/// The afternoon before a day with work and no one on call, the werkleiders hear it, once;
/// a day with someone on call, or with no work, is no news.
#[actix_web::test]
async fn the_werkleiders_hear_when_tomorrow_has_no_one_on_call() {
    let w = world().await;
    let joke = w.app.create_user("joke@servicepunt.example", Role::Werkleider).await;
    let me = create_participant(&w.app, &w.coordinator, "Sanne Visser", "solo_klus").await;
    let uncovered = clock::today() + Duration::days(2);
    let covered = uncovered + Duration::days(1);
    for day in [uncovered, covered] {
        let job = waitlisted_job(&w, w.hedge, 60).await;
        assert_eq!(assign(&w, job, &[me], &local_span(day, 10, 60)).await.status, 201);
    }
    let body = json!({"user_id": joke, "phone": "0612345678"});
    assert_eq!(put_on_call(&w, covered, body).await.status, 201);

    crate::broken_work_alerts::round(&w, uncovered, 14).await;
    let told = mails(&w, "on_call_missing").await;
    assert!(!told.is_empty(), "every werkleider is told");
    assert!(
        told.iter()
            .all(|(_, d)| d["date"] == json!(uncovered) && d["crews"] == 1),
        "{told:?}"
    );
    assert!(
        told[0].1["link"].as_str().unwrap().ends_with("/planning/on-call"),
        "{told:?}"
    );
    let first = told.len();
    crate::broken_work_alerts::round(&w, uncovered, 15).await;
    crate::broken_work_alerts::round(&w, covered, 14).await;
    crate::broken_work_alerts::round(&w, covered + Duration::days(1), 14).await;
    assert_eq!(
        mails(&w, "on_call_missing").await.len(),
        first,
        "once, and only for that day"
    );
}

/// The morning and the evening with different staff on call and the afternoon with no one:
/// each piece of work names whoever answers when it starts, the werkleiders hear of the
/// afternoon only, and taking one shift off leaves the others.
#[actix_web::test]
async fn each_shift_of_a_day_has_its_own_on_call() {
    let w = world().await;
    let joke = w.app.create_user("joke@servicepunt.example", Role::Werkleider).await;
    let karim = w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let (token, me) = participant_with_app(&w, "priya@deelnemer.example").await;
    let day = clock::today() + Duration::days(2);

    let none = json!({"user_id": joke, "phone": "0612345678", "dagdelen": []});
    let refused = put_on_call(&w, day, none).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["errors"][0]["field"], "dagdelen", "{}", refused.text);
    assert_eq!(refused.body["errors"][0]["code"], "required", "{}", refused.text);
    let morning = json!({"user_id": joke, "phone": "0612345678", "dagdelen": ["morning"]});
    assert_eq!(put_on_call(&w, day, morning).await.status, 201);
    let evening = json!({"user_id": karim, "phone": "0318123456", "dagdelen": ["evening", "evening"]});
    let set = put_on_call(&w, day, evening).await;
    assert_eq!(set.status, 201, "{}", set.text);
    let on_call = |body: &Value| -> Vec<(String, String)> {
        body["shifts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["dagdeel"].as_str().unwrap().to_owned(),
                    s["phone"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let both = [("morning", "0612345678"), ("evening", "0318123456")].map(|(d, p)| (d.to_owned(), p.to_owned()));
    assert_eq!(on_call(&set.body), both);

    for hour in [9, 14, 19] {
        let job = waitlisted_job(&w, w.hedge, 60).await;
        assert_eq!(assign(&w, job, &[me], &local_span(day, hour, 60)).await.status, 201);
    }
    let schedule = w.app.get("/api/v1/me/schedule", Some(&token)).await;
    assert_eq!(schedule.status, 200, "{}", schedule.text);
    let phones: Vec<Value> = (0..3).map(|i| schedule.body[i]["on_call"]["phone"].clone()).collect();
    assert_eq!(
        phones,
        [json!("0612345678"), Value::Null, json!("0318123456")],
        "{}",
        schedule.text
    );
    let rota = w
        .app
        .get(&format!("/api/v1/planning/on-call?to={day}"), Some(&w.werkleider))
        .await;
    assert_eq!(on_call(&rota.body), both, "{}", rota.text);
    let afternoon = json!([{"date": day, "dagdeel": "afternoon"}]);
    assert_eq!(rota.body["uncovered"], afternoon, "{}", rota.text);

    // The afternoon before: the werkleiders hear of the one crew in the afternoon; the
    // participant's mail names who to call under each piece of work.
    crate::broken_work_alerts::round(&w, day, 16).await;
    let told = mails(&w, "on_call_missing").await;
    assert!(!told.is_empty());
    assert!(
        told.iter()
            .all(|(_, d)| d["dagdelen"]["nl"] == "middag" && d["crews"] == 1),
        "{told:?}"
    );
    let sent = mails(&w, "participant_schedule").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].1["on_call"], Value::Null, "not one for the whole day");
    let items = sent[0].1["items"].as_array().unwrap();
    let phones: Vec<&Value> = items.iter().map(|i| &i["on_call"]["phone"]).collect();
    assert_eq!(phones, [&json!("0612345678"), &Value::Null, &json!("0318123456")]);

    // The evening taken off leaves the morning; the coach hears of the evening alone.
    let path = format!("/api/v1/planning/on-call/{day}?dagdeel=evening");
    let cleared = w.app.call(Method::DELETE, &path, Some(&w.werkleider), None).await;
    assert_eq!(cleared.status, 204, "{}", cleared.text);
    let again = w.app.call(Method::DELETE, &path, Some(&w.werkleider), None).await;
    again.assert_problem(404, "not_found");
    let night = format!("/api/v1/planning/on-call/{day}?dagdeel=night");
    let bad = w.app.call(Method::DELETE, &night, Some(&w.werkleider), None).await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    let rota = w
        .app
        .get(&format!("/api/v1/planning/on-call?to={day}"), Some(&w.werkleider))
        .await;
    assert_eq!(on_call(&rota.body), both[..1]);
    let changes: Vec<(String, Value, Value)> = mails(&w, "on_call_changed")
        .await
        .into_iter()
        .map(|(to, d)| (to, d["on"].clone(), d["dagdelen"]["nl"].clone()))
        .collect();
    let expected = [
        ("joke@servicepunt.example", true, "ochtend"),
        ("karim@coach.example", true, "avond"),
        ("karim@coach.example", false, "avond"),
    ]
    .map(|(to, on, when)| (to.to_owned(), json!(on), json!(when)));
    assert_eq!(changes, expected);
}

/// Work that runs on from the morning into the afternoon, and from the afternoon into the
/// evening: the crew learns from when someone else answers, or no one does.
#[actix_web::test]
async fn work_running_into_the_next_shift_names_who_answers_from_then() {
    let w = world().await;
    let joke = w.app.create_user("joke@servicepunt.example", Role::Werkleider).await;
    let karim = w.app.create_user("karim@coach.example", Role::Trajectbegeleider).await;
    let (token, me) = participant_with_app(&w, "priya@deelnemer.example").await;
    let day = clock::today() + Duration::days(2);
    let morning = json!({"user_id": joke, "phone": "0612345678", "dagdelen": ["morning"]});
    assert_eq!(put_on_call(&w, day, morning).await.status, 201);
    let evening = json!({"user_id": karim, "phone": "0318123456", "dagdelen": ["evening"]});
    assert_eq!(put_on_call(&w, day, evening).await.status, 201);
    // 11:00–14:00 and 16:00–19:00.
    for hour in [11, 16] {
        let job = waitlisted_job(&w, w.hedge, 180).await;
        assert_eq!(assign(&w, job, &[me], &local_span(day, hour, 180)).await.status, 201);
    }
    let utc = |hour: u32, minute: u32| {
        let local = day.and_hms_opt(hour, minute, 0).unwrap();
        let slot = servicepunt::planning::rules::Slot::from_local(local, local);
        json!(
            slot.utc_start
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        )
    };
    let schedule = w.app.get("/api/v1/me/schedule", Some(&token)).await;
    assert_eq!(schedule.status, 200, "{}", schedule.text);
    let items = schedule.body.as_array().unwrap();
    assert_eq!(items[0]["on_call"]["phone"], "0612345678", "{}", schedule.text);
    assert_eq!(
        items[0]["on_call_later"],
        json!([{"from": utc(12, 30), "on_call": null}]),
        "{}",
        schedule.text
    );
    assert_eq!(items[1]["on_call"], Value::Null, "{}", schedule.text);
    let karims = &items[1]["on_call_later"];
    assert_eq!(karims.as_array().unwrap().len(), 1, "{}", schedule.text);
    assert_eq!(karims[0]["from"], utc(17, 30));
    assert_eq!(karims[0]["on_call"]["phone"], "0318123456");
    assert!(karims[0]["on_call"]["name"].is_string(), "{}", schedule.text);

    // In the mail the afternoon before: under each piece of work, not one line for all.
    crate::broken_work_alerts::round(&w, day, 16).await;
    let sent = mails(&w, "participant_schedule").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].1["on_call"], Value::Null, "{:?}", sent[0].1);
    let later: Vec<&Value> = sent[0].1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["on_call_later"])
        .collect();
    assert_eq!(later[0], &json!([{"from": "12:30", "on_call": null}]));
    assert_eq!(later[1][0]["from"], "17:30");
    assert_eq!(later[1][0]["on_call"]["phone"], "0318123456");

    // Joke takes the afternoon too: the first piece of work has one answer throughout.
    let afternoon = json!({"user_id": joke, "phone": "0612345678", "dagdelen": ["afternoon"]});
    assert_eq!(put_on_call(&w, day, afternoon).await.status, 201);
    let schedule = w.app.get("/api/v1/me/schedule", Some(&token)).await;
    assert_eq!(schedule.body[0]["on_call_later"], json!([]), "{}", schedule.text);
    assert_eq!(schedule.body[1]["on_call"]["phone"], "0612345678");
    assert_eq!(schedule.body[1]["on_call_later"][0]["on_call"]["phone"], "0318123456");
}
