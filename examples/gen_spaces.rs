//! Writes a synthetic Spaces file:
//! `cargo run --release --example gen_spaces -- ROWS OUT.parquet [SEED] [--hub | --hub-json | --hub-struct | --snapshot-writer]`.
//! Deterministic by seed. By default written like upstream (pandas/pyarrow:
//! snappy, dictionaries, ns timestamps, one row group per million rows);
//! `--hub` writes the same Spaces in the Hub API's daily-snapshot shape
//! (`runtime` a struct, `cardData` JSON text), `--hub-json` with both as
//! JSON text, `--hub-struct` with both as structs; `--snapshot-writer`
//! writes upstream's shape with the snapshot writer's settings (zstd,
//! 128k-row groups, µs times), the fair baseline for the Hub shapes.
//! `--answers` also writes `OUT.expected.json`: a few answers counted
//! naively from the rows (the Spaces per author, emoji and duplicated
//! Space, most first, ties by name), for the end-to-end tests.

use spaces_ship::synth::hub::{write_hub_parquet, HubShape};
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

fn main() {
    let (flags, args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let (Some(rows), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen_spaces ROWS OUT.parquet [SEED] [--hub | --hub-json | --hub-struct | --snapshot-writer] [--answers]");
        std::process::exit(2);
    };
    let rows: usize = rows.parse().expect("ROWS is a whole number");
    let seed: u64 = args
        .get(2)
        .map_or(42, |s| s.parse().expect("SEED is a whole number"));
    let spaces = generate_spaces(rows, seed);
    let answers = flags.iter().any(|f| f == "--answers");
    let shape = flags.iter().find(|f| *f != "--answers");
    let bytes = match shape.map(String::as_str) {
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
    if answers {
        let counted = serde_json::json!({
            "rows": spaces.len(),
            "authors_by_spaces": top_twenty(spaces.iter().map(|s| s.author.as_deref())),
            "emoji": top_twenty(spaces.iter().map(|s| s.emoji.as_deref())),
            "most_duplicated": top_twenty(spaces.iter().map(|s| s.duplicated_from.as_deref())),
        });
        let path = format!("{out}.expected.json");
        std::fs::write(&path, counted.to_string()).expect("answers are writable");
    }
    println!("wrote {rows} Spaces, {} bytes, to {out}", bytes.len());
}

/// The twenty values (other than none or empty) most rows hold, each with
/// its count, most first, ties by name.
fn top_twenty<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for value in values.flatten().filter(|v| !v.is_empty()) {
        *counts.entry(value).or_default() += 1;
    }
    let mut counted: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(value, count)| (value.to_string(), count))
        .collect();
    counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counted.truncate(20);
    counted
}
