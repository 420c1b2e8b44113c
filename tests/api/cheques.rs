//! Cheques: tariffs at the counter, paying confirmed jobs, personal reduced cheques, one
//! redemption per cheque, and books that balance after every step.

use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::helpers::{World, create_participant, order_body, world};

pub struct Counter {
    pub finance: String,
    pub session: i64,
    pub product: i64,
}

pub async fn counter(w: &World) -> Counter {
    let finance = w.app.token_for(Role::Finance).await;
    let p = w
        .app
        .post("/api/v1/cheque-products", Some(&w.coordinator), json!({"name": "Servicecheque 1 uur", "regular_cents": 1500, "reduced_cents": 800, "valid_from": "2020-01-01"}))
        .await;
    assert_eq!(p.status, 201, "{}", p.text);
    let s = w
        .app
        .post("/api/v1/cash-sessions", Some(&finance), json!({"float_cents": 5000}))
        .await;
    assert_eq!(s.status, 201, "{}", s.text);
    Counter {
        finance,
        session: s.body["id"].as_i64().unwrap(),
        product: p.body["id"].as_i64().unwrap(),
    }
}

/// A cheque product with a yearly cap on reduced cheques per resident; its id.
pub async fn capped_product(w: &World, cap: i64) -> i64 {
    let p = w
        .app
        .post(
            "/api/v1/cheque-products",
            Some(&w.coordinator),
            json!({"name": "Servicecheque met plafond", "regular_cents": 1500, "reduced_cents": 800,
                   "reduced_yearly_cap": cap, "valid_from": "2020-01-01"}),
        )
        .await;
    assert_eq!(p.status, 201, "{}", p.text);
    p.body["id"].as_i64().unwrap()
}

pub async fn resident(w: &World, name: &str, birth: Option<&str>, house: &str) -> i64 {
    let mut body = crate::helpers::resident_body(name, "6711 AB");
    body["birth_date"] = json!(birth);
    body["address"]["house_number"] = json!(house);
    w.app.post("/api/v1/residents", Some(&w.werkleider), body).await.body["id"]
        .as_i64()
        .unwrap()
}

/// A resident with an address to mail (receipts and job messages go to the outbox); id.
pub async fn mailed_resident(w: &World, name: &str, house: &str, email: &str) -> i64 {
    let mut body = crate::helpers::resident_body(name, "6711 AB");
    body["address"]["house_number"] = json!(house);
    body["email"] = json!(email);
    w.app.post("/api/v1/residents", Some(&w.werkleider), body).await.body["id"]
        .as_i64()
        .unwrap()
}

pub async fn sell(w: &World, c: &Counter, resident: i64, quantity: i64, payment: &str) -> crate::helpers::Reply {
    w.app
        .post("/api/v1/cheque-sales", Some(&c.finance), json!({"cash_session_id": c.session, "resident_id": resident, "product_id": c.product, "quantity": quantity, "payment_method": payment}))
        .await
}

/// The serial numbers of the cheques in an answer (a sale, a wallet).
pub fn serials(body: &Value) -> Vec<String> {
    body["cheques"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["serial"].as_str().unwrap().to_owned())
        .collect()
}

/// The books balance and the liability equals the cheques still held.
pub async fn assert_books(w: &World, c: &Counter) -> Value {
    assert_books_on(w, c, servicepunt::clock::today()).await
}

/// The trial balance on `on` balances and its liability equals the unused cheques.
pub async fn assert_books_on(w: &World, c: &Counter, on: NaiveDate) -> Value {
    let tb = w
        .app
        .get(&format!("/api/v1/finance/trial-balance?on={on}"), Some(&c.finance))
        .await;
    assert_eq!(tb.status, 200, "{}", tb.text);
    assert_eq!(tb.body["balanced"], true, "{}", tb.text);
    assert_eq!(tb.body["total"], 0);
    assert_eq!(tb.body["liability_matches_cheques"], true, "{}", tb.text);
    assert_eq!(tb.body["deferred_subsidy_matches_cheques"], true, "{}", tb.text);
    tb.body
}

/// A job for `recipient` worked for `minutes` (logged in the past) and performed; the
/// staff then confirm it for the resident. Returns the job id.
/// The werkleider confirms a performed job on the resident's behalf; it is paid.
pub async fn settle(w: &World, job: i64) {
    let confirmed = w
        .app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(confirmed.body["status"], "settled", "{}", confirmed.text);
}

pub async fn performed_job(w: &World, recipient: i64, worker: i64, day_offset: i64, minutes: i64) -> i64 {
    let mut order = order_body(w.hedge, 180);
    order["recipient_id"] = json!(recipient);
    performed_order(w, order, worker, day_offset, minutes).await
}

/// The same for an order body of the caller's making.
pub async fn performed_order(w: &World, order: Value, worker: i64, day_offset: i64, minutes: i64) -> i64 {
    let job = w.app.post("/api/v1/jobs", Some(&w.werkleider), order).await;
    assert_eq!(job.body["status"], "waitlisted", "{}", job.text);
    let job = job.body["id"].as_i64().unwrap();
    let day = servicepunt::clock::today() + chrono::Duration::days(day_offset);
    let slot = servicepunt::planning::rules::Slot::from_local(
        day.and_hms_opt(9, 0, 0).unwrap(),
        day.and_hms_opt(12, 0, 0).unwrap(),
    );
    let a = w
        .app
        .post(
            "/api/v1/assignments",
            Some(&w.werkleider),
            json!({"job_id": job, "participant_ids": [worker],
            "starts_at": slot.utc_start.and_utc().to_rfc3339(), "ends_at": slot.utc_end.and_utc().to_rfc3339()}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let assignment = a.body["id"].as_i64().unwrap();
    w.app
        .post(
            &format!("/api/v1/assignments/{assignment}/start"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    let end = chrono::Utc::now() - chrono::Duration::hours(2 + 4 * day_offset);
    let start = end - chrono::Duration::minutes(minutes);
    let logged = w
        .app
        .post(
            "/api/v1/worklogs",
            Some(&w.werkleider),
            json!({"participant_ids": [worker], "assignment_id": assignment,
            "started_at": start.to_rfc3339(), "ended_at": end.to_rfc3339(), "note": "gedaan"}),
        )
        .await;
    assert_eq!(logged.status, 201, "{}", logged.text);
    let lid = logged.body[0]["id"].as_i64().unwrap();
    w.app
        .post(
            &format!("/api/v1/worklogs/{lid}/approve"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    let performed = w
        .app
        .post(&format!("/api/v1/jobs/{job}/performed"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(performed.body["status"], "performed", "{}", performed.text);
    job
}

#[actix_web::test]
async fn seventy_plus_pays_the_reduced_price_and_a_confirmed_job_takes_its_cheques() {
    let w = world().await;
    let c = counter(&w).await;
    let today = servicepunt::clock::today();
    let seventy_one = format!("{}", today - chrono::Duration::days(71 * 366));
    let oma = resident(&w, "Oma Jansen", Some(&seventy_one), "1").await;
    let jan = resident(&w, "Jan Pieters", Some("1981-04-04"), "2").await;

    let reduced = sell(&w, &c, oma, 4, "cash").await;
    assert_eq!(reduced.status, 201, "{}", reduced.text);
    assert_eq!(reduced.body["tariff"], "reduced");
    assert_eq!(reduced.body["unit_price_cents"], 800);
    assert_eq!(reduced.body["total_cents"], 3200);
    let serials = serials(&reduced.body);
    assert!(
        serials.iter().all(|s| s.starts_with("SVW-") && s.len() == 15),
        "{serials:?}"
    );
    assert_books(&w, &c).await;

    let regular = sell(&w, &c, jan, 2, "pin").await;
    assert_eq!(regular.body["tariff"], "regular");
    assert_eq!(regular.body["total_cents"], 3000);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["cash_drawer"], 3200);
    assert_eq!(books["accounts"]["pin_clearing"], 3000);
    assert_eq!(books["accounts"]["cheque_liability"], -6200);

    // A confirmed job of 2 h 10 m takes three 60-minute cheques, earliest expiry first.
    let worker = create_participant(&w.app, &w.coordinator, "Werker Wil", "solo_klus").await;
    let job = performed_job(&w, oma, worker, 1, 130).await;
    settle(&w, job).await;
    let wallet = w
        .app
        .get(&format!("/api/v1/residents/{oma}/cheques"), Some(&c.finance))
        .await;
    assert_eq!(wallet.body["balance_minutes"], 60, "{}", wallet.text);
    let redeemed = wallet.body["cheques"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["status"] == "redeemed")
        .count();
    assert_eq!(redeemed, 3);
    let books = assert_books(&w, &c).await;
    // 3 × €8 paid by the resident, 3 × €7 claimed from the municipality.
    assert_eq!(books["accounts"]["service_revenue"], -(2400 + 2100));
    assert_eq!(books["accounts"]["subsidy_receivable"], 2100);

    // The cash session closes with a counted difference.
    let closed = w
        .app
        .post(
            &format!("/api/v1/cash-sessions/{}/close", c.session),
            Some(&c.finance),
            json!({"counted_cents": 8150}),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(closed.body["expected_cents"], 8200);
    assert_eq!(closed.body["difference_cents"], -50);
    sell(&w, &c, jan, 1, "cash")
        .await
        .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn a_son_cannot_spend_his_mothers_reduced_cheques_and_waits_for_his_own() {
    let w = world().await;
    let c = counter(&w).await;
    let today = servicepunt::clock::today();
    let mother = resident(
        &w,
        "Moeder Mien",
        Some(&format!("{}", today - chrono::Duration::days(72 * 366))),
        "10",
    )
    .await;
    let son = resident(&w, "Zoon Sjaak", Some("1975-01-01"), "11").await;
    let bought = sell(&w, &c, mother, 2, "cash").await;
    let mothers_serial = bought.body["cheques"][0]["serial"].as_str().unwrap().to_owned();

    let worker = create_participant(&w.app, &w.coordinator, "Werker Wim", "solo_klus").await;
    let job = performed_job(&w, son, worker, 1, 60).await;
    let confirmed = w
        .app
        .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
        .await;
    assert_eq!(
        confirmed.body["status"], "confirmed",
        "no cheques of his own: the job waits"
    );
    let unpaid = w.app.get("/api/v1/finance/unpaid-jobs", Some(&c.finance)).await;
    assert_eq!(unpaid.body[0]["job_id"], job);
    assert_eq!(unpaid.body[0]["due_minutes"], 60);

    let refused = w
        .app
        .post(
            &format!("/api/v1/jobs/{job}/redeem"),
            Some(&c.finance),
            json!({"serials": [mothers_serial]}),
        )
        .await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(refused.body["errors"][0]["code"], "reduced_cheque_personal");

    // A typo in a number is caught, not looked up.
    let mut typo = mothers_serial.clone().into_bytes();
    typo[5] = if typo[5] == b'7' { b'8' } else { b'7' };
    let typo = String::from_utf8(typo).unwrap();
    let reply = w.app.get(&format!("/api/v1/cheques/{typo}"), Some(&c.finance)).await;
    assert_eq!(reply.body["errors"][0]["code"], "serial_typo", "{}", reply.text);

    // Once he buys his own, the waiting job is paid with them at once.
    let own = sell(&w, &c, son, 1, "pin").await;
    assert_eq!(own.body["settled_job_ids"], json!([job]), "{}", own.text);
    assert_eq!(
        w.app
            .get(&format!("/api/v1/jobs/{job}"), Some(&w.werkleider))
            .await
            .body["status"],
        "settled"
    );
    assert_books(&w, &c).await;
}

#[actix_web::test]
async fn expiry_extension_refund_void_and_the_subsidy_claim_keep_the_books_right() {
    let w = world().await;
    let c = counter(&w).await;
    let today = servicepunt::clock::today();
    let oma = resident(
        &w,
        "Oma Claim",
        Some(&format!("{}", today - chrono::Duration::days(75 * 366))),
        "30",
    )
    .await;
    let mut with_mail = crate::helpers::resident_body("Meneer Mail", "6711 AB");
    with_mail["email"] = json!("mail@example.nl");
    with_mail["address"]["house_number"] = json!("31");
    let mailer = w
        .app
        .post("/api/v1/residents", Some(&w.werkleider), with_mail)
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    sell(&w, &c, oma, 5, "cash").await;
    let regular = sell(&w, &c, mailer, 3, "pin").await;
    let serials = serials(&regular.body);

    // A receipt to print at the counter, and by mail to whoever has an address.
    let url = regular.body["receipt_url"].as_str().unwrap().to_owned();
    let paper = w
        .app
        .send(w.app.client.get(w.app.url(&url)).bearer_auth(&c.finance))
        .await;
    assert_eq!(paper.status, 200, "{}", paper.text);
    assert!(
        paper.text.contains("Meneer Mail") && paper.text.contains("€ 45,00") && paper.text.contains("met de pin"),
        "{}",
        paper.text
    );
    assert!(
        serials.iter().all(|s| paper.text.contains(s.as_str())),
        "{}",
        paper.text
    );
    assert!(
        !paper.text.contains("verlaagd"),
        "a regular sale says nothing of a reduced rate"
    );
    w.app
        .get("/api/v1/cheque-sales/999999/receipt", Some(&c.finance))
        .await
        .assert_problem(404, "not_found");
    let receipts: Vec<(String, Option<String>)> = w
        .app
        .db(move |conn| {
            use diesel::prelude::*;
            use servicepunt::db::schema::outbox;
            outbox::table
                .filter(outbox::template.eq("cheque_receipt"))
                .select((outbox::recipient_email, outbox::data))
                .load(conn)
                .unwrap()
        })
        .await;
    assert_eq!(receipts.len(), 1, "oma has no email and gets her receipt on paper only");
    assert_eq!(receipts[0].0, "mail@example.nl");
    let mailed = receipts[0].1.clone().unwrap_or_default();
    assert!(serials.iter().all(|s| mailed.contains(s.as_str())), "{mailed}");

    // Three reduced cheques pay a job: the month's claim is their price differences.
    let worker = create_participant(&w.app, &w.coordinator, "Werker Wessel", "solo_klus").await;
    let job = performed_job(&w, oma, worker, 1, 150).await;
    assert_eq!(
        w.app
            .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
            .await
            .body["status"],
        "settled"
    );
    let month = today.format("%Y-%m").to_string();
    let claim = w
        .app
        .get(
            &format!("/api/v1/finance/subsidy-claims?month={month}"),
            Some(&c.finance),
        )
        .await;
    assert_eq!(claim.status, 200, "{}", claim.text);
    assert_eq!(claim.body["cheques"], 3);
    assert_eq!(claim.body["subsidy_cents"], 3 * 700);
    let books = assert_books(&w, &c).await;
    assert_eq!(books["accounts"]["subsidy_receivable"], claim.body["subsidy_cents"]);
    let csv = w
        .app
        .get_csv(&format!("/api/v1/finance/subsidy-claims?month={month}"), &c.finance)
        .await;
    assert!(
        csv.text.lines().last().unwrap().starts_with("total,,,,,,21.00"),
        "{}",
        csv.text
    );
    w.app
        .get("/api/v1/finance/subsidy-claims?month=2026-13", Some(&c.finance))
        .await
        .assert_problem(422, "validation_failed");

    // Refund (cash) and void (misprint) need a reason and leave the books balanced.
    let path = |s: &str, action: &str| format!("/api/v1/cheques/{s}/{action}");
    w.app
        .post(
            &path(&serials[0], "refund"),
            Some(&c.finance),
            json!({"method": "cash", "reason": "", "cash_session_id": c.session}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let refunded = w
        .app
        .post(
            &path(&serials[0], "refund"),
            Some(&c.finance),
            json!({"method": "cash", "reason": "Verhuist", "cash_session_id": c.session}),
        )
        .await;
    assert_eq!(refunded.body["status"], "refunded", "{}", refunded.text);
    w.app
        .post(
            &path(&serials[0], "refund"),
            Some(&c.finance),
            json!({"method": "cash", "reason": "nog eens", "cash_session_id": c.session}),
        )
        .await
        .assert_problem(409, "cheque_not_refundable");
    let voided = w
        .app
        .post(
            &path(&serials[1], "void"),
            Some(&c.finance),
            json!({"reason": "Misdruk"}),
        )
        .await;
    assert_eq!(voided.body["status"], "void");

    assert_books(&w, &c).await;

    // Reminders 60 days ahead, once; then expiry turns the rest into breakage, and an
    // extension brings one back.
    let last_day: NaiveDate = regular.body["cheques"][2]["valid_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (first, again, expired) = w
        .app
        .db(move |conn| {
            let now = servicepunt::db::now();
            let run = |conn: &mut servicepunt::db::DbConn, day: NaiveDate| {
                servicepunt::db::write_tx(conn, |c| servicepunt::cheques::expiry::run(c, day, now)).unwrap()
            };
            let first = run(conn, last_day - chrono::Duration::days(60));
            let again = run(conn, last_day - chrono::Duration::days(60));
            let expired = run(conn, last_day + chrono::Duration::days(1));
            (first, again, expired)
        })
        .await;
    assert_eq!(first, (0, 2), "one reminder per owner");
    assert_eq!(again, (0, 0), "never twice");
    assert_eq!(expired.0, 3, "oma's two unused and one regular cheque expire");
    // The expiry run was for a later day, so its journal entry carries that date.
    let expiry_day = last_day + chrono::Duration::days(1);
    let books = assert_books_on(&w, &c, expiry_day).await;
    assert_eq!(books["accounts"]["breakage"], -(2 * 800 + 1500));
    let later = (today + chrono::Duration::days(800)).to_string();
    let back = w
        .app
        .post(
            &path(&serials[2], "extend"),
            Some(&c.finance),
            json!({"until": later, "reason": "Ziek geweest"}),
        )
        .await;
    assert_eq!(back.body["status"], "sold", "{}", back.text);
    let books = assert_books_on(&w, &c, expiry_day).await;
    assert_eq!(books["accounts"]["breakage"], -(2 * 800));
}

use chrono::NaiveDate;

#[actix_web::test]
async fn a_product_can_have_its_own_validity_and_half_hour_face() {
    let w = world().await;
    let c = counter(&w).await;
    for bad in [
        json!({"name": "Nooit geldig", "regular_cents": 800, "reduced_cents": 400, "validity_months": 0}),
        json!({"name": "Te lang", "regular_cents": 800, "reduced_cents": 400, "validity_months": 61}),
        json!({"name": "Raar", "regular_cents": 800, "reduced_cents": 400, "face_minutes": 45}),
        json!({"name": "Duur verlaagd", "regular_cents": 800, "reduced_cents": 900}),
    ] {
        w.app
            .post("/api/v1/cheque-products", Some(&w.coordinator), bad)
            .await
            .assert_problem(422, "validation_failed");
    }
    let half = w
        .app
        .post(
            "/api/v1/cheque-products",
            Some(&w.coordinator),
            json!({"name": "Halfuurcheque", "face_minutes": 30, "regular_cents": 800, "reduced_cents": 400, "validity_months": 6}),
        )
        .await;
    assert_eq!(half.status, 201, "{}", half.text);
    assert_eq!(half.body["validity_months"], 6);
    let jan = resident(&w, "Jan Halfuur", Some("1980-01-01"), "70").await;
    let sold = w
        .app
        .post("/api/v1/cheque-sales", Some(&c.finance), json!({"cash_session_id": c.session, "resident_id": jan, "product_id": half.body["id"], "quantity": 2, "payment_method": "cash"}))
        .await;
    assert_eq!(sold.status, 201, "{}", sold.text);
    let today = servicepunt::clock::today();
    let expected = servicepunt::cheques::tariff::valid_until(today, Some(6));
    assert!(expected > today + chrono::Duration::days(150) && expected < today + chrono::Duration::days(190));
    assert_eq!(sold.body["cheques"][0]["valid_until"], expected.to_string());
    assert_eq!(sold.body["cheques"][0]["face_minutes"], 30);
    let wallet = w
        .app
        .get(&format!("/api/v1/residents/{jan}/cheques"), Some(&c.finance))
        .await;
    assert_eq!(wallet.body["balance_minutes"], 60, "{}", wallet.text);
    assert_books(&w, &c).await;
}

/// Sells one cheque, paid in cash, to a new resident; its serial.
async fn one_cheque(w: &World, c: &Counter, name: &str, house: &str) -> String {
    let owner = resident(w, name, None, house).await;
    let sale = sell(w, c, owner, 1, "cash").await;
    sale.body["cheques"][0]["serial"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_cheque_is_not_extended_to_a_year_the_books_cannot_order() {
    let w = world().await;
    let c = counter(&w).await;
    let serial = one_cheque(&w, &c, "Jan Verre", "9").await;
    let before = w.app.get(&format!("/api/v1/cheques/{serial}"), Some(&c.finance)).await;
    // Stored as text, "+262142-01-01" would sort before today: the next expiry run would
    // expire the cheque just extended.
    for until in ["+262142-01-01", "2200-01-01"] {
        let reply = w
            .app
            .post(
                &format!("/api/v1/cheques/{serial}/extend"),
                Some(&c.finance),
                json!({"until": until, "reason": "Ziek geweest"}),
            )
            .await;
        reply.assert_problem(400, "invalid_body");
        assert!(reply.text.contains("1900 to 2199"), "{}", reply.text);
    }
    let after = w.app.get(&format!("/api/v1/cheques/{serial}"), Some(&c.finance)).await;
    assert_eq!(after.body["valid_until"], before.body["valid_until"]);
    assert_eq!(after.body["status"], "sold");
    w.app
        .get(
            "/api/v1/finance/reconciliation?from=%2B262142-01-01&to=%2B262142-01-02",
            Some(&c.finance),
        )
        .await
        .assert_problem(400, "invalid_query");
}

/// Voids a cheque sold in cash in the counter's session.
async fn void(w: &World, c: &Counter, serial: &str, reason: &str) -> crate::helpers::Reply {
    let path = format!("/api/v1/cheques/{serial}/void");
    let body = json!({ "reason": reason, "cash_session_id": c.session });
    w.app.post(&path, Some(&c.finance), body).await
}

#[actix_web::test]
async fn text_holding_a_nul_character_is_refused_on_both_backends() {
    let w = world().await;
    let c = counter(&w).await;
    let serial = one_cheque(&w, &c, "Nel Nul", "10").await;
    // PostgreSQL cannot store a NUL: these were 500s there (and stored as is on SQLite).
    void(&w, &c, &serial, "mis\u{0}druk")
        .await
        .assert_problem(400, "invalid_character");
    let login = json!({"email": "nel\u{0}@example.nl", "password": "whatever-it-is"});
    w.app
        .post("/api/v1/auth/login", None, login)
        .await
        .assert_problem(400, "invalid_character");
    // A backslash followed by the text u0000 is not a NUL.
    let voided = void(&w, &c, &serial, "misdruk \\u0000").await;
    assert_eq!(voided.body["status"], "void", "{}", voided.text);
    assert_books(&w, &c).await;
}

#[actix_web::test]
async fn an_expiry_reminder_missed_while_the_timers_were_down_goes_when_they_run_again() {
    let w = world().await;
    let c = counter(&w).await;
    let mut body = crate::helpers::resident_body("Mevrouw Laat", "6711 AB");
    body["email"] = json!("laat@example.nl");
    let owner = w.app.post("/api/v1/residents", Some(&w.werkleider), body).await.body["id"]
        .as_i64()
        .unwrap();
    let sale = sell(&w, &c, owner, 2, "cash").await;
    assert_eq!(sale.status, 201, "{}", sale.text);
    let last_day: NaiveDate = sale.body["cheques"][0]["valid_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    let days_left = [57, 57, 40, 12, 3, 0, -1];
    let runs: Vec<(usize, usize)> = w
        .app
        .db(move |conn| {
            let now = servicepunt::db::now();
            days_left
                .iter()
                .map(|left| {
                    let day = last_day - chrono::Duration::days(*left);
                    servicepunt::db::write_tx(conn, |c| servicepunt::cheques::expiry::run(c, day, now)).unwrap()
                })
                .collect()
        })
        .await;
    assert_eq!(runs[0], (0, 1), "the 60-day reminder, three days late");
    assert_eq!(runs[1], (0, 0), "once");
    assert_eq!(runs[2], (0, 0), "nothing is due 40 days before");
    assert_eq!(
        runs[3],
        (0, 0),
        "the 30-day one is more than a week late, and the 7-day one not yet due"
    );
    assert_eq!(runs[4], (0, 1), "the 7-day reminder, four days late");
    assert_eq!(runs[5], (0, 0), "still once, on the last valid day");
    assert_eq!(runs[6], (2, 0), "then they expire");

    let sent = crate::helpers::count_rows(
        &w.app,
        "SELECT COUNT(*) AS n FROM outbox WHERE template = 'cheque_expiry_reminder' AND recipient_email = 'laat@example.nl'",
    )
    .await;
    assert_eq!(sent, 2);
}

/// A daughter who acts for her mother confirms the hours her mother's cheques pay and may
/// buy more for her, so she sees that wallet and its receipts; nobody else's, and not once
/// the consent is revoked.
#[actix_web::test]
async fn a_family_member_who_acts_for_a_resident_sees_her_wallet() {
    let w = world().await;
    let c = counter(&w).await;
    let (mother_token, mother, _) = w.app.register_resident("moeder.wallet@example.nl").await;
    let (daughter_token, daughter, _) = w.app.register_resident("dochter.wallet@example.nl").await;
    let granted = w
        .app
        .grant_proxy(mother, &mother_token, "dochter.wallet@example.nl")
        .await;
    let sold = sell(&w, &c, mother, 2, "pin").await;
    assert_eq!(sold.status, 201, "{}", sold.text);
    let path = format!("/api/v1/residents/{mother}/cheques");

    let seen = w.app.get(&path, Some(&daughter_token)).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.body["resident_id"], mother);
    let (mut seen_serials, mut sold_serials) = (serials(&seen.body), serials(&sold.body));
    seen_serials.sort();
    sold_serials.sort();
    assert_eq!(seen_serials, sold_serials, "{}", seen.text);
    assert_eq!(seen.body["balance_minutes"], 120, "{}", seen.text);
    let own = w
        .app
        .get(&format!("/api/v1/residents/{daughter}/cheques"), Some(&daughter_token))
        .await;
    assert_eq!(own.status, 200, "her own too: {}", own.text);
    assert_eq!(own.body["balance_minutes"], 0, "{}", own.text);
    let receipt = sold.body["receipt_url"].as_str().unwrap().to_owned();
    for token in [&daughter_token, &mother_token] {
        let printed = w.app.get(&receipt, Some(token)).await;
        assert_eq!(printed.status, 200, "{}", printed.text);
        assert!(printed.text.contains(&sold_serials[0]), "{}", printed.text);
    }

    let (stranger, _, _) = w.app.register_resident("buurman.wallet@example.nl").await;
    w.app.get(&path, Some(&stranger)).await.assert_problem(404, "not_found");
    w.app
        .get(&receipt, Some(&stranger))
        .await
        .assert_problem(404, "not_found");
    let no_sale = "/api/v1/cheque-sales/999999/receipt";
    w.app
        .get(no_sale, Some(&daughter_token))
        .await
        .assert_problem(404, "not_found");
    w.app
        .get(&path, Some(&w.werkleider))
        .await
        .assert_problem(403, "forbidden");

    w.app.revoke_proxy(mother, &mother_token, granted).await;
    w.app
        .get(&path, Some(&daughter_token))
        .await
        .assert_problem(404, "not_found");
    w.app
        .get(&receipt, Some(&daughter_token))
        .await
        .assert_problem(404, "not_found");
}
