//! The matching Spaces as CSV (RFC 4180), safe to open in a spreadsheet.

use std::borrow::Cow;

use crate::data::{format_date, SpacesTable};
use crate::search::Filters;

const HEADER: &[&str] = &[
    "id",
    "author",
    "emoji",
    "likes",
    "sdk",
    "hardware",
    "stage",
    "license",
    "models",
    "datasets",
    "tags",
    "created_at",
    "last_modified",
    "dev_mode",
    "url",
];

/// A text value guarded against spreadsheets: a leading `=`, `+`, `-`,
/// `@`, tab or carriage return gets a `'`, so the value is never run as a
/// formula (ids are data, never code).
fn guard(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// One CSV field: quoted when it holds a separator, quote or line break.
fn quote(value: &str) -> Cow<'_, str> {
    if value.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(value)
    }
}

/// A text cell: guarded, then quoted.
fn text(value: &str) -> String {
    quote(&guard(value)).into_owned()
}

/// A list cell: every item guarded on its own, since a spreadsheet may
/// split the cell on `;` (`gradio;-2+3` would otherwise run `-2+3`).
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let joined: Vec<Cow<str>> = items.map(guard).collect();
    quote(&joined.join(";")).into_owned()
}

/// Byte-order mark: Excel reads a CSV without it in the system code page,
/// and emoji come out as mojibake.
pub const BOM: &str = "\u{FEFF}";

/// The CSV text for `rows` (in that order): a byte-order mark, the header,
/// then a line per row. Numbers are written as numbers.
pub fn to_csv(table: &SpacesTable, rows: &[u32]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&HEADER.join(","));
    out.push_str("\r\n");
    for &row in rows {
        let r = row as usize;
        let cells = [
            text(table.id(r)),
            text(table.author.get(r).unwrap_or("")),
            text(table.emoji.get(r).unwrap_or("")),
            table.likes[r].to_string(),
            text(table.sdk.get(r).unwrap_or("")),
            text(table.hardware.get(r).unwrap_or("")),
            text(table.stage.get(r).unwrap_or("")),
            list(table.license.row_values(r)),
            list(table.models.row_values(r)),
            list(table.datasets.row_values(r)),
            list(table.tags.row_values(r)),
            table.created(r).map(format_date).unwrap_or_default(),
            table.modified(r).map(format_date).unwrap_or_default(),
            table.dev_mode(r).map(|d| d.to_string()).unwrap_or_default(),
            text(&crate::url::links::space(table.id(r))),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The download's name, from the filters and the day: `spaces` alone for
/// every Space, else the filter values (`spaces-sdk-gradio-q-chat`), each
/// reduced to letters, digits and dashes and the whole kept short.
pub fn file_name(filters: &Filters, day: &str) -> String {
    const MAX: usize = 80;
    let mut parts: Vec<String> = Vec::new();
    if !filters.q.trim().is_empty() {
        parts.push(format!("q-{}", filters.q.trim()));
    }
    for (field, values) in &filters.facets {
        if !values.is_empty() {
            parts.push(format!("{}-{}", field.param(), values.join("-")));
        }
    }
    if let Some(likes) = filters.likes_min {
        parts.push(format!("likes-{likes}"));
    }
    if let Some(dev) = filters.dev_mode {
        parts.push(format!("dev-{}", u8::from(dev)));
    }
    if filters.created_from.is_some() || filters.created_to.is_some() {
        let day_of = |t: Option<i64>| t.map(format_date).unwrap_or_default();
        parts.push(format!(
            "created-{}-to-{}",
            day_of(filters.created_from),
            day_of(filters.created_to)
        ));
    }
    let mut slug = String::new();
    for c in parts.join("-").chars().flat_map(char::to_lowercase) {
        let keep = if c.is_ascii_alphanumeric() { c } else { '-' };
        if !(keep == '-' && (slug.is_empty() || slug.ends_with('-'))) {
            slug.push(keep);
        }
    }
    let mut slug = slug.trim_end_matches('-').to_string();
    if slug.len() > MAX {
        slug.truncate(MAX);
        slug = slug.trim_end_matches('-').to_string();
    }
    let mut name = String::from("spaces");
    if !slug.is_empty() {
        name.push('-');
        name.push_str(&slug);
    }
    name.push('-');
    name.push_str(day);
    name.push_str(".csv");
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Field;

    #[test]
    fn quotes_and_guards_fields() {
        assert_eq!(text("plain"), "plain");
        assert_eq!(text("a,b"), "\"a,b\"");
        assert_eq!(text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("-1"), "'-1");
        assert_eq!(text("line\nbreak"), "\"line\nbreak\"");
    }

    #[test]
    fn every_list_item_is_guarded() {
        let items = ["gradio", "-2+3", "+cmd|' /C calc'!A0", "@SUM(A1)", "ok"];
        assert_eq!(
            list(items.into_iter()),
            "gradio;'-2+3;'+cmd|' /C calc'!A0;'@SUM(A1);ok"
        );
        assert_eq!(list(["a,b", "=1"].into_iter()), "\"a,b;'=1\"");
    }

    #[test]
    fn names_say_the_filters_and_the_day() {
        let day = "2026-11-26";
        assert_eq!(file_name(&Filters::default(), day), "spaces-2026-11-26.csv");
        let mut filters = Filters {
            q: "Chat Bot!".into(),
            likes_min: Some(10),
            ..Filters::default()
        };
        filters.add(Field::Sdk, "gradio");
        filters.add(Field::Sdk, "docker");
        filters.add(Field::Author, "../../etc/passwd");
        assert_eq!(
            file_name(&filters, day),
            "spaces-q-chat-bot-sdk-gradio-docker-author-etc-passwd-likes-10-2026-11-26.csv"
        );
        filters.q = "x".repeat(500);
        assert!(file_name(&filters, day).len() <= "spaces-".len() + 80 + 15);
    }
}
