//! The likes minimum on a log-like scale: likes run from 0 to tens of
//! thousands, so a slider moves through 1-2-5 steps rather than a line.

/// Minimums the slider offers, in order. 0 means no minimum.
pub const STEPS: [i64; 15] = [
    0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000,
];

/// The slider position showing `minimum`: the largest step not above it,
/// so a typed value in between (say 300) rests at 200.
pub fn position_of(minimum: Option<i64>) -> usize {
    let minimum = minimum.unwrap_or(0);
    STEPS.iter().rposition(|&s| s <= minimum).unwrap_or(0)
}

/// The minimum at slider `position`: `None` at 0 (no filter).
pub fn minimum_at(position: usize) -> Option<i64> {
    STEPS
        .get(position.min(STEPS.len() - 1))
        .copied()
        .filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_minimums_agree() {
        for (position, &step) in STEPS.iter().enumerate() {
            let minimum = minimum_at(position);
            assert_eq!(minimum.unwrap_or(0), step);
            assert_eq!(position_of(minimum), position);
        }
        assert_eq!(position_of(Some(300)), 8);
        assert_eq!(position_of(Some(-5)), 0);
        assert_eq!(position_of(Some(1_000_000)), STEPS.len() - 1);
        assert_eq!(minimum_at(99), Some(20_000));
    }
}
