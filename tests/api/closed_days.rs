//! Days the servicepunt is closed: nobody is sent out, work planned before the day closed
//! is marked for re-planning and held back from the reminders, and the auto-planner
//! passes the day by.

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::broken_work_alerts::round;
use crate::helpers::{Reply, World, count_rows, create_participant, local_span, next_day_at, world};
use crate::planned_work::{mails, participant_with_address, schedules};
use crate::planning::{assign, waitlisted_job};

pub async fn close(w: &World, day: NaiveDate, reason: &str) -> Reply {
    let path = format!("/api/v1/planning/closed-days/{day}");
    let body = json!({ "reason": reason });
    w.app.call(Method::PUT, &path, Some(&w.werkleider), Some(body)).await
}

async fn open(w: &World, day: NaiveDate) -> Reply {
    let path = format!("/api/v1/planning/closed-days/{day}");
    w.app.call(Method::DELETE, &path, Some(&w.werkleider), None).await
}

fn ids(list: &Value, key: &str) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_closed_day_takes_no_work_and_shows_what_was_planned_on_it() {
    let w = world().await;
    let els = create_participant(&w.app, &w.coordinator, "Eerste Els", "solo_klus").await;
    let day = servicepunt::clock::today() + Duration::days(3);
    let planned_job = waitlisted_job(&w, w.hedge, 60).await;
    let later_job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, planned_job, &[els], &local_span(day, 10, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);

    let closed = close(&w, day, "Teamdag").await;
    assert_eq!(closed.status, 201, "{}", closed.text);
    assert_eq!(
        (&closed.body["date"], &closed.body["reason"]),
        (&json!(day), &json!("Teamdag"))
    );
    assert_eq!(ids(&closed.body["planned_work"], "job_id"), vec![planned_job]);
    let renamed = close(&w, day, "Teamuitje").await;
    assert_eq!(renamed.status, 200, "closed already: {}", renamed.text);
    assert_eq!(renamed.body["reason"], "Teamuitje");

    assign(&w, later_job, &[els], &local_span(day, 14, 60))
        .await
        .assert_problem(422, "service_point_closed");

    let board = w
        .app
        .get(&format!("/api/v1/planning?from={day}&to={day}"), Some(&w.werkleider))
        .await;
    let that_day = &board.body["days"][0];
    assert_eq!(that_day["closed"], "Teamuitje", "{}", board.text);
    let els_day = &that_day["participants"][0];
    assert_eq!(els_day["free_dagdelen"], json!([]), "no dagdeel is free");
    let conflicts = &els_day["assignments"][0]["conflicts"];
    assert_eq!(conflicts[0]["code"], "service_point_closed", "{conflicts}");
    let open_day = w
        .app
        .get(
            &format!("/api/v1/planning?from={0}&to={0}", day + Duration::days(1)),
            Some(&w.werkleider),
        )
        .await;
    assert!(open_day.body["days"][0].get("closed").is_none(), "{}", open_day.text);

    let broken = w.app.get("/api/v1/planning/broken-work", Some(&w.werkleider)).await;
    assert_eq!(ids(&broken.body, "job_id"), vec![planned_job]);
    let job_path = format!("/api/v1/jobs/{planned_job}");
    let job = w.app.get(&job_path, Some(&w.werkleider)).await;
    assert_eq!(job.body["schedule"]["closed"], "Teamuitje", "{}", job.text);
    let listed = w.app.get("/api/v1/planning/closed-days", Some(&w.werkleider)).await;
    assert_eq!(listed.body, json!([{"date": day, "reason": "Teamuitje"}]));
    let before = format!("/api/v1/planning/closed-days?to={}", day - Duration::days(1));
    assert_eq!(w.app.get(&before, Some(&w.werkleider)).await.body, json!([]));

    // Open again: the day takes work, and what was planned fits again.
    assert_eq!(open(&w, day).await.status, 200);
    let now_planned = assign(&w, later_job, &[els], &local_span(day, 14, 60)).await;
    assert_eq!(now_planned.status, 201, "{}", now_planned.text);
    let broken = w.app.get("/api/v1/planning/broken-work", Some(&w.werkleider)).await;
    assert_eq!(broken.body, json!([]));
    let job = w.app.get(&job_path, Some(&w.werkleider)).await;
    assert!(job.body["schedule"].get("closed").is_none(), "{}", job.text);
    open(&w, day).await.assert_problem(404, "not_found");
}

#[actix_web::test]
async fn the_round_before_a_closed_day_alerts_the_werkleiders_and_reminds_nobody() {
    let w = world().await;
    let els = participant_with_address(&w, "Eerste Els", "els@example.nl").await;
    let day = servicepunt::clock::today() + Duration::days(2);
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, job, &[els], &local_span(day, 10, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    assert_eq!(close(&w, day, "Koningsdag").await.status, 201);

    assert_eq!(round(&w, day, 16).await, (1, 0, 0), "the werkleider only");
    let alert = &mails(&w, "broken_work_alert").await[0].1;
    assert_eq!(ids(&alert["items"], "job_id"), vec![job]);
    assert!(mails(&w, "job_reminder").await.is_empty(), "no visit promised");
    assert!(schedules(&w).await.is_empty(), "nobody sent out");

    // Opened again: the next round sends what was held back.
    assert_eq!(open(&w, day).await.status, 200);
    assert_eq!(round(&w, day, 17).await, (0, 1, 1));
}

/// The jobs and reasons of the residents' mails of `template` so far, oldest first.
async fn visits_told(w: &World, template: &'static str) -> Vec<(i64, Value)> {
    let told = mails(w, template).await;
    told.into_iter()
        .map(|(_, data)| (data["job_id"].as_i64().unwrap(), data))
        .collect()
}

/// Residents heard of their visit when it was planned, and crews get their schedule the
/// afternoon before: a closing tells each the visit is off, an opening that it is on.
#[actix_web::test]
async fn closing_and_opening_a_day_tell_the_residents_and_the_crews_concerned() {
    let w = world().await;
    let els = participant_with_address(&w, "Eerste Els", "els@example.nl").await;
    let teun = participant_with_address(&w, "Tweede Teun", "teun@example.nl").await;
    // Evening work today or tomorrow: its afternoon round has passed, so Els has her
    // schedule. Teun's work is days ahead: no schedule yet.
    let soon = next_day_at(18);
    let later = servicepunt::clock::today() + Duration::days(4);
    let els_job = waitlisted_job(&w, w.hedge, 60).await;
    let early_job = waitlisted_job(&w, w.hedge, 60).await;
    let teun_job = waitlisted_job(&w, w.hedge, 60).await;
    assert_eq!(assign(&w, els_job, &[els], &local_span(soon, 20, 60)).await.status, 201);
    let early = assign(&w, early_job, &[els], &local_span(soon, 18, 60)).await;
    assert_eq!(early.status, 201, "{}", early.text);
    assert_eq!(
        assign(&w, teun_job, &[teun], &local_span(later, 10, 60)).await.status,
        201
    );
    assert_eq!(schedules(&w).await.len(), 2, "Els's day, planned late, and changed");

    let closed = close(&w, soon, "Stormwaarschuwing").await;
    assert_eq!(closed.status, 201, "{}", closed.text);
    assert_eq!(closed.body["told"], json!({"residents": 2, "participants": 1}));
    let off = visits_told(&w, "job_day_closed").await;
    let off_jobs: Vec<i64> = off.iter().map(|(job, _)| *job).collect();
    assert_eq!(off_jobs, vec![early_job, els_job], "earliest first");
    assert_eq!(
        (&off[1].1["date"], &off[1].1["from"], &off[1].1["reason"]),
        (&json!(soon), &json!("20:00"), &json!("Stormwaarschuwing"))
    );
    let not_coming = mails(&w, "participant_day_closed").await;
    assert_eq!(not_coming.len(), 1);
    assert_eq!(not_coming[0].0, "els@example.nl");
    assert_eq!(not_coming[0].1["reason"], "Stormwaarschuwing");

    // A new reason tells nobody again. Work taken off the closed day, back on the
    // waiting list, is no news: its resident was told a new day follows, and its crew
    // not to come.
    let renamed = close(&w, soon, "Storm").await;
    assert_eq!(renamed.body["told"], json!({"residents": 0, "participants": 0}));
    let early_id = early.body["id"].as_i64().unwrap();
    assert_eq!(crate::planning::unassign(&w, early_id).await.status, 204);
    assert_eq!(mails(&w, "job_unscheduled").await, vec![], "told of the closing");
    assert_eq!(schedules(&w).await.len(), 2, "no schedule for a closed day");

    let closed_later = close(&w, later, "Teamdag").await;
    assert_eq!(closed_later.body["told"], json!({"residents": 1, "participants": 0}));
    assert_eq!(
        mails(&w, "participant_day_closed").await.len(),
        1,
        "Teun had no schedule"
    );

    // Open again: the visit goes ahead after all, and Els has her day back.
    let opened = open(&w, soon).await;
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert_eq!(opened.body["told"], json!({"residents": 1, "participants": 1}));
    let on = visits_told(&w, "job_scheduled").await;
    let (job, again) = on.last().unwrap();
    assert_eq!(
        (job, &again["reopened"], &again["from"]),
        (&els_job, &json!(true), &json!("20:00"))
    );
    let els_day = ("els@example.nl".to_owned(), true, vec!["20:00".to_owned()]);
    assert_eq!(schedules(&w).await.last(), Some(&els_day));
    assert_eq!(
        open(&w, later).await.body["told"],
        json!({"residents": 1, "participants": 0})
    );
    // Its day open, work taken off is news again.
    let teun_id = closed_later.body["planned_work"][0]["id"].as_i64().unwrap();
    assert_eq!(crate::planning::unassign(&w, teun_id).await.status, 204);
    let off = mails(&w, "job_unscheduled").await;
    assert_eq!(off.len(), 1, "{off:?}");
    assert_eq!(off[0].1["job_id"], teun_job);

    // Closed once more, each is told once more.
    let closed_again = close(&w, soon, "Storm").await;
    assert_eq!(closed_again.body["told"], json!({"residents": 1, "participants": 1}));
}

async fn release(w: &World, day: NaiveDate) -> Reply {
    let path = format!("/api/v1/planning/closed-days/{day}/release");
    w.app.post(&path, Some(&w.werkleider), json!({})).await
}

/// A closed day's work goes back on the waiting list in one go, without a second message
/// to its residents, and the auto-planner then finds it another day.
#[actix_web::test]
async fn a_closed_day_s_work_goes_back_on_the_waiting_list_at_once() {
    let w = world().await;
    let els = create_participant(&w.app, &w.coordinator, "Eerste Els", "solo_klus").await;
    let day = servicepunt::clock::today() + Duration::days(2);
    let mut jobs = Vec::new();
    let mut planned = Vec::new();
    for hour in [9, 11, 13] {
        let job = waitlisted_job(&w, w.hedge, 60).await;
        let made = assign(&w, job, &[els], &local_span(day, hour, 60)).await;
        assert_eq!(made.status, 201, "{}", made.text);
        jobs.push(job);
        planned.push(made.body["id"].as_i64().unwrap());
    }
    // Hours logged on the 11:00 work ahead of its day (a start made early): it stays.
    let (start, end) = crate::helpers::local_span(servicepunt::clock::today() - Duration::days(1), 10, 60);
    let logged = w
        .app
        .post(
            "/api/v1/worklogs",
            Some(&w.werkleider),
            json!({"participant_ids": [els], "assignment_id": planned[1], "started_at": start, "ended_at": end,
                "note": "eerder begonnen"}),
        )
        .await;
    assert_eq!(logged.status, 201, "{}", logged.text);
    let kept_job = jobs.remove(1);
    release(&w, day).await.assert_problem(404, "not_found");
    assert_eq!(close(&w, day, "Hemelvaartsdag").await.status, 201);
    let told = mails(&w, "job_day_closed").await.len();
    assert_eq!(told, 3);

    let released = release(&w, day).await;
    assert_eq!(released.status, 200, "{}", released.text);
    assert_eq!(released.body["released_job_ids"], json!(jobs));
    assert_eq!(ids(&released.body["kept"], "job_id"), vec![kept_job]);
    for job in &jobs {
        let status = w.app.get(&format!("/api/v1/jobs/{job}"), Some(&w.werkleider)).await;
        assert_eq!(status.body["status"], "waitlisted", "{}", status.text);
    }
    assert!(mails(&w, "job_unscheduled").await.is_empty(), "told at the closing");
    let again = release(&w, day).await;
    assert_eq!(again.body["released_job_ids"], json!([]), "{}", again.text);

    let proposal = w
        .app
        .post(
            "/api/v1/planning/proposals",
            Some(&w.werkleider),
            json!({"from": day, "to": day + Duration::days(1)}),
        )
        .await;
    let placed: Vec<i64> = ids(&proposal.body["lines"], "job_id");
    assert_eq!(placed.len(), 2, "{}", proposal.text);
    for line in proposal.body["lines"].as_array().unwrap() {
        let starts = chrono::DateTime::parse_from_rfc3339(line["starts_at"].as_str().unwrap()).unwrap();
        assert_eq!(servicepunt::clock::local_date(starts.to_utc()), day + Duration::days(1));
    }
    release(&w, servicepunt::clock::today() - Duration::days(1))
        .await
        .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn the_auto_planner_passes_a_closed_day_by() {
    let w = world().await;
    create_participant(&w.app, &w.coordinator, "Eerste Els", "solo_klus").await;
    let day = servicepunt::clock::today() + Duration::days(2);
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let propose = || {
        w.app.post(
            "/api/v1/planning/proposals",
            Some(&w.werkleider),
            json!({"from": day, "to": day + Duration::days(1)}),
        )
    };
    assert_eq!(close(&w, day, "Tweede Kerstdag").await.status, 201);
    let proposal = propose().await;
    assert_eq!(proposal.status, 201, "{}", proposal.text);
    let line = &proposal.body["lines"][0];
    assert_eq!(line["job_id"], job, "{}", proposal.text);
    let starts = chrono::DateTime::parse_from_rfc3339(line["starts_at"].as_str().unwrap()).unwrap();
    assert_eq!(servicepunt::clock::local_date(starts.to_utc()), day + Duration::days(1));

    assert_eq!(close(&w, day + Duration::days(1), "Teamdag").await.status, 201);
    let proposal = propose().await;
    assert_eq!(proposal.body["lines"], json!([]), "{}", proposal.text);
    assert_eq!(proposal.body["unplaced_job_ids"], json!([job]));
}

#[actix_web::test]
async fn closing_refuses_bad_input_and_writes_nothing() {
    let w = world().await;
    let today = servicepunt::clock::today();
    let soon = today + Duration::days(7);
    let cases = [
        (
            today - Duration::days(1),
            json!({"reason": "Gisteren"}),
            "date_in_past",
            "date",
        ),
        (
            today + Duration::days(731),
            json!({"reason": "Ver weg"}),
            "too_far_ahead",
            "date",
        ),
        (soon, json!({"reason": "  "}), "required", "reason"),
        (soon, json!({"reason": "x".repeat(101)}), "too_long", "reason"),
        (soon, json!({"reason": "a\u{7}b"}), "invalid_text", "reason"),
    ];
    for (day, body, code, field) in cases {
        let path = format!("/api/v1/planning/closed-days/{day}");
        let reply = w.app.call(Method::PUT, &path, Some(&w.werkleider), Some(body)).await;
        reply.assert_problem(422, "validation_failed");
        assert_eq!(
            (&reply.body["errors"][0]["code"], &reply.body["errors"][0]["field"]),
            (&json!(code), &json!(field)),
            "{}",
            reply.text
        );
    }
    let put = |path: &'static str, body: Value| w.app.call(Method::PUT, path, Some(&w.werkleider), Some(body));
    put("/api/v1/planning/closed-days/2027-02-30", json!({"reason": "x"}))
        .await
        .assert_problem(404, "not_found");
    put("/api/v1/planning/closed-days/+262142-01-01", json!({"reason": "x"}))
        .await
        .assert_problem(404, "not_found");
    let path = format!("/api/v1/planning/closed-days/{soon}");
    let extra = w
        .app
        .call(
            Method::PUT,
            &path,
            Some(&w.werkleider),
            Some(json!({"reason": "x", "all": true})),
        )
        .await;
    assert_eq!(extra.status, 400, "{}", extra.text);
    open(&w, today - Duration::days(1))
        .await
        .assert_problem(422, "validation_failed");
    let reversed = format!("/api/v1/planning/closed-days?from={soon}&to={today}");
    w.app
        .get(&reversed, Some(&w.werkleider))
        .await
        .assert_problem(422, "validation_failed");
    let rows = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM closed_days";
    assert_eq!(count_rows(&w.app, rows).await, 0);
}

#[actix_web::test]
async fn a_participant_sees_which_of_their_work_falls_on_a_closed_day() {
    let w = world().await;
    let account = "deelnemer@servicepunt.example";
    w.app.create_user(account, Role::Participant).await;
    let token = w.app.login(account).await["access_token"].as_str().unwrap().to_owned();
    let me = create_participant(&w.app, &w.coordinator, "Priya Ramdin", "solo_klus").await;
    let path = format!("/api/v1/participants/{me}");
    let linked = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"account_email": account}))
        .await;
    assert_eq!(linked.status, 200, "{}", linked.text);
    let closed_day = servicepunt::clock::today() + Duration::days(2);
    for day in [closed_day, closed_day + Duration::days(1)] {
        let job = waitlisted_job(&w, w.hedge, 60).await;
        assert_eq!(assign(&w, job, &[me], &local_span(day, 10, 60)).await.status, 201);
    }
    assert_eq!(close(&w, closed_day, "Koningsdag").await.status, 201);

    let schedule = w.app.get("/api/v1/me/schedule", Some(&token)).await;
    let items = schedule.body.as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", schedule.text);
    assert_eq!(items[0]["closed"], "Koningsdag", "{}", schedule.text);
    assert!(items[1].get("closed").is_none(), "{}", schedule.text);
}

#[actix_web::test]
async fn the_year_s_public_holidays_are_offered_to_close() {
    let w = world().await;
    let year = servicepunt::clock::today().year() + 1;
    let path = format!("/api/v1/planning/public-holidays?year={year}");
    let offered = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(offered.status, 200, "{}", offered.text);
    let days = offered.body.as_array().unwrap();
    assert!(days.len() >= 10, "{}", offered.text);
    let christmas = NaiveDate::from_ymd_opt(year, 12, 26).unwrap();
    let last = days.last().unwrap();
    assert_eq!(
        (&last["date"], &last["name"], &last["closed"]),
        (&json!(christmas), &json!("Tweede Kerstdag"), &json!(false))
    );

    assert_eq!(close(&w, christmas, "Tweede Kerstdag").await.status, 201);
    let again = w.app.get(&path, Some(&w.werkleider)).await;
    let closed: Vec<&Value> = again
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["closed"] == true)
        .map(|d| &d["date"])
        .collect();
    assert_eq!(closed, vec![&json!(christmas)], "{}", again.text);
    w.app
        .get("/api/v1/planning/public-holidays?year=2013", Some(&w.werkleider))
        .await
        .assert_problem(422, "validation_failed");
    let this_year = w.app.get("/api/v1/planning/public-holidays", Some(&w.werkleider)).await;
    let first = this_year.body[0]["date"].as_str().unwrap().to_owned();
    assert_eq!(first, format!("{}-01-01", year - 1));
}

/// A resident who asks for a day the servicepunt is closed hears so at once, with the
/// day's reason, and nothing is written; a series' visit on a closed day is still
/// ordered, for the werkleiders to plan on another day.
#[actix_web::test]
async fn an_order_for_a_closed_day_is_refused_with_its_reason() {
    let w = world().await;
    let (resident, _, _) = w.app.register_resident("kerst@example.nl").await;
    let today = servicepunt::clock::today();
    let (open_day, closed_day) = (today + Duration::days(6), today + Duration::days(7));
    assert_eq!(close(&w, closed_day, "Teamdag").await.status, 201);
    let window = |day: NaiveDate| json!({"date": day, "dagdeel": "morning"});
    let mut body = crate::helpers::order_body(w.hedge, 60);
    body["preferred_windows"] = json!([window(open_day), window(closed_day)]);
    let jobs = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM jobs";
    let before = count_rows(&w.app, jobs).await;

    let refused = w.app.post("/api/v1/jobs", Some(&resident), body.clone()).await;
    refused.assert_problem(422, "validation_failed");
    let error = &refused.body["errors"][0];
    assert_eq!(error["field"], "preferred_windows[1]", "{}", refused.text);
    assert_eq!(error["code"], "service_point_closed");
    assert!(error["message"].as_str().unwrap().contains("(Teamdag)"), "{error}");
    assert_eq!(count_rows(&w.app, jobs).await, before, "nothing written");

    body["preferred_windows"] = json!([window(open_day)]);
    let ordered = w.app.post("/api/v1/jobs", Some(&resident), body).await;
    assert_eq!(ordered.status, 201, "{}", ordered.text);
    let path = format!("/api/v1/jobs/{}", ordered.body["id"]);
    let moved = json!({"preferred_windows": [window(closed_day)]});
    let changed = w.app.patch(&path, Some(&resident), moved).await;
    changed.assert_problem(422, "validation_failed");
    assert_eq!(changed.body["errors"][0]["code"], "service_point_closed");
    let job = w.app.get(&path, Some(&resident)).await;
    assert_eq!(job.body["preferred_windows"][0]["date"], json!(open_day), "unchanged");

    // A weekly visit from the closed day on: its first visit is ordered as ever.
    let shop = crate::series::shopping(&w).await;
    let mut series = crate::series::weekly(shop);
    series["weekday"] = json!(closed_day.weekday().num_days_from_monday());
    series["starts_on"] = json!(closed_day);
    let started = crate::series::start(&w, &resident, series).await;
    assert_eq!(started.status, 201, "{}", started.text);
    assert_eq!(started.body["visits"][0]["date"], json!(closed_day));
}
