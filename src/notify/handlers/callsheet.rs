use actix_web::{get, post, web};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::CallSheetDesk;
use crate::clock;
use crate::db::{self, DbPool};
use crate::domain::{Language, ShortText};
use crate::error::{ApiError, Problem};
use crate::notify::callsheet::{self, CallTaskRow};
use crate::notify::{Renderer, Template};
use crate::request_body::Json;
use crate::request_query::Query;

#[derive(Debug, Deserialize, IntoParams)]
pub struct CallSheetQuery {
    /// The day (`YYYY-MM-DD`); today when left out. Older open calls are included.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallTaskView {
    pub id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    /// `null` when the resident has no phone number either: visit or write instead.
    pub phone: Option<String>,
    pub due_on: NaiveDate,
    /// Still open from an earlier day.
    pub overdue: bool,
    pub language: Language,
    /// What to tell the resident.
    pub subject: String,
    pub message: String,
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub done_at: Option<NaiveDateTime>,
    pub done_by: Option<i64>,
    pub note: Option<String>,
}

fn view(renderer: &Renderer, row: CallTaskRow, name: String, phone: Option<String>, date: NaiveDate) -> CallTaskView {
    let language = Language::from_stored(&row.language);
    let rendered = Template::from_name(&row.template)
        .zip(serde_json::from_str(&row.data).ok())
        .and_then(|(t, data)| renderer.render(t, language, &data).ok());
    let (subject, message) = match rendered {
        Some(r) => (r.subject, r.text),
        None => (row.template.clone(), String::new()),
    };
    CallTaskView {
        id: row.id,
        resident_id: row.resident_id,
        resident_name: name,
        phone,
        overdue: row.due_on < date && row.done_at.is_none(),
        due_on: row.due_on,
        language,
        subject,
        message,
        done_at: row.done_at,
        done_by: row.done_by,
        note: row.note,
    }
}

/// The day's calls: messages for residents without email, read out by phone.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    params(CallSheetQuery),
    responses(
        (status = 200, description = "The day's messages and older open ones, each resident's together (one call), the resident whose message is oldest first; a message about a job not yet told is left out once a later one about that job is there", body = Vec<CallTaskView>),
        (status = 400, description = "Invalid date", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn call_sheet(
    _staff: RequireRole<CallSheetDesk>,
    pool: web::Data<DbPool>,
    renderer: web::Data<Renderer>,
    query: Query<CallSheetQuery>,
) -> Result<web::Json<Vec<CallTaskView>>, ApiError> {
    let date = query.date.unwrap_or_else(clock::today);
    let rows = db::run(&pool, move |conn| Ok(callsheet::for_date(conn, date)?)).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(row, name, phone)| view(&renderer, row, name, phone, date))
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallTaskDone {
    /// How the call went, e.g. "voicemail ingesproken".
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Marks a call as made.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Call task id")),
    request_body = CallTaskDone,
    responses(
        (status = 200, description = "Marked done", body = CallTaskView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already done", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid note", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/done")]
pub async fn mark_done(
    staff: RequireRole<CallSheetDesk>,
    pool: web::Data<DbPool>,
    renderer: web::Data<Renderer>,
    id: web::Path<i64>,
    body: Json<CallTaskDone>,
) -> Result<web::Json<CallTaskView>, ApiError> {
    let id = id.into_inner();
    let note = checked_note(body.into_inner().note)?;
    let by = staff.id;
    let (row, name, phone) = db::run_tx(&pool, move |conn| {
        callsheet::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if !callsheet::mark_done(conn, id, by, note.as_deref(), db::now())? {
            return Err(ApiError::conflict("already_done", "this call was already marked done"));
        }
        let row = callsheet::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let resident = crate::residents::store::find(conn, row.resident_id)?.ok_or(ApiError::NotFound)?;
        Ok((row, resident.name, resident.phone))
    })
    .await?;
    let date = row.due_on;
    Ok(web::Json(view(&renderer, row, name, phone, date)))
}

/// A note on how a call went: none when blank, at most 1,000 characters.
fn checked_note(note: Option<String>) -> Result<Option<String>, ApiError> {
    match note.filter(|n| !n.trim().is_empty()) {
        Some(n) => Ok(Some(
            ShortText::parse(&n, 1000)
                .map_err(|p| ApiError::validation("note", p.code, p.message))?
                .into_inner(),
        )),
        None => Ok(None),
    }
}

/// At most this many messages are marked told at once.
pub const MAX_CALLS: usize = 50;

fn told_ids() -> utoipa::openapi::schema::Array {
    let description = format!("The messages told in one phone call, all to one resident; 1 to {MAX_CALLS}, each once.");
    crate::schema_forms::unique_ids(MAX_CALLS, &description)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallsDone {
    #[schema(schema_with = told_ids)]
    pub ids: Vec<i64>,
    /// How the call went, e.g. "gebeld, alles doorgegeven"; kept on each message.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Marks the messages told in one phone call done at once: a resident often has several
/// on a day (their order accepted, then its appointment). The ids are the ones the
/// caller read out, so a message added during the call stays open. All of them, or, if
/// one is unknown, for another resident or already done, none.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    request_body = CallsDone,
    responses(
        (status = 200, description = "All marked done, in the order named", body = Vec<CallTaskView>),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "One was already done (already_done); none was marked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No ids, too many, one twice, an unknown one (unknown_call), messages for several residents (several_residents), or an invalid note", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/done")]
pub async fn mark_call_done(
    staff: RequireRole<CallSheetDesk>,
    pool: web::Data<DbPool>,
    renderer: web::Data<Renderer>,
    body: Json<CallsDone>,
) -> Result<web::Json<Vec<CallTaskView>>, ApiError> {
    let CallsDone { ids, note } = body.into_inner();
    let note = checked_note(note)?;
    crate::batch::check_ids(&ids, MAX_CALLS, "message", "duplicate_call")?;
    let by = staff.id;
    let (rows, name, phone) = db::run_tx(&pool, move |conn| {
        let found = callsheet::find_many(conn, &ids)?;
        let resident = callsheet::one_call(&ids, &found)?;
        if callsheet::mark_all_done(conn, &ids, by, note.as_deref(), db::now())? != ids.len() {
            return Err(ApiError::conflict(
                "already_done",
                "one of these messages was already marked done; none was marked now",
            ));
        }
        let mut rows = callsheet::find_many(conn, &ids)?;
        rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
        let resident = crate::residents::store::find(conn, resident)?.ok_or(ApiError::NotFound)?;
        Ok((rows, resident.name, resident.phone))
    })
    .await?;
    let today = clock::today();
    Ok(web::Json(
        rows.into_iter()
            .map(|row| view(&renderer, row, name.clone(), phone.clone(), today))
            .collect(),
    ))
}
