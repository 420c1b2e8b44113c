//! What a cheque may be worth, which price applies and how long it stays valid (pure).

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The minutes a cheque may be worth.
pub const FACES: [i64; 3] = [15, 30, 60];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tariff {
    Regular,
    /// For residents of 70 and over and with a Wmo indication; the municipality pays the
    /// difference. Personal: only for jobs of its owner.
    Reduced,
}

impl Tariff {
    pub fn as_str(self) -> &'static str {
        match self {
            Tariff::Regular => "regular",
            Tariff::Reduced => "reduced",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    pub valid_from: NaiveDate,
    pub regular_cents: i64,
    pub reduced_cents: i64,
}

/// The price in force on `date`: the latest that started on or before it.
pub fn price_on(prices: &[Price], date: NaiveDate) -> Option<Price> {
    prices
        .iter()
        .filter(|p| p.valid_from <= date)
        .max_by_key(|p| p.valid_from)
        .copied()
}

/// The tariff, unit price and subsidy per cheque for a sale on a date.
pub fn quote(price: Price, reduced_rate: bool) -> (Tariff, i64, i64) {
    if reduced_rate {
        (
            Tariff::Reduced,
            price.reduced_cents,
            price.regular_cents - price.reduced_cents,
        )
    } else {
        (Tariff::Regular, price.regular_cents, 0)
    }
}

/// The last valid day of a cheque sold on a date: by default the end of the calendar
/// year after the purchase, or a product's number of months (the day before the same
/// date that many months on, or the end of that month when it is shorter).
pub fn valid_until(sold_on: NaiveDate, months: Option<i64>) -> NaiveDate {
    match months.and_then(|m| u32::try_from(m).ok()) {
        Some(m) => match sold_on.checked_add_months(Months::new(m)) {
            // 31 January plus a month is the end of February: valid through that day.
            Some(d) if d.day() < sold_on.day() => d,
            Some(d) => d.pred_opt().unwrap_or(d),
            None => sold_on,
        },
        None => NaiveDate::from_ymd_opt(sold_on.year() + 1, 12, 31).unwrap_or(sold_on),
    }
}

/// Cheques needed to pay `minutes` with cheques of `face` minutes each.
pub fn cheques_for(minutes: i64, face: i64) -> i64 {
    if minutes <= 0 || face <= 0 {
        0
    } else {
        (minutes + face - 1) / face
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn quotes_and_validity() {
        let prices = [
            Price {
                valid_from: d("2026-01-01"),
                regular_cents: 1500,
                reduced_cents: 800,
            },
            Price {
                valid_from: d("2027-01-01"),
                regular_cents: 1600,
                reduced_cents: 850,
            },
        ];
        let p = price_on(&prices, d("2026-06-01")).unwrap();
        assert_eq!(quote(p, true), (Tariff::Reduced, 800, 700));
        assert_eq!(quote(p, false), (Tariff::Regular, 1500, 0));
        assert_eq!(price_on(&prices, d("2027-02-01")).unwrap().regular_cents, 1600);
        assert_eq!(price_on(&prices, d("2025-12-31")), None);
        assert_eq!(valid_until(d("2026-03-15"), None), d("2027-12-31"));
        assert_eq!(valid_until(d("2026-12-31"), None), d("2027-12-31"));
        assert_eq!(valid_until(d("2026-03-15"), Some(12)), d("2027-03-14"));
        assert_eq!(valid_until(d("2026-01-31"), Some(1)), d("2026-02-28"));
        assert_eq!(valid_until(d("2026-02-01"), Some(1)), d("2026-02-28"));
        assert_eq!(cheques_for(130, 60), 3, "a 2 h 10 m job takes three 60-minute cheques");
        assert_eq!(cheques_for(180, 60), 3);
        assert_eq!(cheques_for(130, 30), 5);
    }
}
