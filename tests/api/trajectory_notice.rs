//! A coach is mailed six weeks ahead that a trajectory of their caseload comes to its
//! last day with nothing after it; trajectories of participants without a coach go to
//! the coordinators. Once per last day: extended, it is told of again later.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::participants::ending_notice;

use crate::helpers::{TestApp, World, count_rows, world};
use crate::planned_work::mails;
use crate::timers::{eventually, start_timers};

const NOTICES: &str = "SELECT COUNT(*) AS n FROM outbox WHERE template = 'trajectories_ending'";

pub async fn participant(w: &World, name: &str, coach: Option<i64>) -> i64 {
    let body = json!({"name": name, "contracted_hours_per_week": 16, "coach_user_id": coach});
    let created = w.app.post("/api/v1/participants", Some(&w.werkleider), body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.body["id"].as_i64().unwrap()
}

/// Starts a trajectory; the answer's body (with `id` and `ends_on`).
pub async fn trajectory(w: &World, participant: i64, kind: &str, starts_on: NaiveDate) -> Value {
    let body = json!({"kind": kind, "starts_on": starts_on});
    crate::helpers::start_trajectory(&w.app, &w.coordinator, participant, body).await
}

fn day(body: &Value, field: &str) -> NaiveDate {
    body[field].as_str().unwrap().parse().unwrap()
}

/// The notice run directly for `today`, as the daily timer runs it; how many mails.
async fn notice_on(app: &TestApp, today: NaiveDate) -> usize {
    app.db(move |conn| ending_notice::run(conn, today, "", servicepunt::db::now()).unwrap())
        .await
}

#[actix_web::test]
async fn coaches_hear_six_weeks_ahead_of_a_trajectory_ending_with_nothing_after_it() {
    let w = world().await;
    let coach_email = "coach@servicepunt.example";
    let coach = w.app.create_user(coach_email, Role::Trajectbegeleider).await;
    let today = servicepunt::clock::today();

    // Ends within the six weeks, nothing after it: the coach hears.
    let ending = participant(&w, "Ending Eva", Some(coach)).await;
    let baan = trajectory(&w, ending, "participatiebaan", today - Duration::days(340)).await;
    let last_day = day(&baan, "ends_on");
    assert!(last_day <= today + Duration::days(ending_notice::NOTICE_DAYS), "{baan}");
    // Ends as soon, but a participatiebaan follows the orientation: nothing to do.
    let going_on = participant(&w, "Verder Vera", Some(coach)).await;
    let orientation = trajectory(&w, going_on, "orientation", today - Duration::days(30)).await;
    trajectory(
        &w,
        going_on,
        "participatiebaan",
        day(&orientation, "ends_on") + Duration::days(1),
    )
    .await;
    // Ends in a year: not yet.
    let later = participant(&w, "Later Lars", Some(coach)).await;
    trajectory(&w, later, "participatiebaan", today).await;
    // Nobody coaches this one: the coordinators hear.
    let uncoached = participant(&w, "Zonder Zoë", None).await;
    trajectory(&w, uncoached, "orientation", today - Duration::days(30)).await;

    let coordinators = count_rows(
        &w.app,
        "SELECT COUNT(*) AS n FROM users WHERE role = 'coordinator' AND active = TRUE",
    )
    .await;
    let timers = start_timers(&w.app);
    eventually(&w.app, NOTICES, 1 + coordinators).await;
    timers.abort();

    let sent = mails(&w, "trajectories_ending").await;
    let to_coach: Vec<&Value> = sent
        .iter()
        .filter(|(to, _)| to == coach_email)
        .map(|(_, d)| d)
        .collect();
    assert_eq!(to_coach.len(), 1, "{sent:?}");
    assert_eq!(to_coach[0]["count"], 1, "only Eva's: {}", to_coach[0]);
    assert_eq!(to_coach[0]["first"], last_day.to_string());
    // Whose trajectory it is stays in the list behind the link, not in the mail.
    for (_, data) in &sent {
        let text = data.to_string();
        assert!(!text.contains("Eva") && !text.contains("Zoë"), "{text}");
    }
    let coordinator_mails: Vec<&Value> = sent
        .iter()
        .filter(|(to, _)| to != coach_email)
        .map(|(_, d)| d)
        .collect();
    assert!(coordinator_mails.iter().all(|d| d["count"] == 1), "{sent:?}");
    // The coach's list holds what the mail counts.
    let token = w.app.login(coach_email).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = w.app.get("/api/v1/trajectories/ending", Some(&token)).await;
    let names: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["participant_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Ending Eva"), "{}", list.text);

    // Once: the next day's run tells nobody again.
    assert_eq!(notice_on(&w.app, today + Duration::days(1)).await, 0);
    assert_eq!(count_rows(&w.app, NOTICES).await, 1 + coordinators);

    // Extended, it is told of again when its new last day comes near.
    let extend = format!("/api/v1/trajectories/{}/extend", baan["id"]);
    let new_end = last_day + Duration::days(120);
    let extended = w
        .app
        .post(
            &extend,
            Some(&token),
            json!({"until": new_end, "justification": "Werk in zicht bij de kwekerij"}),
        )
        .await;
    assert_eq!(extended.status, 200, "{}", extended.text);
    assert_eq!(notice_on(&w.app, today + Duration::days(2)).await, 0, "far off now");
    assert_eq!(notice_on(&w.app, new_end - Duration::days(10)).await, 1);
    let last = mails(&w, "trajectories_ending").await.pop().unwrap();
    assert_eq!(last.0, coach_email);
    assert_eq!(last.1["first"], new_end.to_string());
}
