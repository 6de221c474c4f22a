//! Decode → table against a naive reference: random Spaces written with
//! random writer settings must read back exactly.
// Native only: these read files and use proptest, which the browser build lacks.
#![cfg(not(target_arch = "wasm32"))]

use arrow_schema::TimeUnit;
use bytes::Bytes;
use parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
use proptest::prelude::*;
use spaces_ship::data::repair::{FIRST_DATE_MS, LAST_DATE_MS, MAX_LIKES};
use spaces_ship::data::{decode_spaces, DecodeError, SpacesTable, KNOWN_COLUMNS};
use spaces_ship::synth::{generate_spaces, write_parquet, SpaceRow, WriteOptions};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}",
        Just(String::new()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("👩‍💻".to_string()),
        Just("\u{202e}rtl".to_string()),
        "\\PC{0,12}",
    ]
}

fn maybe_list() -> impl Strategy<Value = Option<Vec<Option<String>>>> {
    proptest::option::of(proptest::collection::vec(
        proptest::option::weighted(0.9, text()),
        0..4,
    ))
}

fn row() -> impl Strategy<Value = SpaceRow> {
    let times = proptest::option::of(-9_000_000_000_000i64..9_000_000_000_000);
    (
        (
            text(),
            proptest::option::of(text()),
            times.clone(),
            times,
            0i64..1_000_000,
        ),
        (
            proptest::option::of(text()),
            maybe_list(),
            maybe_list(),
            proptest::option::of(text()),
            maybe_list(),
            maybe_list(),
        ),
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            maybe_list(),
        ),
    )
        .prop_map(
            |(
                (id, author, created_at, last_modified, likes),
                (sdk, tags, license, duplicated_from, models, datasets),
                (emoji, stage, hardware, dev_mode, pinned, custom_domains),
            )| SpaceRow {
                id,
                author,
                created_at,
                last_modified,
                likes,
                sdk,
                tags,
                license,
                duplicated_from,
                models,
                datasets,
                emoji,
                stage,
                hardware,
                dev_mode,
                pinned,
                custom_domains,
            },
        )
}

fn options() -> impl Strategy<Value = WriteOptions> {
    let compression = prop_oneof![
        Just(Compression::UNCOMPRESSED),
        Just(Compression::SNAPPY),
        Just(Compression::GZIP(GzipLevel::default())),
        Just(Compression::ZSTD(ZstdLevel::default())),
        Just(Compression::LZ4_RAW),
        Just(Compression::BROTLI(BrotliLevel::default())),
    ];
    let unit = prop_oneof![
        Just(TimeUnit::Nanosecond),
        Just(TimeUnit::Microsecond),
        Just(TimeUnit::Millisecond)
    ];
    (
        compression,
        any::<bool>(),
        1usize..40,
        any::<bool>(),
        any::<bool>(),
        unit,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                compression,
                dictionary,
                row_group_rows,
                large_types,
                license_as_list,
                time_unit,
                page_v2,
                extra_columns,
            )| {
                WriteOptions {
                    compression,
                    dictionary,
                    row_group_rows,
                    large_types,
                    license_as_list,
                    time_unit,
                    page_v2,
                    omit: Vec::new(),
                    extra_columns,
                }
            },
        )
}

/// What the table must hold for a list cell: its non-null elements.
fn flat(list: &Option<Vec<Option<String>>>) -> Vec<String> {
    list.iter().flatten().flatten().cloned().collect()
}

fn assert_row_matches(table: &SpacesTable, r: usize, row: &SpaceRow, license_as_list: bool) {
    assert_eq!(table.id(r), row.id);
    assert_eq!(table.author.get(r), row.author.as_deref());
    // Far-off dates and odd like counts come back repaired (data::repair).
    let kept = |t: Option<i64>| t.map(|t| t.clamp(FIRST_DATE_MS, LAST_DATE_MS));
    assert_eq!(table.created(r), kept(row.created_at));
    assert_eq!(table.modified(r), kept(row.last_modified));
    assert_eq!(table.likes[r], row.likes.clamp(0, MAX_LIKES));
    assert_eq!(table.sdk.get(r), row.sdk.as_deref());
    assert_eq!(
        table.tags.row_values(r).collect::<Vec<_>>(),
        flat(&row.tags)
    );
    let license: Vec<String> = if license_as_list {
        flat(&row.license)
    } else {
        row.license
            .as_ref()
            .and_then(|l| l.first().cloned().flatten())
            .into_iter()
            .collect()
    };
    assert_eq!(table.license.row_values(r).collect::<Vec<_>>(), license);
    assert_eq!(table.duplicated_from.get(r), row.duplicated_from.as_deref());
    assert_eq!(
        table.models.row_values(r).collect::<Vec<_>>(),
        flat(&row.models)
    );
    assert_eq!(
        table.datasets.row_values(r).collect::<Vec<_>>(),
        flat(&row.datasets)
    );
    assert_eq!(table.emoji.get(r), row.emoji.as_deref());
    assert_eq!(table.stage.get(r), row.stage.as_deref());
    assert_eq!(table.hardware.get(r), row.hardware.as_deref());
    assert_eq!(table.dev_mode(r), row.dev_mode);
    assert_eq!(
        table.custom_domains.row_values(r).collect::<Vec<_>>(),
        flat(&row.custom_domains)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn decoded_table_equals_the_rows_written(
        rows in proptest::collection::vec(row(), 0..60),
        options in options(),
    ) {
        let bytes = write_parquet(&rows, &options);
        let (table, report) = decode_spaces(Bytes::from(bytes)).expect("decodes");
        prop_assert_eq!(table.len(), rows.len());
        prop_assert!(report.missing.is_empty());
        prop_assert!(report.unreadable.is_empty());
        prop_assert_eq!(report.ignored.is_empty(), !options.extra_columns);
        for (r, row) in rows.iter().enumerate() {
            assert_row_matches(&table, r, row, options.license_as_list);
        }
    }
}

#[test]
fn missing_columns_are_reported_and_read_as_empty() {
    let rows = generate_spaces(300, 7);
    let options = WriteOptions {
        omit: vec!["hardware", "models", "created_at", "devMode", "likes"],
        ..WriteOptions::default()
    };
    let (table, report) = decode_spaces(Bytes::from(write_parquet(&rows, &options))).unwrap();
    assert_eq!(table.len(), 300);
    assert_eq!(
        report.missing,
        ["created_at", "likes", "models", "hardware", "devMode"]
    );
    assert!(report.warnings()[0].contains("created_at, likes, models, hardware, devMode"));
    assert!((0..300).all(|r| table.hardware.get(r).is_none() && table.created(r).is_none()));
    assert!((0..300).all(|r| table.likes[r] == 0 && table.models.row_values(r).count() == 0));
    // What is there is still right.
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(table.id(r), row.id);
        assert_eq!(table.sdk.get(r), row.sdk.as_deref());
    }
}

#[test]
fn extra_columns_are_ignored_by_name() {
    let rows = generate_spaces(50, 3);
    let (_, report) =
        decode_spaces(Bytes::from(write_parquet(&rows, &WriteOptions::default()))).unwrap();
    assert_eq!(
        report.ignored,
        [
            "subdomain",
            "host",
            "readme_size",
            "python_version",
            "colorFrom",
            "colorTo"
        ]
    );
    assert!(report.warnings().is_empty());
    // Upstream's 17, plus title and short description (Hub API, slim file).
    assert_eq!(KNOWN_COLUMNS.len(), 19);
}

#[test]
fn a_file_without_id_is_the_wrong_schema() {
    let rows = generate_spaces(20, 1);
    let options = WriteOptions {
        omit: vec!["id"],
        ..WriteOptions::default()
    };
    let error = decode_spaces(Bytes::from(write_parquet(&rows, &options))).unwrap_err();
    let DecodeError::WrongSchema { found } = &error else {
        panic!("{error:?}")
    };
    assert!(found.starts_with("author, created_at"), "{found}");
    assert!(error
        .to_string()
        .contains("Expected `id` and at least one Space column"));
}

#[test]
fn a_table_with_id_but_no_space_columns_is_the_wrong_schema() {
    let rows = generate_spaces(20, 1);
    let options = WriteOptions {
        omit: vec!["sdk", "stage", "hardware", "emoji", "devMode"],
        ..WriteOptions::default()
    };
    let error = decode_spaces(Bytes::from(write_parquet(&rows, &options))).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("not a table of Hugging Face Spaces"),
        "{error}"
    );
    // One Space column is enough: the rest are reported as missing.
    let options = WriteOptions {
        omit: vec!["sdk", "stage", "hardware", "emoji"],
        ..WriteOptions::default()
    };
    let (table, report) = decode_spaces(Bytes::from(write_parquet(&rows, &options))).unwrap();
    assert_eq!(table.len(), 20);
    assert_eq!(report.missing, ["sdk", "emoji", "stage", "hardware"]);
}

#[test]
fn zero_rows_decode_to_an_empty_table() {
    let (table, report) =
        decode_spaces(Bytes::from(write_parquet(&[], &WriteOptions::default()))).unwrap();
    assert!(table.is_empty());
    assert_eq!(report.rows, 0);
}

#[test]
fn bad_bytes_give_clear_errors() {
    let good = write_parquet(&generate_spaces(200, 5), &WriteOptions::default());
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "empty"),
        (
            b"<!DOCTYPE html><html><body>Not found</body></html>".to_vec(),
            "HTML page",
        ),
        (b"{\"error\": \"gated\"}".to_vec(), "looks like JSON"),
        (
            b"hello world, this is text".to_vec(),
            "does not start with the Parquet marker",
        ),
        (
            good[..good.len() / 2].to_vec(),
            "download was probably cut short",
        ),
    ];
    for (bytes, expected) in cases {
        let message = decode_spaces(Bytes::from(bytes)).unwrap_err().to_string();
        assert!(message.contains(expected), "{message}");
    }
    // A damaged footer: right length and markers, garbage metadata.
    let mut damaged = good.clone();
    let footer_len = u32::from_le_bytes(
        damaged[damaged.len() - 8..damaged.len() - 4]
            .try_into()
            .unwrap(),
    ) as usize;
    let footer_start = damaged.len() - 8 - footer_len;
    for byte in &mut damaged[footer_start..footer_start + footer_len / 2] {
        *byte = 0xFF;
    }
    let message = decode_spaces(Bytes::from(damaged)).unwrap_err().to_string();
    assert!(message.contains("damaged or truncated"), "{message}");
}

#[test]
fn arbitrary_bytes_never_panic() {
    let good = write_parquet(&generate_spaces(100, 11), &WriteOptions::default());
    let mut rng = spaces_ship::synth::Rng::new(99);
    for _ in 0..300 {
        let mut bytes = good.clone();
        for _ in 0..1 + rng.below(8) {
            let at = rng.below(bytes.len() as u64) as usize;
            bytes[at] = rng.next_u64() as u8;
        }
        // Either a table or an error; a panic fails the test.
        let _ = decode_spaces(Bytes::from(bytes));
    }
}
