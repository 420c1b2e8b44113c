//! The participant list reads what its views need for all participants at once: each
//! one in it must look exactly as on their own page.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{World, create_participant, world};

#[actix_web::test]
async fn each_participant_in_the_list_looks_as_on_their_own_page() {
    let w = world().await;
    let anna = create_participant(&w.app, &w.coordinator, "Anna A", "solo_klus").await;
    let bert = create_participant(&w.app, &w.coordinator, "Bert B", "solo_dienst").await;
    let carla = create_participant(&w.app, &w.coordinator, "Carla C", "onboarder").await;
    let today = servicepunt::clock::today();
    let calls = [
        (
            format!("/api/v1/participants/{anna}/do-not-pair"),
            json!({"other_participant_id": bert}),
        ),
        (
            format!("/api/v1/participants/{carla}/do-not-pair"),
            json!({"other_participant_id": anna}),
        ),
        (
            format!("/api/v1/participants/{bert}/absences"),
            json!({"kind": "leave", "starts_on": today + Duration::days(3), "ends_on": today + Duration::days(5)}),
        ),
    ];
    for (path, body) in calls {
        let reply = w.app.post(&path, Some(&w.werkleider), body).await;
        assert!(reply.status.is_success(), "{path}: {}", reply.text);
    }
    let lowered = w
        .app
        .patch(
            &format!("/api/v1/participants/{carla}"),
            Some(&w.werkleider),
            json!({"clearance": "new", "clearance_reason": "eerst weer samen werken"}),
        )
        .await;
    assert_eq!(lowered.status, 200, "{}", lowered.text);

    let list = w.app.get("/api/v1/participants", Some(&w.werkleider)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.body.as_array().unwrap();
    assert_eq!(items.len(), 3, "{}", list.text);
    for item in items {
        let own = w
            .app
            .get(&format!("/api/v1/participants/{}", item["id"]), Some(&w.werkleider))
            .await;
        assert_eq!(item, &own.body, "listed and on their own page");
    }
    let by_id = |id: i64| items.iter().find(|i| i["id"] == id).unwrap();
    let mut pairs: Vec<i64> = serde_json::from_value(by_id(anna)["do_not_pair"].clone()).unwrap();
    pairs.sort_unstable();
    assert_eq!(pairs, [bert, carla]);
    assert_eq!(by_id(bert)["do_not_pair"], json!([anna]));
    assert_eq!(by_id(carla)["do_not_pair"], json!([anna]));
    assert_eq!(by_id(bert)["absences"].as_array().unwrap().len(), 1);
    assert_eq!(by_id(anna)["absences"], json!([]));
    assert_eq!(by_id(carla)["clearance_history"].as_array().unwrap().len(), 2);
    assert_eq!(by_id(anna)["current_trajectory"]["kind"], "participatiebaan");
    assert_eq!(by_id(anna)["availability"].as_array().unwrap().len(), 21);
}

/// A participant's week reads in the order of the days and of each day, whatever order
/// the werkleider ticked the dagdelen in.
#[actix_web::test]
async fn availability_reads_in_the_order_of_the_week() {
    let w = world().await;
    let anna = create_participant(&w.app, &w.coordinator, "Anna A", "solo_klus").await;
    let ticked = json!([
        {"weekday": 3, "dagdeel": "morning"},
        {"weekday": 1, "dagdeel": "evening"},
        {"weekday": 1, "dagdeel": "morning"},
        {"weekday": 1, "dagdeel": "afternoon"},
        {"weekday": 0, "dagdeel": "afternoon"},
    ]);
    let path = format!("/api/v1/participants/{anna}");
    let changed = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"availability": ticked}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let week = json!([
        {"weekday": 0, "dagdeel": "afternoon"},
        {"weekday": 1, "dagdeel": "morning"},
        {"weekday": 1, "dagdeel": "afternoon"},
        {"weekday": 1, "dagdeel": "evening"},
        {"weekday": 3, "dagdeel": "morning"},
    ]);
    assert_eq!(changed.body["availability"], week, "{}", changed.text);
    let page = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(page.body["availability"], week, "{}", page.text);
    let list = w.app.get("/api/v1/participants", Some(&w.werkleider)).await;
    let listed = list.body.as_array().unwrap().iter().find(|i| i["id"] == anna).unwrap();
    assert_eq!(listed["availability"], week, "{}", list.text);
}

/// The ids on `GET /api/v1/participants{query}`, as a werkleider reads it.
async fn listed_ids(w: &World, query: &str) -> Vec<i64> {
    let list = w
        .app
        .get(&format!("/api/v1/participants{query}"), Some(&w.werkleider))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.body
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// The roster is those who work here now: `active` narrows the list to them, or to those
/// who left.
#[actix_web::test]
async fn the_list_narrows_to_those_who_work_here_now_or_those_who_left() {
    let w = world().await;
    let anna = create_participant(&w.app, &w.coordinator, "Anna A", "solo_klus").await;
    let bert = create_participant(&w.app, &w.coordinator, "Bert B", "solo_dienst").await;
    let left = w
        .app
        .patch(
            &format!("/api/v1/participants/{bert}"),
            Some(&w.werkleider),
            json!({"active": false}),
        )
        .await;
    assert_eq!(left.status, 200, "{}", left.text);
    assert_eq!(listed_ids(&w, "").await, vec![anna, bert]);
    assert_eq!(listed_ids(&w, "?active=true").await, vec![anna]);
    assert_eq!(listed_ids(&w, "?active=false").await, vec![bert]);
    w.app
        .get("/api/v1/participants?active=soms", Some(&w.werkleider))
        .await
        .assert_problem(400, "invalid_query");
}
