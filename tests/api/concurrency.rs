//! Races that must have exactly one winner (or a fixed number), on both backends, each
//! with at least twenty concurrent requests: refresh-token reuse, logins racing the end of
//! an account's access, double registration, the daily cap on account mail, idempotency
//! keys, the anti-splitting rule, double redemption of a paper cheque, double booking of a
//! participant, racing outbox workers, duplicate Stripe webhook deliveries, reduced sales
//! racing for a yearly cap; closes racing what they close over (a month's postings, a
//! cash session's sales); and reports read while sales commit, which must show one
//! moment.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Datelike;
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::{Role, mail_cap};
use servicepunt::error::ApiError;

use crate::cheques::{assert_books, capped_product, counter, performed_job, performed_order, resident, sell, serials};
use crate::helpers::{
    PASSWORD, count_rows, create_participant, create_service, next_local, order_body, registration, resident_body,
    spawn_app, test_settings, world,
};
use crate::mail::{app_with_sink, blocking, counts_by_message_id, statuses};
use crate::online::{SECRET, checkout, deliver, now, online_world};
use crate::planning::{assign, waitlisted_job};
use crate::smtp_sink::SmtpSink;
use crate::stripe_mock::{event, stripe_signature};

/// Fails, showing every answer's status and code, unless all answered `status`.
fn assert_all(replies: &[crate::helpers::Reply], status: u16) {
    assert!(
        replies.iter().all(|r| r.status == status),
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, r.body["code"].clone()))
            .collect::<Vec<_>>()
    );
}

#[actix_web::test]
async fn one_refresh_token_spent_concurrently_rotates_once() {
    let app = spawn_app().await;
    app.create_user("w@servicepunt.example", Role::Werkleider).await;
    let tokens = app.login("w@servicepunt.example").await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let replies =
        join_all((0..20).map(|_| app.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh})))).await;
    let ok = replies.iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(
        ok,
        1,
        "exactly one rotation: {:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != StatusCode::OK) {
        r.assert_problem(401, "invalid_refresh_token");
    }
}

/// A login checks the password outside its transaction (hashing takes a while), so the
/// account can be disabled (or erased, or given a new password) between the check and the
/// session. Twenty logins of a werkleider race `user disable`: afterwards no token any of
/// them got works, not even the access token on a route that only asks for the role.
#[actix_web::test]
async fn logins_racing_user_disable_keep_no_session() {
    let email = "leaver@servicepunt.example";
    let (db, dir, app) = crate::cli::app_with_staff_member(email).await;

    let answered = AtomicUsize::new(0);
    let logins = (0..20).map(|_| async {
        let reply = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        answered.fetch_add(1, Ordering::SeqCst);
        reply
    });
    // The account is turned off once a few logins are through and the rest are hashing.
    let disable = async {
        while answered.load(Ordering::SeqCst) < 2 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let mut cli = crate::cli::command(dir.path());
        cli.args(["user", "disable", "--email", email])
            .env("DATABASE_URL", &db.url);
        tokio::task::spawn_blocking(move || cli.output().unwrap())
            .await
            .unwrap()
    };
    let (logins, disabled) = futures_util::future::join(join_all(logins), disable).await;
    assert!(
        disabled.status.success(),
        "{}",
        String::from_utf8_lossy(&disabled.stderr)
    );
    // The server reloads the ended sessions each second.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut won = 0;
    for login in logins.iter().filter(|l| l.status != StatusCode::UNAUTHORIZED) {
        assert_eq!(login.status, StatusCode::OK, "{}", login.text);
        won += 1;
        let access = login.body["access_token"].as_str().unwrap();
        app.get("/api/v1/residents", Some(access))
            .await
            .assert_problem(401, "invalid_token");
        let refresh = login.body["refresh_token"].as_str().unwrap();
        let again = app
            .post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh}))
            .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}", again.text);
    }
    assert!(
        won >= 2,
        "the first logins got in before the account was disabled: {won}"
    );
}

#[actix_web::test]
async fn one_address_registered_concurrently_creates_one_account() {
    let app = spawn_app().await;
    let replies =
        join_all((0..20).map(|_| app.post("/api/v1/auth/register", None, registration("race@example.nl")))).await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    }
    let waiting = "SELECT COUNT(*) AS n FROM registrations WHERE email = 'race@example.nl'";
    assert_eq!(
        count_rows(&app, waiting).await,
        1,
        "the last registration replaced the others"
    );
    let mailed = "SELECT COUNT(*) AS n FROM outbox WHERE recipient_email = 'race@example.nl'";
    assert_eq!(
        count_rows(&app, mailed).await,
        mail_cap::MAILS_PER_ADDRESS_PER_DAY,
        "the daily cap on registration mails holds under concurrent requests"
    );

    // The link in the last email works, once, however many times it is followed at once.
    let token = crate::mailed::confirmation_token(&app, "race@example.nl").await;
    let confirm = json!({"token": token});
    let replies = join_all((0..20).map(|_| app.post("/api/v1/auth/register/confirm", None, confirm.clone()))).await;
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(
        created,
        1,
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, r.body["code"].clone()))
            .collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        r.assert_problem(400, "invalid_or_expired_token");
    }
    let accounts = "SELECT COUNT(*) AS n FROM users WHERE email = 'race@example.nl'";
    assert_eq!(count_rows(&app, accounts).await, 1);
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM residents").await, 1);
}

#[actix_web::test]
async fn concurrent_reset_requests_mail_an_address_at_most_five_times_a_day() {
    let app = spawn_app().await;
    app.register_resident("doelwit@example.nl").await;
    let ask = json!({"email": "doelwit@example.nl"});
    let replies = join_all((0..20).map(|_| app.post("/api/v1/auth/password-reset", None, ask.clone()))).await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    }
    let mailed = "SELECT COUNT(*) AS n FROM outbox WHERE recipient_email = 'doelwit@example.nl' \
                  AND template = 'password_reset'";
    assert_eq!(count_rows(&app, mailed).await, mail_cap::MAILS_PER_ADDRESS_PER_DAY);
    let issued = "SELECT COUNT(*) AS n FROM user_tokens WHERE purpose = 'password_reset'";
    assert_eq!(
        count_rows(&app, issued).await,
        mail_cap::MAILS_PER_ADDRESS_PER_DAY,
        "no link is made that is not mailed"
    );
}

#[actix_web::test]
async fn concurrent_writers_queue_instead_of_failing() {
    let app = spawn_app().await;
    let staff = app.token_for(Role::Werkleider).await;
    let replies = join_all((0..40).map(|i| {
        app.post(
            "/api/v1/residents",
            Some(&staff),
            resident_body(&format!("Bewoner {i}"), "6711 AB"),
        )
    }))
    .await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let list = app.get("/api/v1/residents?per_page=100", Some(&staff)).await;
    assert_eq!(list.body["total"], 40);
}

#[actix_web::test]
async fn one_idempotency_key_sent_concurrently_orders_once() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let service = create_service(&app, &coordinator, "Gezelschap", "gezelschap", false, 240).await;
    let (resident, _, _) = app.register_resident("haast@example.nl").await;
    let replies = join_all((0..20).map(|_| {
        app.send(
            app.client
                .post(app.url("/api/v1/jobs"))
                .bearer_auth(&resident)
                .header("Idempotency-Key", "one-tap")
                .json(&order_body(service, 120)),
        )
    }))
    .await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let ids: std::collections::HashSet<_> = replies.iter().map(|r| r.body["id"].clone()).collect();
    assert_eq!(ids.len(), 1, "every retry answers with the one job");
    assert_eq!(app.get("/api/v1/jobs", Some(&resident)).await.body["total"], 1);
}

#[actix_web::test]
async fn concurrent_orders_for_one_address_cannot_all_slip_under_the_limit() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let hedge = create_service(&app, &coordinator, "Heg snoeien", "tuin", true, 300).await;
    let (resident, _, _) = app.register_resident("race@example.nl").await;
    let replies = join_all((0..20).map(|_| app.post("/api/v1/jobs", Some(&resident), order_body(hedge, 180)))).await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let auto_accepted = replies.iter().filter(|r| r.body["status"] == "waitlisted").count();
    let held = replies.iter().filter(|r| r.body["status"] == "requested").count();
    assert_eq!(
        (auto_accepted, held),
        (1, 19),
        "only the first 3 hours pass without a werkleider"
    );
}

#[actix_web::test]
async fn a_paper_cheque_is_redeemed_once_however_many_try_at_once() {
    let w = world().await;
    let c = counter(&w).await;
    let giver = resident(&w, "Gever Geert", Some("1980-01-01"), "20").await;
    let bought = sell(&w, &c, giver, 1, "cash").await;
    let serial = bought.body["cheques"][0]["serial"].as_str().unwrap().to_owned();
    let worker = create_participant(&w.app, &w.coordinator, "Werker Wendy", "solo_klus").await;
    let mut jobs = Vec::new();
    for n in 0..20 {
        let r = resident(&w, &format!("Bewoner {n}"), Some("1980-01-01"), &format!("{}", 100 + n)).await;
        let job = performed_job(&w, r, worker, 1 + n, 60).await;
        let confirmed = w
            .app
            .post(&format!("/api/v1/jobs/{job}/confirm"), Some(&w.werkleider), json!({}))
            .await;
        assert_eq!(confirmed.body["status"], "confirmed");
        jobs.push(job);
    }
    let body = json!({"serials": [serial]});
    let paths: Vec<String> = jobs.iter().map(|j| format!("/api/v1/jobs/{j}/redeem")).collect();
    let replies = join_all(paths.iter().map(|p| w.app.post(p, Some(&c.finance), body.clone()))).await;
    let ok: Vec<_> = replies.iter().filter(|r| r.status == 200).collect();
    assert_eq!(
        ok.len(),
        1,
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, r.body["code"].clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(ok[0].body["status"], "settled");
    for r in replies.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "cheque_already_redeemed");
    }
    assert_books(&w, &c).await;
}

/// The trial balance compares the books with the cheques in circulation; read while sales
/// commit, each answer must come from one moment, or finance sees a mismatch that is not
/// there (or misses one that is).
#[actix_web::test]
async fn trial_balances_read_during_sales_agree_with_themselves() {
    let w = world().await;
    let c = counter(&w).await;
    let buyer = resident(&w, "Koper Karel", Some("1940-01-01"), "30").await;
    let tb = "/api/v1/finance/trial-balance";
    let sales = (0..20).map(|_| async {
        let r = sell(&w, &c, buyer, 1, "cash").await;
        assert_eq!(r.status, 201, "{}", r.text);
    });
    let reads = (0..40).map(|_| w.app.get(tb, Some(&c.finance)));
    let (_, answers) = futures_util::join!(join_all(sales), join_all(reads));
    for a in &answers {
        assert_eq!(a.status, 200, "{}", a.text);
        assert_eq!(a.body["balanced"], true, "{}", a.text);
        assert_eq!(a.body["liability_matches_cheques"], true, "{}", a.text);
        assert_eq!(a.body["deferred_subsidy_matches_cheques"], true, "{}", a.text);
    }
    let end = assert_books(&w, &c).await;
    assert_eq!(end["cheques_outstanding_cents"], 20 * 800, "{end}");
}

/// Twenty lanes keep posting entries dated last month until finance's close of that month
/// refuses them: each posting lands before the close and counts in the sums the close
/// keeps, or is refused; none slips in after the sums were taken, where no report of the
/// closed month would ever show it.
#[actix_web::test]
async fn postings_racing_the_close_of_their_month_count_or_are_refused() {
    let app = spawn_app().await;
    let finance = app.token_for(Role::Finance).await;
    let this_month = servicepunt::clock::today().with_day(1).unwrap();
    let last_day = this_month - chrono::Duration::days(1);
    let first_day = last_day.with_day(1).unwrap();
    let month = servicepunt::ledger::periods::month_of(last_day);
    let lanes = (0..20).map(|_| async {
        let mut landed = 0;
        for _ in 0..500 {
            match post_last_month(&app, first_day).await {
                Ok(()) => landed += 1,
                Err(e) => {
                    assert_eq!(e.code(), "period_closed", "{e:?}");
                    return landed;
                }
            }
        }
        panic!("the close never came");
    });
    let close = async {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        let path = format!("/api/v1/finance/periods/{month}/close");
        app.post(&path, Some(&finance), json!({})).await
    };
    let (landed, closed) = futures_util::join!(join_all(lanes), close);
    assert_eq!(closed.status, 204, "{}", closed.text);
    let landed: i64 = landed.iter().sum();
    let booked = count_rows(
        &app,
        format!(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS n FROM journal_lines \
             WHERE account = 'cheque_liability' AND entry_date <= '{last_day}'"
        ),
    )
    .await;
    assert!(landed > 0, "postings ran before the close");
    assert_eq!(booked, -100 * landed, "every posting that landed is in the journal");
    // The whole month: its balance comes from the sums kept when it closed.
    let tb = app
        .get(&format!("/api/v1/finance/trial-balance?on={last_day}"), Some(&finance))
        .await;
    assert_eq!(tb.body["accounts"]["cheque_liability"], booked, "{}", tb.text);
}

/// Five entries dated `day` in one transaction, like a sale of several cheques: the month
/// is checked at the first, and the transaction commits after the last.
async fn post_last_month(app: &crate::helpers::TestApp, day: chrono::NaiveDate) -> Result<(), ApiError> {
    use servicepunt::ledger::{Account, credit, debit, store};
    let pool = app.pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().unwrap();
        servicepunt::db::write_tx(&mut conn, |conn| {
            let lines = [debit(Account::PinClearing, 20), credit(Account::ChequeLiability, 20)];
            for _ in 0..5 {
                store::post(conn, day, "cheque_sale", "race", &lines, None, servicepunt::db::now())?;
            }
            Ok(())
        })
    })
    .await
    .unwrap()
}

/// Twenty desks sell one reduced cheque each to the same 70-plus resident at once, under a
/// yearly cap of four: four sales go through and the others are told the cap is reached.
#[actix_web::test]
async fn reduced_sales_racing_for_the_yearly_cap_stop_at_it() {
    let w = world().await;
    let c = counter(&w).await;
    let capped = capped_product(&w, 4).await;
    let oma = resident(&w, "Oma Olga", Some("1940-01-01"), "40").await;
    let body = json!({"cash_session_id": c.session, "resident_id": oma, "product_id": capped,
                      "quantity": 1, "payment_method": "pin"});
    let replies = join_all((0..20).map(|_| w.app.post("/api/v1/cheque-sales", Some(&c.finance), body.clone()))).await;
    let sold: Vec<_> = replies.iter().filter(|r| r.status == 201).collect();
    assert_eq!(
        sold.len(),
        4,
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, r.body["code"].clone()))
            .collect::<Vec<_>>()
    );
    assert!(sold.iter().all(|r| r.body["tariff"] == "reduced"));
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["code"], "reduced_cap_reached", "{}", r.text);
    }
    assert_books(&w, &c).await;
}

/// Cash sales keep coming while finance closes the session: every sale that went through
/// is in the cash the close expects, and the ones after it are refused.
#[actix_web::test]
async fn cash_sales_racing_the_close_of_their_session_are_all_counted() {
    let w = world().await;
    let c = counter(&w).await;
    let mut buyers = Vec::new();
    for n in 0..20 {
        buyers.push(resident(&w, &format!("Koper {n}"), Some("1980-01-01"), &format!("{}", 50 + n)).await);
    }
    let lanes = buyers.iter().map(|buyer| async {
        for sold in 0..200 {
            let r = sell(&w, &c, *buyer, 1, "cash").await;
            if r.status != 201 {
                r.assert_problem(422, "validation_failed");
                assert_eq!(r.body["errors"][0]["code"], "no_open_session", "{}", r.text);
                return sold;
            }
        }
        panic!("the close never came");
    });
    let close = async {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        let path = format!("/api/v1/cash-sessions/{}/close", c.session);
        w.app.post(&path, Some(&c.finance), json!({"counted_cents": 0})).await
    };
    let (sold, closed) = futures_util::join!(join_all(lanes), close);
    assert_eq!(closed.status, 200, "{}", closed.text);
    let sold: i64 = sold.iter().sum();
    assert!(sold > 0, "sales went through before the close");
    // Regular price: 15 euros a cheque, on a float of 50.
    assert_eq!(closed.body["expected_cents"], 5000 + 1500 * sold, "{}", closed.text);
    assert_books(&w, &c).await;
}

/// Cash refunds keep coming while finance closes the session: every refund that went
/// through is out of the cash the close expects, and the ones after it are refused.
#[actix_web::test]
async fn cash_refunds_racing_the_close_of_their_session_are_all_counted() {
    let w = world().await;
    let c = counter(&w).await;
    let mut held = Vec::new();
    for n in 0..20 {
        let buyer = resident(
            &w,
            &format!("Teruggever {n}"),
            Some("1980-01-01"),
            &format!("{}", 50 + n),
        )
        .await;
        let sale = sell(&w, &c, buyer, 10, "cash").await;
        assert_eq!(sale.status, 201, "{}", sale.text);
        held.push(serials(&sale.body));
    }
    let done = AtomicUsize::new(0);
    let body = json!({"method": "cash", "reason": "Verhuist", "cash_session_id": c.session});
    let lanes = held.iter().map(|serials| async {
        for (n, serial) in serials.iter().enumerate() {
            let path = format!("/api/v1/cheques/{serial}/refund");
            let r = w.app.post(&path, Some(&c.finance), body.clone()).await;
            if r.status != 200 {
                r.assert_problem(422, "validation_failed");
                assert_eq!(r.body["errors"][0]["code"], "no_open_session", "{}", r.text);
                return n as i64;
            }
            done.fetch_add(1, Ordering::SeqCst);
        }
        panic!("the close never came");
    });
    let close = async {
        while done.load(Ordering::SeqCst) < 20 {
            actix_web::rt::time::sleep(Duration::from_millis(5)).await;
        }
        let path = format!("/api/v1/cash-sessions/{}/close", c.session);
        w.app.post(&path, Some(&c.finance), json!({"counted_cents": 0})).await
    };
    let (refunded, closed) = futures_util::join!(join_all(lanes), close);
    assert_eq!(closed.status, 200, "{}", closed.text);
    let refunded: i64 = refunded.iter().sum();
    // 200 cheques sold at 15 euros on a float of 50; each refund hands back 15.
    assert_eq!(closed.body["cash_paid_out_cents"], 1500 * refunded, "{}", closed.text);
    assert_eq!(
        closed.body["expected_cents"],
        5000 + 1500 * (200 - refunded),
        "{}",
        closed.text
    );
    assert_books(&w, &c).await;
}

#[actix_web::test]
async fn fifty_concurrent_bookings_of_one_participant_give_one_success() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Gewild Gert", "solo_klus").await;
    let mut jobs = Vec::new();
    for _ in 0..50 {
        jobs.push(waitlisted_job(&w, w.hedge, 60).await);
    }
    let span = next_local(13, 60);
    let crew = [worker];
    let replies = join_all(jobs.iter().map(|job| assign(&w, *job, &crew, &span))).await;
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(
        created,
        1,
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, r.body["code"].clone()))
            .collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        r.assert_problem(409, "participant_busy");
    }
}

#[actix_web::test]
async fn twenty_workers_racing_deliver_each_message_once() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, |s| s.outbox_worker = false).await;
    let user_id = app.create_user("many@servicepunt.example", Role::Finance).await;
    blocking(&app.pool, move |conn| {
        let user = servicepunt::auth::store::find_user(conn, user_id).unwrap().unwrap();
        for i in 0..40 {
            let data = json!({"name": format!("bericht {i}"), "token": "t", "link": "l", "valid_minutes": 60});
            servicepunt::notify::to_user(conn, &user, servicepunt::notify::Template::PasswordReset, &data).unwrap();
        }
    })
    .await;

    let mut raw = test_settings(&app.db, std::env::temp_dir());
    raw.smtp_url = Some(sink.url());
    raw.jwt_secret = Some(crate::helpers::JWT_SECRET.into());
    let settings = servicepunt::config::Settings::from_raw(raw).unwrap();
    let renderer = std::sync::Arc::new(servicepunt::notify::Renderer::new().unwrap());
    let mut small_batches = settings.clone();
    small_batches.outbox.batch = 3;
    let workers: Vec<_> = (0..20)
        .map(|_| servicepunt::app::outbox_worker(&small_batches, app.pool.clone(), renderer.clone(), None).unwrap())
        .collect();
    let drain = |w: servicepunt::notify::worker::Worker| async move {
        let mut handled = 0;
        loop {
            match w.run_once().await.unwrap() {
                0 => return handled,
                n => handled += n,
            }
        }
    };
    let handled: Vec<usize> = join_all(workers.iter().cloned().map(drain)).await;
    assert_eq!(
        handled.iter().sum::<usize>(),
        40,
        "every message was claimed exactly once ({handled:?})"
    );

    let mails = sink.received();
    let counts = counts_by_message_id(&mails);
    assert_eq!(counts.len(), 40);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert!(
        statuses(&app)
            .await
            .iter()
            .all(|(s, attempts)| s == "sent" && *attempts == 1)
    );
}

#[actix_web::test]
async fn twenty_deliveries_of_one_stripe_event_issue_the_cheques_once() {
    let (w, _mock) = online_world().await;
    let c = counter(&w).await;
    let (token, _, _) = w.app.register_resident("race.online@example.nl").await;
    let started = checkout(&w, &token, &c, 3, "race-1").await;
    let session = started.body["checkout"]["stripe_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = event(
        "evt_race",
        "checkout.session.completed",
        json!({"id": session, "payment_status": "paid", "amount_total": 4500, "payment_intent": "pi_race"}),
    );
    let signature = stripe_signature(SECRET, now(), &body);
    let replies = join_all((0..20).map(|_| deliver(&w, &body, &signature))).await;
    let issued = replies.iter().filter(|r| r.body["outcome"] == "issued").count();
    assert_eq!(
        issued,
        1,
        "{:?}",
        replies.iter().map(|r| r.text.clone()).collect::<Vec<_>>()
    );
    assert!(replies.iter().all(|r| r.status == 200));
    let wallet = w.app.get("/api/v1/me/cheques", Some(&token)).await;
    assert_eq!(wallet.body["cheques"].as_array().unwrap().len(), 3, "{}", wallet.text);
    assert_books(&w, &c).await;
}

/// One resident's jobs confirmed at the same moment (the resident's phone, the
/// werkleider's screen, the window timer) each take cheques from one wallet: every job is
/// paid with cheques of its own, none is refused because another took the cheque it saw.
#[actix_web::test]
async fn twenty_jobs_of_one_resident_confirmed_at_once_each_take_their_own_cheques() {
    let w = world().await;
    let c = counter(&w).await;
    let buurman = resident(&w, "Buurman Bart", Some("1980-01-01"), "30").await;
    assert_eq!(sell(&w, &c, buurman, 20, "pin").await.status, 201);
    let worker = create_participant(&w.app, &w.coordinator, "Werker Wim", "solo_klus").await;
    let mut jobs = Vec::new();
    for n in 0..20 {
        // Twenty quarters stay within the five hours one address may order unchecked.
        let mut order = order_body(w.hedge, 15);
        order["recipient_id"] = json!(buurman);
        jobs.push(performed_order(&w, order, worker, 1 + n, 60).await);
    }
    let paths: Vec<String> = jobs.iter().map(|j| format!("/api/v1/jobs/{j}/confirm")).collect();
    let replies = join_all(paths.iter().map(|p| w.app.post(p, Some(&w.werkleider), json!({})))).await;
    assert_all(&replies, 200);
    assert!(replies.iter().all(|r| r.body["status"] == "settled"));
    let redeemed = count_rows(
        &w.app,
        format!("SELECT COUNT(*) AS n FROM cheques WHERE owner_resident_id = {buurman} AND status = 'redeemed'"),
    )
    .await;
    assert_eq!(redeemed, 20);
    let jobs_paid = count_rows(
        &w.app,
        format!("SELECT COUNT(DISTINCT redeemed_job_id) AS n FROM cheques WHERE owner_resident_id = {buurman}"),
    )
    .await;
    assert_eq!(jobs_paid, 20, "each job has a cheque of its own");
    assert_books(&w, &c).await;
}

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

/// The coordinator's screen sent a new price (or bonus rate) for one day twenty times at
/// once: the day ends with one price, one of those sent, and no request fails on the
/// price another wrote.
#[actix_web::test]
async fn one_days_price_and_bonus_rate_set_twenty_times_at_once_keep_one_each() {
    let w = world().await;
    let c = counter(&w).await;
    let day = servicepunt::clock::today() + chrono::Duration::days(30);
    let prices = format!("/api/v1/cheque-products/{}/prices", c.product);
    let replies = join_all((0..20).map(|n| {
        let body = json!({"valid_from": day, "regular_cents": 1600 + n, "reduced_cents": 900});
        w.app.post(&prices, Some(&w.coordinator), body)
    }))
    .await;
    assert_all(&replies, 204);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM cheque_prices WHERE product_id = {} AND valid_from = '{day}' AND regular_cents BETWEEN 1600 AND 1619",
        c.product
    );
    assert_eq!(count_rows(&w.app, sql).await, 1);

    let replies = join_all((0..20).map(|n| {
        let body = json!({"valid_from": day, "cents_per_hour": 100 + n});
        w.app.post("/api/v1/bonus-rates", Some(&w.coordinator), body)
    }))
    .await;
    assert_all(&replies, 204);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM bonus_rates WHERE valid_from = '{day}' AND cents_per_hour BETWEEN 100 AND 119"
    );
    assert_eq!(count_rows(&w.app, sql).await, 1);
}

/// One care home entered twice at the same moment is one institution; the other entry
/// hears it exists.
#[actix_web::test]
async fn one_institution_entered_twenty_times_at_once_exists_once() {
    let w = world().await;
    let body = json!({"name": "Zorgcentrum De Horst", "hourly_rate_cents": 3500});
    let replies =
        join_all((0..20).map(|_| w.app.post("/api/v1/institutions", Some(&w.coordinator), body.clone()))).await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
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
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "proxy_exists");
    }
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM resident_proxies").await,
        1
    );
}
