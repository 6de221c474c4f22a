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

/// An ISO-8601 / RFC 3339 instant as UTC milliseconds:
/// `YYYY-MM-DD`, optionally `THH:MM[:SS[.fraction]]` (or a space for `T`)
/// and `Z` or `±HH[:MM]`; no zone reads as UTC. `None` for anything else.
pub fn parse_iso_millis(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_at(text.find(['T', 't', ' ']).unwrap_or(text.len()));
    let day_ms = parse_date(date)?;
    if date.len() != 10 {
        return None;
    }
    let rest = rest.get(1..).unwrap_or("");
    if rest.is_empty() {
        return Some(day_ms);
    }
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(zone_at);
    let mut fields = clock.splitn(3, ':');
    let number = |s: &str| {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
    };
    let hours = number(fields.next()?)?;
    let minutes = number(fields.next()?)?;
    let (seconds, millis) = match fields.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, fraction) = sec.split_once(['.', ',']).unwrap_or((sec, ""));
            if !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let millis = fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(3)
                .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
            (number(whole)?, millis)
        }
    };
    if hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    let offset_minutes = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits = zone[1..].replace(':', "");
            if digits.len() != 4 && digits.len() != 2 {
                return None;
            }
            let h = number(&digits[..2])?;
            let m = if digits.len() == 4 {
                number(&digits[2..])?
            } else {
                0
            };
            sign * (h * 60 + m)
        }
    };
    Some(day_ms + ((hours * 60 + minutes - offset_minutes) * 60 + seconds) * 1_000 + millis)
}

/// The unit of integers holding Unix time, read from the largest
/// magnitude in a batch: dates from 1973 to 5138 are 10⁸ to 10¹¹ in
/// seconds, and each finer unit is 1,000 times more. (The slim file keeps
/// dates as plain integer seconds: Parquet has no seconds timestamp.)
/// `None` when even the largest is below 10⁸: not Unix time (day counts,
/// years), so the column is reported unreadable rather than read as 1970.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochUnit {
    Seconds,
    Millis,
    Micros,
    Nanos,
}

impl EpochUnit {
    pub fn of_largest(largest: u64) -> Option<EpochUnit> {
        const LOW: u64 = 100_000_000;
        Some(match largest {
            v if v < LOW => return None,
            v if v < LOW * 1_000 => EpochUnit::Seconds,
            v if v < LOW * 1_000_000 => EpochUnit::Millis,
            v if v < LOW * 1_000_000_000 => EpochUnit::Micros,
            _ => EpochUnit::Nanos,
        })
    }

    pub fn to_millis(self, value: i64) -> i64 {
        match self {
            EpochUnit::Seconds => value.saturating_mul(1_000),
            EpochUnit::Millis => value,
            EpochUnit::Micros => value.div_euclid(1_000),
            EpochUnit::Nanos => value.div_euclid(1_000_000),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_integers_of_any_unit_read_as_the_same_instant() {
        use super::EpochUnit;
        // 2024-05-10T12:34:56Z
        let ms: i64 = 1_715_344_496_000;
        for value in [ms / 1_000, ms, ms * 1_000, ms * 1_000_000] {
            let unit = EpochUnit::of_largest(value.unsigned_abs()).unwrap();
            assert_eq!(unit.to_millis(value), ms, "{value}");
        }
        // Day counts and years are not Unix time.
        assert_eq!(EpochUnit::of_largest(19_853), None);
        assert_eq!(EpochUnit::of_largest(2024), None);
        assert_eq!(EpochUnit::Seconds.to_millis(i64::MAX), i64::MAX);
    }

    use super::*;

    #[test]
    fn iso_instants() {
        let base = 1_725_148_800_000; // 2024-09-01T00:00:00Z
        assert_eq!(parse_iso_millis("2024-09-01"), Some(base));
        assert_eq!(parse_iso_millis("2024-09-01T00:00:00Z"), Some(base));
        assert_eq!(
            parse_iso_millis("2024-09-01T00:00:00.123Z"),
            Some(base + 123)
        );
        assert_eq!(
            parse_iso_millis("2024-09-01T00:00:00.000000+00:00"),
            Some(base)
        );
        assert_eq!(parse_iso_millis("2024-09-01 02:30:00+02:30"), Some(base));
        assert_eq!(parse_iso_millis("2024-08-31T22:00:00-02:00"), Some(base));
        assert_eq!(parse_iso_millis("2024-09-01T01:02"), Some(base + 3_720_000));
        for bad in [
            "",
            "2024-9-1",
            "2024-02-31",
            "2024-09-01T25:00:00Z",
            "2024-09-01T10:00:00Q",
            "yesterday",
            "2024-09-01T1:2:3",
            "<b>2024</b>",
        ] {
            assert_eq!(parse_iso_millis(bad), None, "{bad}");
        }
    }

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
