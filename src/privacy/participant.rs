//! A participant's data subject rights: everything held about them as JSON, and erasure
//! of what identifies them and their welfare data. Hours worked and bonus statements stay
//! for the fiscal period, without a name.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConn;
use crate::db::schema::{
    attendance, bonus_statements, clearance_changes, do_not_pair, participant_absences, participants, trajectories,
    user_tokens, users, work_logs,
};
use crate::error::ApiError;
use crate::privacy::ExportFor;

/// Everything held about a participant; their own copy leaves out the werkleiders' notes
/// with their attendance and the coach's questions to the sociale dienst with its answers
/// (which the coach goes through with them).
pub fn export(conn: &mut DbConn, id: i64, export_for: ExportFor) -> Result<Value, ApiError> {
    let full = export_for == ExportFor::Coordinator;
    type Profile = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        bool,
        Option<NaiveDate>,
    );
    let p: Profile = participants::table
        .find(id)
        .select((
            participants::name,
            participants::email,
            participants::phone,
            participants::postcode,
            participants::wijk,
            participants::skills,
            participants::interests,
            participants::clearance,
            participants::active,
            participants::vog_issued_on,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    type Trajectory = (i64, String, NaiveDate, NaiveDate, Option<NaiveDate>, Option<String>);
    let trajectories: Vec<Trajectory> = trajectories::table
        .filter(trajectories::participant_id.eq(id))
        .select((
            trajectories::id,
            trajectories::kind,
            trajectories::starts_on,
            trajectories::ends_on,
            trajectories::ended_on,
            trajectories::exit_reason,
        ))
        .load(conn)?;
    let ids: Vec<i64> = trajectories.iter().map(|t| t.0).collect();
    let plans = crate::participants::plan::all_of(conn, &ids)?;
    let reviews = crate::participants::review_store::of_participant(conn, id)?;
    let approvals = if full {
        crate::participants::approval_store::of_trajectories(conn, &ids)?
    } else {
        Vec::new()
    };
    let ramp_up = crate::participants::ramp_up_store::of_participant(conn, id)?;
    let buddies = crate::participants::buddy_store::export_of(conn, id)?;
    let attendance: Vec<(NaiveDate, String, Option<String>)> = attendance::table
        .filter(attendance::participant_id.eq(id))
        .select((attendance::on_date, attendance::status, attendance::note))
        .load(conn)?;
    let absences: Vec<(String, NaiveDate, NaiveDate)> = participant_absences::table
        .filter(participant_absences::participant_id.eq(id))
        .select((
            participant_absences::kind,
            participant_absences::starts_on,
            participant_absences::ends_on,
        ))
        .load(conn)?;
    let logs: Vec<(NaiveDateTime, NaiveDateTime, i64, String)> = work_logs::table
        .filter(work_logs::participant_id.eq(id))
        .select((
            work_logs::started_at,
            work_logs::ended_at,
            work_logs::minutes,
            work_logs::status,
        ))
        .load(conn)?;
    let statements: Vec<(i64, String, i64)> = bonus_statements::table
        .filter(bonus_statements::participant_id.eq(id))
        .select((
            bonus_statements::year,
            bonus_statements::kind,
            bonus_statements::amount_cents,
        ))
        .load(conn)?;
    let mut compliments = Vec::new();
    for row in crate::feedback::store::compliments_for(conn, id)? {
        if let Some(job) = crate::jobs::store::find(conn, row.job_id)? {
            compliments.push(crate::feedback::give::compliment(
                conn,
                row,
                &job,
                crate::domain::Language::Nl,
            )?);
        }
    }
    let mut export = json!({
        "participant": {
            "name": p.0, "email": p.1, "phone": p.2, "postcode": p.3, "wijk": p.4,
            "skills": p.5, "interests": p.6, "clearance": p.7, "active": p.8, "vog_issued_on": p.9,
        },
        "trajectories": trajectories.into_iter().map(|t| json!({
            "kind": t.1, "starts_on": t.2, "ends_on": t.3, "ended_on": t.4, "exit_reason": t.5,
            "plans": plans.iter().filter(|p| p.trajectory_id == t.0).collect::<Vec<_>>(),
            "reviews": reviews.iter().filter(|r| r.trajectory_id == t.0).collect::<Vec<_>>(),
            "approvals": full.then(|| approvals.iter().filter(|a| a.trajectory_id == t.0).collect::<Vec<_>>()),
        })).collect::<Vec<_>>(),
        "ramp_up": ramp_up,
        "buddies": buddies,
        "attendance": attendance.into_iter().map(|a| json!({"date": a.0, "status": a.1, "note": a.2.filter(|_| full)})).collect::<Vec<_>>(),
        "absences": absences.into_iter().map(|a| json!({"kind": a.0, "from": a.1, "to": a.2})).collect::<Vec<_>>(),
        "work_logs": logs.into_iter().map(|l| json!({"minutes": l.2, "status": l.3, "started_at": l.0, "ended_at": l.1})).collect::<Vec<_>>(),
        "bonus_statements": statements.into_iter().map(|s| json!({"year": s.0, "kind": s.1, "amount_cents": s.2})).collect::<Vec<_>>(),
        "compliments": compliments,
    });
    export_for.note_withheld(&mut export, &["attendance.note", "trajectories.approvals"]);
    Ok(export)
}

pub const ERASED_NAME: &str = "Verwijderd op verzoek";

pub fn erase(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), ApiError> {
    // Whatever records something for the participant (profile, absences, attendance,
    // hours, trajectories, planning) holds this lock while it checks they are not erased,
    // so it comes before the erasure (and is erased with it) or is refused after it.
    crate::participants::store::lock(conn, id)?;
    let (name, user_id): (String, Option<i64>) = participants::table
        .find(id)
        .select((participants::name, participants::user_id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if name == ERASED_NAME {
        return Err(ApiError::conflict(
            "already_erased",
            "this participant's data was erased already",
        ));
    }
    // Work they are planned for would go ahead without them, or name someone erased: the
    // werkleider plans someone else (which tells the resident) first.
    crate::participants::store::not_planned(conn, id)?;
    if let Some(uid) = user_id {
        crate::auth::store::lock_account(conn, uid)?;
        diesel::update(users::table.find(uid))
            .set((
                users::email.eq(format!("erased-{uid}@invalid.servicepunt")),
                users::name.eq(ERASED_NAME),
                users::active.eq(false),
                users::password_hash.eq(super::erase::ERASED_PASSWORD_HASH),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        crate::auth::store::revoke_all_sessions(conn, uid, now)?;
        diesel::delete(user_tokens::table.filter(user_tokens::user_id.eq(uid))).execute(conn)?;
        crate::idempotency::forget_account(conn, uid)?;
    }
    diesel::delete(attendance::table.filter(attendance::participant_id.eq(id))).execute(conn)?;
    crate::participants::ramp_up_store::delete_of(conn, &[id])?;
    crate::participants::buddy_store::forget(conn, &[id])?;
    diesel::delete(participant_absences::table.filter(participant_absences::participant_id.eq(id))).execute(conn)?;
    // Residents who asked for them again would see a name that is gone.
    crate::residents::preferred::forget_participant(conn, id)?;
    diesel::delete(
        do_not_pair::table.filter(
            do_not_pair::participant_id
                .eq(id)
                .or(do_not_pair::other_participant_id.eq(id)),
        ),
    )
    .execute(conn)?;
    diesel::update(clearance_changes::table.filter(clearance_changes::participant_id.eq(id)))
        .set(clearance_changes::reason.eq("[verwijderd]"))
        .execute(conn)?;
    let theirs: Vec<i64> = trajectories::table
        .filter(trajectories::participant_id.eq(id))
        .select(trajectories::id)
        .load(conn)?;
    crate::participants::plan::delete_of(conn, &theirs)?;
    crate::participants::review_store::delete_of(conn, &theirs)?;
    crate::participants::approval_store::delete_of(conn, &theirs)?;
    diesel::update(trajectories::table.filter(trajectories::participant_id.eq(id)))
        .set((
            trajectories::extension_justification.eq(None::<String>),
            trajectories::exit_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(work_logs::table.filter(work_logs::participant_id.eq(id)))
        .set((
            work_logs::note.eq(None::<String>),
            work_logs::correction_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(participants::table.find(id))
        .set((
            participants::name.eq(ERASED_NAME),
            participants::email.eq(None::<String>),
            participants::phone.eq(None::<String>),
            participants::postcode.eq(None::<String>),
            participants::skills.eq(""),
            participants::interests.eq(""),
            participants::aversions.eq(""),
            participants::vog_issued_on.eq(None::<NaiveDate>),
            participants::active.eq(false),
            participants::updated_at.eq(now),
        ))
        .execute(conn)?;
    crate::participants::store::mark_inactive_since(conn, id, false, now)?;
    Ok(())
}
