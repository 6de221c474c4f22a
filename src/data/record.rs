//! A batch of any shape as the app's flat columns: plain columns as they
//! are, struct leaves lifted out (with their parents' nulls), and JSON text
//! parsed once per row into every field it holds. A row whose JSON is
//! malformed or of the wrong type keeps those fields empty and is counted.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{make_array, Array, ArrayRef, GenericListArray, OffsetSizeTrait, RecordBatch};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field};
use serde::Deserialize;

use super::shape::{JsonRecord, Place, Shape};
use super::strings::StrAccess;

/// Rows whose JSON text could not be read, per column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonRepairs {
    pub unreadable: Vec<(String, u64)>,
}

impl JsonRepairs {
    fn count(&mut self, root: &str, rows: u64) {
        if rows == 0 {
            return;
        }
        match self.unreadable.iter_mut().find(|(r, _)| r == root) {
            Some((_, n)) => *n += rows,
            None => self.unreadable.push((root.to_string(), rows)),
        }
    }
}

/// The app's columns in `batch`, by app name.
pub fn flatten(
    batch: &RecordBatch,
    shape: &Shape,
    repairs: &mut JsonRepairs,
) -> Vec<(&'static str, ArrayRef)> {
    let mut out = Vec::new();
    for (root, record) in shape.json_roots() {
        if let Some(text) = batch.column_by_name(root) {
            let (columns, bad) = parse_json(text, record);
            repairs.count(root, bad);
            for (name, array) in columns {
                if shape.place(name).is_some_and(|p| p.root() == root) {
                    out.push((name, array));
                }
            }
        }
    }
    for (name, place) in &shape.columns {
        let array = match place {
            Place::Top(root) => batch.column_by_name(root).cloned(),
            Place::Nested { root, path } => batch.column_by_name(root).and_then(|a| {
                path.iter()
                    .try_fold(Arc::clone(a), |a, step| descend(&a, step))
            }),
            Place::Json { .. } => continue,
        };
        if let Some(array) = array {
            out.push((name, array));
        }
    }
    out
}

/// The child `name` of a struct, or of each struct in a list (as a list).
fn descend(array: &ArrayRef, name: &str) -> Option<ArrayRef> {
    match array.data_type() {
        DataType::Struct(_) => {
            let parent = array.as_struct();
            let child = parent.column_by_name(name)?;
            Some(with_parent_nulls(child, parent.nulls()))
        }
        DataType::List(_) => lift_list(array.as_list::<i32>(), name),
        DataType::LargeList(_) => lift_list(array.as_list::<i64>(), name),
        _ => None,
    }
}

fn lift_list<O: OffsetSizeTrait>(list: &GenericListArray<O>, name: &str) -> Option<ArrayRef> {
    let inner = descend(list.values(), name)?;
    let item = Arc::new(Field::new("item", inner.data_type().clone(), true));
    let lifted =
        GenericListArray::<O>::try_new(item, list.offsets().clone(), inner, list.nulls().cloned())
            .ok()?;
    Some(Arc::new(lifted))
}

/// A struct's child is null wherever the struct is.
fn with_parent_nulls(child: &ArrayRef, parent: Option<&NullBuffer>) -> ArrayRef {
    if parent.is_none() {
        return Arc::clone(child);
    }
    let nulls = NullBuffer::union(parent, child.nulls());
    match child.to_data().into_builder().nulls(nulls).build() {
        Ok(data) => make_array(data),
        Err(_) => Arc::clone(child),
    }
}

/// A string or a list of strings (`license` is either).
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<'a> {
    #[serde(borrow)]
    One(Cow<'a, str>),
    Many(Vec<Option<Cow<'a, str>>>),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Card<'a> {
    #[serde(borrow)]
    emoji: Option<Cow<'a, str>>,
    #[serde(borrow)]
    license: Option<OneOrMany<'a>>,
    #[serde(borrow, alias = "duplicatedFrom")]
    duplicated_from: Option<Cow<'a, str>>,
    pinned: Option<bool>,
    #[serde(borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "shortDescription")]
    short_description: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Hardware<'a> {
    #[serde(borrow)]
    current: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Domain<'a> {
    #[serde(borrow)]
    domain: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Runtime<'a> {
    #[serde(borrow)]
    stage: Option<Cow<'a, str>>,
    #[serde(borrow)]
    hardware: Option<Hardware<'a>>,
    #[serde(alias = "dev_mode", rename = "devMode")]
    dev_mode: Option<bool>,
    #[serde(borrow)]
    domains: Option<Vec<Domain<'a>>>,
}

/// One row's text read as a `T` record: `T::default()` for null, empty or
/// `null` text, and also for text that is not a JSON object of `T`'s field
/// types, which is counted in `bad`. Serde would read an array into a
/// struct by position: only an object is a record.
fn record<'b, T: Deserialize<'b> + Default>(bytes: Option<&'b [u8]>, bad: &mut u64) -> T {
    let Some(bytes) = bytes.map(<[u8]>::trim_ascii) else {
        return T::default();
    };
    if bytes.is_empty() || bytes == b"null" {
        return T::default();
    }
    let parsed = bytes
        .starts_with(b"{")
        .then(|| serde_json::from_slice::<T>(bytes).ok())
        .flatten();
    parsed.unwrap_or_else(|| {
        *bad += 1;
        T::default()
    })
}

/// Appends a list row of optional strings (null when there is no list).
fn append_list<'v>(
    list: &mut ListBuilder<StringBuilder>,
    items: Option<impl IntoIterator<Item = Option<&'v str>>>,
) {
    match items {
        None => list.append_null(),
        Some(items) => {
            for item in items {
                list.values().append_option(item);
            }
            list.append(true);
        }
    }
}

/// Parses `text` (a column of JSON objects) row by row into the app's
/// columns a record of `kind` holds; also returns how many non-null rows were not
/// readable (not JSON, not an object, or a field of the wrong type).
fn parse_json(text: &ArrayRef, kind: JsonRecord) -> (Vec<(&'static str, ArrayRef)>, u64) {
    let mut bad = 0u64;
    // A column that is not text at all reads as nulls.
    let strings = StrAccess::new(text).ok();
    let row = |r: usize| strings.as_ref().and_then(|s| s.get(r));
    // One pass per batch, every field appended as its record is read.
    let columns: Vec<(&'static str, ArrayRef)> = match kind {
        JsonRecord::Card => {
            let mut emoji = StringBuilder::new();
            let mut duplicated = StringBuilder::new();
            let mut title = StringBuilder::new();
            let mut description = StringBuilder::new();
            let mut pinned = BooleanBuilder::with_capacity(text.len());
            let mut license = ListBuilder::new(StringBuilder::new());
            for r in 0..text.len() {
                let card: Card = record(row(r), &mut bad);
                emoji.append_option(card.emoji.as_deref());
                duplicated.append_option(card.duplicated_from.as_deref());
                title.append_option(card.title.as_deref());
                description.append_option(card.short_description.as_deref());
                pinned.append_option(card.pinned);
                let items: Option<Vec<Option<&str>>> = card.license.as_ref().map(|l| match l {
                    OneOrMany::One(one) => vec![Some(one.as_ref())],
                    OneOrMany::Many(many) => many.iter().map(|i| i.as_deref()).collect(),
                });
                append_list(&mut license, items);
            }
            vec![
                ("emoji", Arc::new(emoji.finish())),
                ("duplicated_from", Arc::new(duplicated.finish())),
                ("title", Arc::new(title.finish())),
                ("short_description", Arc::new(description.finish())),
                ("pinned", Arc::new(pinned.finish())),
                ("license", Arc::new(license.finish())),
            ]
        }
        JsonRecord::Runtime => {
            let mut stage = StringBuilder::new();
            let mut hardware = StringBuilder::new();
            let mut dev_mode = BooleanBuilder::with_capacity(text.len());
            let mut domains = ListBuilder::new(StringBuilder::new());
            for r in 0..text.len() {
                let runtime: Runtime = record(row(r), &mut bad);
                stage.append_option(runtime.stage.as_deref());
                hardware
                    .append_option(runtime.hardware.as_ref().and_then(|h| h.current.as_deref()));
                dev_mode.append_option(runtime.dev_mode);
                let items = runtime
                    .domains
                    .as_ref()
                    .map(|list| list.iter().map(|d| d.domain.as_deref()));
                append_list(&mut domains, items);
            }
            vec![
                ("stage", Arc::new(stage.finish())),
                ("hardware", Arc::new(hardware.finish())),
                ("devMode", Arc::new(dev_mode.finish())),
                ("custom_domains", Arc::new(domains.finish())),
            ]
        }
    };
    (columns, bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::StringArray;

    fn card_column(rows: &[Option<&str>]) -> ArrayRef {
        Arc::new(StringArray::from(rows.to_vec()))
    }

    fn strings(columns: &[(&'static str, ArrayRef)], name: &str) -> Vec<Option<String>> {
        let array = &columns.iter().find(|(n, _)| *n == name).unwrap().1;
        let strings = array.as_string::<i32>();
        (0..strings.len())
            .map(|r| strings.is_valid(r).then(|| strings.value(r).to_string()))
            .collect()
    }

    #[test]
    fn card_data_fields_come_out_of_json_text() {
        let text = card_column(&[
            Some(
                r#"{"title":"Chat \"UI\"","emoji":"🚀","license":"mit","pinned":true,"short_description":"A demo","colorFrom":"red"}"#,
            ),
            Some(r#"{"license":["apache-2.0","mit"],"duplicated_from":"a/b"}"#),
            None,
            Some("null"),
        ]);
        let (columns, bad) = parse_json(&text, JsonRecord::Card);
        assert_eq!(bad, 0);
        assert_eq!(
            strings(&columns, "title"),
            [Some("Chat \"UI\"".into()), None, None, None]
        );
        assert_eq!(strings(&columns, "emoji")[0].as_deref(), Some("🚀"));
        assert_eq!(
            strings(&columns, "duplicated_from")[1].as_deref(),
            Some("a/b")
        );
        let license = columns
            .iter()
            .find(|(n, _)| *n == "license")
            .unwrap()
            .1
            .clone();
        let license = license.as_list::<i32>();
        assert_eq!(license.value_length(0), 1);
        assert_eq!(license.value_length(1), 2);
        assert!(license.is_null(2));
    }

    #[test]
    fn malformed_or_mistyped_rows_stay_empty_and_are_counted() {
        let text = card_column(&[
            Some(r#"{"title": "ok", "emoji": "🤗"}"#),
            Some(r#"{"title": 5, "emoji": "🤗"}"#),
            Some(r#"{"title": "cut"#),
            Some(r#"["not", "an", "object"]"#),
            Some(r#"<img src=x onerror=alert(1)>"#),
            Some(r#"{"emoji": "<script>alert(1)</script>"}"#),
        ]);
        let (columns, bad) = parse_json(&text, JsonRecord::Card);
        assert_eq!(bad, 4);
        assert_eq!(
            strings(&columns, "emoji"),
            [
                Some("🤗".into()),
                None,
                None,
                None,
                None,
                Some("<script>alert(1)</script>".into())
            ]
        );
        let runtime = card_column(&[
            Some(
                r#"{"stage":"RUNNING","hardware":{"current":"t4-small","requested":null},"devMode":false,"domains":[{"domain":"x.example","stage":"READY"}]}"#,
            ),
            Some(r#"{"stage":"RUNNING","hardware":"t4-small"}"#),
        ]);
        let (columns, bad) = parse_json(&runtime, JsonRecord::Runtime);
        assert_eq!(bad, 1);
        assert_eq!(
            strings(&columns, "hardware"),
            [Some("t4-small".into()), None]
        );
        assert_eq!(strings(&columns, "stage"), [Some("RUNNING".into()), None]);
    }
}
