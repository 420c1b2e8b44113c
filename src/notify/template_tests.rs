//! The templates rendered with sample data: every one in every language, escaping, and
//! the parts that show only with some data (those of the mails to participants in
//! `template_participant_tests.rs`, to staff in `template_staff_tests.rs`).

use super::*;
use serde_json::json;

pub(super) fn sample(template: Template) -> serde_json::Value {
    match template {
        Template::VerifyEmail => {
            json!({"name": "Anna", "link": "https://x/verify?token=t", "token": "t", "valid_hours": 48})
        }
        Template::PasswordReset => {
            json!({"name": "Anna", "link": "https://x/reset?token=t", "token": "t", "valid_minutes": 60})
        }
        Template::PasswordChanged => json!({"name": "Anna", "reset_link": "https://x/password-reset"}),
        Template::AccountInvitation => json!({"name": "Anna", "link": "https://x/password-reset?token=t",
            "token": "t", "valid_days": 7, "reset_link": "https://x/password-reset"}),
        Template::AlreadyRegistered => {
            json!({"name": "Anna", "login_link": "https://x/login", "reset_link": "https://x/password-reset"})
        }
        Template::JobReceived => json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"}}),
        Template::JobAccepted => {
            json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"}, "position": 3, "wait_days": null})
        }
        Template::JobRefused => json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"},
            "reason": {"nl": "Reden", "en": "Reason"}}),
        Template::JobCancelled => {
            json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"}, "late": true})
        }
        Template::JobScheduled | Template::JobReminder => json!({"name": "Anna", "job_id": 7,
            "service": {"nl": "Heg", "en": "Hedge"}, "date": "2026-05-04", "from": "09:00", "until": "11:00",
            "helpers": "Ahmed & Sanne"}),
        Template::ParticipantSchedule => json!({"name": "Anna", "date": "2026-05-04", "items": [
            {"from": "09:00", "until": "11:00", "service": "Heg", "recipient": "Mevrouw Bakker",
             "address": "Dorpsstraat 1, Ede", "phone": "0318111222", "task": "Heg knippen", "keys": ["S-12"]}],
             "changed": false,
             "on_call": {"name": "Joke de Werkleider", "phone": "0612345678"}}),
        Template::JobUnscheduled => json!({"name": "Anna", "job_id": 7,
            "service": {"nl": "Heg", "en": "Hedge"}, "date": "2026-05-04", "from": "09:00", "until": "11:00"}),
        Template::JobDayClosed => json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"},
            "date": "2026-04-27", "from": "09:00", "until": "11:00", "reason": "Koningsdag"}),
        Template::ParticipantDayClosed => json!({"name": "Anna", "date": "2026-04-27", "reason": "Koningsdag"}),
        Template::SeriesStopped => {
            json!({"name": "Anna", "series_id": 3, "service": {"nl": "Boodschappen", "en": "Shopping"},
            "weekday": {"nl": "dinsdag", "en": "Tuesday"}, "dagdeel": {"nl": "ochtend", "en": "morning"}})
        }
        Template::SeriesMoved => json!({"name": "Anna", "series_id": 3,
            "service": {"nl": "Boodschappen", "en": "Shopping"}, "weekday": {"nl": "donderdag", "en": "Thursday"},
            "dagdeel": {"nl": "middag", "en": "afternoon"}, "first": "2026-05-14", "kept": ["2026-05-05"]}),
        Template::BrokenWorkAlert => json!({"name": "Anna", "date": "2026-05-04", "items": [
            {"job_id": 7, "from": "09:00", "until": "11:00", "service": "Heg"}]}),
        Template::JobConfirmRequest => json!({"name": "Anna", "job_id": 7,
            "service": {"nl": "Heg", "en": "Hedge"}, "hours": "3:00", "window_hours": 72}),
        Template::BonusStatementIssued => {
            json!({"name": "Anna", "year": 2026, "amount": "€ 12,50", "supplement": false})
        }
        Template::WorklogRejected => json!({"name": "Anna", "reason": "Toen was je op de cursus", "items": [
            {"date": "2026-05-04", "from": "09:00", "until": "11:10", "hours": "2:10"},
            {"date": "2026-05-05", "from": "13:00", "until": "14:00", "hours": "1:00"},
        ]}),
        Template::ComplimentReceived => json!({"name": "Anna", "service": "Boodschappen", "date": "2026-05-04",
            "from": "Mevrouw <Bakker>", "message": "Wat fijn dat jullie er waren & zo vrolijk!"}),
        Template::AskedAgain => json!({"name": "Anna", "service": "Boodschappen", "date": "2026-05-04",
            "from": "Mevrouw <Bakker>"}),
        Template::ComplaintReceived => json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"},
            "date": "2026-05-04", "link": "https://x/feedback?kind=complaint&open=true"}),
        Template::ComplaintHandled => json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"},
            "date": "2026-05-04", "reply": "Excuses <3>; we letten er voortaan op."}),
        Template::PlanWritten => json!({"name": "Anna", "version": 2}),
        Template::BuddyPaired => json!({"name": "Anna", "newcomer": "Sanne", "since": "2026-05-04",
            "coach": "Karim <de Coach>"}),
        Template::RampUpChanged => json!({"name": "Anna", "contracted_hours": 32,
            "steps": [{"from": "2026-12-07", "hours": 16}, {"from": "2027-01-04", "hours": 24}]}),
        Template::IntakeRosterChanged => json!({"name": "Anna", "by": "Joke", "change": "booked",
            "date": "2026-05-04", "times": ["09:30"]}),
        Template::OnCallChanged => json!({"name": "Anna", "date": "2026-05-04", "on": true,
            "phone": "0612345678", "by": "Joke", "dagdelen": {"nl": "ochtend en avond", "en": "morning and evening"}}),
        Template::OnCallWeeks => json!({"name": "Anna", "on": true, "phone": "0612345678", "by": "Joke",
            "days": [{"date": "2027-01-05", "dagdelen": {"nl": "ochtend", "en": "morning"}},
                     {"date": "2027-01-12", "dagdelen": {"nl": "de hele dag", "en": "the whole day"}}]}),
        Template::OnCallMissing => json!({"name": "Anna", "date": "2026-05-04", "crews": 3,
            "dagdelen": {"nl": "avond", "en": "evening"}, "link": "https://servicepunt.example/planning/on-call"}),
        Template::TrajectoriesEnding => json!({"name": "Anna", "count": 2, "first": "2027-01-15", "within_days": 42,
            "link": "https://x/trajectories/ending"}),
        Template::HandoverDue => {
            json!({"name": "Anna", "helpers": 2, "residents": 3, "unintroduced": 1, "first": "2027-01-15",
            "within_days": 42, "link": "https://x/planning/handovers"})
        }
        Template::CoachWeek => json!({"name": "Anna", "coordinators": false, "reviews_due": 2, "overdue": true,
            "first_due": "2027-01-11", "open_questions": 1, "intakes": 3, "unnoted_intakes": 2,
            "reviews_link": "https://x/trajectories/reviews-due", "questions_link": "https://x/trajectories/approvals-open",
            "intakes_link": "https://x/intake-slots", "vogs_due": 2,
            "vog_link": "https://x/participants?vog_renewal_due=true"}),
        Template::ChequeExpiryReminder => json!({"name": "Anna", "count": 3, "date": "2027-12-31"}),
        Template::ChequeReceipt => json!({
            "name": "Anna", "sale": 12, "date": "2026-11-23", "product": "Servicecheque 1 uur",
            "count": 2, "reduced": true, "unit": "€ 8,00", "total": "€ 16,00", "method": "cash",
            "valid_until": "2027-12-31", "serials": ["SVW-7K3P-9QXD-4", "SVW-2M8R-X4TN-J"],
        }),
    }
}

#[test]
fn every_template_renders_in_every_language() {
    let r = Renderer::new().unwrap();
    for t in Template::ALL {
        for lang in [Language::Nl, Language::En] {
            let out = r.render(t, lang, &sample(t)).unwrap();
            assert!(!out.subject.is_empty() && !out.subject.contains('\n'), "{t:?} {lang:?}");
            assert!(out.text.contains("Anna") && out.html.contains("Anna"), "{t:?} {lang:?}");
            assert!(out.html.contains(&format!("lang=\"{}\"", lang.as_str())));
        }
        assert_eq!(Template::from_name(t.name()), Some(t));
    }
}

#[test]
fn html_escapes_user_data_and_text_keeps_it() {
    let r = Renderer::new().unwrap();
    let mut data = sample(Template::VerifyEmail);
    data["name"] = json!("<script>alert(1)</script>");
    let out = r.render(Template::VerifyEmail, Language::Nl, &data).unwrap();
    assert!(out.html.contains("&lt;script&gt;alert(1)"), "{}", out.html);
    assert!(!out.html.contains("<script>"));
    assert!(out.text.contains("<script>alert(1)</script>"));
}

#[test]
fn missing_data_is_an_error_not_a_blank() {
    let r = Renderer::new().unwrap();
    assert!(
        r.render(Template::PasswordReset, Language::Nl, &json!({"name": "Anna"}))
            .is_err()
    );
}

#[test]
fn every_mail_says_whom_to_call_when_the_phone_is_set() {
    let with = Renderer::with_phone(Some("0318 123 456".into())).unwrap();
    let without = Renderer::new().unwrap();
    for t in Template::ALL {
        let nl = with.render_mail(t, Language::Nl, &sample(t)).unwrap();
        assert!(
            nl.text.ends_with("\n\nServicepunt, bel ons: 0318 123 456\n"),
            "{t:?}: {}",
            nl.text
        );
        assert!(
            nl.html.contains("bel ons: <a href=\"tel:0318123456\">0318 123 456</a>"),
            "{t:?}"
        );
        let en = with.render_mail(t, Language::En, &sample(t)).unwrap();
        assert!(en.text.ends_with("call us: 0318 123 456\n"), "{t:?}");
        assert!(en.html.contains("call us: <a href=\"tel:0318123456\">"), "{t:?}");
        let plain = without.render_mail(t, Language::Nl, &sample(t)).unwrap();
        assert!(!plain.text.contains("bel ons") && !plain.html.contains("tel:"), "{t:?}");
        // The call sheet's text, read aloud to the resident, has no footer.
        let read_aloud = with.render(t, Language::Nl, &sample(t)).unwrap();
        assert!(!read_aloud.text.contains("bel ons"), "{t:?}");
    }
}

#[test]
fn a_handled_complaint_gives_the_werkleiders_reply_when_there_is_one() {
    let r = Renderer::new().unwrap();
    let t = Template::ComplaintHandled;
    let out = r.render(t, Language::Nl, &sample(t)).unwrap();
    assert_eq!(out.subject, "Uw klacht is behandeld: Heg");
    assert!(
        out.text.contains("(nummer 7, maandag 4 mei 2026) behandeld"),
        "{}",
        out.text
    );
    assert!(
        out.text.contains("\"Excuses <3>; we letten er voortaan op.\""),
        "{}",
        out.text
    );
    assert!(out.html.contains("Excuses &lt;3&gt;"), "{}", out.html);
    let mut without = sample(t);
    without["reply"] = serde_json::Value::Null;
    for language in [Language::Nl, Language::En] {
        let out = r.render(t, language, &without).unwrap();
        assert!(
            !out.text.contains("schrijft") && !out.text.contains("writes"),
            "{}",
            out.text
        );
        assert!(!out.html.contains("blockquote"), "{}", out.html);
    }
}
