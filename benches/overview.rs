//! Native cost of the Overview's aggregates over a whole table: the top
//! card alone (the growth chart, which the first answer draws), the first
//! screen's cards, and every card.
//! `BENCH_ROWS=1000000 cargo bench --bench overview`.

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use spaces_ship::data::decode_spaces;
use spaces_ship::overview::aggregate::{Part, Parts};
use spaces_ship::overview::Overview;
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

fn overview(c: &mut Criterion) {
    let rows = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let bytes = Bytes::from(write_parquet(
        &generate_spaces(rows, 42),
        &WriteOptions::default(),
    ));
    let (table, _) = decode_spaces(bytes).unwrap();
    let all: Vec<u32> = (0..table.len() as u32).collect();
    let first_screen = [Part::Growth, Part::Sdk, Part::Emoji, Part::Hardware]
        .into_iter()
        .fold(Parts::NONE, |parts, part| parts.union(Parts::of(part)));
    let mut group = c.benchmark_group("overview");
    group.sample_size(20);
    for (name, parts) in [
        ("growth", Parts::of(Part::Growth)),
        ("first_screen", first_screen),
        ("every_card", Parts::ALL),
    ] {
        group.bench_function(format!("{name}_{rows}"), |b| {
            b.iter(|| Overview::compute_parts(&table, &all, parts).rows)
        });
    }
    group.finish();
}

criterion_group!(benches, overview);
criterion_main!(benches);
