//! Writes a synthetic Spaces file in the upstream schema:
//! `cargo run --release --example gen_spaces -- ROWS OUT.parquet [SEED]`.
//! Deterministic by seed; written like upstream (pandas/pyarrow: snappy,
//! dictionaries, ns timestamps, one row group per million rows).

use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(rows), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen_spaces ROWS OUT.parquet [SEED]");
        std::process::exit(2);
    };
    let rows: usize = rows.parse().expect("ROWS is a whole number");
    let seed: u64 = args
        .get(2)
        .map_or(42, |s| s.parse().expect("SEED is a whole number"));
    let spaces = generate_spaces(rows, seed);
    let bytes = write_parquet(&spaces, &WriteOptions::default());
    std::fs::write(out, &bytes).expect("output is writable");
    println!("wrote {rows} Spaces, {} bytes, to {out}", bytes.len());
}
