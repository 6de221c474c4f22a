//! Emoji found by name: "rocket" finds 🚀, "tada" finds 🎉.
//!
//! `emoji_names.tsv` holds one emoji a line: the glyph (variation selectors
//! removed), its Unicode CLDR name in lower case, then any common shortcode
//! that the name does not already contain. It was generated once from the
//! `emojis` crate (0.6.4) rather than depending on it: the crate adds 83 kB
//! of gzip to the wasm, this table about 18 kB.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("emoji_names.tsv");

/// Glyph → its names, tab separated.
fn names() -> &'static HashMap<&'static str, &'static str> {
    static NAMES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        TABLE
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .collect()
    })
}

/// The names of `emoji` (tab separated), ignoring variation selectors and
/// skin tones, which the table leaves out.
pub fn names_of(emoji: &str) -> Option<&'static str> {
    let plain = |c: &char| !matches!(c, '\u{fe0e}' | '\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}');
    if emoji.chars().all(|c| plain(&c)) {
        names().get(emoji).copied()
    } else {
        let base: String = emoji.chars().filter(plain).collect();
        names().get(base.as_str()).copied()
    }
}

/// Whether one of the names of `emoji` contains `needle` (lower case).
pub fn name_contains(emoji: &str, needle: &str) -> bool {
    !needle.is_empty() && names_of(emoji).is_some_and(|names| names.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_emoji_by_name_and_shortcode() {
        assert!(name_contains("🚀", "rocket"));
        assert!(name_contains("🎉", "tada"));
        assert!(name_contains("🎉", "party"));
        assert!(name_contains("🤗", "hugs"));
        assert!(!name_contains("🚀", "frog"));
        assert!(!name_contains("🚀", ""));
        assert!(!name_contains("not an emoji", "rocket"));
    }

    #[test]
    fn ignores_variation_selectors_and_skin_tones() {
        assert!(name_contains("❤\u{fe0f}", "red heart"));
        assert!(name_contains("❤", "red heart"));
        assert!(name_contains("👍\u{1f3fd}", "thumbs up"));
    }

    #[test]
    fn every_line_has_a_glyph_and_a_name() {
        for line in TABLE.lines() {
            let (glyph, names) = line.split_once('\t').expect(line);
            assert!(!glyph.is_empty() && !names.is_empty(), "{line}");
            assert_eq!(names, names.to_lowercase(), "{line}");
        }
        assert!(names().len() > 1_800);
    }
}
