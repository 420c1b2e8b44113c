//! What the mails to staff say: the werkleiders' alert of broken work, the coach's week,
//! a coach's roster changed by someone else, the on-call rota.

use super::tests::sample;
use super::*;
use serde_json::json;

#[test]
fn the_broken_work_alert_links_to_the_list_when_it_has_the_address() {
    let r = Renderer::new().unwrap();
    let plain = r
        .render(
            Template::BrokenWorkAlert,
            Language::Nl,
            &sample(Template::BrokenWorkAlert),
        )
        .unwrap();
    assert!(
        !plain.text.contains("De lijst") && !plain.html.contains("href"),
        "{}",
        plain.html
    );
    let mut data = sample(Template::BrokenWorkAlert);
    data["link"] = json!("https://app.example/planning/broken-work");
    for lang in [Language::Nl, Language::En] {
        let out = r.render(Template::BrokenWorkAlert, lang, &data).unwrap();
        assert!(
            out.text.contains("https://app.example/planning/broken-work"),
            "{}",
            out.text
        );
        // Auto-escaped in the attribute (`/` as `&#x2f;`), which browsers read back.
        let href = "href=\"https:&#x2f;&#x2f;app.example&#x2f;planning&#x2f;broken-work\"";
        assert!(out.html.contains(href), "{}", out.html);
    }
}

#[test]
fn a_broken_work_alert_over_several_days_dates_each_piece() {
    let r = Renderer::new().unwrap();
    let data = json!({"name": "Anna", "date": "2026-05-02", "until": "2026-05-04", "items": [
        {"job_id": 7, "date": "2026-05-02", "from": "09:00", "until": "11:00", "service": "Heg"},
        {"job_id": 8, "date": "2026-05-04", "from": "13:00", "until": "14:00", "service": "Heg"}]});
    let has = |said: &str, part: &str| assert!(said.contains(part), "{part:?} not in {said}");
    let nl = r.render(Template::BrokenWorkAlert, Language::Nl, &data).unwrap();
    has(&nl.subject, "tussen morgen (zaterdag 2 mei 2026) en maandag 4 mei 2026");
    has(
        &nl.text,
        "van morgen, zaterdag 2 mei 2026, tot en met maandag 4 mei 2026",
    );
    has(&nl.text, "- maandag 4 mei 2026 13:00–14:00: Heg (aanvraag 8)");
    has(&nl.html, "<strong>maandag 4 mei 2026 13:00–14:00</strong>");
    let en = r.render(Template::BrokenWorkAlert, Language::En, &data).unwrap();
    has(&en.subject, "from tomorrow (Saturday 2 May 2026) to Monday 4 May 2026");
    has(&en.text, "- Saturday 2 May 2026 09:00–11:00: Heg (job 7)");
    // A mail for tomorrow only (and those queued before the alert looked further) reads
    // as before: no dates on the lines.
    let sample = sample(Template::BrokenWorkAlert);
    let tomorrow = r.render(Template::BrokenWorkAlert, Language::Nl, &sample).unwrap();
    has(&tomorrow.subject, "morgen (maandag 4 mei 2026) niet");
    has(&tomorrow.text, "- 09:00–11:00: Heg");
}

#[test]
fn the_coachs_week_names_only_what_is_there() {
    let only_intakes = json!({"name": "Anna", "coordinators": false, "reviews_due": 0, "overdue": false,
        "open_questions": 0, "intakes": 1});
    let renderer = Renderer::new().unwrap();
    let render = |lang, data: &serde_json::Value| renderer.render(Template::CoachWeek, lang, data).unwrap();
    let r = render(Language::Nl, &only_intakes);
    assert!(r.text.contains("Eén intake is geboekt"), "{}", r.text);
    assert!(
        !r.text.contains("voortgangsgesprek") && !r.text.contains("sociale dienst"),
        "{}",
        r.text
    );
    let r = render(Language::En, &sample(Template::CoachWeek));
    assert!(
        r.text
            .contains("2 progress reviews are due, the first since Monday 11 January 2027"),
        "{}",
        r.text
    );
    assert!(
        r.text.contains("One question to the sociale dienst is still open"),
        "{}",
        r.text
    );
    assert!(r.html.contains("3 intakes are booked"), "{}", r.html);
    assert!(
        r.text
            .contains("2 intakes of last week still do not say whether the client came"),
        "{}",
        r.text
    );
    assert!(
        !render(Language::Nl, &only_intakes).text.contains("vorige week"),
        "queued before, or none"
    );
    let mut coordinators = sample(Template::CoachWeek);
    coordinators["coordinators"] = json!(true);
    let r = render(Language::Nl, &coordinators);
    assert_eq!(r.subject, "Deze week bij deelnemers zonder trajectbegeleider");
}

#[test]
fn a_coach_reads_each_change_to_their_intake_roster() {
    let r = Renderer::new().unwrap();
    let expected = [
        (
            "opened",
            "Intaketijden geopend op maandag 4 mei 2026",
            "Intake times opened on Monday 4 May 2026",
        ),
        (
            "booked",
            "Intake geboekt op maandag 4 mei 2026 om 09:30",
            "Intake booked on Monday 4 May 2026 at 09:30",
        ),
        (
            "cancelled",
            "Intake op maandag 4 mei 2026 om 09:30 geannuleerd",
            "Intake on Monday 4 May 2026 at 09:30 cancelled",
        ),
        (
            "removed",
            "Intaketijd op maandag 4 mei 2026 om 09:30 van je rooster gehaald",
            "Intake time on Monday 4 May 2026 at 09:30 taken off your roster",
        ),
    ];
    for (change, nl, en) in expected {
        let mut data = sample(Template::IntakeRosterChanged);
        data["change"] = json!(change);
        let out = r.render(Template::IntakeRosterChanged, Language::Nl, &data).unwrap();
        assert_eq!(out.subject, nl);
        assert!(
            out.text.contains("Joke heeft") && out.html.contains("Joke heeft"),
            "{}",
            out.text
        );
        let out = r.render(Template::IntakeRosterChanged, Language::En, &data).unwrap();
        assert_eq!(out.subject, en);
        assert!(out.text.contains("09:30"), "{}", out.text);
    }
}

#[test]
fn the_on_call_mails_name_the_shifts_and_those_queued_before_shifts_still_render() {
    let r = Renderer::new().unwrap();
    for template in [Template::OnCallChanged, Template::OnCallMissing] {
        let data = sample(template);
        let nl = r.render(template, Language::Nl, &data).unwrap();
        let en = r.render(template, Language::En, &data).unwrap();
        let (word_nl, word_en) = (
            data["dagdelen"]["nl"].as_str().unwrap(),
            data["dagdelen"]["en"].as_str().unwrap(),
        );
        for out in [&nl.text, &nl.html] {
            assert!(out.contains(&format!("({word_nl})")), "{out}");
        }
        for out in [&en.text, &en.html] {
            assert!(out.contains(&format!("({word_en})")), "{out}");
        }
        let mut queued_before = data.clone();
        queued_before.as_object_mut().unwrap().remove("dagdelen");
        let old = r.render(template, Language::Nl, &queued_before).unwrap();
        assert!(
            old.text.contains("maandag 4 mei 2026") && !old.text.contains("()"),
            "{}",
            old.text
        );
    }
}
