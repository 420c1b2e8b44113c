//! Finance reads the journal behind the trial balance: the entries of a period with
//! their lines, an account's card (balance before, the entries that moved it, balance
//! after), page by page, and as CSV for the accounting package.

use chrono::Duration;
use serde_json::Value;

use crate::cheques::{Counter, counter, resident, sell};
use crate::helpers::{Reply, World, world};

async fn journal(w: &World, c: &Counter, query: &str) -> Reply {
    w.app
        .get(&format!("/api/v1/finance/journal?{query}"), Some(&c.finance))
        .await
}

fn kinds(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn finance_reads_the_entries_an_accounts_card_and_a_csv_of_the_period() {
    let w = world().await;
    let c = counter(&w).await;
    let giver = resident(&w, "Gever Geert", Some("1980-01-01"), "20").await;
    assert_eq!(sell(&w, &c, giver, 2, "cash").await.status, 201);
    assert_eq!(sell(&w, &c, giver, 1, "pin").await.status, 201);
    let today = servicepunt::clock::today();
    let (yesterday, tomorrow) = (today - Duration::days(1), today + Duration::days(1));

    let day = journal(&w, &c, &format!("from={today}&to={today}")).await;
    assert_eq!(day.status, 200, "{}", day.text);
    assert_eq!(kinds(&day.body), ["cheque_sale", "cheque_sale"], "{}", day.text);
    assert_eq!(day.body["page"]["total"], 2);
    assert_eq!(day.body["account"], Value::Null);
    for entry in day.body["items"].as_array().unwrap() {
        let lines = entry["lines"].as_array().unwrap();
        assert!(lines.len() >= 2, "{entry}");
        let sum: i64 = lines.iter().map(|l| l["amount_cents"].as_i64().unwrap()).sum();
        assert_eq!(sum, 0, "every entry balances: {entry}");
    }
    let cash_sale = &day.body["items"][0]["lines"];
    assert!(
        cash_sale
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["account"] == "cash_drawer" && l["amount_cents"] == 3000),
        "{cash_sale}"
    );

    // The cash drawer's card: only the cash sale moved it.
    let card = journal(&w, &c, &format!("from={today}&to={today}&account=cash_drawer")).await;
    assert_eq!(card.status, 200, "{}", card.text);
    assert_eq!(card.body["page"]["total"], 1);
    assert_eq!(
        card.body["account"],
        serde_json::json!({"account": "cash_drawer", "opening_cents": 0, "movement_cents": 3000, "closing_cents": 3000})
    );
    // A day later it opens with what it closed with, and nothing moved it.
    let later = journal(&w, &c, &format!("from={tomorrow}&to={tomorrow}&account=cash_drawer")).await;
    assert_eq!(later.body["account"]["opening_cents"], 3000, "{}", later.text);
    assert_eq!(later.body["account"]["movement_cents"], 0);
    assert_eq!(later.body["items"], serde_json::json!([]));

    // Page by page, the second entry on the second page.
    let second = journal(&w, &c, &format!("from={yesterday}&to={today}&per_page=1&page=2")).await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 1, "{}", second.text);
    assert_eq!(second.body["items"][0]["id"], day.body["items"][1]["id"]);
    assert_eq!(second.body["page"]["total"], 2);

    let csv = w
        .app
        .get_csv(&format!("/api/v1/finance/journal?from={today}&to={today}"), &c.finance)
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(csv.content_type().starts_with("text/csv"), "{}", csv.content_type());
    let rows: Vec<Vec<&str>> = csv.text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "date",
            "entry",
            "kind",
            "reference",
            "account",
            "dimension",
            "debit",
            "credit"
        ]
    );
    let lines = day.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["lines"].as_array().unwrap().len())
        .sum::<usize>();
    assert_eq!(rows.len(), 1 + lines, "{}", csv.text);
    let total = |column: usize| -> f64 {
        rows[1..]
            .iter()
            .filter(|r| !r[column].is_empty())
            .map(|r| r[column].parse::<f64>().unwrap())
            .sum()
    };
    assert!(total(6) > 0.0 && (total(6) - total(7)).abs() < 0.001, "{}", csv.text);
    assert!(
        rows.iter().any(|r| r[4] == "cash_drawer" && r[6] == "30.00"),
        "{}",
        csv.text
    );

    // Bad questions get clear answers and write nothing.
    journal(&w, &c, &format!("from={today}&to={today}&account=kas"))
        .await
        .assert_problem(422, "validation_failed");
    let unknown = journal(&w, &c, &format!("from={today}&to={today}&account=kas")).await;
    assert_eq!(unknown.error_fields(), ["account"]);
    assert_eq!(unknown.body["errors"][0]["code"], "unknown_account");
    journal(&w, &c, &format!("from={today}&to={yesterday}"))
        .await
        .assert_problem(422, "validation_failed");
    journal(&w, &c, "from=gisteren&to=vandaag")
        .await
        .assert_problem(400, "invalid_query");
}
