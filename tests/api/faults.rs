//! Faults: when the database cannot be had, requests get 503 `database_unavailable` within
//! the acquire timeout instead of hanging, `/ready` says so, and service comes back by
//! itself when the database does; a deadlock PostgreSQL breaks is a conflict to try again,
//! which the server does itself before it answers one.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use servicepunt::auth::Role;
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::{TestApp, TestDb, spawn_app_with};

async fn ready_status(app: &TestApp) -> u16 {
    app.get("/ready", None).await.status.as_u16()
}

/// Read from the database on every request (the public catalogue is kept a few seconds).
const FULL_CATALOGUE: &str = "/api/v1/services?include_inactive=true";

#[actix_web::test]
async fn without_a_database_connection_requests_get_503_in_bounded_time_and_recover() {
    let app = spawn_app_with(|s| {
        s.db_pool_size = 1;
        s.db_acquire_timeout_secs = 1;
    })
    .await;
    let coordinator = app.token_for(Role::Coordinator).await;
    assert_eq!(ready_status(&app).await, 200);
    // Hold the only connection, as a stuck query would.
    let pool = app.pool.clone();
    let (release, held) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let _conn = pool.get().unwrap();
        held.recv().ok();
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let reply = app.get(FULL_CATALOGUE, Some(&coordinator)).await;
    reply.assert_problem(503, "database_unavailable");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert_eq!(reply.headers["retry-after"], "5", "when to try again");
    assert_eq!(ready_status(&app).await, 503);
    release.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(app.get(FULL_CATALOGUE, Some(&coordinator)).await.status, 200);
    assert_eq!(ready_status(&app).await, 200);

    // On PostgreSQL the server can also go away altogether.
    let db = TestDb::new();
    if db.is_postgres() {
        postgres_outage(&db).await;
    }
}

/// A TCP relay to PostgreSQL that can be cut, as a lost network or a stopped server.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
}

impl Relay {
    async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let flag = up.clone();
        actix_web::rt::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let flag = flag.clone();
                let target = target.clone();
                actix_web::rt::spawn(async move {
                    if !flag.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    // Relay until either side closes or the relay is cut.
                    let cut = async {
                        while flag.load(Ordering::SeqCst) {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    };
                    tokio::select! {
                        _ = copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut => {}
                    }
                });
            }
        });
        Self { port, up }
    }
}

/// PostgreSQL behind a relay that is cut and restored: 503 in bounded time, then back.
async fn postgres_outage(db: &TestDb) {
    let (before, after) = db.url.split_once('@').unwrap();
    let (host_port, rest) = after.split_once('/').unwrap();
    let relay = Relay::start(host_port.to_owned()).await;
    let url = format!("{before}@127.0.0.1:{}/{rest}", relay.port);
    let app = spawn_app_with(move |s| {
        s.database_url = Some(url);
        s.db_acquire_timeout_secs = 1;
    })
    .await;
    let coordinator = app.token_for(Role::Coordinator).await;
    assert_eq!(ready_status(&app).await, 200);
    assert_eq!(app.get(FULL_CATALOGUE, Some(&coordinator)).await.status, 200);

    relay.up.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let reply = app.get(FULL_CATALOGUE, Some(&coordinator)).await;
    reply.assert_problem(503, "database_unavailable");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(ready_status(&app).await, 503);

    relay.up.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(15);
    while ready_status(&app).await != 200 {
        assert!(Instant::now() < deadline, "the service did not come back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get(FULL_CATALOGUE, Some(&coordinator)).await.status, 200);
}

#[actix_web::test]
async fn a_use_case_that_panics_does_not_leave_its_transaction_on_a_pooled_connection() {
    // Found by schemathesis: after a panic inside a transaction, the connection went back
    // to the pool with the transaction open and every later request failed.
    let app = spawn_app_with(|s| s.db_pool_size = 1).await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let failed = servicepunt::db::run_tx(&app.pool, |_conn| -> Result<(), servicepunt::error::ApiError> {
        panic!("a bug in a use case")
    })
    .await;
    assert!(failed.is_err());
    for _ in 0..3 {
        assert_eq!(app.get(FULL_CATALOGUE, Some(&coordinator)).await.status, 200);
        let written = servicepunt::db::run_tx(&app.pool, |conn| {
            use diesel::RunQueryDsl;
            Ok(diesel::sql_query("SELECT 1").execute(conn)?)
        })
        .await;
        assert!(written.is_ok(), "{written:?}");
    }
}

/// A deadlock PostgreSQL breaks answers 409 `changed_concurrently`, as any race the
/// database caught does: two transactions take our locks (`db::lock`) on two keys in
/// opposite orders, and the one PostgreSQL ends is recognised by its real message (the
/// server checks at start that messages are in English, which this needs).
#[actix_web::test]
async fn a_deadlock_the_database_breaks_is_a_conflict_to_try_again() {
    use diesel::QueryResult;
    use diesel::connection::Connection;
    use servicepunt::db::{Backend, errors_in_english};
    use servicepunt::error::ApiError;

    let app = crate::helpers::spawn_app().await;
    assert!(app.db(errors_in_english).await.unwrap());
    if app.db(|conn| conn.backend()).await != Backend::Postgres {
        return; // SQLite takes one writer at a time: no deadlock to break.
    }
    let both_hold_one = Arc::new(std::sync::Barrier::new(2));
    let take = |first: &'static str, second: &'static str| {
        let (pool, both_hold_one) = (app.pool.clone(), both_hold_one.clone());
        std::thread::spawn(move || -> QueryResult<()> {
            let conn = &mut pool.get().unwrap();
            conn.transaction(|conn| {
                servicepunt::db::lock(conn, first)?;
                both_hold_one.wait();
                servicepunt::db::lock(conn, second)
            })
        })
    };
    let (a, b) = (take("deadlock a", "deadlock b"), take("deadlock b", "deadlock a"));
    let results = [a.join().unwrap(), b.join().unwrap()];
    let broken: Vec<_> = results.into_iter().filter_map(Result::err).collect();
    assert_eq!(broken.len(), 1, "PostgreSQL ends one of the two: {broken:?}");
    let answer = ApiError::from(broken.into_iter().next().unwrap());
    assert_eq!(answer.problem().code, "changed_concurrently");
}

/// The transaction PostgreSQL ends to break a deadlock is run again by `db::run_tx`, after
/// the other has committed: both writes land, and no one is asked to try again.
#[actix_web::test]
async fn the_transaction_a_deadlock_broke_runs_again_and_both_land() {
    use servicepunt::db::{Backend, DbConn, lock, run_tx};

    let app = crate::helpers::spawn_app().await;
    if app.db(|conn| conn.backend()).await != Backend::Postgres {
        return; // SQLite takes one writer at a time: no deadlock to break.
    }
    let both_hold_one = Arc::new(std::sync::Barrier::new(2));
    let write = |first: &'static str, second: &'static str| {
        let (pool, both_hold_one) = (app.pool.clone(), both_hold_one.clone());
        let mut runs = 0;
        async move {
            run_tx(&pool, move |conn: &mut DbConn| {
                runs += 1;
                lock(conn, first)?;
                if runs == 1 {
                    both_hold_one.wait();
                }
                lock(conn, second)?;
                Ok(runs)
            })
            .await
        }
    };
    let retried = || async {
        let metrics = app.send(app.client.get(app.url("/metrics"))).await.text;
        let line = metrics
            .lines()
            .find_map(|l| l.strip_prefix("servicepunt_transaction_retries_total "))
            .expect("the retry count");
        line.parse::<u64>().unwrap()
    };
    let before = retried().await;
    let (a, b) = futures_util::join!(write("deadlock a", "deadlock b"), write("deadlock b", "deadlock a"));
    let mut runs = [a.unwrap(), b.unwrap()];
    runs.sort_unstable();
    assert_eq!(runs, [1, 2], "PostgreSQL ended one, which then ran again");
    // Other tests of this process may race too: at least this one is counted.
    assert!(retried().await > before, "the retry shows in /metrics");
}
