//! Residents' compliments reach the crew who did the work; complaints reach the
//! werkleiders only, who mark them handled. Participants never see a complaint, finance
//! sees neither, and a resident's words go with their erasure.

use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::cheques::performed_job;
use crate::helpers::{World, count_rows, execute_sql, order_body, world};
use crate::hours::participant_account;
use crate::planned_work::mails;
use crate::timers::{eventually, start_timers};

fn feedback_of(job: i64) -> String {
    format!("/api/v1/jobs/{job}/feedback")
}

async fn give(w: &World, job: i64, token: &str, kind: &str, message: &str) -> crate::helpers::Reply {
    w.app
        .post(
            &feedback_of(job),
            Some(token),
            json!({"kind": kind, "message": message}),
        )
        .await
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_compliment_reaches_the_crew_and_a_complaint_only_the_werkleiders() {
    let w = world().await;
    let (els_token, els) = participant_account(&w, "els@deelnemer.example").await;
    let (teun_token, _) = participant_account(&w, "teun@deelnemer.example").await;
    let (resident, recipient, _) = w.app.register_resident("anna@example.nl").await;
    let (stranger, _, _) = w.app.register_resident("buurman@example.nl").await;
    let finance = w.app.token_for(Role::Finance).await;

    // Work not done yet takes no feedback.
    let waiting = w
        .app
        .post("/api/v1/jobs", Some(&resident), order_body(w.hedge, 60))
        .await;
    let waiting = waiting.body["id"].as_i64().unwrap();
    let early = give(&w, waiting, &resident, "compliment", "Alvast bedankt").await;
    assert_eq!(early.status, 409, "{}", early.text);
    assert_eq!(early.body["code"], "job_not_done");

    let job = performed_job(&w, recipient, els, 0, 120).await;
    // Only the resident it was for (and the werkleiders) give it.
    assert_eq!(give(&w, job, &stranger, "compliment", "Hoi").await.status, 404);
    assert_eq!(give(&w, job, &finance, "compliment", "Hoi").await.status, 403);
    assert_eq!(give(&w, job, &els_token, "compliment", "Hoi").await.status, 403);
    let empty = give(&w, job, &resident, "compliment", "  \n ").await;
    assert_eq!(empty.status, 422, "{}", empty.text);
    assert_eq!(empty.body["errors"][0]["field"], "message");
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM job_feedback").await, 0);

    let words = "Heel fijn geholpen, de heg is prachtig!";
    let compliment = give(&w, job, &resident, "compliment", words).await;
    assert_eq!(compliment.status, 201, "{}", compliment.text);
    assert_eq!(compliment.body["kind"], "compliment");
    assert_eq!(compliment.body["message"], words);
    assert_eq!(compliment.body["taken_by_staff"], false);
    // A phone's retry gets the first answer; other words are a second compliment.
    let retry = give(&w, job, &resident, "compliment", words).await;
    assert_eq!(retry.status, 200, "{}", retry.text);
    assert_eq!(retry.body["id"], compliment.body["id"]);
    let other = give(&w, job, &resident, "compliment", "Nog iets").await;
    assert_eq!(other.status, 409, "{}", other.text);
    assert_eq!(other.body["code"], "feedback_given");

    // Passed on to who did the work, once, by mail and in their app.
    let passed_on = mails(&w, "compliment_received").await;
    assert_eq!(passed_on.len(), 1, "{passed_on:?}");
    assert_eq!(passed_on[0].0, "els@deelnemer.example");
    assert_eq!(passed_on[0].1["message"], words);
    assert_eq!(passed_on[0].1["from"], "Anna");
    let own = w.app.get("/api/v1/me/compliments", Some(&els_token)).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.body.as_array().unwrap().len(), 1, "{}", own.text);
    assert_eq!(own.body[0]["job_id"], job);
    assert_eq!(own.body[0]["from"], "Anna");
    assert_eq!(own.body[0]["message"], words);
    let others = w.app.get("/api/v1/me/compliments", Some(&teun_token)).await;
    assert_eq!(others.body, json!([]), "not on this job: {}", others.text);

    let complaint_words = "Het tuinhek bleef open staan, de kat liep weg.";
    let complaint = give(&w, job, &resident, "complaint", complaint_words).await;
    assert_eq!(complaint.status, 201, "{}", complaint.text);
    let complaint_id = complaint.body["id"].as_i64().unwrap();
    // The werkleiders hear that there is one; what it says is read in the list.
    let alerted = mails(&w, "complaint_received").await;
    assert_eq!(alerted.len(), 1, "{alerted:?}");
    assert_eq!(alerted[0].1["job_id"], job);
    assert!(!alerted[0].1.to_string().contains("tuinhek"), "{:?}", alerted[0].1);
    // The crew does not.
    assert_eq!(mails(&w, "compliment_received").await.len(), 1);
    let own = w.app.get("/api/v1/me/compliments", Some(&els_token)).await;
    assert!(!own.text.contains("tuinhek"), "{}", own.text);
    assert_eq!(w.app.get(&feedback_of(job), Some(&els_token)).await.status, 403);
    assert_eq!(w.app.get(&feedback_of(job), Some(&finance)).await.status, 403);
    assert_eq!(w.app.get("/api/v1/feedback", Some(&finance)).await.status, 403);

    let open = w
        .app
        .get("/api/v1/feedback?kind=complaint&open=true", Some(&w.werkleider))
        .await;
    assert_eq!(open.status, 200, "{}", open.text);
    assert_eq!(ids(&open.body), [complaint_id]);
    let item = &open.body["items"][0];
    assert_eq!(item["message"], complaint_words);
    assert_eq!(item["recipient_id"], recipient);
    assert_eq!(
        item["crew"],
        json!([{"participant_id": els, "first_name": "Deelnemer"}])
    );
    assert_eq!(item["handled_at"], Value::Null);

    let handled = format!("/api/v1/feedback/{complaint_id}/handled");
    let no_note = w.app.post(&handled, Some(&w.werkleider), json!({"note": " "})).await;
    assert_eq!(no_note.status, 422, "{}", no_note.text);
    let note = "Mevrouw gebeld; met Els besproken dat het hek dicht moet.";
    let done = w.app.post(&handled, Some(&w.werkleider), json!({"note": note})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["handled_note"], note);
    assert_eq!(done.body["handled_by"], "Test Gebruiker");
    let again = w.app.post(&handled, Some(&w.werkleider), json!({"note": note})).await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.body["code"], "already_handled");
    let compliment_id = compliment.body["id"].as_i64().unwrap();
    let not_one = w
        .app
        .post(
            &format!("/api/v1/feedback/{compliment_id}/handled"),
            Some(&w.werkleider),
            json!({"note": note}),
        )
        .await;
    assert_eq!(not_one.status, 409, "{}", not_one.text);
    assert_eq!(not_one.body["code"], "not_a_complaint");

    let open = w
        .app
        .get("/api/v1/feedback?kind=complaint&open=true", Some(&w.werkleider))
        .await;
    assert_eq!(ids(&open.body), Vec::<i64>::new());
    let closed = w.app.get("/api/v1/feedback?open=false", Some(&w.werkleider)).await;
    assert_eq!(ids(&closed.body), [complaint_id]);
    let all = w.app.get("/api/v1/feedback", Some(&w.werkleider)).await;
    assert_eq!(ids(&all.body), [complaint_id, compliment_id], "newest first");

    // The resident sees that it was handled, not the werkleider's note.
    let theirs = w.app.get(&feedback_of(job), Some(&resident)).await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert_eq!(theirs.body[0]["kind"], "compliment");
    assert_eq!(theirs.body[1]["kind"], "complaint");
    assert!(theirs.body[1]["handled_at"].is_string(), "{}", theirs.text);
    assert!(theirs.body[1].get("handled_note").is_none(), "{}", theirs.text);
    assert!(!theirs.text.contains("besproken"), "{}", theirs.text);
    let staff = w.app.get(&feedback_of(job), Some(&w.werkleider)).await;
    assert_eq!(staff.body[1]["handled_note"], note);
    // Who read the list and who handled the complaint is in the audit log.
    let log = crate::audit_trail::audit_entries(&w, &format!("resident:{recipient}")).await;
    for expected in [
        ("read", "GET /api/v1/feedback", 200, None),
        ("change", "POST /api/v1/feedback/{id}/handled", 200, Some(recipient)),
    ] {
        let expected = (expected.0.to_owned(), expected.1.to_owned(), expected.2, expected.3);
        assert!(log.contains(&expected), "{expected:?} in {log:?}");
    }
    assert_eq!(w.app.get(&feedback_of(job), Some(&stranger)).await.status, 404);
}

/// Staff take it down by phone; the resident's data-subject export holds it, the
/// participant's holds the compliments; erasure removes the words, and the daily timer
/// removes feedback past its retention.
#[actix_web::test]
async fn feedback_taken_by_phone_is_exported_erased_and_kept_no_longer_than_set() {
    let w = world().await;
    let (_, els) = participant_account(&w, "els@deelnemer.example").await;
    let (_, recipient, _) = w.app.register_resident("anna@example.nl").await;
    let job = performed_job(&w, recipient, els, 0, 120).await;
    let by_phone = give(&w, job, &w.werkleider, "compliment", "Mevrouw belde: dank aan Els!").await;
    assert_eq!(by_phone.status, 201, "{}", by_phone.text);
    assert_eq!(by_phone.body["taken_by_staff"], true);
    let complaint = give(&w, job, &w.werkleider, "complaint", "Mevrouw belde: te vroeg weg").await;
    assert_eq!(complaint.status, 201, "{}", complaint.text);

    let export = w
        .app
        .get(&format!("/api/v1/residents/{recipient}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(export.status, 200, "{}", export.text);
    let kinds: Vec<&str> = export.body["feedback"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["compliment", "complaint"], "{}", export.text);
    let theirs = w
        .app
        .get(&format!("/api/v1/participants/{els}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert_eq!(theirs.body["compliments"][0]["message"], "Mevrouw belde: dank aan Els!");
    assert!(!theirs.text.contains("te vroeg weg"), "{}", theirs.text);

    // Past the retention (24 months here), the daily timer deletes it.
    execute_sql(
        &w.app,
        format!(
            "UPDATE job_feedback SET created_at = '2020-01-01 00:00:00' WHERE id = {}",
            complaint.body["id"]
        ),
    )
    .await;
    let timers = start_timers(&w.app);
    eventually(&w.app, "SELECT COUNT(*) AS n FROM job_feedback", 1).await;
    timers.abort();

    let erased = w
        .app
        .post(
            &format!("/api/v1/residents/{recipient}/erase"),
            Some(&w.coordinator),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(erased.status, 204, "{}", erased.text);
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM job_feedback").await, 0);
    // And nothing new is recorded for them.
    let after = give(&w, job, &w.werkleider, "compliment", "Nog een compliment").await;
    assert_eq!(after.status, 409, "{}", after.text);
    assert_eq!(after.body["code"], "resident_erased");
}
