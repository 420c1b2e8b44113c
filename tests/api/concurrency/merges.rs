//! Merging a resident's app record into the desk's (`residents::merge`) while other desks
//! decide the same pair, and while the resident orders in the app.

use futures_util::future::join_all;
use serde_json::json;

use super::{answered, assert_all};
use crate::helpers::{World, count_rows, create_service, order_body, world};

/// The desk's record of Anna and her registration in the app, noted as a pair; (app
/// account's token, desk record, app record, pair).
async fn noted_pair(w: &World) -> (String, i64, i64, i64) {
    let mut body = crate::helpers::resident_body("Anna de Vries", "6711 AB");
    body["address"]["house_number"] = json!("12a");
    let desk = w.app.post("/api/v1/residents", Some(&w.werkleider), body).await;
    assert_eq!(desk.status, 201, "{}", desk.text);
    let (token, app_id, _) = w.app.register_resident("anna@example.nl").await;
    let pairs = w.app.get("/api/v1/resident-duplicates", Some(&w.werkleider)).await;
    let pair = pairs.body[0]["id"].as_i64().unwrap_or_else(|| panic!("{}", pairs.text));
    (token, desk.body["id"].as_i64().unwrap(), app_id, pair)
}

#[actix_web::test]
async fn twenty_desks_merging_one_pair_merge_it_once() {
    let w = world().await;
    let (_, desk_id, app_id, pair) = noted_pair(&w).await;
    let path = format!("/api/v1/resident-duplicates/{pair}/merge");
    let replies = join_all((0..20).map(|_| {
        w.app
            .post(&path, Some(&w.werkleider), json!({"checked_with_resident": true}))
    }))
    .await;
    answered(&replies, 200, 1);
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "already_decided");
    }
    let records = format!("SELECT COUNT(*) AS n FROM residents WHERE id IN ({desk_id}, {app_id})");
    assert_eq!(count_rows(&w.app, records).await, 1);
    let linked = format!("SELECT COUNT(*) AS n FROM residents WHERE id = {desk_id} AND user_id IS NOT NULL");
    assert_eq!(count_rows(&w.app, linked).await, 1);
}

/// Twenty orders from the app while the desk merges: each is taken, on one record or
/// the other, and every one ends on the desk's. An order that found the app's record
/// just before it went is taken for the record kept.
#[actix_web::test]
async fn orders_racing_a_merge_all_end_on_the_kept_record() {
    let w = world().await;
    let errand = create_service(&w.app, &w.coordinator, "Boodschappen", "boodschappen", false, 120).await;
    let (token, desk_id, app_id, pair) = noted_pair(&w).await;
    let merge_path = format!("/api/v1/resident-duplicates/{pair}/merge");
    let orders = (0..20).map(|_| w.app.post("/api/v1/jobs", Some(&token), order_body(errand, 60)));
    let merge = w
        .app
        .post(&merge_path, Some(&w.werkleider), json!({"checked_with_resident": true}));
    let (replies, merged) = futures_util::join!(join_all(orders), merge);
    assert_eq!(merged.status, 200, "{}", merged.text);
    assert_all(&replies, 201);
    let on = |id: i64| format!("SELECT COUNT(*) AS n FROM jobs WHERE recipient_id = {id}");
    assert_eq!(count_rows(&w.app, on(desk_id)).await, 20);
    assert_eq!(count_rows(&w.app, on(app_id)).await, 0);
}

/// Advisory locks waited for, on PostgreSQL.
async fn waiting_locks(app: &crate::helpers::TestApp) -> i64 {
    count_rows(
        app,
        "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
    )
    .await
}

async fn until_waiting(app: &crate::helpers::TestApp, n: i64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while waiting_locks(app).await < n {
        assert!(std::time::Instant::now() < deadline, "{n} waits never came");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// The moment the race above can hit, made to happen (PostgreSQL: SQLite writes one at a
/// time, so there is no such moment): orders that found the app's record wait for it
/// while the merge removes it. Each is taken for the record kept.
#[actix_web::test]
async fn orders_that_found_a_record_being_merged_are_taken_for_the_one_kept() {
    let w = world().await;
    if !w.app.db.is_postgres() {
        return;
    }
    let errand = create_service(&w.app, &w.coordinator, "Boodschappen", "boodschappen", false, 120).await;
    let (token, desk_id, app_id, pair) = noted_pair(&w).await;

    // Something recorded on the app's record holds it, so the merge waits for it...
    let (url, key) = (w.app.db.url.clone(), format!("resident:{app_id}"));
    let (held, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
    let holder = std::thread::spawn(move || {
        let mut conn = servicepunt::db::establish(&url).unwrap();
        diesel::Connection::transaction::<_, diesel::result::Error, _>(&mut conn, |c| {
            servicepunt::db::lock_shared(c, &key)?;
            held.0.send(()).unwrap();
            release.1.recv().unwrap();
            Ok(())
        })
        .unwrap();
    });
    held.1.recv().unwrap();
    let merge_path = format!("/api/v1/resident-duplicates/{pair}/merge");
    let merge = w
        .app
        .post(&merge_path, Some(&w.werkleider), json!({"checked_with_resident": true}));
    let orders = async {
        until_waiting(&w.app, 1).await;
        // ...and five orders find the app's record, and wait behind the merge.
        let orders = join_all((0..5).map(|_| w.app.post("/api/v1/jobs", Some(&token), order_body(errand, 60))));
        let go = async {
            until_waiting(&w.app, 6).await;
            release.0.send(()).unwrap();
        };
        futures_util::join!(orders, go).0
    };
    let (merged, replies) = futures_util::join!(merge, orders);
    holder.join().unwrap();
    assert_eq!(merged.status, 200, "{}", merged.text);
    assert_all(&replies, 201);
    let on = |id: i64| format!("SELECT COUNT(*) AS n FROM jobs WHERE recipient_id = {id}");
    assert_eq!(count_rows(&w.app, on(desk_id)).await, 5);
    assert_eq!(count_rows(&w.app, on(app_id)).await, 0);
}
