//! A resident asks for the same helpers again once work is done: planning then puts them
//! higher among those who may go. The resident and family see first names only; the
//! werkleider sees which participant; a wish can be stopped, and goes with an erasure.

use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::cheques::performed_job;
use crate::helpers::{World, count_rows, create_participant, erase_participant, next_local, order_body, world};

/// The continuity points of each participant suggested for `job` at three in the afternoon (after the morning of `performed_job`).
async fn continuity(w: &World, job: i64) -> Vec<(i64, i64)> {
    let (from, until) = next_local(15, 60);
    let enc = |s: &str| s.replace('+', "%2B").replace(':', "%3A");
    let url = format!(
        "/api/v1/jobs/{job}/suggestions?starts_at={}&ends_at={}",
        enc(&from),
        enc(&until)
    );
    let reply = w.app.get(&url, Some(&w.werkleider)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut parts: Vec<(i64, i64)> = reply.body["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["participant_id"].as_i64().unwrap(),
                r["score"]["continuity"].as_i64().unwrap(),
            )
        })
        .collect();
    parts.sort_unstable();
    parts
}

#[actix_web::test]
async fn a_resident_asks_for_the_same_helper_again() {
    let w = world().await;
    let (token, oma, _) = w.app.register_resident("oma@example.nl").await;
    let (priyas_app, priya) = crate::on_call::participant_with_app(&w, "priya@deelnemer.example").await;
    let karel = create_participant(&w.app, &w.coordinator, "Karel Jansen", "solo_klus").await;
    let done = performed_job(&w, oma, priya, 1, 60).await;
    let next = w.app.post("/api/v1/jobs", Some(&token), order_body(w.hedge, 60)).await;
    assert_eq!(next.body["status"], "waitlisted", "{}", next.text);
    let next = next.body["id"].as_i64().unwrap();
    let before = continuity(&w, next).await;

    // Not before the work is done.
    w.app
        .post(&format!("/api/v1/jobs/{next}/ask-again"), Some(&token), json!({}))
        .await
        .assert_problem(409, "job_not_done");
    let asked = w
        .app
        .post(&format!("/api/v1/jobs/{done}/ask-again"), Some(&token), json!({}))
        .await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert_eq!(asked.body.as_array().unwrap().len(), 1, "{}", asked.text);
    assert_eq!(asked.body[0]["first_name"], "Priya");
    assert!(asked.body[0].get("participant_id").is_none(), "{}", asked.text);
    assert!(!asked.text.contains("Ramdin"), "{}", asked.text);
    // Asked twice, still one wish.
    let again = w
        .app
        .post(&format!("/api/v1/jobs/{done}/ask-again"), Some(&token), json!({}))
        .await;
    assert_eq!(again.body, asked.body);

    // She hears of it once, with the resident's first name only, and sees it in the app.
    let told = crate::planned_work::mails(&w, "asked_again").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].0, "priya@deelnemer.example");
    assert_eq!(told[0].1["from"], "Anna", "{told:?}");
    assert_eq!(told[0].1["service"], "Heg snoeien");
    let me = w.app.get("/api/v1/me/participant", Some(&priyas_app)).await;
    assert_eq!(me.body["asked_again_by"], 1, "{}", me.text);

    // Planning puts her higher for this resident, by the points of a wish.
    let after = continuity(&w, next).await;
    let points = |of: &[(i64, i64)], p: i64| of.iter().find(|(id, _)| *id == p).unwrap().1;
    assert_eq!(points(&after, priya), points(&before, priya) + 30, "{after:?}");
    assert_eq!(points(&after, karel), 0, "{after:?}");

    // The werkleider sees which participant; the resident reads their own list.
    let path = format!("/api/v1/residents/{oma}/preferred-helpers");
    let staff = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(staff.body[0]["participant_id"], priya, "{}", staff.text);
    let own = w.app.get(&path, Some(&token)).await;
    assert_eq!(own.body, asked.body);
    let export = w.app.get("/api/v1/me/resident/export", Some(&token)).await;
    assert_eq!(export.body["preferred_helpers"], asked.body, "{}", export.text);

    // Someone else's resident: as unknown as one that does not exist.
    let (other, _, _) = w.app.register_resident("buurman@example.nl").await;
    w.app.get(&path, Some(&other)).await.assert_problem(404, "not_found");
    w.app
        .post(&format!("/api/v1/jobs/{done}/ask-again"), Some(&other), json!({}))
        .await
        .assert_problem(404, "not_found");
    let wish = asked.body[0]["id"].as_i64().unwrap();
    let one = format!("{path}/{wish}");
    let stop = |token: String| {
        let (w, one) = (&w, one.clone());
        async move { w.app.call(reqwest::Method::DELETE, &one, Some(&token), None).await }
    };
    stop(other.clone()).await.assert_problem(404, "not_found");
    let participant = w.app.token_for(Role::Participant).await;
    w.app
        .get(&path, Some(&participant))
        .await
        .assert_problem(403, "forbidden");

    // Stopped: she is no higher than before, and the wish is gone.
    assert_eq!(stop(token.clone()).await.status, 204);
    assert_eq!(w.app.get(&path, Some(&token)).await.body, json!([]));
    assert_eq!(continuity(&w, next).await, before);
    let me = w.app.get("/api/v1/me/participant", Some(&priyas_app)).await;
    assert_eq!(me.body["asked_again_by"], 0, "{}", me.text);
    stop(token.clone()).await.assert_problem(404, "not_found");

    // Her data erased, the wish for her goes with it (after the planned work is done).
    let asked = w
        .app
        .post(
            &format!("/api/v1/jobs/{done}/ask-again"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    assert_eq!(asked.body[0]["participant_id"], priya, "{}", asked.text);
    erase_participant(&w.app, &w.coordinator, priya).await;
    let listed: Value = w.app.get(&path, Some(&w.werkleider)).await.body;
    assert_eq!(listed, json!([]));
    let kept = format!("SELECT COUNT(*) AS n FROM preferred_participants WHERE participant_id = {priya}");
    assert_eq!(count_rows(&w.app, &kept).await, 0, "not only hidden: gone");

    // Nobody who left is asked for again.
    w.app
        .post(&format!("/api/v1/jobs/{done}/ask-again"), Some(&token), json!({}))
        .await
        .assert_problem(409, "helpers_gone");

    // A resident's own data erased: their wishes go too.
    let opa = crate::cheques::resident(&w, "Opa Smit", None, "99").await;
    let karels = performed_job(&w, opa, karel, 2, 60).await;
    let asked = w
        .app
        .post(
            &format!("/api/v1/jobs/{karels}/ask-again"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    assert_eq!(asked.body[0]["participant_id"], karel, "{}", asked.text);
    let erased = w
        .app
        .post(
            &format!("/api/v1/residents/{opa}/erase"),
            Some(&w.coordinator),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    let theirs = format!("SELECT COUNT(*) AS n FROM preferred_participants WHERE resident_id = {opa}");
    assert_eq!(count_rows(&w.app, &theirs).await, 0);
}
