//! Building what staff and participants see, and who may see which participant.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::model::{OwnParticipantView, ParticipantRow, ParticipantView, TrajectorySummary, split_list};
use super::{ramp_up, ramp_up_store, store, trajectory_store, vog};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;

/// The participant, if `user` may read them: werkleiders and the coordinator all, a coach
/// their own caseload. Others learn nothing (404).
pub fn readable(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<ParticipantRow, ApiError> {
    let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let allowed = match user.role {
        Role::Werkleider | Role::Coordinator => true,
        Role::Trajectbegeleider => row.coach_user_id == Some(user.id),
        _ => false,
    };
    if allowed { Ok(row) } else { Err(ApiError::NotFound) }
}

/// What staff see of these participants, in their order. What each view needs beyond
/// the participant's row is read for all of them at once, so the list of every
/// participant costs the same few queries however many there are.
pub fn staff_views(
    conn: &mut DbConn,
    rows: Vec<ParticipantRow>,
    viewer: &AuthUser,
    today: NaiveDate,
    vog_months: u32,
) -> Result<Vec<ParticipantView>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut availability: HashMap<i64, Vec<_>> = HashMap::new();
    for (id, slot) in store::availability_of(conn, &ids)? {
        availability.entry(id).or_default().push(slot);
    }
    let mut absences: HashMap<i64, Vec<_>> = HashMap::new();
    for a in store::absences_of(conn, &ids, today - chrono::Duration::days(30), crate::dates::last_day())? {
        absences.entry(a.participant_id).or_default().push(a);
    }
    let mut current: HashMap<i64, TrajectorySummary> = HashMap::new();
    for t in trajectory_store::of_participants(conn, &ids)? {
        let period = t.period();
        if period.active_on(today) {
            current.entry(t.participant_id).or_insert(TrajectorySummary {
                kind: period.kind,
                until: period.effective_end(),
            });
        }
    }
    // Who may be paired with whom, and the VOG: safeguarding, for those who plan and coach.
    let sees_pairs = matches!(
        viewer.role,
        Role::Werkleider | Role::Trajectbegeleider | Role::Coordinator
    );
    let mut pairs: HashMap<i64, Vec<i64>> = HashMap::new();
    if sees_pairs {
        for (a, b) in store::do_not_pair_of(conn, &ids)? {
            pairs.entry(a).or_default().push(b);
            pairs.entry(b).or_default().push(a);
        }
    }
    let mut plans: HashMap<i64, Vec<_>> = HashMap::new();
    for (id, step) in ramp_up_store::of_participants(conn, &ids)? {
        plans.entry(id).or_default().push(step);
    }
    let this_week = ramp_up::monday(today);
    let mut clearances: HashMap<i64, Vec<_>> = HashMap::new();
    for c in store::clearance_histories(conn, &ids)? {
        clearances.entry(c.participant_id).or_default().push(c);
    }
    Ok(rows
        .into_iter()
        .map(|row| ParticipantView {
            id: row.id,
            clearance: row.clearance(),
            languages: split_list(&row.languages),
            skills: split_list(&row.skills),
            interests: split_list(&row.interests),
            aversions: split_list(&row.aversions),
            contracted_minutes_per_week: row.contracted_minutes_per_week,
            minutes_this_week: ramp_up::week_minutes(
                row.contracted_minutes_per_week,
                plans.get(&row.id).map_or(&[], Vec::as_slice),
                this_week,
            ),
            availability: availability.remove(&row.id).unwrap_or_default(),
            absences: absences.remove(&row.id).unwrap_or_default(),
            coach_user_id: row.coach_user_id,
            has_account: row.user_id.is_some(),
            active: row.active,
            current_trajectory: current.remove(&row.id),
            do_not_pair: sees_pairs.then(|| pairs.remove(&row.id).unwrap_or_default()),
            clearance_history: Some(clearances.remove(&row.id).unwrap_or_default()),
            vog_issued_on: sees_pairs.then_some(row.vog_issued_on),
            vog_valid_until: sees_pairs.then(|| {
                row.vog_issued_on
                    .filter(|_| vog_months > 0)
                    .and_then(|on| vog::valid_until(on, vog_months))
            }),
            vog_renewal_due: sees_pairs.then(|| row.vog_renewal_due(today, vog_months)),
            name: row.name,
            email: row.email,
            phone: row.phone,
            postcode: row.postcode,
            wijk: row.wijk,
        })
        .collect())
}

/// What staff see of one participant.
pub fn staff_view(
    conn: &mut DbConn,
    row: ParticipantRow,
    viewer: &AuthUser,
    today: NaiveDate,
    vog_months: u32,
) -> Result<ParticipantView, ApiError> {
    staff_views(conn, vec![row], viewer, today, vog_months)?
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no view made for the participant")))
}

pub fn own_view(conn: &mut DbConn, row: ParticipantRow, today: NaiveDate) -> Result<OwnParticipantView, ApiError> {
    let ids = [row.id];
    let steps = ramp_up_store::of_participant(conn, row.id)?;
    Ok(OwnParticipantView {
        minutes_this_week: ramp_up::week_minutes(row.contracted_minutes_per_week, &steps, ramp_up::monday(today)),
        ramp_up: ramp_up::from_this_week(&steps, today),
        id: row.id,
        clearance: row.clearance(),
        languages: split_list(&row.languages),
        skills: split_list(&row.skills),
        interests: split_list(&row.interests),
        aversions: split_list(&row.aversions),
        contracted_minutes_per_week: row.contracted_minutes_per_week,
        availability: store::availability_of(conn, &ids)?
            .into_iter()
            .map(|(_, s)| s)
            .collect(),
        absences: store::absences_of(conn, &ids, today, crate::dates::last_day())?,
        asked_again_by: store::asked_again_by(conn, row.id)?,
        name: row.name,
    })
}
