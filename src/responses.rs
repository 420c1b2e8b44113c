//! Answers shared by handlers.

use actix_web::HttpResponse;
use actix_web::http::header;
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

/// 201 Created for something with an address of its own: `Location` gives it (the
/// collection's address and the new `id`), so a client follows it instead of building it.
pub fn created_at(collection: &str, id: i64, body: &impl Serialize) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, format!("{collection}/{id}")))
        .json(body)
}
