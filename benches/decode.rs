//! Native decode speed: `cargo bench --bench decode`. The files are
//! generated in memory (300,000 rows by default, `BENCH_ROWS` to change;
//! seed 42) so the run needs no download: upstream's shape, and the same
//! Spaces written as the snapshot's writer writes (zstd, small row groups),
//! the same Spaces in the Hub API snapshot's shape (`runtime` a struct, `cardData`
//! JSON text, then a struct) and as the slim file the `refresh` command
//! writes.

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use spaces_ship::data::decode_spaces;
use spaces_ship::data::saved;
use spaces_ship::data::slim::write_slim;
use spaces_ship::overview::aggregate::Overview;
use spaces_ship::synth::hub::{write_hub_parquet, HubShape};
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

mod common;

fn decode(c: &mut Criterion) {
    let rows = common::bench_rows(300_000);
    let spaces = generate_spaces(rows, 42);
    let bytes = Bytes::from(write_parquet(&spaces, &WriteOptions::default()));
    eprintln!("file: {rows} rows, {} bytes", bytes.len());
    let mut group = c.benchmark_group("spaces");
    group.sample_size(10);
    group.bench_function(format!("decode_{rows}"), |b| {
        b.iter(|| decode_spaces(bytes.clone()).expect("decodes"))
    });
    // The same shape written as the snapshot is: the baseline that differs
    // from the Hub files only in shape.
    let like_snapshot = Bytes::from(write_parquet(&spaces, &WriteOptions::like_snapshot()));
    group.bench_function(format!("decode_snapshot_writer_{rows}"), |b| {
        b.iter(|| decode_spaces(like_snapshot.clone()).expect("decodes"))
    });
    drop(like_snapshot);
    let hub = Bytes::from(write_hub_parquet(
        &spaces,
        HubShape {
            runtime_json: false,
            card_json: true,
        },
    ));
    let hub_struct = Bytes::from(write_hub_parquet(
        &spaces,
        HubShape {
            runtime_json: false,
            card_json: false,
        },
    ));
    drop(spaces);
    eprintln!("file: hub shape, {} bytes", hub.len());
    group.bench_function(format!("decode_hub_{rows}"), |b| {
        b.iter(|| decode_spaces(hub.clone()).expect("decodes"))
    });
    eprintln!(
        "file: hub shape with struct cardData, {} bytes",
        hub_struct.len()
    );
    group.bench_function(format!("decode_hub_struct_{rows}"), |b| {
        b.iter(|| decode_spaces(hub_struct.clone()).expect("decodes"))
    });
    drop(hub_struct);
    let mut slim = Vec::new();
    let (hub_table, report) = decode_spaces(hub.clone()).unwrap();
    write_slim(&hub_table, "bench", &mut slim).expect("writes");
    // A revisit reads the table this browser saved instead of decoding.
    let copy = saved::save_to_vec(&hub_table, &report.warnings());
    drop(hub_table);
    eprintln!("saved copy of the hub shape: {} bytes", copy.len());
    group.bench_function(format!("restore_saved_hub_{rows}"), |b| {
        b.iter(|| saved::restore(&mut copy.as_slice()).expect("restores"))
    });
    drop(copy);
    let slim = Bytes::from(slim);
    eprintln!("file: slim, {} bytes", slim.len());
    group.bench_function(format!("decode_slim_{rows}"), |b| {
        b.iter(|| decode_spaces(slim.clone()).expect("decodes"))
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
