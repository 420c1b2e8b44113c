//! Work planned before something changed: an absence, a profile change. The werkleider is
//! told which work no longer fits, and the board marks it until it is re-planned.

use diesel::prelude::*;
use serde_json::{Value, json};
use servicepunt::db::schema::outbox;

use crate::helpers::{World, create_participant, local_span, next_day_at, next_local, world};
use crate::planning::{assign, waitlisted_job};

/// The assignment as the board shows it on its day under `participant`.
async fn on_board(w: &World, day: &str, participant: i64, assignment: i64) -> Value {
    let board = w
        .app
        .get(&format!("/api/v1/planning?from={day}&to={day}"), Some(&w.werkleider))
        .await;
    assert_eq!(board.status, 200, "{}", board.text);
    board.body["days"][0]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["participant_id"] == participant)
        .flat_map(|p| p["assignments"].as_array().unwrap().clone())
        .find(|a| a["assignment_id"] == assignment)
        .unwrap_or_else(|| {
            panic!(
                "assignment {assignment} of {participant} not on the board: {}",
                board.text
            )
        })
}

fn conflict_codes(on_board: &Value) -> Vec<(String, Option<i64>)> {
    on_board["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap().to_owned(), c["participant_id"].as_i64()))
        .collect()
}

/// A job for one participant of the world at ten o'clock: (participant, assignment, day).
async fn planned(w: &World, name: &str) -> (i64, i64, String) {
    let worker = create_participant(&w.app, &w.coordinator, name, "solo_klus").await;
    let job = waitlisted_job(w, w.hedge, 60).await;
    let span = next_local(10, 60);
    let reply = assign(w, job, &[worker], &span).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    (worker, reply.body["id"].as_i64().unwrap(), span.0[..10].to_owned())
}

/// The werkleider withdraws the absence `absence` of `participant`: they came back.
pub async fn back_after_all(w: &World, participant: i64, absence: &Value) {
    let path = format!("/api/v1/participants/{participant}/absences/{absence}");
    let withdrawn = w
        .app
        .call(reqwest::Method::DELETE, &path, Some(&w.werkleider), None)
        .await;
    assert!(withdrawn.status.is_success(), "{}", withdrawn.text);
}

/// `participant` reports sick for `day`.
pub async fn report_sick(w: &World, participant: i64, day: &str) -> crate::helpers::Reply {
    let body = json!({"kind": "sick", "starts_on": day});
    let path = format!("/api/v1/participants/{participant}/absences");
    w.app.post(&path, Some(&w.werkleider), body).await
}

#[actix_web::test]
async fn a_sick_report_names_the_work_it_leaves_and_the_board_marks_it() {
    let w = world().await;
    let (sick, assignment, day) = planned(&w, "Zieke Sanne").await;
    assert_eq!(conflict_codes(&on_board(&w, &day, sick, assignment).await), vec![]);

    let reported = report_sick(&w, sick, &day).await;
    assert_eq!(reported.status, 201, "{}", reported.text);
    assert_eq!(reported.body["kind"], "sick");
    assert_eq!(reported.body["ends_on"], day.as_str());
    let left: Vec<i64> = reported.body["planned_work"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(left, vec![assignment], "{}", reported.text);
    assert_eq!(
        conflict_codes(&on_board(&w, &day, sick, assignment).await),
        vec![("absent".to_owned(), Some(sick))]
    );

    // Someone else goes: the work fits again.
    let stand_in = create_participant(&w.app, &w.coordinator, "Invaller Ivo", "solo_klus").await;
    let replanned = w
        .app
        .patch(
            &format!("/api/v1/assignments/{assignment}"),
            Some(&w.werkleider),
            json!({"participant_ids": [stand_in]}),
        )
        .await;
    assert_eq!(replanned.status, 200, "{}", replanned.text);
    assert_eq!(conflict_codes(&on_board(&w, &day, stand_in, assignment).await), vec![]);

    // A later absence on other days leaves nothing behind.
    let later = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap() + chrono::Duration::days(10);
    let again = w
        .app
        .post(
            &format!("/api/v1/participants/{stand_in}/absences"),
            Some(&w.werkleider),
            json!({"kind": "leave", "starts_on": later, "ends_on": later + chrono::Duration::days(2)}),
        )
        .await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body["planned_work"], json!([]), "{}", again.text);
}

#[actix_web::test]
async fn a_changed_profile_shows_on_the_work_planned_before() {
    let w = world().await;
    let (worker, assignment, day) = planned(&w, "Veranderde Vera").await;
    let path = format!("/api/v1/participants/{worker}");
    let weekday = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .unwrap()
        .format("%u")
        .to_string()
        .parse::<i64>()
        .unwrap()
        - 1;
    // No longer on this weekday, and a clearance lowered to `new`.
    let other_days: Vec<Value> = (0..7)
        .filter(|d| *d != weekday)
        .map(|d| json!({"weekday": d, "dagdeel": "morning"}))
        .collect();
    // A change that leaves the work fitting says there is nothing to re-plan.
    let renamed = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"name": "Vera Verbeek"}))
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(
        (&renamed.body["name"], &renamed.body["broken_work"]),
        (&json!("Vera Verbeek"), &json!([]))
    );
    let changed = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"availability": other_days}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    // The answer names the work the change broke, as the board marks it.
    let broken = changed.body["broken_work"].as_array().unwrap();
    assert_eq!(broken.len(), 1, "{}", changed.text);
    assert_eq!(broken[0]["assignment_id"], assignment);
    assert_eq!(
        conflict_codes(&broken[0]),
        vec![("unavailable".to_owned(), Some(worker))]
    );
    assert_eq!(
        conflict_codes(&on_board(&w, &day, worker, assignment).await),
        vec![("unavailable".to_owned(), Some(worker))]
    );
    let lowered = w
        .app
        .patch(
            &path,
            Some(&w.werkleider),
            json!({"clearance": "new", "clearance_reason": "terug naar begeleid werken"}),
        )
        .await;
    assert_eq!(lowered.status, 200, "{}", lowered.text);
    assert_eq!(
        conflict_codes(&lowered.body["broken_work"][0]),
        vec![("unavailable".to_owned(), Some(worker)), ("clearance".to_owned(), None)]
    );
    assert_eq!(
        conflict_codes(&on_board(&w, &day, worker, assignment).await),
        vec![("unavailable".to_owned(), Some(worker)), ("clearance".to_owned(), None)]
    );
}

/// The assignments on the werkleider's list of work to re-plan: (assignment, crew,
/// conflict codes), by assignment.
async fn to_replan(w: &World) -> Vec<(i64, Vec<i64>, Vec<String>)> {
    let list = w.app.get("/api/v1/planning/broken-work", Some(&w.werkleider)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let mut items: Vec<(i64, Vec<i64>, Vec<String>)> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let crew = b["crew"].as_array().unwrap().iter();
            let codes = conflict_codes(b).into_iter().map(|(code, _)| code).collect();
            (
                b["assignment_id"].as_i64().unwrap(),
                crew.map(|m| m["participant_id"].as_i64().unwrap()).collect(),
                codes,
            )
        })
        .collect();
    items.sort();
    items
}

#[actix_web::test]
async fn the_werkleider_has_one_list_of_the_work_to_replan() {
    let w = world().await;
    let (sick, sick_work, day) = planned(&w, "Zieke Zeno").await;
    let (lowered, lowered_work, _) = planned(&w, "Lager Lotte").await;
    assert_eq!(to_replan(&w).await, vec![], "every plan still holds");

    let reported = report_sick(&w, sick, &day).await;
    assert_eq!(reported.status, 201, "{}", reported.text);
    let changed = w
        .app
        .patch(
            &format!("/api/v1/participants/{lowered}"),
            Some(&w.werkleider),
            json!({"clearance": "new", "clearance_reason": "eerst weer samen werken"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let mut expected = vec![
        (sick_work, vec![sick], vec!["absent".to_owned()]),
        (lowered_work, vec![lowered], vec!["clearance".to_owned()]),
    ];
    expected.sort();
    assert_eq!(to_replan(&w).await, expected);

    // Back sooner than thought: that work fits again and leaves the list.
    back_after_all(&w, sick, &reported.body["id"]).await;
    assert_eq!(
        to_replan(&w).await,
        vec![(lowered_work, vec![lowered], vec!["clearance".to_owned()])]
    );
}

/// The participants' schedule mails so far, oldest first: (address, changed, the items'
/// start times).
pub async fn schedules(w: &World) -> Vec<(String, bool, Vec<String>)> {
    mails(w, "participant_schedule")
        .await
        .into_iter()
        .map(|(to, data)| {
            let starts = data["items"].as_array().unwrap().iter();
            let starts = starts.map(|i| i["from"].as_str().unwrap().to_owned()).collect();
            (to, data["changed"].as_bool().unwrap(), starts)
        })
        .collect()
}

/// The mails of `template` so far, oldest first: (address, data).
pub async fn mails(w: &World, template: &'static str) -> Vec<(String, Value)> {
    outbox_messages(w)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == template)
        .map(|(_, to, data)| (to, data))
        .collect()
}

/// Every message in the outbox so far, oldest first: (template, address, data).
pub async fn outbox_messages(w: &World) -> Vec<(String, String, Value)> {
    let rows: Vec<(String, String, Option<String>)> = w
        .app
        .db(move |conn| {
            outbox::table
                .order(outbox::id)
                .select((outbox::template, outbox::recipient_email, outbox::data))
                .load(conn)
                .unwrap()
        })
        .await;
    rows.into_iter()
        .map(|(template, to, data)| {
            let data = data.map_or(Value::Null, |d| serde_json::from_str(&d).unwrap());
            (template, to, data)
        })
        .collect()
}

pub async fn participant_with_address(w: &World, name: &str, email: &str) -> i64 {
    let id = create_participant(&w.app, &w.coordinator, name, "solo_klus").await;
    let path = format!("/api/v1/participants/{id}");
    let set = w.app.patch(&path, Some(&w.werkleider), json!({"email": email})).await;
    assert_eq!(set.status, 200, "{}", set.text);
    id
}

/// From 16:00 the day before, participants have their schedule for the day. Work planned,
/// moved, handed over or cancelled after that reaches them by mail too.
#[actix_web::test]
async fn after_the_afternoon_round_the_crew_hears_of_every_change_to_their_day() {
    let w = world().await;
    let els = participant_with_address(&w, "Eerste Els", "els@example.nl").await;
    let teun = participant_with_address(&w, "Tweede Teun", "teun@example.nl").await;
    // Evening work: today until 20:00, tomorrow after it; either way the day's round at
    // 16:00 the day before has passed.
    let day = next_day_at(20);
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, job, &[els], &local_span(day, 20, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);
    let id = planned.body["id"].as_i64().unwrap();
    let els_day = ("els@example.nl".to_owned(), false, vec!["20:00".to_owned()]);
    assert_eq!(schedules(&w).await, vec![els_day.clone()], "planned late: told at once");

    let (starts_at, ends_at) = local_span(day, 19, 60);
    let handed_over = w
        .app
        .patch(
            &format!("/api/v1/assignments/{id}"),
            Some(&w.werkleider),
            json!({"participant_ids": [teun], "starts_at": starts_at, "ends_at": ends_at}),
        )
        .await;
    assert_eq!(handed_over.status, 200, "{}", handed_over.text);
    let els_free = ("els@example.nl".to_owned(), true, vec![]);
    let teun_day = ("teun@example.nl".to_owned(), false, vec!["19:00".to_owned()]);
    assert_eq!(
        schedules(&w).await,
        vec![els_day.clone(), els_free.clone(), teun_day.clone()]
    );

    // The timer's own round for the day, late, sends no second schedule.
    let eve = day.pred_opt().unwrap().and_hms_opt(17, 0, 0).unwrap();
    let at = servicepunt::planning::rules::Slot::from_local(eve, eve).utc_start;
    let round = w
        .app
        .db(move |conn| {
            servicepunt::db::write_tx(conn, |c| {
                servicepunt::planning::reminders::run(c, at, &Default::default())
            })
        })
        .await
        .unwrap();
    assert_eq!(round.participants, 0);

    // Taken off again, the job back on the waiting list, then planned for Els once more.
    assert_eq!(crate::planning::unassign(&w, id).await.status, 204);
    let teun_free = ("teun@example.nl".to_owned(), true, vec![]);
    let again = assign(&w, job, &[els], &local_span(day, 20, 60)).await;
    assert_eq!(again.status, 201, "{}", again.text);
    let els_again = ("els@example.nl".to_owned(), true, vec!["20:00".to_owned()]);
    let cancelled = w
        .app
        .post(&format!("/api/v1/jobs/{job}/cancel"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    assert_eq!(
        schedules(&w).await,
        vec![els_day, els_free.clone(), teun_day, teun_free, els_again, els_free]
    );
}
