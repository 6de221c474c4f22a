//! The likes minimum on a log-like scale: likes run from 0 to tens of
//! thousands, so a slider moves through 1-2-5 steps rather than a line.

/// Minimums the slider can offer, in order. 0 means no minimum.
pub const STEPS: [i64; 15] = [
    0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000,
];

/// The steps for data whose most liked Space has `max_likes`: none above
/// it, so the slider's end still matches that Space (a scale reaching past
/// the data would offer minimums that match nothing).
pub fn steps_up_to(max_likes: i64) -> &'static [i64] {
    let count = STEPS.iter().take_while(|&&s| s <= max_likes).count();
    &STEPS[..count.max(1)]
}

/// The slider position showing `minimum`: the largest step not above it,
/// so a typed value in between (say 300) rests at 200.
pub fn position_of(steps: &[i64], minimum: Option<i64>) -> usize {
    let minimum = minimum.unwrap_or(0);
    steps.iter().rposition(|&s| s <= minimum).unwrap_or(0)
}

/// The minimum at slider `position`: `None` at 0 (no filter).
pub fn minimum_at(steps: &[i64], position: usize) -> Option<i64> {
    steps
        .get(position.min(steps.len().saturating_sub(1)))
        .copied()
        .filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_minimums_agree() {
        for (position, &step) in STEPS.iter().enumerate() {
            let minimum = minimum_at(&STEPS, position);
            assert_eq!(minimum.unwrap_or(0), step);
            assert_eq!(position_of(&STEPS, minimum), position);
        }
        assert_eq!(position_of(&STEPS, Some(300)), 8);
        assert_eq!(position_of(&STEPS, Some(-5)), 0);
        assert_eq!(position_of(&STEPS, Some(1_000_000)), STEPS.len() - 1);
        assert_eq!(minimum_at(&STEPS, 99), Some(20_000));
    }

    #[test]
    fn the_top_step_is_never_above_the_most_likes() {
        assert_eq!(steps_up_to(0), &[0]);
        assert_eq!(steps_up_to(-3), &[0]);
        assert_eq!(steps_up_to(1), &[0, 1]);
        assert_eq!(*steps_up_to(4_999).last().unwrap(), 2_000);
        assert_eq!(*steps_up_to(5_000).last().unwrap(), 5_000);
        assert_eq!(steps_up_to(1_000_000), &STEPS);
        for max in [0, 3, 77, 499, 19_999, 37_208] {
            let steps = steps_up_to(max);
            let top = minimum_at(steps, usize::MAX).unwrap_or(0);
            assert!(top <= max.max(0), "max {max}: top step {top}");
        }
    }
}
