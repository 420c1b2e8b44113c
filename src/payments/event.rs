//! The few fields of a Stripe event we use, parsed leniently.
//!
//! async-stripe's typed events insist on *complete* objects (every field of a Checkout
//! Session present) and reject an event whose object differs from the version the crate
//! was generated for — measured in `../shared/STACK.md`. Stripe adds fields and changes
//! API versions over time, and a rejected webhook means cheques paid for and not issued.
//! So the signature is checked by `signature` and only these fields are read; anything
//! else in the payload is ignored.

use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventData {
    pub object: Object,
}

/// The union of the fields used from a Checkout Session, a Charge and a Payout.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Object {
    pub id: Option<String>,
    /// Checkout Session: `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: Option<String>,
    /// Checkout Session and Charge.
    pub payment_intent: Option<String>,
    /// Checkout Session.
    pub amount_total: Option<i64>,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
    /// Charge.
    pub amount_refunded: Option<i64>,
    /// Payout.
    pub amount: Option<i64>,
    /// Payout: when the money reaches the bank (unix time).
    pub arrival_date: Option<i64>,
}

impl Event {
    pub fn parse(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_ignored_and_missing_ones_are_none() {
        let e = Event::parse(
            br#"{"id":"evt_1","object":"event","api_version":"2099-01-01.future","type":"checkout.session.completed",
            "data":{"object":{"id":"cs_1","object":"checkout.session","payment_status":"paid","amount_total":1600,
            "metadata":{"reference":"abc"},"customer_details":{"email":"x@example.nl"},"brand_new_field":[1,2]}}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.kind, "checkout.session.completed");
        assert_eq!(e.data.object.id.as_deref(), Some("cs_1"));
        assert_eq!(e.data.object.amount_total, Some(1600));
        assert_eq!(e.data.object.metadata.get("reference").map(String::as_str), Some("abc"));
        assert_eq!(e.data.object.payment_intent, None);
        assert!(Event::parse(br#"{"id":"evt_2"}"#).is_err());
    }
}
