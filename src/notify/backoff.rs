//! When to try a failed message again: exponential backoff with a cap.

use std::time::Duration;

/// The wait after the `attempt`-th failed attempt (1-based): `base · 2^(attempt-1)`,
/// never more than `cap`.
pub fn delay(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(31));
    base.saturating_mul(factor).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doubles_up_to_the_cap() {
        let base = Duration::from_secs(60);
        let cap = Duration::from_secs(3600);
        let waits: Vec<u64> = (1..=8).map(|a| delay(a, base, cap).as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    proptest! {
        #[test]
        fn monotonic_and_capped(a in 0u32..200, base_ms in 0u64..100_000, cap_ms in 0u64..10_000_000) {
            let (base, cap) = (Duration::from_millis(base_ms), Duration::from_millis(cap_ms));
            prop_assert!(delay(a, base, cap) <= cap);
            prop_assert!(delay(a, base, cap) <= delay(a + 1, base, cap));
        }
    }
}
