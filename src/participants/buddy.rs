//! Maatjes (buddies): clients who finished their trajectory here help newcomers find
//! their way, because they know the newcomers' world better than the coaches do
//! (digest 4.11 #52). The rules of who may be one and who may get one. Pure, no I/O.

use chrono::NaiveDate;

use super::trajectory::Period;
use crate::error::ApiError;

/// The newcomers one buddy helps at a time: a volunteer, not a second coach.
pub const MAX_PER_BUDDY: usize = 3;

/// Whether someone with these trajectories may be a buddy on `today`: they finished at
/// least one here and are not in one now, nor starting one later. The coach judges
/// whether it went well; the system keeps no reason for it (that is welfare data, and
/// the retention job removes it).
pub fn may_be_buddy(trajectories: &[Period], today: NaiveDate) -> bool {
    !trajectories.is_empty() && trajectories.iter().all(|t| t.effective_end() < today)
}

/// Refuses a volunteer who may not be a buddy (see [`may_be_buddy`]); `field` names the
/// request field that chose them (then 422), or None when the path did (then 409).
pub fn check_buddy(trajectories: &[Period], today: NaiveDate, field: Option<&str>) -> Result<(), ApiError> {
    if may_be_buddy(trajectories, today) {
        return Ok(());
    }
    let message = "a buddy is someone who finished their own trajectory here and is not in one now";
    Err(match field {
        Some(field) => ApiError::validation(field, "buddy_not_eligible", message),
        None => ApiError::conflict("buddy_not_eligible", message),
    })
}

/// Refuses a buddy for someone not in a trajectory on `today`: a buddy helps a newcomer
/// through theirs.
pub fn check_newcomer(trajectories: &[Period], today: NaiveDate) -> Result<(), ApiError> {
    if trajectories.iter().any(|t| t.active_on(today)) {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "trajectory_inactive",
            "a buddy helps someone through their trajectory; this participant is not in one today",
        ))
    }
}

/// Refuses a pairing when the newcomer has a buddy already, or the buddy helps
/// [`MAX_PER_BUDDY`] newcomers already.
pub fn check_room(newcomer_has_buddy: bool, buddy_helps: usize) -> Result<(), ApiError> {
    if newcomer_has_buddy {
        return Err(ApiError::conflict(
            "buddy_exists",
            "this participant has a buddy already; end that pairing first",
        ));
    }
    if buddy_helps >= MAX_PER_BUDDY {
        return Err(ApiError::conflict(
            "buddy_full",
            format!("this buddy helps {MAX_PER_BUDDY} newcomers already"),
        ));
    }
    Ok(())
}

/// The day a pairing that began on `starts_on` is over by itself: the newcomer's last
/// day in a trajectory, once they are in none on `today` and have none ahead (they left,
/// or their trajectory ran out). None while they are in one or start one later.
pub fn over_on(trajectories: &[Period], starts_on: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
    let last = trajectories.iter().map(Period::effective_end).max();
    match last {
        Some(last) if last >= today => None,
        last => Some(last.unwrap_or(starts_on).max(starts_on)),
    }
}

#[cfg(test)]
mod tests;
