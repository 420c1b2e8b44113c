//! The list of recurring visits: a page at a time, by resident and by whether they run.

use serde_json::{Value, json};

use crate::helpers::{World, execute_sql, world};
use crate::series::{run_round, shopping, start, visit_dates, weekly};

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

/// A series that has run for years has hundreds of visits: the list shows each one's
/// visits from four weeks ago on and how many were before; its own page has them all.
#[actix_web::test]
async fn the_list_shows_the_last_four_weeks_of_visits_and_the_series_page_all() {
    let w = world().await;
    let shop = shopping(&w).await;
    let (anna, _, _) = w.app.register_resident("anna@example.nl").await;
    let started = start(&w, &anna, weekly(shop)).await;
    assert_eq!(started.status, 201, "{}", started.text);
    let id = started.body["id"].as_i64().unwrap();
    // Time passes: the two visits of the fortnight were 29 and 28 days ago.
    let today = servicepunt::clock::today();
    let dates = visit_dates(&started.body);
    let [first, second] = &dates[..] else {
        panic!("two visits: {dates:?}")
    };
    let (long_ago, four_weeks_ago) = (today - chrono::Duration::days(29), today - chrono::Duration::days(28));
    for (from, to) in [(first, long_ago), (second, four_weeks_ago)] {
        let sql =
            format!("UPDATE job_series_visits SET on_date = '{to}' WHERE series_id = {id} AND on_date = '{from}'");
        execute_sql(&w.app, sql).await;
    }
    // The round orders the fortnight ahead again, reading only the dates to come.
    assert_eq!(run_round(&w).await.ordered, 2);

    for token in [&anna, &w.werkleider] {
        let list = w.app.get("/api/v1/job-series", Some(token)).await;
        assert_eq!(list.status, 200, "{}", list.text);
        let listed = &list.body["items"][0];
        let shown = visit_dates(listed);
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert_eq!(shown[0], four_weeks_ago.to_string(), "four weeks back, not further");
        assert_eq!(listed["earlier_visits"], 1);
    }
    let page = w.app.get(&format!("/api/v1/job-series/{id}"), Some(&anna)).await;
    let all = visit_dates(&page.body);
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(all[0], long_ago.to_string());
    assert_eq!(page.body["earlier_visits"], 0);
}
