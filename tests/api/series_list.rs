//! The list of recurring visits: a page at a time, by resident and by whether they run.

use serde_json::{Value, json};

use crate::helpers::{World, world};
use crate::series::{shopping, start, weekly};

/// The ids on a page of the list.
async fn listed(w: &World, token: &str, query: &str) -> (Vec<i64>, Value) {
    let reply = w.app.get(&format!("/api/v1/job-series{query}"), Some(token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let items = reply.body["items"].as_array().unwrap();
    let ids = items.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    (ids, reply.body["total"].clone())
}

#[actix_web::test]
async fn staff_page_through_series_by_resident_and_whether_they_run() {
    let w = world().await;
    let shop = shopping(&w).await;
    let (anna, anna_id, _) = w.app.register_resident("anna@example.nl").await;
    let (bert, _, _) = w.app.register_resident("bert@example.nl").await;
    let mut made = Vec::new();
    for token in [&anna, &bert, &anna] {
        let started = start(&w, token, weekly(shop)).await;
        assert_eq!(started.status, 201, "{}", started.text);
        made.push(started.body["id"].as_i64().unwrap());
    }
    let [first, bert_s, last] = made[..] else {
        unreachable!()
    };
    let stop = w
        .app
        .post(&format!("/api/v1/job-series/{first}/stop"), Some(&anna), json!({}))
        .await;
    assert_eq!(stop.status, 200, "{}", stop.text);

    let staff = &w.werkleider;
    assert_eq!(listed(&w, staff, "").await, (vec![last, bert_s, first], json!(3)));
    assert_eq!(listed(&w, staff, "?per_page=2&page=2").await, (vec![first], json!(3)));
    let anna_s = format!("?recipient_id={anna_id}");
    assert_eq!(listed(&w, staff, &anna_s).await, (vec![last, first], json!(2)));
    assert_eq!(
        listed(&w, staff, &format!("{anna_s}&running=true")).await,
        (vec![last], json!(1))
    );
    assert_eq!(listed(&w, staff, "?running=false").await, (vec![first], json!(1)));
    // A series past its last date has stopped running too.
    crate::helpers::execute_sql(
        &w.app,
        format!("UPDATE job_series SET ends_on = '2020-01-06' WHERE id = {bert_s}"),
    )
    .await;
    assert_eq!(
        listed(&w, staff, "?running=false").await,
        (vec![bert_s, first], json!(2))
    );

    // A resident sees their own only, whatever they ask for.
    assert_eq!(listed(&w, &bert, "").await, (vec![bert_s], json!(1)));
    assert_eq!(listed(&w, &bert, &anna_s).await, (vec![], json!(0)));
    w.app
        .get("/api/v1/job-series?running=soms", Some(staff))
        .await
        .assert_problem(400, "invalid_query");
}
