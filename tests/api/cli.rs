//! The binary as a newcomer uses it: `serve` with no configuration, `migrate`,
//! `user create`, `openapi`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::json;

use servicepunt::auth::Role;

use crate::helpers::{PASSWORD, TestApp, TestDb, send_checked, spawn_app_with};

const BIN: &str = env!("CARGO_BIN_EXE_servicepunt");

pub fn command(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("SERVICEPUNT_PASSWORD")
        .env_remove("SERVICEPUNT_ENV")
        .env("SERVICEPUNT_LOG_FORMAT", "json");
    cmd
}

#[test]
fn openapi_subcommand_prints_the_committed_contract() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path()).arg("openapi").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        crate::helpers::committed_contract()
    );
}

#[actix_web::test]
async fn user_create_then_login_through_the_api() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();

    let migrate = command(dir.path())
        .arg("migrate")
        .env("DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert!(String::from_utf8_lossy(&migrate.stdout).starts_with(&format!("applied {migrations} migration(s)")));

    // Password from standard input.
    let mut child = command(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "Coordinator@Example.nl",
            "--name",
            "Co Ordinator",
            "--role",
            "coordinator",
        ])
        .env("DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"een-lang-genoeg-wachtwoord\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The same address again is refused, as are a weak password and an unknown role.
    let create = |email: &str, role: &str, password: &str| {
        command(dir.path())
            .args(["user", "create", "--email", email, "--name", "X", "--role", role])
            .env("DATABASE_URL", &db.url)
            .env("SERVICEPUNT_PASSWORD", password)
            .output()
            .unwrap()
    };
    assert!(
        !create("coordinator@example.nl", "coordinator", "een-lang-genoeg-wachtwoord")
            .status
            .success()
    );
    assert!(!create("f@example.nl", "finance", "kort").status.success());
    assert!(
        !create("f@example.nl", "admin", "een-lang-genoeg-wachtwoord")
            .status
            .success()
    );
    assert!(
        create("f@example.nl", "finance", "een-lang-genoeg-wachtwoord")
            .status
            .success()
    );

    let url = db.url.clone();
    let app = spawn_app_with(move |s| s.database_url = Some(url)).await;
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "coordinator@example.nl", "password": "een-lang-genoeg-wachtwoord"}),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text);
    let me = app.get("/api/v1/me", login.body["access_token"].as_str()).await;
    assert_eq!(me.body["role"], "coordinator");
    assert_eq!(me.body["name"], "Co Ordinator");
}

/// The app on a database the command line reaches too (its URL in the `TestDb`), a folder
/// to run the binary in, and a werkleider with this address.
pub async fn app_with_staff_member(email: &str) -> (TestDb, tempfile::TempDir, TestApp) {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.clone();
    let app = spawn_app_with(move |s| s.database_url = Some(url)).await;
    app.create_user(email, Role::Werkleider).await;
    (db, dir, app)
}

/// Someone leaves: `user disable` ends their access while the server runs (the token they
/// hold stops working within a second), `user enable` lets them in again, and an account
/// erased on request stays off.
#[actix_web::test]
async fn a_disabled_account_is_locked_out_at_once_and_can_be_enabled_again() {
    let email = "leaver@servicepunt.example";
    let (db, dir, app) = app_with_staff_member(email).await;
    // Two sessions, one of them refreshed once: still two.
    let login = app.login(email).await;
    let access = login["access_token"].as_str().unwrap().to_owned();
    let first = login["refresh_token"].as_str().unwrap().to_owned();
    let rotated = app
        .post("/api/v1/auth/refresh", None, json!({"refresh_token": first}))
        .await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let refresh = rotated.body["refresh_token"].as_str().unwrap().to_owned();
    app.login(email).await;
    assert_eq!(app.get("/api/v1/residents", Some(&access)).await.status, 200);

    let user = |action: &str, email: &str| {
        command(dir.path())
            .args(["user", action, "--email", email])
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap()
    };
    let out = user("disable", "Leaver@Servicepunt.example");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("; 2 session(s) ended"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let mut refused = None;
    for _ in 0..30 {
        let reply = app.get("/api/v1/residents", Some(&access)).await;
        if reply.status != 200 {
            refused = Some(reply);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    refused
        .expect("the access token is refused within three seconds")
        .assert_problem(401, "invalid_token");
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh}))
        .await
        .assert_problem(401, "invalid_refresh_token");
    app.post(
        "/api/v1/auth/login",
        None,
        json!({"email": email, "password": PASSWORD}),
    )
    .await
    .assert_problem(401, "invalid_credentials");
    assert!(!user("disable", "nobody@servicepunt.example").status.success());

    let out = user("enable", email);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(app.login(email).await["access_token"].is_string());

    // An erased resident's account stays off.
    let (_, resident, uid) = app.register_resident("weg@example.nl").await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let erased = app
        .post(
            &format!("/api/v1/residents/{resident}/erase"),
            Some(&coordinator),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    let out = user("enable", &format!("erased-{uid}@invalid.servicepunt"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("erased"));
}

/// Starts the binary with no arguments; returns its port and the child to kill.
fn serve(dir: &std::path::Path, database_url: Option<&str>) -> (u16, std::process::Child) {
    let (port, child, _log) = serve_logging(command(dir), database_url);
    (port, child)
}

/// Starts `cmd` (the binary, set up by the caller) serving on a free port; returns the
/// port, the child to kill and every line it logs, as it logs them.
pub fn serve_logging(
    mut cmd: Command,
    database_url: Option<&str>,
) -> (u16, std::process::Child, std::sync::mpsc::Receiver<String>) {
    cmd.env("SERVICEPUNT_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
    if let Some(url) = database_url {
        cmd.env("DATABASE_URL", url);
    }
    let mut child = cmd.spawn().unwrap();
    // Read the log on a thread that keeps draining it, so the server never writes into a
    // closed pipe, whether or not anyone still listens for its lines.
    let stderr = child.stderr.take().unwrap();
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let (line_tx, line_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let port = serde_json::from_str::<serde_json::Value>(&line)
                .ok()
                .and_then(|v| v["fields"]["port"].as_u64());
            if let Some(port) = port {
                let _ = port_tx.send(port as u16);
            }
            let _ = line_tx.send(line);
        }
    });
    let port = port_rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the server logs its port");
    (port, child, line_rx)
}

async fn health_and_backend(port: u16) -> (u16, serde_json::Value) {
    let client = reqwest::Client::new();
    let health = send_checked(client.get(format!("http://127.0.0.1:{port}/health"))).await;
    let ready = send_checked(client.get(format!("http://127.0.0.1:{port}/ready"))).await;
    (health.status.as_u16(), ready.body)
}

#[actix_web::test]
async fn serve_with_no_configuration_uses_an_embedded_database_under_data() {
    let dir = tempfile::tempdir().unwrap();
    let (port, mut child) = serve(dir.path(), None);
    let (health, ready) = health_and_backend(port).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(health, 200);
    assert_eq!(ready["database"], "sqlite");
    assert!(dir.path().join("data/servicepunt.db").exists());
    assert!(dir.path().join("data/jwt_secret").exists());
}

#[actix_web::test]
async fn serve_with_a_database_url_migrates_and_serves_it() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let (port, mut child) = serve(dir.path(), Some(&db.url));
    let (health, ready) = health_and_backend(port).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(health, 200);
    assert_eq!(ready["database"], if db.is_postgres() { "postgres" } else { "sqlite" });
}

#[test]
fn production_refuses_to_start_without_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path())
        .env("SERVICEPUNT_ENV", "production")
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SERVICEPUNT_JWT_SECRET"));
}

/// `backup` copies the database while the app runs on it: the copy holds what was
/// committed and passes SQLite's checks, a second backup to the same file is refused and
/// leaves it as it was, a database that is not there is not "backed up" as an empty one,
/// and on PostgreSQL the command points to pg_dump.
#[actix_web::test]
async fn backup_copies_the_running_database_and_never_overwrites() {
    use diesel::{Connection, RunQueryDsl};

    let (db, dir, _app) = app_with_staff_member("kopie@servicepunt.example").await;
    // Into a folder not made yet, as in the README.
    let to = dir.path().join("backups").join("copy.db");
    let backup = |url: &str| {
        command(dir.path())
            .arg("backup")
            .arg(&to)
            .env("DATABASE_URL", url)
            .output()
            .unwrap()
    };
    let out = backup(&db.url);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    if db.url.starts_with("postgres") {
        assert!(!out.status.success(), "{stdout}");
        assert!(stderr.contains("pg_dump"), "{stderr}");
        assert!(!to.exists());
        return;
    }
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("backed up the database to"), "{stdout}");

    let mut copy = diesel::SqliteConnection::establish(to.to_str().unwrap()).unwrap();
    let accounts: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT COUNT(*) FROM users WHERE email = 'kopie@servicepunt.example')",
    ))
    .get_result(&mut copy)
    .unwrap();
    assert_eq!(accounts, 1, "the copy holds what the app committed");
    drop(copy);

    let before = std::fs::read(&to).unwrap();
    let again = backup(&db.url);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    assert_eq!(std::fs::read(&to).unwrap(), before, "the first backup is untouched");

    std::fs::remove_file(&to).unwrap();
    let missing = dir.path().join("nothing-here.db");
    let none = backup(missing.to_str().unwrap());
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("there is no database"));
    assert!(!missing.exists() && !to.exists(), "nothing was made up");
}
