//! Building what staff and participants see, and who may see which participant.

use chrono::NaiveDate;

use super::model::{OwnParticipantView, ParticipantRow, ParticipantView, TrajectorySummary, split_list};
use super::trajectory::TrajectoryKind;
use super::{store, trajectory_store};
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

pub fn staff_view(
    conn: &mut DbConn,
    row: ParticipantRow,
    viewer: &AuthUser,
    today: NaiveDate,
) -> Result<ParticipantView, ApiError> {
    let ids = [row.id];
    let availability = store::availability_of(conn, &ids)?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let absences = store::absences_of(conn, &ids, today - chrono::Duration::days(30), crate::dates::last_day())?;
    let current_trajectory = trajectory_store::of_participants(conn, &ids)?
        .iter()
        .map(|t| t.period())
        .find(|p| p.active_on(today))
        .map(|p| TrajectorySummary {
            kind: p.kind,
            until: p.effective_end(),
        });
    let sees_pairs = matches!(
        viewer.role,
        Role::Werkleider | Role::Trajectbegeleider | Role::Coordinator
    );
    let do_not_pair = if sees_pairs {
        Some(
            store::do_not_pair_of(conn, &ids)?
                .into_iter()
                .map(|(a, b)| if a == row.id { b } else { a })
                .collect(),
        )
    } else {
        None
    };
    Ok(ParticipantView {
        id: row.id,
        clearance: row.clearance(),
        languages: split_list(&row.languages),
        skills: split_list(&row.skills),
        interests: split_list(&row.interests),
        aversions: split_list(&row.aversions),
        contracted_minutes_per_week: row.contracted_minutes_per_week,
        availability,
        absences,
        coach_user_id: row.coach_user_id,
        has_account: row.user_id.is_some(),
        active: row.active,
        current_trajectory,
        do_not_pair,
        clearance_history: Some(store::clearance_history(conn, row.id)?),
        name: row.name,
        email: row.email,
        phone: row.phone,
        postcode: row.postcode,
        wijk: row.wijk,
    })
}

pub fn own_view(conn: &mut DbConn, row: ParticipantRow, today: NaiveDate) -> Result<OwnParticipantView, ApiError> {
    let ids = [row.id];
    Ok(OwnParticipantView {
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
        name: row.name,
    })
}

/// Whether the participant is in a participatiebaan on `date` (for bonuses, later).
pub fn in_participatiebaan(conn: &mut DbConn, participant_id: i64, date: NaiveDate) -> Result<bool, ApiError> {
    Ok(trajectory_store::of_participants(conn, &[participant_id])?
        .iter()
        .map(|t| t.period())
        .any(|p| p.kind == TrajectoryKind::Participatiebaan && p.active_on(date)))
}
