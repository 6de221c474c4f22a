//! The checked-in bad-input fixtures are what `examples/gen_fixtures.rs`
//! writes, and the app's decoder reads them as the spec says.
#![cfg(not(target_arch = "wasm32"))]

use bytes::Bytes;
use spaces_ship::data::repair::{describe_instant, LAST_DATE_MS};
use spaces_ship::data::{decode_spaces, KNOWN_COLUMNS};
use spaces_ship::synth::bad_inputs::{
    expected_answers, extreme_likes_parquet, far_date_cases, far_dates_parquet, hostile_spaces,
    invalid_utf8_parquet, lying_num_rows_parquet, lying_page_header_parquet,
    unsigned_likes_parquet, SCRIPT_PAYLOADS,
};
use spaces_ship::synth::{write_parquet, WriteOptions};

fn fixture(name: &str) -> Bytes {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

#[test]
fn the_hostile_fixture_reads_back_as_written_and_its_answers_hold() {
    let rows = hostile_spaces();
    let (from_file, report) = decode_spaces(fixture("spaces-hostile.parquet")).unwrap();
    let (fresh, _) =
        decode_spaces(Bytes::from(write_parquet(&rows, &WriteOptions::default()))).unwrap();
    assert_eq!(
        from_file, fresh,
        "regenerate: cargo run --example gen_fixtures"
    );
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    // Every payload survives byte for byte as data.
    for payload in SCRIPT_PAYLOADS {
        let found = (0..from_file.len()).any(|r| from_file.ids.get(r).starts_with(payload));
        assert!(found, "{payload}");
    }
    assert!((0..from_file.len()).any(|r| from_file.ids.get(r).chars().count() > 5_000));
    let expected: serde_json::Value =
        serde_json::from_slice(&fixture("spaces-hostile.expected.json")).unwrap();
    assert_eq!(expected, expected_answers(&rows));
}

#[test]
fn zero_rows_and_a_models_table_decode_as_the_spec_says() {
    let (table, _) = decode_spaces(fixture("spaces-zero-rows.parquet")).unwrap();
    assert!(table.is_empty());
    let error = decode_spaces(fixture("models-table.parquet")).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("not a table of Hugging Face Spaces"),
        "{message}"
    );
    assert!(message.contains("downloads, pipeline_tag"), "{message}");
}

/// The Hub's daily models snapshot has `cardData` (with license, even an
/// emoji) but no SDK and no runtime: still not a table of Spaces.
#[test]
fn a_hub_models_snapshot_is_not_a_table_of_spaces() {
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("id", Arc::new(StringArray::from(vec!["org/model"]))),
        ("author", Arc::new(StringArray::from(vec!["org"]))),
        ("likes", Arc::new(Int64Array::from(vec![3]))),
        ("downloads", Arc::new(Int64Array::from(vec![1_000]))),
        (
            "pipeline_tag",
            Arc::new(StringArray::from(vec!["text-generation"])),
        ),
        (
            "cardData",
            Arc::new(StringArray::from(vec![r#"{"license":"mit","emoji":"🤗"}"#])),
        ),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let mut bytes = Vec::new();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let message = decode_spaces(Bytes::from(bytes)).unwrap_err().to_string();
    assert!(
        message.contains("not a table of Hugging Face Spaces"),
        "{message}"
    );
    assert!(message.contains("pipeline_tag"), "{message}");
}

/// Decodes a fixture, expecting the file to be refused: the message.
fn refused(name: &str) -> String {
    match decode_spaces(fixture(name)) {
        Ok((table, _)) => panic!("{name} decoded to {} rows", table.len()),
        Err(error) => error.to_string(),
    }
}

#[test]
fn bombs_are_refused_before_the_work_naming_what_was_too_big() {
    let list = refused("bomb-list.parquet");
    assert!(
        list.starts_with("This file is too big to decode safely in the browser: column `tags.list.item` holds 300,000,000 values for 100 rows"),
        "{list}"
    );
    let page = refused("bomb-zstd.parquet");
    assert!(
        page.contains(
            "a page of column `id` claims 1.5 GB uncompressed (a page may hold at most 268 MB)"
        ),
        "{page}"
    );
    let header = refused("lying-page-header.parquet");
    assert!(header.contains("claims 2.1 GB uncompressed"), "{header}");
    let dictionary = refused("bomb-dictionary.parquet");
    assert!(
        dictionary.contains("its ids add up to more than 68.4 MB for 5,000 rows"),
        "{dictionary}"
    );
}

#[test]
fn a_lying_footer_row_count_loads_the_rows_the_row_groups_hold() {
    let (table, report) = decode_spaces(fixture("lying-num-rows.parquet")).unwrap();
    assert_eq!(table.len(), 1_000);
    assert!(report.warnings().contains(
        &"The file's footer says it has 4,611,686,018,427,387,904 rows, but its row groups hold 1,000: those 1,000 were loaded.".to_string()
    ), "{:?}", report.warnings());
}

#[test]
fn far_off_dates_are_clamped_counted_and_named() {
    use spaces_ship::overview::aggregate::Overview;
    for (name, created, _) in far_date_cases() {
        let (table, report) = decode_spaces(fixture(name)).unwrap();
        assert_eq!(table.len(), 51, "{name}");
        let odd = (0..table.len())
            .find(|&r| table.id(r) == "far/future")
            .unwrap();
        let created_kept = table.created(odd).unwrap();
        assert!(
            (0..=LAST_DATE_MS).contains(&created_kept),
            "{name}: {created_kept}"
        );
        let warnings = report.warnings().join(" ");
        assert!(
            warnings.contains("1 date in `created_at` was outside 1970-01-01 to 2099-12-31"),
            "{name}: {warnings}"
        );
        assert!(
            warnings.contains(&describe_instant(created)),
            "{name}: {warnings}"
        );
        // The growth chart ends in 2099 at the latest, whatever the file said.
        let all: Vec<u32> = (0..table.len() as u32).collect();
        let overview = Overview::compute(&table, &all);
        assert!(overview.created_per_month.len() <= 1_560, "{name}");
        assert_eq!(
            overview.created_per_month.last().unwrap().0,
            "2099-12",
            "{name}"
        );
        assert_eq!(
            overview.created_per_month.iter().map(|m| m.1).sum::<u64>(),
            51
        );
    }
    let (_, report) = decode_spaces(fixture("dates-i64-extremes.parquet")).unwrap();
    let warnings = report.warnings().join(" ");
    assert!(
        warnings.contains("1 date in `last_modified` was outside"),
        "{warnings}"
    );
    assert!(warnings.contains("year 292,275,056 BC"), "{warnings}");
}

#[test]
fn invalid_utf8_is_replaced_in_every_text_column_and_counted() {
    let (table, report) = decode_spaces(fixture("invalid-utf8.parquet")).unwrap();
    assert_eq!(table.len(), 20);
    let replaced = "\u{FFFD}\u{FFFD}(\u{FFFD}\u{FFFD}ok";
    assert_eq!(table.id(19), format!("odd/{replaced}"));
    assert_eq!(table.author.get(19), Some(format!("a{replaced}").as_str()));
    assert_eq!(
        table.tags.row_values(19).collect::<Vec<_>>(),
        [format!("t{replaced}")]
    );
    let warnings = report.warnings();
    let not_text = ["created_at", "last_modified", "likes", "devMode", "pinned"];
    // Upstream-shaped: this file has no title or description column.
    let absent = ["title", "short_description"];
    for column in KNOWN_COLUMNS
        .iter()
        .filter(|c| !not_text.contains(c) && !absent.contains(c))
    {
        let sentence = format!(
            "1 value in `{column}` was not valid UTF-8: the bad bytes are shown as \u{FFFD}."
        );
        assert!(warnings.contains(&sentence), "{column}: {warnings:?}");
    }
}

#[test]
fn extreme_likes_saturate_and_sums_do_not_wrap() {
    use spaces_ship::data::repair::MAX_LIKES;
    use spaces_ship::overview::aggregate::Overview;
    let (table, report) = decode_spaces(fixture("likes-extreme.parquet")).unwrap();
    let all: Vec<u32> = (0..table.len() as u32).collect();
    let overview = Overview::compute(&table, &all);
    assert_eq!(
        overview.authors_by_likes[0],
        ("maxed".to_string(), 3 * MAX_LIKES as u64)
    );
    let negative = (0..table.len()).filter(|&r| table.author.get(r) == Some("negative"));
    assert!(negative.map(|r| table.likes[r]).all(|l| l == 0));
    let warnings = report.warnings().join(" ");
    assert!(
        warnings.contains(
            "5 like counts were outside 0 to 1,000,000,000 (the farthest: -9223372036854775808), clamped to that range."
        ),
        "{warnings}"
    );
    // The CSV shows what the page shows: numbers, never a guarded `'-…`.
    let csv = spaces_ship::export::to_csv(&table, &all);
    assert!(csv.starts_with('\u{FEFF}'));
    assert!(!csv.contains(",'-"), "{csv}");
    assert!(csv.contains(",1000000000,"), "{csv}");

    let (table, report) = decode_spaces(fixture("likes-uint64.parquet")).unwrap();
    assert_eq!(table.likes, vec![MAX_LIKES, 1, 0]);
    assert!(report
        .warnings()
        .join(" ")
        .contains("(the farthest: 18446744073709551615)"));
}

#[test]
fn a_50_mb_id_is_kept_cut_to_16_kib() {
    let (table, report) = decode_spaces(fixture("id-50mb.parquet")).unwrap();
    assert_eq!(table.len(), 50);
    assert_eq!(table.id(0).len(), 16 * 1024);
    assert!(
        report
            .warnings()
            .contains(&"1 value in `id` was longer than 16.4 kB, cut to that length.".to_string()),
        "{:?}",
        report.warnings()
    );
}

#[test]
fn the_small_odd_value_fixtures_match_the_generator() {
    let cases: Vec<(&str, Vec<u8>)> = [
        ("invalid-utf8.parquet", invalid_utf8_parquet()),
        ("likes-extreme.parquet", extreme_likes_parquet()),
        ("likes-uint64.parquet", unsigned_likes_parquet()),
        ("lying-num-rows.parquet", lying_num_rows_parquet()),
        ("lying-page-header.parquet", lying_page_header_parquet()),
    ]
    .into_iter()
    .chain(
        far_date_cases()
            .into_iter()
            .map(|(name, c, m)| (name, far_dates_parquet(c, m))),
    )
    .collect();
    for (name, bytes) in cases {
        assert!(
            fixture(name)[..] == bytes[..],
            "{name} differs: regenerate with cargo run --example gen_fixtures"
        );
    }
}

/// A file of ids and `created_at` as the given integer column.
fn integer_dates(created: arrow_array::ArrayRef) -> Bytes {
    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    let ids: ArrayRef = std::sync::Arc::new(StringArray::from_iter_values(
        (0..created.len()).map(|r| format!("o/s{r}")),
    ));
    let sdk: ArrayRef = std::sync::Arc::new(StringArray::from_iter_values(
        (0..created.len()).map(|_| "gradio"),
    ));
    let batch =
        RecordBatch::try_from_iter([("id", ids), ("sdk", sdk), ("created_at", created)]).unwrap();
    let mut out = Vec::new();
    let mut writer = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    Bytes::from(out)
}

#[test]
fn integer_dates_are_unix_time_of_the_unit_their_size_says_and_day_counts_are_refused() {
    use arrow_array::{Int32Array, Int64Array};
    // 2024-05-10T12:34:56Z and 2021-01-01T00:00:00Z, in seconds and in ms.
    let seconds = [1_715_344_496_i64, 1_609_459_200];
    for scale in [1, 1_000, 1_000_000] {
        let values: Vec<Option<i64>> = seconds
            .iter()
            .map(|s| Some(s * scale))
            .chain([None])
            .collect();
        let (table, report) =
            decode_spaces(integer_dates(std::sync::Arc::new(Int64Array::from(values)))).unwrap();
        assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
        assert_eq!(
            table.created_at,
            [
                1_715_344_496_000,
                1_609_459_200_000,
                spaces_ship::data::NULL_TIME
            ],
            "scale {scale}"
        );
    }
    // Days since 1970 are not seconds: said, not read as January 1970.
    let days = std::sync::Arc::new(Int32Array::from(vec![19_853, 18_628]));
    let (table, report) = decode_spaces(integer_dates(days)).unwrap();
    assert!(table.created(0).is_none());
    assert!(
        report
            .warnings()
            .iter()
            .any(|w| w.contains("created_at") && w.contains("too small to be dates")),
        "{:?}",
        report.warnings()
    );
}
