//! Writes the bad-input fixtures the tests use into `tests/fixtures`:
//! `cargo run --release --example gen_fixtures`. `tests/bad_inputs.rs`
//! checks that the files there still match what this writes (the bombs,
//! slow to write, are checked by what they decode to instead).

use spaces_ship::synth::bad_inputs::{
    dictionary_bomb_parquet, expected_answers, extreme_likes_parquet, far_date_cases,
    far_dates_parquet, hostile_spaces, invalid_utf8_parquet, list_bomb_parquet, long_id_parquet,
    lying_num_rows_parquet, lying_page_header_parquet, models_table_parquet,
    unsigned_likes_parquet,
};
use spaces_ship::synth::{write_parquet, WriteOptions};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let rows = hostile_spaces();
    let mut files = vec![
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
        ("invalid-utf8.parquet", invalid_utf8_parquet()),
        ("likes-extreme.parquet", extreme_likes_parquet()),
        ("likes-uint64.parquet", unsigned_likes_parquet()),
        ("lying-num-rows.parquet", lying_num_rows_parquet()),
        ("lying-page-header.parquet", lying_page_header_parquet()),
        ("bomb-list.parquet", list_bomb_parquet()),
        ("bomb-dictionary.parquet", dictionary_bomb_parquet()),
        // A page inflating to 1.5 GB: writing it takes about 5 GB of memory.
        ("bomb-zstd.parquet", long_id_parquet(1_500_000_000)),
        ("id-50mb.parquet", long_id_parquet(50_000_000)),
    ];
    for (name, created, modified) in far_date_cases() {
        files.push((name, far_dates_parquet(created, modified)));
    }
    for (name, bytes) in files {
        std::fs::write(dir.join(name), &bytes).expect("tests/fixtures is writable");
        println!("wrote {name} ({} bytes)", bytes.len());
    }
}
