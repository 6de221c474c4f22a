//! The same synthetic Spaces in the Hub API record's shape, as the daily
//! snapshot (`cfahlgren1/hub-stats`) stores them: camelCase dates,
//! `runtime` and `cardData` as structs or JSON text, the API's other
//! fields (`_id`, `sha`, `private`, …) beside them. For benchmarks and the
//! refresh command's tests.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
};
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde_json::json;

use super::{bools, lists, text, times, SpaceRow};

/// Which of the Hub API's physical shapes to write.
#[derive(Debug, Clone, Copy, Default)]
pub struct HubShape {
    /// `runtime` as JSON text instead of a struct.
    pub runtime_json: bool,
    /// `cardData` as JSON text instead of a struct.
    pub card_json: bool,
}

/// The README title and short description a generated Space gets.
pub fn title_of(row: &SpaceRow) -> String {
    let name = row.id.split_once('/').map_or(row.id.as_str(), |(_, n)| n);
    name.replace('-', " ")
}

pub fn description_of(row: &SpaceRow) -> String {
    format!("A {} demo", row.sdk.as_deref().unwrap_or("static"))
}

/// The daily snapshot writer's compression.
pub fn snapshot_compression() -> Compression {
    Compression::ZSTD(ZstdLevel::try_new(3).expect("level"))
}

/// The daily snapshot writer's row group size.
pub const SNAPSHOT_ROW_GROUP_ROWS: usize = 128 * 1024;

/// `rows` as a Hub-API-shaped Parquet file (zstd, 128k-row groups, as
/// the daily snapshot's writer does).
pub fn write_hub_parquet(rows: &[SpaceRow], shape: HubShape) -> Vec<u8> {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut add = |name: &str, array: ArrayRef| {
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    };
    add("_id", text::<i32>(rows.iter().map(|r| Some(r.id.as_str()))));
    add("id", text::<i32>(rows.iter().map(|r| Some(r.id.as_str()))));
    add(
        "author",
        text::<i32>(rows.iter().map(|r| r.author.as_deref())),
    );
    add(
        "createdAt",
        times(rows.iter().map(|r| r.created_at), TimeUnit::Microsecond),
    );
    add(
        "lastModified",
        times(rows.iter().map(|r| r.last_modified), TimeUnit::Microsecond),
    );
    let mut likes = Int64Builder::new();
    rows.iter().for_each(|r| likes.append_value(r.likes));
    add("likes", Arc::new(likes.finish()));
    add("sdk", text::<i32>(rows.iter().map(|r| r.sdk.as_deref())));
    add("tags", lists::<i32>(rows.iter().map(|r| r.tags.as_ref())));
    add(
        "models",
        lists::<i32>(rows.iter().map(|r| r.models.as_ref())),
    );
    add(
        "datasets",
        lists::<i32>(rows.iter().map(|r| r.datasets.as_ref())),
    );
    // The API's other fields: the app never reads them, but they are most of
    // the snapshot's bytes (every file of every Space is listed).
    let shas: Vec<String> = (0..rows.len()).map(sha_of).collect();
    add("sha", text::<i32>(shas.iter().map(|s| Some(s.as_str()))));
    add("private", bools(rows.iter().map(|_| Some(false))));
    add("disabled", bools(rows.iter().map(|_| Some(false))));
    add(
        "subdomain",
        text::<i32>(rows.iter().map(|r| Some(r.id.as_str()))),
    );
    let mut trending = Int64Builder::new();
    rows.iter()
        .for_each(|r| trending.append_value(r.likes / 100));
    add("trendingScore", Arc::new(trending.finish()));
    add("siblings", siblings(rows));
    add(
        "runtime",
        if shape.runtime_json {
            runtime_json(rows)
        } else {
            runtime_struct(rows)
        },
    );
    add(
        "cardData",
        if shape.card_json {
            card_json(rows)
        } else {
            card_struct(rows)
        },
    );
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).expect("columns agree");
    let props = WriterProperties::builder()
        .set_compression(snapshot_compression())
        .set_max_row_group_row_count(Some(SNAPSHOT_ROW_GROUP_ROWS))
        .build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).expect("schema");
    writer.write(&batch).expect("batch writes");
    writer.close().expect("file closes");
    out
}

/// A commit hash, different per row.
fn sha_of(row: usize) -> String {
    let mut state = (row as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..5)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("{:08x}", state as u32)
        })
        .collect()
}

/// The repository's files, as `siblings: [{rfilename}]`: 4 to 15 a Space.
fn siblings(rows: &[SpaceRow]) -> ArrayRef {
    const FILES: [&str; 15] = [
        ".gitattributes",
        "README.md",
        "app.py",
        "requirements.txt",
        "Dockerfile",
        "packages.txt",
        "examples/cat.jpg",
        "examples/dog.png",
        "model/config.json",
        "utils.py",
        "style.css",
        "static/index.html",
        "assets/logo.svg",
        "pre-requirements.txt",
        "LICENSE",
    ];
    let fields = Fields::from(vec![Field::new("rfilename", DataType::Utf8, true)]);
    let mut out = ListBuilder::new(StructBuilder::from_fields(fields, 0));
    for (i, _) in rows.iter().enumerate() {
        for file in &FILES[..4 + i % 12] {
            let item = out.values();
            item.field_builder::<StringBuilder>(0)
                .expect("rfilename")
                .append_value(file);
            item.append(true);
        }
        out.append(true);
    }
    Arc::new(out.finish())
}

fn domains_of(row: &SpaceRow) -> Vec<&str> {
    row.custom_domains
        .iter()
        .flatten()
        .flatten()
        .map(String::as_str)
        .collect()
}

fn runtime_json(rows: &[SpaceRow]) -> ArrayRef {
    let mut out = StringBuilder::new();
    for row in rows {
        let domains: Vec<_> = domains_of(row)
            .into_iter()
            .map(|d| json!({ "domain": d, "stage": "READY" }))
            .collect();
        let value = json!({
            "stage": row.stage,
            "hardware": { "current": row.hardware, "requested": row.hardware },
            "devMode": row.dev_mode,
            "domains": domains,
            "gcTimeout": 172800,
        });
        out.append_value(value.to_string());
    }
    Arc::new(out.finish())
}

fn runtime_struct(rows: &[SpaceRow]) -> ArrayRef {
    let hardware_fields = Fields::from(vec![
        Field::new("current", DataType::Utf8, true),
        Field::new("requested", DataType::Utf8, true),
    ]);
    let domain_fields = Fields::from(vec![
        Field::new("domain", DataType::Utf8, true),
        Field::new("stage", DataType::Utf8, true),
    ]);
    let mut stage = StringBuilder::new();
    let mut current = StringBuilder::new();
    let mut requested = StringBuilder::new();
    let mut dev_mode = BooleanBuilder::new();
    let mut domains = ListBuilder::new(StructBuilder::from_fields(domain_fields.clone(), 0));
    for row in rows {
        stage.append_option(row.stage.as_deref());
        current.append_option(row.hardware.as_deref());
        requested.append_option(row.hardware.as_deref());
        dev_mode.append_option(row.dev_mode);
        for domain in domains_of(row) {
            let item = domains.values();
            item.field_builder::<StringBuilder>(0)
                .expect("domain")
                .append_value(domain);
            item.field_builder::<StringBuilder>(1)
                .expect("stage")
                .append_value("READY");
            item.append(true);
        }
        domains.append(true);
    }
    let hardware = StructArray::new(
        hardware_fields.clone(),
        vec![Arc::new(current.finish()), Arc::new(requested.finish())],
        None,
    );
    let domains = domains.finish();
    Arc::new(StructArray::new(
        Fields::from(vec![
            Field::new("stage", DataType::Utf8, true),
            Field::new("hardware", DataType::Struct(hardware_fields), true),
            Field::new("devMode", DataType::Boolean, true),
            Field::new("domains", domains.data_type().clone(), true),
        ]),
        vec![
            Arc::new(stage.finish()),
            Arc::new(hardware),
            Arc::new(dev_mode.finish()),
            Arc::new(domains),
        ],
        None,
    ))
}

fn license_of(row: &SpaceRow) -> Option<&str> {
    row.license
        .iter()
        .flatten()
        .flatten()
        .next()
        .map(String::as_str)
}

fn card_json(rows: &[SpaceRow]) -> ArrayRef {
    let mut out = StringBuilder::new();
    for row in rows {
        let value = json!({
            "title": title_of(row),
            "emoji": row.emoji,
            "colorFrom": "yellow",
            "colorTo": "indigo",
            "sdk": row.sdk,
            "license": license_of(row),
            "pinned": row.pinned,
            "short_description": description_of(row),
            "duplicated_from": row.duplicated_from,
        });
        out.append_value(value.to_string());
    }
    Arc::new(out.finish())
}

fn card_struct(rows: &[SpaceRow]) -> ArrayRef {
    let strings = |f: &dyn Fn(&SpaceRow) -> Option<String>| -> ArrayRef {
        let mut out = StringBuilder::new();
        rows.iter().for_each(|r| out.append_option(f(r)));
        Arc::new(out.finish())
    };
    let mut pinned = BooleanBuilder::new();
    rows.iter().for_each(|r| pinned.append_option(r.pinned));
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("title", strings(&|r| Some(title_of(r)))),
        ("emoji", strings(&|r| r.emoji.clone())),
        ("sdk", strings(&|r| r.sdk.clone())),
        ("license", strings(&|r| license_of(r).map(str::to_string))),
        ("pinned", Arc::new(pinned.finish())),
        ("short_description", strings(&|r| Some(description_of(r)))),
        ("duplicated_from", strings(&|r| r.duplicated_from.clone())),
    ];
    let fields: Fields = columns
        .iter()
        .map(|(name, array)| Field::new(*name, array.data_type().clone(), true))
        .collect();
    Arc::new(StructArray::new(
        fields,
        columns.into_iter().map(|(_, a)| a).collect(),
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::decode_spaces;
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    #[test]
    fn every_hub_shape_decodes_to_the_upstream_table_plus_titles() {
        let rows = generate_spaces(3_000, 11);
        let (upstream, _) =
            decode_spaces(write_parquet(&rows, &WriteOptions::default()).into()).unwrap();
        for (runtime_json, card_json) in
            [(false, false), (false, true), (true, true), (true, false)]
        {
            let bytes = write_hub_parquet(
                &rows,
                HubShape {
                    runtime_json,
                    card_json,
                },
            );
            let (hub, report) = decode_spaces(bytes.into()).unwrap();
            assert!(report.warnings().is_empty(), "{:?}", report.warnings());
            let what = format!("runtime json {runtime_json}, card json {card_json}");
            assert_eq!(hub.len(), upstream.len(), "{what}");
            for (r, row) in rows.iter().enumerate() {
                assert_eq!(hub.id(r), upstream.id(r), "{what}");
                assert_eq!(hub.stage.get(r), upstream.stage.get(r), "{what} row {r}");
                assert_eq!(
                    hub.hardware.get(r),
                    upstream.hardware.get(r),
                    "{what} row {r}"
                );
                assert_eq!(hub.dev_mode[r], upstream.dev_mode[r], "{what} row {r}");
                assert_eq!(hub.emoji.get(r), upstream.emoji.get(r), "{what} row {r}");
                assert_eq!(hub.pinned[r], upstream.pinned[r], "{what} row {r}");
                assert_eq!(
                    hub.duplicated_from.get(r),
                    upstream.duplicated_from.get(r),
                    "{what} row {r}"
                );
                assert_eq!(hub.created_at[r], upstream.created_at[r], "{what} row {r}");
                assert!(
                    hub.custom_domains
                        .row_values(r)
                        .eq(upstream.custom_domains.row_values(r)),
                    "{what} row {r}"
                );
                assert_eq!(hub.title(r), title_of(row), "{what} row {r}");
            }
        }
    }
}
