//! Questions to the sociale dienst: the coach asks its agreement, writes the answer
//! down, and takes the open ones to the weekly meeting.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::helpers::{World, create_participant, world};

async fn first_trajectory(w: &World, participant: i64) -> i64 {
    let list = w
        .app
        .get(
            &format!("/api/v1/participants/{participant}/trajectories"),
            Some(&w.coordinator),
        )
        .await;
    list.body[0]["id"].as_i64().unwrap()
}

async fn coach_of(w: &World, participant: i64, email: &str) -> String {
    let coach = w.app.create_user(email, Role::Trajectbegeleider).await;
    let linked = w
        .app
        .patch(
            &format!("/api/v1/participants/{participant}"),
            Some(&w.werkleider),
            json!({"coach_user_id": coach}),
        )
        .await;
    assert_eq!(linked.status, 200, "{}", linked.text);
    w.app.login(email).await["access_token"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_coach_asks_the_sociale_dienst_and_writes_its_answer_down() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Karin Klant", "solo_klus").await;
    let other = create_participant(&w.app, &w.coordinator, "Omar Ander", "solo_klus").await;
    let coach = coach_of(&w, p, "coach@voorwerk.example").await;
    let t = first_trajectory(&w, p).await;
    let other_t = first_trajectory(&w, other).await;
    let asks = format!("/api/v1/trajectories/{t}/approvals");
    let today = servicepunt::clock::today();

    let asked = w
        .app
        .post(
            &asks,
            Some(&coach),
            json!({"kind": "participation_to_capacity", "proposal": "  Twee dagdelen vrijwilligerswerk bij de kringloop  "}),
        )
        .await;
    assert_eq!(asked.status, 201, "{}", asked.text);
    assert_eq!(asked.body["status"], "pending");
    assert_eq!(asked.body["kind_name"], "participatie naar vermogen");
    assert_eq!(
        asked.body["proposal"],
        "Twee dagdelen vrijwilligerswerk bij de kringloop"
    );
    let id = asked.body["id"].as_i64().unwrap();
    // One of a kind open at a time; another kind may be asked beside it.
    w.app
        .post(
            &asks,
            Some(&coach),
            json!({"kind": "participation_to_capacity", "proposal": "Nog eens"}),
        )
        .await
        .assert_problem(409, "already_asked");
    let psychologist = w
        .app
        .post(
            &asks,
            Some(&coach),
            json!({"kind": "psychologist", "proposal": "Slaapt slecht sinds de verhuizing"}),
        )
        .await;
    assert_eq!(psychologist.status, 201, "{}", psychologist.text);
    let coordinator_asks = w
        .app
        .post(
            &format!("/api/v1/trajectories/{other_t}/approvals"),
            Some(&w.coordinator),
            json!({"kind": "extra_time", "proposal": "Drie maanden, om het rijbewijs af te ronden"}),
        )
        .await;
    assert_eq!(coordinator_asks.status, 201, "{}", coordinator_asks.text);

    // The coach's list for the meeting holds their caseload's open questions only,
    // oldest first; the coordinator's everyone's; as CSV, in Dutch.
    let open = w.app.get("/api/v1/trajectories/approvals-open", Some(&coach)).await;
    assert_eq!(open.status, 200, "{}", open.text);
    let kinds: Vec<&str> = open
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["participation_to_capacity", "psychologist"], "{}", open.text);
    assert_eq!(open.body[0]["participant_name"], "Karin Klant");
    let all = w
        .app
        .get("/api/v1/trajectories/approvals-open", Some(&w.coordinator))
        .await;
    assert_eq!(all.body.as_array().unwrap().len(), 3, "{}", all.text);
    let sheet = w.app.get_csv("/api/v1/trajectories/approvals-open", &coach).await;
    assert_eq!(sheet.status, 200, "{}", sheet.text);
    let lines: Vec<&str> = sheet.text.lines().collect();
    assert_eq!(lines[0], "deelnemer,traject,gevraagd op,besluit,voorstel");
    assert_eq!(
        lines[1],
        format!(
            "Karin Klant,participatiebaan,{today},participatie naar vermogen,Twee dagdelen vrijwilligerswerk bij de kringloop"
        )
    );
    assert_eq!(lines.len(), 3, "{}", sheet.text);

    // The answer: on a day from the question to today, every wrong field at once.
    let answer = format!("{asks}/{id}/answer");
    let wrong = w
        .app
        .post(
            &answer,
            Some(&coach),
            json!({"agreed": true, "on": today + Duration::days(1), "note": "x".repeat(1001)}),
        )
        .await;
    assert_eq!(wrong.error_fields(), ["on", "note"]);
    let answered = w
        .app
        .post(
            &answer,
            Some(&coach),
            json!({"agreed": true, "on": today, "case_manager": "mw. Jansen", "note": "Over een half jaar opnieuw bekijken"}),
        )
        .await;
    assert_eq!(answered.status, 200, "{}", answered.text);
    assert_eq!(answered.body["status"], "agreed");
    assert_eq!(answered.body["answered_on"], json!(today));
    assert_eq!(answered.body["case_manager"], "mw. Jansen");
    w.app
        .post(&answer, Some(&coach), json!({"agreed": false, "on": today}))
        .await
        .assert_problem(409, "not_pending");

    // Taken back, the psychologist question is no longer open; once.
    let pid = psychologist.body["id"].as_i64().unwrap();
    let withdraw = format!("{asks}/{pid}/withdraw");
    let withdrawn = w.app.call(Method::POST, &withdraw, Some(&coach), None).await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    w.app
        .call(Method::POST, &withdraw, Some(&coach), None)
        .await
        .assert_problem(409, "not_pending");
    let open = w.app.get("/api/v1/trajectories/approvals-open", Some(&coach)).await;
    assert_eq!(open.body, json!([]), "{}", open.text);
    // Answered, the same kind may be asked again.
    let again = w
        .app
        .post(
            &asks,
            Some(&coach),
            json!({"kind": "participation_to_capacity", "proposal": "Nu drie dagdelen"}),
        )
        .await;
    assert_eq!(again.status, 201, "{}", again.text);

    // The coach's list of trajectories ending shows what is asked or agreed for after
    // them; not what was taken back.
    let ending = w
        .app
        .get("/api/v1/trajectories/ending?within_days=400", Some(&coach))
        .await;
    assert_eq!(ending.status, 200, "{}", ending.text);
    let asked_after: Vec<(&str, &str)> = ending.body[0]["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["kind"].as_str().unwrap(), a["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        asked_after,
        [
            ("participation_to_capacity", "agreed"),
            ("participation_to_capacity", "pending"),
        ],
        "{}",
        ending.text
    );

    let history = w.app.get(&asks, Some(&coach)).await;
    let statuses: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["agreed", "withdrawn", "pending"], "{}", history.text);

    // Not another coach's caseload; not werkleiders or finance at all.
    for token in [&coach] {
        w.app
            .get(&format!("/api/v1/trajectories/{other_t}/approvals"), Some(token))
            .await
            .assert_problem(404, "not_found");
    }
    w.app
        .post(
            &format!("/api/v1/trajectories/{other_t}/approvals"),
            Some(&coach),
            json!({"kind": "care", "proposal": "Schuldhulp"}),
        )
        .await
        .assert_problem(404, "not_found");
    let finance = w.app.token_for(Role::Finance).await;
    for token in [&w.werkleider, &finance] {
        w.app.get(&asks, Some(token)).await.assert_problem(403, "forbidden");
    }
}

#[actix_web::test]
async fn a_wrong_question_is_refused_and_erasure_takes_the_questions() {
    let w = world().await;
    let p = create_participant(&w.app, &w.coordinator, "Eva Vraag", "solo_klus").await;
    let t = first_trajectory(&w, p).await;
    let asks = format!("/api/v1/trajectories/{t}/approvals");
    let post = |body: Value| {
        let (w, asks) = (&w, asks.clone());
        async move { w.app.post(&asks, Some(&w.coordinator), body).await }
    };
    post(json!({"kind": "care", "proposal": "  "}))
        .await
        .assert_problem(422, "validation_failed");
    post(json!({"kind": "astrologer", "proposal": "Nee"}))
        .await
        .assert_problem(400, "invalid_body");
    let asked = post(json!({"kind": "assessment", "proposal": "Arbeidsdeskundig onderzoek"})).await;
    assert_eq!(asked.status, 201, "{}", asked.text);
    let id = asked.body["id"].as_i64().unwrap();
    // Answered before it was asked: refused.
    let before = servicepunt::clock::today() - Duration::days(1);
    let early = w
        .app
        .post(
            &format!("{asks}/{id}/answer"),
            Some(&w.coordinator),
            json!({"agreed": false, "on": before}),
        )
        .await;
    assert_eq!(early.error_fields(), ["on"]);
    w.app
        .post(
            &format!("/api/v1/trajectories/{t}/approvals/{}/answer", id + 1000),
            Some(&w.coordinator),
            json!({"agreed": false, "on": servicepunt::clock::today()}),
        )
        .await
        .assert_problem(404, "not_found");

    let export_path = format!("/api/v1/participants/{p}/export");
    let export = w.app.get(&export_path, Some(&w.coordinator)).await;
    assert_eq!(
        export.body["trajectories"][0]["approvals"][0]["proposal"], "Arbeidsdeskundig onderzoek",
        "{}",
        export.text
    );
    crate::helpers::erase_participant(&w.app, &w.coordinator, p).await;
    let after = w.app.get(&export_path, Some(&w.coordinator)).await;
    assert!(!after.text.contains("Arbeidsdeskundig"), "{}", after.text);
    post(json!({"kind": "care", "proposal": "Schuldhulp"}))
        .await
        .assert_problem(409, "participant_erased");
}

/// Extra time is the trajectory's one extension: it is not asked once the trajectory was
/// extended, or after it ended, when a next trajectory still may be.
#[actix_web::test]
async fn extra_time_is_not_asked_for_a_trajectory_that_cannot_be_extended() {
    let w = world().await;
    let extra = |proposal: &str| json!({"kind": "extra_time", "proposal": proposal});
    let ask = |t: i64, body: Value| {
        let w = &w;
        async move {
            w.app
                .post(
                    &format!("/api/v1/trajectories/{t}/approvals"),
                    Some(&w.coordinator),
                    body,
                )
                .await
        }
    };

    let p = create_participant(&w.app, &w.coordinator, "Els Verlengd", "solo_klus").await;
    let t = first_trajectory(&w, p).await;
    let row = w
        .app
        .get(&format!("/api/v1/participants/{p}/trajectories"), Some(&w.coordinator))
        .await;
    let ends_on: chrono::NaiveDate = row.body[0]["ends_on"].as_str().unwrap().parse().unwrap();
    let extended = w
        .app
        .post(
            &format!("/api/v1/trajectories/{t}/extend"),
            Some(&w.coordinator),
            json!({"until": ends_on + Duration::days(90), "justification": "Rijbewijs"}),
        )
        .await;
    assert_eq!(extended.status, 200, "{}", extended.text);
    let refused = ask(t, extra("Nog drie maanden")).await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(
        refused.body["errors"][0]["code"], "already_extended",
        "{}",
        refused.text
    );

    let q = create_participant(&w.app, &w.coordinator, "Piet Klaar", "solo_klus").await;
    let ended = crate::helpers::end_trajectory(&w.app, &w.coordinator, q, servicepunt::clock::today()).await;
    let refused = ask(ended, extra("Toch langer")).await;
    assert_eq!(
        refused.body["errors"][0]["code"], "trajectory_ended",
        "{}",
        refused.text
    );
    let next = ask(
        ended,
        json!({"kind": "next_trajectory", "proposal": "Detachering bij de kwekerij"}),
    )
    .await;
    assert_eq!(next.status, 201, "{}", next.text);
}
