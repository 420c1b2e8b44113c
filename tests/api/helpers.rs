//! Test harness: a fresh database per test, the real application on port 0, and a small
//! HTTP client that speaks the API.

use std::path::PathBuf;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use servicepunt::app::Application;
use servicepunt::auth::Role;
use servicepunt::auth::store::{self, NewUser};
use servicepunt::config::{RawSettings, Settings};
use servicepunt::db::{self, DbPool};
use servicepunt::domain::{Email, Language};

pub const JWT_SECRET: &str = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
pub const PASSWORD: &str = "paarse-tulp-bij-de-molen";

/// [`PASSWORD`] as stored for every account the suite makes directly: an argon2id hash
/// at the least cost argon2 allows. Logging in checks against it as against any stored
/// hash (the check reads its cost from the hash) in a fraction of the tens of
/// milliseconds of a core the service's own cost takes, and most tests log in once or
/// twice. Accounts made through the API (registration, a chosen password) get the
/// service's cost.
static PASSWORD_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use argon2::password_hash::PasswordHasher;
    let least = argon2::Params::new(argon2::Params::MIN_M_COST, 1, 1, None).unwrap();
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, least)
        .hash_password(PASSWORD.as_bytes())
        .unwrap()
        .to_string()
});

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// An empty database: the app migrates it as it starts.
    pub fn new() -> Self {
        Self::create(false)
    }

    /// A database with every migration applied, copied from one migrated once
    /// ([`crate::db_template`]).
    pub fn migrated() -> Self {
        Self::create(true)
    }

    fn create(migrated: bool) -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                let name = format!("sp_test_{}", uuid::Uuid::new_v4().simple());
                let (base, query) = match admin_url.split_once('?') {
                    Some((b, q)) => (b, format!("?{q}")),
                    None => (admin_url.as_str(), String::new()),
                };
                let (server, _) = base.rsplit_once('/').expect("a database URL has a path");
                let template = if migrated {
                    format!(" TEMPLATE {}", crate::db_template::postgres(&admin_url, server, &query))
                } else {
                    String::new()
                };
                let mut admin = PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL must be reachable");
                diesel::sql_query(format!("CREATE DATABASE {name}{template}"))
                    .execute(&mut admin)
                    .unwrap();
                TestDb {
                    url: format!("{server}/{name}{query}"),
                    cleanup: Cleanup::Postgres {
                        admin_url: admin_url.clone(),
                        name,
                    },
                }
            }
            _ => {
                let dir = tempfile::tempdir().unwrap();
                let file = dir.path().join("test.db");
                if migrated {
                    std::fs::copy(crate::db_template::sqlite(), &file).unwrap();
                }
                TestDb {
                    url: file.to_string_lossy().into_owned(),
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Postgres { .. })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    }
}

pub fn test_settings(db: &TestDb, data_dir: PathBuf) -> RawSettings {
    RawSettings {
        database_url: Some(db.url.clone()),
        bind: "127.0.0.1:0".into(),
        jwt_secret: Some(JWT_SECRET.into()),
        data_dir,
        db_pool_size: 8,
        workers: Some(2),
        // Timed messages run when the tests say (reminders are tested by calling them).
        timers: false,
        // No worker empties the outbox: a test reads what a mail says from the outbox, and
        // the worker strips a message's content once sent (it did, mid-test, on a slow CI
        // run). Tests of delivery turn it on (`mail::mail_to`).
        outbox_worker: false,
        // Tests register many accounts from one address; the limit has its own test.
        public_requests_per_minute: 10_000,
        // Many tests register residents one after another; the floor has its own test.
        account_answer_floor_ms: 0,
        ..RawSettings::default()
    }
}

pub struct TestApp {
    pub address: String,
    pub pool: DbPool,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub data_dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(customise: impl FnOnce(&mut RawSettings)) -> TestApp {
    let db = TestDb::migrated();
    let data_dir = tempfile::tempdir().unwrap();
    let mut raw = test_settings(&db, data_dir.path().to_path_buf());
    customise(&mut raw);
    let app = Application::build(Settings::from_raw(raw).unwrap()).await.unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let pool = app.pool();
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        address,
        pool,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Below the server's keep-alive (actix: 5 s): a connection idle longer may be
            // closing on the server's side just as it is reused, and the request fails.
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap(),
        db,
        data_dir,
    }
}

/// Another instance of the application on the same database, as behind a load balancer.
pub struct Instance {
    pub address: String,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn another_instance(&self) -> Instance {
        let data_dir = tempfile::tempdir().unwrap();
        let raw = test_settings(&self.db, data_dir.path().to_path_buf());
        let app = Application::build(Settings::from_raw(raw).unwrap()).await.unwrap();
        let address = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        Instance {
            address,
            _data_dir: data_dir,
        }
    }
}

/// A response read whole: status, headers and the JSON body (or `Null`).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// An answer read whole: its body parsed as JSON (`Null` when it is not).
    pub fn new(status: StatusCode, headers: reqwest::header::HeaderMap, text: String) -> Self {
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Self {
            status,
            headers,
            body,
            text,
        }
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts the response is a problem document with this status and code.
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(self.content_type(), "application/problem+json", "body: {}", self.text);
        assert_eq!(self.body["code"], code, "body: {}", self.text);
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].is_string() && self.body["type"].is_string() && self.body["detail"].is_string());
    }

    /// Asserts the response is a 422 whose first error is `code` on `field`.
    pub fn assert_field_problem(&self, field: &str, code: &str) {
        self.assert_problem(422, "validation_failed");
        assert_eq!(self.body["errors"][0]["field"], field, "body: {}", self.text);
        assert_eq!(self.body["errors"][0]["code"], code, "body: {}", self.text);
    }

    /// The fields a 422 problem names, in its order.
    pub fn error_fields(&self) -> Vec<&str> {
        assert_eq!(self.status.as_u16(), 422, "body: {}", self.text);
        self.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect()
    }
}

/// Sends `request` (to this process's app or to a spawned binary) and checks the answer
/// against the contract.
pub async fn send_checked(request: reqwest::RequestBuilder) -> Reply {
    let (client, request) = request.build_split();
    let request = request.expect("a well-formed request");
    let method = request.method().clone();
    let response = client.execute(request).await.expect("request failed");
    let status = response.status();
    let path = response.url().path().to_owned();
    let headers = response.headers().clone();
    let reply = Reply::new(status, headers, response.text().await.unwrap());
    crate::contract::check(&method, &path, &reply);
    reply
}

/// The committed API contract, `openapi/openapi.json`, as text.
pub fn committed_contract() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
        .expect("openapi/openapi.json is committed")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// GET `path` asking for CSV (`Accept: text/csv`), as `token`.
    pub async fn get_csv(&self, path: &str, token: &str) -> Reply {
        let request = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .header("accept", "text/csv");
        self.send(request).await
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        send_checked(request).await
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    /// Creates an account directly in the database (as `servicepunt user create` does).
    pub async fn create_user(&self, email: &str, role: Role) -> i64 {
        let pool = self.pool.clone();
        let email = Email::parse(email).unwrap();
        actix_web::web::block(move || {
            let mut conn = pool.get().unwrap();
            let new = NewUser {
                email: &email,
                name: "Test Gebruiker",
                role,
                password_hash: &PASSWORD_HASH,
                language: Language::Nl,
            };
            store::insert_user(&mut conn, &new, db::now()).unwrap()
        })
        .await
        .unwrap()
    }

    pub async fn login(&self, email: &str) -> Value {
        let reply = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.body
    }

    /// A new account of `role`, logged in; returns its access token.
    pub async fn token_for(&self, role: Role) -> String {
        let email = format!("{}-{}@servicepunt.example", role, uuid::Uuid::new_v4().simple());
        self.create_user(&email, role).await;
        self.login(&email).await["access_token"].as_str().unwrap().to_owned()
    }

    /// Registers a resident account as a resident does — the registration, then the link
    /// in the email — and returns (access token, resident id, user id).
    pub async fn register_resident(&self, email: &str) -> (String, i64, i64) {
        let reply = self.register(registration(email)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        (
            reply.body["tokens"]["access_token"].as_str().unwrap().to_owned(),
            reply.body["resident"]["id"].as_i64().unwrap(),
            reply.body["user_id"].as_i64().unwrap(),
        )
    }

    /// Links `proxy_email`'s account to `resident` as a family member acting for them,
    /// with consent, as `token` (the resident or staff); the link's id.
    pub async fn grant_proxy(&self, resident: i64, token: &str, proxy_email: &str) -> i64 {
        let granted = self
            .post(
                &format!("/api/v1/residents/{resident}/proxies"),
                Some(token),
                json!({"proxy_email": proxy_email, "relationship": "dochter", "consent": true}),
            )
            .await;
        assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
        granted.body["id"].as_i64().unwrap()
    }

    /// Revokes the proxy link `link` of `resident`, as `token`.
    pub async fn revoke_proxy(&self, resident: i64, token: &str, link: i64) {
        let path = format!("/api/v1/residents/{resident}/proxies/{link}");
        let revoked = self.call(Method::DELETE, &path, Some(token), None).await;
        assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    }

    /// Sends a registration and confirms it with the mailed token; the confirmation's
    /// answer.
    pub async fn register(&self, body: Value) -> Reply {
        let email = body["email"].as_str().unwrap().to_owned();
        let reply = self.post("/api/v1/auth/register", None, body).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text);
        let token = crate::mailed::confirmation_token(self, &email).await;
        self.post("/api/v1/auth/register/confirm", None, json!({"token": token}))
            .await
    }
}

pub fn registration(email: &str) -> Value {
    json!({
        "email": email,
        "password": PASSWORD,
        "name": "Anna de Vries",
        "phone": "0318 123456",
        "address": {"street": "Molenstraat", "house_number": "12a", "postcode": "6711ab", "city": "Ede"}
    })
}

pub fn resident_body(name: &str, postcode: &str) -> Value {
    json!({
        "name": name,
        "address": {"street": "Dorpsstraat", "house_number": "1", "postcode": postcode, "city": "Ede"}
    })
}

/// A service as the coordinator adds it; returns its id.
pub async fn create_service(
    app: &TestApp,
    coordinator: &str,
    name: &str,
    category: &str,
    around_home: bool,
    max_minutes: i64,
) -> i64 {
    let reply = app
        .post(
            "/api/v1/services",
            Some(coordinator),
            json!({
                "kind": if around_home { "klus" } else { "dienst" },
                "category": category,
                "name": {"nl": name, "en": name},
                "description": {"nl": "Omschrijving", "en": "Description"},
                "around_home": around_home,
                "default_minutes": 60,
                "max_minutes": max_minutes,
                "required_skill": if around_home { Some("tuinieren") } else { None },
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// An order body for `service_id`.
pub fn order_body(service_id: i64, minutes: i64) -> Value {
    json!({
        "service_id": service_id,
        "description": "De heg langs het tuinpad knippen",
        "estimated_minutes": minutes,
        "otherwise_not_done": true,
    })
}

/// A participant in an active participatiebaan, available every day from 08:00 to 21:30,
/// with 40 contracted hours and the skill `tuinieren`; returns their id.
pub async fn create_participant(app: &TestApp, coordinator: &str, name: &str, clearance: &str) -> i64 {
    let availability: Vec<Value> = (0..7)
        .flat_map(|d| ["morning", "afternoon", "evening"].map(move |p| json!({"weekday": d, "dagdeel": p})))
        .collect();
    let reply = app
        .post(
            "/api/v1/participants",
            Some(coordinator),
            json!({
                "name": name,
                "skills": ["tuinieren"],
                "clearance": clearance,
                "contracted_hours_per_week": 40,
                "availability": availability,
                "wijk": "Veldhuizen",
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["id"].as_i64().unwrap();
    let start = servicepunt::clock::today() - chrono::Duration::days(30);
    let t = app
        .post(
            &format!("/api/v1/participants/{id}/trajectories"),
            Some(coordinator),
            json!({"kind": "participatiebaan", "starts_on": start}),
        )
        .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.text);
    id
}

/// A participant without a trajectory yet (new, 32 hours a week); their id.
pub async fn bare_participant(app: &TestApp, coordinator: &str, name: &str) -> i64 {
    let reply = app
        .post(
            "/api/v1/participants",
            Some(coordinator),
            json!({"name": name, "clearance": "new", "contracted_hours_per_week": 32}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// Starts the trajectory `body` (kind, starts_on, ends_on) for participant `id`; the
/// answer's body (with `id` and `ends_on`).
pub async fn start_trajectory(app: &TestApp, coordinator: &str, id: i64, body: Value) -> Value {
    let path = format!("/api/v1/participants/{id}/trajectories");
    let reply = app.post(&path, Some(coordinator), body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body
}

/// Erases participant `id`'s data (AVG), as the coordinator does on their request.
pub async fn erase_participant(app: &TestApp, coordinator: &str, id: i64) {
    let erased = app
        .post(
            &format!("/api/v1/participants/{id}/erase"),
            Some(coordinator),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(erased.status, StatusCode::NO_CONTENT, "{}", erased.text);
}

/// Ends a participant's first trajectory on `on` (regular work); returns its id.
pub async fn end_trajectory(app: &TestApp, coordinator: &str, participant: i64, on: chrono::NaiveDate) -> i64 {
    let trajectories = app
        .get(
            &format!("/api/v1/participants/{participant}/trajectories"),
            Some(coordinator),
        )
        .await;
    let id = trajectories.body[0]["id"].as_i64().unwrap();
    let end = app
        .post(
            &format!("/api/v1/trajectories/{id}/end"),
            Some(coordinator),
            json!({"on": on, "exit_reason": "regular_work"}),
        )
        .await;
    assert_eq!(end.status, StatusCode::OK, "{}", end.text);
    id
}

/// The next whole hour from `hour`:00 Dutch time that is still ahead (today or tomorrow),
/// as RFC 3339 start and end strings `minutes` apart.
pub fn next_local(hour: u32, minutes: i64) -> (String, String) {
    local_span(next_day_at(hour), hour, minutes)
}

/// The next day (today or tomorrow, Dutch time) on which `hour` o'clock is still to come.
/// Spans that must fall on one day take their day from this once: two calls of
/// [`next_local`] for different hours can land on different days.
pub fn next_day_at(hour: u32) -> chrono::NaiveDate {
    let now = chrono::Utc::now();
    let today = servicepunt::clock::local_date(now);
    let local = today.and_hms_opt(hour, 0, 0).unwrap();
    if servicepunt::planning::rules::Slot::from_local(local, local)
        .utc_start
        .and_utc()
        > now
    {
        today
    } else {
        today.succ_opt().unwrap()
    }
}

/// `minutes` from `hour` o'clock (Dutch time) on `day`, as RFC 3339 UTC instants.
pub fn local_span(day: chrono::NaiveDate, hour: u32, minutes: i64) -> (String, String) {
    let local = day.and_hms_opt(hour, 0, 0).unwrap();
    let slot = servicepunt::planning::rules::Slot::from_local(local, local + chrono::Duration::minutes(minutes));
    (
        slot.utc_start.and_utc().to_rfc3339(),
        slot.utc_end.and_utc().to_rfc3339(),
    )
}

/// An app with a coordinator, a werkleider and a hedge-trimming klus in the catalogue.
pub struct World {
    pub app: TestApp,
    pub coordinator: String,
    pub werkleider: String,
    pub hedge: i64,
}

pub async fn world() -> World {
    world_with(|_| {}).await
}

pub async fn world_with(customise: impl FnOnce(&mut RawSettings)) -> World {
    let app = spawn_app_with(customise).await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let werkleider = app.token_for(Role::Werkleider).await;
    let hedge = create_service(&app, &coordinator, "Heg snoeien", "tuin", true, 300).await;
    World {
        app,
        coordinator,
        werkleider,
        hedge,
    }
}

impl TestApp {
    /// Runs `f` on a connection of the app's pool, off the async runtime: a use case or a
    /// timer's round called directly, or a look at what is stored.
    pub async fn db<R, F>(&self, f: F) -> R
    where
        F: FnOnce(&mut db::DbConn) -> R + Send + 'static,
        R: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || f(&mut pool.get().unwrap()))
            .await
            .unwrap()
    }
}

/// The single BIGINT column `n` of a counting query, e.g.
/// `SELECT CAST(COUNT(*) AS BIGINT) AS n FROM jobs`.
pub async fn count_rows(app: &TestApp, sql: impl Into<String>) -> i64 {
    let sql: String = sql.into();
    app.db(move |conn| {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::RunQueryDsl::get_result::<N>(diesel::sql_query(sql), conn)
            .unwrap()
            .n
    })
    .await
}

/// Runs one SQL statement on the app's database, outside the app (a fault to inject, a
/// change made by another process).
pub async fn execute_sql(app: &TestApp, sql: impl Into<String>) {
    let sql: String = sql.into();
    app.db(move |conn| diesel::RunQueryDsl::execute(diesel::sql_query(sql), conn))
        .await
        .unwrap();
}
