//! What a participant is told of who the work is for: the first name, or, for a resident
//! recorded without one ("Mevrouw Bakker", the way many older residents give their name
//! on the phone), the name as recorded: "Mevrouw" alone tells a participant at the door
//! nothing.

use serde_json::json;

use crate::helpers::{local_span, order_body, resident_body, world};
use crate::planning::{assign, participant_with_account};

#[actix_web::test]
async fn a_participant_is_told_the_first_name_or_the_name_as_recorded() {
    let w = world().await;
    let app = &w.app;
    let (worker, token) = participant_with_account(&w, "werker@servicepunt.example").await;

    let tomorrow = servicepunt::clock::today() + chrono::Duration::days(1);
    for (n, name) in ["Mevrouw Bakker", "Dhr. J. de Vries", "Anna de Wit"].iter().enumerate() {
        let mut body = resident_body(name, "6711 AB");
        body["address"]["house_number"] = json!(format!("{}", 40 + n));
        let resident = app.post("/api/v1/residents", Some(&w.werkleider), body).await;
        assert_eq!(resident.status, 201, "{}", resident.text);
        let mut order = order_body(w.hedge, 60);
        order["recipient_id"] = resident.body["id"].clone();
        let job = app.post("/api/v1/jobs", Some(&w.werkleider), order).await;
        assert_eq!(job.status, 201, "{}", job.text);
        let hour = 8 + n as u32;
        let planned = assign(
            &w,
            job.body["id"].as_i64().unwrap(),
            &[worker],
            &local_span(tomorrow, hour, 60),
        )
        .await;
        assert_eq!(planned.status, 201, "{}", planned.text);
    }

    let schedule = app.get("/api/v1/me/schedule", Some(&token)).await;
    let told: Vec<&str> = schedule
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["recipient_first_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        told,
        ["Mevrouw Bakker", "Dhr. J. de Vries", "Anna"],
        "{}",
        schedule.text
    );
}
