//! The need of a target in whole people, by exact integer arithmetic, and
//! its split over the years left to the horizon.

use crate::plan::Percent;

/// The smallest whole number of people that reaches at least `min` of
/// `population`: ceil(min × population).
pub fn required(min: Percent, population: u64) -> u64 {
    (min.0 as u64 * population).div_ceil(10_000)
}

/// How many more people must meet the criterion: max(0, ceil(min × population) − met).
pub fn needed(min: Percent, population: u64, met: u64) -> u64 {
    required(min, population).saturating_sub(met)
}

/// met / population ≥ min, compared as integers.
pub fn holds(min: Percent, population: u64, met: u64) -> bool {
    met * 10_000 >= min.0 as u64 * population
}

/// Splits `n` over the years `from..=to` as the source annexes do: equal
/// whole parts, the remainder one each on the last years
/// (46 over 2023–2025 = 15 + 15 + 16).
pub fn split(n: u64, from: i32, to: i32) -> Vec<(i32, u64)> {
    if to < from {
        return Vec::new();
    }
    let k = (to - from + 1) as u64;
    let (base, rem) = (n / k, n % k);
    (from..=to)
        .enumerate()
        .map(|(i, y)| (y, base + u64::from((i as u64) >= k - rem)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn need_is_rounded_up_to_whole_people() {
        // 25 % of 129 = 32.25 → 33 people.
        assert_eq!(required(Percent(2500), 129), 33);
        assert_eq!(needed(Percent(2500), 129, 22), 11);
        assert_eq!(needed(Percent(2500), 100, 30), 0);
        assert_eq!(required(Percent(10_000), 7), 7);
        assert_eq!(required(Percent(3333), 3), 1);
        assert!(holds(Percent(2500), 4, 1));
        assert!(!holds(Percent(2501), 4, 1));
        assert!(holds(Percent(8000), 0, 0));
    }

    #[test]
    fn split_puts_the_remainder_last() {
        assert_eq!(split(46, 2023, 2025), vec![(2023, 15), (2024, 15), (2025, 16)]);
        assert_eq!(split(24, 2023, 2025), vec![(2023, 8), (2024, 8), (2025, 8)]);
        assert_eq!(split(2, 2023, 2025), vec![(2023, 0), (2024, 1), (2025, 1)]);
        assert_eq!(split(5, 2025, 2025), vec![(2025, 5)]);
        assert!(split(5, 2026, 2025).is_empty());
    }
}
