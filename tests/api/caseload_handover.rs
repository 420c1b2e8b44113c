//! A coach leaves: the coordinator sees their caseload on the staff list and hands it to
//! another trajectbegeleider in one go (`POST /api/v1/admin/users/{id}/caseload-handover`).

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{TestApp, count_rows, spawn_app};

const HANDOVERS: &str = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log \
    WHERE operation = 'POST /api/v1/admin/users/{id}/caseload-handover' AND subject_kind = 'participant'";

async fn coached_by(app: &TestApp, coordinator: &str, coach: i64, name: &str) -> i64 {
    let body = json!({"name": name, "contracted_hours_per_week": 8, "coach_user_id": coach});
    let registered = app.post("/api/v1/participants", Some(coordinator), body).await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    registered.body["id"].as_i64().unwrap()
}

/// The caseloads on the coordinator's list of trajectbegeleiders: (email, active, caseload).
async fn caseloads(app: &TestApp, coordinator: &str) -> Vec<(String, bool, i64)> {
    let page = app
        .get("/api/v1/admin/users?role=trajectbegeleider", Some(coordinator))
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    let mut rows: Vec<(String, bool, i64)> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let email = a["email"].as_str().unwrap().to_owned();
            (email, a["active"].as_bool().unwrap(), a["caseload"].as_i64().unwrap())
        })
        .collect();
    rows.sort();
    rows
}

/// The names on `GET /api/v1/participants?coach_user_id=` as `token` reads it.
async fn names(app: &TestApp, token: &str, coach: i64) -> Vec<String> {
    let list = app
        .get(&format!("/api/v1/participants?coach_user_id={coach}"), Some(token))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.body.as_array().unwrap().iter();
    items.map(|p| p["name"].as_str().unwrap().to_owned()).collect()
}

#[actix_web::test]
async fn a_leaving_coach_hands_the_whole_caseload_to_another() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let (petra_email, karim_email) = ("petra@servicepunt.example", "karim@servicepunt.example");
    let petra = app.create_user(petra_email, Role::Trajectbegeleider).await;
    let karim = app.create_user(karim_email, Role::Trajectbegeleider).await;
    let werkleider = app.create_user("wl@servicepunt.example", Role::Werkleider).await;
    let joost = coached_by(&app, &coordinator, petra, "Joost").await;
    let anouk = coached_by(&app, &coordinator, petra, "Anouk").await;
    let stopped = coached_by(&app, &coordinator, petra, "Gestopte Gerrit").await;
    coached_by(&app, &coordinator, karim, "Kees").await;
    let path = format!("/api/v1/participants/{stopped}");
    let inactive = app.patch(&path, Some(&coordinator), json!({"active": false})).await;
    assert_eq!(inactive.status, 200, "{}", inactive.text);
    assert_eq!(
        caseloads(&app, &coordinator).await,
        vec![(karim_email.to_owned(), true, 1), (petra_email.to_owned(), true, 2)]
    );

    // Her caseload by name, for the coordinator; a coach sees only their own.
    assert_eq!(
        names(&app, &coordinator, petra).await,
        ["Anouk", "Gestopte Gerrit", "Joost"]
    );
    let karim_token = app.login(karim_email).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(names(&app, &karim_token, petra).await, Vec::<String>::new());

    // Petra leaves: out at once; her caseload stays visible until it is handed over.
    let disabled = app
        .post(
            &format!("/api/v1/admin/users/{petra}/disable"),
            Some(&coordinator),
            json!({}),
        )
        .await;
    assert_eq!((disabled.status.as_u16(), &disabled.body["caseload"]), (200, &json!(2)));
    let to_petra = app
        .patch(
            &format!("/api/v1/participants/{joost}"),
            Some(&coordinator),
            json!({"coach_user_id": petra}),
        )
        .await;
    assert_eq!(to_petra.status, 200, "her own participant keeps her: {}", to_petra.text);
    let anouk_path = format!("/api/v1/participants/{anouk}");
    let to_karim = app
        .patch(&anouk_path, Some(&coordinator), json!({"coach_user_id": karim}))
        .await;
    assert_eq!(to_karim.status, 200, "{}", to_karim.text);
    let back_to_petra = app
        .patch(&anouk_path, Some(&coordinator), json!({"coach_user_id": petra}))
        .await;
    assert_eq!(
        back_to_petra.status, 422,
        "a disabled coach takes no one new: {}",
        back_to_petra.text
    );
    assert_eq!(back_to_petra.body["errors"][0]["code"], "unknown_coach");

    let handover = format!("/api/v1/admin/users/{petra}/caseload-handover");
    for (to, code) in [
        (petra, "same_coach"),
        (werkleider, "unknown_coach"),
        (999_999, "unknown_coach"),
    ] {
        let refused = app.post(&handover, Some(&coordinator), json!({"to": to})).await;
        assert_eq!(refused.status, 422, "{}", refused.text);
        assert_eq!(refused.body["errors"][0]["code"], code, "{}", refused.text);
        assert_eq!(refused.body["errors"][0]["field"], "to");
    }
    assert_eq!(count_rows(&app, HANDOVERS).await, 0, "nothing moved");

    let done = app.post(&handover, Some(&coordinator), json!({"to": karim})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["moved"], 2, "Joost and Gerrit; Anouk went to Karim before");
    assert_eq!(
        (&done.body["from"]["caseload"], &done.body["to"]["caseload"]),
        (&json!(0), &json!(3))
    );
    assert_eq!(
        caseloads(&app, &coordinator).await,
        vec![(karim_email.to_owned(), true, 3), (petra_email.to_owned(), false, 0)]
    );
    assert_eq!(
        count_rows(&app, HANDOVERS).await,
        2,
        "one audit entry per participant moved"
    );

    // Karim reads his caseload now, the one who stopped too.
    assert_eq!(
        names(&app, &karim_token, karim).await,
        ["Anouk", "Gestopte Gerrit", "Joost", "Kees"]
    );
    for id in [joost, anouk, stopped] {
        let read = app.get(&format!("/api/v1/participants/{id}"), Some(&karim_token)).await;
        assert_eq!(read.status, 200, "{}", read.text);
    }
    let again = app.post(&handover, Some(&coordinator), json!({"to": karim})).await;
    assert_eq!((again.status.as_u16(), &again.body["moved"]), (200, &json!(0)));
}

/// A leaving coach's intake times to come go along with the caseload, booked or free,
/// except those that overlap the new coach's own, which stay to be rebooked; days gone by
/// stay as they were.
#[actix_web::test]
async fn a_leaving_coachs_intake_times_go_along_unless_they_overlap() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let petra = app
        .create_user("petra@servicepunt.example", Role::Trajectbegeleider)
        .await;
    let karim_email = "karim@servicepunt.example";
    let karim = app.create_user(karim_email, Role::Trajectbegeleider).await;
    let day = servicepunt::clock::today() + chrono::Duration::days(5);
    let open = |coach: i64, times: Vec<&'static str>, minutes: i64| {
        let body = json!({"on": day, "times": times, "minutes": minutes, "coach_id": coach});
        let app = &app;
        let coordinator = coordinator.clone();
        async move {
            let opened = app.post("/api/v1/intake-slots", Some(&coordinator), body).await;
            assert_eq!(opened.status, 201, "{}", opened.text);
            opened.body
        }
    };
    let petras = open(petra, vec!["09:00", "10:00", "11:00"], 45).await;
    open(karim, vec!["10:15"], 30).await;
    let booked = app
        .post(
            &format!("/api/v1/intake-slots/{}/booking", petras[0]["id"]),
            Some(&coordinator),
            json!({"client_name": "Piet Jansen", "case_manager": "Mw. De Vries"}),
        )
        .await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    let yesterday = servicepunt::clock::today() - chrono::Duration::days(1);
    crate::helpers::execute_sql(
        &app,
        format!(
            "INSERT INTO intake_slots (coach_user_id, on_date, from_time, minutes, created_by, created_at) \
             VALUES ({petra}, '{yesterday}', '09:00:00', 45, {petra}, '2026-01-01 08:00:00')"
        ),
    )
    .await;

    let done = app
        .post(
            &format!("/api/v1/admin/users/{petra}/caseload-handover"),
            Some(&coordinator),
            json!({"to": karim}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(
        done.body["intake_slots"],
        json!({"moved": 2, "left": 1}),
        "{}",
        done.text
    );

    let karim_token = app.login(karim_email).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let roster = app
        .get(&format!("/api/v1/intake-slots?from={day}&to={day}"), Some(&karim_token))
        .await;
    let slots: Vec<(&str, i64, Option<&str>)> = roster
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let who = s["booking"]["client_name"].as_str();
            (s["from"].as_str().unwrap(), s["coach_id"].as_i64().unwrap(), who)
        })
        .collect();
    assert_eq!(
        slots,
        [
            ("09:00:00", karim, Some("Piet Jansen")),
            ("10:00:00", petra, None),
            ("10:15:00", karim, None),
            ("11:00:00", karim, None),
        ],
        "the 10:00 overlaps Karim's 10:15 and stays"
    );
    let petras_left = format!("SELECT COUNT(*) AS n FROM intake_slots WHERE coach_user_id = {petra}");
    assert_eq!(count_rows(&app, petras_left).await, 2, "10:00 and yesterday's");
}
