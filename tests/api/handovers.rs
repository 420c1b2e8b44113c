//! Before a participant leaves, the werkleider sees whose regular helper they are, the
//! visit where a successor can come along, and the work after their last day.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use servicepunt::planning::handover_notice;

use crate::cheques::{performed_order, resident};
use crate::helpers::{World, count_rows, create_participant, end_trajectory, local_span, order_body, world};
use crate::planned_work::mails;
use crate::planning::{assign, solo_dienst};
use crate::timers::{eventually, start_timers};

/// An afternoon of company for `recipient`, ordered by the werkleider.
fn company(service: i64, recipient: i64) -> Value {
    let mut order = order_body(service, 120);
    order["recipient_id"] = json!(recipient);
    order
}

/// Company for `recipient` given by `worker`, `days` from today; returns the job.
async fn visited(w: &World, service: i64, recipient: i64, worker: i64, days: i64) -> i64 {
    performed_order(w, company(service, recipient), worker, days, 60).await
}

/// Company for `recipient` planned for `crew` at ten in the morning, `days` from today;
/// returns the job.
async fn planned(w: &World, service: i64, recipient: i64, crew: &[i64], days: i64) -> i64 {
    let order = company(service, recipient);
    let job = w.app.post("/api/v1/jobs", Some(&w.werkleider), order).await;
    assert_eq!(job.body["status"], "waitlisted", "{}", job.text);
    let job = job.body["id"].as_i64().unwrap();
    let day = servicepunt::clock::today() + Duration::days(days);
    let a = assign(w, job, crew, &local_span(day, 10, 60)).await;
    assert_eq!(a.status, 201, "{}", a.text);
    job
}

async fn handovers(w: &World, query: &str) -> Value {
    let reply = w
        .app
        .get(&format!("/api/v1/planning/handovers{query}"), Some(&w.werkleider))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

#[actix_web::test]
async fn the_werkleider_sees_whose_regular_helper_leaves() {
    let w = world().await;
    let today = servicepunt::clock::today();
    let visit = solo_dienst(&w).await;
    let priya = create_participant(&w.app, &w.coordinator, "Priya Ramdin", "solo_dienst").await;
    let karel = create_participant(&w.app, &w.coordinator, "Karel Jansen", "solo_dienst").await;
    let later = create_participant(&w.app, &w.coordinator, "Sem Bakker", "solo_dienst").await;
    let oma = resident(&w, "Oma de Wit", Some("1940-02-01"), "1").await;
    let bert = resident(&w, "Bert Visser", Some("1942-03-04"), "2").await;
    let cora = resident(&w, "Cora Smit", Some("1944-05-06"), "3").await;

    // Oma: twice, and two visits planned; Bert once; Cora once, and she asks again.
    visited(&w, visit, oma, priya, 1).await;
    visited(&w, visit, oma, priya, 2).await;
    visited(&w, visit, bert, priya, 3).await;
    let coras = visited(&w, visit, cora, priya, 4).await;
    let asked = w
        .app
        .post(
            &format!("/api/v1/jobs/{coras}/ask-again"),
            Some(&w.werkleider),
            json!({}),
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    let before = planned(&w, visit, oma, &[priya], 7).await;
    let after = planned(&w, visit, oma, &[priya], 28).await;
    // Karel helps Oma as often, but is not leaving; Sem leaves later than six weeks.
    visited(&w, visit, oma, karel, 5).await;
    visited(&w, visit, oma, karel, 6).await;
    visited(&w, visit, oma, later, 8).await;
    visited(&w, visit, oma, later, 9).await;
    end_trajectory(&w.app, &w.coordinator, priya, today + Duration::days(20)).await;
    end_trajectory(&w.app, &w.coordinator, later, today + Duration::days(60)).await;

    let list = handovers(&w, "").await;
    let leaving: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["participant_id"].as_i64().unwrap())
        .collect();
    assert_eq!(leaving, [priya], "{list}");
    let h = &list[0];
    assert_eq!(h["first_name"], "Priya");
    assert_eq!(h["last_day"], json!(today + Duration::days(20)));
    let residents: Vec<(i64, bool, i64)> = h["residents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["resident_id"].as_i64().unwrap(),
                r["asked_for"].as_bool().unwrap(),
                r["recent_visits"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(residents, [(cora, true, 1), (oma, false, 2)], "{h}");
    let oma_row = &h["residents"][1];
    assert_eq!(oma_row["name"], "Oma de Wit");
    assert_eq!(oma_row["next_visit"]["job_id"], before, "{oma_row}");
    assert_eq!(oma_row["next_visit"]["service"], "Gezelschap");
    // Who could come along then, to be introduced; added to the crew, they go together.
    let next = &oma_row["next_visit"];
    let enc = |v: &Value| v.as_str().unwrap().replace('+', "%2B").replace(':', "%3A");
    let url = format!(
        "/api/v1/jobs/{before}/suggestions?starts_at={}&ends_at={}",
        enc(&next["starts_at"]),
        enc(&next["ends_at"])
    );
    let suggested = w.app.get(&url, Some(&w.werkleider)).await;
    let ranked: Vec<i64> = suggested.body["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["participant_id"].as_i64().unwrap())
        .collect();
    assert!(ranked.contains(&karel), "{}", suggested.text);
    let together = w
        .app
        .patch(
            &format!("/api/v1/assignments/{}", next["assignment_id"]),
            Some(&w.werkleider),
            json!({"participant_ids": [priya, karel]}),
        )
        .await;
    assert_eq!(together.status, 200, "{}", together.text);
    let after_ids: Vec<i64> = oma_row["after_last_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["job_id"].as_i64().unwrap())
        .collect();
    assert_eq!(after_ids, [after], "{oma_row}");
    assert!(h["residents"][0]["next_visit"].is_null(), "{h}");
    // Oma knows Karel and Sem, who stay beyond the six weeks; Cora knows nobody else yet.
    let known = |r: &Value| -> Vec<i64> {
        r["known_helpers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["participant_id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(known(oma_row), [karel, later], "{oma_row}");
    assert_eq!(oma_row["known_helpers"][0]["first_name"], "Karel");
    assert_eq!(known(&h["residents"][0]), Vec::<i64>::new(), "{h}");
    // Nothing of the trajectory itself: why someone leaves is not the werkleider's.
    assert!(!h.to_string().contains("regular_work"), "{h}");
    assert!(!h.to_string().contains("participatiebaan"), "{h}");

    // Looking further ahead shows Sem too, after Priya.
    let further = handovers(&w, "?within_days=90").await;
    let leaving: Vec<i64> = further
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["participant_id"].as_i64().unwrap())
        .collect();
    assert_eq!(leaving, [priya, later], "{further}");
    assert_eq!(further[1]["residents"][0]["resident_id"], oma);
    // Sem leaves within that window too: no longer someone Oma keeps.
    assert_eq!(known(&further[0]["residents"][1]), [karel], "{further}");
    // Today only: nobody.
    assert_eq!(handovers(&w, "?within_days=0").await, json!([]));
}

#[actix_web::test]
async fn a_window_beyond_half_a_year_is_refused() {
    let w = world().await;
    let path = "/api/v1/planning/handovers?within_days=";
    let reply = w.app.get(&format!("{path}184"), Some(&w.werkleider)).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.error_fields(), ["within_days"]);
    assert_eq!(reply.body["errors"][0]["code"], "out_of_range");
    assert_eq!(w.app.get(&format!("{path}-1"), Some(&w.werkleider)).await.status, 400);
    assert_eq!(w.app.get(&format!("{path}soon"), Some(&w.werkleider)).await.status, 400);
}

const NOTICES: &str = "SELECT COUNT(*) AS n FROM outbox WHERE template = 'handover_due'";

/// The werkleiders' notice run directly for `today`, as the daily timer runs it; how many
/// werkleiders were written to.
async fn notice_on(w: &World, today: NaiveDate) -> usize {
    w.app
        .db(move |conn| handover_notice::run(conn, today, "", servicepunt::db::now()).unwrap())
        .await
}

#[actix_web::test]
async fn the_werkleiders_hear_six_weeks_ahead_that_a_regular_helper_leaves() {
    let w = world().await;
    let today = servicepunt::clock::today();
    let visit = solo_dienst(&w).await;
    let priya = create_participant(&w.app, &w.coordinator, "Priya Ramdin", "solo_dienst").await;
    let sem = create_participant(&w.app, &w.coordinator, "Sem Bakker", "solo_dienst").await;
    let nobodys = create_participant(&w.app, &w.coordinator, "Noor Aziz", "solo_dienst").await;
    let fleur = create_participant(&w.app, &w.coordinator, "Fleur Mulder", "solo_dienst").await;
    let oma = resident(&w, "Oma de Wit", Some("1940-02-01"), "1").await;
    let bert = resident(&w, "Bert Visser", Some("1942-03-04"), "2").await;
    for (who, day) in [(priya, 1), (priya, 2), (sem, 3), (sem, 4), (fleur, 7), (fleur, 8)] {
        visited(&w, visit, oma, who, day).await;
    }
    visited(&w, visit, bert, priya, 5).await;
    visited(&w, visit, bert, priya, 6).await;
    end_trajectory(&w.app, &w.coordinator, priya, today + Duration::days(20)).await;
    end_trajectory(&w.app, &w.coordinator, sem, today + Duration::days(60)).await;
    // Oma's regular helper too: one resident to tell of, not two.
    end_trajectory(&w.app, &w.coordinator, fleur, today + Duration::days(30)).await;
    // Leaves sooner, but is nobody's regular helper: nothing to hand over.
    end_trajectory(&w.app, &w.coordinator, nobodys, today + Duration::days(10)).await;

    // The daily timer sends it, once to each werkleider.
    let werkleiders = count_rows(
        &w.app,
        "SELECT COUNT(*) AS n FROM users WHERE role = 'werkleider' AND active = TRUE",
    )
    .await;
    let timers = start_timers(&w.app);
    eventually(&w.app, NOTICES, werkleiders).await;
    timers.abort();
    let sent = mails(&w, "handover_due").await;
    assert_eq!(sent.len(), usize::try_from(werkleiders).unwrap(), "{sent:?}");
    for (_, data) in &sent {
        assert_eq!(data["helpers"], 2, "{sent:?}");
        assert_eq!(data["residents"], 2, "{sent:?}");
        // Oma knows Sem, who stays beyond the six weeks; Bert knows only Priya.
        assert_eq!(data["unintroduced"], 1, "{sent:?}");
        assert_eq!(data["first"], (today + Duration::days(20)).to_string());
        // How many, not who.
        let text = data.to_string();
        for name in ["Priya", "Fleur", "Oma", "Bert", "Noor"] {
            assert!(!text.contains(name), "{text}");
        }
    }

    // Told once for a last day.
    assert_eq!(notice_on(&w, today).await, 0);
    assert_eq!(count_rows(&w.app, NOTICES).await, werkleiders);
    // Sem's comes within the six weeks later on; Fleur's was told of already.
    assert_eq!(
        notice_on(&w, today + Duration::days(25)).await,
        usize::try_from(werkleiders).unwrap()
    );
    let sent = mails(&w, "handover_due").await;
    let (_, last) = sent.last().unwrap();
    assert_eq!(last["helpers"], 1, "{sent:?}");
    assert_eq!(last["residents"], 1, "{sent:?}");
    // Oma's other helpers left before Sem does.
    assert_eq!(last["unintroduced"], 1, "{sent:?}");
    assert_eq!(last["first"], (today + Duration::days(60)).to_string());
}
