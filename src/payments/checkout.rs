//! Buying cheques online: the tariff is quoted as at the counter (eligibility on the day,
//! the yearly cap), Stripe makes a Checkout Session, and only then is the checkout
//! recorded — a Stripe failure leaves nothing behind. The cheques are issued when the
//! paid event arrives (`webhook`), at the quoted price.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::store::{self, Checkout, NewCheckout};
use crate::auth::AuthUser;
use crate::cheques::sale::{self, Quote};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::access;
use crate::residents::store as residents;

/// Whom the cheques are for: the resident themselves, or the one a proxy acts for.
pub fn prepare(
    conn: &mut DbConn,
    user: &AuthUser,
    resident_id: Option<i64>,
    product_id: i64,
    quantity: i64,
    today: NaiveDate,
) -> Result<Quote, ApiError> {
    let resident_id = match resident_id {
        Some(id) => id,
        None => {
            residents::find_by_user(conn, user.id)?
                .ok_or_else(|| {
                    ApiError::validation(
                        "resident_id",
                        "no_resident_record",
                        "this account has no resident record",
                    )
                })?
                .id
        }
    };
    if !access::may_act_for(conn, user, resident_id)? {
        return Err(ApiError::validation(
            "resident_id",
            "not_your_resident",
            "you can buy cheques for yourself or for a resident you act for",
        ));
    }
    sale::quote(conn, resident_id, product_id, quantity, today)
}

/// Our reference for a checkout. With the client's `Idempotency-Key` it is derived from
/// the key, so a retry asks Stripe for the same session under the same reference.
pub fn reference(user_id: i64, idempotency_key: Option<&str>) -> String {
    match idempotency_key {
        Some(key) => {
            let digest = Sha256::digest(format!("{user_id}:{key}").as_bytes());
            format!("co_{}", &hex::encode(digest)[..32])
        }
        None => format!("co_{}", uuid::Uuid::new_v4().simple()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckoutStarted {
    pub checkout: Checkout,
    /// Where to send the resident to pay (iDEAL or card).
    pub url: String,
}

pub fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    q: &Quote,
    reference: &str,
    session_id: &str,
    now: NaiveDateTime,
) -> Result<Checkout, ApiError> {
    Ok(store::insert_once(
        conn,
        &NewCheckout {
            reference,
            stripe_session_id: session_id,
            resident_id: q.resident_id,
            ordered_by: user.id,
            product_id: q.product.id,
            quantity: q.quantity,
            tariff: q.tariff.as_str(),
            unit_price_cents: q.unit_price_cents,
            subsidy_cents: q.subsidy_cents,
        },
        now,
    )?)
}

#[cfg(test)]
mod tests {
    use super::reference;

    #[test]
    fn a_retried_key_gives_the_same_reference_and_no_key_a_fresh_one() {
        assert_eq!(reference(7, Some("k1")), reference(7, Some("k1")));
        assert_ne!(reference(7, Some("k1")), reference(8, Some("k1")));
        assert_ne!(reference(7, None), reference(7, None));
        assert!(reference(7, Some("k1")).starts_with("co_"));
    }
}
