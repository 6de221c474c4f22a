//! Decodes a Parquet file of Spaces a few times and prints each time:
//! `cargo run --release --example decode_file -- FILE [RUNS]`. For profiling
//! (`perf record`) one shape at a time.

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: decode_file FILE [RUNS]");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let bytes = bytes::Bytes::from(std::fs::read(&path).expect("reads the file"));
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let (table, _) = spaces_ship::data::decode_spaces(bytes.clone()).expect("decodes");
        println!("{} rows in {:.3?}", table.len(), start.elapsed());
    }
}
