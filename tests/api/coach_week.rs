//! Once a week each coach is mailed what their week holds: reviews due, questions to the
//! sociale dienst open, intakes booked; what concerns participants without a coach goes
//! to the coordinators. Counts only, once a week, nothing for an empty week.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::participants::coach_week;

use crate::helpers::{TestApp, count_rows, execute_sql, world};
use crate::planned_work::mails;
use crate::timers::{eventually, start_timers};
use crate::trajectory_notice::{participant, trajectory};

const MAILS: &str = "SELECT COUNT(*) AS n FROM outbox WHERE template = 'coach_week'";

/// The week's mail run directly for `today`, as the daily timer runs it; how many mails.
async fn week_on(app: &TestApp, today: NaiveDate) -> usize {
    app.db(move |conn| coach_week::run(conn, today, 0, "", servicepunt::db::now()).unwrap())
        .await
}

#[actix_web::test]
async fn coaches_hear_once_a_week_what_it_holds_and_the_coordinators_of_the_uncoached() {
    let w = world().await;
    let karin_email = "karin@voorwerk.example";
    let karin = w.app.create_user(karin_email, Role::Trajectbegeleider).await;
    let idle_email = "ilse@voorwerk.example";
    let idle = w.app.create_user(idle_email, Role::Trajectbegeleider).await;
    let today = servicepunt::clock::today();
    let started = today - Duration::days(30);

    // Karin: a trajectory a month in without a review (due since its first day), with a
    // question open about it, and one reviewed today (not due for a month).
    let eva = participant(&w, "Eva Overdue", Some(karin)).await;
    let eva_t = trajectory(&w, eva, "participatiebaan", started).await["id"].clone();
    let asked = w
        .app
        .post(
            &format!("/api/v1/trajectories/{eva_t}/approvals"),
            Some(&w.coordinator),
            json!({"kind": "extra_time", "proposal": "Drie maanden erbij"}),
        )
        .await;
    assert_eq!(asked.status, 201, "{}", asked.text);
    let ruud = participant(&w, "Ruud Reviewed", Some(karin)).await;
    let ruud_t = trajectory(&w, ruud, "participatiebaan", started).await["id"].clone();
    let reviewed = w
        .app
        .post(
            &format!("/api/v1/trajectories/{ruud_t}/reviews"),
            Some(&w.coordinator),
            json!({"held_on": today, "ladder_step": 3, "summary": "Gaat goed"}),
        )
        .await;
    assert_eq!(reviewed.status, 201, "{}", reviewed.text);
    // An intake booked on Karin's roster today.
    execute_sql(
        &w.app,
        format!(
            "INSERT INTO intake_slots (coach_user_id, on_date, from_time, minutes, client_name, case_manager, \
             booked_by, booked_at, created_by, created_at) VALUES ({karin}, '{today}', '23:00:00', 30, \
             'Piet Jansen', 'Mw. De Vries', {karin}, '2026-01-01 08:00:00', {karin}, '2026-01-01 08:00:00')"
        ),
    )
    .await;
    // Nobody coaches Zoë, whose trajectory starts today: her first review is due.
    let zoe = participant(&w, "Zoë Zonder", None).await;
    trajectory(&w, zoe, "orientation", today).await;
    // Ilse coaches no one and has nothing booked: she gets no mail.
    let _ = idle;

    let coordinators = count_rows(
        &w.app,
        "SELECT COUNT(*) AS n FROM users WHERE role = 'coordinator' AND active = TRUE",
    )
    .await;
    let timers = start_timers(&w.app);
    eventually(&w.app, MAILS, 1 + coordinators).await;
    timers.abort();

    let sent = mails(&w, "coach_week").await;
    assert!(sent.iter().all(|(to, _)| to != idle_email), "{sent:?}");
    let to_karin: Vec<&Value> = sent
        .iter()
        .filter(|(to, _)| to == karin_email)
        .map(|(_, d)| d)
        .collect();
    assert_eq!(to_karin.len(), 1, "{sent:?}");
    let k = to_karin[0];
    assert_eq!(k["coordinators"], false);
    assert_eq!(k["reviews_due"], 1, "Eva's, not Ruud's: {k}");
    assert_eq!(k["first_due"], started.to_string());
    assert_eq!(k["overdue"], true);
    assert_eq!(k["open_questions"], 1);
    assert_eq!(k["intakes"], 1);
    for (to, data) in sent.iter().filter(|(to, _)| to != karin_email) {
        assert_eq!(data["coordinators"], true, "{to}: {data}");
        assert_eq!(data["reviews_due"], 1, "Zoë's: {data}");
        assert_eq!(data["overdue"], false);
        assert_eq!(data["open_questions"], 0);
        assert_eq!(data["intakes"], 0);
    }
    // Whose it is stays in the lists behind the links.
    for (_, data) in &sent {
        let text = data.to_string();
        assert!(!["Eva", "Zoë", "Piet"].iter().any(|n| text.contains(n)), "{text}");
    }

    // Once a week: again this week, nothing; next Monday, the week anew.
    assert_eq!(week_on(&w.app, today).await, 0);
    let later_that_week = if today.weekday() == chrono::Weekday::Sun {
        today - Duration::days(1)
    } else {
        today + Duration::days(1)
    };
    assert_eq!(week_on(&w.app, later_that_week).await, 0);
    let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    assert_eq!(week_on(&w.app, monday).await, 1 + coordinators as usize);
    assert_eq!(count_rows(&w.app, MAILS).await, 2 * (1 + coordinators));
}

/// Last week's booked intakes that do not say yet whether the client came are counted,
/// so the missed ones reach the next meeting with the klantmanagers; those written down,
/// and older ones, are not.
#[actix_web::test]
async fn a_coach_is_reminded_of_last_weeks_intakes_that_say_nothing_yet() {
    let w = world().await;
    let karin_email = "karin@voorwerk.example";
    let karin = w.app.create_user(karin_email, Role::Trajectbegeleider).await;
    let today = servicepunt::clock::today();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let booked = |on: NaiveDate, at: &str, came: &str| {
        format!(
            "INSERT INTO intake_slots (coach_user_id, on_date, from_time, minutes, client_name, case_manager, \
             booked_by, booked_at, created_by, created_at, came) VALUES ({karin}, '{on}', '{at}', 30, \
             'Piet Jansen', 'Mw. De Vries', {karin}, '2026-01-01 08:00:00', {karin}, '2026-01-01 08:00:00', {came})"
        )
    };
    let last_wednesday = monday - Duration::days(5);
    execute_sql(&w.app, booked(last_wednesday, "09:00:00", "NULL")).await;
    execute_sql(&w.app, booked(last_wednesday, "10:00:00", "NULL")).await;
    execute_sql(&w.app, booked(last_wednesday, "11:00:00", "TRUE")).await;
    execute_sql(&w.app, booked(last_wednesday - Duration::days(7), "09:00:00", "NULL")).await;

    assert_eq!(week_on(&w.app, today).await, 1);
    let sent = mails(&w, "coach_week").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (to, data) = &sent[0];
    assert_eq!(to, karin_email);
    assert_eq!(data["unnoted_intakes"], 2, "{data}");
    assert_eq!(data["intakes"], 0, "{data}");
}
