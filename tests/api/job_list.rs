//! The job list reads what its views need for the whole page at once: each job in it
//! must look exactly as on its own page, and the places on the waiting list must agree
//! with the werkleider's waiting list.

use serde_json::Value;

use crate::closed_days::close;
use crate::helpers::{create_participant, create_service, local_span, next_day_at, world};
use crate::planning::{assign, waitlisted_job};

#[actix_web::test]
async fn each_job_in_the_list_looks_as_on_its_own_page() {
    let w = world().await;
    let visits = create_service(&w.app, &w.coordinator, "Boodschappen", "boodschappen", false, 240).await;
    let waiting = [
        waitlisted_job(&w, w.hedge, 60).await,
        waitlisted_job(&w, visits, 60).await,
        waitlisted_job(&w, w.hedge, 60).await,
        waitlisted_job(&w, w.hedge, 60).await,
        waitlisted_job(&w, visits, 60).await,
    ];
    let worker = create_participant(&w.app, &w.coordinator, "Lijst Lotte", "solo_klus").await;
    let (closed_day, open_day) = (next_day_at(9), next_day_at(9) + chrono::Duration::days(1));
    for (job, day) in [(waiting[2], closed_day), (waiting[3], open_day)] {
        let planned = assign(&w, job, &[worker], &local_span(day, 10, 60)).await;
        assert_eq!(planned.status, 201, "{}", planned.text);
    }
    assert_eq!(close(&w, closed_day, "Studiedag").await.status, 201);

    let list = w.app.get("/api/v1/jobs?per_page=100", Some(&w.werkleider)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 5, "{}", list.text);
    for item in items {
        let own = w
            .app
            .get(&format!("/api/v1/jobs/{}", item["id"]), Some(&w.werkleider))
            .await;
        assert_eq!(item, &own.body, "listed and on its own page");
    }
    let by_id = |id: i64| items.iter().find(|i| i["id"] == id).unwrap();
    assert_eq!(by_id(waiting[2])["schedule"]["closed"], "Studiedag");
    assert_eq!(by_id(waiting[3])["schedule"]["closed"], Value::Null);
    assert_eq!(by_id(waiting[3])["waitlist"], Value::Null);

    // Each service has a queue of its own, as the waiting list (counted apart from the
    // job views) says.
    let queue = w.app.get("/api/v1/waitlist", Some(&w.werkleider)).await;
    let entries = queue.body.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{}", queue.text);
    for entry in entries {
        let listed = by_id(entry["job_id"].as_i64().unwrap());
        assert_eq!(listed["waitlist"]["position"], entry["position"], "{entry}");
    }
    let places: Vec<&Value> = [waiting[0], waiting[1], waiting[4]]
        .iter()
        .map(|id| &by_id(*id)["waitlist"]["position"])
        .collect();
    assert_eq!(places, [1, 1, 2]);
}
