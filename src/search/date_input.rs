//! The created-date inputs: ISO `YYYY-MM-DD` text, checked before it
//! becomes a filter, so a typo or a reversed range is named instead of
//! silently matching nothing.

use crate::data::{parse_date, DAY_MS};

/// A range as the filter holds it: start inclusive, end exclusive (UTC ms).
pub type Range = (Option<i64>, Option<i64>);

/// Reads the two boxes; blank means open-ended. `Err` holds the message to
/// show beside them, and the filter keeps its previous range.
pub fn check(from: &str, to: &str) -> Result<Range, String> {
    let read = |text: &str, name: &str| -> Result<Option<i64>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        parse_date(text).map(Some).ok_or_else(|| {
            format!("“{name}” must be a real date written YYYY-MM-DD, such as 2024-06-30.")
        })
    };
    let start = read(from, "From")?;
    let last = read(to, "To")?;
    if let (Some(start), Some(last)) = (start, last) {
        if start > last {
            return Err(format!(
                "“From” ({}) is after “To” ({}): not applied. Swap them or change one.",
                from.trim(),
                to.trim()
            ));
        }
    }
    Ok((start, last.map(|day| day + DAY_MS)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ranges_become_filters() {
        let jan = parse_date("2023-01-01").unwrap();
        let jun30 = parse_date("2024-06-30").unwrap();
        assert_eq!(
            check("2023-01-01", "2024-06-30"),
            Ok((Some(jan), Some(jun30 + DAY_MS)))
        );
        assert_eq!(check(" 2023-01-01 ", ""), Ok((Some(jan), None)));
        assert_eq!(check("", "2024-06-30"), Ok((None, Some(jun30 + DAY_MS))));
        assert_eq!(check("", ""), Ok((None, None)));
        // One day is a valid range.
        assert_eq!(
            check("2023-01-01", "2023-01-01"),
            Ok((Some(jan), Some(jan + DAY_MS)))
        );
    }

    #[test]
    fn typos_and_reversed_ranges_are_named() {
        let reversed = check("2024-06-30", "2023-01-01").unwrap_err();
        assert!(reversed.contains("is after"), "{reversed}");
        assert!(reversed.contains("2024-06-30") && reversed.contains("2023-01-01"));
        for bad in ["06/30/2024", "2024-02-30", "2024-6", "soon"] {
            let message = check(bad, "").unwrap_err();
            assert!(message.starts_with("“From”"), "{bad}: {message}");
            assert!(check("", bad).unwrap_err().starts_with("“To”"));
        }
    }
}
