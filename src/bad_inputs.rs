//! Hostile and wrong-shaped inputs for the tests: Spaces whose every text
//! field tries to become markup or a link, and a Parquet table of models
//! (another Hub schema). Written to `tests/fixtures` by
//! `cargo run --example gen_fixtures`; never used by the app.

use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;

use crate::synth::SpaceRow;

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
