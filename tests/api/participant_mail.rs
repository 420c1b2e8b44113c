//! A participant's mail comes in the language of their profile: English for someone who
//! speaks English and no Dutch, Dutch otherwise, from the invitation to their account on.

use std::time::Duration;

use diesel::prelude::*;
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::db::schema::outbox;

use crate::helpers::{World, local_span, next_day_at, world, world_with};
use crate::mail::mail_to;
use crate::participant_accounts::choose_password_and_log_in;
use crate::planned_work::participant_with_address;
use crate::planning::{assign, waitlisted_job};
use crate::smtp_sink::{Received, SmtpSink};

const WAIT: Duration = Duration::from_secs(10);

/// The mail `sink` received for `email` whose subject starts with `subject`.
fn mail_for<'a>(mails: &'a [Received], email: &str, subject: &str) -> Option<&'a Received> {
    mails
        .iter()
        .find(|m| m.rcpt_to == [format!("<{email}>")] && m.header("Subject").is_some_and(|s| s.starts_with(subject)))
}

/// A participant who speaks `languages`, invited to an account at `email` and signed in
/// with the invitation's link: (their token, their id).
async fn signed_in(w: &World, sink: &SmtpSink, name: &str, email: &str, languages: &[&str]) -> (String, i64) {
    let before = sink.received().len();
    let body = json!({"name": name, "contracted_hours_per_week": 24, "languages": languages, "account_email": email});
    let created = w.app.post("/api/v1/participants", Some(&w.werkleider), body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let invited = sink.wait_for(before + 1, WAIT).await;
    let invitation = invited
        .iter()
        .find(|m| m.rcpt_to == [format!("<{email}>")])
        .unwrap_or_else(|| panic!("no invitation for {email}"));
    let token = choose_password_and_log_in(&w.app, invitation, email).await;
    (token, created.body["id"].as_i64().unwrap())
}

/// The participant logs two hours of office work this morning and the werkleider turns
/// them down.
async fn own_time_rejected(w: &World, token: &str) {
    let end = chrono::Utc::now() - chrono::Duration::hours(1);
    let span = json!({"activity": "office", "started_at": end - chrono::Duration::hours(2), "ended_at": end});
    let logged = w.app.post("/api/v1/worklogs", Some(token), span).await;
    assert_eq!(logged.status, 201, "{}", logged.text);
    let path = format!("/api/v1/worklogs/{}/reject", logged.body[0]["id"]);
    let reason = json!({"reason": "Toen was je op de cursus"});
    let rejected = w.app.post(&path, Some(&w.werkleider), reason).await;
    assert_eq!(rejected.status, 200, "{}", rejected.text);
}

#[actix_web::test]
async fn a_participant_who_reads_english_and_no_dutch_hears_of_rejected_time_in_english() {
    let sink = SmtpSink::start().await;
    let w = world_with(mail_to(&sink)).await;
    let sam = "sam@deelnemer.example";
    let priya = "priya@deelnemer.example";
    let (sam_token, sam_id) = signed_in(&w, &sink, "Sam Haddad", sam, &["ar", "en"]).await;
    let (priya_token, _) = signed_in(&w, &sink, "Priya Ramdin", priya, &["nl", "en"]).await;

    own_time_rejected(&w, &sam_token).await;
    own_time_rejected(&w, &priya_token).await;

    // Each: the invitation and the rejection.
    let mails = sink.wait_for(4, WAIT).await;
    assert!(mail_for(&mails, sam, "Your account").is_some(), "{mails:?}");
    let english = mail_for(&mails, sam, "Your hours of").expect("Sam's rejection in English");
    assert!(english.data.contains("Toen was je op de cursus"));
    assert!(
        mail_for(&mails, priya, "Je uren van").is_some(),
        "Priya's in Dutch: {mails:?}"
    );
    assert_eq!(mails.len(), 4, "{mails:?}");

    // Sam learnt Dutch: from now on his mail is Dutch, his account's own too.
    let learnt = json!({"languages": ["ar", "en", "nl"]});
    let path = format!("/api/v1/participants/{sam_id}");
    let updated = w.app.patch(&path, Some(&w.werkleider), learnt).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    let asked = w
        .app
        .post("/api/v1/auth/password-reset", None, json!({"email": sam}))
        .await;
    assert!(asked.status.is_success(), "{}", asked.text);
    let mails = sink.wait_for(5, WAIT).await;
    assert!(mail_for(&mails, sam, "Nieuw wachtwoord").is_some(), "{mails:?}");
}

/// Each participant schedule mail so far, by address: (address, language, services).
async fn schedules(w: &World) -> Vec<(String, String, Vec<String>)> {
    let rows: Vec<(String, String, Option<String>)> = w
        .app
        .db(move |conn| {
            outbox::table
                .filter(outbox::template.eq("participant_schedule"))
                .order(outbox::recipient_email)
                .select((outbox::recipient_email, outbox::language, outbox::data))
                .load(conn)
                .unwrap()
        })
        .await;
    rows.into_iter()
        .map(|(to, language, data)| {
            let data: Value = serde_json::from_str(&data.unwrap()).unwrap();
            let items = data["items"].as_array().unwrap().iter();
            let services = items.map(|i| i["service"].as_str().unwrap().to_owned()).collect();
            (to, language, services)
        })
        .collect()
}

#[actix_web::test]
async fn a_crew_gets_its_schedule_each_in_their_own_language() {
    let w = world().await;
    let els = participant_with_address(&w, "Els Berhane", "els@example.nl").await;
    let karel = participant_with_address(&w, "Karel Jansen", "karel@example.nl").await;
    let only_english = json!({"languages": ["ti", "en"]});
    let set = w
        .app
        .patch(
            &format!("/api/v1/participants/{els}"),
            Some(&w.werkleider),
            only_english,
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let named = json!({"name": {"nl": "Heg snoeien", "en": "Hedge trimming"}});
    let renamed = w
        .app
        .patch(&format!("/api/v1/services/{}", w.hedge), Some(&w.coordinator), named)
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);

    // Planned for an evening whose schedule round has passed: each hears at once.
    let job = waitlisted_job(&w, w.hedge, 60).await;
    let planned = assign(&w, job, &[els, karel], &local_span(next_day_at(20), 20, 60)).await;
    assert_eq!(planned.status, 201, "{}", planned.text);

    let hedge = |name: &str| vec![name.to_owned()];
    assert_eq!(
        schedules(&w).await,
        vec![
            ("els@example.nl".to_owned(), "en".to_owned(), hedge("Hedge trimming")),
            ("karel@example.nl".to_owned(), "nl".to_owned(), hedge("Heg snoeien")),
        ]
    );

    // Els's own schedule names the work as her mail does.
    let account = "els.account@example.nl";
    w.app.create_user(account, Role::Participant).await;
    let linked = w
        .app
        .patch(
            &format!("/api/v1/participants/{els}"),
            Some(&w.werkleider),
            json!({"account_email": account}),
        )
        .await;
    assert_eq!(linked.status, 200, "{}", linked.text);
    let token = w.app.login(account).await["access_token"].as_str().unwrap().to_owned();
    let me = w.app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["language"], "en", "the account's own mail as hers: {}", me.text);
    let own = w.app.get("/api/v1/me/schedule", Some(&token)).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.body[0]["service"], "Hedge trimming", "{}", own.text);
}

#[actix_web::test]
async fn a_language_s_name_is_refused_with_the_code_to_write_and_nothing_changes() {
    let w = world().await;
    let body = json!({"name": "Sam Haddad", "contracted_hours_per_week": 16, "languages": ["ar", "Engels"]});
    let before = crate::helpers::count_rows(&w.app, "SELECT COUNT(*) AS n FROM participants").await;
    let refused = w.app.post("/api/v1/participants", Some(&w.werkleider), body).await;
    refused.assert_problem(422, "validation_failed");
    let error = &refused.body["errors"][0];
    assert_eq!(error["field"], "languages[1]");
    assert_eq!(error["code"], "unknown_language");
    assert_eq!(error["message"], "write the language code `en` for Engels");
    let after = crate::helpers::count_rows(&w.app, "SELECT COUNT(*) AS n FROM participants").await;
    assert_eq!(after, before, "nothing stored");

    let els = participant_with_address(&w, "Els Berhane", "els@example.nl").await;
    let path = format!("/api/v1/participants/{els}");
    for (languages, field) in [(json!(["ti", "eng"]), "languages[1]"), (json!([]), "languages")] {
        let patched = w
            .app
            .patch(
                &path,
                Some(&w.werkleider),
                json!({"languages": languages, "wijk": "Kernhem"}),
            )
            .await;
        patched.assert_problem(422, "validation_failed");
        assert_eq!(patched.body["errors"][0]["field"], field, "{}", patched.text);
    }
    let profile = w.app.get(&path, Some(&w.werkleider)).await;
    assert_eq!(profile.body["languages"], json!(["nl"]), "{}", profile.text);
    assert_ne!(profile.body["wijk"], "Kernhem", "a refused change changes nothing");
    let fixed = w
        .app
        .patch(&path, Some(&w.werkleider), json!({"languages": [" TI ", "en", "ti"]}))
        .await;
    assert_eq!(fixed.status, 200, "{}", fixed.text);
    assert_eq!(fixed.body["languages"], json!(["ti", "en"]));
}
