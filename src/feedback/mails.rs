//! Who hears of feedback, by mail: a compliment (and a wish to have them again) goes to
//! the crew who did the work, a complaint to every active werkleider. The werkleiders'
//! mail says which job has a complaint, not what it says: that is read in the list, where
//! it is handled. When it is handled the resident hears so, with the werkleider's reply
//! if there is one.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::model::FeedbackRow;
use super::store;
use crate::auth::{Role, email_links};
use crate::catalogue::model::ServiceVersionRow;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::messages;
use crate::jobs::model::JobRow;
use crate::notify::{Template, staff_mail};
use crate::participants::model::ParticipantRow;
use crate::participants::{mail_to, store as participants};
use crate::residents::{proxies, store as residents};

/// The page of the werkleiders' screen that lists open complaints.
pub const LIST_PAGE: &str = "feedback?kind=complaint&open=true";

/// The day the job's work was planned, Dutch time.
pub fn worked_on(job: &JobRow) -> Option<NaiveDate> {
    job.scheduled_start.map(|t| crate::clock::local_date(t.and_utc()))
}

/// Passes the compliment `message` from `from` (the resident's first name) on to each
/// crew member with an address. Returns how many were told.
pub fn compliment(
    conn: &mut DbConn,
    job: &JobRow,
    service: &ServiceVersionRow,
    from: &str,
    message: &str,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    let mut told = 0;
    for id in store::crew(conn, job.id)? {
        let Some(p) = participants::find(conn, id)? else {
            continue;
        };
        let Some(to) = mail_to::of(conn, &p)? else {
            continue;
        };
        let data = json!({
            "name": p.first_name(),
            "service": service.name().get(p.language()),
            "date": worked_on(job).map(|d| d.to_string()),
            "from": from,
            "message": message,
        });
        to.enqueue(conn, &p, Template::ComplimentReceived, &data, now)?;
        told += 1;
    }
    Ok(told)
}

/// Tells participant `p` that the resident `from` (their first name) would like them to
/// come again after `job`; nothing without an address.
pub fn asked_again(
    conn: &mut DbConn,
    job: &JobRow,
    p: &ParticipantRow,
    from: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let Some(to) = mail_to::of(conn, p)? else {
        return Ok(());
    };
    let service = crate::catalogue::store::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let data = json!({
        "name": p.first_name(),
        "service": service.name().get(p.language()),
        "date": worked_on(job).map(|d| d.to_string()),
        "from": from,
    });
    to.enqueue(conn, p, Template::AskedAgain, &data, now)?;
    Ok(())
}

/// Tells every active werkleider that job `job` has a complaint, with a link to the list
/// at `public_url` (none when empty). Returns how many were told.
pub fn complaint(
    conn: &mut DbConn,
    job: &JobRow,
    service: &ServiceVersionRow,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    staff_mail::to_role(conn, Role::Werkleider, Template::ComplaintReceived, now, |w| {
        let mut data = json!({
            "name": w.name,
            "job_id": job.id,
            "service": service.name(),
            "date": worked_on(job).map(|d| d.to_string()),
        });
        if !public_url.is_empty() {
            data["link"] = json!(email_links::page(public_url, LIST_PAGE));
        }
        data
    })
}

/// Tells the resident that their complaint `row` about `job` was handled, with the
/// werkleider's reply if any (by mail, or on the call sheet without an address), and the
/// family member who made the complaint for them too, while they still act for them.
pub fn handled(
    conn: &mut DbConn,
    job: &JobRow,
    service: &ServiceVersionRow,
    row: &FeedbackRow,
) -> Result<(), ApiError> {
    let resident = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
    let data = json!({
        "name": resident.name,
        "job_id": job.id,
        "service": service.name(),
        "date": worked_on(job).map(|d| d.to_string()),
        "reply": row.handled_reply,
    });
    let proxy = proxies::is_active_proxy(conn, row.given_by, resident.id)?.then_some(row.given_by);
    messages::tell(conn, &resident, proxy, Template::ComplaintHandled, &data)
}
