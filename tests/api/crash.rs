//! Crash safety: the real binary takes a load of counter sales and orders and is killed
//! with SIGKILL at random moments, three times, and restarted. Afterwards every request
//! that was answered 2xx is there exactly once (replaying every request with its
//! Idempotency-Key returns the first answer, and creates nothing new), the books balance,
//! the liability equals the unused cheques, and each sale has exactly one receipt
//! message in the outbox. On whichever backend the suite runs against.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::helpers::{JWT_SECRET, count_rows, order_body, resident_body, spawn_app_with};
use crate::served::{Served, free_port};

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
    let status = r.status().as_u16();
    Some((status, r.json().await.unwrap_or(Value::Null)))
}

#[actix_web::test]
async fn killing_the_server_mid_load_loses_no_acknowledged_write() {
    // Set up through the app in this process, on the same database.
    let app = spawn_app_with(|_| {}).await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let finance = app.token_for(Role::Finance).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let product = app
        .post(
            "/api/v1/cheque-products",
            Some(&coordinator),
            json!({"name": "Cheque", "regular_cents": 1500, "reduced_cents": 800, "valid_from": "2020-01-01"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let session = app
        .post("/api/v1/cash-sessions", Some(&finance), json!({"float_cents": 0}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let hedge = crate::helpers::create_service(&app, &coordinator, "Heg", "tuin", true, 300).await;
    let mut residents = Vec::new();
    for i in 0..8 {
        let mut body = resident_body(&format!("Bewoner {i}"), "6711 AB");
        body["address"]["house_number"] = json!(format!("{}", 200 + i));
        body["email"] = json!(format!("crash{i}@example.nl"));
        residents.push(
            app.post("/api/v1/residents", Some(&werkleider), body).await.body["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let mut writes: Vec<Write> = Vec::new();
    for n in 0..300 {
        let resident = residents[n % residents.len()];
        if n % 3 == 2 {
            let mut order = order_body(hedge, 60);
            order["recipient_id"] = json!(resident);
            order["address"] = json!({"street": "Dorpsstraat", "house_number": format!("{}", 500 + n), "postcode": "6711 AB", "city": "Ede"});
            writes.push(Write {
                path: "/api/v1/jobs".into(),
                body: order,
                token: werkleider.clone(),
                key: format!("crash-order-{n}"),
                acknowledged: None,
            });
        } else {
            writes.push(Write {
                path: "/api/v1/cheque-sales".into(),
                body: json!({"cash_session_id": session, "resident_id": resident, "product_id": product, "quantity": 1 + (n % 3) as i64, "payment_method": if n % 2 == 0 { "cash" } else { "pin" }}),
                token: finance.clone(),
                key: format!("crash-sale-{n}"),
                acknowledged: None,
            });
        }
    }

    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let start = || {
        Served::start(
            &app.db.url,
            data.path(),
            port,
            JWT_SECRET,
            &[("SERVICEPUNT_WORKERS", "2")],
        )
    };
    let client = reqwest::Client::new();
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    // Three rounds: a burst of writes, SIGKILL after a random moment, restart.
    for round in 0..3 {
        let mut server = start().await;
        let burst: Vec<usize> = (0..writes.len()).filter(|i| i % 3 == round).collect();
        // Killed a random moment after the first few answers: in the middle of the load.
        let kill_after = Duration::from_millis(next() % 30);
        let answered = std::sync::atomic::AtomicUsize::new(0);
        let base = server.base.clone();
        let sends = join_all(burst.iter().map(|i| {
            let (client, base, answered) = (&client, &base, &answered);
            let w = &writes[*i];
            async move {
                let answer = send(client, base, w).await;
                if answer.as_ref().is_some_and(|(s, _)| (200..300).contains(s)) {
                    answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                answer
            }
        }));
        let killed = async {
            let deadline = Instant::now() + Duration::from_secs(10);
            while answered.load(std::sync::atomic::Ordering::SeqCst) < 5 && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            tokio::time::sleep(kill_after).await;
            server.kill();
        };
        let (answers, ()) = futures_util::future::join(sends, killed).await;
        for (i, answer) in burst.iter().zip(answers) {
            if let Some((status, body)) = answer
                && (200..300).contains(&status)
            {
                writes[*i].acknowledged = Some(body);
            }
        }
    }

    // After the last restart every write is sent again with its key.
    let mut server = start().await;
    let mut first_answers: HashMap<String, Value> = HashMap::new();
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
        first_answers.insert(w.key.clone(), body);
    }
    server.kill();

    // Each write exists exactly once, the books balance, one receipt per sale.
    let sales = writes.iter().filter(|w| w.path == "/api/v1/cheque-sales").count() as i64;
    let orders = writes.len() as i64 - sales;
    assert_eq!(
        count_rows(&app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cheque_sales").await,
        sales
    );
    assert_eq!(
        count_rows(&app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM jobs").await,
        orders
    );
    assert_eq!(
        count_rows(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE template = 'cheque_receipt'"
        )
        .await,
        sales,
        "one receipt per sale, none lost or doubled"
    );
    let tb = app.get("/api/v1/finance/trial-balance", Some(&finance)).await;
    assert_eq!(tb.body["balanced"], true, "{}", tb.text);
    assert_eq!(tb.body["liability_matches_cheques"], true, "{}", tb.text);
    assert!(acknowledged > 0, "some writes were answered before the kills");
    assert!(
        acknowledged < writes.len(),
        "the kills landed in the middle of the load"
    );
    eprintln!(
        "crash test: {} writes, {acknowledged} acknowledged before a kill, all present once after 3 SIGKILLs",
        writes.len()
    );
}
