//! Every writer variant of the 5,000-row fixture decodes to the answers
//! pandas computed (tests/fixtures/spaces-5k.expected.json).
// Native only: these read files and use proptest, which the browser build lacks.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use bytes::Bytes;
use serde_json::Value;
use spaces_ship::data::sparse::SparseFile;
use spaces_ship::data::{
    decode_apart_handing_on_prose, decode_beside_apart, decode_spaces, put_apart, Prose, ProseSize,
    SpacesDecoder, SpacesTable, APART_MIN_ROWS, DECODE_BATCH_ROWS,
};
use spaces_ship::overview::aggregate::Overview;
use spaces_ship::synth::hub::{write_hub_parquet, HubShape};
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

const VARIANTS: &[&str] = &[
    "spaces-5k-pandas.parquet",
    "spaces-5k-pandas3.parquet",
    "spaces-5k-license-list.parquet",
    "spaces-5k-zstd-small-rg.parquet",
    "spaces-5k-duckdb.parquet",
    "spaces-5k-polars.parquet",
    // The same rows in the Hub API record's shape (the daily snapshot):
    // runtime as a struct and cardData as JSON text, camelCase timestamps;
    // both as JSON text with ISO-string dates; both as structs with
    // snake_case timestamps.
    "spaces-5k-hub-api.parquet",
    "spaces-5k-hub-api-json.parquet",
    "spaces-5k-hub-api-struct.parquet",
];

fn fixture(name: &str) -> Bytes {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn expected() -> Value {
    serde_json::from_slice(&fixture("spaces-5k.expected.json")).expect("expected JSON parses")
}

fn decode(name: &str) -> SpacesTable {
    let (table, report) = decode_spaces(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        report.missing.is_empty(),
        "{name}: missing {:?}",
        report.missing
    );
    assert!(
        report.unreadable.is_empty(),
        "{name}: unreadable {:?}",
        report.unreadable
    );
    table
}

/// Counts must match in order; names only where a count is unique in the
/// expected list (pandas orders ties arbitrarily).
fn assert_ranked(what: &str, actual: &[(String, u64)], expected: &Value) {
    let expected: Vec<(String, u64)> = expected
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not a list"))
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().expect("label").to_string(),
                pair[1].as_u64().expect("count"),
            )
        })
        .collect();
    let actual_counts: Vec<u64> = actual.iter().map(|p| p.1).collect();
    let expected_counts: Vec<u64> = expected.iter().map(|p| p.1).collect();
    assert_eq!(actual_counts, expected_counts, "{what}: counts");
    for (i, (name, count)) in expected.iter().enumerate() {
        let unique = expected.iter().filter(|p| p.1 == *count).count() == 1;
        if unique {
            assert_eq!(&actual[i].0, name, "{what}: entry {i}");
        }
    }
}

fn rows_all(table: &SpacesTable) -> Vec<u32> {
    (0..table.len() as u32).collect()
}

fn check_against_pandas(name: &str, table: &SpacesTable) {
    let want = expected();
    let overview = Overview::compute(table, &rows_all(table));
    assert_eq!(
        overview.rows,
        want["rows"].as_u64().unwrap(),
        "{name}: rows"
    );
    assert_eq!(
        overview.likes_total,
        want["likes_total"].as_u64().unwrap(),
        "{name}: likes"
    );
    let running: Vec<u32> = rows_all(table)
        .into_iter()
        .filter(|&r| table.stage.get(r as usize) == Some("RUNNING"))
        .collect();
    assert_eq!(
        running.len() as u64,
        want["running_rows"].as_u64().unwrap(),
        "{name}"
    );
    let running_popular = running
        .iter()
        .filter(|&&r| table.likes[r as usize] >= 100)
        .count();
    assert_eq!(
        running_popular as u64,
        want["running_likes_ge_100"].as_u64().unwrap()
    );
    let dev_mode = (0..table.len())
        .filter(|&r| table.dev_mode(r) == Some(true))
        .count();
    assert_eq!(
        dev_mode as u64,
        want["dev_mode_true"].as_u64().unwrap(),
        "{name}: devMode"
    );

    let lists: [(&str, &[(String, u64)]); 15] = [
        ("sdk", &overview.sdk),
        ("emoji_top10", &overview.emoji),
        ("hardware", &overview.hardware),
        ("stage", &overview.stage),
        ("license", &overview.license),
        ("top_models", &overview.top_models),
        ("top_model_authors", &overview.top_model_authors),
        ("top_datasets", &overview.top_datasets),
        ("top_dataset_authors", &overview.top_dataset_authors),
        ("most_duplicated", &overview.most_duplicated),
        ("most_liked", &overview.most_liked),
        ("authors_by_spaces", &overview.authors_by_spaces),
        ("authors_by_likes", &overview.authors_by_likes),
        ("sdk", &overview.sdk),
        ("stage", &overview.stage),
    ];
    for (key, actual) in lists {
        assert_ranked(&format!("{name} {key}"), actual, &want[key]);
    }

    let months = want["created_per_month"].as_object().unwrap();
    let nonzero: Vec<(String, u64)> = overview
        .created_per_month
        .iter()
        .filter(|(_, n)| *n > 0)
        .cloned()
        .collect();
    let expected_months: Vec<(String, u64)> = months
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(nonzero, expected_months, "{name}: created per month");
}

#[test]
fn every_writer_variant_matches_pandas() {
    for name in VARIANTS {
        check_against_pandas(name, &decode(name));
    }
}

#[test]
fn every_writer_variant_decodes_to_the_same_table() {
    let reference = decode(VARIANTS[0]);
    assert_eq!(reference.len(), 5000);
    for name in &VARIANTS[1..] {
        let table = decode(name);
        assert_eq!(table.len(), reference.len(), "{name}");
        for row in 0..table.len() {
            assert_same_space(name, &table, &reference, row);
        }
    }
}

/// Row `row` of `table` holds the same Space as in `reference`, column by
/// column, by value (writers may number dictionary codes differently).
/// Title and description are left out: upstream's files have none.
fn assert_same_space(name: &str, table: &SpacesTable, reference: &SpacesTable, row: usize) {
    let at = format!("{name} row {row}");
    assert_eq!(table.id(row), reference.id(row), "{at}");
    let categories = |t: &SpacesTable| {
        [
            &t.author,
            &t.sdk,
            &t.duplicated_from,
            &t.emoji,
            &t.stage,
            &t.hardware,
        ]
        .map(|c| c.get(row).map(str::to_string))
    };
    assert_eq!(categories(table), categories(reference), "{at} categories");
    let lists = |t: &SpacesTable| {
        [
            &t.tags,
            &t.license,
            &t.models,
            &t.datasets,
            &t.custom_domains,
        ]
        .map(|c| c.row_values(row).map(str::to_string).collect::<Vec<_>>())
    };
    assert_eq!(lists(table), lists(reference), "{at} lists");
    assert_eq!(table.created_at[row], reference.created_at[row], "{at}");
    assert_eq!(
        table.last_modified[row], reference.last_modified[row],
        "{at}"
    );
    assert_eq!(table.likes[row], reference.likes[row], "{at}");
    assert_eq!(table.dev_mode[row], reference.dev_mode[row], "{at}");
    assert_eq!(table.pinned[row], reference.pinned[row], "{at}");
}

#[test]
fn first_rows_hold_the_values_pyarrow_reads() {
    // Read with pyarrow from spaces-5k-pandas.parquet when the fixture was copied.
    let table = decode("spaces-5k-pandas.parquet");
    assert_eq!(table.id(0), "user208/caption-qa-0");
    assert_eq!(table.author.get(0), Some("user208"));
    assert_eq!(table.created_at[0], 1_746_299_089_803);
    assert_eq!(table.sdk.get(0), Some("docker"));
    assert_eq!(
        table.tags.row_values(0).collect::<Vec<_>>(),
        [
            "docker",
            "submission:automatic",
            "submission:automatic",
            "region:us"
        ]
    );
    assert_eq!(table.emoji.get(0), Some("🐳"));
    assert_eq!(table.hardware.get(0), None);
    assert_eq!(
        table.models.row_values(1).collect::<Vec<_>>(),
        [
            "mistralai/stable-diffusion-xl-base-1.0",
            "stabilityai/stable-diffusion-xl-base-1.0"
        ]
    );
    assert_eq!(table.hardware.get(1), Some("zero-a10g"));
    assert_eq!(table.dev_mode(2), None);
    assert_eq!(table.license.row_values(2).count(), 0);
}

#[test]
fn hub_api_shapes_add_titles_and_descriptions_without_warnings() {
    let hub = [
        "spaces-5k-hub-api.parquet",
        "spaces-5k-hub-api-json.parquet",
        "spaces-5k-hub-api-struct.parquet",
    ];
    let (reference, report) = decode_spaces(fixture(hub[0])).unwrap();
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    let titled = (0..reference.len())
        .filter(|&r| !reference.title(r).is_empty())
        .count();
    assert!(titled > 4_000, "{titled} of 5,000 rows have a title");
    assert!((0..reference.len()).any(|r| !reference.description(r).is_empty()));
    for name in &hub[1..] {
        let (table, report) = decode_spaces(fixture(name)).unwrap();
        assert!(
            report.warnings().is_empty(),
            "{name}: {:?}",
            report.warnings()
        );
        for row in 0..table.len() {
            assert_same_space(name, &table, &reference, row);
            assert_eq!(table.title(row), reference.title(row), "{name} row {row}");
            assert_eq!(
                table.description(row),
                reference.description(row),
                "{name} row {row}"
            );
        }
    }
    // Upstream's file has neither column: empty, and no warning for it.
    let (upstream, report) = decode_spaces(fixture("spaces-5k-pandas.parquet")).unwrap();
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    assert!((0..upstream.len()).all(|r| upstream.title(r).is_empty()));
}

/// The engine decodes a front matter of JSON text in a second worker, beside
/// the rest: put together, the two give the table and the report one
/// decode gives, for every shape (and do split the two JSON-text ones).
#[test]
fn the_front_matter_decoded_apart_gives_the_same_table_and_report() {
    let mut apart = Vec::new();
    for name in VARIANTS {
        let whole = decode_spaces(fixture(name)).unwrap();
        let beside = decode_beside_apart(fixture(name)).unwrap();
        assert!(whole.0 == beside.0, "{name}: the tables differ");
        assert_eq!(whole.1, beside.1, "{name}");
        if SpacesDecoder::beside_apart(fixture(name))
            .unwrap()
            .leaves_apart()
        {
            apart.push(*name);
        }
    }
    assert_eq!(
        apart,
        [
            "spaces-5k-hub-api.parquet",
            "spaces-5k-hub-api-json.parquet"
        ]
    );
}

/// The second engine hands the titles and descriptions on in parts as it
/// decodes the front matter. Joined into columns sized once from the parts'
/// sizes, they and its other columns make the table and report one decode
/// gives, whatever the parts' size.
#[test]
fn titles_handed_on_in_parts_join_into_the_table_one_decode_gives() {
    let rows = 2 * DECODE_BATCH_ROWS + 1_000;
    let generated = Bytes::from(write_hub_parquet(
        &generate_spaces(rows, 11),
        HubShape {
            runtime_json: false,
            card_json: true,
        },
    ));
    // A part after each of its three batches and an empty last one; every
    // part that holds 2 MB; all in one.
    for (part_bytes, parts_made) in [(0, 4), (2 << 20, 2), (usize::MAX, 1)] {
        let parts = hand_on_and_join(&generated, part_bytes);
        assert_eq!(parts, parts_made, "parts of {part_bytes} B");
    }
    for name in [
        "spaces-5k-hub-api.parquet",
        "spaces-5k-hub-api-json.parquet",
    ] {
        hand_on_and_join(&fixture(name), 0);
    }
}

/// Decodes `bytes` as the engines do when the second hands its prose on in
/// parts of `part_bytes`, checks the table against one decode's, and gives
/// the number of parts.
fn hand_on_and_join(bytes: &Bytes, part_bytes: usize) -> usize {
    let whole = decode_spaces(bytes.clone()).unwrap();
    let file = SparseFile::whole(bytes.clone());
    let mut decoder = SpacesDecoder::whole_beside_apart(file.clone()).unwrap();
    assert!(decoder.leaves_apart());
    let apart_file = file.keep(decoder.deferred_ranges());
    while decoder.step().unwrap() {}
    let (mut table, mut report) = decoder.finish();
    let mut parts = Vec::new();
    let (columns, apart_report, told) =
        decode_apart_handing_on_prose(apart_file, part_bytes, |part| parts.push(part)).unwrap();
    assert_eq!(told, parts.len());
    assert!(columns.prose.is_none());
    let size = parts
        .iter()
        .map(Prose::size)
        .fold(ProseSize::default(), |sum, part| sum + part);
    assert_eq!(size.rows, whole.0.len() as u64);
    let mut prose = Prose::with_room(size).unwrap();
    let room = prose.heap_bytes();
    for part in &parts {
        prose.append(part);
    }
    assert_eq!(prose.heap_bytes(), room, "the parts made it grow");
    prose.compact();
    put_apart(&mut table, &mut report, (columns, apart_report)).unwrap();
    table.set_prose(prose).unwrap();
    assert!(
        table == whole.0,
        "parts of {part_bytes} B: the tables differ"
    );
    assert_eq!(report, whole.1);
    assert!(!table.title(0).is_empty());
    parts.len()
}

/// A large file of plain columns is split too: its authors and card columns
/// go to the second engine. From [`APART_MIN_ROWS`] rows on, not below, and
/// put together the halves give what one decode gives.
#[test]
fn a_large_plain_file_decoded_in_two_halves_gives_the_same_table_and_report() {
    let rows = APART_MIN_ROWS as usize;
    let spaces = generate_spaces(rows, 7);
    let large = Bytes::from(write_parquet(&spaces, &WriteOptions::default()));
    let smaller = Bytes::from(write_parquet(&spaces[1..], &WriteOptions::default()));
    let leaves_apart = |bytes: &Bytes| {
        SpacesDecoder::beside_apart(bytes.clone())
            .unwrap()
            .leaves_apart()
    };
    assert!(leaves_apart(&large));
    assert!(!leaves_apart(&smaller));
    let whole = decode_spaces(large.clone()).unwrap();
    let beside = decode_beside_apart(large).unwrap();
    assert_eq!(whole.0.len(), rows);
    assert!(whole.0.author.dictionary.len() > 1_000);
    assert!(whole.0 == beside.0, "the tables differ");
    assert_eq!(whole.1, beside.1);
}
