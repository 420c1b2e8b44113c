use actix_web::{HttpResponse, post, web};

use crate::auth::extract::ParticipantDesk;
use crate::auth::{AuthState, RequireRole};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::participants::clearance::Clearance;
use crate::participants::input::ParticipantInput;
use crate::participants::model::ParticipantView;
use crate::participants::vocabulary::{Vocabulary, Words};
use crate::participants::{account, coaches, store, views, vog};
use crate::request_body::Json;
use crate::responses;

/// Registers a participant's work profile. With `account_email`, the participant's own
/// account is linked, or made when the address has none yet: the participant is then
/// mailed a link to choose a password (valid a week).
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    request_body = ParticipantInput,
    responses(
        (status = 201, description = "Registered", body = ParticipantView, headers(("Location" = String, description = "The new participant's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is linked to another participant (account_linked) or switched off (account_disabled)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; unknown_skill or unknown_category for a word the catalogue does not use; account_not_participant when the address has an account of another role", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create_participant(
    staff: RequireRole<ParticipantDesk>,
    auth: web::Data<AuthState>,
    settings: web::Data<JobSettings>,
    pool: web::Data<DbPool>,
    body: Json<ParticipantInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let profile = input.parse()?;
    vog::check(
        profile.vog_issued_on,
        input.clearance,
        clock::today(),
        settings.vog_months,
    )?;
    let account_email = account::Requested::parse(input.account_email.as_deref())?;
    let (user, public_url, vog_months) = (staff.user, auth.public_url.clone(), settings.vog_months);
    let view = db::run_tx(&pool, move |conn| {
        Vocabulary::of_catalogue(conn)?.check_lists([
            (Words::Skills, Some(&input.skills), ""),
            (Words::Interests, Some(&input.interests), ""),
            (Words::Aversions, Some(&input.aversions), ""),
        ])?;
        let now = db::now();
        let account = match &account_email {
            Some(email) => Some(account::link_or_invite(
                conn,
                email,
                &profile.name,
                &profile.languages,
                &public_url,
            )?),
            None => None,
        };
        if let Some(coach) = input.coach_user_id {
            coaches::checked(conn, coach, "coach_user_id")?;
        }
        let clearance = input.clearance.unwrap_or(Clearance::New);
        let row = store::insert(conn, &profile, clearance, input.coach_user_id, account, now)?;
        store::set_clearance(conn, row.id, None, clearance, user.id, "registered", now)?;
        views::staff_view(conn, row, &user, clock::today(), vog_months)
    })
    .await?;
    Ok(responses::created_at("/api/v1/participants", view.id, &view))
}
