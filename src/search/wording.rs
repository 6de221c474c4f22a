//! The Search pane's words: readable values, labels that name their field,
//! and hints with the right article and plural.

use crate::data::Field;
use crate::data::{format_date, DAY_MS};
use crate::format;

/// A stage code as people read it: `RUNTIME_ERROR` → `Runtime error`.
/// Unknown codes get the same treatment, so a new stage still reads well.
pub fn stage(code: &str) -> String {
    let lower = code.trim().replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A facet value as shown: stages read as words, an empty value says so.
pub fn facet_value(field: Field, value: &str) -> String {
    match (field, value) {
        (_, "") => "(empty)".to_string(),
        (Field::Stage, code) => stage(code),
        (_, other) => other.to_string(),
    }
}

/// The field's values in the singular and plural.
pub fn nouns(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::Sdk => ("SDK", "SDKs"),
        Field::Emoji => ("emoji", "emoji"),
        Field::Author => ("author", "authors"),
        Field::Hardware => ("hardware type", "hardware types"),
        Field::License => ("license", "licenses"),
        Field::Model => ("model", "models"),
        Field::Dataset => ("dataset", "datasets"),
        Field::Tag => ("tag", "tags"),
        Field::Stage => ("stage", "stages"),
    }
}

/// The label of a facet's find box: "Find an author", "Find an SDK".
pub fn find_label(field: Field) -> String {
    match field {
        Field::Emoji => "Find an emoji, by glyph or name".to_string(),
        Field::Hardware => "Find hardware".to_string(),
        _ => {
            let noun = nouns(field).0;
            // "SDK" is read "ess-dee-kay": a vowel sound, like "author".
            let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']) || noun == "SDK";
            format!("Find {} {noun}", if vowel { "an" } else { "a" })
        }
    }
}

/// What a facet says under the values it lists: nothing when it lists all
/// of them, "+1,334 more — type to find" when more exist, and a no-match
/// line when the find box found nothing.
pub fn facet_hint(field: Field, needle: &str, listed: usize, available: usize) -> Option<String> {
    let needle = needle.trim();
    if available == 0 && !needle.is_empty() {
        return Some(format!("No {} match “{needle}”", nouns(field).1));
    }
    let more = available.saturating_sub(listed) as u64;
    (more > 0).then(|| {
        if needle.is_empty() {
            format!("+{} more — type to find", format::count(more))
        } else {
            format!("+{} more — keep typing to narrow", format::count(more))
        }
    })
}

/// The created-date chip: "Created 2023-01-01 – 2024-06-30", "Created since
/// 2023-01-01", "Created until 2024-06-30". `to` is exclusive (the day after
/// the last one included), as in [`crate::search::Filters`].
pub fn created_chip(from: Option<i64>, to: Option<i64>) -> Option<String> {
    let last_day = to.map(|t| format_date(t - DAY_MS));
    match (from.map(format_date), last_day) {
        (Some(from), Some(to)) => Some(format!("Created {from} – {to}")),
        (Some(from), None) => Some(format!("Created since {from}")),
        (None, Some(to)) => Some(format!("Created until {to}")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::parse_date;

    #[test]
    fn stages_read_as_words() {
        assert_eq!(stage("RUNTIME_ERROR"), "Runtime error");
        assert_eq!(stage("RUNNING"), "Running");
        assert_eq!(stage("NO_APP_FILE"), "No app file");
        assert_eq!(stage(""), "");
        assert_eq!(facet_value(Field::Stage, "BUILD_ERROR"), "Build error");
        assert_eq!(facet_value(Field::Sdk, "gradio"), "gradio");
        assert_eq!(facet_value(Field::Tag, ""), "(empty)");
    }

    #[test]
    fn find_labels_take_the_right_article() {
        assert_eq!(find_label(Field::Author), "Find an author");
        assert_eq!(find_label(Field::Sdk), "Find an SDK");
        assert_eq!(find_label(Field::License), "Find a license");
        assert_eq!(find_label(Field::Tag), "Find a tag");
        assert_eq!(find_label(Field::Hardware), "Find hardware");
        assert!(Field::ALL
            .into_iter()
            .all(|f| !find_label(f).contains(" value")));
    }

    #[test]
    fn facet_hints_count_what_is_not_listed() {
        assert_eq!(facet_hint(Field::Author, "", 8, 8), None);
        assert_eq!(facet_hint(Field::Author, "", 3, 3), None);
        assert_eq!(
            facet_hint(Field::Author, "", 8, 1_342).as_deref(),
            Some("+1,334 more — type to find")
        );
        assert_eq!(
            facet_hint(Field::Model, "lla", 8, 20).as_deref(),
            Some("+12 more — keep typing to narrow")
        );
        assert_eq!(
            facet_hint(Field::Emoji, " zzz ", 0, 0).as_deref(),
            Some("No emoji match “zzz”")
        );
        assert_eq!(facet_hint(Field::Tag, "", 0, 0), None);
    }

    #[test]
    fn the_date_chip_names_its_dates() {
        let day = |s| parse_date(s);
        let after = |s| parse_date(s).map(|d| d + DAY_MS);
        assert_eq!(
            created_chip(day("2023-01-01"), after("2024-06-30")).as_deref(),
            Some("Created 2023-01-01 – 2024-06-30")
        );
        assert_eq!(
            created_chip(day("2023-01-01"), None).as_deref(),
            Some("Created since 2023-01-01")
        );
        assert_eq!(
            created_chip(None, after("2024-06-30")).as_deref(),
            Some("Created until 2024-06-30")
        );
        assert_eq!(created_chip(None, None), None);
    }
}
