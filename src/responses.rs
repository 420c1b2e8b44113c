//! Answers shared by handlers.

use actix_web::HttpResponse;
use serde::Serialize;

/// The answer to a `PUT` (or a repeatable `POST`) that may create or change: 201 Created
/// when it made something new, 200 OK when it changed (or repeated) what was there.
pub fn created_or_ok(created: bool, body: &impl Serialize) -> HttpResponse {
    let mut answer = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    answer.json(body)
}
