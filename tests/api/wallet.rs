//! A resident's wallet over the years: the usable cheques first, the rest as a history,
//! a page at a time, and a balance that counts only what can still be spent.

use serde_json::json;

use crate::cheques::{Counter, counter, performed_job, resident, sell, serials, settle};
use crate::helpers::{Reply, World, create_participant, execute_sql, world};

async fn wallet(w: &World, c: &Counter, resident: i64, query: &str) -> Reply {
    w.app
        .get(
            &format!("/api/v1/residents/{resident}/cheques{query}"),
            Some(&c.finance),
        )
        .await
}

/// Moves the last valid day of the owner's unspent cheque with the `MIN` or `MAX` id.
async fn last_day(w: &World, owner: i64, which: &str, day: &str) {
    execute_sql(
        &w.app,
        format!(
            "UPDATE cheques SET valid_until = '{day}' WHERE id = \
             (SELECT {which}(id) FROM cheques WHERE owner_resident_id = {owner} AND status = 'sold')"
        ),
    )
    .await;
}

#[actix_web::test]
async fn the_wallet_lists_usable_cheques_first_and_pages_through_the_rest() {
    let w = world().await;
    let c = counter(&w).await;
    let jan = resident(&w, "Jan Portemonnee", Some("1980-01-01"), "12").await;
    assert_eq!(sell(&w, &c, jan, 4, "cash").await.status, 201);
    // One pays for an hour's job, one runs out unspent before the nightly round marks it.
    let worker = create_participant(&w.app, &w.coordinator, "Werker Wim", "solo_klus").await;
    let job = performed_job(&w, jan, worker, 1, 60).await;
    settle(&w, job).await;
    let yesterday = servicepunt::clock::today() - chrono::Duration::days(1);
    last_day(&w, jan, "MAX", &yesterday.to_string()).await;
    // Another sale later in the year, valid longer: spent after the first ones.
    last_day(&w, jan, "MIN", "2099-12-31").await;

    let usable = wallet(&w, &c, jan, "?held=usable").await;
    assert_eq!(usable.status, 200, "{}", usable.text);
    assert_eq!(usable.body["total"], 2, "{}", usable.text);
    assert_eq!(usable.body["balance_minutes"], 120);
    assert_eq!(usable.body["balance_cents"], 3000);
    let until: Vec<&str> = usable.body["cheques"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["valid_until"].as_str().unwrap())
        .collect();
    assert_eq!(until.len(), 2);
    assert!(until[0] < until[1], "earliest expiry first: {until:?}");
    assert_eq!(until[1], "2099-12-31");
    for (held, status) in [("redeemed", "redeemed"), ("expired", "sold")] {
        let only = wallet(&w, &c, jan, &format!("?held={held}")).await;
        assert_eq!(only.body["total"], 1, "{held}: {}", only.text);
        assert_eq!(only.body["cheques"][0]["status"], status, "{held}");
    }

    // All four, two a page; the balance is the whole wallet's on every page.
    let first = wallet(&w, &c, jan, "?per_page=2").await;
    let second = wallet(&w, &c, jan, "?per_page=2&page=2").await;
    assert_eq!(
        (first.body["total"].as_i64(), first.body["page"].as_i64()),
        (Some(4), Some(1))
    );
    assert_eq!(second.body["page"], 2);
    assert_eq!(second.body["balance_minutes"], 120, "{}", second.text);
    let mut all = serials(&first.body);
    all.extend(serials(&second.body));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4, "every cheque once over the pages: {all:?}");
    assert_eq!(
        serials(&first.body)[0],
        serials(&wallet(&w, &c, jan, "?held=redeemed").await.body)[0],
        "latest change first"
    );
    assert_eq!(
        wallet(&w, &c, jan, "?page=3&per_page=2").await.body["cheques"],
        json!([])
    );

    wallet(&w, &c, jan, "?held=spent")
        .await
        .assert_problem(400, "invalid_query");
}
