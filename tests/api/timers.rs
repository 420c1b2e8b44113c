//! The timers' loop as `serve` runs it: the work of every round runs each round, the
//! daily work once a Dutch day.

use std::time::Duration;

use servicepunt::timers::{self, Retention};

use crate::helpers::{count_rows, execute_sql, spawn_app};

const OLD_AUDIT_ENTRY: &str = "INSERT INTO audit_log (actor_user_id, subject_kind, subject_id, action, operation, \
     status, at) VALUES (NULL, 'resident', 1, 'read', 'GET /api/v1/residents/{id}', 200, '2020-01-01 00:00:00')";

/// A response stored for a retry, made `hours` ago.
async fn stored_response(app: &crate::helpers::TestApp, key: &str, hours: i64) {
    let user = app
        .create_user(&format!("{key}@example.nl"), servicepunt::auth::Role::Resident)
        .await;
    let made = servicepunt::db::now() - chrono::Duration::hours(hours);
    execute_sql(
        app,
        format!(
            "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, status_code, response_body, created_at) \
             VALUES ({user}, '{key}', 'h', 201, '{{}}', '{}')",
            made.format("%Y-%m-%d %H:%M:%S")
        ),
    )
    .await;
}

fn expired_registration(n: u32) -> String {
    format!(
        "INSERT INTO registrations (email, token_hash, password_hash, details, created_at, expires_at) \
         VALUES ('r{n}@example.nl', 'hash-{n}', 'x', '{{}}', '2020-01-01 00:00:00', '2020-01-02 00:00:00')"
    )
}

fn retention() -> Retention {
    Retention {
        welfare_months: 24,
        audit_months: 24,
        message_months: 24,
        feedback_months: 24,
        access_ttl: chrono::Duration::minutes(15),
    }
}

/// A time `minutes` from now (negative: ago), as SQL.
fn at(minutes: i64) -> String {
    let t = servicepunt::db::now() + chrono::Duration::minutes(minutes);
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

/// The timers' loop with short rounds; abort the handle to stop it.
pub fn start_timers(app: &crate::helpers::TestApp) -> actix_web::rt::task::JoinHandle<()> {
    actix_web::rt::spawn(timers::run_forever(
        app.pool.clone(),
        Duration::from_millis(20),
        retention(),
        Default::default(),
    ))
}

pub async fn eventually(app: &crate::helpers::TestApp, sql: &str, expected: i64) {
    for _ in 0..200 {
        if count_rows(app, sql).await == expected {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{sql} never came to {expected}");
}

#[actix_web::test]
async fn daily_work_runs_once_a_day_and_the_rest_every_round() {
    let app = spawn_app().await;
    let audit = "SELECT COUNT(*) AS n FROM audit_log";
    let registrations = "SELECT COUNT(*) AS n FROM registrations";
    execute_sql(&app, OLD_AUDIT_ENTRY).await;
    execute_sql(&app, expired_registration(1)).await;
    stored_response(&app, "yesterday", 25).await;
    stored_response(&app, "this-morning", 23).await;
    let day = servicepunt::clock::today();

    let retention = retention();
    let every = Duration::from_millis(20);
    let timers = actix_web::rt::spawn(timers::run_forever(
        app.pool.clone(),
        every,
        retention,
        Default::default(),
    ));
    eventually(&app, audit, 0).await;
    eventually(&app, registrations, 0).await;
    let kept = "SELECT COUNT(*) AS n FROM idempotency_keys";
    eventually(&app, kept, 1).await;
    assert_eq!(
        count_rows(
            &app,
            "SELECT COUNT(*) AS n FROM idempotency_keys WHERE idem_key = 'this-morning'"
        )
        .await,
        1,
        "a response stored less than a day ago is still replayed"
    );

    // Later the same day: the every-round work finds the next expired link, the audit
    // retention (daily) does not look again until tomorrow.
    execute_sql(&app, OLD_AUDIT_ENTRY).await;
    execute_sql(&app, expired_registration(2)).await;
    eventually(&app, registrations, 0).await;
    actix_web::rt::time::sleep(every * 10).await;
    let left = count_rows(&app, audit).await;
    timers.abort();
    if servicepunt::clock::today() == day {
        assert_eq!(left, 1, "the audit retention ran twice in one day");
    }
}

#[actix_web::test]
async fn messages_sent_or_given_up_long_ago_are_deleted_and_the_queue_stays() {
    let app = spawn_app().await;
    let month = 31 * 24 * 60;
    // (name, status, created, sent)
    let rows = [
        ("old-sent", "sent", at(-30 * month), at(-25 * month - 60 * 24)),
        ("old-dead", "dead", at(-25 * month), "NULL".to_owned()),
        ("recent-sent", "sent", at(-23 * month), at(-23 * month)),
        ("recent-dead", "dead", at(-1), "NULL".to_owned()),
        // Still to go out after all this time (the mail server was gone): it stays.
        ("old-pending", "pending", at(-30 * month), "NULL".to_owned()),
    ];
    for (name, status, created, sent) in &rows {
        execute_sql(
            &app,
            format!(
                "INSERT INTO outbox (message_id, recipient_email, recipient_name, language, template, data, \
                 status, attempts, next_attempt_at, created_at, sent_at) \
                 VALUES ('<{name}@servicepunt>', '{name}@example.nl', '{name}', 'nl', 'job_confirmed', NULL, \
                 '{status}', 1, {created}, {created}, {sent})"
            ),
        )
        .await;
    }

    let timers = start_timers(&app);
    eventually(
        &app,
        "SELECT COUNT(*) AS n FROM outbox WHERE recipient_name IN ('old-sent', 'old-dead')",
        0,
    )
    .await;
    timers.abort();
    let kept = count_rows(
        &app,
        "SELECT COUNT(*) AS n FROM outbox WHERE recipient_name IN ('recent-sent', 'recent-dead', 'old-pending')",
    )
    .await;
    assert_eq!(kept, 3, "sent within the retention, or not sent yet: kept");
}

#[actix_web::test]
async fn records_of_reminders_for_days_long_past_are_deleted() {
    let app = spawn_app().await;
    let today = servicepunt::clock::today();
    let kept = servicepunt::planning::reminders::KEPT_DAYS_AFTER;
    // (ref_id, days from today)
    let rows = [(1, -400), (2, -kept - 1), (3, -kept), (4, -1), (5, 1), (6, 60)];
    for (ref_id, days) in rows {
        let day = today + chrono::Duration::days(days);
        execute_sql(
            &app,
            format!(
                "INSERT INTO sent_reminders (kind, ref_id, for_date, created_at) \
                 VALUES ('cheque_expiry_60', {ref_id}, '{day}', {})",
                at(-60)
            ),
        )
        .await;
    }
    let timers = start_timers(&app);
    eventually(
        &app,
        "SELECT COUNT(*) AS n FROM sent_reminders WHERE ref_id IN (1, 2)",
        0,
    )
    .await;
    timers.abort();
    let left = count_rows(
        &app,
        "SELECT COUNT(*) AS n FROM sent_reminders WHERE ref_id IN (3, 4, 5, 6)",
    )
    .await;
    assert_eq!(
        left, 4,
        "a week past, yesterday, tomorrow and a last valid day to come stay"
    );
}

#[actix_web::test]
async fn sign_in_tokens_that_can_do_nothing_any_more_are_deleted() {
    let app = spawn_app().await;
    let user = app
        .create_user("sessies@example.nl", servicepunt::auth::Role::Werkleider)
        .await;
    let live = app.login("sessies@example.nl").await["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let day = 24 * 60;
    // (family, expires, used, revoked)
    let rows = [
        ("old", at(-3 * day), "NULL".to_owned(), "NULL".to_owned()),
        ("old", at(-3 * day), at(-4 * day), at(-3 * day)),
        // Ended a minute ago: other instances must still learn of it.
        ("just-ended", at(-3 * day), "NULL".to_owned(), at(-1)),
        // Spent but not expired: presenting it again must still end its session.
        ("spent", at(29 * day), at(-60), "NULL".to_owned()),
    ];
    for (n, (family, expires, used, revoked)) in rows.iter().enumerate() {
        execute_sql(
            &app,
            format!(
                "INSERT INTO refresh_tokens (user_id, family_id, token_hash, issued_at, expires_at, used_at, revoked_at) \
                 VALUES ({user}, '{family}', 'hash-{n}', {}, {expires}, {used}, {revoked})",
                at(-31 * day)
            ),
        )
        .await;
    }
    for (n, expires) in [at(-3 * day), at(60)].iter().enumerate() {
        execute_sql(
            &app,
            format!(
                "INSERT INTO user_tokens (user_id, purpose, token_hash, created_at, expires_at) \
                 VALUES ({user}, 'password_reset', 'link-{n}', {}, {expires})",
                at(-4 * day)
            ),
        )
        .await;
    }

    let timers = start_timers(&app);
    eventually(
        &app,
        "SELECT COUNT(*) AS n FROM refresh_tokens WHERE family_id = 'old'",
        0,
    )
    .await;
    eventually(&app, "SELECT COUNT(*) AS n FROM user_tokens", 1).await;
    timers.abort();
    let kept = count_rows(
        &app,
        "SELECT COUNT(*) AS n FROM refresh_tokens WHERE family_id IN ('just-ended', 'spent')",
    )
    .await;
    assert_eq!(kept, 2);
    assert_eq!(
        count_rows(
            &app,
            "SELECT COUNT(*) AS n FROM user_tokens WHERE token_hash = 'link-1'"
        )
        .await,
        1,
        "a link still valid stays"
    );
    let refreshed = app
        .post("/api/v1/auth/refresh", None, serde_json::json!({"refresh_token": live}))
        .await;
    assert_eq!(refreshed.status, 200, "the session in use goes on: {}", refreshed.text);
}
