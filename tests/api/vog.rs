//! The certificate of conduct (VOG): where the servicepunt asks for one, nobody is cleared
//! to go alone to people's homes without a recent one. Only the day it was issued is kept;
//! the planners see it, the participant's export holds it, erasure takes it.

use chrono::Duration;
use serde_json::json;
use servicepunt::clock;

use crate::helpers::{create_participant, erase_participant, world, world_with};

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
