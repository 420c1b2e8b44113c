//! A resident who complained hears when a werkleider handled it, with the werkleider's
//! reply if there is one: by mail, or on the call sheet without an address, and the
//! family member who made the complaint for them too. The note stays with staff.

use serde_json::{Value, json};

use crate::cheques::performed_job;
use crate::helpers::{World, count_rows, resident_body, world};
use crate::hours::participant_account;
use crate::planned_work::mails;

async fn complain(w: &World, job: i64, token: &str, message: &str) -> i64 {
    let given = w
        .app
        .post(
            &format!("/api/v1/jobs/{job}/feedback"),
            Some(token),
            json!({"kind": "complaint", "message": message}),
        )
        .await;
    assert_eq!(given.status, 201, "{}", given.text);
    given.body["id"].as_i64().unwrap()
}

async fn handle(w: &World, complaint: i64, body: Value) -> crate::helpers::Reply {
    w.app
        .post(
            &format!("/api/v1/feedback/{complaint}/handled"),
            Some(&w.werkleider),
            body,
        )
        .await
}

/// How many times the call sheet asks to phone `resident` about a handled complaint.
async fn calls_back(w: &World, resident: i64) -> i64 {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM call_tasks WHERE resident_id = {resident} AND template = 'complaint_handled'"
    );
    count_rows(&w.app, &sql).await
}

#[actix_web::test]
async fn the_resident_hears_the_reply_and_never_the_note() {
    let w = world().await;
    let (_, els) = participant_account(&w, "els@deelnemer.example").await;
    let (resident, recipient, _) = w.app.register_resident("anna@example.nl").await;
    let job = performed_job(&w, recipient, els, 0, 120).await;
    let complaint = complain(&w, job, &resident, "Het tuinhek bleef open staan.").await;

    // A note left out and a reply too long are both named; nothing is written or sent.
    let bad = handle(&w, complaint, json!({"note": " ", "reply": "x".repeat(1001)})).await;
    assert_eq!(bad.error_fields(), ["note", "reply"], "{}", bad.text);
    let open = "SELECT COUNT(*) AS n FROM job_feedback WHERE handled_at IS NULL";
    assert_eq!(count_rows(&w.app, open).await, 1);
    assert!(mails(&w, "complaint_handled").await.is_empty());

    let note = "Met Els besproken; zij had haast door haar afspraak bij de schuldhulp.";
    let reply = "Excuses! We hebben afgesproken dat het hek voortaan altijd dicht gaat.";
    let done = handle(&w, complaint, json!({"note": note, "reply": format!(" {reply} ")})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["reply"], reply);
    assert_eq!(done.body["handled_note"], note);

    let told = mails(&w, "complaint_handled").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].0, "anna@example.nl");
    assert_eq!(told[0].1["reply"], reply);
    assert_eq!(told[0].1["job_id"], job);
    assert!(!told[0].1.to_string().contains("schuldhulp"), "{:?}", told[0].1);

    let theirs = w
        .app
        .get(&format!("/api/v1/jobs/{job}/feedback"), Some(&resident))
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert_eq!(theirs.body[0]["reply"], reply);
    assert!(!theirs.text.contains("schuldhulp"), "{}", theirs.text);
    let export = w
        .app
        .get(&format!("/api/v1/residents/{recipient}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(export.body["feedback"][0]["reply"], reply, "{}", export.text);
}

#[actix_web::test]
async fn without_an_address_the_servicepunt_phones_and_the_family_member_is_mailed() {
    let w = world().await;
    let (_, els) = participant_account(&w, "els@deelnemer.example").await;
    let mut phone_only = resident_body("Mevrouw Bakker", "6711 AB");
    phone_only["phone"] = json!("0318 111222");
    let created = w.app.post("/api/v1/residents", Some(&w.werkleider), phone_only).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let mother = created.body["id"].as_i64().unwrap();
    let (daughter, _, _) = w.app.register_resident("dochter@example.nl").await;
    w.app.grant_proxy(mother, &w.werkleider, "dochter@example.nl").await;

    // The daughter complains for her mother; handled without a reply.
    let job = performed_job(&w, mother, els, 0, 120).await;
    let complaint = complain(&w, job, &daughter, "Er is niet geveegd.").await;
    let done = handle(&w, complaint, json!({"note": "Mevrouw gebeld."})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["reply"], Value::Null);
    assert_eq!(calls_back(&w, mother).await, 1, "the mother is phoned");
    let told = mails(&w, "complaint_handled").await;
    let to: Vec<&str> = told.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(to, ["dochter@example.nl"], "{told:?}");
    assert_eq!(told[0].1["reply"], Value::Null);

    // Taken down by phone by a werkleider: the resident is phoned back, no one is mailed.
    let mut neighbour = resident_body("Meneer Visser", "6712 CD");
    neighbour["phone"] = json!("0318 333444");
    let neighbour = w.app.post("/api/v1/residents", Some(&w.werkleider), neighbour).await;
    let neighbour = neighbour.body["id"].as_i64().unwrap();
    let other = performed_job(&w, neighbour, els, 1, 60).await;
    let by_phone = complain(&w, other, &w.werkleider, "Meneer belde: te vroeg weg.").await;
    let done = handle(&w, by_phone, json!({"note": "Teruggebeld.", "reply": "Excuses."})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(calls_back(&w, neighbour).await, 1);
    assert_eq!(mails(&w, "complaint_handled").await.len(), 1, "only the daughter's");
}
