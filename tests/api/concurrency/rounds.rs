//! The timers' rounds run by many instances at the same moment: the afternoon round (also
//! while the day it is for closes) and the recurring visits.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::future::join_all;
use servicepunt::planning::reminders;
use servicepunt::planning::rules::Slot;

use crate::broken_work_alerts::{OneHelperSick, one_helper_sick};
use crate::closed_days::close;
use crate::helpers::{count_rows, local_span, world};
use crate::planned_work::{outbox_messages, participant_with_address};
use crate::planning::{assign, waitlisted_job};

/// Twenty instances run the afternoon round at once, with one visit going ahead and one
/// a helper cannot make: each reminder, schedule and broken-work alert goes out once,
/// and no round fails on another's claim.
#[actix_web::test]
async fn twenty_afternoon_rounds_at_once_send_each_message_once() {
    let OneHelperSick { w, day, .. } = one_helper_sick().await;
    let eve = day.pred_opt().unwrap().and_hms_opt(16, 30, 0).unwrap();
    let at = Slot::from_local(eve, eve).utc_start;
    let rounds = (0..20).map(|_| {
        w.app
            .db(move |conn| servicepunt::db::write_tx(conn, |c| reminders::run(c, at, &Default::default())))
    });
    let mut total = (0, 0, 0);
    for round in join_all(rounds).await {
        let sent = round.unwrap_or_else(|e| panic!("a round failed: {e:?}"));
        total.0 += sent.werkleiders;
        total.1 += sent.residents;
        total.2 += sent.participants;
    }
    assert_eq!(total, (1, 1, 1), "(werkleiders, residents, participants) told");
    for template in ["broken_work_alert", "job_reminder", "participant_schedule"] {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE template = '{template}'");
        assert_eq!(count_rows(&w.app, sql).await, 1, "{template}");
    }
}

/// Twenty days close while each one's afternoon round runs: whichever comes first, the
/// last word a resident and a participant hear about the day is that it is off. Nobody
/// is reminded of a visit, or sent a schedule, after being told the day closed.
#[actix_web::test]
async fn twenty_days_closed_during_their_afternoon_rounds_end_with_the_closing() {
    let w = world().await;
    let first = servicepunt::clock::today() + chrono::Duration::days(2);
    let days: Vec<_> = (0..20).map(|n| first + chrono::Duration::days(n)).collect();
    for (n, day) in days.iter().enumerate() {
        let who = participant_with_address(&w, &format!("Dag {n}"), &format!("dag{n}@example.nl")).await;
        let job = waitlisted_job(&w, w.hedge, 60).await;
        assert_eq!(assign(&w, job, &[who], &local_span(*day, 10, 60)).await.status, 201);
    }
    let rounds = days.iter().map(|day| {
        let eve = day.pred_opt().unwrap().and_hms_opt(16, 30, 0).unwrap();
        let at = Slot::from_local(eve, eve).utc_start;
        w.app
            .db(move |conn| servicepunt::db::write_tx(conn, |c| reminders::run(c, at, &Default::default())))
    });
    let closings = days.iter().map(|day| close(&w, *day, "Storm"));
    let (rounds, closings) = futures_util::join!(join_all(rounds), join_all(closings));
    for round in rounds {
        round.unwrap_or_else(|e| panic!("a round failed: {e:?}"));
    }
    for closed in &closings {
        assert_eq!(closed.status, 201, "{}", closed.text);
    }
    let mut last_word = BTreeMap::new();
    for (template, _, data) in outbox_messages(&w).await {
        let about = match template.as_str() {
            "job_reminder" | "job_day_closed" => data["job_id"].to_string(),
            "participant_schedule" | "participant_day_closed" => data["date"].to_string(),
            _ => continue,
        };
        last_word.insert((template.starts_with("job"), about), template);
    }
    let last: BTreeSet<&str> = last_word.values().map(String::as_str).collect();
    let closed_words = BTreeSet::from(["job_day_closed", "participant_day_closed"]);
    assert!(last.is_subset(&closed_words), "last words: {last_word:?}");
    assert_eq!(
        last_word.len(),
        20 + 20 - count_told_nothing(&closings),
        "{last_word:?}"
    );
}

/// How many participants the closings did not need to tell (their schedule not sent).
fn count_told_nothing(closings: &[crate::helpers::Reply]) -> usize {
    closings.iter().filter(|c| c.body["told"]["participants"] == 0).count()
}

/// Twenty rounds of the recurring visits at once (instances whose days begin together):
/// each due visit is ordered once, and no round fails on another's.
#[actix_web::test]
async fn twenty_series_rounds_at_once_order_each_visit_once() {
    let crate::series::Started { w, id, .. } = crate::series::weekly_series("rond@example.nl").await;
    crate::series::shift_weekday(&w, id, 3).await;
    let settings = servicepunt::planning::reminders::RoundSettings::default().jobs;
    let rounds = join_all((0..20).map(|_| servicepunt::jobs::series::round(&w.app.pool, &settings))).await;
    let ordered: usize = rounds.iter().map(|r| r.as_ref().expect("a round").ordered).sum();
    assert_eq!(ordered, 2, "{rounds:?}");
    let visits = count_rows(
        &w.app,
        format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM job_series_visits WHERE series_id = {id}"),
    )
    .await;
    assert_eq!(visits, 4);
    assert_eq!(
        count_rows(&w.app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM jobs").await,
        4
    );
}
