//! What the benches share: their size, and a table of generated Spaces.

use bytes::Bytes;
use spaces_ship::data::{decode_spaces, SpacesTable};
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

/// Rows to generate: `BENCH_ROWS`, else `default`.
pub fn bench_rows(default: usize) -> usize {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `rows` upstream-shaped Spaces (seed 42), written and decoded as the app
/// would hold them.
#[allow(dead_code)] // each bench uses what it needs of this module
pub fn decoded_table(rows: usize) -> SpacesTable {
    let bytes = Bytes::from(write_parquet(
        &generate_spaces(rows, 42),
        &WriteOptions::default(),
    ));
    decode_spaces(bytes).unwrap().0
}
