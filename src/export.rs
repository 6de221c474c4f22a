//! The matching Spaces as CSV (RFC 4180), safe to open in a spreadsheet.

use crate::data::{format_date, SpacesTable};

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

/// One CSV field: quoted when it holds a separator, quote or line break;
/// a leading `=`, `+`, `-` or `@` gets a `'` so spreadsheets never run it
/// as a formula (ids are data, never code).
fn field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The CSV text for `rows` (in that order), header first.
pub fn to_csv(table: &SpacesTable, rows: &[u32]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for &row in rows {
        let r = row as usize;
        let list = |values: Vec<&str>| values.join(";");
        let cells = [
            table.id(r).to_string(),
            table.author.get(r).unwrap_or("").to_string(),
            table.emoji.get(r).unwrap_or("").to_string(),
            table.likes[r].to_string(),
            table.sdk.get(r).unwrap_or("").to_string(),
            table.hardware.get(r).unwrap_or("").to_string(),
            table.stage.get(r).unwrap_or("").to_string(),
            list(table.license.row_values(r).collect()),
            list(table.models.row_values(r).collect()),
            list(table.datasets.row_values(r).collect()),
            list(table.tags.row_values(r).collect()),
            table.created(r).map(format_date).unwrap_or_default(),
            table.modified(r).map(format_date).unwrap_or_default(),
            table.dev_mode(r).map(|d| d.to_string()).unwrap_or_default(),
            crate::links::space(table.id(r)),
        ];
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_guards_fields() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
    }
}
