//! JSON merge-patch helper: tells "field absent" (leave as is) from "field null" (clear it).

use serde::{Deserialize, Deserializer};

/// Use with `#[serde(default, deserialize_with = "crate::patch::double_option")]` on an
/// `Option<Option<T>>`: absent → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct P {
        #[serde(default, deserialize_with = "super::double_option")]
        phone: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_differ() {
        let absent: P = serde_json::from_str("{}").unwrap();
        let null: P = serde_json::from_str(r#"{"phone":null}"#).unwrap();
        let value: P = serde_json::from_str(r#"{"phone":"0318"}"#).unwrap();
        assert_eq!(absent.phone, None);
        assert_eq!(null.phone, Some(None));
        assert_eq!(value.phone, Some(Some("0318".into())));
    }
}
