//! The subsidy claimed on sale (a setting): claimed when a reduced cheque is sold, held as
//! deferred subsidy until it pays for a job, reversed when it is refunded, voided or
//! expires; the month's claim always equals what the books say the municipality owes.

use serde_json::{Value, json};
use servicepunt::cheques::subsidy::ClaimMoment;

use crate::cheques::{assert_books, counter, performed_job, resident, sell, serials};
use crate::helpers::{World, create_participant, world_with};

async fn claim(w: &World, finance: &str, query: &str) -> Value {
    let r = w
        .app
        .get(&format!("/api/v1/finance/subsidy-claims?{query}"), Some(finance))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

#[actix_web::test]
async fn claimed_on_sale_the_subsidy_follows_the_cheque() {
    let w = world_with(|s| {
        s.subsidy_claim = ClaimMoment::OnSale;
        s.municipality = "Wageningen".into();
    })
    .await;
    let c = counter(&w).await;
    let today = servicepunt::clock::today();
    let month = format!("month={}", today.format("%Y-%m"));
    let oma = resident(
        &w,
        "Oma Vooraf",
        Some(&format!("{}", today - chrono::Duration::days(75 * 366))),
        "40",
    )
    .await;
    let buurman = resident(&w, "Buurman Regulier", Some("1980-02-02"), "41").await;

    // Sold: four reduced cheques are claimed at once, the regular one claims nothing.
    let sale = sell(&w, &c, oma, 4, "cash").await;
    assert_eq!(sale.status, 201, "{}", sale.text);
    assert_eq!(sell(&w, &c, buurman, 1, "pin").await.status, 201);
    let serials = serials(&sale.body);
    let sold = claim(&w, &c.finance, &month).await;
    assert_eq!(sold["municipality"], "Wageningen");
    assert_eq!(sold["cheques"], 4);
    assert_eq!(sold["subsidy_cents"], 4 * 700);
    assert!(sold["lines"].as_array().unwrap().iter().all(|l| l["event"] == "sale"));
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["subsidy_receivable"], 2800);
    assert_eq!(books["accounts"]["subsidy_deferred"], -2800);
    assert_eq!(books["subsidy_deferred_outstanding_cents"], 2800);
    // Another municipality is owed nothing.
    assert_eq!(
        claim(&w, &c.finance, &format!("{month}&municipality=Ede")).await["subsidy_cents"],
        0
    );

    // A 2 h 30 m job takes three cheques: revenue now, no second claim.
    let worker = create_participant(&w.app, &w.coordinator, "Werker Vooraf", "solo_klus").await;
    let job = performed_job(&w, oma, worker, 1, 150).await;
    let settled = w
        .app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(settled.body["status"], "settled", "{}", settled.text);
    assert_eq!(claim(&w, &c.finance, &month).await["subsidy_cents"], 2800);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["subsidy_deferred"], -700);
    assert_eq!(books["accounts"]["service_revenue"], -3 * 1500);

    // The fourth is refunded: its claim is reversed in the same month.
    let mut left = Vec::new();
    for s in &serials {
        let state = w.app.get(&format!("/api/v1/cheques/{s}"), Some(&c.finance)).await;
        if state.body["status"] == "sold" {
            left.push(s.clone());
        }
    }
    assert_eq!(left.len(), 1, "three of four cheques paid the job");
    let left = &left[0];
    let refunded = w
        .app
        .post(
            &format!("/api/v1/cheques/{left}/refund"),
            Some(&c.finance),
            json!({"method": "bank_transfer", "reason": "Verhuist naar Arnhem"}),
        )
        .await;
    assert_eq!(refunded.body["status"], "refunded", "{}", refunded.text);
    let net = claim(&w, &c.finance, &month).await;
    assert_eq!(net["subsidy_cents"], 3 * 700);
    assert_eq!(net["cheques"], 4, "four claims, one reversal");
    let reversal = net["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["event"] == "refund")
        .unwrap();
    assert_eq!(reversal["subsidy_cents"], -700);
    assert_eq!(reversal["serial"], left.as_str());
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["subsidy_receivable"], net["subsidy_cents"]);
    assert_eq!(books["accounts"]["subsidy_deferred"], 0);
    let csv = w
        .app
        .get_csv(&format!("/api/v1/finance/subsidy-claims?{month}"), &c.finance)
        .await;
    assert!(csv.text.contains(",refund,"), "{}", csv.text);
    assert!(
        csv.text.contains(",-7.00,"),
        "a reversal is a plain negative number: {}",
        csv.text
    );
    assert!(
        csv.text.lines().last().unwrap().starts_with("total,,,,,,21.00"),
        "{}",
        csv.text
    );
}
