//! Civil-date arithmetic for UTC milliseconds, without a date library: the
//! app only needs months and days, and this keeps the wasm small.

pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days_from_civil inverse, shifted so eras start in March.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) to days since 1970-01-01.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Months since year 0 (year * 12 + month - 1) of a UTC millisecond instant.
pub fn year_month(ms: i64) -> i32 {
    let (y, m, _) = civil_from_days(ms.div_euclid(DAY_MS));
    // Saturates rather than wraps for instants 180 million years away.
    (y * 12 + i64::from(m) - 1).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// `YYYY-MM` for a value from [`year_month`].
pub fn format_year_month(ym: i32) -> String {
    format!("{:04}-{:02}", ym.div_euclid(12), ym.rem_euclid(12) + 1)
}

/// `YYYY-MM-DD` of a UTC millisecond instant.
pub fn format_date(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses `YYYY-MM-DD` to UTC milliseconds at midnight; `None` when malformed.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(0..=9999).contains(&year) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // Reject 2024-02-31 and the like: the round trip must give the same day.
    (civil_from_days(days) == (year, month, day)).then_some(days * DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(format_date(0), "1970-01-01");
        // 2024-09-01T00:00:00Z
        assert_eq!(format_date(1_725_148_800_000), "2024-09-01");
        assert_eq!(
            format_year_month(year_month(1_725_148_800_000 - 1)),
            "2024-08"
        );
        assert_eq!(format_date(-1), "1969-12-31");
        assert_eq!(parse_date("2000-02-29"), Some(951_782_400_000));
        assert_eq!(parse_date("2001-02-29"), None);
        assert_eq!(parse_date("2001-13-01"), None);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn days_round_trip_over_centuries() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
