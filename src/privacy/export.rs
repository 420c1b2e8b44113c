//! Everything we hold about a resident, for a data-subject access request (AVG art. 15):
//! the record, the account, eligibility periods, proxies, jobs, recurring visits, the
//! helpers they asked for again, cheques and purchases, and the messages sent to them.
//! The resident's own copy leaves out the notes staff keep ([`ExportFor`]).

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConn;
use crate::db::schema::{
    cheque_sales, cheques, eligibility_periods, jobs, outbox, resident_proxies, service_versions, users,
};
use crate::error::ApiError;
use crate::privacy::ExportFor;
use crate::residents::store as residents;

pub fn resident(conn: &mut DbConn, id: i64, export_for: ExportFor) -> Result<Value, ApiError> {
    let r = residents::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let account: Option<(String, String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> = match r.user_id {
        Some(uid) => users::table
            .find(uid)
            .select((users::email, users::role, users::created_at, users::email_verified_at))
            .first(conn)
            .optional()?,
        None => None,
    };
    let periods: Vec<(String, chrono::NaiveDate, Option<chrono::NaiveDate>, String)> = eligibility_periods::table
        .filter(eligibility_periods::resident_id.eq(id))
        .select((
            eligibility_periods::basis,
            eligibility_periods::valid_from,
            eligibility_periods::valid_until,
            eligibility_periods::evidence_ref,
        ))
        .load(conn)?;
    // The proxy's address, relationship, phone, consent and end.
    type ProxyExport = (
        String,
        Option<String>,
        Option<String>,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
    );
    let proxies: Vec<ProxyExport> = resident_proxies::table
        .inner_join(users::table.on(users::id.eq(resident_proxies::proxy_user_id)))
        .filter(resident_proxies::resident_id.eq(id))
        .select((
            users::email,
            resident_proxies::relationship,
            resident_proxies::phone,
            resident_proxies::consent_at,
            resident_proxies::revoked_at,
        ))
        .load(conn)?;
    type JobExport = (
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<i64>,
        chrono::NaiveDateTime,
    );
    let job_rows: Vec<JobExport> = jobs::table
        .inner_join(service_versions::table)
        .filter(jobs::recipient_id.eq(id))
        .order(jobs::id)
        .select((
            jobs::id,
            service_versions::name_nl,
            jobs::status,
            jobs::description,
            jobs::street,
            jobs::house_number,
            jobs::billable_minutes,
            jobs::created_at,
        ))
        .load(conn)?;
    let cheque_rows: Vec<(String, String, String, i64, chrono::NaiveDate)> = cheques::table
        .filter(cheques::owner_resident_id.eq(id))
        .order(cheques::id)
        .select((
            cheques::serial,
            cheques::status,
            cheques::tariff,
            cheques::price_cents,
            cheques::valid_until,
        ))
        .load(conn)?;
    let sales: Vec<(i64, String, i64, chrono::NaiveDateTime)> = cheque_sales::table
        .filter(cheque_sales::resident_id.eq(id))
        .order(cheque_sales::id)
        .select((
            cheque_sales::id,
            cheque_sales::channel,
            cheque_sales::total_cents,
            cheque_sales::created_at,
        ))
        .load(conn)?;
    let addresses: Vec<String> = r
        .email
        .iter()
        .cloned()
        .chain(account.iter().map(|a| a.0.clone()))
        .collect();
    let messages: Vec<(String, String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> = outbox::table
        .filter(outbox::recipient_email.eq_any(&addresses))
        .order(outbox::id)
        .select((outbox::template, outbox::status, outbox::created_at, outbox::sent_at))
        .load(conn)?;
    let job_ids: Vec<i64> = jobs::table
        .filter(jobs::recipient_id.eq(id))
        .select(jobs::id)
        .load(conn)?;
    let mut feedback = Vec::new();
    for job_id in job_ids {
        for row in crate::feedback::store::of_job(conn, job_id)? {
            feedback.push(crate::feedback::give::view(conn, row, false)?);
        }
    }
    let series = crate::jobs::series_store::of_recipient(conn, id)?;
    let series = crate::jobs::series::views(conn, series, None)?;
    let keys = crate::residents::keys_store::of_resident(conn, id)?;
    let preferred_helpers = crate::residents::preferred::of_resident(conn, id, false)?;
    let staff_notes = r.staff_notes.filter(|_| export_for == ExportFor::Coordinator);
    let mut export = json!({
        "resident": {
            "id": r.id, "name": r.name, "email": r.email, "phone": r.phone,
            "address": {"street": r.street, "house_number": r.house_number, "postcode": r.postcode, "city": r.city},
            "wijk": r.wijk, "birth_date": r.birth_date, "language": r.language,
            "staff_notes": staff_notes, "created_at": r.created_at, "erased_at": r.erased_at,
        },
        "account": account.map(|(email, role, created_at, verified)| json!({
            "email": email, "role": role, "created_at": created_at, "email_verified_at": verified,
        })),
        "eligibility_periods": periods.into_iter().map(|(basis, from, until, evidence)| json!({
            "basis": basis, "valid_from": from, "valid_until": until, "evidence_ref": evidence,
        })).collect::<Vec<_>>(),
        "proxies": proxies.into_iter().map(|(email, relationship, phone, consent_at, revoked_at)| json!({
            "email": email, "relationship": relationship, "phone": phone, "consent_at": consent_at,
            "revoked_at": revoked_at,
        })).collect::<Vec<_>>(),
        "jobs": job_rows.into_iter().map(|(id, service, status, description, street, number, minutes, created)| json!({
            "id": id, "service": service, "status": status, "description": description,
            "address": format!("{street} {number}"), "billable_minutes": minutes, "created_at": created,
        })).collect::<Vec<_>>(),
        "recurring_visits": series,
        "feedback": feedback,
        "keys": keys,
        "preferred_helpers": preferred_helpers,
        "cheques": cheque_rows.into_iter().map(|(serial, status, tariff, price, until)| json!({
            "serial": serial, "status": status, "tariff": tariff, "price_cents": price, "valid_until": until,
        })).collect::<Vec<_>>(),
        "purchases": sales.into_iter().map(|(id, channel, total, at)| json!({
            "id": id, "channel": channel, "total_cents": total, "at": at,
        })).collect::<Vec<_>>(),
        "messages": messages.into_iter().map(|(template, status, created, sent)| json!({
            "template": template, "status": status, "created_at": created, "sent_at": sent,
        })).collect::<Vec<_>>(),
    });
    export_for.note_withheld(&mut export, &["resident.staff_notes"]);
    Ok(export)
}
