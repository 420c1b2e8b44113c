//! Recurring visits: a series orders an ordinary job for each of its dates a fortnight
//! ahead, quietly after the first, and stops on request or when a visit is refused.

use chrono::{Datelike, Duration};
use serde_json::{Value, json};
use servicepunt::jobs::series::{self, Round};
use servicepunt::planning::reminders::RoundSettings;

use crate::helpers::{Reply, World, count_rows, create_service, execute_sql, world};

/// A shopping round (a dienst, not around the home) in the catalogue.
pub async fn shopping(w: &World) -> i64 {
    create_service(&w.app, &w.coordinator, "Boodschappen", "boodschappen", false, 240).await
}

/// A weekly morning visit of `service` from tomorrow, on tomorrow's weekday.
pub fn weekly(service: i64) -> Value {
    let tomorrow = servicepunt::clock::today() + Duration::days(1);
    json!({
        "service_id": service,
        "description": "Boodschappen bij de supermarkt; het lijstje ligt op tafel.",
        "otherwise_not_done": true,
        "weekday": tomorrow.weekday().num_days_from_monday(),
        "dagdeel": "morning",
        "starts_on": tomorrow,
    })
}

/// A world with a shopping service and a resident (registered as `email`) who started a
/// weekly visit of it from tomorrow.
pub struct Started {
    pub w: World,
    pub shop: i64,
    pub token: String,
    pub resident: i64,
    /// The series as started.
    pub series: Reply,
    pub id: i64,
}

pub async fn weekly_series(email: &str) -> Started {
    let w = world().await;
    let shop = shopping(&w).await;
    let (token, resident, _) = w.app.register_resident(email).await;
    let series = start(&w, &token, weekly(shop)).await;
    assert_eq!(series.status, 201, "{}", series.text);
    let id = series.body["id"].as_i64().unwrap();
    Started {
        w,
        shop,
        token,
        resident,
        series,
        id,
    }
}

/// The message of the one call on the call sheet whose subject starts with `subject`.
pub async fn called_once(w: &World, subject: &str) -> String {
    let sheet = w.app.get("/api/v1/callsheet", Some(&w.werkleider)).await;
    let told: Vec<&Value> = sheet
        .body
        .as_array()
        .unwrap_or_else(|| panic!("{}", sheet.text))
        .iter()
        .filter(|t| t["subject"].as_str().is_some_and(|s| s.starts_with(subject)))
        .collect();
    assert_eq!(told.len(), 1, "{}", sheet.text);
    told[0]["message"].as_str().unwrap().to_owned()
}

/// A resident the werkleider registers at the counter, without e-mail or account: their
/// id.
pub async fn phone_resident(w: &World, name: &str) -> i64 {
    let resident = w
        .app
        .post(
            "/api/v1/residents",
            Some(&w.werkleider),
            crate::helpers::resident_body(name, "6711AB"),
        )
        .await;
    assert_eq!(resident.status, 201, "{}", resident.text);
    resident.body["id"].as_i64().unwrap()
}

pub async fn start(w: &World, token: &str, body: Value) -> Reply {
    w.app.post("/api/v1/job-series", Some(token), body).await
}

pub async fn run_round(w: &World) -> Round {
    series::round(&w.app.pool, &RoundSettings::default().jobs)
        .await
        .unwrap()
}

/// Moves a series to a weekday `by` days later, as if time had passed: its dates within
/// the fortnight that have no visit yet are due.
pub async fn shift_weekday(w: &World, id: i64, by: u32) {
    execute_sql(
        &w.app,
        format!("UPDATE job_series SET weekday = (weekday + {by}) % 7 WHERE id = {id}"),
    )
    .await;
}

pub fn visit_dates(series: &Value) -> Vec<String> {
    series["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["date"].as_str().unwrap().to_owned())
        .collect()
}

async fn count(w: &World, sql: &str) -> i64 {
    count_rows(&w.app, format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {sql}")).await
}

#[actix_web::test]
async fn a_weekly_visit_is_ordered_a_fortnight_ahead_and_stops_on_request() {
    let Started {
        w,
        token,
        resident,
        series: started,
        id,
        ..
    } = weekly_series("wekelijks@example.nl").await;
    let today = servicepunt::clock::today();
    let expected = [today + Duration::days(1), today + Duration::days(8)].map(|d| d.to_string());
    assert_eq!(visit_dates(&started.body), expected, "{}", started.text);
    assert_eq!(started.body["recipient_id"], resident);
    for visit in started.body["visits"].as_array().unwrap() {
        assert_eq!(visit["status"], "waitlisted", "{visit}");
        let job = w
            .app
            .get(&format!("/api/v1/jobs/{}", visit["job_id"]), Some(&token))
            .await;
        assert_eq!(
            job.body["preferred_windows"],
            json!([{"date": visit["date"], "dagdeel": "morning"}]),
            "{}",
            job.text
        );
    }
    // The resident hears of the first visit as of any order; the next ones are news
    // once planned.
    assert_eq!(count(&w, "outbox WHERE template = 'job_accepted'").await, 1);

    // A round orders only what is not ordered yet.
    assert_eq!(run_round(&w).await, Round::default());
    // Moved to another weekday (as if time had passed): its dates in the fortnight are
    // due, once.
    shift_weekday(&w, id, 3).await;
    assert_eq!(run_round(&w).await.ordered, 2);
    assert_eq!(run_round(&w).await.ordered, 0);
    assert_eq!(count(&w, "jobs").await, 4);

    let own = w.app.get(&format!("/api/v1/job-series/{id}"), Some(&token)).await;
    assert_eq!(own.body["visits"].as_array().unwrap().len(), 4, "{}", own.text);
    let export = w
        .app
        .get(&format!("/api/v1/residents/{resident}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(export.body["recurring_visits"][0]["id"], id, "{}", export.text);
    let (other, _, _) = w.app.register_resident("buurman@example.nl").await;
    w.app
        .get(&format!("/api/v1/job-series/{id}"), Some(&other))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(
        w.app.get("/api/v1/job-series", Some(&other)).await.body["items"],
        json!([])
    );

    let stopped = w
        .app
        .post(&format!("/api/v1/job-series/{id}/stop"), Some(&token), json!({}))
        .await;
    assert_eq!(
        (stopped.status.as_u16(), &stopped.body["stop_reason"]),
        (200, &json!("stopped")),
        "{}",
        stopped.text
    );
    assert_eq!(
        stopped.body["visits"].as_array().unwrap().len(),
        4,
        "the ordered visits stay"
    );
    shift_weekday(&w, id, 1).await;
    assert_eq!(run_round(&w).await, Round::default());
    assert_eq!(count(&w, "jobs").await, 4);
    let listed = w.app.get("/api/v1/job-series", Some(&w.werkleider)).await;
    assert_eq!(listed.body["items"][0]["id"], id, "{}", listed.text);
}

#[actix_web::test]
async fn a_klus_around_the_home_or_a_bad_pattern_starts_nothing() {
    let w = world().await;
    let shop = shopping(&w).await;
    let (token, _, _) = w.app.register_resident("nooit@example.nl").await;
    start(&w, &token, weekly(w.hedge))
        .await
        .assert_problem(422, "validation_failed");
    let refused = start(&w, &token, weekly(w.hedge)).await;
    assert_eq!(refused.body["errors"][0]["code"], "recurring_klus", "{}", refused.text);
    let today = servicepunt::clock::today();
    for (field, value, code) in [
        ("starts_on", json!(today), "date_in_past"),
        ("every_weeks", json!(3), "invalid_interval"),
        ("weekday", json!(7), "invalid_weekday"),
        ("ends_on", json!(today), "ends_before_start"),
        ("otherwise_not_done", json!(false), "declaration_required"),
    ] {
        let mut body = weekly(shop);
        body[field] = value;
        let reply = start(&w, &token, body).await;
        reply.assert_problem(422, "validation_failed");
        assert_eq!(reply.body["errors"][0]["code"], code, "{}", reply.text);
    }
    assert_eq!(count(&w, "job_series").await, 0);
    assert_eq!(count(&w, "jobs").await, 0);
}

#[actix_web::test]
async fn a_series_stops_when_its_next_visit_can_no_longer_be_ordered() {
    let w = world().await;
    let shop = shopping(&w).await;
    let mut body = weekly(shop);
    // Ordered by phone for a resident without an account.
    body["recipient_id"] = json!(phone_resident(&w, "Telefoon Truus").await);
    let started = start(&w, &w.werkleider, body).await;
    assert_eq!(started.status, 201, "{}", started.text);
    let id = started.body["id"].as_i64().unwrap();
    let withdrawn = w
        .app
        .patch(
            &format!("/api/v1/services/{shop}"),
            Some(&w.coordinator),
            json!({"active": false}),
        )
        .await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
    shift_weekday(&w, id, 3).await;
    assert_eq!(run_round(&w).await, Round { ordered: 0, stopped: 1 });
    let series = w
        .app
        .get(&format!("/api/v1/job-series/{id}"), Some(&w.werkleider))
        .await;
    assert_eq!(series.body["stop_reason"], "service_unavailable", "{}", series.text);
    assert_eq!(visit_dates(&series.body).len(), 2, "{}", series.text);
    // Without e-mail, the resident is told by phone: the notice is on the call sheet.
    let message = called_once(&w, "Uw vaste afspraak is gestopt: Boodschappen").await;
    assert!(message.contains("ochtend is gestopt"), "{message}");
    // Stopped once, told once.
    assert_eq!(run_round(&w).await, Round::default());
    assert_eq!(count(&w, "call_tasks WHERE template = 'series_stopped'").await, 1);
}

#[actix_web::test]
async fn a_resident_with_email_hears_their_series_stopped() {
    let Started { w, shop, id, .. } = weekly_series("gestopt@example.nl").await;
    w.app
        .patch(
            &format!("/api/v1/services/{shop}"),
            Some(&w.coordinator),
            json!({"active": false}),
        )
        .await;
    shift_weekday(&w, id, 3).await;
    assert_eq!(run_round(&w).await.stopped, 1);
    let mailed = count(
        &w,
        "outbox WHERE template = 'series_stopped' AND recipient_email = 'gestopt@example.nl'",
    )
    .await;
    assert_eq!(mailed, 1);
}

#[actix_web::test]
async fn an_erased_resident_leaves_no_series_behind() {
    let Started {
        w,
        token,
        resident,
        series: started,
        id,
        ..
    } = weekly_series("vergeten@example.nl").await;
    let erase = format!("/api/v1/residents/{resident}/erase");
    // Its visits are jobs still to be done: they are cancelled first, as any other.
    w.app
        .post(&erase, Some(&w.coordinator), json!({"confirm": true}))
        .await
        .assert_problem(409, "open_jobs");
    w.app
        .post(&format!("/api/v1/job-series/{id}/stop"), Some(&token), json!({}))
        .await;
    for visit in started.body["visits"].as_array().unwrap() {
        let cancelled = w
            .app
            .post(
                &format!("/api/v1/jobs/{}/cancel", visit["job_id"]),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    }
    let erased = w.app.post(&erase, Some(&w.coordinator), json!({"confirm": true})).await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    assert_eq!(count(&w, "job_series").await, 0);
    assert_eq!(count(&w, "job_series_visits").await, 0);
    assert_eq!(count(&w, "jobs").await, 2, "the jobs stay, as any other's");
}

/// A daughter makes two series for her mother. She hears that one stopped while she acts
/// for her mother; once her consent is revoked, the other stops (it was ordered in her
/// name) and only her mother is told.
#[actix_web::test]
async fn a_family_member_hears_of_a_stop_only_while_acting_for_the_resident() {
    let w = world().await;
    let shop = shopping(&w).await;
    let company = create_service(&w.app, &w.coordinator, "Gezelschap", "gezelschap", false, 240).await;
    let (mother_token, mother, _) = w.app.register_resident("moeder.serie@example.nl").await;
    let (daughter_token, _, _) = w.app.register_resident("dochter.serie@example.nl").await;
    let granted = w
        .app
        .grant_proxy(mother, &mother_token, "dochter.serie@example.nl")
        .await;
    let mut ids = Vec::new();
    for service in [shop, company] {
        let mut body = weekly(service);
        body["recipient_id"] = json!(mother);
        let started = start(&w, &daughter_token, body).await;
        assert_eq!(started.status, 201, "{}", started.text);
        ids.push(started.body["id"].as_i64().unwrap());
    }
    let told = |email: &'static str| {
        let w = &w;
        async move {
            count(
                w,
                &format!("outbox WHERE template = 'series_stopped' AND recipient_email = '{email}'"),
            )
            .await
        }
    };
    let shift = |id: i64| {
        let w = &w;
        async move {
            execute_sql(
                &w.app,
                format!("UPDATE job_series SET weekday = (weekday + 3) % 7 WHERE id = {id}"),
            )
            .await;
        }
    };

    w.app
        .patch(
            &format!("/api/v1/services/{company}"),
            Some(&w.coordinator),
            json!({"active": false}),
        )
        .await;
    shift(ids[0]).await;
    shift(ids[1]).await;
    assert_eq!(run_round(&w).await, Round { ordered: 2, stopped: 1 });
    assert_eq!(told("moeder.serie@example.nl").await, 1);
    assert_eq!(told("dochter.serie@example.nl").await, 1);

    w.app.revoke_proxy(mother, &mother_token, granted).await;
    shift(ids[0]).await;
    assert_eq!(run_round(&w).await, Round { ordered: 0, stopped: 1 });
    let series = w
        .app
        .get(&format!("/api/v1/job-series/{}", ids[0]), Some(&mother_token))
        .await;
    assert_eq!(series.body["stop_reason"], "not_allowed_to_order", "{}", series.text);
    assert_eq!(told("moeder.serie@example.nl").await, 2);
    assert_eq!(
        told("dochter.serie@example.nl").await,
        1,
        "no longer acting for her mother"
    );
}
