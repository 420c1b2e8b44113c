//! The receipt for a counter sale: the same words on paper (printable HTML) and, when the
//! resident has an email address, in their inbox. It says which tariff was paid, never why.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Value, json};

use super::store::{self, Cheque};
use crate::auth::store::UserRow;
use crate::db::DbConn;
use crate::db::schema::{cheque_sales, cheques};
use crate::domain::Language;
use crate::domain::euros;
use crate::error::ApiError;
use crate::notify::Template;
use crate::notify::outbox::{self, NewMessage};
use crate::residents::store as residents;

/// The template data for sale `sale_id`, with the resident's language.
pub fn data(conn: &mut DbConn, sale_id: i64) -> Result<(Language, Value, Option<String>), ApiError> {
    let (resident_id, product_id, channel, tariff, unit, total, sold_at): (
        i64,
        i64,
        String,
        String,
        i64,
        i64,
        NaiveDateTime,
    ) = cheque_sales::table
        .find(sale_id)
        .select((
            cheque_sales::resident_id,
            cheque_sales::product_id,
            cheque_sales::channel,
            cheque_sales::tariff,
            cheque_sales::unit_price_cents,
            cheque_sales::total_cents,
            cheque_sales::created_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let resident = residents::find(conn, resident_id)?.ok_or(ApiError::NotFound)?;
    let product = store::product(conn, product_id)?.ok_or(ApiError::NotFound)?;
    let sold: Vec<Cheque> = cheques::table
        .filter(cheques::sale_id.eq(sale_id))
        .order(cheques::id)
        .select(Cheque::as_select())
        .load(conn)?;
    let valid_until = sold.iter().map(|c| c.valid_until).min();
    let data = json!({
        "name": resident.name,
        "sale": sale_id,
        "date": sold_at.date().to_string(),
        "product": product.name,
        "count": sold.len(),
        "reduced": tariff == "reduced",
        "unit": euros(unit),
        "total": euros(total),
        "method": channel,
        "valid_until": valid_until.map(|d| d.to_string()).unwrap_or_default(),
        "serials": sold.iter().map(|c| c.serial.as_str()).collect::<Vec<_>>(),
    });
    let email = resident.email.filter(|e| !e.is_empty());
    Ok((Language::from_stored(&resident.language), data, email))
}

/// Mails the receipt if the resident has an email address; otherwise the paper one from
/// the counter is all they need (no phone call). Returns whether it was queued.
pub fn mail(conn: &mut DbConn, sale_id: i64, now: NaiveDateTime) -> Result<bool, ApiError> {
    let (language, data, email) = data(conn, sale_id)?;
    let Some(email) = email else {
        return Ok(false);
    };
    let name = data["name"].as_str().unwrap_or_default().to_owned();
    send(conn, &email, &name, language, &data, now)?;
    Ok(true)
}

/// Mails the receipt to whoever bought the cheques online for the resident (a son or
/// daughter acting as proxy), unless that is the resident's own address.
pub fn mail_buyer(conn: &mut DbConn, sale_id: i64, buyer: &UserRow, now: NaiveDateTime) -> Result<bool, ApiError> {
    let (language, data, email) = data(conn, sale_id)?;
    if email.is_some_and(|e| e.eq_ignore_ascii_case(&buyer.email)) {
        return Ok(false);
    }
    send(conn, &buyer.email, &buyer.name, language, &data, now)?;
    Ok(true)
}

fn send(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    language: Language,
    data: &Value,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    outbox::enqueue(
        conn,
        &NewMessage {
            recipient_email: email,
            recipient_name: name,
            language,
            template: Template::ChequeReceipt,
            data,
        },
        now,
    )?;
    Ok(())
}
