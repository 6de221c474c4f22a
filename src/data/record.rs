//! A batch of any shape as the app's flat columns: plain columns as they
//! are, struct leaves lifted out (with their parents' nulls), and JSON text
//! parsed once per row into every field it holds. A row whose JSON is
//! malformed or of the wrong type keeps those fields empty and is counted.

use std::borrow::Cow;
use std::sync::Arc;

use super::json::{Invalid, Parsed, Reader};
use super::shape::{JsonRecord, Place, Shape};
use super::strings::StrAccess;
use arrow_array::builder::{BooleanBuilder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{make_array, Array, ArrayRef, GenericListArray, OffsetSizeTrait, RecordBatch};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field};

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

/// The `cardData` fields the app reads. `license` says whether there is
/// one (a string or a list): its items go to a buffer the caller reuses,
/// so that no row allocates a list.
#[derive(Default)]
struct Card<'a> {
    emoji: Option<Cow<'a, str>>,
    license: bool,
    duplicated_from: Option<Cow<'a, str>>,
    pinned: Option<bool>,
    title: Option<Cow<'a, str>>,
    short_description: Option<Cow<'a, str>>,
}

impl<'a> Card<'a> {
    /// Reads a card object; its license items are pushed to `licenses`.
    fn read(r: &mut Reader<'a>, licenses: &mut Vec<Option<Cow<'a, str>>>) -> Parsed<Self> {
        let mut card = Card::default();
        members(r, |key, seen, r| {
            match key {
                "emoji" => card.emoji = seen.once(0, r, Reader::string)?,
                "license" => {
                    card.license = seen.once(1, r, |r| license(r, licenses))?.is_some();
                }
                "duplicated_from" | "duplicatedFrom" => {
                    card.duplicated_from = seen.once(2, r, Reader::string)?;
                }
                "pinned" => card.pinned = seen.once(3, r, Reader::bool)?,
                "title" => card.title = seen.once(4, r, Reader::string)?,
                "short_description" | "shortDescription" => {
                    card.short_description = seen.once(5, r, Reader::string)?;
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(card)
    }
}

/// A license: one string, or a list of strings and nulls.
fn license<'a>(r: &mut Reader<'a>, items: &mut Vec<Option<Cow<'a, str>>>) -> Parsed<()> {
    if r.peek() == Some(b'[') {
        let mut list = r.array()?;
        while list.next(r)? {
            items.push(r.nullable(Reader::string)?);
        }
    } else {
        items.push(Some(r.string()?));
    }
    Ok(())
}

/// The `runtime` fields the app reads. `domains` says whether there is a
/// list: its items go to a buffer the caller reuses.
#[derive(Default)]
struct Runtime<'a> {
    stage: Option<Cow<'a, str>>,
    /// `hardware.current`.
    hardware: Option<Cow<'a, str>>,
    dev_mode: Option<bool>,
    domains: bool,
}

impl<'a> Runtime<'a> {
    /// Reads a runtime object; its domains are pushed to `domains`.
    fn read(r: &mut Reader<'a>, domains: &mut Vec<Option<Cow<'a, str>>>) -> Parsed<Self> {
        let mut runtime = Runtime::default();
        members(r, |key, seen, r| {
            match key {
                "stage" => runtime.stage = seen.once(0, r, Reader::string)?,
                "hardware" => {
                    runtime.hardware = seen.once(1, r, |r| single(r, "current"))?.flatten();
                }
                "devMode" | "dev_mode" => runtime.dev_mode = seen.once(2, r, Reader::bool)?,
                "domains" => {
                    let list = |r: &mut Reader<'a>| {
                        let mut items = r.array()?;
                        while items.next(r)? {
                            domains.push(single(r, "domain")?);
                        }
                        Ok(())
                    };
                    runtime.domains = seen.once(3, r, list)?.is_some();
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(runtime)
    }
}

/// A record of one optional string field (`hardware`'s `current`, a
/// domain's `domain`), read as serde reads a struct: an object, where the
/// field may come once and other keys are skipped, or else an array that
/// holds at most that field, by position.
fn single<'a>(r: &mut Reader<'a>, field: &str) -> Parsed<Option<Cow<'a, str>>> {
    let mut value = None;
    if r.peek() == Some(b'{') {
        members(r, |key, seen, r| {
            let known = key == field;
            if known {
                value = seen.once(0, r, Reader::string)?;
            }
            Ok(known)
        })?;
    } else {
        let mut seen = Seen::default();
        let mut items = r.array()?;
        while items.next(r)? {
            // A second item is one too many, as for serde.
            value = seen.once(0, r, Reader::string)?;
        }
    }
    Ok(value)
}

/// Reads an object member by member: `field` reads the value of a key it
/// knows and says so; any other key's value is skipped. `Seen` tracks the
/// fields met, for [`Seen::once`]. Inlined: the per-row reader is the JSON
/// shape's hot loop, and a call here measured 15% slower.
#[inline(always)]
fn members<'a>(
    r: &mut Reader<'a>,
    mut field: impl FnMut(&str, &mut Seen, &mut Reader<'a>) -> Parsed<bool>,
) -> Parsed<()> {
    let mut seen = Seen::default();
    let mut members = r.object()?;
    while let Some(key) = members.next(r)? {
        if !field(&key, &mut seen, r)? {
            r.skip()?;
        }
    }
    Ok(())
}

/// The fields of one object met so far, by number: serde's derive refuses
/// a field given twice, also under its alias.
#[derive(Default)]
struct Seen(u8);

impl Seen {
    /// Field `field`'s value, null or read by `read`, unless it came before.
    #[inline]
    fn once<'a, T>(
        &mut self,
        field: u8,
        r: &mut Reader<'a>,
        read: impl FnOnce(&mut Reader<'a>) -> Parsed<T>,
    ) -> Parsed<Option<T>> {
        let bit = 1 << field;
        if self.0 & bit != 0 {
            return Err(Invalid);
        }
        self.0 |= bit;
        r.nullable(read)
    }
}

/// One row's text read by `read`: the default record for null, empty or
/// `null` text, and also for text that `read` refuses or that goes on
/// after the record, which is counted in `bad`. Only an object is a record:
/// `read` opens one (serde's derive would also read an array, by position).
fn record<'a, T: Default>(
    bytes: Option<&'a [u8]>,
    bad: &mut u64,
    read: impl FnOnce(&mut Reader<'a>) -> Parsed<T>,
) -> T {
    let Some(bytes) = bytes.map(<[u8]>::trim_ascii) else {
        return T::default();
    };
    if bytes.is_empty() || bytes == b"null" {
        return T::default();
    }
    let mut reader = Reader::new(bytes);
    let read = read(&mut reader).and_then(|record| reader.end().map(|()| record));
    read.unwrap_or_else(|Invalid| {
        *bad += 1;
        T::default()
    })
}

/// Appends a list row: `items` if there is a list, else null.
fn append_list(list: &mut ListBuilder<StringBuilder>, some: bool, items: &[Option<Cow<str>>]) {
    if some {
        for item in items {
            list.values().append_option(item.as_deref());
        }
        list.append(true);
    } else {
        list.append_null();
    }
}

/// A text builder for `rows` values of about `bytes` each (a guess: the
/// builder grows past it).
fn text_builder(rows: usize, bytes: usize) -> StringBuilder {
    StringBuilder::with_capacity(rows, rows * bytes)
}

/// Parses `text` (a column of JSON objects) row by row into the app's
/// columns a record of `kind` holds; also returns how many non-null rows were not
/// readable (not JSON, not an object, or a field of the wrong type).
fn parse_json(text: &ArrayRef, kind: JsonRecord) -> (Vec<(&'static str, ArrayRef)>, u64) {
    let mut bad = 0u64;
    let rows = text.len();
    // A column that is not text at all reads as nulls.
    let strings = StrAccess::new(text).ok();
    let row = |r: usize| strings.as_ref().and_then(|s| s.get(r));
    // One pass per batch, every field appended as its record is read.
    let columns: Vec<(&'static str, ArrayRef)> = match kind {
        JsonRecord::Card => {
            let mut emoji = text_builder(rows, 4);
            let mut duplicated = text_builder(rows, 0);
            let mut title = text_builder(rows, 16);
            let mut description = text_builder(rows, 32);
            let mut pinned = BooleanBuilder::with_capacity(rows);
            let mut license = ListBuilder::with_capacity(text_builder(rows, 8), rows);
            let mut licenses = Vec::new();
            for r in 0..rows {
                licenses.clear();
                let card = record(row(r), &mut bad, |r| Card::read(r, &mut licenses));
                emoji.append_option(card.emoji.as_deref());
                duplicated.append_option(card.duplicated_from.as_deref());
                title.append_option(card.title.as_deref());
                description.append_option(card.short_description.as_deref());
                pinned.append_option(card.pinned);
                append_list(&mut license, card.license, &licenses);
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
            let mut stage = text_builder(rows, 8);
            let mut hardware = text_builder(rows, 10);
            let mut dev_mode = BooleanBuilder::with_capacity(rows);
            let mut domains = ListBuilder::with_capacity(StringBuilder::new(), rows);
            let mut items = Vec::new();
            for r in 0..rows {
                items.clear();
                let runtime = record(row(r), &mut bad, |r| Runtime::read(r, &mut items));
                stage.append_option(runtime.stage.as_deref());
                hardware.append_option(runtime.hardware.as_deref());
                dev_mode.append_option(runtime.dev_mode);
                append_list(&mut domains, runtime.domains, &items);
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

/// serde_json's derived structs, which the reader replaced: the reference
/// it must agree with, row for row.
#[cfg(test)]
mod reference {
    use super::*;
    use serde::Deserialize;

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

    /// `super::parse_json` as it was with serde_json.
    pub(super) fn parse_json(
        text: &ArrayRef,
        kind: JsonRecord,
    ) -> (Vec<(&'static str, ArrayRef)>, u64) {
        let mut bad = 0u64;
        let strings = StrAccess::new(text).ok();
        let row = |r: usize| strings.as_ref().and_then(|s| s.get(r));
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
                    hardware.append_option(
                        runtime.hardware.as_ref().and_then(|h| h.current.as_deref()),
                    );
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

    /// Our columns and bad count for `rows` next to serde's: where they
    /// differ, which.
    pub(super) fn compare(rows: &[Option<&[u8]>], kind: JsonRecord) -> Result<(), String> {
        let text: ArrayRef = Arc::new(arrow_array::BinaryArray::from(rows.to_vec()));
        let (ours, bad) = parse_json(&text, kind);
        let (serde, serde_bad) = reference::parse_json(&text, kind);
        if bad != serde_bad {
            return Err(format!("{kind:?}: {bad} bad rows, serde {serde_bad}"));
        }
        let names = |columns: &[(&'static str, ArrayRef)]| -> Vec<&'static str> {
            columns.iter().map(|(n, _)| *n).collect()
        };
        if names(&ours) != names(&serde) {
            return Err(format!("{:?} != {:?}", names(&ours), names(&serde)));
        }
        for ((name, ours), (_, serde)) in ours.iter().zip(&serde) {
            if ours.to_data() != serde.to_data() {
                return Err(format!("{kind:?} {name}: {ours:?} != {serde:?}"));
            }
        }
        Ok(())
    }

    /// One row read both ways (they must agree): our columns and count.
    fn one(text: &[u8], kind: JsonRecord) -> (Vec<(&'static str, ArrayRef)>, u64) {
        let shown = String::from_utf8_lossy(text);
        compare(&[Some(text)], kind).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let column: ArrayRef = Arc::new(arrow_array::BinaryArray::from(vec![Some(text)]));
        parse_json(&column, kind)
    }

    #[test]
    fn cards_read_as_serde_read_them() {
        use JsonRecord::Card;
        let bad = |text: &[u8]| one(text, Card).1 == 1;
        // Each wanted field once, under either name.
        assert!(bad(br#"{"title":"a","title":"b"}"#));
        assert!(bad(br#"{"emoji":null,"emoji":null}"#));
        assert!(bad(br#"{"duplicated_from":"a","duplicatedFrom":"b"}"#));
        assert!(bad(br#"{"shortDescription":null,"short_description":"b"}"#));
        assert!(bad(br#"{"license":"mit","license":null}"#));
        assert!(!bad(br#"{"colorFrom":"a","colorFrom":5}"#));
        // Types.
        assert!(bad(br#"{"title":5}"#));
        assert!(bad(br#"{"pinned":"true"}"#));
        assert!(bad(br#"{"pinned":1}"#));
        assert!(bad(br#"{"license":["a",5]}"#));
        assert!(bad(br#"{"license":{"a":"b"}}"#));
        assert!(bad(br#"{"license":[["a"]]}"#));
        assert!(bad(br#"{"license":-1e999}"#));
        assert!(!bad(br#"{"license":[]}"#));
        assert!(!bad(br#"{"pinned":null,"title":null}"#));
        // Keys are matched unescaped; values are not trimmed.
        let (columns, _) = one(br#"{"tit\u006ce":" a\tb ","license":["x",null]}"#, Card);
        assert_eq!(strings(&columns, "title"), [Some(" a\tb ".into())]);
        let license = &columns.iter().find(|(n, _)| *n == "license").unwrap().1;
        let license = license.as_list::<i32>().value(0);
        assert_eq!(
            license.as_string::<i32>().iter().collect::<Vec<_>>(),
            [Some("x"), None]
        );
        // What serde only skips, it checks less: neither the range of
        // numbers, nor surrogates, nor UTF-8, nor depth.
        let deep = format!(
            r#"{{"x":{}{},"title":"t"}}"#,
            "[".repeat(500),
            "]".repeat(500)
        );
        assert!(!bad(deep.as_bytes()));
        assert!(!bad(br#"{"x":-1e999,"y":"\ud800","z":{"\udc00":1e999}}"#));
        assert!(!bad(b"{\"x\":\"\xff\",\"y\":{\"\xfe\":0}}"));
        // A key or a value read is checked in full.
        assert!(bad(b"{\"\xff\":1}"));
        assert!(bad(b"{\"title\":\"\xff\"}"));
        assert!(bad(br#"{"\ud800":1}"#));
        assert!(bad(br#"{"title":"\udc00"}"#));
        // Syntax, everywhere.
        for text in [
            &br#"{"x":01}"#[..],
            br#"{"x":"\u12"}"#,
            br#"{"x":[1,]}"#,
            br#"{"title":"a",}"#,
            br#"{"title":"a"} x"#,
            br#"{"title":"a"}}"#,
            b"{\"title\":\"a\tb\"}",
            br#"[{"title":"a"}]"#,
            b"nul",
            b"\"title\"",
        ] {
            assert!(bad(text), "{}", String::from_utf8_lossy(text));
        }
        // Blank, null and ASCII-whitespace-padded rows.
        for text in [&b""[..], b" \t", b" null ", b"\x0c{\"title\":\"t\"}\x0c "] {
            assert!(!bad(text), "{}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn runtimes_read_as_serde_read_them() {
        use JsonRecord::Runtime;
        let read = |text: &[u8]| one(text, Runtime);
        let hardware = |text: &[u8]| {
            let (columns, bad) = read(text);
            (strings(&columns, "hardware").remove(0), bad)
        };
        // Serde reads a nested struct from an array too, by position.
        assert_eq!(hardware(br#"{"hardware":["t4"]}"#), (Some("t4".into()), 0));
        assert_eq!(hardware(br#"{"hardware":[]}"#), (None, 0));
        assert_eq!(hardware(br#"{"hardware":[null]}"#), (None, 0));
        assert_eq!(hardware(br#"{"hardware":["t4","a"]}"#), (None, 1));
        assert_eq!(hardware(br#"{"hardware":[5]}"#), (None, 1));
        assert_eq!(hardware(br#"{"hardware":"t4"}"#), (None, 1));
        assert_eq!(hardware(br#"{"hardware":null}"#), (None, 0));
        assert_eq!(
            hardware(br#"{"hardware":{"requested":"a","requested":[],"current":"b"}}"#),
            (Some("b".into()), 0)
        );
        assert_eq!(
            hardware(br#"{"hardware":{"current":"a","current":"b"}}"#),
            (None, 1)
        );
        assert_eq!(read(br#"{"devMode":true,"dev_mode":true}"#).1, 1);
        assert_eq!(read(br#"{"stage":"a","stage":"a"}"#).1, 1);
        assert_eq!(read(br#"{"dev_mode":"true"}"#).1, 1);
        let (columns, bad) = read(br#"{"dev_mode":true}"#);
        assert_eq!(bad, 0);
        assert!(columns[2].1.as_boolean().value(0));
        // Domains: a list of domain records, each an object or an array.
        let (columns, bad) =
            read(br#"{"domains":[["a"],{},{"domain":null,"stage":"x"},{"domain":"b"}]}"#);
        assert_eq!(bad, 0);
        let domains = columns[3].1.as_list::<i32>().value(0);
        assert_eq!(
            domains.as_string::<i32>().iter().collect::<Vec<_>>(),
            [Some("a"), None, None, Some("b")]
        );
        for text in [
            &br#"{"domains":[null]}"#[..],
            br#"{"domains":[5]}"#,
            br#"{"domains":{}}"#,
            br#"{"domains":[{"domain":"a","domain":"a"}]}"#,
            br#"{"domains":[],"domains":[]}"#,
            br#"{"domains":[{"domain":5}]}"#,
        ] {
            assert_eq!(read(text).1, 1, "{}", String::from_utf8_lossy(text));
        }
    }
}

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::super::json::is_object;
    use super::tests::compare;
    use super::JsonRecord;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::{select, Index};
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};

    /// What a string's body can go right or wrong with.
    const PIECES: &[&[u8]] = &[
        b"a",
        b"Space demo",
        "\u{e9}".as_bytes(),
        "\u{1f680}".as_bytes(),
        b"\\n",
        b"\\\"",
        b"\\\\",
        b"\\/",
        b"\\b",
        b"\\u00e9",
        b"\\u0000",
        b"\\uD83D\\uDE80",
        b"\\ud800",
        b"\\udc00",
        b"\\ud800\\u0041",
        b"\\u12",
        b"\\q",
        b"\t",
        b"\x01",
        b"\x7f",
        b"\xff",
        b"\xc3",
        b"\xc3\xa9",
    ];

    /// Keys the records want (both spellings), keys of their nested
    /// records, and others.
    const KEYS: &[&str] = &[
        "emoji",
        "license",
        "duplicated_from",
        "duplicatedFrom",
        "pinned",
        "title",
        "short_description",
        "shortDescription",
        "stage",
        "hardware",
        "current",
        "requested",
        "devMode",
        "dev_mode",
        "domains",
        "domain",
        "colorFrom",
        "sdk",
    ];

    fn quoted(key: &str) -> Vec<u8> {
        format!("\"{key}\"").into_bytes()
    }

    fn string_literal() -> BoxedStrategy<Vec<u8>> {
        prop_oneof![
            3 => "\\PC{0,8}".prop_map(|s| serde_json::to_vec(&s).unwrap()),
            2 => "[ -~]{0,12}".prop_map(|s| format!("{s:?}").into_bytes()),
            2 => vec(select(PIECES), 0..4).prop_map(|pieces| {
                let mut out = b"\"".to_vec();
                pieces.iter().for_each(|p| out.extend_from_slice(p));
                out.push(b'"');
                out
            }),
        ]
        .boxed()
    }

    fn key() -> BoxedStrategy<Vec<u8>> {
        prop_oneof![
            4 => select(KEYS).prop_map(quoted),
            // Escaped keys are matched unescaped.
            1 => Just(br#""tit\u006ce""#.to_vec()),
            1 => Just(br#""dev\u005fmode""#.to_vec()),
            1 => string_literal(),
        ]
        .boxed()
    }

    fn array(items: Vec<Vec<u8>>) -> Vec<u8> {
        let mut out = b"[".to_vec();
        out.extend_from_slice(&items.join(&b","[..]));
        out.push(b']');
        out
    }

    fn object(members: Vec<(Vec<u8>, Vec<u8>)>) -> Vec<u8> {
        let members: Vec<Vec<u8>> = members
            .into_iter()
            .map(|(key, value)| [key, b":".to_vec(), value].concat())
            .collect();
        let mut out = b"{".to_vec();
        out.extend_from_slice(&members.join(&b","[..]));
        out.push(b'}');
        out
    }

    fn literal(words: &'static [&'static str]) -> BoxedStrategy<Vec<u8>> {
        select(words).prop_map(|w| w.as_bytes().to_vec()).boxed()
    }

    /// Any value, good or subtly bad.
    fn value() -> BoxedStrategy<Vec<u8>> {
        let scalar = prop_oneof![
            literal(&[
                "null", "true", "false", "0", "-0", "1e5", "2.5E-3", "01", "1.", "-", "-1e999",
                "1e999", "nul", "True",
            ]),
            string_literal(),
        ];
        scalar
            .prop_recursive(4, 24, 4, |inner| {
                prop_oneof![
                    vec(inner.clone(), 0..4).prop_map(array),
                    vec((key(), inner), 0..4).prop_map(object),
                ]
            })
            .boxed()
    }

    fn nullable_string() -> BoxedStrategy<Vec<u8>> {
        prop_oneof![1 => Just(b"null".to_vec()), 3 => string_literal()].boxed()
    }

    /// A record of one string field (`hardware`, a domain): mostly well
    /// formed, as an object or by position.
    fn single(field: &'static str) -> BoxedStrategy<Vec<u8>> {
        let member = prop_oneof![
            3 => nullable_string().prop_map(move |v| (quoted(field), v)),
            1 => (key(), value()),
        ];
        prop_oneof![
            3 => vec(member, 0..3).prop_map(object),
            1 => vec(nullable_string(), 0..3).prop_map(array),
            1 => value(),
        ]
        .boxed()
    }

    /// A member: mostly a wanted key with a value of its type.
    fn member() -> BoxedStrategy<(Vec<u8>, Vec<u8>)> {
        let named = |names: &'static [&'static str], value: BoxedStrategy<Vec<u8>>| {
            (select(names).prop_map(quoted), value)
        };
        prop_oneof![
            named(
                &[
                    "emoji",
                    "title",
                    "duplicated_from",
                    "duplicatedFrom",
                    "short_description",
                    "shortDescription",
                ],
                nullable_string()
            ),
            named(&["stage"], nullable_string()),
            named(
                &["pinned", "devMode", "dev_mode"],
                literal(&["null", "true", "false"])
            ),
            named(
                &["license"],
                prop_oneof![
                    nullable_string(),
                    vec(nullable_string(), 0..3).prop_map(array)
                ]
                .boxed()
            ),
            named(
                &["hardware"],
                prop_oneof![Just(b"null".to_vec()), single("current")].boxed()
            ),
            named(
                &["domains"],
                prop_oneof![
                    Just(b"null".to_vec()),
                    vec(single("domain"), 0..3).prop_map(array)
                ]
                .boxed()
            ),
            (key(), value()),
        ]
        .boxed()
    }

    /// tests/fuzz.rs's fragments, and bytes that are not text.
    fn fragment() -> BoxedStrategy<Vec<u8>> {
        prop_oneof![
            literal(&[
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "null",
                "true",
                "-1e999",
                "\"\\u0000\"",
                "\"\\ud800\"",
                "<img src=x onerror=alert(1)>",
                " ",
                "\n",
                "\x0c",
            ]),
            select(KEYS).prop_map(quoted),
            "[ -~]{0,12}".prop_map(|s| format!("{s:?}").into_bytes()),
            Just(b"\xff".to_vec()),
        ]
        .boxed()
    }

    fn fragments() -> BoxedStrategy<Vec<u8>> {
        vec(fragment(), 0..24)
            .prop_map(|parts| parts.concat())
            .boxed()
    }

    #[derive(Debug, Clone)]
    enum Change {
        Keep,
        Insert(Index, Vec<u8>),
        Remove(Index),
        Cut(Index),
        /// A comma before a closing bracket.
        TrailingComma(Index),
    }

    /// A record's object, perhaps with one change that may spoil it, and
    /// ASCII whitespace around.
    fn record_text() -> BoxedStrategy<Vec<u8>> {
        let change = prop_oneof![
            6 => Just(Change::Keep),
            1 => (any::<Index>(), fragment()).prop_map(|(at, f)| Change::Insert(at, f)),
            1 => any::<Index>().prop_map(Change::Remove),
            1 => any::<Index>().prop_map(Change::Cut),
            1 => any::<Index>().prop_map(Change::TrailingComma),
        ];
        let space = || literal(&["", "", "", " ", "\n\t", "\r\n", "\x0c"]);
        (
            vec(member(), 0..6).prop_map(object),
            change,
            space(),
            space(),
        )
            .prop_map(|(mut text, change, before, after)| {
                match change {
                    Change::Keep => {}
                    Change::Insert(at, f) => {
                        let at = at.index(text.len() + 1);
                        text.splice(at..at, f);
                    }
                    Change::Remove(at) => {
                        text.remove(at.index(text.len()));
                    }
                    Change::Cut(at) => text.truncate(at.index(text.len())),
                    Change::TrailingComma(at) => {
                        let closing: Vec<usize> = (0..text.len())
                            .filter(|&i| matches!(text[i], b'}' | b']'))
                            .collect();
                        let at = closing[at.index(closing.len())];
                        text.insert(at, b',');
                    }
                }
                [before, text, after].concat()
            })
            .boxed()
    }

    fn row() -> BoxedStrategy<Option<Vec<u8>>> {
        prop_oneof![
            1 => Just(None),
            1 => literal(&["", "  ", "null", " null\n", "{}"]).prop_map(Some),
            2 => fragments().prop_map(Some),
            6 => record_text().prop_map(Some),
        ]
        .boxed()
    }

    fn serde_is_object(text: &[u8]) -> bool {
        serde_json::from_slice::<serde_json::Value>(text).is_ok_and(|v| v.is_object())
    }

    /// The generators reach both outcomes often: records serde reads (with
    /// fields), and rows it refuses. Otherwise the properties below would
    /// prove little.
    #[test]
    fn rows_are_often_read_and_often_refused() {
        let mut runner = TestRunner::deterministic();
        let strategy = row();
        let (mut read, mut refused) = ([0; 2], [0; 2]);
        for _ in 0..2000 {
            let Some(text) = strategy.new_tree(&mut runner).unwrap().current() else {
                continue;
            };
            for (k, kind) in [JsonRecord::Card, JsonRecord::Runtime]
                .into_iter()
                .enumerate()
            {
                let column: arrow_array::ArrayRef =
                    std::sync::Arc::new(arrow_array::BinaryArray::from(vec![Some(&text[..])]));
                let (columns, bad) = super::reference::parse_json(&column, kind);
                if bad == 1 {
                    refused[k] += 1;
                } else if columns.iter().any(|(_, c)| c.null_count() == 0) {
                    read[k] += 1;
                }
            }
        }
        // About a tenth of the rows are read with fields, half refused.
        assert!(read.iter().all(|&n| n > 100), "read {read:?}");
        assert!(refused.iter().all(|&n| n > 200), "refused {refused:?}");
    }

    proptest! {
        #![proptest_config(Config {
            cases: 512,
            failure_persistence: None,
            ..Config::default()
        })]

        #[test]
        fn records_read_as_serde_reads_them(rows in vec(row(), 1..24)) {
            let rows: Vec<Option<&[u8]>> = rows.iter().map(Option::as_deref).collect();
            for kind in [JsonRecord::Card, JsonRecord::Runtime] {
                let agree = compare(&rows, kind);
                prop_assert!(agree.is_ok(), "{}", agree.unwrap_err());
            }
        }

        #[test]
        fn objects_are_whole_values_as_for_serde_json(
            text in prop_oneof![record_text(), fragments(), value()],
        ) {
            prop_assert_eq!(is_object(&text), serde_is_object(&text));
        }
    }
}
