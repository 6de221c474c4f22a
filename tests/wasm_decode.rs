//! The decoder inside headless Chromium: the same answers as natively.
#![cfg(target_arch = "wasm32")]

use bytes::Bytes;
use spaces_ship::data::decode_spaces;
use spaces_ship::overview::aggregate::Overview;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EXPECTED: &str = include_str!("fixtures/spaces-5k.expected.json");

fn check(bytes: &'static [u8]) {
    let expected: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
    let (table, report) = decode_spaces(Bytes::from_static(bytes)).expect("decodes");
    assert!(report.missing.is_empty(), "{:?}", report.missing);
    let rows: Vec<u32> = (0..table.len() as u32).collect();
    let overview = Overview::compute(&table, &rows);
    assert_eq!(overview.rows, expected["rows"].as_u64().unwrap());
    assert_eq!(
        overview.likes_total,
        expected["likes_total"].as_u64().unwrap()
    );
    let counts = |v: &serde_json::Value| -> Vec<u64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p[1].as_u64().unwrap())
            .collect()
    };
    let ours = |r: &[(String, u64)]| -> Vec<u64> { r.iter().map(|p| p.1).collect() };
    assert_eq!(ours(&overview.sdk), counts(&expected["sdk"]));
    assert_eq!(overview.sdk[0].0, "gradio");
    assert_eq!(ours(&overview.hardware), counts(&expected["hardware"]));
    assert_eq!(ours(&overview.top_models), counts(&expected["top_models"]));
    assert_eq!(
        ours(&overview.authors_by_likes),
        counts(&expected["authors_by_likes"])
    );
    assert_eq!(ours(&overview.most_liked), counts(&expected["most_liked"]));
    assert_eq!(overview.most_liked[0].0, "user879/avatar-pdf-4226");
}

#[wasm_bindgen_test]
fn decodes_pandas_in_the_browser() {
    check(include_bytes!("fixtures/spaces-5k-pandas.parquet"));
}

#[wasm_bindgen_test]
fn decodes_polars_in_the_browser() {
    check(include_bytes!("fixtures/spaces-5k-polars.parquet"));
}

#[wasm_bindgen_test]
fn decodes_zstd_small_row_groups_in_the_browser() {
    check(include_bytes!("fixtures/spaces-5k-zstd-small-rg.parquet"));
}

#[wasm_bindgen_test]
fn decodes_duckdb_in_the_browser() {
    check(include_bytes!("fixtures/spaces-5k-duckdb.parquet"));
}
