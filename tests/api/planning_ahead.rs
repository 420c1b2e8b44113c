//! Time gone by is not free: the board offers no dagdeel that has ended, and the
//! auto-planner places nothing before now (nor within its lead), nor applies a line whose
//! start has passed.
//! Work recorded afterwards announces no appointment that has gone by.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::clock;
use servicepunt::db::schema::{outbox, proposal_lines};

use crate::helpers::{TestApp, create_participant, create_service, local_span, spawn_app};
use crate::planning_tools::{waitlisted_job, waitlisted_job_by};

/// The dagdelen of `day` that have not ended at the Dutch time `now`, by the contract's
/// hours (morning until 12:30, afternoon until 17:30, evening until 21:30).
fn unended(day: NaiveDate, now: NaiveDateTime) -> Value {
    let ends = [("morning", 12), ("afternoon", 17), ("evening", 21)];
    let left: Vec<&str> = ends
        .into_iter()
        .filter(|(_, hour)| day.and_time(NaiveTime::from_hms_opt(*hour, 30, 0).unwrap()) > now)
        .map(|(name, _)| name)
        .collect();
    json!(left)
}

#[actix_web::test]
async fn the_board_offers_no_dagdeel_that_has_ended() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    create_service(&app, &coordinator, "Heg", "tuin", true, 300).await;
    // Works every dagdeel of every day, in a trajectory since a month ago.
    let always = create_participant(&app, &coordinator, "Altijd Aart", "solo_klus").await;
    let before = clock::local(Utc::now());
    let today = before.date();
    let (yesterday, tomorrow) = (today - Duration::days(1), today + Duration::days(1));
    let board = app
        .get(
            &format!("/api/v1/planning?from={yesterday}&to={tomorrow}"),
            Some(&werkleider),
        )
        .await;
    let after = clock::local(Utc::now());
    assert_eq!(board.status, 200, "{}", board.text);
    let free = |n: usize| -> Value {
        let people = board.body["days"][n]["participants"].as_array().unwrap();
        people.iter().find(|p| p["participant_id"] == always).unwrap()["free_dagdelen"].clone()
    };
    assert_eq!(free(0), json!([]), "yesterday is over: {}", board.text);
    // A dagdeel may end between the clock read before and after the request.
    let now_free = free(1);
    assert!(
        now_free == unended(today, before) || now_free == unended(today, after),
        "today at {before}: {now_free}"
    );
    assert_eq!(free(2), json!(["morning", "afternoon", "evening"]));
}

async fn propose(app: &TestApp, werkleider: &str, today: NaiveDate) -> crate::helpers::Reply {
    app.post(
        "/api/v1/planning/proposals",
        Some(werkleider),
        json!({"from": today, "to": today + Duration::days(1)}),
    )
    .await
}

#[actix_web::test]
async fn the_auto_planner_plans_from_now_on() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let hedge = create_service(&app, &coordinator, "Heg", "tuin", true, 300).await;
    create_participant(&app, &coordinator, "Nu Nina", "solo_klus").await;
    let job = waitlisted_job(&app, hedge, 60).await;

    let today = clock::today();
    let yesterday = today - Duration::days(1);
    let gone = app
        .post(
            "/api/v1/planning/proposals",
            Some(&werkleider),
            json!({"from": yesterday, "to": today}),
        )
        .await;
    gone.assert_problem(422, "validation_failed");
    assert_eq!(gone.body["errors"][0]["code"], "date_in_past", "{}", gone.text);

    // Today and tomorrow; asked again should midnight pass between the test and the server.
    let mut asked = Utc::now().naive_utc();
    let mut proposal = propose(&app, &werkleider, clock::local_date(asked.and_utc())).await;
    if proposal.status == 422 {
        asked = Utc::now().naive_utc();
        proposal = propose(&app, &werkleider, clock::local_date(asked.and_utc())).await;
    }
    assert_eq!(proposal.status, 201, "{}", proposal.text);
    let line = &proposal.body["lines"][0];
    assert_eq!(line["job_id"], job, "{}", proposal.text);
    let starts: chrono::DateTime<Utc> = serde_json::from_value(line["starts_at"].clone()).unwrap();
    // Two hours' notice at least (the default planning lead), so she can be home.
    let lead = Duration::minutes(120);
    assert!(
        starts.naive_utc() >= asked + lead,
        "planned too soon: {}",
        proposal.text
    );
    assert_eq!(starts.minute() % 15, 0, "work starts on a quarter hour: {starts}");

    // The werkleider comes back to it after its start: applying it would send Nina out
    // in the past, so it is refused whole and the job keeps waiting.
    let id = proposal.body["id"].as_i64().unwrap();
    let hour_ago = Utc::now().naive_utc() - Duration::hours(1);
    app.db(move |conn| {
        diesel::update(proposal_lines::table.filter(proposal_lines::proposal_id.eq(id)))
            .set((
                proposal_lines::starts_at.eq(hour_ago),
                proposal_lines::ends_at.eq(hour_ago + Duration::minutes(60)),
            ))
            .execute(conn)
    })
    .await
    .unwrap();
    let late = app
        .post(
            &format!("/api/v1/planning/proposals/{id}/apply"),
            Some(&werkleider),
            json!({}),
        )
        .await;
    late.assert_problem(409, "start_passed");
    assert!(
        late.body["detail"].as_str().unwrap().starts_with("line "),
        "{}",
        late.text
    );
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{job}"), Some(&werkleider)).await.body["status"],
        "waitlisted"
    );
}

/// Work done without a plan is recorded by planning it afterwards (the only road to
/// performed runs through scheduled). Its resident is not sent an appointment that has
/// gone by; one planned ahead is.
#[actix_web::test]
async fn work_recorded_afterwards_sends_no_appointment() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let hedge = create_service(&app, &coordinator, "Heg", "tuin", true, 300).await;
    let nina = create_participant(&app, &coordinator, "Achteraf Nina", "solo_klus").await;
    let (done, done_by) = waitlisted_job_by(&app, hedge, 60).await;
    let (ahead, ahead_by) = waitlisted_job_by(&app, hedge, 60).await;
    // Yesterday and tomorrow: a start later today could pass while the request is on its way.
    let today = clock::today();
    let (yesterday, tomorrow) = (today - Duration::days(1), today + Duration::days(1));
    for (job, (starts_at, ends_at)) in [
        (done, local_span(yesterday, 10, 60)),
        (ahead, local_span(tomorrow, 10, 60)),
    ] {
        let made = app
            .post(
                "/api/v1/assignments",
                Some(&werkleider),
                json!({"job_id": job, "participant_ids": [nina], "starts_at": starts_at, "ends_at": ends_at}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
    }
    let told: Vec<String> = app
        .db(|conn| {
            outbox::table
                .filter(outbox::template.eq("job_scheduled"))
                .select(outbox::recipient_email)
                .load(conn)
        })
        .await
        .unwrap();
    assert_eq!(
        told,
        [ahead_by],
        "only the visit to come is announced (not to {done_by})"
    );
}
