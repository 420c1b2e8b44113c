//! Records changed from two screens at once: a service, a participant, a pair kept
//! apart, an institution, a proxy. Each change builds on the one before; a duplicate is
//! told it exists.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::{count_rows, create_participant, world};

use super::{answered, assert_all};

/// Coordinators changing one service at the same moment: each change becomes a version
/// of its own, built on the one before, so none undoes another.
#[actix_web::test]
async fn twenty_changes_to_one_service_at_once_each_become_a_version() {
    let w = world().await;
    let path = format!("/api/v1/services/{}", w.hedge);
    let mut changes = vec![json!({"min_crew": 2})];
    changes.extend((1..20).map(|n| json!({"name": {"nl": format!("Heg snoeien {n}"), "en": format!("Hedge {n}")}})));
    let replies = join_all(
        changes
            .iter()
            .map(|c| w.app.patch(&path, Some(&w.coordinator), c.clone())),
    )
    .await;
    assert_all(&replies, 200);
    let mut versions: Vec<i64> = replies.iter().map(|r| r.body["version"].as_i64().unwrap()).collect();
    versions.sort_unstable();
    assert_eq!(versions, (2..=21).collect::<Vec<i64>>());
    let now = w.app.get(&path, None).await;
    assert_eq!(now.body["version"], 21, "{}", now.text);
    assert_eq!(now.body["min_crew"], 2, "a later change did not undo it: {}", now.text);
}

/// Werkleiders changing one participant at the same moment, one the phone number and the
/// others the days: each change builds on the one before, so none puts back what another
/// changed.
#[actix_web::test]
async fn twenty_changes_to_one_participant_at_once_undo_none_of_each_other() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Werker Dagen", "solo_klus").await;
    let path = format!("/api/v1/participants/{p}");
    let mut changes = vec![json!({"phone": "0318 123 456"})];
    changes.extend((1..20).map(|n| {
        let days: Vec<serde_json::Value> = (0..=n % 7)
            .map(|d| json!({"weekday": d, "dagdeel": "morning"}))
            .collect();
        json!({ "availability": days })
    }));
    let replies = join_all(
        changes
            .iter()
            .map(|c| w.app.patch(&path, Some(&w.werkleider), c.clone())),
    )
    .await;
    assert_all(&replies, 200);
    let now = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(now.body["phone"], "0318123456", "{}", now.text);
}

/// Two werkleiders recording that two participants must not work together, at the same
/// moment: it is recorded once and both hear it is.
#[actix_web::test]
async fn one_pair_kept_apart_twenty_times_at_once_is_recorded_once() {
    let w = world().await;
    let a = create_participant(&w.app, &w.coordinator, "Werker Aap", "solo_klus").await;
    let b = create_participant(&w.app, &w.coordinator, "Werker Beer", "solo_klus").await;
    let asks: Vec<(String, serde_json::Value)> = (0..20)
        .map(|n| {
            let (from, other) = if n % 2 == 0 { (a, b) } else { (b, a) };
            (
                format!("/api/v1/participants/{from}/do-not-pair"),
                json!({"other_participant_id": other, "reason": "ruzie"}),
            )
        })
        .collect();
    let replies = join_all(
        asks.iter()
            .map(|(path, body)| w.app.post(path, Some(&w.werkleider), body.clone())),
    )
    .await;
    assert_all(&replies, 204);
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM do_not_pair").await, 1);
}

/// One care home entered twice at the same moment is one institution; the other entry
/// hears it exists.
#[actix_web::test]
async fn one_institution_entered_twenty_times_at_once_exists_once() {
    let w = world().await;
    let body = json!({"name": "Zorgcentrum De Horst", "hourly_rate_cents": 3500});
    let replies =
        join_all((0..20).map(|_| w.app.post("/api/v1/institutions", Some(&w.coordinator), body.clone()))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "institution_exists");
    }
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM institutions").await, 1);
}

/// A resident's daughter recorded as their proxy from two screens at the same moment is
/// one proxy; the others hear she is one already.
#[actix_web::test]
async fn one_proxy_recorded_twenty_times_at_once_exists_once() {
    let w = world().await;
    let (mother, mother_id, _) = w.app.register_resident("moeder.race@example.nl").await;
    w.app.register_resident("dochter.race@example.nl").await;
    let path = format!("/api/v1/residents/{mother_id}/proxies");
    let body = json!({"proxy_email": "dochter.race@example.nl", "consent": true});
    let replies = join_all((0..20).map(|_| w.app.post(&path, Some(&mother), body.clone()))).await;
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "proxy_exists");
    }
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM resident_proxies").await,
        1
    );
}
