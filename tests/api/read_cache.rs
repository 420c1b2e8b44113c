//! The planning board and the reconciliation report are kept in memory between writes
//! (`src/read_cache.rs`); a change made through the API shows on the very next read.

use std::time::{Duration, Instant};

use chrono::Datelike;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::read_cache;

use crate::cheques::{counter, resident, sell};
use crate::helpers::{JWT_SECRET, PASSWORD, create_participant, create_service, execute_sql, next_local, world};
use crate::planning::{assign, unassign, waitlisted_job};
use crate::served::{Served, free_port};

#[actix_web::test]
async fn the_next_read_after_a_change_shows_it() {
    let w = world().await;
    let c = counter(&w).await;
    let today = servicepunt::clock::today();
    let first = today.with_day(1).unwrap();
    let report = format!("/api/v1/finance/reconciliation?from={first}&to={today}");
    let sold = |r: &crate::helpers::Reply| r.body["sales_cents"].as_i64().unwrap();

    let before = w.app.get(&report, Some(&c.finance)).await;
    assert_eq!(before.status, 200, "{}", before.text);
    assert_eq!(sold(&w.app.get(&report, Some(&c.finance)).await), sold(&before));
    let buyer = resident(&w, "Koper Direct", Some("1980-01-01"), "12").await;
    let sale = sell(&w, &c, buyer, 2, "pin").await;
    assert_eq!(sale.status, 201, "{}", sale.text);
    let after = w.app.get(&report, Some(&c.finance)).await;
    assert_eq!(
        sold(&after),
        sold(&before) + sale.body["total_cents"].as_i64().unwrap(),
        "{}",
        after.text
    );

    let worker = create_participant(&w.app, &w.coordinator, "Bord Bart", "solo_klus").await;
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let span = next_local(9, 60);
    let day = &span.0[..10];
    let board = format!("/api/v1/planning?from={day}&to={day}");
    let planned = |r: &crate::helpers::Reply| -> Vec<i64> {
        r.body["days"][0]["participants"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["participant_id"] == worker)
            .flat_map(|p| p["assignments"].as_array().unwrap().clone())
            .map(|a| a["job_id"].as_i64().unwrap())
            .collect()
    };
    let waiting = |r: &crate::helpers::Reply| {
        r.body["waitlist"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["job_id"] == job)
    };
    let empty = w.app.get(&board, Some(&w.werkleider)).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(planned(&empty), Vec::<i64>::new());
    assert!(waiting(&empty), "{}", empty.text);

    let made = assign(&w, job, &[worker], &span).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let full = w.app.get(&board, Some(&w.werkleider)).await;
    assert_eq!(planned(&full), vec![job], "{}", full.text);
    assert!(!waiting(&full), "{}", full.text);

    let id = made.body["id"].as_i64().unwrap();
    assert_eq!(unassign(&w, id).await.status, 204);
    let again = w.app.get(&board, Some(&w.werkleider)).await;
    assert_eq!(planned(&again), Vec::<i64>::new(), "{}", again.text);
    assert!(waiting(&again), "{}", again.text);
}

#[actix_web::test]
async fn a_kept_answer_goes_out_gzipped_to_clients_that_take_gzip() {
    use std::io::Read;
    let w = world().await;
    let today = servicepunt::clock::today();
    let board = format!("/api/v1/planning?from={today}&to={}", today + chrono::Duration::days(6));
    let plain = w.app.get(&board, Some(&w.werkleider)).await;
    assert_eq!(plain.status, 200, "{}", plain.text);
    for _ in 0..2 {
        let zipped = reqwest::Client::new()
            .get(w.app.url(&board))
            .bearer_auth(&w.werkleider)
            .header("accept-encoding", "gzip, deflate, br")
            .send()
            .await
            .unwrap();
        assert_eq!(zipped.status(), 200);
        assert_eq!(zipped.headers()["content-encoding"], "gzip");
        assert_eq!(zipped.headers()["vary"], "Accept-Encoding");
        let bytes = zipped.bytes().await.unwrap();
        let mut json = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut json)
            .unwrap();
        assert_eq!(json, plain.text);
    }
}

/// The first name the board shows for `participant` on its first day.
fn first_name_on_first_day(board: &Value, participant: i64) -> String {
    board["days"][0]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["participant_id"] == participant)
        .map(|p| p["first_name"].as_str().unwrap().to_owned())
        .unwrap()
}

#[actix_web::test]
async fn cache_control_no_cache_reads_what_another_process_wrote() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Oude Naam", "solo_klus").await;
    let today = servicepunt::clock::today();
    let board = format!("/api/v1/planning?from={today}&to={today}");
    let name = |body: &Value| first_name_on_first_day(body, worker);
    let first = w.app.get(&board, Some(&w.werkleider)).await;
    assert_eq!(name(&first.body), "Oude");
    // A change this process did not make (another instance, the CLI): no write counted.
    let sql = format!("UPDATE participants SET name = 'Nieuwe Naam' WHERE id = {worker}");
    execute_sql(&w.app, sql).await;
    // A plain read may still get the kept board (for up to two seconds, or until this
    // process writes — other tests in this process write all the time, so it cannot be
    // asserted here); one with no-cache reads the database.
    let fresh = w
        .app
        .send(
            reqwest::Client::new()
                .get(w.app.url(&board))
                .bearer_auth(&w.werkleider)
                .header("cache-control", "no-cache"),
        )
        .await;
    assert_eq!(fresh.status, 200, "{}", fresh.text);
    assert_eq!(name(&fresh.body), "Nieuwe");
    // ... and what it read is what the others get now.
    assert_eq!(name(&w.app.get(&board, Some(&w.werkleider)).await.body), "Nieuwe");
}

/// A GET of `path` that says which answer the caller already has.
async fn if_none_match(w: &crate::helpers::World, path: &str, tag: &str, gzip: bool) -> crate::helpers::Reply {
    let mut request = reqwest::Client::new()
        .get(w.app.url(path))
        .bearer_auth(&w.werkleider)
        .header("if-none-match", tag);
    if gzip {
        request = request.header("accept-encoding", "gzip");
    }
    w.app.send(request).await
}

#[actix_web::test]
async fn a_screen_that_asks_again_with_its_etag_gets_304_until_something_changes() {
    let w = world().await;
    let day = servicepunt::clock::today();
    let board = format!("/api/v1/planning?from={day}&to={day}");
    let first = w.app.get(&board, Some(&w.werkleider)).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\"") && etag.len() > 20, "{etag}");
    // The board holds residents' names: it stays out of any cache between here and there.
    assert_eq!(first.headers["cache-control"], "no-store");

    let again = if_none_match(&w, &board, &etag, false).await;
    assert_eq!(again.status, 304);
    assert!(again.text.is_empty(), "{}", again.text);
    assert_eq!(again.headers["etag"], etag.as_str());
    // One tag for both encodings, found in a list of tags too.
    assert_eq!(
        if_none_match(&w, &board, &format!("\"x\", {etag}"), true).await.status,
        304
    );
    assert_eq!(if_none_match(&w, &board, "*", false).await.status, 304);
    let other = if_none_match(&w, &board, "W/\"iets-anders\"", false).await;
    assert_eq!(other.status, 200);
    assert_eq!(other.body, first.body);

    // A new job on the waiting list changes the board: the old tag gets the new one.
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let changed = if_none_match(&w, &board, &etag, false).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_ne!(changed.headers["etag"], etag.as_str());
    assert!(
        changed.body["waitlist"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["job_id"] == job),
        "{}",
        changed.text
    );
}

#[actix_web::test]
async fn browsers_may_keep_the_public_catalogue_if_they_ask_whether_it_changed() {
    let w = world().await;
    let first = w.app.get("/api/v1/services", None).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.headers["cache-control"], "no-cache");
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(if_none_match(&w, "/api/v1/services", &etag, true).await.status, 304);

    create_service(&w.app, &w.coordinator, "Ramen wassen", "klus", true, 120).await;
    let changed = if_none_match(&w, "/api/v1/services", &etag, false).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_ne!(changed.headers["etag"], etag.as_str());
}

/// Kept answers are thrown away by writes that may change them, not by the writes a
/// running service makes all the time without touching them: the mail worker looking for
/// mail, people logging in (or failing to), refreshing their session, logging out,
/// asking for a reset or registration link. Otherwise, with the worker looking every
/// second, nothing would be kept for long.
#[actix_web::test]
async fn mail_rounds_and_logins_do_not_throw_kept_answers_away() {
    let w = world().await;
    let worker = create_participant(&w.app, &w.coordinator, "Oude Naam", "solo_klus").await;
    w.app.create_user("balie@servicepunt.example", Role::Werkleider).await;
    // Kept answers live in a process, and the other tests in this one write all the
    // time: the real binary, on its own, looking for mail every 20 ms.
    let data = tempfile::tempdir().unwrap();
    let poll = [
        ("SERVICEPUNT_OUTBOX_WORKER", "true"),
        ("SERVICEPUNT_OUTBOX_POLL_MS", "20"),
        ("SERVICEPUNT_ACCOUNT_ANSWER_FLOOR_MS", "0"),
    ];
    let server = Served::start(&w.app.db.url, data.path(), free_port(), JWT_SECRET, &poll).await;
    let client = reqwest::Client::new();
    let today = servicepunt::clock::today();
    let board = format!("{}/api/v1/planning?from={today}&to={today}", server.base);
    let first_name = || async {
        let reply = client.get(&board).bearer_auth(&w.werkleider).send().await.unwrap();
        first_name_on_first_day(&reply.json().await.unwrap(), worker)
    };
    let kept_at = Instant::now();
    assert_eq!(first_name().await, "Oude");
    // Changed behind the server's back: it shows once the kept board is thrown away.
    let sql = format!("UPDATE participants SET name = 'Nieuwe Naam' WHERE id = {worker}");
    execute_sql(&w.app, sql).await;

    let auth = |path: &str, body: Value, token: Option<String>| {
        let request = client.post(format!("{}/api/v1/auth/{path}", server.base)).json(&body);
        async move {
            let request = match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            };
            request.send().await.unwrap()
        }
    };
    let wrong = json!({"email": "balie@servicepunt.example", "password": "niet-het-wachtwoord"});
    assert_eq!(auth("login", wrong, None).await.status(), 401);
    let right = json!({"email": "balie@servicepunt.example", "password": PASSWORD});
    let session: Value = auth("login", right, None).await.json().await.unwrap();
    let refresh = json!({"refresh_token": session["refresh_token"]});
    let refreshed: Value = auth("refresh", refresh, None).await.json().await.unwrap();
    let token = refreshed["access_token"].as_str().map(str::to_owned);
    let logout = auth("logout", json!({"refresh_token": refreshed["refresh_token"]}), token).await;
    assert!(logout.status().is_success(), "{}", logout.status());
    // Nor can anyone keep it rebuilding by asking for mail.
    let reset = json!({"email": "balie@servicepunt.example"});
    assert_eq!(auth("password-reset", reset, None).await.status(), 202);
    let registering = crate::helpers::registration("nieuw@example.nl");
    assert_eq!(auth("register", registering, None).await.status(), 202);
    tokio::time::sleep(Duration::from_millis(200)).await; // ten rounds of the mail worker

    let still = first_name().await;
    if kept_at.elapsed() < read_cache::TIME_TO_LIVE {
        assert_eq!(
            still, "Oude",
            "the kept board outlived the mail rounds, logins and mail requests"
        );
    }
    // ... and no longer than its time to live (counted from when it was built, a little
    // after `kept_at`).
    let margin = Duration::from_millis(200);
    tokio::time::sleep((read_cache::TIME_TO_LIVE + margin).saturating_sub(kept_at.elapsed())).await;
    assert_eq!(first_name().await, "Nieuwe");
}
