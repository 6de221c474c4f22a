//! Native decode speed: `cargo bench --bench decode`. The file is generated
//! in memory (300,000 upstream-shaped rows, seed 42) so the run needs no
//! download.

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use spaces_ship::data::decode_spaces;
use spaces_ship::overview::aggregate::Overview;
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

fn decode(c: &mut Criterion) {
    let rows = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    let bytes = Bytes::from(write_parquet(
        &generate_spaces(rows, 42),
        &WriteOptions::default(),
    ));
    eprintln!("file: {rows} rows, {} bytes", bytes.len());
    let mut group = c.benchmark_group("spaces");
    group.sample_size(10);
    group.bench_function(format!("decode_{rows}"), |b| {
        b.iter(|| decode_spaces(bytes.clone()).expect("decodes"))
    });
    let (table, _) = decode_spaces(bytes.clone()).unwrap();
    let all: Vec<u32> = (0..table.len() as u32).collect();
    group.bench_function(format!("overview_{rows}"), |b| {
        b.iter(|| Overview::compute(&table, &all))
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
