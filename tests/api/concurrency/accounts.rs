//! Accounts and sessions: refresh-token reuse, logins racing the end of an account's
//! access, double registration, one resident given an account from many desks, the
//! daily cap on account mail, coordinators turning each other off.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use servicepunt::auth::{Role, mail_cap};

use super::answered;
use crate::helpers::{PASSWORD, count_rows, registration, resident_body, spawn_app};

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
    answered(&replies, 201, 1);
    for r in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        r.assert_problem(400, "invalid_or_expired_token");
    }
    let accounts = "SELECT COUNT(*) AS n FROM users WHERE email = 'race@example.nl'";
    assert_eq!(count_rows(&app, accounts).await, 1);
    assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM residents").await, 1);
}

/// Twenty desks give one resident an account at once, each with an address of its own:
/// one account is made, and each later call mails it anew at its address. The account
/// ends with one address, the record's too, and only the last link works.
#[actix_web::test]
async fn one_resident_given_an_account_from_twenty_desks_at_once_has_one() {
    let app = spawn_app().await;
    let desk = app.token_for(Role::Werkleider).await;
    let created = app
        .post(
            "/api/v1/residents",
            Some(&desk),
            resident_body("Mevrouw Race", "6711 AB"),
        )
        .await;
    let path = format!("/api/v1/residents/{}/account", created.body["id"]);
    let replies =
        join_all((0..20).map(|n| app.post(&path, Some(&desk), json!({"email": format!("balie{n}@race.example")}))))
            .await;
    let made = answered(&replies, 201, 1)[0];
    let again = answered(&replies, 200, 19);
    assert!(again.iter().all(|r| r.body["user_id"] == made.body["user_id"]));
    let accounts = "SELECT COUNT(*) AS n FROM users WHERE email LIKE '%@race.example'";
    assert_eq!(count_rows(&app, accounts).await, 1);
    let user = made.body["user_id"].as_i64().unwrap();
    let same_address = format!(
        "SELECT COUNT(*) AS n FROM users u JOIN residents r ON r.user_id = u.id WHERE u.id = {user} AND r.email = u.email"
    );
    assert_eq!(count_rows(&app, same_address).await, 1);
    let live_links = format!("SELECT COUNT(*) AS n FROM user_tokens WHERE user_id = {user} AND used_at IS NULL");
    assert_eq!(count_rows(&app, live_links).await, 1);
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

/// Ten pairs of coordinators turn each other off, all twenty requests at once. In each
/// pair one goes first and the other, off by then, turns nobody off: someone is always
/// left to turn the others on. Without the lock both of a pair could be off.
#[actix_web::test]
async fn coordinators_turning_each_other_off_leave_one_of_each_pair_on() {
    let app = spawn_app().await;
    let mut people = Vec::new();
    for i in 0..20 {
        let email = format!("coordinator{i}@servicepunt.example");
        let id = app.create_user(&email, Role::Coordinator).await;
        let token = app.login(&email).await["access_token"].as_str().unwrap().to_owned();
        people.push((id, token));
    }
    // 0 and 1 are a pair, 2 and 3, and so on: each turns the other off.
    let partner = |i: usize| i ^ 1;
    let paths: Vec<String> = (0..20)
        .map(|i| format!("/api/v1/admin/users/{}/disable", people[partner(i)].0))
        .collect();
    let replies = join_all((0..20).map(|i| app.post(&paths[i], Some(&people[i].1), json!({})))).await;
    for pair in replies.chunks(2) {
        let ok = pair.iter().filter(|r| r.status == StatusCode::OK).count();
        assert_eq!(
            ok,
            1,
            "{:?}",
            pair.iter().map(|r| (r.status, &r.body["code"])).collect::<Vec<_>>()
        );
        for r in pair.iter().filter(|r| r.status != StatusCode::OK) {
            r.assert_problem(401, "invalid_token");
        }
    }
    let ids: Vec<String> = people.iter().map(|(id, _)| id.to_string()).collect();
    let still_on = count_rows(
        &app,
        format!(
            "SELECT COUNT(*) AS n FROM users WHERE active AND id IN ({})",
            ids.join(",")
        ),
    )
    .await;
    assert_eq!(still_on, 10, "one of each pair");
}
