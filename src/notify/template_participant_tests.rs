//! What the mails to participants say: their schedule (who is on call, which key to
//! fetch, what changed), rejected hours, a resident's compliment, their plan, and the
//! newcomer they help as a buddy.

use super::tests::sample;
use super::*;
use serde_json::json;

#[test]
fn a_schedule_with_someone_else_on_call_per_shift_names_them_under_each_piece_of_work() {
    let r = Renderer::new().unwrap();
    let mut data = sample(Template::ParticipantSchedule);
    data["on_call"] = json!(null);
    let mut evening = data["items"][0].clone();
    evening["from"] = json!("18:00");
    evening["on_call"] = json!({"name": "Karim", "phone": "0318123456"});
    data["items"][0]["on_call"] = json!({"name": "Joke", "phone": "0612345678"});
    data["items"] = json!([data["items"][0], evening]);
    for lang in [Language::Nl, Language::En] {
        let out = r.render(Template::ParticipantSchedule, lang, &data).unwrap();
        for text in [&out.text, &out.html] {
            let (joke, karim) = (text.find("Joke").unwrap(), text.find("Karim").unwrap());
            assert!(
                joke < text.find("18:00").unwrap() && text.find("18:00").unwrap() < karim,
                "{text}"
            );
            assert!(text.contains("0318123456"), "{text}");
        }
    }
}

#[test]
fn work_running_into_the_next_shift_says_whom_to_call_from_then() {
    let r = Renderer::new().unwrap();
    let mut data = sample(Template::ParticipantSchedule);
    data["on_call"] = json!(null);
    data["items"][0]["on_call"] = json!({"name": "Joke", "phone": "0612345678"});
    data["items"][0]["on_call_later"] = json!([
        {"from": "12:30", "on_call": null},
        {"from": "17:30", "on_call": {"name": "Karim", "phone": "0318123456"}},
    ]);
    for (lang, nobody, karim) in [
        (
            Language::Nl,
            "Vanaf 12:30: dan is er niemand van dienst",
            "Vanaf 17:30: bel Karim",
        ),
        (
            Language::En,
            "From 12:30: no one is on call then",
            "From 17:30: call Karim",
        ),
    ] {
        let out = r.render(Template::ParticipantSchedule, lang, &data).unwrap();
        for text in [&out.text, &out.html] {
            let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("{needle} in {text}"));
            assert!(at("Joke") < at(nobody) && at(nobody) < at(karim), "{text}");
        }
    }
}

#[test]
fn a_changed_schedule_says_so_and_one_queued_before_changes_existed_still_renders() {
    let r = Renderer::new().unwrap();
    let mut data = sample(Template::ParticipantSchedule);
    data["changed"] = json!(true);
    data["items"] = json!([]);
    let out = r.render(Template::ParticipantSchedule, Language::Nl, &data).unwrap();
    assert!(out.subject.starts_with("Gewijzigd"), "{}", out.subject);
    assert!(
        out.text.contains("niets meer") && out.html.contains("niets meer"),
        "{}",
        out.text
    );
    assert!(!out.html.contains("<ul>"), "{}", out.html);
    assert!(!out.text.contains("Bel Joke"), "no work, no one to call: {}", out.text);
    let mut queued_before = sample(Template::ParticipantSchedule);
    queued_before.as_object_mut().unwrap().remove("changed");
    queued_before.as_object_mut().unwrap().remove("on_call");
    queued_before["items"][0].as_object_mut().unwrap().remove("keys");
    let out = r
        .render(Template::ParticipantSchedule, Language::En, &queued_before)
        .unwrap();
    assert_eq!(out.subject, "Your schedule for Monday 4 May 2026");
    assert!(
        out.text.contains("Dorpsstraat 1") && out.text.contains("See you tomorrow!"),
        "{}",
        out.text
    );
}

#[test]
fn a_schedule_says_who_is_on_call_and_which_key_to_fetch() {
    let r = Renderer::new().unwrap();
    let data = sample(Template::ParticipantSchedule);
    for (language, line) in [
        (Language::Nl, "Bel Joke de Werkleider"),
        (Language::En, "call Joke de Werkleider"),
    ] {
        let out = r.render(Template::ParticipantSchedule, language, &data).unwrap();
        assert!(out.text.contains(&format!("{line}: 0612345678")), "{}", out.text);
        assert!(out.html.contains("<strong>0612345678</strong>"), "{}", out.html);
        assert!(out.text.contains(": S-12"), "{}", out.text);
        assert!(out.html.contains("<strong>S-12</strong>"), "{}", out.html);
    }
}

#[test]
fn a_visit_on_a_day_open_again_says_it_goes_ahead_after_all() {
    let r = Renderer::new().unwrap();
    let plain = r
        .render(Template::JobScheduled, Language::Nl, &sample(Template::JobScheduled))
        .unwrap();
    assert!(!plain.text.contains("toch open"), "{}", plain.text);
    assert!(plain.text.contains("Ahmed & Sanne.\n\nLukt"), "{}", plain.text);
    let mut data = sample(Template::JobScheduled);
    data["reopened"] = json!(true);
    for lang in [Language::Nl, Language::En] {
        let out = r.render(Template::JobScheduled, lang, &data).unwrap();
        let line = if lang == Language::Nl {
            "toch open"
        } else {
            "open that day after all"
        };
        assert!(out.text.contains(line) && out.html.contains(line), "{}", out.text);
    }
}

#[test]
fn a_rejection_lists_each_log_and_one_queued_for_a_single_log_still_renders() {
    let r = Renderer::new().unwrap();
    let out = r
        .render(
            Template::WorklogRejected,
            Language::En,
            &sample(Template::WorklogRejected),
        )
        .unwrap();
    assert_eq!(
        out.subject,
        "Your hours of Monday 4 May 2026 and later were not approved"
    );
    assert!(
        out.text.contains(
            "- Monday 4 May 2026, from 09:00 to 11:10 (2:10 hours)\n- Tuesday 5 May 2026, from 13:00 to 14:00 (1:00 hours)\n"
        ),
        "{}",
        out.text
    );
    // Queued before a mail could list several logs: one log, in fields of its own.
    let before = json!({"name": "Anna", "date": "2026-05-04", "from": "09:00", "until": "11:10",
        "hours": "2:10", "reason": "Toen was je op de cursus"});
    let out = r.render(Template::WorklogRejected, Language::Nl, &before).unwrap();
    assert_eq!(out.subject, "Je uren van maandag 4 mei 2026 zijn niet goedgekeurd");
    assert!(
        out.text
            .contains("- maandag 4 mei 2026, van 09:00 tot 11:10 (2:10 uur)"),
        "{}",
        out.text
    );
    assert!(out.html.contains("van 09:00 tot 11:10 (2:10 uur)"), "{}", out.html);
}

#[test]
fn a_compliment_is_passed_on_in_the_residents_own_words_escaped_in_html() {
    let r = Renderer::new().unwrap();
    let out = r
        .render(
            Template::ComplimentReceived,
            Language::Nl,
            &sample(Template::ComplimentReceived),
        )
        .unwrap();
    assert_eq!(out.subject, "Een compliment van Mevrouw <Bakker>");
    assert!(
        out.text.contains("\"Wat fijn dat jullie er waren & zo vrolijk!\""),
        "{}",
        out.text
    );
    assert!(
        out.html.contains("Wat fijn dat jullie er waren &amp; zo vrolijk!"),
        "{}",
        out.html
    );
    assert!(out.html.contains("Mevrouw &lt;Bakker&gt;"), "{}", out.html);
    assert!(out.text.contains("(Boodschappen, maandag 4 mei 2026)"), "{}", out.text);
    // Work never planned (a job marked done without a date) has no date to name.
    let mut undated = sample(Template::ComplimentReceived);
    undated["date"] = serde_json::Value::Null;
    let out = r.render(Template::ComplimentReceived, Language::En, &undated).unwrap();
    assert!(out.text.contains("(Boodschappen)"), "{}", out.text);
}

#[test]
fn a_plan_mail_says_whether_it_is_new_or_changed_and_never_what_it_says() {
    let r = Renderer::new().unwrap();
    let t = Template::PlanWritten;
    let changed = r.render(t, Language::Nl, &sample(t)).unwrap();
    assert!(changed.text.contains("veranderd (versie 2)"), "{}", changed.text);
    let first = r
        .render(t, Language::En, &json!({"name": "Anna", "version": 1}))
        .unwrap();
    assert!(
        first.text.contains("Your coach wrote down your plan."),
        "{}",
        first.text
    );
    assert!(!first.text.contains("version"), "{}", first.text);
}

#[test]
fn a_buddy_is_told_whom_they_help_from_when_and_whom_to_call() {
    let r = Renderer::new().unwrap();
    let nl = r
        .render(Template::BuddyPaired, Language::Nl, &sample(Template::BuddyPaired))
        .unwrap();
    assert_eq!(nl.subject, "Je bent nu het maatje van Sanne");
    assert!(nl.text.contains("vanaf maandag 4 mei 2026"), "{}", nl.text);
    assert!(
        nl.text.contains("Vraag naar Karim <de Coach> bij het servicepunt."),
        "{}",
        nl.text
    );
    assert!(nl.html.contains("Karim &lt;de Coach&gt;"), "{}", nl.html);
    let en = r
        .render(Template::BuddyPaired, Language::En, &sample(Template::BuddyPaired))
        .unwrap();
    assert_eq!(en.subject, "You are now Sanne's buddy");
}
