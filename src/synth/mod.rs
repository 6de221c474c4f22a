//! Synthetic Spaces in the upstream schema, written as Parquet the ways real
//! writers do. Deterministic by seed. Used by the property tests, the
//! benchmark generator and the hostile-input fixtures; never by the app.

pub mod bad_inputs;
pub mod hub;

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, GenericListBuilder, GenericStringBuilder, Int64Builder, PrimitiveBuilder,
};
use arrow_array::types::{
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
};
use arrow_array::{ArrayRef, Float64Array, OffsetSizeTrait, RecordBatch};
use arrow_schema::{Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::{WriterProperties, WriterVersion};

/// One Space as upstream stores it. Times are UTC milliseconds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpaceRow {
    pub id: String,
    pub author: Option<String>,
    pub created_at: Option<i64>,
    pub last_modified: Option<i64>,
    pub likes: i64,
    pub sdk: Option<String>,
    pub tags: Option<Vec<Option<String>>>,
    pub license: Option<Vec<Option<String>>>,
    pub duplicated_from: Option<String>,
    pub models: Option<Vec<Option<String>>>,
    pub datasets: Option<Vec<Option<String>>>,
    pub emoji: Option<String>,
    pub stage: Option<String>,
    pub hardware: Option<String>,
    pub dev_mode: Option<bool>,
    pub pinned: Option<bool>,
    pub custom_domains: Option<Vec<Option<String>>>,
}

/// How to write the file: how pandas, pyarrow, polars and DuckDB writers differ.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub compression: Compression,
    pub dictionary: bool,
    pub row_group_rows: usize,
    /// `large_string` / `large_list` (pandas 3, polars) instead of `string` / `list`.
    pub large_types: bool,
    /// `license` as `list<string>` instead of a plain string (first value).
    pub license_as_list: bool,
    pub time_unit: TimeUnit,
    pub page_v2: bool,
    /// Known columns left out of the file.
    pub omit: Vec<&'static str>,
    /// Add columns the app does not know (`readme_size`, `host`, …).
    pub extra_columns: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            compression: Compression::SNAPPY,
            dictionary: true,
            row_group_rows: 1 << 20,
            large_types: false,
            license_as_list: false,
            time_unit: TimeUnit::Nanosecond,
            page_v2: false,
            omit: Vec::new(),
            extra_columns: true,
        }
    }
}

impl WriteOptions {
    /// Upstream's shape written as the daily snapshot is (zstd, small row
    /// groups, microsecond times): compared with the Hub shape, only the
    /// shape differs.
    pub fn like_snapshot() -> Self {
        Self {
            compression: hub::snapshot_compression(),
            row_group_rows: hub::SNAPSHOT_ROW_GROUP_ROWS,
            time_unit: TimeUnit::Microsecond,
            ..Self::default()
        }
    }
}

/// Writes `rows` as a Parquet file.
pub fn write_parquet(rows: &[SpaceRow], options: &WriteOptions) -> Vec<u8> {
    let batch = if options.large_types {
        build_batch::<i64>(rows, options)
    } else {
        build_batch::<i32>(rows, options)
    };
    let props = WriterProperties::builder()
        .set_compression(options.compression)
        .set_dictionary_enabled(options.dictionary)
        .set_max_row_group_row_count(Some(options.row_group_rows.max(1)))
        .set_writer_version(if options.page_v2 {
            WriterVersion::PARQUET_2_0
        } else {
            WriterVersion::PARQUET_1_0
        })
        .build();
    let mut out = Vec::new();
    let mut writer =
        ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).expect("valid schema");
    writer.write(&batch).expect("batch writes");
    writer.close().expect("file closes");
    out
}

fn build_batch<O: OffsetSizeTrait>(rows: &[SpaceRow], options: &WriteOptions) -> RecordBatch {
    let mut fields: Vec<Field> = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut add = |name: &'static str, array: ArrayRef| {
        if !options.omit.contains(&name) {
            fields.push(Field::new(name, array.data_type().clone(), true));
            arrays.push(array);
        }
    };
    add("id", text::<O>(rows.iter().map(|r| Some(r.id.as_str()))));
    add(
        "author",
        text::<O>(rows.iter().map(|r| r.author.as_deref())),
    );
    add(
        "created_at",
        times(rows.iter().map(|r| r.created_at), options.time_unit),
    );
    add(
        "last_modified",
        times(rows.iter().map(|r| r.last_modified), options.time_unit),
    );
    if options.extra_columns {
        let subdomains = rows
            .iter()
            .map(|r| Some(r.id.replace('/', "-").to_lowercase()))
            .collect::<Vec<_>>();
        let hosts = subdomains
            .iter()
            .map(|s| s.as_ref().map(|s| format!("https://{s}.hf.space")))
            .collect::<Vec<_>>();
        add(
            "subdomain",
            text::<O>(subdomains.iter().map(|s| s.as_deref())),
        );
        add("host", text::<O>(hosts.iter().map(|s| s.as_deref())));
    }
    let mut likes = Int64Builder::new();
    rows.iter().for_each(|r| likes.append_value(r.likes));
    add("likes", Arc::new(likes.finish()));
    add("sdk", text::<O>(rows.iter().map(|r| r.sdk.as_deref())));
    add("tags", lists::<O>(rows.iter().map(|r| r.tags.as_ref())));
    if options.extra_columns {
        let sizes: Float64Array = rows
            .iter()
            .map(|r| Some(r.id.len() as f64 * 37.0))
            .collect();
        add("readme_size", Arc::new(sizes));
        // Upstream writes the text "None" when a card names no version.
        let versions = ["3.10", "None", "3.9", "3.11"];
        add(
            "python_version",
            text::<O>((0..rows.len()).map(|i| Some(versions[i % versions.len()]))),
        );
    }
    if options.license_as_list {
        add(
            "license",
            lists::<O>(rows.iter().map(|r| r.license.as_ref())),
        );
    } else {
        add(
            "license",
            text::<O>(
                rows.iter()
                    .map(|r| r.license.as_ref().and_then(|l| l.first()?.as_deref())),
            ),
        );
    }
    add(
        "duplicated_from",
        text::<O>(rows.iter().map(|r| r.duplicated_from.as_deref())),
    );
    add("models", lists::<O>(rows.iter().map(|r| r.models.as_ref())));
    add(
        "datasets",
        lists::<O>(rows.iter().map(|r| r.datasets.as_ref())),
    );
    add("emoji", text::<O>(rows.iter().map(|r| r.emoji.as_deref())));
    if options.extra_columns {
        let colours = [
            "red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray",
        ];
        for (name, step) in [("colorFrom", 3), ("colorTo", 5)] {
            add(
                name,
                text::<O>((0..rows.len()).map(|i| Some(colours[(i * step) % colours.len()]))),
            );
        }
    }
    add("pinned", bools(rows.iter().map(|r| r.pinned)));
    add("stage", text::<O>(rows.iter().map(|r| r.stage.as_deref())));
    add(
        "hardware",
        text::<O>(rows.iter().map(|r| r.hardware.as_deref())),
    );
    add("devMode", bools(rows.iter().map(|r| r.dev_mode)));
    add(
        "custom_domains",
        lists::<O>(rows.iter().map(|r| r.custom_domains.as_ref())),
    );
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).expect("columns agree")
}

fn text<'a, O: OffsetSizeTrait>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    let mut builder = GenericStringBuilder::<O>::new();
    values.for_each(|v| builder.append_option(v));
    Arc::new(builder.finish())
}

fn lists<'a, O: OffsetSizeTrait>(
    values: impl Iterator<Item = Option<&'a Vec<Option<String>>>>,
) -> ArrayRef {
    let mut builder = GenericListBuilder::<O, _>::new(GenericStringBuilder::<O>::new());
    for row in values {
        match row {
            Some(items) => {
                items
                    .iter()
                    .for_each(|i| builder.values().append_option(i.as_deref()));
                builder.append(true);
            }
            None => builder.append(false),
        }
    }
    Arc::new(builder.finish())
}

fn times(values: impl Iterator<Item = Option<i64>>, unit: TimeUnit) -> ArrayRef {
    fn build<T: arrow_array::types::ArrowTimestampType>(
        values: impl Iterator<Item = Option<i64>>,
        scale: i64,
    ) -> ArrayRef {
        let mut builder = PrimitiveBuilder::<T>::new().with_timezone("UTC");
        values.for_each(|v| builder.append_option(v.map(|ms| ms * scale)));
        Arc::new(builder.finish())
    }
    match unit {
        TimeUnit::Nanosecond => build::<TimestampNanosecondType>(values, 1_000_000),
        TimeUnit::Microsecond => build::<TimestampMicrosecondType>(values, 1_000),
        _ => build::<TimestampMillisecondType>(values, 1),
    }
}

fn bools(values: impl Iterator<Item = Option<bool>>) -> ArrayRef {
    let mut builder = BooleanBuilder::new();
    values.for_each(|v| builder.append_option(v));
    Arc::new(builder.finish())
}

/// A small, fast, seedable generator (SplitMix64): the data must be the same
/// on every machine and run, with no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Heavy-tailed index in `0..n`: a few values get most picks, like authors
    /// and models on the Hub.
    pub fn zipf_like(&mut self, n: u64) -> u64 {
        let u = self.unit();
        ((n as f64).powf(u) - 1.0)
            .floor()
            .min(n as f64 - 1.0)
            .max(0.0) as u64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SDKS: &[(&str, f64)] = &[
    ("gradio", 0.62),
    ("docker", 0.17),
    ("streamlit", 0.12),
    ("static", 0.09),
];
const STAGES: &[(&str, f64)] = &[
    ("SLEEPING", 0.44),
    ("RUNNING", 0.22),
    ("RUNTIME_ERROR", 0.17),
    ("BUILD_ERROR", 0.08),
    ("PAUSED", 0.03),
    ("NO_APP_FILE", 0.02),
    ("STOPPED", 0.02),
    ("CONFIG_ERROR", 0.01),
    ("BUILDING", 0.01),
];
const HARDWARE: &[(&str, f64)] = &[
    ("cpu-basic", 0.90),
    ("zero-a10g", 0.04),
    ("cpu-upgrade", 0.015),
    ("t4-small", 0.015),
    ("t4-medium", 0.01),
    ("a10g-small", 0.008),
    ("a10g-large", 0.005),
    ("a100-large", 0.004),
    ("l4x1", 0.003),
];
const EMOJI: &[&str] = &[
    "🚀",
    "🏢",
    "🐨",
    "😻",
    "🐳",
    "🐢",
    "🤗",
    "🔥",
    "⚡",
    "🦀",
    "👩‍💻",
    "🧑🏽‍🚀",
    "🌍",
    "📚",
    "🎨",
    "🎵",
    "🧠",
    "🤖",
    "💬",
    "📈",
    "🦙",
    "🐍",
    "🌈",
    "🏳️‍🌈",
    "✨",
];
const LICENSES: &[&str] = &[
    "mit",
    "apache-2.0",
    "openrail",
    "other",
    "cc-by-nc-4.0",
    "gpl-3.0",
    "cc-by-4.0",
    "llama3",
    "unknown",
    "bsd-3-clause",
];
const MODEL_OWNERS: &[&str] = &[
    "stabilityai",
    "openai",
    "runwayml",
    "meta-llama",
    "mistralai",
    "google",
    "black-forest-labs",
    "Qwen",
];
const MODEL_NAMES: &[&str] = &[
    "stable-diffusion-xl-base-1.0",
    "whisper-large-v3",
    "Llama-3-8B",
    "FLUX.1-dev",
    "Mistral-7B-v0.1",
    "gemma-2b",
    "Qwen2-7B",
    "clip-vit-large",
];
const DATASET_NAMES: &[&str] = &[
    "mnist",
    "squad",
    "imdb",
    "laion/laion400m",
    "open-llm-leaderboard/results",
    "mozilla-foundation/common_voice",
];
const WORDS: &[&str] = &[
    "chat", "demo", "vision", "tts", "rag", "agent", "pdf", "sd", "lora", "arena", "tutor",
    "caption",
];

fn weighted<'a>(rng: &mut Rng, table: &[(&'a str, f64)]) -> &'a str {
    let mut u = rng.unit() * table.iter().map(|(_, w)| w).sum::<f64>();
    for (value, weight) in table {
        if u < *weight {
            return value;
        }
        u -= weight;
    }
    table[table.len() - 1].0
}

/// `count` Spaces with upstream-like shapes: heavy-tailed authors and likes,
/// an SDK and hardware mix, emoji popularity, growth over time.
pub fn generate_spaces(count: usize, seed: u64) -> Vec<SpaceRow> {
    let mut rng = Rng::new(seed);
    let authors = (count / 4).max(1) as u64;
    // 2021-10-01 to 2024-09-01, growing: later months get more Spaces.
    let start = 1_633_046_400_000i64;
    let span = 1_725_148_800_000i64 - start;
    let mut rows = Vec::with_capacity(count);
    for i in 0..count {
        let author_index = rng.zipf_like(authors);
        let author = if author_index < 8 {
            [
                "huggingface",
                "gradio",
                "stabilityai",
                "openai",
                "hysts",
                "akhaliq",
                "Qwen",
                "meta-llama",
            ][author_index as usize]
                .to_string()
        } else {
            format!("user{author_index}")
        };
        let name = format!("{}-{}-{i}", rng.pick(WORDS), rng.pick(WORDS));
        let sdk = weighted(&mut rng, SDKS).to_string();
        let created = start + (span as f64 * rng.unit().sqrt()) as i64;
        let modified = created + (rng.unit() * (1_725_148_800_000i64 - created) as f64) as i64;
        let likes = if rng.chance(0.55) {
            0
        } else {
            (rng.unit().powf(6.0) * 12_000.0) as i64
        };
        let stage = weighted(&mut rng, STAGES).to_string();
        let running = stage.starts_with("RUNNING");
        let hardware =
            (running || rng.chance(0.4)).then(|| weighted(&mut rng, HARDWARE).to_string());
        let model_list = |rng: &mut Rng| {
            let n = 1 + rng.below(3);
            (0..n)
                .map(|_| {
                    Some(format!(
                        "{}/{}",
                        MODEL_OWNERS[rng.zipf_like(MODEL_OWNERS.len() as u64) as usize],
                        MODEL_NAMES[rng.zipf_like(MODEL_NAMES.len() as u64) as usize]
                    ))
                })
                .collect::<Vec<_>>()
        };
        let models = rng.chance(0.16).then(|| model_list(&mut rng));
        let datasets = rng
            .chance(0.03)
            .then(|| vec![Some(rng.pick(DATASET_NAMES).to_string())]);
        let mut tags = vec![Some(sdk.clone()), Some("region:us".to_string())];
        if rng.chance(0.1) {
            tags.push(Some("mcp-server".into()));
        }
        rows.push(SpaceRow {
            id: format!("{author}/{name}"),
            author: Some(author),
            created_at: Some(created),
            last_modified: Some(modified),
            likes,
            sdk: Some(sdk),
            tags: Some(tags),
            license: rng.chance(0.52).then(|| {
                vec![Some(
                    LICENSES[rng.zipf_like(LICENSES.len() as u64) as usize].to_string(),
                )]
            }),
            duplicated_from: rng
                .chance(0.09)
                .then(|| format!("user{}/demo-{}", rng.zipf_like(50), rng.below(3))),
            models,
            datasets,
            emoji: (!rng.chance(0.07))
                .then(|| EMOJI[rng.zipf_like(EMOJI.len() as u64) as usize].to_string()),
            stage: Some(stage),
            hardware,
            dev_mode: (!rng.chance(0.4)).then(|| rng.chance(0.002)),
            pinned: (!rng.chance(0.07)).then(|| rng.chance(0.05)),
            custom_domains: rng
                .chance(0.002)
                .then(|| vec![Some(format!("{name}.example.org"))]),
        });
    }
    rows
}
