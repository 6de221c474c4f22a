//! Numbers and text as people read them: counts, bytes, plurals, and text
//! shortened at its end or in its middle.

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun: `plural(1, "Space", "Spaces")` → `1 Space`,
/// `plural(1342, …)` → `1,342 Spaces`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// Byte sizes in decimal units, as browsers show downloads.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Milliseconds, rounded for display.
pub fn millis(ms: f64) -> String {
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{} ms", count(ms.max(0.0).round() as u64))
    }
}

/// Shortens `text` to `max` characters by cutting out its middle, so both
/// the owner at the start and the distinguishing end stay readable
/// (`stabilityai/stable-diff…xl-refiner-1.0`).
pub fn shorten_middle(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max || max < 3 {
        return text.to_string();
    }
    let keep = max - 1;
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// A count in at most four characters for axis ticks: "999", "1k",
/// "2.5k", "10k", "1M".
pub fn compact(n: u64) -> String {
    let (scaled, unit) = match n {
        0..=999 => return n.to_string(),
        1_000..=999_999 => (n as f64 / 1e3, "k"),
        1_000_000..=999_999_999 => (n as f64 / 1e6, "M"),
        _ => (n as f64 / 1e9, "B"),
    };
    let text = if scaled < 10.0 {
        format!("{:.1}", (scaled * 10.0).floor() / 10.0)
    } else {
        format!("{}", scaled.floor())
    };
    format!("{}{unit}", text.trim_end_matches(".0"))
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn plural_picks_the_noun_and_groups_thousands() {
        assert_eq!(plural(0, "Space", "Spaces"), "0 Spaces");
        assert_eq!(plural(1, "Space", "Spaces"), "1 Space");
        assert_eq!(plural(2, "like", "likes"), "2 likes");
        assert_eq!(plural(1_342, "Space", "Spaces"), "1,342 Spaces");
    }

    #[test]
    fn bytes_use_decimal_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(418_842), "419 kB");
        assert_eq!(bytes(5_300_000), "5.3 MB");
        assert_eq!(bytes(1_500_000_000), "1.5 GB");
    }

    #[test]
    fn millis_round() {
        assert_eq!(millis(12.4), "12 ms");
        assert_eq!(millis(1234.0), "1,234 ms");
        assert_eq!(millis(12_345.0), "12.3 s");
    }

    #[test]
    fn middles_are_cut_so_ends_stay_distinct() {
        let base = shorten_middle("stabilityai/stable-diffusion-xl-base-1.0", 30);
        let refiner = shorten_middle("stabilityai/stable-diffusion-xl-refiner-1.0", 30);
        assert_eq!(base.chars().count(), 30);
        assert_ne!(base, refiner);
        assert!(base.starts_with("stabilityai/") && base.ends_with("base-1.0"));
        assert_eq!(shorten_middle("short", 30), "short");
        assert_eq!(shorten_middle("ééééééé", 5), "éé…éé");
    }

    #[test]
    fn shortens_by_characters_not_bytes() {
        assert_eq!(shorten("ééééé", 3), "éé…");
        assert_eq!(shorten("abc", 3), "abc");
    }

    #[test]
    fn compact_counts_fit_a_tick() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1_000, "1k"),
            (2_500, "2.5k"),
            (10_000, "10k"),
            (999_999, "999k"),
            (1_000_000, "1M"),
            (1_500_000, "1.5M"),
            (3_000_000_000, "3B"),
        ];
        for (n, want) in cases {
            assert_eq!(compact(n), want, "{n}");
        }
    }
}
