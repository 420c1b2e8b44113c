use actix_web::{get, web};

use crate::auth::RequireRole;
use crate::auth::extract::ParticipantAccount;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::feedback::model::ComplimentView;
use crate::feedback::{give, store};
use crate::jobs::store as jobs;
use crate::participants::store as participants;

/// The compliments residents gave on work the caller did, newest first. Complaints are
/// not here: the werkleider talks them over.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your compliments", body = Vec<ComplimentView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no participant profile", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/compliments")]
pub async fn my_compliments(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<ComplimentView>>, ApiError> {
    let user_id = user.id;
    let items = db::run(&pool, move |conn| {
        let me = participants::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        let mut items = Vec::new();
        for row in store::compliments_for(conn, me.id)? {
            let job = jobs::find(conn, row.job_id)?.ok_or(ApiError::NotFound)?;
            items.push(give::compliment(conn, row, &job, me.language())?);
        }
        Ok(items)
    })
    .await?;
    Ok(web::Json(items))
}
