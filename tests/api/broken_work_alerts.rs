//! Planned work that no longer holds: the werkleiders hear of the next three days' from 14:00,
//! nobody is reminded of a visit a helper will not make, and a resident whose visit is
//! taken off the plan is told it is off.

use chrono::NaiveDate;
use serde_json::{Value, json};
use servicepunt::planning::reminders::{self, RoundSettings, Sent};
use servicepunt::planning::rules::Slot;

use crate::helpers::{World, local_span, world};
use crate::planned_work::{back_after_all, mails, participant_with_address, report_sick, schedules};
use crate::planning::{assign, unassign, waitlisted_job};

/// The front end's address as the rounds below have it.
const FRONT_END: &str = "https://wijk.example/";

/// The timer's round at `hour` (Dutch time) on the day before `day`: (werkleiders,
/// residents, participants) written to.
pub async fn round(w: &World, day: NaiveDate, hour: u32) -> (usize, usize, usize) {
    let eve = day.pred_opt().unwrap().and_hms_opt(hour, 0, 0).unwrap();
    let at = Slot::from_local(eve, eve).utc_start;
    let settings = RoundSettings {
        public_url: FRONT_END.into(),
        ..Default::default()
    };
    let sent: Sent = w
        .app
        .db(move |conn| servicepunt::db::write_tx(conn, |c| reminders::run(c, at, &settings)))
        .await
        .unwrap();
    (sent.werkleiders, sent.residents, sent.participants)
}

async fn reminded_jobs(w: &World) -> Vec<i64> {
    let reminders = mails(w, "job_reminder").await;
    reminders
        .iter()
        .map(|(_, data)| data["job_id"].as_i64().unwrap())
        .collect()
}

/// Two visits the day after tomorrow at 10:00 (its round is tomorrow afternoon, run by
/// hand): Els's, who then reports sick for that day, and Teun's.
pub struct OneHelperSick {
    pub w: World,
    pub day: NaiveDate,
    pub els: i64,
    pub els_job: i64,
    pub teun_job: i64,
    pub absence: Value,
}

pub async fn one_helper_sick() -> OneHelperSick {
    let w = world().await;
    let els = participant_with_address(&w, "Eerste Els", "els@example.nl").await;
    let teun = participant_with_address(&w, "Tweede Teun", "teun@example.nl").await;
    let day = servicepunt::clock::today() + chrono::Duration::days(2);
    let els_job = waitlisted_job(&w, w.hedge, 60).await;
    let teun_job = waitlisted_job(&w, w.hedge, 60).await;
    for (job, who) in [(els_job, els), (teun_job, teun)] {
        let planned = assign(&w, job, &[who], &local_span(day, 10, 60)).await;
        assert_eq!(planned.status, 201, "{}", planned.text);
    }
    let sick = report_sick(&w, els, &day.to_string()).await;
    assert_eq!(sick.status, 201, "{}", sick.text);
    OneHelperSick {
        w,
        day,
        els,
        els_job,
        teun_job,
        absence: sick.body["id"].clone(),
    }
}

#[actix_web::test]
async fn work_a_helper_cannot_come_to_goes_to_the_werkleiders_and_not_to_the_resident() {
    let OneHelperSick {
        w,
        day,
        els,
        els_job,
        teun_job,
        absence,
    } = one_helper_sick().await;

    assert_eq!(round(&w, day, 13).await, (0, 0, 0), "nothing before 14:00");
    assert_eq!(round(&w, day, 14).await, (1, 0, 0), "the werkleider first");
    let alerts = mails(&w, "broken_work_alert").await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let (to, alert) = &alerts[0];
    assert!(to.starts_with("werkleider-"), "{to}");
    assert_eq!(alert["date"], day.to_string());
    let items = alert["items"].as_array().unwrap();
    let told: Vec<(i64, &str)> = items
        .iter()
        .map(|i| (i["job_id"].as_i64().unwrap(), i["from"].as_str().unwrap()))
        .collect();
    assert_eq!(told, vec![(els_job, "10:00")]);
    assert!(!alert.to_string().contains("Els"), "no names by mail: {alert}");
    assert_eq!(alert["link"], "https://wijk.example/planning/broken-work");

    // From 16:00 the work that goes ahead is told; the werkleider is not told twice.
    assert_eq!(round(&w, day, 16).await, (0, 1, 1));
    assert_eq!(reminded_jobs(&w).await, vec![teun_job], "not: Els comes tomorrow");
    let teun_day = ("teun@example.nl".to_owned(), false, vec!["10:00".to_owned()]);
    assert_eq!(schedules(&w).await, vec![teun_day.clone()], "no work sent to the sick");

    // Els is better after all: her work holds again, and the next round sends it.
    back_after_all(&w, els, &absence).await;
    assert_eq!(round(&w, day, 17).await, (0, 1, 1));
    assert_eq!(reminded_jobs(&w).await, vec![teun_job, els_job]);
    let els_day = ("els@example.nl".to_owned(), false, vec!["10:00".to_owned()]);
    assert_eq!(schedules(&w).await, vec![teun_day, els_day]);
    assert_eq!(round(&w, day, 18).await, (0, 0, 0), "each once");
}

#[actix_web::test]
async fn a_visit_taken_off_the_plan_is_called_off_with_the_resident() {
    let w = world().await;
    let els = participant_with_address(&w, "Eerste Els", "els@example.nl").await;
    let day = servicepunt::clock::today() + chrono::Duration::days(2);
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, job, &[els], &local_span(day, 10, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    let told = mails(&w, "job_scheduled").await;
    assert_eq!(told.len(), 1, "{told:?}");

    let removed = unassign(&w, planned.body["id"].as_i64().unwrap()).await;
    assert_eq!(removed.status, 204, "{}", removed.text);
    let off = mails(&w, "job_unscheduled").await;
    assert_eq!(off.len(), 1, "{off:?}");
    let (to, data) = &off[0];
    assert_eq!(to, &told[0].0, "to whom the visit was promised");
    assert_eq!(
        (&data["job_id"], &data["date"], &data["from"], &data["until"]),
        (&json!(job), &json!(day.to_string()), &json!("10:00"), &json!("11:00"))
    );
    assert_eq!(round(&w, day, 16).await, (0, 0, 0), "and no reminder of it");
}

/// The items of the one alert mailed since `before` alerts: (its `until`, [(job, date)]).
async fn latest_alert(w: &World, before: usize) -> (Value, Vec<(i64, String)>) {
    let alerts = mails(w, "broken_work_alert").await;
    assert_eq!(alerts.len(), before + 1, "{alerts:?}");
    let (_, alert) = &alerts[before];
    let items = alert["items"].as_array().unwrap();
    let told = items
        .iter()
        .map(|i| (i["job_id"].as_i64().unwrap(), i["date"].as_str().unwrap().to_owned()))
        .collect();
    (alert["until"].clone(), told)
}

/// Friday afternoon's mail reaches Monday's work: the alert looks three days ahead, and
/// tells each piece once, whichever round finds it; residents and participants still hear
/// of tomorrow only.
#[actix_web::test]
async fn the_alert_looks_three_days_ahead_and_tells_each_piece_once() {
    let w = world().await;
    let els = participant_with_address(&w, "Eerste Els", "els@example.nl").await;
    let today = servicepunt::clock::today();
    let day = |n: i64| today + chrono::Duration::days(n);
    let mut jobs = Vec::new();
    for n in [4, 5] {
        let job = waitlisted_job(&w, w.hedge, 60).await;
        let planned = assign(&w, job, &[els], &local_span(day(n), 10, 60)).await;
        assert_eq!(planned.status, 201, "{}", planned.text);
        jobs.push(job);
    }
    let teun = participant_with_address(&w, "Tweede Teun", "teun@example.nl").await;
    let teun_job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, teun_job, &[teun], &local_span(day(3), 10, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    let away = json!({"kind": "sick", "starts_on": day(4), "ends_on": day(5)});
    let path = format!("/api/v1/participants/{els}/absences");
    let sick = w.app.post(&path, Some(&w.werkleider), away).await;
    assert_eq!(sick.status, 201, "{}", sick.text);

    // The round on day 1 looks at days 2, 3 and 4.
    assert_eq!(round(&w, day(2), 14).await, (1, 0, 0));
    let (until, told) = latest_alert(&w, 0).await;
    assert_eq!(until, json!(day(4).to_string()));
    assert_eq!(told, vec![(jobs[0], day(4).to_string())]);
    assert_eq!(
        round(&w, day(2), 16).await,
        (0, 0, 0),
        "reminders are for tomorrow only"
    );
    // The next day's round finds day 5's work; day 4's was told.
    assert_eq!(round(&w, day(3), 14).await, (1, 0, 0));
    let (until, told) = latest_alert(&w, 1).await;
    assert_eq!(until, json!(day(5).to_string()));
    assert_eq!(told, vec![(jobs[1], day(5).to_string())]);
    assert_eq!(round(&w, day(3), 16).await, (0, 1, 1), "Teun's visit, the day before");
    assert_eq!(round(&w, day(4), 14).await, (0, 0, 0), "each once");
    assert_eq!(round(&w, day(5), 16).await, (0, 0, 0), "and no reminder of Els's work");
    assert_eq!(reminded_jobs(&w).await, vec![teun_job]);
}
