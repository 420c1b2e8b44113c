use actix_web::{patch, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::extract::ParticipantDesk;
use crate::auth::store as users;
use crate::auth::{AuthState, RequireRole};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::participants::input::{ParticipantPatch, Profile};
use crate::participants::model::{ParticipantView, split_list, written_language};
use crate::participants::vocabulary::{Vocabulary, Words};
use crate::participants::{account, coaches, ramp_up_store, store, views, vog};
use crate::planning::broken_work::{self, BrokenWork};
use crate::request_body::Json;

/// A changed work profile, with the planned work the change broke.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantChanged {
    #[serde(flatten)]
    pub participant: ParticipantView,
    /// Work planned for the participant and not started that breaks a rule with the
    /// profile as it is now (a weekday or dagdeel no longer available, a lowered
    /// clearance, fewer contracted hours), earliest first, each with the rules it breaks:
    /// it needs re-planning. Empty when all of it still fits.
    pub broken_work: Vec<BrokenWork>,
}

/// Changes a work profile. A clearance change is recorded with who, when and why. With
/// `account_email`, a participant without an account gets their own (see registration);
/// one who has not chosen its password yet is mailed a new link, at that address.
/// A ramp-up plan's steps at the whole contracted week follow a change of the contract.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    request_body = ParticipantPatch,
    responses(
        (status = 200, description = "The changed participant, with the planned work that no longer fits", body = ParticipantChanged),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant's data was erased (participant_erased), made inactive while planned on work not done yet (planned_work), has chosen the password of their account already (has_account), or the account is another's (account_linked) or switched off (account_disabled)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; unknown_skill or unknown_category for a new word the catalogue does not use", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
pub async fn update_participant(
    staff: RequireRole<ParticipantDesk>,
    auth: web::Data<AuthState>,
    settings: web::Data<JobSettings>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<ParticipantPatch>,
) -> Result<web::Json<ParticipantChanged>, ApiError> {
    let (user, id, patch) = (staff.user, id.into_inner(), body.into_inner());
    let account_email = account::Requested::parse(patch.account_email.as_deref())?;
    let public_url = auth.public_url.clone();
    let view = db::run_tx(&pool, move |conn| {
        store::lock(conn, id)?;
        let row = store::recordable(conn, id)?;
        let current = Profile {
            name: row.name.clone(),
            email: row.email.clone(),
            phone: row.phone.clone(),
            postcode: row.postcode.clone(),
            wijk: row.wijk.clone(),
            languages: split_list(&row.languages).join(","),
            skills: split_list(&row.skills).join(","),
            interests: split_list(&row.interests).join(","),
            aversions: split_list(&row.aversions).join(","),
            contracted_minutes: row.contracted_minutes_per_week,
            availability: store::availability_of(conn, &[id])?
                .into_iter()
                .map(|(_, s)| s)
                .collect(),
            vog_issued_on: row.vog_issued_on,
        };
        Vocabulary::of_catalogue(conn)?.check_lists([
            (Words::Skills, patch.skills.as_deref(), &current.skills),
            (Words::Interests, patch.interests.as_deref(), &current.interests),
            (Words::Aversions, patch.aversions.as_deref(), &current.aversions),
        ])?;
        let profile = patch.apply(current)?;
        // Lowering a clearance is never held up, by an old VOG or none.
        let granting = patch.clearance.filter(|c| *c > row.clearance());
        vog::check(profile.vog_issued_on, granting, clock::today(), settings.vog_months)?;
        let coach = match patch.coach_user_id {
            // The coach they have stays theirs, even once disabled: the caseload is
            // handed over as a whole (`coaches::hand_over`).
            Some(Some(c)) if Some(c) == row.coach_user_id => Some(c),
            Some(Some(c)) => Some(coaches::checked(conn, c, "coach_user_id")?),
            Some(None) => None,
            None => row.coach_user_id,
        };
        if row.active && patch.active == Some(false) {
            store::not_planned(conn, id)?;
        }
        let now = db::now();
        if let Some(email) = &account_email {
            match row.user_id {
                Some(user_id) => account::invite_again(conn, user_id, email, &public_url)?,
                None => {
                    let account = account::link_or_invite(conn, email, &profile.name, &profile.languages, &public_url)?;
                    if !store::link_account(conn, id, account, now)? {
                        return Err(ApiError::conflict(
                            "has_account",
                            "this participant has an account already",
                        ));
                    }
                }
            }
        }
        store::update_profile(conn, id, &profile, coach, patch.active.unwrap_or(row.active), now)?;
        if profile.contracted_minutes != row.contracted_minutes_per_week {
            ramp_up_store::follow_contract(conn, id, row.contracted_minutes_per_week, profile.contracted_minutes)?;
        }
        // The account's own mail (a password reset) comes in the language the rest does.
        if let Some(account) = row.user_id
            && patch.languages.is_some()
        {
            users::set_language(conn, account, written_language(&profile.languages), now)?;
        }
        if let Some(to) = patch.clearance.filter(|c| *c != row.clearance()) {
            let reason = patch.clearance_reason.as_deref().unwrap_or("").trim();
            store::set_clearance(conn, id, Some(row.clearance()), to, user.id, reason, now)?;
        }
        let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let participant = views::staff_view(conn, row, &user, clock::today(), settings.vog_months)?;
        let broken_work = broken_work::of_participant(conn, id, &settings)?;
        Ok(ParticipantChanged {
            participant,
            broken_work,
        })
    })
    .await?;
    Ok(web::Json(view))
}
