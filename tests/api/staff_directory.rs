//! The staff see who is who among them: the names behind the account ids that records
//! carry, and nothing else of each other.

use serde_json::{Value, json};
use servicepunt::auth::Role;

use crate::helpers::{TestApp, spawn_app};

/// A staff account made by the coordinator; its id.
async fn colleague(app: &TestApp, coordinator: &str, name: &str, role: &str) -> i64 {
    let email = format!("{}@servicepunt.example", name.to_lowercase());
    let body = json!({"email": email, "name": name, "role": role});
    let made = app.post("/api/v1/admin/users", Some(coordinator), body).await;
    assert_eq!(made.status, 201, "{}", made.text);
    made.body["id"].as_i64().unwrap()
}

fn named(list: &Value, id: i64) -> &Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} is listed: {list}"))
}

#[actix_web::test]
async fn the_staff_read_the_names_behind_the_ids_records_carry() {
    let app = spawn_app().await;
    let coordinator = app.token_for(Role::Coordinator).await;
    let karin = colleague(&app, &coordinator, "Karin", "finance").await;
    let ahmed = colleague(&app, &coordinator, "Ahmed", "trajectbegeleider").await;
    let bram = colleague(&app, &coordinator, "Bram", "trajectbegeleider").await;
    let left = app
        .post(
            &format!("/api/v1/admin/users/{bram}/disable"),
            Some(&coordinator),
            json!({}),
        )
        .await;
    assert_eq!(left.status, 200, "{}", left.text);

    // The finance desk sees who opened a drawer.
    let finance = app.token_for(Role::Finance).await;
    let opened = app
        .post("/api/v1/cash-sessions", Some(&finance), json!({"float_cents": 5000}))
        .await;
    assert_eq!(opened.status, 201, "{}", opened.text);
    let all = app.get("/api/v1/staff", Some(&finance)).await;
    assert_eq!(all.status, 200, "{}", all.text);
    let opener = named(&all.body, opened.body["opened_by"].as_i64().unwrap());
    assert_eq!(opener["role"], "finance", "{opener}");
    assert_eq!(
        named(&all.body, karin),
        &json!({"id": karin, "name": "Karin", "role": "finance", "active": true})
    );
    assert_eq!(named(&all.body, bram)["active"], false, "those who left are named too");
    let names: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "by name");

    // A werkleider registering a participant picks the coach from the coaches.
    let werkleider = app.token_for(Role::Werkleider).await;
    let coaches = app.get("/api/v1/staff?role=trajectbegeleider", Some(&werkleider)).await;
    let ids: Vec<i64> = coaches
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [ahmed, bram], "{}", coaches.text);

    app.get("/api/v1/staff?role=resident", Some(&werkleider))
        .await
        .assert_problem(400, "invalid_query");
    let participant = app.token_for(Role::Participant).await;
    app.get("/api/v1/staff", Some(&participant))
        .await
        .assert_problem(403, "forbidden");
}
