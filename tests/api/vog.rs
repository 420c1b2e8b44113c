//! The certificate of conduct (VOG): where the servicepunt asks for one, nobody is cleared
//! to go alone to people's homes without a recent one. Only the day it was issued is kept;
//! the planners see it, the participant's export holds it, erasure takes it.

use chrono::{Duration, Months, NaiveDate};
use serde_json::json;
use servicepunt::auth::Role;
use servicepunt::clock;
use servicepunt::participants::coach_week;

use crate::helpers::{Reply, World, create_participant, erase_participant, world, world_with};

#[actix_web::test]
async fn going_alone_to_homes_needs_a_recent_vog_where_one_is_asked_for() {
    let w = world_with(|raw| raw.vog_months = 36).await;
    let me = create_participant(&w.app, &w.coordinator, "Sanne Visser", "solo_klus").await;
    let path = format!("/api/v1/participants/{me}");
    let promote = |vog: serde_json::Value| {
        let mut body = json!({"clearance": "solo_dienst", "clearance_reason": "Gaat goed alleen op pad"});
        if !vog.is_null() {
            body["vog_issued_on"] = vog;
        }
        body
    };
    let today = clock::today();
    let old = today - Duration::days(4 * 365);
    for (vog, field, code) in [
        (json!(null), "clearance", "vog_required"),
        (json!(old), "clearance", "vog_required"),
        (json!(today + Duration::days(1)), "vog_issued_on", "date_in_future"),
    ] {
        let refused = w.app.patch(&path, Some(&w.werkleider), promote(vog)).await;
        assert_eq!(refused.status, 422, "{}", refused.text);
        assert_eq!(refused.body["errors"][0]["field"], field, "{}", refused.text);
        assert_eq!(refused.body["errors"][0]["code"], code, "{}", refused.text);
    }
    let unchanged = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(unchanged.body["clearance"], "solo_klus", "{}", unchanged.text);
    assert_eq!(unchanged.body["vog_issued_on"], json!(null), "nothing written");
    assert_eq!(unchanged.body["clearance_history"].as_array().unwrap().len(), 1);

    let recent = today - Duration::days(30);
    let promoted = w.app.patch(&path, Some(&w.werkleider), promote(json!(recent))).await;
    assert_eq!(promoted.status, 200, "{}", promoted.text);
    assert_eq!(promoted.body["clearance"], "solo_dienst");
    assert_eq!(promoted.body["vog_issued_on"], json!(recent));

    // Lowering it is never held up, not even by a VOG gone old: an onboarder back to
    // going alone without taking newcomers along.
    let onboarder = json!({"clearance": "onboarder", "clearance_reason": "Neemt nieuwe mensen mee"});
    assert_eq!(w.app.patch(&path, Some(&w.werkleider), onboarder).await.status, 200);
    let old_vog = json!({"vog_issued_on": old});
    assert_eq!(w.app.patch(&path, Some(&w.werkleider), old_vog).await.status, 200);
    let lowered = json!({"clearance": "solo_dienst", "clearance_reason": "Eerst zelf weer vast"});
    let lowered = w.app.patch(&path, Some(&w.werkleider), lowered).await;
    assert_eq!(lowered.status, 200, "{}", lowered.text);
    assert_eq!(lowered.body["clearance"], "solo_dienst");
    let back = json!({"vog_issued_on": recent});
    assert_eq!(w.app.patch(&path, Some(&w.werkleider), back).await.status, 200);

    // Registered as an onboarder straight away: the same rule.
    let body = |vog: Option<chrono::NaiveDate>| {
        json!({"name": "Karim Haddou", "clearance": "onboarder", "contracted_hours_per_week": 32,
            "vog_issued_on": vog})
    };
    let refused = w
        .app
        .post("/api/v1/participants", Some(&w.coordinator), body(None))
        .await;
    assert_eq!(refused.body["errors"][0]["code"], "vog_required", "{}", refused.text);
    let made = w
        .app
        .post("/api/v1/participants", Some(&w.coordinator), body(Some(recent)))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);

    // The participant's export holds it; erasure takes it.
    let export = w
        .app
        .get(&format!("/api/v1/participants/{me}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(
        export.body["participant"]["vog_issued_on"],
        json!(recent),
        "{}",
        export.text
    );
    erase_participant(&w.app, &w.coordinator, me).await;
    let stored = w
        .app
        .db(move |conn| {
            use diesel::prelude::*;
            use servicepunt::db::schema::participants;
            participants::table
                .find(me)
                .select(participants::vog_issued_on)
                .first::<Option<chrono::NaiveDate>>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(stored, None);
}

#[actix_web::test]
async fn where_no_vog_is_asked_for_none_is_needed() {
    let w = world().await;
    let me = create_participant(&w.app, &w.coordinator, "Sanne Visser", "solo_klus").await;
    let promote = json!({"clearance": "solo_dienst", "clearance_reason": "Gaat goed alleen op pad"});
    let promoted = w
        .app
        .patch(&format!("/api/v1/participants/{me}"), Some(&w.werkleider), promote)
        .await;
    assert_eq!(promoted.status, 200, "{}", promoted.text);
}

/// A participant created by the werkleider with a coach, a clearance and a VOG date, and
/// then given `vog` as the day theirs was issued (changing the date alone is never held
/// up, so an old one can stand as it would after the years went by).
async fn cleared(w: &World, name: &str, coach: Option<i64>, clearance: &str, vog: Option<NaiveDate>) -> i64 {
    let recent = clock::today() - Duration::days(30);
    let body = json!({"name": name, "contracted_hours_per_week": 16, "coach_user_id": coach,
        "clearance": clearance, "vog_issued_on": recent});
    let made = w.app.post("/api/v1/participants", Some(&w.werkleider), body).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.body["id"].as_i64().unwrap();
    let set = w
        .app
        .patch(
            &format!("/api/v1/participants/{id}"),
            Some(&w.werkleider),
            json!({"vog_issued_on": vog}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    id
}

fn names(list: &Reply) -> Vec<&str> {
    list.body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_coach_hears_in_time_of_a_vog_to_renew_and_the_list_shows_whose() {
    let w = world_with(|raw| raw.vog_months = 36).await;
    let karin_email = "karin@voorwerk.example";
    let karin = w.app.create_user(karin_email, Role::Trajectbegeleider).await;
    let today = clock::today();
    let three_years_ago = today.checked_sub_months(Months::new(36)).unwrap();
    // Anna's runs out in three weeks; Bert's is fresh; Cor works in a group and needs
    // none; Dirk, coached by nobody, has none left; Els left the servicepunt.
    let anna = cleared(
        &w,
        "Anna Binnenkort",
        Some(karin),
        "solo_dienst",
        Some(three_years_ago + Duration::days(21)),
    )
    .await;
    cleared(
        &w,
        "Bert Bijtijds",
        Some(karin),
        "solo_dienst",
        Some(today - Duration::days(30)),
    )
    .await;
    cleared(&w, "Cor Groep", Some(karin), "solo_klus", None).await;
    cleared(
        &w,
        "Dirk Zonder",
        None,
        "onboarder",
        Some(three_years_ago - Duration::days(1)),
    )
    .await;
    let els = cleared(&w, "Els Vertrokken", Some(karin), "solo_dienst", None).await;
    let left = w
        .app
        .patch(
            &format!("/api/v1/participants/{els}"),
            Some(&w.werkleider),
            json!({"active": false}),
        )
        .await;
    assert_eq!(left.status, 200, "{}", left.text);

    let sent = w
        .app
        .db(move |conn| coach_week::run(conn, today, 36, "https://app.example", servicepunt::db::now()).unwrap())
        .await;
    assert!(sent >= 2, "Karin and the coordinators: {sent}");
    let mails = crate::planned_work::mails(&w, "coach_week").await;
    let to_karin: Vec<_> = mails.iter().filter(|(to, _)| to == karin_email).collect();
    assert_eq!(to_karin.len(), 1, "{mails:?}");
    assert_eq!(to_karin[0].1["vogs_due"], 1, "Anna's, not Bert's, Cor's or Els's");
    assert_eq!(
        to_karin[0].1["vog_link"],
        "https://app.example/participants?vog_renewal_due=true"
    );
    for (to, data) in mails.iter().filter(|(to, _)| to != karin_email) {
        assert_eq!(data["coordinators"], true, "{to}: {data}");
        assert_eq!(data["vogs_due"], 1, "Dirk's: {data}");
    }
    for (_, data) in &mails {
        let text = data.to_string();
        assert!(!["Anna", "Dirk"].iter().any(|n| text.contains(n)), "{text}");
    }

    // Behind the link: whose it is, for the werkleiders all, for Karin her own.
    let due = w
        .app
        .get("/api/v1/participants?vog_renewal_due=true", Some(&w.werkleider))
        .await;
    assert_eq!(names(&due), ["Anna Binnenkort", "Dirk Zonder"], "{}", due.text);
    // Each profile says so, with the last day the VOG counts.
    let annas = &due.body[0];
    assert_eq!(annas["vog_renewal_due"], true, "{annas}");
    let until = (three_years_ago + Duration::days(21))
        .checked_add_months(Months::new(36))
        .unwrap();
    assert_eq!(annas["vog_valid_until"], json!(until), "{annas}");
    let dirks = (three_years_ago - Duration::days(1)).checked_add_months(Months::new(36));
    assert_eq!(due.body[1]["vog_valid_until"], json!(dirks.unwrap()));
    let hers = w.app.login(karin_email).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = w
        .app
        .get("/api/v1/participants?vog_renewal_due=true", Some(&hers))
        .await;
    assert_eq!(names(&mine), ["Anna Binnenkort"], "{}", mine.text);
    let rest = w
        .app
        .get("/api/v1/participants?vog_renewal_due=false", Some(&w.werkleider))
        .await;
    let berts = rest
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Bert Bijtijds")
        .unwrap();
    assert_eq!(berts["vog_renewal_due"], false, "{berts}");
    let rest = names(&rest);
    assert!(
        rest.contains(&"Bert Bijtijds") && rest.contains(&"Els Vertrokken"),
        "{rest:?}"
    );
    assert!(!rest.contains(&"Anna Binnenkort"), "{rest:?}");

    // Renewed: Anna is off the list.
    let renewed = w
        .app
        .patch(
            &format!("/api/v1/participants/{anna}"),
            Some(&w.werkleider),
            json!({"vog_issued_on": today}),
        )
        .await;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    let due = w
        .app
        .get("/api/v1/participants?vog_renewal_due=true", Some(&w.werkleider))
        .await;
    assert_eq!(names(&due), ["Dirk Zonder"], "{}", due.text);
}

/// Where a VOG is asked for, someone whose VOG stopped counting is not sent alone to a
/// dienst at someone's home, although their clearance stays as it was: the planner says
/// why, and work planned before shows as broken until a new VOG is recorded.
#[actix_web::test]
async fn nobody_is_sent_alone_to_homes_once_their_vog_stopped_counting() {
    let w = world_with(|raw| raw.vog_months = 36).await;
    let dienst = crate::planning::solo_dienst(&w).await;
    let sanne = create_participant(&w.app, &w.coordinator, "Sanne Visser", "solo_klus").await;
    let path = format!("/api/v1/participants/{sanne}");
    let today = clock::today();
    let recent = json!({"vog_issued_on": today - Duration::days(30)});
    let mut promote = recent.clone();
    promote["clearance"] = json!("solo_dienst");
    promote["clearance_reason"] = json!("Gaat goed alleen op pad");
    assert_eq!(w.app.patch(&path, Some(&w.werkleider), promote).await.status, 200);
    let first = crate::planning::waitlisted_job(&w, dienst, 60).await;
    let span = crate::helpers::next_local(10, 60);
    let planned = crate::planning::assign(&w, first, &[sanne], &span).await;
    assert_eq!(planned.status, 201, "{}", planned.text);

    // The date on file turns out to be four years old.
    let old = json!({"vog_issued_on": today - Duration::days(4 * 365)});
    let corrected = w.app.patch(&path, Some(&w.werkleider), old).await;
    assert_eq!(corrected.status, 200, "{}", corrected.text);
    assert_eq!(corrected.body["clearance"], "solo_dienst", "the clearance stays");
    let broken = &corrected.body["broken_work"];
    assert_eq!(broken[0]["job_id"], first, "{}", corrected.text);
    let codes: Vec<&str> = broken[0]["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["clearance", "vog_expired"], "{}", corrected.text);
    let listed = w.app.get("/api/v1/planning/broken-work", Some(&w.werkleider)).await;
    assert_eq!(listed.body[0]["job_id"], first, "{}", listed.text);

    let second = crate::planning::waitlisted_job(&w, dienst, 60).await;
    let later = crate::helpers::next_local(14, 60);
    let alone = crate::planning::assign(&w, second, &[sanne], &later).await;
    alone.assert_problem(422, "clearance");
    let expired = alone.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "vog_expired")
        .unwrap_or_else(|| panic!("{}", alone.text));
    assert_eq!(expired["field"], format!("participant {sanne}"), "{}", alone.text);
    // The planner's suggestions say why she is not cleared to go alone.
    let enc = |s: &str| s.replace('+', "%2B").replace(':', "%3A");
    let url = format!(
        "/api/v1/jobs/{second}/suggestions?starts_at={}&ends_at={}",
        enc(&later.0),
        enc(&later.1)
    );
    let suggested = w.app.get(&url, Some(&w.werkleider)).await;
    let her = suggested.body["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["participant_id"] == sanne)
        .unwrap_or_else(|| panic!("{}", suggested.text));
    assert_eq!(her["cleared_alone"], false, "{}", suggested.text);
    assert_eq!(her["vog_expired"], true, "{}", suggested.text);

    // A new VOG recorded: she goes alone again, and the planned work is whole.
    let renewed = w.app.patch(&path, Some(&w.werkleider), recent).await;
    assert_eq!(renewed.body["broken_work"], json!([]), "{}", renewed.text);
    let again = crate::planning::assign(&w, second, &[sanne], &later).await;
    assert_eq!(again.status, 201, "{}", again.text);
}
