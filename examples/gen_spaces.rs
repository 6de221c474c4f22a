//! Writes a synthetic Spaces file:
//! `cargo run --release --example gen_spaces -- ROWS OUT.parquet [SEED] [--hub | --hub-json | --hub-struct | --snapshot-writer]`.
//! Deterministic by seed. By default written like upstream (pandas/pyarrow:
//! snappy, dictionaries, ns timestamps, one row group per million rows);
//! `--hub` writes the same Spaces in the Hub API's daily-snapshot shape
//! (`runtime` a struct, `cardData` JSON text), `--hub-json` with both as
//! JSON text, `--hub-struct` with both as structs; `--snapshot-writer`
//! writes upstream's shape with the snapshot writer's settings (zstd,
//! 128k-row groups, µs times), the fair baseline for the Hub shapes.

use spaces_ship::synth::hub::{write_hub_parquet, HubShape};
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

fn main() {
    let (flags, args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let (Some(rows), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen_spaces ROWS OUT.parquet [SEED] [--hub | --hub-json | --hub-struct | --snapshot-writer]");
        std::process::exit(2);
    };
    let rows: usize = rows.parse().expect("ROWS is a whole number");
    let seed: u64 = args
        .get(2)
        .map_or(42, |s| s.parse().expect("SEED is a whole number"));
    let spaces = generate_spaces(rows, seed);
    let bytes = match flags.first().map(String::as_str) {
        None => write_parquet(&spaces, &WriteOptions::default()),
        Some("--snapshot-writer") => write_parquet(&spaces, &WriteOptions::like_snapshot()),
        Some("--hub") => write_hub_parquet(
            &spaces,
            HubShape {
                runtime_json: false,
                card_json: true,
            },
        ),
        Some("--hub-json") => write_hub_parquet(
            &spaces,
            HubShape {
                runtime_json: true,
                card_json: true,
            },
        ),
        Some("--hub-struct") => write_hub_parquet(
            &spaces,
            HubShape {
                runtime_json: false,
                card_json: false,
            },
        ),
        Some(other) => {
            eprintln!("unknown flag {other}");
            std::process::exit(2);
        }
    };
    std::fs::write(out, &bytes).expect("output is writable");
    println!("wrote {rows} Spaces, {} bytes, to {out}", bytes.len());
}
