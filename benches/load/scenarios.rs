//! The six measured endpoints. Each comes twice: over HTTP against the running server,
//! and as the same use case called directly on a database pool in this process (the same
//! SQL in the same transactions, without HTTP, JSON or authentication): its ceiling.

use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use actix_web::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};
use servicepunt::auth::{AuthUser, Role};
use servicepunt::cheques::sale::{self, CounterSale, Payment};
use servicepunt::config::Settings;
use servicepunt::db::{self, DbPool};
use servicepunt::error::ApiError;
use servicepunt::jobs::input::{self, OrderInput};
use servicepunt::{idempotency, jobs, ledger, planning};

use crate::driver::{Source, Work};
use crate::seed::World;
use crate::wrk;

#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Read,
    Write,
}

pub struct Scenario {
    pub name: String,
    pub kind: Kind,
    pub http: Source,
    pub direct: Source,
    /// A read as wrk asks for it (see `wrk.rs`).
    pub wrk: Option<wrk::Get>,
}

pub struct Tokens {
    pub werkleider: String,
    pub finance: String,
}

/// What every scenario needs: where the server is, who calls, and the data.
#[derive(Clone)]
pub struct Context {
    pub client: reqwest::Client,
    pub base: String,
    pub tokens: Rc<Tokens>,
    pub world: Rc<World>,
    pub pool: DbPool,
    pub settings: Rc<Settings>,
    /// Tells this run's idempotency keys apart from another's on the same database.
    pub run: String,
}

/// How many unexpected answers have been described on stderr; the first few are, so a
/// failed row says what went wrong.
static DESCRIBED: AtomicU32 = AtomicU32::new(0);

fn unexpected(what: std::fmt::Arguments<'_>) {
    if DESCRIBED.fetch_add(1, Ordering::Relaxed) < 10 {
        eprintln!("load: unexpected answer: {what}");
    }
}

fn http(request: reqwest::RequestBuilder, expect: u16) -> Option<Work> {
    Some(Box::pin(async move {
        match request.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                match r.bytes().await {
                    Ok(_) if status == expect => true,
                    Ok(body) => {
                        let body = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
                        unexpected(format_args!("{status} {body}"));
                        false
                    }
                    Err(e) => {
                        unexpected(format_args!("{status}, body not read: {e:?}"));
                        false
                    }
                }
            }
            Err(e) => {
                unexpected(format_args!("no answer: {e:?}"));
                false
            }
        }
    }))
}

/// The use case called on the pool as the server calls it: in one snapshot (`snapshot`),
/// or statement by statement.
fn direct<T: Send + 'static>(
    pool: &DbPool,
    snapshot: bool,
    f: impl FnOnce(&mut db::DbConn) -> Result<T, ApiError> + Send + 'static,
) -> Option<Work> {
    let pool = pool.clone();
    Some(Box::pin(async move {
        if snapshot {
            db::run_snapshot(&pool, f).await.is_ok()
        } else {
            db::run(&pool, f).await.is_ok()
        }
    }))
}

fn month_start(today: NaiveDate) -> NaiveDate {
    today.with_day(1).unwrap_or(today)
}

pub fn all(cx: &Context) -> Vec<Scenario> {
    vec![
        services(cx),
        planning(cx, Ask::Fresh),
        planning(cx, Ask::Plain),
        planning(cx, Ask::Gzip),
        reconciliation(cx, Ask::Fresh),
        reconciliation(cx, Ask::Plain),
        orders(cx),
        sales(cx),
        confirmations(cx),
    ]
}

pub fn health(cx: &Context) -> Source {
    let cx = cx.clone();
    Rc::new(move |_| http(cx.client.get(format!("{}/health", cx.base)), 200))
}

/// A read for wrk: the address, and the token and headers the bench's client sends.
fn get(name: &str, url: String, token: Option<&str>, ask: Option<Ask>) -> wrk::Get {
    let mut headers = Vec::new();
    if let Some(token) = token {
        headers.push(("Authorization", format!("Bearer {token}")));
    }
    match ask {
        Some(Ask::Fresh) => headers.push(("Cache-Control", "no-cache".to_owned())),
        Some(Ask::Gzip) => headers.push(("Accept-Encoding", "gzip".to_owned())),
        Some(Ask::Plain) | None => {}
    }
    wrk::Get {
        name: name.to_owned(),
        url,
        headers,
    }
}

pub fn health_get(cx: &Context) -> wrk::Get {
    get("GET /health", format!("{}/health", cx.base), None, None)
}

fn services(cx: &Context) -> Scenario {
    let (a, b) = (cx.clone(), cx.clone());
    let name = "GET /api/v1/services";
    Scenario {
        wrk: Some(get(name, format!("{}/api/v1/services", cx.base), None, None)),
        name: name.into(),
        kind: Kind::Read,
        http: Rc::new(move |_| http(a.client.get(format!("{}/api/v1/services", a.base)), 200)),
        direct: Rc::new(move |_| {
            direct(&b.pool, false, |conn| {
                Ok(servicepunt::catalogue::store::list(conn, false)?)
            })
        }),
    }
}

/// How a read is asked for: as the first client of the day (`Cache-Control: no-cache`
/// makes the server build the answer), as the bench's plain client, or as a browser
/// (gzip accepted; the bytes are not unpacked here, as a client would after receiving).
#[derive(Clone, Copy)]
enum Ask {
    Fresh,
    Plain,
    Gzip,
}

impl Ask {
    fn apply(self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Ask::Fresh => request.header("cache-control", "no-cache"),
            Ask::Plain => request,
            Ask::Gzip => request.header("accept-encoding", "gzip"),
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Ask::Fresh => ", built each time",
            Ask::Plain => "",
            Ask::Gzip => ", gzip",
        }
    }
}

fn planning(cx: &Context, ask: Ask) -> Scenario {
    let (a, b) = (cx.clone(), cx.clone());
    let from = servicepunt::clock::today();
    let to = from + Duration::days(6);
    let name = format!("GET /api/v1/planning (a week{})", ask.suffix());
    let url = format!("{}/api/v1/planning?from={from}&to={to}", cx.base);
    Scenario {
        wrk: Some(get(&name, url, Some(&cx.tokens.werkleider), Some(ask))),
        name,
        kind: Kind::Read,
        http: Rc::new(move |_| {
            let url = format!("{}/api/v1/planning?from={from}&to={to}", a.base);
            http(ask.apply(a.client.get(url).bearer_auth(&a.tokens.werkleider)), 200)
        }),
        direct: Rc::new(move |_| {
            direct(&b.pool, true, move |conn| {
                let settings = servicepunt::jobs::settings::JobSettings::default();
                planning::board::build(conn, from, to, &settings, db::now())
            })
        }),
    }
}

fn reconciliation(cx: &Context, ask: Ask) -> Scenario {
    let (a, b) = (cx.clone(), cx.clone());
    let to = servicepunt::clock::today();
    let from = month_start(to);
    let name = format!("GET /api/v1/finance/reconciliation (this month{})", ask.suffix());
    let url = format!("{}/api/v1/finance/reconciliation?from={from}&to={to}", cx.base);
    Scenario {
        wrk: Some(get(&name, url, Some(&cx.tokens.finance), Some(ask))),
        name,
        kind: Kind::Read,
        http: Rc::new(move |_| {
            let url = format!("{}/api/v1/finance/reconciliation?from={from}&to={to}", a.base);
            http(ask.apply(a.client.get(url).bearer_auth(&a.tokens.finance)), 200)
        }),
        direct: Rc::new(move |_| direct(&b.pool, true, move |conn| ledger::reconciliation::build(conn, from, to))),
    }
}

fn order_body(world: &World, i: u64) -> Value {
    let i = i as usize;
    json!({
        "service_id": world.services[i % world.services.len()],
        "recipient_id": world.residents[(i / world.services.len()) % world.residents.len()],
        "channel": "phone",
        "description": format!("Klus {i}"),
        "otherwise_not_done": true,
    })
}

fn orders(cx: &Context) -> Scenario {
    let (a, b) = (cx.clone(), cx.clone());
    Scenario {
        name: "POST /api/v1/jobs".into(),
        kind: Kind::Write,
        wrk: None,
        http: Rc::new(move |i| {
            let request = a
                .client
                .post(format!("{}/api/v1/jobs", a.base))
                .bearer_auth(&a.tokens.werkleider)
                .header("Idempotency-Key", format!("{}-http-order-{i}", a.run))
                .json(&order_body(&a.world, i));
            http(request, 201)
        }),
        direct: Rc::new(move |i| {
            let body = order_body(&b.world, i);
            let (pool, settings) = (b.pool.clone(), b.settings.jobs.clone());
            let user = AuthUser {
                id: b.world.werkleider,
                role: Role::Werkleider,
            };
            let key = format!("{}-direct-order-{i}", b.run);
            Some(Box::pin(async move {
                let hash = idempotency::fingerprint("POST /api/v1/jobs", &body);
                let Ok(input) = serde_json::from_value::<OrderInput>(body) else {
                    return false;
                };
                let today = servicepunt::clock::today();
                let Ok(description) = input::check(&input, today) else {
                    return false;
                };
                idempotency::run(&pool, user.id, Some(key), hash, Some("/api/v1/jobs"), move |conn| {
                    let now = db::now();
                    let job = jobs::order::place(conn, &user, &input, &description, &settings, today, now)?;
                    let view = jobs::views::view_one(conn, job, true, now)?;
                    Ok((
                        StatusCode::CREATED,
                        serde_json::to_value(view).map_err(ApiError::internal)?,
                    ))
                })
                .await
                .is_ok_and(|r| r.status() == StatusCode::CREATED)
            }))
        }),
    }
}

fn sale_body(world: &World, i: u64) -> Value {
    json!({
        "cash_session_id": world.session,
        "resident_id": world.residents[i as usize % world.residents.len()],
        "product_id": world.product,
        "quantity": 2,
        "payment_method": "pin",
    })
}

fn sales(cx: &Context) -> Scenario {
    let (a, b) = (cx.clone(), cx.clone());
    Scenario {
        name: "POST /api/v1/cheque-sales".into(),
        kind: Kind::Write,
        wrk: None,
        http: Rc::new(move |i| {
            let request = a
                .client
                .post(format!("{}/api/v1/cheque-sales", a.base))
                .bearer_auth(&a.tokens.finance)
                .header("Idempotency-Key", format!("{}-http-sale-{i}", a.run))
                .json(&sale_body(&a.world, i));
            http(request, 201)
        }),
        direct: Rc::new(move |i| {
            let body = sale_body(&b.world, i);
            let (pool, settings, by) = (b.pool.clone(), b.settings.jobs.subsidy.clone(), b.world.finance);
            let request = CounterSale {
                cash_session_id: b.world.session,
                resident_id: body["resident_id"].as_i64().unwrap_or_default(),
                product_id: b.world.product,
                quantity: 2,
                payment: Payment::Pin,
            };
            let key = format!("{}-direct-sale-{i}", b.run);
            Some(Box::pin(async move {
                let hash = idempotency::fingerprint("POST /api/v1/cheque-sales", &body);
                idempotency::run(&pool, by, Some(key), hash, None, move |conn| {
                    let today = servicepunt::clock::today();
                    let result = sale::sell(conn, by, &request, &settings, today, db::now())?;
                    Ok((
                        StatusCode::CREATED,
                        serde_json::to_value(result).map_err(ApiError::internal)?,
                    ))
                })
                .await
                .is_ok_and(|r| r.status() == StatusCode::CREATED)
            }))
        }),
    }
}

/// Confirmation by staff for the resident (the answer taken by phone): the job's cheques
/// are redeemed in the same transaction. Each request takes the next performed job: the
/// HTTP runs from the first half, the direct run from the second.
fn confirmations(cx: &Context) -> Scenario {
    let (a, b) = (cx.clone(), cx.clone());
    Scenario {
        name: "POST /api/v1/jobs/{id}/confirm (redeems)".into(),
        kind: Kind::Write,
        wrk: None,
        http: Rc::new(move |i| {
            let half = a.world.performed.len() / 2;
            let job = *a.world.performed[..half].get(i as usize)?;
            let request = a
                .client
                .post(format!("{}/api/v1/jobs/{job}/confirm", a.base))
                .bearer_auth(&a.tokens.werkleider);
            http(request, 200)
        }),
        direct: Rc::new(move |i| {
            let half = b.world.performed.len() / 2;
            let job = *b.world.performed[half..].get(i as usize)?;
            let by = b.world.werkleider;
            let pool = b.pool.clone();
            let user = AuthUser {
                id: by,
                role: Role::Werkleider,
            };
            Some(Box::pin(async move {
                db::run_tx(&pool, move |conn| {
                    let row = jobs::store::find(conn, job)?.ok_or(ApiError::NotFound)?;
                    if !jobs::access::may_act_for(conn, &user, row.recipient_id)? {
                        return Err(ApiError::NotFound);
                    }
                    let now = db::now();
                    let row = servicepunt::hours::completion::confirm(
                        conn,
                        &row,
                        Some(by),
                        Some("confirmed by staff for the resident"),
                        now,
                    )?;
                    jobs::views::view_one(conn, row, true, now)
                })
                .await
                .is_ok()
            }))
        }),
    }
}
