//! The checked-in bad-input fixtures are what `examples/gen_fixtures.rs`
//! writes, and the app's decoder reads them as the spec says.
#![cfg(not(target_arch = "wasm32"))]

use bytes::Bytes;
use spaces_ship::bad_inputs::{expected_answers, hostile_spaces, SCRIPT_PAYLOADS};
use spaces_ship::data::decode_spaces;
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
