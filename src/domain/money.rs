//! Money as residents read it.

/// Cents as Dutch euros: `€ 12,50`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    format!("{sign}€ {},{:02}", c / 100, c % 100)
}

/// Cents as a plain decimal for spreadsheets: `-12.50`.
pub fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

#[cfg(test)]
mod tests {
    use super::{decimal, euros};

    #[test]
    fn spreadsheet_money() {
        assert_eq!(decimal(1250), "12.50");
        assert_eq!(decimal(-5), "-0.05");
        assert_eq!(decimal(0), "0.00");
    }

    #[test]
    fn dutch_money() {
        assert_eq!(euros(1250), "€ 12,50");
        assert_eq!(euros(5), "€ 0,05");
        assert_eq!(euros(-300), "-€ 3,00");
    }
}
