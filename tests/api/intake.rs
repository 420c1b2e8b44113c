//! The intake roster of the Werkplein day: coaches open times, write down what the
//! klantmanagers book, and print the roster for the counter.

use chrono::{Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::clock;

use crate::helpers::{World, count_rows, execute_sql, world};
use crate::planned_work::mails;

const ROSTER: &str = "/api/v1/intake-slots";

async fn coach(w: &World, email: &str) -> (String, i64) {
    let id = w.app.create_user(email, Role::Trajectbegeleider).await;
    let token = w.app.login(email).await["access_token"].as_str().unwrap().to_owned();
    (token, id)
}

fn ids(reply: &Value) -> Vec<i64> {
    reply
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

async fn book(w: &World, token: &str, slot: i64, client: &str) -> crate::helpers::Reply {
    w.app
        .post(
            &format!("{ROSTER}/{slot}/booking"),
            Some(token),
            json!({"client_name": client, "case_manager": "Mw. De Vries", "note": "met tolk"}),
        )
        .await
}

#[actix_web::test]
async fn a_coach_opens_times_and_writes_down_what_the_klantmanager_booked() {
    let w = world().await;
    let (karin, karin_id) = coach(&w, "karin@voorwerk.example").await;
    let (bas, _) = coach(&w, "bas@voorwerk.example").await;
    let day = clock::today() + Duration::days(7);

    let opened = w
        .app
        .post(
            ROSTER,
            Some(&karin),
            json!({"on": day, "times": ["10:30", "09:00", "09:45"], "minutes": 45}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.text);
    let slots = opened.body.as_array().unwrap();
    let times: Vec<&str> = slots.iter().map(|s| s["from"].as_str().unwrap()).collect();
    assert_eq!(times, ["09:00:00", "09:45:00", "10:30:00"], "in order");
    assert!(slots.iter().all(|s| s["booked"] == false && s["coach_id"] == karin_id));
    let [nine, quarter_to_ten, half_past_ten] = ids(&opened.body)[..] else {
        panic!("three slots");
    };

    // 10:00 for 45 minutes would run into 09:45 and 10:30; times in one request may not
    // overlap each other either.
    w.app
        .post(
            ROSTER,
            Some(&karin),
            json!({"on": day, "times": ["10:00"], "minutes": 45}),
        )
        .await
        .assert_problem(409, "slot_overlaps");
    w.app
        .post(
            ROSTER,
            Some(&karin),
            json!({"on": day, "times": ["13:00", "13:30"], "minutes": 45}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let bas_opened = w
        .app
        .post(
            ROSTER,
            Some(&bas),
            json!({"on": day, "times": ["09:00"], "minutes": 60}),
        )
        .await;
    assert_eq!(bas_opened.status, 201, "another coach's day: {}", bas_opened.text);
    let bas_nine = ids(&bas_opened.body)[0];

    let booked = book(&w, &karin, nine, "  Piet Jansen ").await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    assert_eq!(booked.body["booked"], true);
    assert_eq!(booked.body["booking"]["client_name"], "Piet Jansen");
    assert_eq!(booked.body["booking"]["case_manager"], "Mw. De Vries");
    book(&w, &karin, nine, "Iemand Anders")
        .await
        .assert_problem(409, "already_booked");
    book(&w, &bas, quarter_to_ten, "Iemand Anders")
        .await
        .assert_problem(403, "forbidden");
    book(&w, &karin, 999_999, "Niemand")
        .await
        .assert_problem(404, "not_found");
    let blank = w
        .app
        .post(
            &format!("{ROSTER}/{quarter_to_ten}/booking"),
            Some(&karin),
            json!({"client_name": " ", "case_manager": ""}),
        )
        .await;
    blank.assert_problem(422, "validation_failed");
    assert_eq!(blank.error_fields(), ["client_name", "case_manager"]);

    // Every coach sees every time, and who is coming only on their own.
    let as_bas = w.app.get(&format!("{ROSTER}?from={day}&to={day}"), Some(&bas)).await;
    assert_eq!(as_bas.status, 200, "{}", as_bas.text);
    let seen: Vec<(i64, bool, bool)> = as_bas
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_i64().unwrap(), s["booked"] == true, s["booking"].is_null()))
        .collect();
    assert_eq!(seen.len(), 4);
    assert!(seen.contains(&(nine, true, true)), "booked, names hidden: {seen:?}");
    assert!(seen.contains(&(bas_nine, false, true)));
    for reader in [&karin, &w.coordinator] {
        let roster = w.app.get(&format!("{ROSTER}?from={day}&to={day}"), Some(reader)).await;
        let first = roster
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == nine)
            .unwrap()
            .clone();
        assert_eq!(first["booking"]["client_name"], "Piet Jansen");
    }
    let only_bas = w
        .app
        .get(&format!("{ROSTER}?from={day}&to={day}&coach_id={karin_id}"), Some(&bas))
        .await;
    assert_eq!(ids(&only_bas.body), [nine, quarter_to_ten, half_past_ten]);

    // The roster to print: blank lines to write on, colleagues' bookings as taken.
    let printed = w.app.get_csv(&format!("{ROSTER}?from={day}&to={day}"), &bas).await;
    assert_eq!(printed.status, 200);
    assert!(printed.text.starts_with("datum"), "{}", printed.text);
    assert!(printed.text.contains("bezet"), "{}", printed.text);
    assert!(!printed.text.contains("Piet"), "{}", printed.text);
    let own = w.app.get_csv(&format!("{ROSTER}?from={day}&to={day}"), &karin).await;
    assert!(
        own.text.contains("Piet Jansen") && own.text.contains("met tolk"),
        "{}",
        own.text
    );

    // A booked time is cancelled before it is taken off; each only once.
    let remove = |slot: i64, token: String| {
        let app = &w.app;
        async move {
            app.call(Method::DELETE, &format!("{ROSTER}/{slot}"), Some(&token), None)
                .await
        }
    };
    remove(nine, karin.clone()).await.assert_problem(409, "slot_booked");
    remove(quarter_to_ten, bas.clone())
        .await
        .assert_problem(403, "forbidden");
    let cancel = format!("{ROSTER}/{nine}/booking");
    let cancelled = w.app.call(Method::DELETE, &cancel, Some(&karin), None).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    assert_eq!(cancelled.body["booked"], false);
    assert!(cancelled.body["booking"].is_null());
    w.app
        .call(Method::DELETE, &cancel, Some(&karin), None)
        .await
        .assert_problem(409, "not_booked");
    assert_eq!(remove(nine, karin.clone()).await.status, 204);
    remove(nine, karin.clone()).await.assert_problem(404, "not_found");
    assert_eq!(
        count_rows(
            &w.app,
            "SELECT COUNT(*) AS n FROM intake_slots WHERE client_name IS NULL"
        )
        .await,
        3
    );
    // Who read or wrote the names is in the audit log.
    for action in ["read", "change"] {
        let logged = format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = '{action}' AND operation LIKE '%intake-slots%'"
        );
        assert!(count_rows(&w.app, logged).await > 0, "{action}");
    }
}

#[actix_web::test]
async fn the_coordinator_opens_a_named_coachs_times_and_a_coach_only_their_own() {
    let w = world().await;
    let (karin, karin_id) = coach(&w, "karin@voorwerk.example").await;
    let (_, bas_id) = coach(&w, "bas@voorwerk.example").await;
    let werkleider_id = w.app.create_user("wil@servicepunt.example", Role::Werkleider).await;
    let day = clock::today() + Duration::days(3);
    let body = |coach: Option<i64>| json!({"on": day, "times": ["14:00"], "minutes": 30, "coach_id": coach});

    let unnamed = w.app.post(ROSTER, Some(&w.coordinator), body(None)).await;
    unnamed.assert_problem(422, "validation_failed");
    assert_eq!(unnamed.error_fields(), ["coach_id"]);
    let not_a_coach = w
        .app
        .post(ROSTER, Some(&w.coordinator), body(Some(werkleider_id)))
        .await;
    not_a_coach.assert_problem(422, "validation_failed");
    assert_eq!(not_a_coach.body["errors"][0]["code"], "unknown_coach");
    let for_karin = w.app.post(ROSTER, Some(&w.coordinator), body(Some(karin_id))).await;
    assert_eq!(for_karin.status, 201, "{}", for_karin.text);
    assert_eq!(for_karin.body[0]["coach_id"], karin_id);

    w.app
        .post(ROSTER, Some(&karin), body(Some(bas_id)))
        .await
        .assert_problem(403, "forbidden");
    w.app
        .post(ROSTER, Some(&karin), body(Some(karin_id)))
        .await
        .assert_problem(409, "slot_overlaps");

    let yesterday = clock::today() - Duration::days(1);
    let past = w
        .app
        .post(
            ROSTER,
            Some(&karin),
            json!({"on": yesterday, "times": ["06:00", "09:00:30"], "minutes": 10}),
        )
        .await;
    past.assert_problem(422, "validation_failed");
    assert_eq!(past.error_fields(), ["on", "minutes", "times[0]", "times[1]"]);

    let reversed = w
        .app
        .get(&format!("{ROSTER}?from={day}&to={yesterday}"), Some(&karin))
        .await;
    reversed.assert_problem(422, "validation_failed");
    let long = w
        .app
        .get(
            &format!("{ROSTER}?from={yesterday}&to={}", yesterday + Duration::days(93)),
            Some(&karin),
        )
        .await;
    long.assert_problem(422, "validation_failed");
    let default = w.app.get(ROSTER, Some(&karin)).await;
    assert_eq!(ids(&default.body).len(), 1, "from today, four weeks: {}", default.text);
}

fn slot_on(coach: i64, on: NaiveDate) -> String {
    format!(
        "INSERT INTO intake_slots (coach_user_id, on_date, from_time, minutes, created_by, created_at) \
         VALUES ({coach}, '{on}', '09:00:00', 45, {coach}, '2026-01-01 08:00:00')"
    )
}

/// A time that has begun stays as it was; four weeks after its day the daily timer deletes
/// it, booking and all.
#[actix_web::test]
async fn times_gone_by_stay_as_they_were_and_are_deleted_after_four_weeks() {
    let w = world().await;
    let (karin, karin_id) = coach(&w, "karin@voorwerk.example").await;
    let yesterday = clock::today() - Duration::days(1);
    execute_sql(&w.app, slot_on(karin_id, yesterday)).await;
    let roster = w.app.get(&format!("{ROSTER}?from={yesterday}"), Some(&karin)).await;
    let slot = ids(&roster.body)[0];
    book(&w, &karin, slot, "Te Laat").await.assert_problem(409, "slot_past");
    w.app
        .call(Method::DELETE, &format!("{ROSTER}/{slot}"), Some(&karin), None)
        .await
        .assert_problem(409, "slot_past");

    let forget = |today: NaiveDate| {
        w.app
            .db(move |conn| servicepunt::participants::intake_store::forget_past(conn, today).unwrap())
    };
    let kept = servicepunt::participants::intake::KEPT_DAYS_AFTER;
    assert_eq!(forget(yesterday + Duration::days(kept)).await, 0);
    assert_eq!(forget(yesterday + Duration::days(kept + 1)).await, 1);
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM intake_slots").await, 0);
}

/// What the coordinator changes on a coach's roster reaches the coach by mail (the day
/// and the time, not who is coming); what the coach changes themselves does not.
#[actix_web::test]
async fn the_coach_hears_what_the_coordinator_changes_on_their_roster() {
    let w = world().await;
    let (karin, karin_id) = coach(&w, "karin@voorwerk.example").await;
    let day = clock::today() + Duration::days(4);
    let open = |token: String, times: Value| {
        let w = &w;
        async move {
            let body = json!({"on": day, "times": times, "minutes": 30, "coach_id": karin_id});
            let opened = w.app.post(ROSTER, Some(&token), body).await;
            assert_eq!(opened.status, 201, "{}", opened.text);
            ids(&opened.body)
        }
    };
    let own = open(karin.clone(), json!(["09:00"])).await;
    let booked = book(&w, &karin, own[0], "Piet Jansen").await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    assert!(mails(&w, "intake_roster_changed").await.is_empty(), "her own changes");

    let theirs = open(w.coordinator.clone(), json!(["13:00", "13:30"])).await;
    let booked = book(&w, &w.coordinator, theirs[0], "Klaas Visser").await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    let cancelled = w
        .app
        .call(
            Method::DELETE,
            &format!("{ROSTER}/{}/booking", theirs[0]),
            Some(&w.coordinator),
            None,
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    let removed = w
        .app
        .call(
            Method::DELETE,
            &format!("{ROSTER}/{}", theirs[1]),
            Some(&w.coordinator),
            None,
        )
        .await;
    assert_eq!(removed.status, 204, "{}", removed.text);

    let told = mails(&w, "intake_roster_changed").await;
    let changes: Vec<(&str, &str, Value)> = told
        .iter()
        .map(|(to, data)| (to.as_str(), data["change"].as_str().unwrap(), data["times"].clone()))
        .collect();
    let to = "karin@voorwerk.example";
    assert_eq!(
        changes,
        [
            (to, "opened", json!(["13:00", "13:30"])),
            (to, "booked", json!(["13:00"])),
            (to, "cancelled", json!(["13:00"])),
            (to, "removed", json!(["13:30"])),
        ]
    );
    assert!(told.iter().all(|(_, data)| data["date"] == json!(day)));
    assert!(
        !told.iter().any(|(_, data)| data.to_string().contains("Visser")),
        "who is coming stays in the app: {told:?}"
    );
}

/// From the start of a booked intake the coach writes down whether the client came (and
/// may correct it); the roster shows it to her, the printed one in `verschenen`, and a
/// colleague sees neither the name nor whether they came.
#[actix_web::test]
async fn the_coach_writes_down_whether_the_client_came() {
    let w = world().await;
    let (karin, _) = coach(&w, "karin@voorwerk.example").await;
    let (bas, _) = coach(&w, "bas@voorwerk.example").await;
    let day = clock::today() + Duration::days(2);
    let opened = w
        .app
        .post(
            ROSTER,
            Some(&karin),
            json!({"on": day, "times": ["09:00", "10:00"], "minutes": 45}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.text);
    let [booked, free] = ids(&opened.body)[..] else {
        panic!("two slots");
    };
    assert_eq!(book(&w, &karin, booked, "Piet Jansen").await.status, 200);
    let outcome = |slot: i64, token: String, came: bool| {
        let w = &w;
        async move {
            let path = format!("{ROSTER}/{slot}/outcome");
            w.app.post(&path, Some(&token), json!({"came": came})).await
        }
    };
    outcome(booked, karin.clone(), false)
        .await
        .assert_problem(409, "slot_not_begun");

    // The day comes.
    let yesterday = clock::today() - Duration::days(1);
    execute_sql(&w.app, format!("UPDATE intake_slots SET on_date = '{yesterday}'")).await;
    outcome(free, karin.clone(), true)
        .await
        .assert_problem(409, "not_booked");
    outcome(booked, bas.clone(), false)
        .await
        .assert_problem(403, "forbidden");
    let bad = w
        .app
        .post(
            &format!("{ROSTER}/{booked}/outcome"),
            Some(&karin),
            json!({"came": "nee"}),
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    let noted = outcome(booked, karin.clone(), true).await;
    assert_eq!(noted.status, 200, "{}", noted.text);
    assert_eq!(noted.body["booking"]["came"], true, "{}", noted.text);
    let corrected = outcome(booked, w.coordinator.clone(), false).await;
    assert_eq!(corrected.body["booking"]["came"], false, "{}", corrected.text);

    let path = format!("{ROSTER}?from={yesterday}");
    let roster = w.app.get(&path, Some(&karin)).await;
    let came: Vec<&Value> = roster
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["booking"]["came"])
        .collect();
    assert_eq!(came, [&json!(false), &Value::Null], "{}", roster.text);
    let printed = w.app.get_csv(&path, &karin).await;
    let lines: Vec<&str> = printed.text.lines().collect();
    assert!(lines[0].ends_with(",verschenen"), "{}", printed.text);
    assert!(
        lines[1].contains("Piet Jansen") && lines[1].ends_with(",nee"),
        "{}",
        printed.text
    );
    let colleague = w.app.get_csv(&path, &bas).await;
    assert!(
        colleague.text.lines().nth(1).unwrap().ends_with("bezet,,,"),
        "{}",
        colleague.text
    );
    let seen = w.app.get(&path, Some(&bas)).await;
    assert_eq!(seen.body[0]["booking"], Value::Null, "{}", seen.text);
}
