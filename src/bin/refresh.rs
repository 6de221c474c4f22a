//! Turns a snapshot of Spaces (upstream's file, or the Hub API's daily
//! `spaces.parquet` in any shape the app's decoder reads) into the slim
//! file the app loads fastest:
//!
//! `cargo run --release --bin refresh -- IN OUT [--source NAME]`
//!
//! It decodes with the app's own decoder (so the two cannot disagree on
//! the schema), prints what it repaired, and writes
//! `spaces_ship::data::slim`'s file. `--source` names the snapshot in the
//! file's metadata (default: IN's file name).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::time::Instant;

    let mut args = std::env::args().skip(1);
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        eprintln!("usage: refresh IN OUT [--source NAME]");
        std::process::exit(2);
    };
    let mut source = std::path::Path::new(&input)
        .file_name()
        .map_or(input.clone(), |n| n.to_string_lossy().into_owned());
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--source", Some(name)) => source = name,
            _ => {
                eprintln!("usage: refresh IN OUT [--source NAME]");
                std::process::exit(2);
            }
        }
    }
    let started = Instant::now();
    let bytes =
        std::fs::read(&input).unwrap_or_else(|e| fail(&format!("cannot read {input}: {e}")));
    let read_bytes = bytes.len();
    let (table, report) = spaces_ship::data::decode_spaces(bytes.into())
        .unwrap_or_else(|e| fail(&format!("{input}: {e}")));
    let decoded = started.elapsed();
    for warning in report.warnings() {
        eprintln!("note: {warning}");
    }
    let file = std::fs::File::create(&output)
        .unwrap_or_else(|e| fail(&format!("cannot create {output}: {e}")));
    let mut writer = std::io::BufWriter::new(file);
    spaces_ship::data::slim::write_slim(&table, &source, &mut writer)
        .unwrap_or_else(|e| fail(&format!("writing {output}: {e}")));
    drop(writer);
    let written = std::fs::metadata(&output).map_or(0, |m| m.len());
    println!(
        "{} Spaces: {} read in {:.1} s, {} written in {:.1} s ({:.0}% of the input)",
        spaces_ship::format::count(table.len() as u64),
        spaces_ship::format::bytes(read_bytes as u64),
        decoded.as_secs_f64(),
        spaces_ship::format::bytes(written),
        (started.elapsed() - decoded).as_secs_f64(),
        written as f64 * 100.0 / read_bytes.max(1) as f64
    );
}

#[cfg(not(target_arch = "wasm32"))]
fn fail(message: &str) -> ! {
    eprintln!("refresh: {message}");
    std::process::exit(1);
}

#[cfg(target_arch = "wasm32")]
fn main() {}
