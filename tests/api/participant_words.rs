//! A participant's skills, interests and aversions are the catalogue's words: a word it
//! does not use would silently keep them from work they can do or like, so it is refused
//! with the words it knows. Words a profile holds stay when the catalogue changes.

use serde_json::json;

use crate::helpers::{count_rows, create_service, world};

#[actix_web::test]
async fn a_word_the_catalogue_does_not_use_is_refused_naming_the_ones_it_does() {
    let w = world().await; // the hedge: category `tuin`, skill `tuinieren`
    create_service(&w.app, &w.coordinator, "Gezelschap", "gezelschap", false, 240).await;
    let register = |body| w.app.post("/api/v1/participants", Some(&w.werkleider), body);

    let typo = register(json!({"name": "Sanne", "contracted_hours_per_week": 16, "skills": ["tuinierren"]})).await;
    assert_eq!(typo.status, 422, "{}", typo.text);
    assert_eq!(typo.body["errors"][0]["field"], "skills[0]");
    assert_eq!(typo.body["errors"][0]["code"], "unknown_skill");
    let message = typo.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("tuinieren"), "{message}");
    let liking = json!({"name": "Sanne", "contracted_hours_per_week": 16, "interests": ["gezelschap", "koken"],
        "aversions": ["Tuin"]});
    let unknown = register(liking).await;
    assert_eq!(unknown.status, 422, "{}", unknown.text);
    assert_eq!(unknown.body["errors"].as_array().unwrap().len(), 1, "{}", unknown.text);
    assert_eq!(unknown.body["errors"][0]["field"], "interests[1]");
    assert_eq!(unknown.body["errors"][0]["code"], "unknown_category");
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM participants").await, 0);

    let body = json!({"name": "Sanne", "contracted_hours_per_week": 16, "skills": ["Tuinieren"],
        "interests": ["gezelschap"], "aversions": ["tuin"]});
    let sanne = register(body).await;
    assert_eq!(sanne.status, 201, "{}", sanne.text);
    let path = format!("/api/v1/participants/{}", sanne.body["id"]);

    // The hedge now asks for `snoeien`: Sanne keeps `tuinieren` while her profile changes.
    let service = format!("/api/v1/services/{}", w.hedge);
    let changed = w
        .app
        .patch(&service, Some(&w.coordinator), json!({"required_skill": "snoeien"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let renamed = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"name": "Sanne de Boer"}))
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let added = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"skills": ["tuinieren", "snoeien"]}))
        .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body["skills"], json!(["tuinieren", "snoeien"]));
    let new_word = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"skills": ["tuinieren", "zagen"]}))
        .await;
    assert_eq!(new_word.status, 422, "{}", new_word.text);
    assert_eq!(new_word.body["errors"][0]["field"], "skills[1]");
    let kept = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(
        kept.body["skills"],
        json!(["tuinieren", "snoeien"]),
        "nothing half-written"
    );
}
