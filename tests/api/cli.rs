//! The binary as a newcomer uses it: `serve` with no configuration, `migrate`,
//! `user create`, `openapi`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::json;

use crate::helpers::{TestDb, spawn_app_with};

const BIN: &str = env!("CARGO_BIN_EXE_servicepunt");

fn command(dir: &std::path::Path) -> Command {
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
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
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

#[actix_web::test]
async fn serve_with_no_configuration_uses_an_embedded_database_under_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = command(dir.path())
        .env("SERVICEPUNT_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Read the log on a thread that keeps draining it, so the server never writes into a
    // closed pipe.
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(port) = serde_json::from_str::<serde_json::Value>(&line)
                .ok()
                .and_then(|v| v["fields"]["port"].as_u64())
            {
                let _ = tx.send(port);
            }
        }
    });
    let port = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the server logs its port");
    let client = reqwest::Client::new();
    let health = client
        .get(format!("http://127.0.0.1:{port}/health"))
        .send()
        .await
        .unwrap();
    let ready = client
        .get(format!("http://127.0.0.1:{port}/ready"))
        .send()
        .await
        .unwrap();
    let (health, ready) = (health.status(), ready.json::<serde_json::Value>().await.unwrap());
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(health, 200);
    assert_eq!(ready["database"], "sqlite");
    assert!(dir.path().join("data/servicepunt.db").exists());
    assert!(dir.path().join("data/jwt_secret").exists());
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
