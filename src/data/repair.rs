//! Values, not files: one odd value is repaired and counted rather than
//! rejecting the whole file or breaking a chart. The data-source panel
//! lists what was repaired ([`Repairs::sentences`]).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::budget::MAX_TEXT_BYTES;
use super::time::{civil_from_days, format_date, DAY_MS};
use crate::format;

/// Earliest date kept: the Unix epoch. The Hub opened Spaces in 2021; older
/// dates are mistakes, and the growth chart gets a bar per month from the
/// first date to the last.
pub const FIRST_DATE_MS: i64 = 0;
/// Latest date kept: the last moment of 2099. With [`FIRST_DATE_MS`] the
/// growth chart has at most 1,560 months, however far off a date is.
pub const LAST_DATE_MS: i64 = 4_102_444_800_000 - 1;
/// Most likes a Space may have: the most-liked Space has about 13,000;
/// a billion keeps any real count, and a sum over 16 million rows of it
/// (1.6 × 10¹⁶) fits a u64 and stays close to exact in a JS number.
pub const MAX_LIKES: i64 = 1_000_000_000;

/// What was repaired in one column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRepairs {
    /// Dates outside the window, or likes outside the range, moved to
    /// its nearest edge.
    pub clamped: u64,
    /// Text values with bytes that are not UTF-8 (now U+FFFD).
    pub invalid_utf8: u64,
    /// Text values longer than [`MAX_TEXT_BYTES`], cut to it.
    pub cut: u64,
    /// Values the app could not read at all (a date that is no date, JSON
    /// text that is not an object of the expected fields): left empty.
    pub unreadable: u64,
    /// The farthest value clamped, as the file had it.
    pub example: Option<String>,
    /// How far `example` lay outside (only while decoding, to pick it).
    #[serde(skip)]
    example_distance: u128,
}

impl ColumnRepairs {
    /// Text as the app keeps it: invalid UTF-8 replaced, long values cut
    /// at a character boundary.
    pub fn text<'a>(&mut self, raw: &'a [u8]) -> Cow<'a, str> {
        // Cut first, so a 50 MB value costs 16 KiB of checking; back off to
        // the start of a character so the cut itself is not "invalid".
        let kept = if raw.len() > MAX_TEXT_BYTES {
            self.cut += 1;
            let mut end = MAX_TEXT_BYTES;
            while end > 0 && raw[end] & 0xc0 == 0x80 {
                end -= 1;
            }
            &raw[..end]
        } else {
            raw
        };
        // The strict check has a fast path for ASCII that the lossy one
        // lacks; nearly every value passes it.
        if let Ok(text) = std::str::from_utf8(kept) {
            return Cow::Borrowed(text);
        }
        self.invalid_utf8 += 1;
        String::from_utf8_lossy(kept)
    }

    /// Text already known to be UTF-8, cut as [`Self::text`] cuts.
    pub fn valid_text<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        if text.len() <= MAX_TEXT_BYTES {
            return Cow::Borrowed(text);
        }
        self.text(text.as_bytes())
    }

    /// A UTC millisecond instant inside the date window. `shown` says how
    /// the file wrote it, for the panel, when it is far off.
    pub fn date(&mut self, ms: i64, shown: impl FnOnce() -> String) -> i64 {
        let kept = ms.clamp(FIRST_DATE_MS, LAST_DATE_MS);
        if kept != ms {
            self.note_clamp(ms.abs_diff(kept).into(), shown);
        }
        kept
    }

    /// A like count inside `0..=MAX_LIKES`, from any integer the file
    /// holds (i128 takes u64 and i64 alike).
    pub fn likes(&mut self, value: i128) -> i64 {
        let kept = value.clamp(0, i128::from(MAX_LIKES));
        if kept != value {
            self.note_clamp(value.abs_diff(kept), || value.to_string());
        }
        kept as i64
    }

    fn note_clamp(&mut self, distance: u128, shown: impl FnOnce() -> String) {
        self.clamped += 1;
        if self.example.is_none() || distance > self.example_distance {
            self.example = Some(shown());
            self.example_distance = distance;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.clamped == 0 && self.invalid_utf8 == 0 && self.cut == 0 && self.unreadable == 0
    }
}

/// Repairs of every column, by column name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repairs {
    pub columns: BTreeMap<String, ColumnRepairs>,
    /// The footer's row count when it disagrees with its row groups.
    pub footer_rows: Option<(i64, u64)>,
}

impl Repairs {
    pub fn add(&mut self, column: &str, repairs: ColumnRepairs) {
        if !repairs.is_empty() {
            self.columns.insert(column.to_string(), repairs);
        }
    }

    /// Sentences for the data-source panel.
    pub fn sentences(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((footer, groups)) = self.footer_rows {
            out.push(format!(
                "The file's footer says it has {} rows, but its row groups hold {}: those {} were loaded.",
                signed_count(footer),
                format::count(groups),
                format::count(groups)
            ));
        }
        for (name, r) in &self.columns {
            let example = r.example.as_deref().unwrap_or("?");
            if r.clamped > 0 && name == "likes" {
                out.push(format!(
                    "{} {} outside 0 to {} (the farthest: {example}), clamped to that range.",
                    counted(r.clamped, "like count", "like counts"),
                    was(r.clamped),
                    format::count(MAX_LIKES as u64)
                ));
            } else if r.clamped > 0 {
                out.push(format!(
                    "{} in `{name}` {} outside {} to {} (the farthest: {example}), clamped to that window.",
                    counted(r.clamped, "date", "dates"),
                    was(r.clamped),
                    format_date(FIRST_DATE_MS),
                    format_date(LAST_DATE_MS)
                ));
            }
            if r.invalid_utf8 > 0 {
                out.push(format!(
                    "{} in `{name}` {} not valid UTF-8: the bad bytes are shown as \u{FFFD}.",
                    counted(r.invalid_utf8, "value", "values"),
                    was(r.invalid_utf8),
                ));
            }
            if r.unreadable > 0 {
                out.push(format!(
                    "{} in `{name}` could not be read ({}): {} shown as empty.",
                    counted(r.unreadable, "value", "values"),
                    if name.starts_with("card") || name == "runtime" {
                        "not JSON, or a field of the wrong type"
                    } else {
                        "not a date"
                    },
                    if r.unreadable == 1 {
                        "it is"
                    } else {
                        "they are"
                    }
                ));
            }
            if r.cut > 0 {
                out.push(format!(
                    "{} in `{name}` {} longer than {}, cut to that length.",
                    counted(r.cut, "value", "values"),
                    was(r.cut),
                    format::bytes(MAX_TEXT_BYTES as u64)
                ));
            }
        }
        out
    }
}

/// `1 value` / `2 values`.
fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", format::count(n), if n == 1 { one } else { many })
}

fn was(n: u64) -> &'static str {
    if n == 1 {
        "was"
    } else {
        "were"
    }
}

fn signed_count(n: i64) -> String {
    if n < 0 {
        format!("-{}", format::count(n.unsigned_abs()))
    } else {
        format::count(n as u64)
    }
}

/// A far-off instant as a person reads it: the year, which can lie far
/// outside what a date can show.
pub fn describe_instant(ms: i64) -> String {
    let (year, _, _) = civil_from_days(ms.div_euclid(DAY_MS));
    if year < 0 {
        format!("year {} BC", format::count(year.unsigned_abs() + 1))
    } else {
        format!("year {}", format::count(year as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_dates_are_clamped_and_the_farthest_named() {
        let mut r = ColumnRepairs::default();
        let year_20000 = 568_971_820_800_000; // 20000-01-01
        assert_eq!(
            r.date(year_20000, || describe_instant(year_20000)),
            LAST_DATE_MS
        );
        assert_eq!(
            r.date(i64::MAX, || describe_instant(i64::MAX)),
            LAST_DATE_MS
        );
        assert_eq!(r.date(i64::MIN + 1, || describe_instant(i64::MIN + 1)), 0);
        assert_eq!(
            r.date(1_725_148_800_000, || unreachable!()),
            1_725_148_800_000
        );
        assert_eq!(r.clamped, 3);
        assert_eq!(r.example.as_deref(), Some("year 292,275,056 BC"));
        assert_eq!(describe_instant(year_20000), "year 20,000");
        assert_eq!(format_date(LAST_DATE_MS), "2099-12-31");
    }

    #[test]
    fn likes_saturate_from_any_integer() {
        let mut r = ColumnRepairs::default();
        assert_eq!(r.likes(i128::from(i64::MAX)), MAX_LIKES);
        assert_eq!(r.likes(i128::from(u64::MAX)), MAX_LIKES);
        assert_eq!(r.likes(i128::from(i64::MIN)), 0);
        assert_eq!(r.likes(-5), 0);
        assert_eq!(r.likes(12_345), 12_345);
        assert_eq!(r.clamped, 4);
        assert_eq!(r.example.as_deref(), Some("18446744073709551615"));
    }

    #[test]
    fn text_is_replaced_and_cut_and_counted() {
        let mut r = ColumnRepairs::default();
        assert_eq!(r.text(b"ok/space"), "ok/space");
        assert_eq!(r.text(b"bad\xff\xfe/x"), "bad\u{FFFD}\u{FFFD}/x");
        let long = "é".repeat(MAX_TEXT_BYTES);
        let cut = r.text(long.as_bytes());
        assert!(cut.len() <= MAX_TEXT_BYTES && cut.len() > MAX_TEXT_BYTES - 2);
        assert_eq!((r.invalid_utf8, r.cut), (1, 1));
        let mut all = Repairs::default();
        all.add("author", r);
        all.add("id", ColumnRepairs::default());
        let sentences = all.sentences();
        assert_eq!(sentences.len(), 2, "{sentences:?}");
        assert_eq!(
            sentences[0],
            "1 value in `author` was not valid UTF-8: the bad bytes are shown as \u{FFFD}."
        );
        assert_eq!(
            sentences[1],
            "1 value in `author` was longer than 16.4 kB, cut to that length."
        );
    }
}
