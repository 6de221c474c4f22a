//! Prints a Parquet file's schema, row groups, key-value metadata and the
//! compressed bytes of each leaf column over all row groups:
//! `cargo run --example parquet_schema -- FILE`.

use parquet::file::reader::{FileReader, SerializedFileReader};

fn main() {
    let path = std::env::args().nth(1).expect("usage: parquet_schema FILE");
    let file = std::fs::File::open(&path).expect("open");
    let reader = SerializedFileReader::new(file).expect("a Parquet file");
    let meta = reader.metadata();
    let file_meta = meta.file_metadata();
    parquet::schema::printer::print_schema(&mut std::io::stdout(), file_meta.schema());
    println!(
        "rows {}, row groups {}, created by {:?}",
        file_meta.num_rows(),
        meta.num_row_groups(),
        file_meta.created_by()
    );
    for kv in file_meta.key_value_metadata().into_iter().flatten() {
        let value = kv.value.as_deref().unwrap_or("");
        println!("kv {} = {}", kv.key, &value[..value.len().min(200)]);
    }
    let mut sizes: Vec<(String, i64, i64)> = Vec::new();
    for group in meta.row_groups() {
        for (i, column) in group.columns().iter().enumerate() {
            if sizes.len() <= i {
                sizes.push((column.column_path().string(), 0, 0));
            }
            sizes[i].1 += column.compressed_size();
            sizes[i].2 += column.uncompressed_size();
        }
    }
    for (path, compressed, uncompressed) in sizes {
        println!("column {path}: {compressed} bytes compressed, {uncompressed} uncompressed");
    }
}
