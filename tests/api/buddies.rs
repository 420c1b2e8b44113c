//! Maatjes: someone who finished their trajectory here offers to help newcomers; a coach
//! pairs one of their caseload with them; each sees the other's first name.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::clock;

use crate::helpers::{Reply, World, count_rows, create_participant, end_trajectory, erase_participant, world};
use crate::planned_work::mails;
use crate::timers::{eventually, start_timers};

/// A participant named `name` with an account at `email` (to read their own view), in the
/// caseload of coach `coach_id`: (their token, their id).
async fn participant(w: &World, name: &str, email: &str, coach_id: i64) -> (String, i64) {
    w.app.create_user(email, Role::Participant).await;
    let token = w.app.login(email).await["access_token"].as_str().unwrap().to_owned();
    let id = create_participant(&w.app, &w.coordinator, name, "solo_klus").await;
    let linked = w
        .app
        .patch(
            &format!("/api/v1/participants/{id}"),
            Some(&w.coordinator),
            json!({"account_email": email, "coach_user_id": coach_id}),
        )
        .await;
    assert_eq!(linked.status, 200, "{}", linked.text);
    (token, id)
}

async fn coach(w: &World, email: &str) -> (String, i64) {
    let id = w.app.create_user(email, Role::Trajectbegeleider).await;
    let token = w.app.login(email).await["access_token"].as_str().unwrap().to_owned();
    (token, id)
}

async fn offer(w: &World, token: &str, id: i64) -> Reply {
    let path = format!("/api/v1/participants/{id}/buddy-volunteer");
    w.app.call(Method::PUT, &path, Some(token), None).await
}

async fn pair(w: &World, token: &str, newcomer: i64, buddy: i64) -> Reply {
    let path = format!("/api/v1/participants/{newcomer}/buddies");
    w.app.post(&path, Some(token), json!({"buddy_id": buddy})).await
}

/// Someone named `name` whose trajectory ended yesterday and who offered to be a buddy,
/// as the coordinator records it.
async fn volunteer(w: &World, name: &str) -> i64 {
    let id = create_participant(&w.app, &w.coordinator, name, "solo_klus").await;
    end_trajectory(&w.app, &w.coordinator, id, yesterday()).await;
    assert_eq!(offer(w, &w.coordinator, id).await.status, 204);
    id
}

fn yesterday() -> chrono::NaiveDate {
    clock::today() - Duration::days(1)
}

fn volunteer_ids(reply: &Reply) -> Vec<i64> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["participant_id"].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_coach_pairs_a_newcomer_with_someone_who_finished_here() {
    let w = world().await;
    let today = clock::today();
    let (karim, karim_id) = coach(&w, "karim@coach.example").await;
    let (other_coach, _) = coach(&w, "els@coach.example").await;
    let (sanne_token, sanne) = participant(&w, "Sanne de Vries", "sanne@deelnemer.example", karim_id).await;
    let (ahmed_token, ahmed) = participant(&w, "Ahmed Bakri", "ahmed@deelnemer.example", karim_id).await;

    // Someone still in their trajectory cannot offer; once it is over they can, and the
    // same offer again changes nothing.
    offer(&w, &karim, ahmed).await.assert_problem(409, "buddy_not_eligible");
    end_trajectory(&w.app, &w.coordinator, ahmed, yesterday()).await;
    assert_eq!(offer(&w, &karim, ahmed).await.status, 204);
    assert_eq!(offer(&w, &karim, ahmed).await.status, 204);
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM buddy_volunteers").await,
        1
    );
    // Another coach's caseload is not theirs to offer for.
    offer(&w, &other_coach, sanne).await.assert_problem(404, "not_found");

    // Every coach finds the volunteers: name, neighbourhood, how many they help.
    let listed = w.app.get("/api/v1/buddy-volunteers", Some(&other_coach)).await;
    assert_eq!(volunteer_ids(&listed), [ahmed]);
    assert_eq!(listed.body[0]["name"], "Ahmed Bakri");
    assert_eq!(listed.body[0]["wijk"], "Veldhuizen");
    assert_eq!(listed.body[0]["helps_now"], 0);

    // Wrong buddies are refused by field; nothing is written.
    let (_, running) = participant(&w, "Lotte Jansen", "lotte@deelnemer.example", karim_id).await;
    let cases = [
        (sanne, "same_participant"),
        (running, "not_volunteer"),
        (987_654, "unknown_participant"),
    ];
    for (buddy, code) in cases {
        let refused = pair(&w, &karim, sanne, buddy).await;
        refused.assert_problem(422, "validation_failed");
        assert_eq!(refused.body["errors"][0]["field"], "buddy_id", "{}", refused.text);
        assert_eq!(refused.body["errors"][0]["code"], code, "{}", refused.text);
    }
    // Only the newcomer's own coach pairs them.
    pair(&w, &other_coach, sanne, ahmed)
        .await
        .assert_problem(404, "not_found");
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM buddies").await, 0);

    let paired = pair(&w, &karim, sanne, ahmed).await;
    assert_eq!(paired.status, 201, "{}", paired.text);
    assert_eq!(paired.body["participant_id"], sanne);
    assert_eq!(paired.body["buddy_id"], ahmed);
    assert_eq!(paired.body["buddy_name"], "Ahmed Bakri");
    assert_eq!(paired.body["starts_on"], json!(today));
    assert_eq!(paired.body["ended_on"], Value::Null);
    pair(&w, &karim, sanne, ahmed).await.assert_problem(409, "buddy_exists");
    // The buddy is told whom they help from today and who paired them; the newcomer's
    // first name only, and not a word of why they are here.
    let told = mails(&w, "buddy_paired").await;
    assert_eq!(told.len(), 1, "once, not for the refused second pairing: {told:?}");
    assert_eq!(told[0].0, "ahmed@deelnemer.example");
    assert_eq!(
        told[0].1,
        json!({"name": "Ahmed", "newcomer": "Sanne", "since": today, "coach": "Test Gebruiker"})
    );
    let listed = w.app.get("/api/v1/buddy-volunteers", Some(&karim)).await;
    assert_eq!(listed.body[0]["helps_now"], 1, "{}", listed.text);

    // Each sees the other's first name, nothing more.
    let own = w.app.get("/api/v1/me/buddies", Some(&sanne_token)).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(
        own.body,
        json!({"buddy": {"first_name": "Ahmed", "since": today}, "helping": []})
    );
    let theirs = w.app.get("/api/v1/me/buddies", Some(&ahmed_token)).await;
    assert_eq!(
        theirs.body,
        json!({"buddy": null, "helping": [{"first_name": "Sanne", "since": today}]})
    );

    // Ending it keeps it in the list; twice is refused; another's pairing is not found.
    let id = paired.body["id"].as_i64().unwrap();
    let end = |who: i64| format!("/api/v1/participants/{who}/buddies/{id}/end");
    let ended = w.app.post(&end(sanne), Some(&karim), json!({})).await;
    assert_eq!(ended.status, 200, "{}", ended.text);
    assert_eq!(ended.body["ended_on"], json!(today));
    w.app
        .post(&end(sanne), Some(&karim), json!({}))
        .await
        .assert_problem(409, "already_ended");
    w.app
        .post(&end(running), Some(&karim), json!({}))
        .await
        .assert_problem(404, "not_found");
    let history = w
        .app
        .get(&format!("/api/v1/participants/{sanne}/buddies"), Some(&karim))
        .await;
    assert_eq!(history.status, 200, "{}", history.text);
    assert_eq!(history.body.as_array().unwrap().len(), 1);
    assert_eq!(history.body[0]["ended_on"], json!(today));
    let own = w.app.get("/api/v1/me/buddies", Some(&sanne_token)).await;
    assert_eq!(own.body["buddy"], Value::Null);
    // After it ended, they may be paired again.
    assert_eq!(pair(&w, &karim, sanne, ahmed).await.status, 201);
}

#[actix_web::test]
async fn a_buddy_helps_three_at_most_and_withdrawing_ends_their_pairings() {
    let w = world().await;
    let coordinator = w.coordinator.clone();
    let buddy = volunteer(&w, "Ahmed Bakri").await;
    let mut newcomers = vec![];
    for name in ["Anna", "Bram", "Chris", "Dewi"] {
        newcomers.push(create_participant(&w.app, &coordinator, name, "new").await);
    }
    for n in &newcomers[..3] {
        let paired = pair(&w, &coordinator, *n, buddy).await;
        assert_eq!(paired.status, 201, "{}", paired.text);
    }
    pair(&w, &coordinator, newcomers[3], buddy)
        .await
        .assert_problem(409, "buddy_full");

    // A buddy helps someone through a trajectory: not someone whose trajectory is over.
    let left = create_participant(&w.app, &coordinator, "Eef", "new").await;
    end_trajectory(&w.app, &coordinator, left, yesterday()).await;
    let second = volunteer(&w, "Fleur Smit").await;
    pair(&w, &coordinator, left, second)
        .await
        .assert_problem(409, "trajectory_inactive");

    // Withdrawing the offer ends every pairing they help in, today, and takes them off
    // the list; they cannot be paired again, and there is nothing left to withdraw.
    let withdraw = format!("/api/v1/participants/{buddy}/buddy-volunteer");
    let gone = w.app.call(Method::DELETE, &withdraw, Some(&coordinator), None).await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    let open = "SELECT COUNT(*) AS n FROM buddies WHERE ended_on IS NULL";
    assert_eq!(count_rows(&w.app, open).await, 0);
    let history = w
        .app
        .get(
            &format!("/api/v1/participants/{}/buddies", newcomers[0]),
            Some(&coordinator),
        )
        .await;
    assert_eq!(history.body[0]["ended_on"], json!(clock::today()), "{}", history.text);
    let listed = w.app.get("/api/v1/buddy-volunteers", Some(&coordinator)).await;
    assert_eq!(volunteer_ids(&listed), [second]);
    let again = pair(&w, &coordinator, newcomers[3], buddy).await;
    assert_eq!(again.body["errors"][0]["code"], "not_volunteer", "{}", again.text);
    w.app
        .call(Method::DELETE, &withdraw, Some(&coordinator), None)
        .await
        .assert_problem(404, "not_found");

    // A volunteer who comes back for a new trajectory is off the list while in it.
    let back = json!({"kind": "participatiebaan", "starts_on": clock::today() + Duration::days(7)});
    crate::helpers::start_trajectory(&w.app, &coordinator, second, back).await;
    let listed = w.app.get("/api/v1/buddy-volunteers", Some(&coordinator)).await;
    assert_eq!(volunteer_ids(&listed), Vec::<i64>::new());
}

#[actix_web::test]
async fn buddies_are_in_the_export_and_go_on_erasure_and_after_retention() {
    let w = world().await;
    let coordinator = w.coordinator.clone();
    let buddy = volunteer(&w, "Ahmed Bakri").await;
    let newcomer = create_participant(&w.app, &coordinator, "Sanne de Vries", "new").await;
    let later = create_participant(&w.app, &coordinator, "Bram Kok", "new").await;
    assert_eq!(pair(&w, &coordinator, newcomer, buddy).await.status, 201);
    assert_eq!(pair(&w, &coordinator, later, buddy).await.status, 201);

    let export = w
        .app
        .get(&format!("/api/v1/participants/{newcomer}/export"), Some(&coordinator))
        .await;
    assert_eq!(export.status, 200, "{}", export.text);
    let theirs = &export.body["buddies"];
    assert_eq!(theirs["had_as_buddy"][0]["first_name"], "Ahmed", "{}", export.text);
    assert_eq!(theirs["was_buddy_of"], json!([]));
    let export = w
        .app
        .get(&format!("/api/v1/participants/{buddy}/export"), Some(&coordinator))
        .await;
    let theirs = &export.body["buddies"];
    assert!(theirs["offered_at"].is_string(), "{}", export.text);
    assert_eq!(theirs["was_buddy_of"].as_array().unwrap().len(), 2);

    // The newcomer's pairing goes with their welfare data, 24 months after their
    // trajectory; the buddy's offer and their other pairing stay.
    end_trajectory(&w.app, &coordinator, newcomer, clock::today()).await;
    let on = clock::today() + Duration::days(800);
    w.app
        .db(move |conn| servicepunt::db::write_tx(conn, |conn| servicepunt::privacy::retention::run(conn, on, 24)))
        .await
        .unwrap();
    let of = |p: i64| format!("SELECT COUNT(*) AS n FROM buddies WHERE participant_id = {p}");
    assert_eq!(count_rows(&w.app, of(newcomer)).await, 0);
    assert_eq!(count_rows(&w.app, of(later)).await, 1);
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM buddy_volunteers").await,
        1
    );

    // Erasing the buddy takes their offer and every pairing they were in.
    erase_participant(&w.app, &coordinator, buddy).await;
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM buddies").await, 0);
    assert_eq!(
        count_rows(&w.app, "SELECT COUNT(*) AS n FROM buddy_volunteers").await,
        0
    );
}

#[actix_web::test]
async fn a_pairing_ends_by_itself_when_the_newcomer_leaves() {
    let w = world().await;
    let coordinator = w.coordinator.clone();
    let buddy = volunteer(&w, "Ahmed Bakri").await;
    let leaving = create_participant(&w.app, &coordinator, "Sanne de Vries", "new").await;
    let staying = create_participant(&w.app, &coordinator, "Bram Kok", "new").await;
    assert_eq!(pair(&w, &coordinator, leaving, buddy).await.status, 201);
    assert_eq!(pair(&w, &coordinator, staying, buddy).await.status, 201);
    let history = |p: i64| format!("/api/v1/participants/{p}/buddies");

    // Sanne's trajectory is ended as of yesterday: the daily timer ends her pairing, on
    // the day it began at the earliest. Bram's lasts, and Ahmed helps one now.
    end_trajectory(&w.app, &coordinator, leaving, yesterday()).await;
    let timers = start_timers(&w.app);
    eventually(
        &w.app,
        "SELECT COUNT(*) AS n FROM buddies WHERE ended_on IS NOT NULL",
        1,
    )
    .await;
    timers.abort();
    let hers = w.app.get(&history(leaving), Some(&coordinator)).await;
    assert_eq!(hers.body[0]["ended_on"], json!(clock::today()), "{}", hers.text);
    let his = w.app.get(&history(staying), Some(&coordinator)).await;
    assert_eq!(his.body[0]["ended_on"], Value::Null, "{}", his.text);
    let listed = w.app.get("/api/v1/buddy-volunteers", Some(&coordinator)).await;
    assert_eq!(listed.body[0]["helps_now"], 1, "{}", listed.text);

    // Bram's runs out without anyone ending it: over on its last day, not before.
    let trajectories = w
        .app
        .get(
            &format!("/api/v1/participants/{staying}/trajectories"),
            Some(&coordinator),
        )
        .await;
    let last: chrono::NaiveDate = serde_json::from_value(trajectories.body[0]["ends_on"].clone()).unwrap();
    for (on, ended) in [(last, 0), (last + Duration::days(1), 1)] {
        let n = w
            .app
            .db(move |conn| {
                servicepunt::db::write_tx(conn, |conn| servicepunt::participants::buddy_ending::run(conn, on))
            })
            .await
            .unwrap();
        assert_eq!(n, ended, "on {on}");
    }
    let his = w.app.get(&history(staying), Some(&coordinator)).await;
    assert_eq!(his.body[0]["ended_on"], json!(last), "{}", his.text);
}
