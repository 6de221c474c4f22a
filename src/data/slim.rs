//! The slim file: a decoded table written back as the Parquet the browser
//! reads fastest. Upstream's column names plus `title` and
//! `short_description`; categorical text dictionary-encoded, ids and free
//! text plain; zstd; the columns the Overview needs first, the free text
//! last (one range fetch covers the first, the second waits for Search);
//! key-value metadata naming the source and the snapshot. Written by the
//! `refresh` command from a snapshot of any shape the decoder reads, so the
//! two share one schema mapping. Native only.
//!
//! Rows are sorted by id, so an author's Spaces sit together: the author
//! column becomes long runs of one code, and each id shares its prefix with
//! the one before (delta-encoded). Dates are delta-encoded too, in whole
//! seconds: the app shows days and sorts by date, and the milliseconds
//! cost 10 bits a date. Together this takes a third off what the first
//! visit downloads.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Int64Array, RecordBatch, TimestampSecondArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;

use super::column::{CategoryColumn, MultiColumn};
use super::table::{column_kind, ColumnKind, SpacesTable, KNOWN_COLUMNS, NULL_BOOL, NULL_TIME};
use super::time::format_date;

/// Rows per row group: a column's chunks stay few and large (one range
/// request each, merged with their neighbours), and a reader still decodes
/// in batches.
pub const SLIM_ROW_GROUP_ROWS: usize = 1 << 20;
/// Rows per Arrow batch handed to the writer: bounds the writer's memory.
const BATCH_ROWS: usize = 1 << 16;

/// zstd level: written once a day, read by every visit. Level 15 writes
/// 1.5 million Spaces in about 13 s (level 6: 6 s) and saves another 3%.
const ZSTD_LEVEL: i32 = 15;

/// Key-value metadata keys the slim file carries.
pub const SOURCE_KEY: &str = "spaces_ship.source";
pub const SNAPSHOT_KEY: &str = "spaces_ship.snapshot";

/// Writes `table` as the slim file, its columns in [`KNOWN_COLUMNS`]'s
/// order (free text last); `source` names where it came from.
pub fn write_slim(
    table: &SpacesTable,
    source: &str,
    out: impl Write + Send,
) -> parquet::errors::Result<()> {
    let sorted = table.reordered(&id_order(table));
    let table = &sorted;
    let schema = Arc::new(Schema::new(
        KNOWN_COLUMNS
            .iter()
            .map(|name| Field::new(*name, data_type(name), true))
            .collect::<Vec<_>>(),
    ));
    let snapshot = table
        .snapshot_time()
        .map(format_date)
        .unwrap_or_else(|| "unknown".into());
    let mut properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(ZSTD_LEVEL)?))
        .set_max_row_group_row_count(Some(SLIM_ROW_GROUP_ROWS))
        .set_key_value_metadata(Some(vec![
            KeyValue::new(SOURCE_KEY.into(), source.to_string()),
            KeyValue::new(SNAPSHOT_KEY.into(), snapshot),
        ]));
    // Categorical text shares a dictionary; ids and free text are unique.
    for name in KNOWN_COLUMNS {
        let dictionary = matches!(
            column_kind(name),
            Some(ColumnKind::Category | ColumnKind::Multi)
        );
        let path = ColumnPath::from(*name);
        properties = properties.set_column_dictionary_enabled(path.clone(), dictionary);
        let encoding = match column_kind(name) {
            Some(ColumnKind::Time) => Some(Encoding::DELTA_BINARY_PACKED),
            // Sorted ids share prefixes; prose does not gain from it.
            _ if *name == "id" => Some(Encoding::DELTA_BYTE_ARRAY),
            _ => None,
        };
        if let Some(encoding) = encoding {
            properties = properties.set_column_encoding(path, encoding);
        }
    }
    let mut writer = ArrowWriter::try_new(out, Arc::clone(&schema), Some(properties.build()))?;
    let mut start = 0;
    while start < table.len() {
        let rows = start..(start + BATCH_ROWS).min(table.len());
        let columns: Vec<ArrayRef> = KNOWN_COLUMNS
            .iter()
            .map(|name| column(table, name, rows.clone()))
            .collect();
        writer.write(&RecordBatch::try_new(Arc::clone(&schema), columns)?)?;
        start = rows.end;
    }
    writer.close()?;
    Ok(())
}

/// The rows in id order: the slim file's row order.
fn id_order(table: &SpacesTable) -> Vec<usize> {
    let mut order: Vec<usize> = (0..table.len()).collect();
    order.sort_by(|&a, &b| table.id(a).cmp(table.id(b)));
    order
}

fn data_type(name: &str) -> DataType {
    match column_kind(name) {
        Some(ColumnKind::Time) => DataType::Timestamp(TimeUnit::Second, Some("UTC".into())),
        Some(ColumnKind::Likes) => DataType::Int64,
        Some(ColumnKind::Flag) => DataType::Boolean,
        Some(ColumnKind::Multi) => {
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
        }
        Some(ColumnKind::Text | ColumnKind::Category) | None => DataType::Utf8,
    }
}

fn column(table: &SpacesTable, name: &str, rows: std::ops::Range<usize>) -> ArrayRef {
    let t = table;
    match name {
        "id" => text(|r| t.id(r), rows, false),
        "title" => text(|r| t.title(r), rows, true),
        "short_description" => text(|r| t.description(r), rows, true),
        "author" => category(&t.author, rows),
        "sdk" => category(&t.sdk, rows),
        "duplicated_from" => category(&t.duplicated_from, rows),
        "emoji" => category(&t.emoji, rows),
        "stage" => category(&t.stage, rows),
        "hardware" => category(&t.hardware, rows),
        "tags" => multi(&t.tags, rows),
        "license" => multi(&t.license, rows),
        "models" => multi(&t.models, rows),
        "datasets" => multi(&t.datasets, rows),
        "custom_domains" => multi(&t.custom_domains, rows),
        "created_at" => times(&t.created_at[rows]),
        "last_modified" => times(&t.last_modified[rows]),
        "likes" => Arc::new(Int64Array::from(t.likes[rows].to_vec())),
        "devMode" => bools(&t.dev_mode[rows]),
        "pinned" => bools(&t.pinned[rows]),
        other => unreachable!("no slim column {other}"),
    }
}

/// Free text: empty reads back as null, as the decoder keeps it.
fn text<'t>(
    value_of: impl Fn(usize) -> &'t str,
    rows: std::ops::Range<usize>,
    empty_is_null: bool,
) -> ArrayRef {
    let mut out = StringBuilder::new();
    for row in rows {
        let value = value_of(row);
        out.append_option((!empty_is_null || !value.is_empty()).then_some(value));
    }
    Arc::new(out.finish())
}

fn category(column: &CategoryColumn, rows: std::ops::Range<usize>) -> ArrayRef {
    let mut out = StringBuilder::new();
    for row in rows {
        out.append_option(column.get(row));
    }
    Arc::new(out.finish())
}

fn multi(column: &MultiColumn, rows: std::ops::Range<usize>) -> ArrayRef {
    let mut out = ListBuilder::new(StringBuilder::new());
    for row in rows {
        for value in column.row_values(row) {
            out.values().append_value(value);
        }
        out.append(true);
    }
    Arc::new(out.finish())
}

/// Whole seconds, rounded down (the decoder keeps no date before 1970).
fn times(values: &[i64]) -> ArrayRef {
    let array: TimestampSecondArray = values
        .iter()
        .map(|&t| (t != NULL_TIME).then(|| t.div_euclid(1000)))
        .collect();
    Arc::new(array.with_timezone("UTC"))
}

fn bools(values: &[u8]) -> ArrayRef {
    let mut out = BooleanBuilder::with_capacity(values.len());
    for &v in values {
        out.append_option((v != NULL_BOOL).then_some(v == 1));
    }
    Arc::new(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::decode_spaces;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn the_slim_file_decodes_to_the_same_table_with_its_source_named() {
        for name in ["spaces-5k-hub-api.parquet", "spaces-5k-pandas.parquet"] {
            let (table, _) = decode_spaces(fixture(name).into()).unwrap();
            let mut slim = Vec::new();
            write_slim(&table, name, &mut slim).unwrap();
            let (again, report) = decode_spaces(slim.clone().into()).unwrap();
            assert!(
                report.warnings().is_empty(),
                "{name}: {:?}",
                report.warnings()
            );
            let mut expected = table.reordered(&id_order(&table));
            for dates in [&mut expected.created_at, &mut expected.last_modified] {
                for t in dates.iter_mut().filter(|t| **t != NULL_TIME) {
                    *t -= t.rem_euclid(1000);
                }
            }
            assert_eq!(again, expected, "{name}");
            // Sorted by id, dates in seconds.
            assert!((1..again.len()).all(|r| again.id(r - 1) <= again.id(r)));
            let reader = SerializedFileReader::new(bytes::Bytes::from(slim)).unwrap();
            let kv = reader
                .metadata()
                .file_metadata()
                .key_value_metadata()
                .unwrap();
            let value = |key: &str| {
                kv.iter()
                    .find(|k| k.key == key)
                    .and_then(|k| k.value.clone())
            };
            assert_eq!(value(SOURCE_KEY).as_deref(), Some(name));
            assert_eq!(value(SNAPSHOT_KEY), table.snapshot_time().map(format_date));
            let columns = reader.metadata().row_group(0).columns();
            let dictionary = |column: &str| {
                columns
                    .iter()
                    .find(|c| c.column_path().string().starts_with(column))
                    .unwrap()
                    .dictionary_page_offset()
                    .is_some()
            };
            assert!(dictionary("author") && dictionary("sdk") && dictionary("tags"));
            assert!(!dictionary("id") && !dictionary("title"));
            assert!(columns
                .iter()
                .all(|c| matches!(c.compression(), Compression::ZSTD(_))));
        }
    }
}
