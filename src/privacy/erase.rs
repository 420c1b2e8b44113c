//! Erasure on request (AVG art. 17), in one transaction. Personal data goes: name,
//! contact details, address, birth date, notes, eligibility periods (welfare and health
//! data), proxies, call tasks, the helpers they asked for again, recurring visits,
//! compliments and complaints, the record of their keys (only once every key is back),
//! what jobs say and where they were, the messages' names, addresses and contents, and
//! the answers kept for the account's retries. The account can no longer log in. What
//! the law makes us keep for seven years (Fiscal retention, AWR art. 52) stays, without
//! a name attached: purchases, cheques, the journal and billed minutes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    call_tasks, eligibility_periods, job_windows, jobs, outbox, resident_proxies, residents, user_tokens, users,
};
use crate::error::ApiError;
use crate::jobs::lifecycle::JobStatus;
use crate::residents::store;

pub const ERASED_NAME: &str = "Verwijderd op verzoek";

/// The states of a job that is still to be done: erasure waits until there are none.
const NOT_DONE: [JobStatus; 5] = [
    JobStatus::Requested,
    JobStatus::Accepted,
    JobStatus::Waitlisted,
    JobStatus::Scheduled,
    JobStatus::InProgress,
];
/// The password hash of an erased account: no password verifies against it (a stored
/// value that starts with `!`, see [`crate::auth::password::verify`]).
pub const ERASED_PASSWORD_HASH: &str = "!erased";

pub fn resident(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), ApiError> {
    store::lock_for_erasure(conn, id)?;
    let r = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if r.erased_at.is_some() {
        return Err(ApiError::conflict(
            "already_erased",
            "this resident's data was erased already",
        ));
    }
    // A job not done yet would send a participant to an address that is gone: the
    // coordinator cancels it first (which tells whoever was planned), or lets it be done.
    let open: i64 = jobs::table
        .filter(jobs::recipient_id.eq(id))
        .filter(jobs::status.eq_any(NOT_DONE.map(JobStatus::as_str)))
        .count()
        .get_result(conn)?;
    if open > 0 {
        return Err(ApiError::conflict(
            "open_jobs",
            format!("{open} job(s) of this resident are not done yet: cancel them, or let them be done, first"),
        ));
    }
    // A key of theirs in the cabinet goes back before the name that says whose it is.
    if crate::residents::keys_store::any_held(conn, id)? {
        return Err(ApiError::conflict(
            "key_held",
            "the servicepunt holds a key of this resident: give it back first",
        ));
    }
    crate::residents::keys_store::delete_of(conn, id)?;
    let mut addresses: Vec<String> = r.email.iter().cloned().collect();
    if let Some(uid) = r.user_id {
        crate::auth::store::lock_account(conn, uid)?;
        let email: Option<String> = users::table.find(uid).select(users::email).first(conn).optional()?;
        addresses.extend(email);
        let hidden = format!("erased-{uid}@invalid.servicepunt");
        diesel::update(users::table.find(uid))
            .set((
                users::email.eq(&hidden),
                users::name.eq(ERASED_NAME),
                users::active.eq(false),
                users::password_hash.eq(ERASED_PASSWORD_HASH),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        crate::auth::store::revoke_all_sessions(conn, uid, now)?;
        diesel::delete(user_tokens::table.filter(user_tokens::user_id.eq(uid))).execute(conn)?;
        crate::idempotency::forget_account(conn, uid)?;
        crate::residents::proxies::revoke_all_of(conn, uid, now)?;
    }
    diesel::delete(eligibility_periods::table.filter(eligibility_periods::resident_id.eq(id))).execute(conn)?;
    diesel::delete(resident_proxies::table.filter(resident_proxies::resident_id.eq(id))).execute(conn)?;
    diesel::delete(call_tasks::table.filter(call_tasks::resident_id.eq(id))).execute(conn)?;
    crate::residents::preferred::forget_resident(conn, id)?;
    crate::residents::duplicates_store::forget_undecided_of(conn, id)?;
    crate::jobs::series_store::forget_resident(conn, id)?;
    let job_ids: Vec<i64> = jobs::table
        .filter(jobs::recipient_id.eq(id))
        .select(jobs::id)
        .load(conn)?;
    diesel::delete(job_windows::table.filter(job_windows::job_id.eq_any(&job_ids))).execute(conn)?;
    // What they said about the work is theirs, and no record the law makes us keep.
    crate::feedback::store::delete_of_jobs(conn, &job_ids)?;
    diesel::update(jobs::table.filter(jobs::recipient_id.eq(id)))
        .set((
            jobs::description.eq("[verwijderd]"),
            jobs::street.eq(""),
            jobs::house_number.eq(""),
            jobs::postcode.eq(""),
            jobs::address_key.eq(format!("erased:{id}")),
            jobs::refusal_note.eq(None::<String>),
            jobs::review_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    if !addresses.is_empty() {
        // Pending mail is not sent any more; sent mail keeps only that it was sent.
        diesel::delete(
            outbox::table
                .filter(outbox::recipient_email.eq_any(&addresses))
                .filter(outbox::status.ne("sent")),
        )
        .execute(conn)?;
        diesel::update(outbox::table.filter(outbox::recipient_email.eq_any(&addresses)))
            .set((
                outbox::recipient_email.eq(format!("erased-resident-{id}@invalid.servicepunt")),
                outbox::recipient_name.eq(ERASED_NAME),
                outbox::data.eq(None::<String>),
                outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)?;
    }
    diesel::update(residents::table.find(id))
        .set((
            residents::name.eq(ERASED_NAME),
            residents::name_key.eq(format!("erased {id}")),
            residents::email.eq(None::<String>),
            residents::phone.eq(None::<String>),
            residents::street.eq(""),
            residents::house_number.eq(""),
            residents::postcode.eq(""),
            residents::birth_date.eq(None::<chrono::NaiveDate>),
            residents::staff_notes.eq(None::<String>),
            residents::erased_at.eq(now),
            residents::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
