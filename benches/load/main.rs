//! Load and scale benchmark: the real server binary under load, on the backend named by
//! `TEST_DATABASE_URL` (PostgreSQL; an admin URL to create a database from) or else an
//! embedded SQLite file. Prints one table: per endpoint the peak throughput and its
//! latency, the latency at 70 % of that peak, the peak resident memory, and the figure
//! beside its ceiling measured in the same run (the trivial `/health` endpoint for
//! reads, the same use case called directly on the database for writes). On PostgreSQL
//! it then fills a million cheques and ten million journal lines and times the finance
//! reports. When `wrk` is installed, the reads are measured with it too (`wrk.rs`).
//!
//! Run both backends: `bench/run`. One: `cargo bench --bench load` (SQLite), or
//! `scripts/with-postgres cargo bench --bench load`. Knobs: BENCH_SECONDS (per run,
//! default 5), BENCH_CONNECTIONS (default 32), BENCH_SCALE=0 skips the scale part,
//! BENCH_ONLY=<text> runs only the scenarios whose name contains it, BENCH_PERFORMED the
//! performed jobs generated for the confirmations (16,000 on SQLite, 10,000 on PostgreSQL).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod driver;
mod report;
mod scale;
mod scenarios;
mod seed;
mod server;
mod wrk;

use std::rc::Rc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use servicepunt::config::{RawSettings, Settings};

use crate::report::Row;
use crate::scenarios::{Context, Kind, Tokens};
use crate::server::Server;

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A fresh database: a file for SQLite, a new database on the PostgreSQL server.
fn database(dir: &std::path::Path) -> (String, &'static str) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!("bench_{}", std::process::id());
            let mut conn = diesel::PgConnection::establish(&admin).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .unwrap();
            let (base, _) = admin.rsplit_once('/').unwrap();
            (format!("{base}/{name}"), "PostgreSQL")
        }
        Err(_) => (dir.join("bench.db").to_string_lossy().into_owned(), "SQLite"),
    }
}

async fn login(client: &reqwest::Client, base: &str, email: &str) -> String {
    let r: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": seed::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["access_token"].as_str().expect("a token").to_owned()
}

/// Resident memory of the server sampled every 20 ms while `work` runs; the highest seen.
async fn with_rss<T>(server: &Server, work: impl std::future::Future<Output = T>) -> (T, f64) {
    let peak = Rc::new(std::cell::Cell::new(server.rss_mib()));
    let running = Rc::new(std::cell::Cell::new(true));
    let sampler = {
        let (peak, running, pid_rss) = (peak.clone(), running.clone(), server.sampler());
        actix_web::rt::spawn(async move {
            while running.get() {
                peak.set(peak.get().max(pid_rss()));
                actix_web::rt::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let out = work.await;
    running.set(false);
    let _ = sampler.await;
    (out, peak.get().max(server.rss_mib()))
}

async fn run() {
    let seconds = Duration::from_secs(knob("BENCH_SECONDS", 5));
    let connections = knob("BENCH_CONNECTIONS", 32) as usize;
    let dir = tempfile::tempdir().unwrap();
    let (url, backend) = database(dir.path());
    let raw = RawSettings {
        database_url: Some(url.clone()),
        jwt_secret: Some(server::JWT_SECRET.into()),
        data_dir: dir.path().to_path_buf(),
        ..RawSettings::default()
    };
    let settings = Settings::from_raw(raw).unwrap();
    let pool = servicepunt::db::build_pool(&url, &settings.pool).unwrap();
    servicepunt::db::run_migrations(&mut pool.get().unwrap()).unwrap();

    // Each confirmation spends a performed job: enough for the direct run, the peak and
    // the run at 70 % (SQLite confirms about 900 a second; PostgreSQL about 650 and
    // takes longer to generate them).
    let performed = knob("BENCH_PERFORMED", if backend == "SQLite" { 16_000 } else { 10_000 }) as usize;
    let t = Instant::now();
    let world = seed::fill(&settings, &pool, performed);
    eprintln!(
        "load: {backend}: {} residents, {} performed jobs generated in {:.1} s",
        world.residents.len(),
        world.performed.len(),
        t.elapsed().as_secs_f64()
    );

    let server = Server::start(&url, dir.path()).await;
    // The server closes a keep-alive connection idle for 5 s (actix's default). A client
    // that keeps it longer can send a request on it just as the close is on its way and
    // get no answer (`IncompleteMessage`); the pool drops a connection idle for 4 s
    // before it would hand it out again, so the client always lets go first.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .pool_idle_timeout(Duration::from_secs(4))
        .build()
        .unwrap();
    let tokens = Tokens {
        werkleider: login(&client, &server.base, "werkleider@bench.example").await,
        finance: login(&client, &server.base, "finance@bench.example").await,
    };
    let cx = Context {
        client,
        base: server.base.clone(),
        tokens: Rc::new(tokens),
        world: Rc::new(world),
        pool,
        settings: Rc::new(settings),
        run: format!("{}", std::process::id()),
    };

    // Warm up connections and caches, then the HTTP ceiling.
    let health = scenarios::health(&cx);
    driver::closed(&health, connections, Duration::from_secs(1), &AtomicU64::new(0)).await;
    let (ceiling, rss) = with_rss(
        &server,
        driver::closed(&health, connections, seconds, &AtomicU64::new(0)),
    )
    .await;
    let mut rows = vec![Row::ceiling(&ceiling, rss)];
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    // wrk measures each read right after the bench's client, on the same data (the writes
    // after them add to the waiting list and the books).
    let wrk = wrk::version().map(|version| {
        let health = scenarios::health_get(&cx);
        wrk::run(&health, connections, Duration::from_secs(1));
        (version, wrk::run(&health, connections, seconds))
    });
    let mut wrk_rows = Vec::new();
    for s in scenarios::all(&cx).into_iter().filter(|s| s.name.contains(&only)) {
        eprintln!("load: {backend}: {}", s.name);
        let counter = AtomicU64::new(0);
        let (peak, rss) = with_rss(&server, driver::closed(&s.http, connections, seconds, &counter)).await;
        let rate = 0.7 * peak.throughput();
        let (at70, rss70) = with_rss(&server, driver::open(&s.http, rate, seconds, connections, &counter)).await;
        let db = driver::closed(&s.direct, connections, seconds, &AtomicU64::new(0)).await;
        for (phase, r) in [("peak", &peak), ("70 %", &at70), ("direct", &db)] {
            if r.errors > 0 {
                eprintln!(
                    "load: {backend}: {}: {} of {} unexpected answers in the {phase} run",
                    s.name, r.errors, r.done
                );
            }
        }
        if s.kind == Kind::Read {
            eprintln!(
                "load: {backend}: {}: the same work called directly: {:.0} per second",
                s.name,
                db.throughput()
            );
        }
        let against = if s.kind == Kind::Write {
            db.throughput()
        } else {
            ceiling.throughput()
        };
        rows.push(Row::endpoint(&s, &peak, &at70, &db, against, rss.max(rss70)));
        if let (Some(_), Some(get)) = (&wrk, &s.wrk) {
            eprintln!("load: {backend}: {}: with wrk", s.name);
            wrk_rows.push((s.name.clone(), wrk::run(get, connections, seconds)));
        }
    }
    report::print(backend, &rows, server.peak_rss_mib(), connections, seconds);
    match &wrk {
        Some((version, ceiling)) => wrk::print(version, backend, ceiling, &wrk_rows, connections, seconds.as_secs()),
        None => eprintln!("load: wrk is not installed (apt-get install wrk): the reads were not measured with it too"),
    }

    if backend == "PostgreSQL" && knob("BENCH_SCALE", 1) == 1 {
        scale::run(&cx, &server).await;
    }
}

fn main() {
    actix_web::rt::System::new().block_on(run());
}
