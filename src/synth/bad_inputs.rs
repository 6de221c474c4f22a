//! Hostile and wrong-shaped inputs for the tests: Spaces whose every text
//! field tries to become markup or a link, a Parquet table of models
//! (another Hub schema), odd values (far-off dates, invalid UTF-8, extreme
//! likes) and files that ask for far more than they hold (bombs, lying
//! headers). Written to `tests/fixtures` by
//! `cargo run --example gen_fixtures`; never used by the app.

use std::sync::Arc;

use arrow_array::{ArrayRef, DictionaryArray, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use bytes::Bytes;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;

use crate::data::budget::{field_value_range, zigzag};
use crate::synth::{write_parquet, SpaceRow, WriteOptions};

/// Markup that sets `window.__pwned` if a browser ever runs it.
pub const SCRIPT_PAYLOADS: &[&str] = &[
    r#""><img src=x onerror="window.__pwned='img'">"#,
    "<script>window.__pwned='script'</script>",
    "<svg onload=window.__pwned='svg'></svg>",
    "javascript:window.__pwned='href'",
    "<a href=\"javascript:window.__pwned='a'\">click</a>",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "<style>body{display:none}</style>",
];

/// Text that is legal but easy to mishandle: bidi overrides, zero-width
/// and combining characters, control characters, a very long string.
fn odd_texts() -> Vec<String> {
    vec![
        "\u{202E}gnp.exe".to_string(),
        "e\u{301}\u{301}\u{301}-combining".to_string(),
        "zero\u{200B}width\u{200D}joiner".to_string(),
        "tab\tnew\nline\r".to_string(),
        "nul\u{0}byte".to_string(),
        "x".repeat(5_000),
        "日本語のスペース".to_string(),
        "مساحة-عربية".to_string(),
        "%25%00%3Cscript%3E".to_string(),
        "a,b&c=d#e?f".to_string(),
    ]
}

/// Spaces built from the payloads above, with normal neighbours so counts
/// and rankings have something to check.
pub fn hostile_spaces() -> Vec<SpaceRow> {
    let day = 86_400_000i64;
    let start = 1_672_531_200_000i64; // 2023-01-01
    let mut rows = Vec::new();
    let texts: Vec<String> = SCRIPT_PAYLOADS
        .iter()
        .map(|s| s.to_string())
        .chain(odd_texts())
        .collect();
    for (i, text) in texts.iter().enumerate() {
        let sdk = ["gradio", "docker", "streamlit", "static"][i % 4];
        let running = i % 3 != 2;
        rows.push(SpaceRow {
            // Ids and authors carry the payload: both become link text and
            // link targets, the riskiest place.
            id: format!("{text}/{i}"),
            author: Some(text.clone()),
            created_at: Some(start + i as i64 * 7 * day),
            last_modified: Some(start + i as i64 * 9 * day),
            likes: (i as i64 * 37) % 250,
            sdk: Some(if i == 3 {
                text.clone()
            } else {
                sdk.to_string()
            }),
            tags: Some(vec![Some(sdk.to_string()), Some(text.clone())]),
            license: Some(vec![Some(text.clone())]),
            duplicated_from: Some(format!("{text}/origin")),
            models: Some(vec![Some(format!("{text}/model")), Some(text.clone())]),
            datasets: Some(vec![Some(text.clone())]),
            emoji: Some(text.chars().take(40).collect()),
            stage: Some(if running { "RUNNING" } else { "SLEEPING" }.to_string()),
            hardware: running.then(|| text.chars().take(60).collect()),
            dev_mode: Some(i % 5 == 0),
            pinned: Some(false),
            custom_domains: Some(vec![Some(
                [
                    "javascript:window.__pwned='domain'",
                    "evil.example/\"><script>window.__pwned='domain'</script>",
                    "ok.example",
                    "//protocol-relative.example",
                ][i % 4]
                    .to_string(),
            )]),
        });
    }
    for (i, (id, likes)) in [("normal/alpha", 900), ("normal/beta", 450), ("", 3)]
        .into_iter()
        .enumerate()
    {
        rows.push(SpaceRow {
            id: id.to_string(),
            author: Some(if id.is_empty() { "" } else { "normal" }.to_string()),
            created_at: Some(start + i as i64 * day),
            last_modified: None,
            likes,
            sdk: Some("gradio".into()),
            tags: None,
            license: None,
            duplicated_from: None,
            models: None,
            datasets: None,
            emoji: Some(["🚀", "👨‍👩‍👧", ""][i].to_string()),
            stage: Some("RUNNING".into()),
            hardware: Some("cpu-basic".into()),
            dev_mode: None,
            pinned: None,
            custom_domains: None,
        });
    }
    rows
}

/// A small table shaped like the Hub's models listing: it has `id`,
/// `author` and `likes` like Spaces, but none of the Space columns.
pub fn models_table_parquet() -> Vec<u8> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("author", DataType::Utf8, true),
        Field::new("likes", DataType::Int64, false),
        Field::new("downloads", DataType::Int64, false),
        Field::new("pipeline_tag", DataType::Utf8, true),
        Field::new("library_name", DataType::Utf8, true),
    ]));
    let ids = ["bert-base/uncased", "gpt2/gpt2", "meta/llama"];
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(ids.to_vec())),
        Arc::new(StringArray::from(vec![
            Some("bert-base"),
            Some("gpt2"),
            None,
        ])),
        Arc::new(Int64Array::from(vec![10, 20, 30])),
        Arc::new(Int64Array::from(vec![1_000, 2_000, 3_000])),
        Arc::new(StringArray::from(vec![
            Some("fill-mask"),
            Some("text-generation"),
            None,
        ])),
        Arc::new(StringArray::from(vec![Some("transformers"); 3])),
    ];
    let batch = RecordBatch::try_new(Arc::clone(&schema), columns).expect("columns match");
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, schema, None).expect("schema is writable");
    writer.write(&batch).expect("batch is writable");
    writer.close().expect("file closes");
    bytes
}

/// The answers the end-to-end test checks, counted naively from `rows`:
/// rows, running rows, Spaces per SDK (most first, ties by name) and the
/// three most liked ids.
pub fn expected_answers(rows: &[SpaceRow]) -> serde_json::Value {
    let mut sdk: Vec<(String, usize)> = Vec::new();
    for row in rows {
        let name = row.sdk.clone().unwrap_or_default();
        match sdk.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 += 1,
            None => sdk.push((name, 1)),
        }
    }
    sdk.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut by_likes: Vec<&SpaceRow> = rows.iter().collect();
    by_likes.sort_by(|a, b| b.likes.cmp(&a.likes).then_with(|| a.id.cmp(&b.id)));
    serde_json::json!({
        "rows": rows.len(),
        "running_rows": rows.iter().filter(|r| r.stage.as_deref() == Some("RUNNING")).count(),
        "sdk": sdk,
        "most_liked": by_likes.iter().take(3).map(|r| (r.id.clone(), r.likes)).collect::<Vec<_>>(),
    })
}

/// Fifty ordinary Spaces (2023-2024) and, last, one whose dates are
/// `created` and `modified` (UTC milliseconds: the file stores
/// milliseconds, since nanoseconds end in 2262).
pub fn far_date_spaces(created: i64, modified: i64) -> Vec<SpaceRow> {
    let mut rows = crate::synth::generate_spaces(50, 17);
    let mut odd = rows[0].clone();
    odd.id = "far/future".into();
    odd.author = Some("far".into());
    odd.created_at = Some(created);
    odd.last_modified = Some(modified);
    rows.push(odd);
    rows
}

/// Milliseconds of 1 January of `year` (proleptic Gregorian).
pub fn year_start_ms(year: i64) -> i64 {
    crate::data::days_from_civil(year, 1, 1) * crate::data::DAY_MS
}

/// The far-off date files: name, created, last modified.
pub fn far_date_cases() -> Vec<(&'static str, i64, i64)> {
    let normal = year_start_ms(2024);
    vec![
        ("dates-year-20000.parquet", year_start_ms(20_000), normal),
        ("dates-year-100000.parquet", year_start_ms(100_000), normal),
        (
            "dates-year-1000000.parquet",
            year_start_ms(1_000_000),
            normal,
        ),
        // i64::MIN itself is how a null reads once in milliseconds.
        ("dates-i64-extremes.parquet", i64::MAX, i64::MIN + 1),
    ]
}

pub fn far_dates_parquet(created: i64, modified: i64) -> Vec<u8> {
    let options = WriteOptions {
        time_unit: arrow_schema::TimeUnit::Millisecond,
        ..WriteOptions::default()
    };
    write_parquet(&far_date_spaces(created, modified), &options)
}

/// The text that [`invalid_utf8_parquet`] turns into invalid bytes.
const BAD_MARK: &[u8] = b"BADUTF8";
/// What replaces it: a lone continuation byte, a truncated sequence and
/// a byte that never occurs in UTF-8 (same length, so offsets hold).
const BAD_BYTES: &[u8] = b"\x80\xc3(\xff\xfeok";

/// Twenty Spaces; the last has invalid UTF-8 in every text column
/// (`id`, `author`, `sdk`, `tags`, `license`, `duplicated_from`, `models`,
/// `datasets`, `emoji`, `stage`, `hardware`, `custom_domains`).
pub fn invalid_utf8_parquet() -> Vec<u8> {
    let mut rows = crate::synth::generate_spaces(19, 23);
    let mark = std::str::from_utf8(BAD_MARK).expect("ascii");
    let one = |s: &str| Some(vec![Some(format!("{s}{mark}"))]);
    rows.push(SpaceRow {
        id: format!("odd/{mark}"),
        author: Some(format!("a{mark}")),
        created_at: Some(year_start_ms(2024)),
        last_modified: Some(year_start_ms(2024)),
        likes: 7,
        sdk: Some(format!("s{mark}")),
        tags: one("t"),
        license: one("l"),
        duplicated_from: Some(format!("d{mark}")),
        models: one("m"),
        datasets: one("ds"),
        emoji: Some(format!("e{mark}")),
        stage: Some(format!("st{mark}")),
        hardware: Some(format!("h{mark}")),
        dev_mode: Some(false),
        pinned: Some(false),
        custom_domains: one("c"),
    });
    let options = WriteOptions {
        compression: parquet::basic::Compression::UNCOMPRESSED,
        license_as_list: true,
        ..WriteOptions::default()
    };
    let mut bytes = write_parquet(&rows, &options);
    // Uncompressed, the marker sits in the pages (and the footer's
    // statistics) as plain bytes: overwrite each copy in place.
    let mut at = 0;
    while let Some(found) = bytes[at..]
        .windows(BAD_MARK.len())
        .position(|w| w == BAD_MARK)
    {
        let start = at + found;
        bytes[start..start + BAD_MARK.len()].copy_from_slice(BAD_BYTES);
        at = start + BAD_MARK.len();
    }
    bytes
}

/// Likes no Hub record has: `i64::MAX` on three Spaces of one author,
/// `i64::MIN`, and −5.
pub fn extreme_likes_parquet() -> Vec<u8> {
    let mut rows = crate::synth::generate_spaces(20, 29);
    for (i, likes) in [i64::MAX, i64::MAX, i64::MAX, i64::MIN, -5]
        .into_iter()
        .enumerate()
    {
        rows[i].likes = likes;
        rows[i].author = Some(if i < 3 { "maxed" } else { "negative" }.into());
        rows[i].id = format!("{}/likes-{i}", rows[i].author.as_deref().unwrap_or(""));
    }
    write_parquet(&rows, &WriteOptions::default())
}

/// Three Spaces with `uint64` likes, one of them 2⁶⁴−1.
pub fn unsigned_likes_parquet() -> Vec<u8> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("author", DataType::Utf8, true),
        Field::new("sdk", DataType::Utf8, true),
        Field::new("likes", DataType::UInt64, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(vec!["u/max", "u/one", "u/zero"])),
        Arc::new(StringArray::from(vec!["u"; 3])),
        Arc::new(StringArray::from(vec!["gradio"; 3])),
        Arc::new(arrow_array::UInt64Array::from(vec![u64::MAX, 1, 0])),
    ];
    write_batches(schema, vec![columns], WriterProperties::builder())
}

fn write_batches(
    schema: Arc<Schema>,
    batches: Vec<Vec<ArrayRef>>,
    props: parquet::file::properties::WriterPropertiesBuilder,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, Arc::clone(&schema), Some(props.build()))
        .expect("schema is writable");
    for columns in batches {
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns).expect("columns match");
        writer.write(&batch).expect("batch is writable");
    }
    writer.close().expect("file closes");
    bytes
}

/// A dictionary-coded text column of `rows` rows that all hold `value`.
fn shared_text(value: &str, rows: usize) -> ArrayRef {
    let keys = arrow_array::Int32Array::from(vec![0; rows]);
    let values = Arc::new(StringArray::from(vec![value]));
    Arc::new(DictionaryArray::try_new(keys, values).expect("keys in range"))
}

fn bomb_schema(id: DataType, tags: DataType) -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("id", id, false),
        Field::new("sdk", DataType::Utf8, true),
        Field::new("tags", tags, true),
    ]))
}

fn zstd() -> parquet::basic::Compression {
    parquet::basic::Compression::ZSTD(Default::default())
}

/// 100 rows, each with a `tags` list of 3,000,000 copies of one
/// dictionary value: a few kilobytes on disk, 300 million list items.
pub fn list_bomb_parquet() -> Vec<u8> {
    const ROWS: usize = 100;
    const ITEMS: usize = 3_000_000;
    let item = Arc::new(Field::new(
        "item",
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        true,
    ));
    let schema = bomb_schema(DataType::Utf8, DataType::List(Arc::clone(&item)));
    // One row per batch: the writer never holds more than one list.
    let batches = (0..ROWS)
        .map(|row| {
            let tags = arrow_array::ListArray::new(
                Arc::clone(&item),
                arrow_buffer::OffsetBuffer::from_lengths([ITEMS]),
                shared_text("gradio", ITEMS),
                None,
            );
            vec![
                Arc::new(StringArray::from(vec![format!("bomb/{row}")])) as ArrayRef,
                Arc::new(StringArray::from(vec!["gradio"])),
                Arc::new(tags),
            ]
        })
        .collect();
    write_batches(
        schema,
        batches,
        WriterProperties::builder().set_compression(zstd()),
    )
}

/// 5,000 rows sharing one 1 MiB id through the dictionary.
pub fn dictionary_bomb_parquet() -> Vec<u8> {
    const ROWS: usize = 5_000;
    let id = "x".repeat(1 << 20);
    let schema = Arc::new(Schema::new(vec![
        Field::new(
            "id",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        ),
        Field::new("sdk", DataType::Utf8, true),
    ]));
    let columns = vec![
        shared_text(&id, ROWS),
        Arc::new(StringArray::from(vec!["gradio"; ROWS])) as ArrayRef,
    ];
    write_batches(
        schema,
        vec![columns],
        WriterProperties::builder()
            .set_compression(zstd())
            .set_dictionary_page_size_limit(4 << 20),
    )
}

/// Fifty Spaces, the first with an id of `len` bytes of `x`,
/// zstd-compressed (a few kilobytes on disk). At 50 MB it is a value
/// the app keeps (cut); at 1.5 GB it is a page the app refuses.
pub fn long_id_parquet(len: usize) -> Vec<u8> {
    let mut rows = crate::synth::generate_spaces(50, 31);
    rows[0].id = "x".repeat(len);
    let options = WriteOptions {
        compression: zstd(),
        dictionary: false,
        ..WriteOptions::default()
    };
    write_parquet(&rows, &options)
}

/// The footer's bytes, where they start, and their length field.
fn footer_of(bytes: &[u8]) -> (usize, &[u8]) {
    let len = u32::from_le_bytes(bytes[bytes.len() - 8..bytes.len() - 4].try_into().unwrap());
    let start = bytes.len() - 8 - len as usize;
    (start, &bytes[start..bytes.len() - 8])
}

/// `bytes` with its footer replaced by `footer`.
fn with_footer(bytes: &[u8], footer: &[u8]) -> Vec<u8> {
    let (start, _) = footer_of(bytes);
    let mut out = bytes[..start].to_vec();
    out.extend_from_slice(footer);
    out.extend_from_slice(&(footer.len() as u32).to_le_bytes());
    out.extend_from_slice(b"PAR1");
    out
}

/// `bytes` with a Thrift integer field (found by [`field_value_range`] in
/// the struct starting at `at`) rewritten to `value`.
fn rewrite_int(bytes: &[u8], at: usize, field: i16, value: i64) -> Vec<u8> {
    let range = field_value_range(&bytes[at..], field).expect("field present");
    let mut encoded = Vec::new();
    zigzag(&mut encoded, value);
    let mut out = bytes.to_vec();
    out.splice(at + range.start..at + range.end, encoded);
    out
}

/// 1,000 ordinary Spaces whose footer says there are 2⁶² rows (its row
/// groups say 1,000; pyarrow reads 1,000).
pub fn lying_num_rows_parquet() -> Vec<u8> {
    let good = write_parquet(
        &crate::synth::generate_spaces(1_000, 37),
        &WriteOptions::default(),
    );
    let (_, footer) = footer_of(&good);
    // FileMetaData field 3 is num_rows.
    let footer = rewrite_int(footer, 0, 3, 1 << 62);
    with_footer(&good, &footer)
}

/// 200 ordinary Spaces in which the first page header of the last column
/// chunk claims 2³¹−1 uncompressed bytes.
pub fn lying_page_header_parquet() -> Vec<u8> {
    let good = write_parquet(
        &crate::synth::generate_spaces(200, 41),
        &WriteOptions::default(),
    );
    let metadata = parquet::file::metadata::ParquetMetaDataReader::new()
        .parse_and_finish(&Bytes::from(good.clone()))
        .expect("a valid footer");
    let last = metadata.row_groups()[0].columns().last().expect("columns");
    let page = last
        .dictionary_page_offset()
        .unwrap_or_else(|| last.data_page_offset()) as usize;
    // PageHeader field 2 is uncompressed_page_size. The header grows by a
    // few bytes; the footer keeps its old offsets, which all lie before it.
    rewrite_int(&good, page, 2, i64::from(i32::MAX))
}
