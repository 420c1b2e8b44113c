//! A local stand-in for Stripe's HTTP API: Checkout Sessions and refunds, answering like
//! Stripe does (the same session or refund for a repeated `Idempotency-Key`), keeping
//! every request it got, and able to fail with a 500 or to answer too late. Webhook
//! payloads are signed here with HMAC-SHA256 as Stripe documents it, independently of the
//! service's own code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Error500,
    Slow,
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub query: String,
    pub idempotency_key: Option<String>,
    pub authorization: Option<String>,
    /// The form body, percent-decoded.
    pub body: String,
}

struct State {
    mode: Mode,
    seen: Vec<Seen>,
    /// What each `Idempotency-Key` created (a session or a refund): asked again with the
    /// same key, Stripe answers with the same object.
    created: HashMap<String, String>,
    /// The body first sent with each `Idempotency-Key`: Stripe refuses a retry whose
    /// parameters differ.
    first_bodies: HashMap<String, String>,
    next: u32,
    transactions: Vec<Value>,
}

#[derive(Clone)]
pub struct StripeMock {
    pub base: String,
    state: Arc<Mutex<State>>,
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why Stripe would refuse a session's `expires_at`: it must lie from 30 minutes to 24
/// hours after the session is made.
fn expiry_refused(body: &str) -> Option<String> {
    let Ok(at) = body
        .split('&')
        .find_map(|p| p.strip_prefix("expires_at="))?
        .parse::<i64>()
    else {
        return Some("expires_at must be a Unix time".into());
    };
    let ahead = at - chrono::Utc::now().timestamp();
    (!(30 * 60..=24 * 3600).contains(&ahead))
        .then(|| format!("expires_at must be 30 minutes to 24 hours ahead; it is {ahead} s"))
}

async fn answer(req: HttpRequest, body: web::Bytes, state: web::Data<Arc<Mutex<State>>>) -> HttpResponse {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let seen = Seen {
        path: req.path().to_owned(),
        query: decode(req.query_string()),
        idempotency_key: header("Idempotency-Key"),
        authorization: header("Authorization"),
        body: decode(&String::from_utf8_lossy(&body)),
    };
    let mode = {
        let mut s = state.lock().unwrap();
        s.seen.push(seen.clone());
        s.mode
    };
    match mode {
        Mode::Error500 => {
            return HttpResponse::InternalServerError()
                .json(json!({"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}}));
        }
        Mode::Slow => actix_web::rt::time::sleep(Duration::from_secs(4)).await,
        Mode::Normal => {}
    }
    let mut s = state.lock().unwrap();
    s.next += 1;
    let n = s.next;
    if let Some(key) = &seen.idempotency_key {
        let first = s.first_bodies.entry(key.clone()).or_insert_with(|| seen.body.clone());
        if *first != seen.body {
            return HttpResponse::BadRequest().json(json!({"error": {"type": "idempotency_error",
                "message": "Keys for idempotent requests can only be used with the same parameters they were first used with."}}));
        }
    }
    match seen.path.as_str() {
        "/v1/checkout/sessions" => {
            if let Some(problem) = expiry_refused(&seen.body) {
                return HttpResponse::BadRequest().json(
                    json!({"error": {"type": "invalid_request_error", "param": "expires_at", "message": problem}}),
                );
            }
            let key = seen.idempotency_key.clone().unwrap_or_default();
            let id = s.created.entry(key).or_insert_with(|| format!("cs_test_{n}")).clone();
            HttpResponse::Ok().json(json!({
                "id": id, "object": "checkout.session", "mode": "payment", "payment_status": "unpaid",
                "status": "open", "url": format!("https://checkout.stripe.test/c/pay/{id}"),
                "livemode": false, "currency": "eur"
            }))
        }
        "/v1/balance_transactions" => HttpResponse::Ok().json(json!({
            "object": "list", "url": "/v1/balance_transactions", "has_more": false,
            "data": s.transactions.clone()
        })),
        "/v1/refunds" => {
            let key = seen.idempotency_key.clone().unwrap_or_default();
            let id = s.created.entry(key).or_insert_with(|| format!("re_test_{n}")).clone();
            HttpResponse::Ok().json(json!({"id": id, "object": "refund", "status": "succeeded"}))
        }
        _ => HttpResponse::NotFound().json(json!({"error": {"type": "invalid_request_error"}})),
    }
}

impl StripeMock {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State {
            mode: Mode::Normal,
            seen: Vec::new(),
            created: HashMap::new(),
            first_bodies: HashMap::new(),
            next: 0,
            transactions: Vec::new(),
        }));
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(answer)))
            .workers(1)
            .bind("127.0.0.1:0")
            .unwrap();
        let port = server.addrs()[0].port();
        actix_web::rt::spawn(server.run());
        Self {
            base: format!("http://127.0.0.1:{port}/"),
            state,
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state.lock().unwrap().mode = mode;
    }

    /// What `GET /v1/balance_transactions?payout=…` lists.
    pub fn set_transactions(&self, transactions: Vec<Value>) {
        self.state.lock().unwrap().transactions = transactions;
    }

    /// A request that reached Stripe under `key` with `body` but whose answer was lost
    /// (the server stopped before recording it): a retry under that key with another body
    /// is refused, as Stripe refuses it.
    pub fn answered_before(&self, key: &str, body: &str) {
        let mut s = self.state.lock().unwrap();
        s.first_bodies.insert(key.to_owned(), body.to_owned());
        s.created.insert(key.to_owned(), "cs_test_lost".to_owned());
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }
}

/// `Stripe-Signature` for a body, computed as Stripe documents it.
pub fn stripe_signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let sig: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={sig}")
}

/// An event as Stripe sends it (the fields used, plus some we ignore).
pub fn event(id: &str, kind: &str, object: Value) -> String {
    json!({
        "id": id, "object": "event", "api_version": "2026-09-30.endive", "created": 1_790_000_000,
        "livemode": false, "pending_webhooks": 1, "type": kind,
        "request": {"id": null, "idempotency_key": null},
        "data": {"object": object}
    })
    .to_string()
}

/// A balance transaction as Stripe lists it, its source expanded.
pub fn transaction(id: &str, kind: &str, amount: i64, fee: i64, payment_intent: &str) -> Value {
    json!({
        "id": id, "object": "balance_transaction", "type": kind, "amount": amount, "fee": fee,
        "net": amount - fee, "currency": "eur", "status": "available", "reporting_category": kind,
        "source": {"id": format!("src_{id}"), "object": kind, "payment_intent": payment_intent}
    })
}
