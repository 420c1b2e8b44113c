//! Pure helpers for the reports: counting by key and the median wait.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

/// How often each key occurs, by key.
pub fn count_by(keys: impl IntoIterator<Item = String>) -> Vec<Count> {
    let mut m: BTreeMap<String, i64> = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_default() += 1;
    }
    m.into_iter().map(|(key, count)| Count { key, count }).collect()
}

/// The median of some numbers (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// Rounded to one decimal, for a report a person reads.
pub fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_and_medians() {
        let c = count_by(["b", "a", "b"].map(String::from));
        assert_eq!(
            c,
            vec![
                Count {
                    key: "a".into(),
                    count: 1
                },
                Count {
                    key: "b".into(),
                    count: 2
                }
            ]
        );
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(one_decimal(2.345), 2.3);
    }
}
