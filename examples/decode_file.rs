//! Decodes a Parquet file of Spaces a few times and prints each time:
//! `cargo run --release --example decode_file -- FILE [RUNS] [--split]`.
//! For profiling (`perf record`) one shape at a time. `--split` decodes as
//! the engine's workers do when it is split (`decodes_apart`): some columns
//! on a second thread beside the rest, and prints each part's time.

use spaces_ship::data::sparse::SparseFile;
use spaces_ship::data::SpacesDecoder;
use std::time::Instant;

fn main() {
    let (flags, args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let path = args
        .first()
        .expect("usage: decode_file FILE [RUNS] [--split]");
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let split = flags.iter().any(|f| f == "--split");
    let bytes = bytes::Bytes::from(std::fs::read(path).expect("reads the file"));
    for _ in 0..runs {
        let start = Instant::now();
        let rows = if split {
            decode_split(&bytes)
        } else {
            spaces_ship::data::decode_spaces(bytes.clone())
                .expect("decodes")
                .0
                .len()
        };
        println!("{rows} rows in {:.3?}", start.elapsed());
    }
}

/// The two decodes of [`SpacesDecoder::beside_apart`], on two threads.
fn decode_split(bytes: &bytes::Bytes) -> usize {
    let start = Instant::now();
    let mut main = SpacesDecoder::beside_apart(bytes.clone()).expect("opens");
    let card = main.leaves_apart().then(|| {
        let file = SparseFile::whole(bytes.clone()).keep(main.deferred_ranges());
        // Named, so that `perf report --sort comm` tells the two apart.
        let card = std::thread::Builder::new().name("front-matter".into());
        card.spawn(move || {
            let mut decoder = SpacesDecoder::for_apart(file).expect("opens");
            while decoder.step().expect("decodes") {}
            let finished = decoder.finish_apart();
            println!("  columns apart: {:.3?}", start.elapsed());
            finished
        })
        .expect("a thread starts")
    });
    while main.step().expect("decodes") {}
    let (mut table, mut report) = main.finish();
    println!("  the rest: {:.3?}", start.elapsed());
    if let Some(card) = card {
        let card = card.join().expect("the thread ends");
        spaces_ship::data::put_apart(&mut table, &mut report, card).expect("the rows agree");
    }
    table.len()
}
