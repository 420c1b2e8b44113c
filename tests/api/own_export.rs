//! A person's own copy of their data from the app (AVG art. 15): a resident's and a
//! participant's, each their own only, without the notes staff write about them, which
//! are named so they know to ask for them.

use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::{order_body, world};
use crate::on_call::participant_with_app;
use crate::privacy::excused_and_worked;

#[actix_web::test]
async fn a_resident_downloads_their_own_data_without_the_staff_notes() {
    let w = world().await;
    let (token, id, _) = w.app.register_resident("eigen@example.nl").await;
    let noted = w
        .app
        .patch(
            &format!("/api/v1/residents/{id}"),
            Some(&w.werkleider),
            json!({"staff_notes": "Let op de hond van de buurman."}),
        )
        .await;
    assert_eq!(noted.status, 200, "{}", noted.text);
    let wmo = w
        .app
        .post(
            &format!("/api/v1/residents/{id}/eligibility"),
            Some(&w.werkleider),
            json!({"basis": "wmo", "valid_from": "2026-01-01", "evidence_ref": "WMO-2026-0123"}),
        )
        .await;
    assert_eq!(wmo.status, 201, "{}", wmo.text);
    let mut order = order_body(w.hedge, 60);
    order["description"] = json!("Heg langs het tuinpad");
    let job = w.app.post("/api/v1/jobs", Some(&token), order).await;
    assert_eq!(job.status, 201, "{}", job.text);
    let (other, _, _) = w.app.register_resident("buurvrouw@example.nl").await;

    let own = w.app.get("/api/v1/me/resident/export", Some(&token)).await;
    assert_eq!(own.status, 200, "{}", own.text);
    let saved_as = own.headers.get("content-disposition").unwrap().to_str().unwrap();
    assert_eq!(saved_as, "attachment; filename=\"my-data.json\"");
    assert_eq!(own.body["resident"]["id"], id);
    assert_eq!(own.body["account"]["email"], "eigen@example.nl");
    assert_eq!(own.body["eligibility_periods"][0]["evidence_ref"], "WMO-2026-0123");
    assert_eq!(own.body["jobs"][0]["description"], "Heg langs het tuinpad");
    assert!(!own.text.contains("buurman"), "{}", own.text);
    assert_eq!(own.body["resident"]["staff_notes"], json!(null));
    assert_eq!(own.body["withheld"]["fields"], json!(["resident.staff_notes"]));

    // The coordinator's copy for a request holds the notes and withholds nothing.
    let full = w
        .app
        .get(&format!("/api/v1/residents/{id}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(full.status, 200, "{}", full.text);
    assert_eq!(full.body["resident"]["staff_notes"], "Let op de hond van de buurman.");
    assert!(full.body.get("withheld").is_none(), "{}", full.text);

    // Another resident gets their own, nothing of this one's.
    let theirs = w.app.get("/api/v1/me/resident/export", Some(&other)).await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert_eq!(theirs.body["account"]["email"], "buurvrouw@example.nl");
    assert!(!theirs.text.contains("tuinpad"), "{}", theirs.text);
    assert!(!theirs.text.contains("WMO-2026-0123"), "{}", theirs.text);

    // Staff have no resident record of their own; a participant is not a resident.
    w.app
        .get("/api/v1/me/resident/export", Some(&w.werkleider))
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get("/api/v1/me/resident/export", Some(&w.coordinator))
        .await
        .assert_problem(404, "not_found");
    let (participant, _) = participant_with_app(&w, "priya@deelnemer.example").await;
    w.app
        .get("/api/v1/me/resident/export", Some(&participant))
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get("/api/v1/me/resident/export", None)
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn a_participant_downloads_their_own_data_without_notes_about_them() {
    let w = world().await;
    let (token, p) = participant_with_app(&w, "priya@deelnemer.example").await;
    excused_and_worked(&w, p, "Ruzie met de buurjongen").await;
    let trajectories = w
        .app
        .get(&format!("/api/v1/participants/{p}/trajectories"), Some(&w.coordinator))
        .await;
    let t = trajectories.body[0]["id"].as_i64().unwrap();
    let asked = w
        .app
        .post(
            &format!("/api/v1/trajectories/{t}/approvals"),
            Some(&w.coordinator),
            json!({"kind": "assessment", "proposal": "Arbeidsdeskundig onderzoek"}),
        )
        .await;
    assert_eq!(asked.status, 201, "{}", asked.text);

    let own = w.app.get("/api/v1/me/participant/export", Some(&token)).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.body["participant"]["name"], "Priya Ramdin");
    assert_eq!(own.body["attendance"][0]["status"], "excused");
    assert_eq!(own.body["attendance"][0]["note"], json!(null));
    assert_eq!(own.body["work_logs"].as_array().unwrap().len(), 1);
    assert_eq!(own.body["trajectories"][0]["kind"], trajectories.body[0]["kind"]);
    assert_eq!(own.body["trajectories"][0]["approvals"], json!(null));
    assert!(!own.text.contains("buurjongen"), "{}", own.text);
    assert!(!own.text.contains("Arbeidsdeskundig"), "{}", own.text);
    assert_eq!(
        own.body["withheld"]["fields"],
        json!(["attendance.note", "trajectories.approvals"])
    );

    let full = w
        .app
        .get(&format!("/api/v1/participants/{p}/export"), Some(&w.coordinator))
        .await;
    assert_eq!(full.body["attendance"][0]["note"], "Ruzie met de buurjongen");
    assert_eq!(
        full.body["trajectories"][0]["approvals"][0]["proposal"],
        "Arbeidsdeskundig onderzoek"
    );
    assert!(full.body.get("withheld").is_none(), "{}", full.text);

    // A resident, or a participant account not linked to a profile, gets no participant's.
    let (resident, _, _) = w.app.register_resident("eigen@example.nl").await;
    w.app
        .get("/api/v1/me/participant/export", Some(&resident))
        .await
        .assert_problem(403, "forbidden");
    w.app.create_user("los@deelnemer.example", Role::Participant).await;
    let unlinked = w.app.login("los@deelnemer.example").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    w.app
        .get("/api/v1/me/participant/export", Some(&unlinked))
        .await
        .assert_problem(404, "not_found");
}
