//! Changing a running recurring visit: its text for the visits to come, and its last
//! date, which cancels the visits ordered beyond it.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};
use servicepunt::jobs::{series, series_store};
use servicepunt::planning::reminders::RoundSettings;

use crate::helpers::{Reply, World};
use crate::planned_work::mails;
use crate::series::{
    Started, called_once, phone_resident, run_round, shift_weekday, shopping, start, visit_dates, weekly, weekly_series,
};

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

async fn change(w: &World, token: &str, id: i64, body: Value) -> Reply {
    w.app
        .patch(&format!("/api/v1/job-series/{id}"), Some(token), body)
        .await
}

/// Each visit's (date, status, description), by date.
async fn visits(w: &World, token: &str, series: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for v in series["visits"].as_array().unwrap() {
        let job = w.app.get(&format!("/api/v1/jobs/{}", v["job_id"]), Some(token)).await;
        let text = |value: &Value| value.as_str().unwrap().to_owned();
        out.push((text(&v["date"]), text(&v["status"]), text(&job.body["description"])));
    }
    out
}

#[actix_web::test]
async fn new_visits_say_the_new_text_and_a_last_date_cancels_those_beyond_it() {
    let Started {
        w,
        token,
        series: started,
        id,
        ..
    } = weekly_series("anders@example.nl").await;
    let old = started.body["description"].as_str().unwrap().to_owned();

    let changed = change(&w, &token, id, json!({"description": "  Ook de apotheek.  "})).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["description"], "Ook de apotheek.");
    shift_weekday(&w, id, 3).await;
    assert_eq!(run_round(&w).await.ordered, 2);
    let series = w.app.get(&format!("/api/v1/job-series/{id}"), Some(&token)).await;
    let before = visits(&w, &token, &series.body).await;
    let texts: Vec<&str> = before.iter().map(|v| v.2.as_str()).collect();
    // By date (tomorrow, in 4, 8 and 11 days): the two ordered before the change keep
    // the old text.
    let today = servicepunt::clock::today();
    let new = "Ook de apotheek.";
    let expected_texts = [old.as_str(), new, old.as_str(), new];
    assert_eq!(texts, expected_texts, "{before:?}");

    // The last date five days from now: the visits after it go, the others stay.
    let end = today + Duration::days(5);
    let ended = change(&w, &token, id, json!({"ends_on": end})).await;
    assert_eq!(ended.status, 200, "{}", ended.text);
    assert_eq!(ended.body["ends_on"], json!(end));
    let after = visits(&w, &token, &ended.body).await;
    for ((date, status, _), (was_date, was_status, _)) in after.iter().zip(&before) {
        assert_eq!(date, was_date);
        let expected = if *date > end.to_string() {
            "cancelled"
        } else {
            was_status.as_str()
        };
        assert_eq!(status, expected, "{after:?}");
    }
    assert_eq!(after.iter().filter(|v| v.1 == "cancelled").count(), 2, "{after:?}");
    assert_eq!(run_round(&w).await.ordered, 0);

    // Refused, with nothing written: a last date in the past, nothing to change, an
    // unknown field, someone else's series, a stopped one.
    let yesterday = today - Duration::days(1);
    let past = change(&w, &token, id, json!({"ends_on": yesterday})).await;
    past.assert_problem(422, "validation_failed");
    assert_eq!(past.body["errors"][0]["code"], "date_in_past", "{}", past.text);
    let nothing = change(&w, &token, id, json!({})).await;
    assert_eq!(
        nothing.body["errors"][0]["code"], "nothing_to_change",
        "{}",
        nothing.text
    );
    change(&w, &token, id, json!({"colour": "rood"}))
        .await
        .assert_problem(400, "invalid_body");
    let (other, _, _) = w.app.register_resident("vreemde@example.nl").await;
    change(&w, &other, id, json!({"description": "Niet van mij"}))
        .await
        .assert_problem(404, "not_found");
    let unchanged = w.app.get(&format!("/api/v1/job-series/{id}"), Some(&token)).await;
    assert_eq!(unchanged.body, ended.body);
    let stop = format!("/api/v1/job-series/{id}/stop");
    assert_eq!(w.app.post(&stop, Some(&token), json!({})).await.status, 200);
    change(&w, &token, id, json!({"ends_on": null}))
        .await
        .assert_problem(409, "series_stopped");
}

/// A last date set too early and then moved later again: the dates it takes back are
/// ordered again at once, though their first visits were cancelled; those jobs stay
/// cancelled.
#[actix_web::test]
async fn a_later_last_date_orders_again_the_visits_an_earlier_one_cancelled() {
    let Started {
        w, token, series, id, ..
    } = weekly_series("verlengd@example.nl").await;
    let today = servicepunt::clock::today();
    let (tomorrow, next_week) = (today + Duration::days(1), today + Duration::days(8));
    let first_jobs: Vec<i64> = series.body["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["job_id"].as_i64().unwrap())
        .collect();
    assert_eq!(first_jobs.len(), 2, "{}", series.text);

    let early = change(&w, &token, id, json!({"ends_on": today + Duration::days(5)})).await;
    assert_eq!(early.status, 200, "{}", early.text);
    assert_eq!(early.body["visits"][1]["status"], "cancelled", "{}", early.text);

    let later = change(&w, &token, id, json!({"ends_on": today + Duration::days(10)})).await;
    assert_eq!(later.status, 200, "{}", later.text);
    let shown: Vec<(Value, Value)> = later.body["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["date"].clone(), v["status"].clone()))
        .collect();
    assert_eq!(
        shown,
        vec![
            (json!(tomorrow), json!("waitlisted")),
            (json!(next_week), json!("waitlisted"))
        ]
    );
    let again = later.body["visits"][1]["job_id"].as_i64().unwrap();
    assert_ne!(again, first_jobs[1], "a new visit, not the cancelled one revived");
    let cancelled = w
        .app
        .get(&format!("/api/v1/jobs/{}", first_jobs[1]), Some(&token))
        .await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.text);
    assert_eq!(run_round(&w).await.ordered, 0, "nothing twice");

    // Taken away, the last date takes back nothing more inside the fortnight.
    let open = change(&w, &token, id, json!({"ends_on": null})).await;
    assert_eq!(open.status, 200, "{}", open.text);
    assert_eq!(open.body["visits"], later.body["visits"]);
    assert_eq!(run_round(&w).await.ordered, 0);
}

/// Moved to another weekday and dagdeel: the visits ordered keep their day, and those
/// ordered from then on fall on the new one, from the week after the last one ordered, so
/// no week has two.
#[actix_web::test]
async fn a_series_moved_to_another_day_goes_on_from_the_visits_ordered() {
    let Started {
        w,
        token,
        series: started,
        id,
        ..
    } = weekly_series("verhuist@example.nl").await;
    let today = servicepunt::clock::today();
    let ordered = visit_dates(&started.body);
    let last: NaiveDate = ordered.last().unwrap().parse().unwrap();
    let new_day = (today + Duration::days(3)).weekday().num_days_from_monday();

    change(&w, &token, id, json!({"weekday": 7}))
        .await
        .assert_problem(422, "validation_failed");
    let same_day = change(&w, &token, id, json!({"description": "Ook de bakker."})).await;
    assert_eq!(same_day.status, 200, "{}", same_day.text);
    assert!(mails(&w, "series_moved").await.is_empty(), "no move, no mail");
    let moved = change(&w, &token, id, json!({"weekday": new_day, "dagdeel": "afternoon"})).await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.body["weekday"], new_day);
    assert_eq!(moved.body["dagdeel"], "afternoon");
    let kept: Vec<String> = visit_dates(&moved.body).into_iter().take(ordered.len()).collect();
    assert_eq!(kept, ordered, "the visits ordered keep their day");
    let week_after = monday(last) + Duration::days(7);
    assert_eq!(moved.body["starts_on"], json!(week_after));
    // The resident hears the new day, the first visit on it and the visits that stay.
    let told = mails(&w, "series_moved").await;
    assert_eq!(told.len(), 1, "{told:?}");
    let (to, data) = &told[0];
    assert_eq!(to, "verhuist@example.nl");
    let first_new = week_after + Duration::days(i64::from(new_day));
    assert_eq!(data["first"], json!(first_new), "{data}");
    assert_eq!(data["kept"], json!(ordered), "{data}");
    assert_eq!(data["dagdeel"]["nl"], "middag", "{data}");
    // The first on the new day is ordered at once if it falls within the fortnight.
    assert_eq!(run_round(&w).await.ordered, 0, "the fortnight is ordered already");

    // A week on, the round orders the next.
    let a_week_on = servicepunt::db::now() + Duration::days(7);
    let ordered_later = w
        .app
        .db(move |conn| {
            let series = series_store::find(conn, id).unwrap().unwrap();
            series::order_due(conn, &series, &RoundSettings::default().jobs, a_week_on).unwrap()
        })
        .await;
    assert!(ordered_later >= 1, "{ordered_later}");
    let series = w.app.get(&format!("/api/v1/job-series/{id}"), Some(&token)).await;
    let all: Vec<NaiveDate> = visit_dates(&series.body).iter().map(|d| d.parse().unwrap()).collect();
    let new: Vec<NaiveDate> = all.iter().copied().filter(|d| *d > last).collect();
    assert_eq!(new.len(), all.len() - ordered.len(), "{all:?}");
    assert_eq!(monday(new[0]), week_after, "{all:?}");
    for day in &new {
        assert_eq!(day.weekday().num_days_from_monday(), new_day, "{all:?}");
    }
    let mut weeks: Vec<NaiveDate> = all.iter().map(|d| monday(*d)).collect();
    weeks.dedup();
    assert_eq!(weeks.len(), all.len(), "one visit a week: {all:?}");
    let visit = series.body["visits"].as_array().unwrap().last().unwrap().clone();
    let job = w
        .app
        .get(&format!("/api/v1/jobs/{}", visit["job_id"]), Some(&token))
        .await;
    assert_eq!(job.body["preferred_windows"][0]["dagdeel"], "afternoon", "{}", job.text);
}

/// Moved at the counter for a resident without e-mail, the move is on the call sheet: the
/// new dagdeel, the first visit on it and the visits that keep the old one.
#[actix_web::test]
async fn a_series_moved_at_the_counter_is_on_the_call_sheet_of_a_resident_without_email() {
    let w = crate::helpers::world().await;
    let mut body = weekly(shopping(&w).await);
    body["recipient_id"] = json!(phone_resident(&w, "Telefoon Teun").await);
    let started = start(&w, &w.werkleider, body).await;
    assert_eq!(started.status, 201, "{}", started.text);
    let id = started.body["id"].as_i64().unwrap();
    let ordered = visit_dates(&started.body);

    let moved = change(&w, &w.werkleider, id, json!({"dagdeel": "evening"})).await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let message = called_once(&w, "Uw vaste afspraak verhuist").await;
    assert!(message.contains("verzet naar"), "{message}");
    assert!(message.contains("avond"), "{message}");
    assert!(message.contains("blijven op de oude dag"), "{message}");
    for day in &ordered {
        // Read to the resident as in a letter: "maandag 7 december 2026".
        let spoken =
            servicepunt::notify::spoken_dates::spelled_out(day.parse().unwrap(), servicepunt::domain::Language::Nl);
        assert!(message.contains(&spoken), "{spoken} stays: {message}");
    }
}
