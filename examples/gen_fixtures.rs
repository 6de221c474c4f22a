//! Writes the bad-input fixtures the tests use into `tests/fixtures`:
//! `cargo run --example gen_fixtures`. `tests/bad_inputs.rs` checks that the
//! files there still match what this writes.

use spaces_ship::bad_inputs::{expected_answers, hostile_spaces, models_table_parquet};
use spaces_ship::synth::{write_parquet, WriteOptions};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let rows = hostile_spaces();
    let files = [
        (
            "spaces-hostile.parquet",
            write_parquet(&rows, &WriteOptions::default()),
        ),
        (
            "spaces-hostile.expected.json",
            serde_json::to_vec_pretty(&expected_answers(&rows)).expect("json"),
        ),
        (
            "spaces-zero-rows.parquet",
            write_parquet(&[], &WriteOptions::default()),
        ),
        ("models-table.parquet", models_table_parquet()),
        // A codec the browser build leaves out (Cargo.toml).
        (
            "spaces-brotli.parquet",
            write_parquet(
                &rows,
                &WriteOptions {
                    compression: parquet::basic::Compression::BROTLI(Default::default()),
                    ..WriteOptions::default()
                },
            ),
        ),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), &bytes).expect("tests/fixtures is writable");
        println!("wrote {name} ({} bytes)", bytes.len());
    }
}
