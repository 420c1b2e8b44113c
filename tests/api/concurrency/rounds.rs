//! The timers' afternoon round run by many instances at the same moment.

use futures_util::future::join_all;
use servicepunt::planning::reminders;
use servicepunt::planning::rules::Slot;

use crate::broken_work_alerts::{OneHelperSick, one_helper_sick};
use crate::helpers::count_rows;

/// Twenty instances run the afternoon round at once, with one visit going ahead and one
/// a helper cannot make: each reminder, schedule and broken-work alert goes out once,
/// and no round fails on another's claim.
#[actix_web::test]
async fn twenty_afternoon_rounds_at_once_send_each_message_once() {
    let OneHelperSick { w, day, .. } = one_helper_sick().await;
    let eve = day.pred_opt().unwrap().and_hms_opt(16, 30, 0).unwrap();
    let at = Slot::from_local(eve, eve).utc_start;
    let rounds = (0..20).map(|_| {
        let pool = w.app.pool.clone();
        actix_web::web::block(move || {
            servicepunt::db::write_tx(&mut pool.get().unwrap(), |c| reminders::run(c, at, &Default::default()))
        })
    });
    let mut total = (0, 0, 0);
    for round in join_all(rounds).await {
        let sent = round.unwrap().unwrap_or_else(|e| panic!("a round failed: {e:?}"));
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
