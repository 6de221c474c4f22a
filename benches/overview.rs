//! Native cost of the Overview's aggregates over a whole table: the top
//! card alone (the growth chart, which the first answer draws), the first
//! screen's cards, and every card.
//! `BENCH_ROWS=1000000 cargo bench --bench overview`.

use criterion::{criterion_group, criterion_main, Criterion};
use spaces_ship::overview::aggregate::{Part, Parts};
use spaces_ship::overview::Overview;

mod common;

fn overview(c: &mut Criterion) {
    let rows = common::bench_rows(1_000_000);
    let table = common::decoded_table(rows);
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
