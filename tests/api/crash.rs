//! Crash safety: the real binary takes a load of counter sales, orders and confirmations
//! (each confirmation pays its job with the resident's cheques) and is killed with SIGKILL
//! at random moments, three times, and restarted; its mail worker delivers to a real SMTP
//! conversation all the while, so kills land mid-delivery too. Afterwards every request
//! that was answered 2xx is there exactly once (replaying every request with its
//! Idempotency-Key returns the first answer, and creates nothing new), every confirmed job
//! is paid with exactly its minutes of cheques, the books balance, the liability equals
//! the unused cheques, each sale has exactly one receipt and each order one message in
//! the outbox, and every message in the outbox reached the mail server: none lost, and a
//! repeat (a kill between the server's acceptance and the worker recording it) carries
//! the same Message-ID, so the receiving side can tell. Every whole answer is checked
//! against the contract. On whichever backend the suite runs against.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use serde_json::{Value, json};

use crate::cheques::{assert_books, counter, mailed_resident, performed_job, resident, sell};
use crate::helpers::{JWT_SECRET, Reply, count_rows, create_participant, order_body, world};
use crate::mail::unsent_after;
use crate::served::{Served, free_port};
use crate::smtp_sink::SmtpSink;

/// One write: its path, body, token and key; and the first 2xx answer, once seen.
struct Write {
    path: String,
    body: Value,
    token: String,
    key: String,
    acknowledged: Option<Value>,
}

async fn send(client: &reqwest::Client, base: &str, w: &Write) -> Option<(u16, Value)> {
    let r = client
        .post(format!("{base}{}", w.path))
        .bearer_auth(&w.token)
        .header("Idempotency-Key", &w.key)
        .json(&w.body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?;
    let (status, headers) = (r.status(), r.headers().clone());
    // A kill while the answer was on its way leaves its body short: the status stands (it
    // is sent after the commit), the body cannot be checked. A whole answer is checked
    // against the contract, as every other test's.
    let Ok(text) = r.text().await else {
        return Some((status.as_u16(), Value::Null));
    };
    let reply = Reply::new(status, headers, text);
    crate::contract::check(&reqwest::Method::POST, &w.path, &reply);
    Some((status.as_u16(), reply.body))
}

/// Residents who hold cheques, each with a job performed and waiting for confirmation:
/// two participants did twelve each, an hour a job.
async fn performed_jobs(w: &crate::helpers::World, c: &crate::cheques::Counter) -> Vec<i64> {
    let mut jobs = Vec::new();
    for crew in 0..2 {
        let worker = create_participant(&w.app, &w.coordinator, &format!("Werker {crew}"), "solo_klus").await;
        for n in 0..12 {
            let house = format!("{}", 300 + crew * 12 + n);
            let holder = resident(w, &format!("Houder {crew}-{n}"), Some("1980-01-01"), &house).await;
            assert_eq!(sell(w, c, holder, 2, "pin").await.status, 201);
            jobs.push(performed_job(w, holder, worker, 1 + n, 60).await);
        }
    }
    jobs
}

#[actix_web::test]
async fn killing_the_server_mid_load_loses_no_acknowledged_write() {
    // Set up through the app in this process, on the same database.
    let w = world().await;
    let c = counter(&w).await;
    let to_confirm = performed_jobs(&w, &c).await;
    let mut residents = Vec::new();
    for i in 0..8 {
        let (name, email) = (format!("Bewoner {i}"), format!("crash{i}@example.nl"));
        residents.push(mailed_resident(&w, &name, &format!("{}", 200 + i), &email).await);
    }
    let mut writes: Vec<Write> = Vec::new();
    let mut confirms = to_confirm.iter();
    for n in 0..300 {
        let resident = residents[n % residents.len()];
        if n % 3 == 2 {
            let mut order = order_body(w.hedge, 60);
            order["recipient_id"] = json!(resident);
            order["address"] = json!({"street": "Dorpsstraat", "house_number": format!("{}", 500 + n), "postcode": "6711 AB", "city": "Ede"});
            writes.push(Write {
                path: "/api/v1/jobs".into(),
                body: order,
                token: w.werkleider.clone(),
                key: format!("crash-order-{n}"),
                acknowledged: None,
            });
        } else {
            writes.push(Write {
                path: "/api/v1/cheque-sales".into(),
                body: json!({"cash_session_id": c.session, "resident_id": resident, "product_id": c.product, "quantity": 1 + (n % 3) as i64, "payment_method": if n % 2 == 0 { "cash" } else { "pin" }}),
                token: c.finance.clone(),
                key: format!("crash-sale-{n}"),
                acknowledged: None,
            });
        }
        // Every twelfth write a confirmation besides, spread over the three rounds.
        if n % 12 == 5
            && let Some(job) = confirms.next()
        {
            writes.push(Write {
                path: format!("/api/v1/jobs/{job}/confirm"),
                body: json!({}),
                token: w.werkleider.clone(),
                key: format!("crash-confirm-{job}"),
                acknowledged: None,
            });
        }
    }
    assert!(
        confirms.next().is_none(),
        "every performed job is confirmed in the load"
    );

    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    // The worker looks for mail every 20 ms; a message a kill left half sent is taken up
    // again 2 s later (the lease: twice the SMTP timeout).
    let env = [
        ("SERVICEPUNT_WORKERS", "2"),
        ("SERVICEPUNT_OUTBOX_WORKER", "true"),
        ("SMTP_URL", smtp.as_str()),
        ("SERVICEPUNT_OUTBOX_POLL_MS", "20"),
        ("SERVICEPUNT_OUTBOX_LEASE_SECS", "1"),
        ("SERVICEPUNT_SMTP_TIMEOUT_SECS", "1"),
        ("SERVICEPUNT_OUTBOX_BACKOFF_MS", "100"),
    ];
    let start = || Served::start(&w.app.db.url, data.path(), port, JWT_SECRET, &env);
    let client = reqwest::Client::new();
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    // Three rounds: a burst of writes, SIGKILL at a random moment, restart. The burst
    // keeps IN_FLIGHT requests on their way at once; the kill is sent from inside the
    // request whose answer makes the count, a random number between a twentieth and
    // three quarters of the burst: no timer between the count and the kill, and the rest
    // of the burst is still to come, so it lands in the middle of the load.
    const IN_FLIGHT: usize = 24;
    let mut cut_off = 0;
    for round in 0..3 {
        let server = RefCell::new(start().await);
        let base = server.borrow().base.clone();
        let burst: Vec<usize> = (0..writes.len()).filter(|i| i % 3 == round).collect();
        let kill_at = burst.len() / 20 + next() as usize % (burst.len() * 3 / 4 - burst.len() / 20);
        let (started, finished, answered) = (Cell::new(0), Cell::new(0), Cell::new(0));
        let on_their_way = Cell::new(0);
        let answers: Vec<(usize, Option<(u16, Value)>)> = stream::iter(burst.iter().copied())
            .map(|i| {
                let (client, base, writes) = (&client, &base, &writes);
                let (started, finished, answered, on_their_way, server) =
                    (&started, &finished, &answered, &on_their_way, &server);
                async move {
                    started.set(started.get() + 1);
                    let answer = send(client, base, &writes[i]).await;
                    finished.set(finished.get() + 1);
                    if answer.as_ref().is_some_and(|(s, _)| (200..300).contains(s)) {
                        answered.set(answered.get() + 1);
                        if answered.get() == kill_at {
                            on_their_way.set(started.get() - finished.get());
                            let _ = server.borrow_mut().child.kill();
                        }
                    }
                    (i, answer)
                }
            })
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        server.into_inner().kill();
        cut_off += on_their_way.get();
        for (i, answer) in answers {
            if let Some((status, body)) = answer
                && (200..300).contains(&status)
            {
                writes[i].acknowledged = Some(body);
            }
        }
    }

    // After the last restart every write is sent again with its key.
    let mut server = start().await;
    let acknowledged = writes.iter().filter(|w| w.acknowledged.is_some()).count();
    for w in &writes {
        let (status, body) = send(&client, &server.base, w).await.unwrap();
        assert!((200..300).contains(&status), "{} {status} {body}", w.key);
        if let Some(first) = &w.acknowledged {
            let id = |v: &Value| v.get("sale_id").or_else(|| v.get("id")).cloned();
            assert_eq!(
                id(first),
                id(&body),
                "{}: the acknowledged write is the one kept",
                w.key
            );
        }
    }
    // The worker empties the outbox, messages a kill left half sent included.
    let unsent = unsent_after(&w.app, Duration::from_secs(60)).await;
    server.kill();

    // Each write exists exactly once, one receipt per sale and one message per order.
    let sales = writes.iter().filter(|w| w.path == "/api/v1/cheque-sales").count() as i64;
    let orders = writes.iter().filter(|w| w.path == "/api/v1/jobs").count() as i64;
    // One sale to each holder of a performed job, before the load.
    let sold_before = to_confirm.len() as i64;
    assert_eq!(
        count_rows(&w.app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cheque_sales").await,
        sales + sold_before
    );
    assert_eq!(
        count_rows(&w.app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM jobs").await,
        orders + to_confirm.len() as i64
    );
    assert_eq!(
        count_rows(
            &w.app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE template = 'cheque_receipt'"
        )
        .await,
        sales,
        "one receipt per sale (the holders have no address to mail theirs to), none lost or doubled"
    );
    let about_orders =
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE template IN ('job_received', 'job_accepted')";
    assert_eq!(count_rows(&w.app, about_orders).await, orders, "one message per order");

    // Every confirmed job is paid, with exactly its minutes of cheques.
    let ids: Vec<String> = to_confirm.iter().map(i64::to_string).collect();
    let paid = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM jobs j WHERE j.id IN ({}) AND j.status = 'settled' \
         AND j.billable_minutes = (SELECT SUM(c.face_minutes) FROM cheques c WHERE c.redeemed_job_id = j.id)",
        ids.join(", ")
    );
    assert_eq!(count_rows(&w.app, paid).await, to_confirm.len() as i64);
    assert_books(&w, &c).await;

    // Every message reached the mail server; a repeat is the same message.
    assert_eq!(unsent, 0, "the outbox was emptied");
    let in_outbox: HashSet<String> = w
        .app
        .db(|conn| {
            use diesel::prelude::*;
            use servicepunt::db::schema::outbox;
            outbox::table.select(outbox::message_id).load::<String>(conn).unwrap()
        })
        .await
        .into_iter()
        .collect();
    let received = sink.received();
    let delivered: HashSet<String> = received.iter().filter_map(|m| m.header("Message-ID")).collect();
    assert_eq!(delivered, in_outbox, "every message delivered, nothing else");
    let confirmed_before = writes
        .iter()
        .filter(|w| w.path.ends_with("/confirm") && w.acknowledged.is_some())
        .count();
    eprintln!(
        "crash test: {} writes ({} confirmations), {acknowledged} acknowledged before a kill \
         ({confirmed_before} confirmations), {cut_off} on their way at the kills, all present once \
         after 3 SIGKILLs; {} messages, {} delivered twice",
        writes.len(),
        to_confirm.len(),
        in_outbox.len(),
        received.len() - delivered.len()
    );
    assert!(acknowledged > 0, "some writes were answered before the kills");
    assert!(
        cut_off > 0,
        "the kills landed in the middle of the load, with requests on their way"
    );
    assert!(acknowledged < writes.len(), "some writes were cut off by the kills");
}
