//! One person, one record (pure). The desk registers a resident who walks in; clicked
//! twice, or registered again on a second visit by a colleague who did not find them, the
//! same person would get two records, and with them two yearly allowances of reduced
//! cheques. A new registration is taken for someone registered already when the name and
//! the address are the same (any case, house number `12a`, `12 A` or `12-a`), unless both
//! records have a birth date and the dates differ (a father and son of one name).

use chrono::NaiveDate;

/// What a registration is compared on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity<'a> {
    /// As kept in `name_key`: white space folded, lower case.
    pub name_key: &'a str,
    pub house_number: &'a str,
    pub birth_date: Option<NaiveDate>,
}

/// A house number without case, spaces or separators: `12a`, `12 A` and `12-a` are one.
pub fn house_key(house_number: &str) -> String {
    house_number
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two records at one postcode are the same person.
pub fn same(a: &Identity<'_>, b: &Identity<'_>) -> bool {
    let born_apart = matches!((a.birth_date, b.birth_date), (Some(x), Some(y)) if x != y);
    a.name_key == b.name_key && house_key(a.house_number) == house_key(b.house_number) && !born_apart
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(name_key: &str, house_number: &str, born: Option<&str>) -> Identity<'static> {
        Identity {
            name_key: Box::leak(name_key.to_owned().into_boxed_str()),
            house_number: Box::leak(house_number.to_owned().into_boxed_str()),
            birth_date: born.map(|d| d.parse().unwrap()),
        }
    }

    #[test]
    fn one_name_at_one_door_is_one_person() {
        let anna = who("anna de vries", "12a", None);
        assert!(same(&anna, &who("anna de vries", "12 A", None)));
        assert!(same(&anna, &who("anna de vries", "12-a", Some("1941-03-02"))));
        assert!(!same(&anna, &who("anna de vries", "12b", None)), "another door");
        assert!(
            !same(&anna, &who("kees de vries", "12a", None)),
            "someone else in the house"
        );
    }

    #[test]
    fn two_birth_dates_tell_namesakes_apart() {
        let father = who("jan de vries", "3", Some("1948-05-01"));
        assert!(!same(&father, &who("jan de vries", "3", Some("1975-09-12"))));
        assert!(same(&father, &who("jan de vries", "3", Some("1948-05-01"))));
    }
}
