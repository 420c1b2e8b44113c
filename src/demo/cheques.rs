//! Demo cheques: a product with its tariff, a counter session with sales to the demo
//! residents at both tariffs, and a batch bought two years ago that has since expired
//! (its value booked as breakage). Sold by the demo werkleider, the only demo staff.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use crate::cheques::changes;
use crate::cheques::sale::{self, CounterSale, Payment};
use crate::cheques::store;
use crate::cheques::tariff::Price;
use crate::config::Settings;
use crate::db::schema::residents;
use crate::db::{self, DbConn};

/// Returns (cheques sold, cheques expired, the resident holding reduced cheques);
/// nothing when a product already exists.
pub fn load(
    conn: &mut DbConn,
    by: i64,
    settings: &Settings,
    today: NaiveDate,
) -> anyhow::Result<(usize, usize, Option<i64>)> {
    if !store::products(conn)?.is_empty() {
        return Ok((0, 0, None));
    }
    let now = db::now();
    let product = store::create_product(
        conn,
        &store::NewProduct {
            name: "Servicecheque 1 uur",
            face_minutes: 60,
            reduced_yearly_cap: Some(40),
            validity_months: None,
        },
        now,
    )?;
    let since = NaiveDate::from_ymd_opt(today.year() - 3, 1, 1).ok_or_else(|| anyhow::anyhow!("no such year"))?;
    let price = Price {
        valid_from: since,
        regular_cents: 1500,
        reduced_cents: 800,
    };
    store::set_price(conn, product.id, &price, Some(by), now)?;
    let session = crate::cheques::cash_sessions::open_session(conn, by, 5000, now)?;
    let owners: Vec<i64> = residents::table
        .order(residents::id)
        .select(residents::id)
        .limit(4)
        .load(conn)?;
    let mut sold = 0;
    let mut sell = |conn: &mut DbConn, resident_id: i64, quantity: i64, payment: Payment, on: NaiveDate| {
        let sale = CounterSale {
            cash_session_id: session.id,
            resident_id,
            product_id: product.id,
            quantity,
            payment,
        };
        sale::sell(conn, by, &sale, &settings.jobs.subsidy, on, now).map_err(|e| anyhow::anyhow!("{e}"))?;
        sold += usize::try_from(quantity).unwrap_or(0);
        anyhow::Ok(())
    };
    for (i, owner) in owners.iter().enumerate() {
        let payment = if i % 2 == 0 { Payment::Cash } else { Payment::Pin };
        sell(conn, *owner, 5, payment, today)?;
    }
    // Bought two years ago, valid to the end of last year: expired now.
    if let Some(owner) = owners.first() {
        let long_ago =
            NaiveDate::from_ymd_opt(today.year() - 2, 3, 1).ok_or_else(|| anyhow::anyhow!("no such year"))?;
        sell(conn, *owner, 2, Payment::Cash, long_ago)?;
    }
    let expired = changes::expire_due(conn, today, now).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((sold, expired, owners.first().copied()))
}
