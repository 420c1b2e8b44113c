//! Buying cheques online: the tariff is quoted as at the counter (eligibility on the day,
//! the yearly cap), Stripe makes a Checkout Session, and only then is the checkout
//! recorded — a Stripe failure leaves nothing behind. The cheques are issued when the
//! paid event arrives (`webhook`), at the quoted price.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime};
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
    session: (&str, Option<NaiveDateTime>),
    now: NaiveDateTime,
) -> Result<Checkout, ApiError> {
    let (session_id, payable_until) = session;
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
            payable_until,
        },
        now,
    )?)
}

/// How long a checkout can be paid, at least. Stripe is asked to expire the payment page
/// then: its own default, 24 hours, would hold a resident's reduced cheques from the
/// counter for a day after a payment given up (they count against the yearly cap while
/// the checkout can be paid).
pub const PAYABLE_FOR: Duration = Duration::minutes(60);

/// The expiry is rounded up to this: Stripe refuses a retried request (the same
/// `Idempotency-Key`) whose parameters differ from the first's, so a retry moments later
/// must ask for the same expiry.
const EXPIRY_STEP_SECONDS: i64 = 600;

/// Until when a checkout started at `now` (UTC) can be paid (pure): [`PAYABLE_FOR`] on,
/// rounded up to ten minutes; 60 to 70 minutes, within the half hour to a day that
/// Stripe allows.
pub fn payable_until(now: NaiveDateTime) -> NaiveDateTime {
    let seconds = now.and_utc().timestamp();
    let rounded = seconds + (EXPIRY_STEP_SECONDS - seconds.rem_euclid(EXPIRY_STEP_SECONDS)) % EXPIRY_STEP_SECONDS;
    DateTime::from_timestamp(rounded, 0).map_or(now, |t| t.naive_utc()) + PAYABLE_FOR
}

/// The `Idempotency-Key` Stripe gets for the session of checkout `reference` payable
/// until `payable_until` (pure). The expiry is part of it: a retry whose first attempt
/// reached Stripe but was never recorded (the server stopped in between), made once the
/// ten-minute step has passed, asks for a later expiry, and Stripe refuses a key reused
/// with other parameters. With its own key it gets a session of its own; the first one
/// was never shown to anyone and expires unpaid. A checkout recorded without an expiry
/// (before they were asked for) keeps the key it was made with.
pub fn stripe_key(reference: &str, payable_until: Option<NaiveDateTime>) -> String {
    match payable_until {
        Some(t) => format!("checkout-{reference}-{}", t.and_utc().timestamp()),
        None => format!("checkout-{reference}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{payable_until, reference, stripe_key};

    fn at(s: &str) -> chrono::NaiveDateTime {
        s.parse().unwrap()
    }

    #[test]
    fn a_checkout_is_payable_for_an_hour_rounded_up_to_ten_minutes() {
        assert_eq!(payable_until(at("2026-12-04T06:00:00")), at("2026-12-04T07:00:00"));
        assert_eq!(payable_until(at("2026-12-04T06:00:00.5")), at("2026-12-04T07:00:00"));
        assert_eq!(payable_until(at("2026-12-04T06:00:01")), at("2026-12-04T07:10:00"));
        assert_eq!(payable_until(at("2026-12-04T06:09:59")), at("2026-12-04T07:10:00"));
        assert_eq!(payable_until(at("2026-12-31T23:55:00")), at("2027-01-01T01:00:00"));
        // A retry seconds later asks Stripe for the same expiry.
        assert_eq!(
            payable_until(at("2026-12-04T06:03:00")),
            payable_until(at("2026-12-04T06:03:09"))
        );
    }

    #[test]
    fn a_retried_key_gives_the_same_reference_and_no_key_a_fresh_one() {
        assert_eq!(reference(7, Some("k1")), reference(7, Some("k1")));
        assert_ne!(reference(7, Some("k1")), reference(8, Some("k1")));
        assert_ne!(reference(7, None), reference(7, None));
        assert!(reference(7, Some("k1")).starts_with("co_"));
    }

    #[test]
    fn stripes_key_changes_with_the_expiry_asked_for() {
        let first = payable_until(at("2026-12-04T06:03:00"));
        let moments_later = payable_until(at("2026-12-04T06:03:09"));
        let after_the_step = payable_until(at("2026-12-04T06:14:00"));
        assert_eq!(stripe_key("co_1", Some(first)), stripe_key("co_1", Some(moments_later)));
        assert_ne!(
            stripe_key("co_1", Some(first)),
            stripe_key("co_1", Some(after_the_step))
        );
        assert_ne!(stripe_key("co_1", Some(first)), stripe_key("co_2", Some(first)));
        assert_eq!(stripe_key("co_1", None), "checkout-co_1");
    }
}
