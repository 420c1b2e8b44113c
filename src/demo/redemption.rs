//! A demo job done on the last working day and confirmed, so the demo shows cheques paying
//! for work: ordered for the first demo resident (who holds reduced cheques), assigned to
//! the first participant who may do it, two hours logged and approved, performed and
//! confirmed — through the same rules the API uses.

use chrono::{Datelike, Duration, NaiveDate};

use crate::auth::{AuthUser, Role};
use crate::catalogue::store as catalogue;
use crate::cheques::store as cheques;
use crate::config::Settings;
use crate::db::{self, DbConn};
use crate::hours::completion;
use crate::hours::logging::{self, LogRequest, Span};
use crate::jobs::input::OrderInput;
use crate::jobs::store as jobs;
use crate::participants::store as people;
use crate::planning::assign::{self, NewAssignment};
use crate::planning::assignment_store;
use crate::planning::rules::Slot;

fn err(e: crate::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Returns how many cheques the confirmed job took (0 when no participant could do it).
pub fn load(conn: &mut DbConn, by: i64, owner: i64, settings: &Settings, today: NaiveDate) -> anyhow::Result<usize> {
    let now = db::now();
    let Some((service, _)) = catalogue::list(conn, false)?
        .into_iter()
        .find(|(s, _)| s.allowed && s.max_minutes >= 120 && !s.bill_per_person)
    else {
        return Ok(0);
    };
    let werkleider = AuthUser {
        id: by,
        role: Role::Werkleider,
    };
    let order: OrderInput = serde_json::from_value(serde_json::json!({
        "service_id": service.service_id, "recipient_id": owner, "channel": "counter",
        "description": "Gedaan op de laatste werkdag (demo)", "otherwise_not_done": true,
        "estimated_minutes": 120,
    }))?;
    let job = crate::jobs::order::place(
        conn,
        &werkleider,
        &order,
        &order.description,
        &settings.jobs,
        today,
        now,
    )
    .map_err(err)?;
    // The last working day, in the afternoon (the demo's office hours fill the mornings).
    let mut day = today - Duration::days(1);
    while day.weekday().num_days_from_monday() > 4 {
        day -= Duration::days(1);
    }
    let (Some(start), Some(end)) = (day.and_hms_opt(14, 0, 0), day.and_hms_opt(16, 0, 0)) else {
        return Ok(0);
    };
    let slot = Slot::from_local(start, end);
    let mut assignment = None;
    for p in people::list(conn, None, None)? {
        let new = NewAssignment {
            job_id: job.id,
            crew: vec![p.id],
            slot,
            pinned: true,
        };
        if let Ok(a) = assign::create(conn, by, &new, &settings.jobs, now) {
            assignment = Some((a, p.id));
            break;
        }
    }
    let Some((a, participant)) = assignment else {
        return Ok(0);
    };
    assign::start(conn, &a, by, now).map_err(err)?;
    let a = assignment_store::find(conn, a.id)?.ok_or_else(|| anyhow::anyhow!("assignment gone"))?;
    let logs = logging::record(
        conn,
        &werkleider,
        &LogRequest {
            participant_ids: vec![participant],
            assignment_id: Some(a.id),
            activity: None,
            span: Span {
                start: slot.utc_start,
                end: slot.utc_end,
                break_minutes: 0,
            },
            note: Some("Heg geknipt, afval meegenomen".into()),
        },
        &settings.jobs,
        now,
    )
    .map_err(err)?;
    for log in logs {
        logging::approve(conn, log.id, by, now).map_err(err)?;
    }
    let job = jobs::find(conn, job.id)?.ok_or_else(|| anyhow::anyhow!("job gone"))?;
    let job = completion::performed(conn, &job, by, &settings.jobs, now).map_err(err)?;
    let job = completion::confirm(conn, &job, Some(by), Some("bevestigd aan de balie"), now).map_err(err)?;
    Ok(cheques::redeemed_for(conn, job.id)?.len())
}
