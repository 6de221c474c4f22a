//! Bounded fuzzing with proptest: arbitrary and mutated Parquet bytes through
//! decode, index, facets and overview; arbitrary query strings through the
//! URL codec and the data-source checks. Nothing may panic.
//!
//! `cargo test --test fuzz` runs a short round (CI); a long run:
//! `FUZZ_CASES=100000 cargo test --release --test fuzz -- --nocapture`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;
use parquet::file::metadata::ParquetMetaDataReader;
use proptest::prelude::*;
use proptest::test_runner::Config;
use spaces_ship::data::budget::{field_value_range, zigzag, MAX_PAGE_BYTES};
use spaces_ship::data::Field;
use spaces_ship::data::{decode_spaces, DecodeError, KNOWN_COLUMNS};
use spaces_ship::overview::aggregate::Overview;
use spaces_ship::search::facets::FacetCounts;
use spaces_ship::search::{Filters, SearchIndex};
use spaces_ship::synth::hub::{write_hub_parquet, HubShape};
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};
use spaces_ship::url::source::DataSource;
use spaces_ship::url::view_state::ViewState;
use url::Url;

fn config() -> Config {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Valid files to mutate: the upstream layout, one with large types,
/// small row groups, zstd and no dictionaries, and the Hub API's shape
/// (runtime a struct, cardData JSON text; both JSON text).
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let rows = generate_spaces(400, 9);
        let other = WriteOptions {
            compression: parquet::basic::Compression::ZSTD(Default::default()),
            dictionary: false,
            row_group_rows: 97,
            large_types: true,
            license_as_list: true,
            ..WriteOptions::default()
        };
        vec![
            write_parquet(&rows, &WriteOptions::default()),
            write_parquet(&rows, &other),
            write_hub_parquet(
                &rows,
                HubShape {
                    runtime_json: false,
                    card_json: true,
                },
            ),
            write_hub_parquet(
                &rows,
                HubShape {
                    runtime_json: true,
                    card_json: true,
                },
            ),
        ]
    })
}

/// Where panics came from. The Parquet crate itself (60.1, the newest)
/// still panics on some damaged data pages; those are counted and reported
/// as upstream findings. A panic anywhere else, in this app's code, fails
/// the run.
static UPSTREAM_PANICS: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn install_panic_recorder() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            *LAST_PANIC.lock().unwrap() = Some(format!("{at}: {info}"));
        }));
    });
}

fn is_upstream(location: &str) -> bool {
    location.contains("/registry/src/")
        && ["/parquet-", "/arrow-"]
            .iter()
            .any(|c| location.contains(c))
}

/// Runs everything the app does with a file; errors are fine, panics in
/// this app's code are not.
fn exercise(bytes: Vec<u8>) {
    install_panic_recorder();
    let kept = std::env::var_os("FUZZ_SAVE_PANICS").map(|dir| (dir, bytes.clone()));
    let outcome = std::panic::catch_unwind(|| exercise_unguarded(bytes));
    if outcome.is_err() {
        // Keeps inputs that crash the reader, e.g. for an end-to-end test.
        if let Some((dir, bytes)) = kept {
            let name = format!("panic-{:016x}.parquet", fxhash(&bytes));
            let _ = std::fs::write(std::path::Path::new(&dir).join(name), &bytes);
        }
        let panic = LAST_PANIC.lock().unwrap().take().unwrap_or_default();
        let location = panic.split(": ").next().unwrap_or_default().to_string();
        assert!(is_upstream(&location), "the app panicked: {panic}");
        let file = location
            .rsplit("/src/")
            .next()
            .unwrap_or(&location)
            .to_string();
        let crate_name = location
            .split("/registry/src/")
            .nth(1)
            .and_then(|rest| rest.split('/').nth(1))
            .unwrap_or("?");
        *UPSTREAM_PANICS
            .lock()
            .unwrap()
            .entry(format!("{crate_name} src/{file}"))
            .or_default() += 1;
    }
}

fn fxhash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Prints the upstream panics seen so far (run with `--nocapture`).
fn report_upstream(test: &str) {
    let seen = UPSTREAM_PANICS.lock().unwrap();
    if !seen.is_empty() {
        println!("{test}: panics inside the Parquet/Arrow crates: {seen:?}");
    }
}

fn exercise_unguarded(bytes: Vec<u8>) {
    let Ok((table, _report)) = decode_spaces(Bytes::from(bytes)) else {
        return;
    };
    let index = SearchIndex::build(&table);
    let all: Vec<u32> = (0..table.len() as u32).collect();
    let overview = Overview::compute(&table, &all);
    std::hint::black_box(&overview);
    let mut filters = Filters {
        q: "a".into(),
        ..Filters::default()
    };
    filters.add(Field::Stage, "RUNNING");
    let (facets, rows) = FacetCounts::compute_with_selection(&table, &index, &filters);
    std::hint::black_box((&facets, &rows));
}

/// JSON-ish text: fragments of the Hub record's JSON, markup and junk.
fn json_text() -> impl Strategy<Value = Option<String>> {
    let fragment = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("-1e999".to_string()),
        Just("\"\\u0000\"".to_string()),
        Just("\"\\ud800\"".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        prop::sample::select(vec![
            "title",
            "emoji",
            "license",
            "pinned",
            "short_description",
            "duplicated_from",
            "stage",
            "hardware",
            "current",
            "devMode",
            "domains",
            "domain",
        ])
        .prop_map(|k| format!("\"{k}\"")),
        "[ -~]{0,12}".prop_map(|s| format!("{s:?}")),
    ];
    proptest::option::of(
        proptest::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat()),
    )
}

/// A file of `id`, `sdk` and the given JSON text as `runtime` and `cardData`.
fn json_file(runtime: &[Option<String>], card: &[Option<String>]) -> Vec<u8> {
    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    let rows = runtime.len();
    let ids: Vec<String> = (0..rows).map(|r| format!("o/s{r}")).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        (
            "id",
            std::sync::Arc::new(StringArray::from_iter_values(ids)),
        ),
        (
            "sdk",
            std::sync::Arc::new(StringArray::from_iter_values((0..rows).map(|_| "gradio"))),
        ),
        (
            "runtime",
            std::sync::Arc::new(StringArray::from(runtime.to_vec())),
        ),
        (
            "cardData",
            std::sync::Arc::new(StringArray::from(card.to_vec())),
        ),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let mut out = Vec::new();
    let mut writer = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_text_columns_never_panic_and_bad_rows_are_counted(
        records in proptest::collection::vec((json_text(), json_text()), 1..40),
    ) {
        let (runtime, card): (Vec<_>, Vec<_>) = records.into_iter().unzip();
        let file = Bytes::from(json_file(&runtime, &card));
        let (table, report) = decode_spaces(file.clone()).unwrap();
        prop_assert_eq!(table.len(), runtime.len());
        // The front matter decoded apart (as the engine's second worker
        // does) comes to the same table and the same counts.
        let (beside, beside_report) = spaces_ship::data::decode_beside_apart(file).unwrap();
        prop_assert!(beside == table, "the tables differ");
        prop_assert_eq!(&beside_report, &report);
        for row in 0..table.len() {
            prop_assert_eq!(table.id(row), format!("o/s{row}"));
        }
        // A row counts as unreadable only where its text is not a readable
        // object: never more than the rows that have text.
        for (name, column) in [("runtime", &runtime), ("cardData", &card)] {
            let unreadable = report.repairs.columns.get(name).map_or(0, |r| r.unreadable);
            let with_text = column.iter().filter(|t| t.is_some()).count() as u64;
            prop_assert!(unreadable <= with_text, "{} {} > {}", name, unreadable, with_text);
            // Valid objects may still be unreadable (a field of the wrong type),
            // but everything that is not a JSON object is counted.
            let not_objects = column.iter().filter(|t| t.as_deref().is_some_and(|t| {
                let t = t.trim();
                !t.is_empty() && t != "null" && !serde_json::from_str::<serde_json::Value>(t).is_ok_and(|v| v.is_object())
            })).count() as u64;
            prop_assert!(unreadable >= not_objects, "{} {} < {}", name, unreadable, not_objects);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        exercise(bytes);
    }

    #[test]
    fn arbitrary_bytes_in_a_parquet_envelope_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..1024),
        footer_length in any::<u32>(),
    ) {
        // Valid magic at both ends, so the reader gets as far as the footer.
        let mut bytes = b"PAR1".to_vec();
        bytes.extend_from_slice(&body);
        bytes.extend_from_slice(&(footer_length % 2048).to_le_bytes());
        bytes.extend_from_slice(b"PAR1");
        exercise(bytes);
    }

    #[test]
    fn mutated_parquet_never_panics(
        seed in 0usize..4,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), any::<bool>()), 1..12),
        cut in proptest::option::weighted(0.2, any::<prop::sample::Index>()),
    ) {
        let mut bytes = seeds()[seed].clone();
        let len = bytes.len();
        for (at, value, near_footer) in edits {
            // Half the edits land in the last 2 KiB: the footer and the
            // page headers near it are where lengths and offsets live.
            let position = if near_footer {
                len - 1 - at.index(2048.min(len))
            } else {
                at.index(len)
            };
            bytes[position] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(len));
        }
        exercise(bytes);
    }


    #[test]
    fn size_lying_headers_are_refused_or_read_never_panic(
        seed in 0usize..4,
        chunk in any::<prop::sample::Index>(),
        field in prop_oneof![Just(2i16), Just(3i16)],
        size in prop_oneof![any::<i32>(), (MAX_PAGE_BYTES as i32)..i32::MAX, 0i32..4096],
        footer_rows in proptest::option::weighted(0.3, any::<i64>()),
    ) {
        // A page header whose uncompressed (2) or compressed (3) size lies,
        // and maybe a footer whose row count lies.
        let mut bytes = seeds()[seed].clone();
        let metadata = ParquetMetaDataReader::new()
            .parse_and_finish(&Bytes::from(bytes.clone()))
            .unwrap();
        let chunks: Vec<_> = metadata.row_groups().iter().flat_map(|g| g.columns()).collect();
        let target = chunks[chunk.index(chunks.len())];
        let at = target
            .dictionary_page_offset()
            .unwrap_or_else(|| target.data_page_offset()) as usize;
        let range = field_value_range(&bytes[at..], field).unwrap();
        let mut lie = Vec::new();
        zigzag(&mut lie, i64::from(size));
        bytes.splice(at + range.start..at + range.end, lie);
        if let Some(rows) = footer_rows {
            let len = bytes.len();
            let footer_len = u32::from_le_bytes(bytes[len - 8..len - 4].try_into().unwrap()) as usize;
            let start = len - 8 - footer_len;
            let mut footer = bytes[start..len - 8].to_vec();
            let range = field_value_range(&footer, 3).unwrap();
            let mut lie = Vec::new();
            zigzag(&mut lie, rows);
            footer.splice(range, lie);
            bytes.truncate(start);
            bytes.extend_from_slice(&footer);
            bytes.extend_from_slice(&(footer.len() as u32).to_le_bytes());
            bytes.extend_from_slice(b"PAR1");
        }
        let known = KNOWN_COLUMNS.contains(&target.column_path().parts()[0].as_str());
        if field == 2 && known && i64::from(size) > MAX_PAGE_BYTES as i64 {
            // Refused before any page is read: the budget names the page.
            let error = decode_spaces(Bytes::from(bytes.clone())).err();
            prop_assert!(
                matches!(&error, Some(DecodeError::TooLarge(what)) if what.contains("uncompressed")),
                "{:?}", error
            );
        }
        if let Ok((table, _)) = decode_spaces(Bytes::from(bytes.clone())) {
            prop_assert!(table.len() <= 400, "{} rows from 400", table.len());
        }
        exercise(bytes);
    }

    #[test]
    fn any_query_string_parses_and_re_encodes_stably(query in query_text()) {
        let (state, _notes) = ViewState::from_query(&query);
        let encoded = state.to_query();
        let (again, notes) = ViewState::from_query(&encoded);
        prop_assert_eq!(&again, &state, "query {:?} encoded as {:?}", query, encoded);
        prop_assert!(notes.is_empty(), "re-encoded {:?} gave notes {:?}", encoded, notes);
        if let Ok((source, _)) = DataSource::from_param(state.data.as_deref(), PAGE) {
            let policy = source.connect_policy();
            // Nothing from the URL adds a directive or a wildcard.
            prop_assert!(!policy.contains(';'));
            prop_assert_eq!(policy.matches('*').count(), 2);
            let _ = source.host_needing_consent();
        }
    }

    #[test]
    fn data_addresses_need_consent_unless_same_origin_or_hugging_face(value in address_text()) {
        let Ok((source, _note)) = DataSource::from_param(Some(&value), PAGE) else {
            return Ok(());
        };
        let trimmed = value.trim();
        prop_assert!(
            !trimmed.chars().any(|c| c.is_control() || c == '\\'),
            "accepted a control character or backslash: {:?}", value
        );
        if !matches!(source, DataSource::Custom(_)) {
            return Ok(());
        }
        // Where a browser would send the request, resolved independently.
        let resolved = Url::parse(PAGE).unwrap().join(trimmed).unwrap();
        let origin = resolved.origin().ascii_serialization();
        let trusted = origin == "http://127.0.0.1:8080" || hugging_face_origin(&origin);
        let consent = source.host_needing_consent();
        prop_assert_eq!(consent.is_none(), trusted, "{:?} resolves to {}", value, origin);
        if let Some(host) = consent {
            prop_assert!(host.is_ascii(), "host shown as {:?}", host);
            prop_assert!(origin.ends_with(&host), "{} shown as {}", origin, host);
            // Allowed after consent, unless the host has characters a
            // policy must not take (then the request is blocked instead).
            let policy = source.connect_policy();
            let allowed = format!(" {}", origin);
            prop_assert!(policy.ends_with(&allowed) || policy == DataSource::Hub.connect_policy());
        }
        // Never a credential, in what is fetched or shown.
        let fetched = Url::parse(source.url()).unwrap();
        prop_assert_eq!(fetched.username(), "");
        prop_assert_eq!(fetched.password(), None);
        // The label is that same credential-free address (cut when long).
        let shown = source.label();
        prop_assert!(source.url().starts_with(shown.trim_end_matches('…')));
    }
}

/// The page the fuzzed addresses are resolved against.
const PAGE: &str = "http://127.0.0.1:8080/app/index.html?data=x";

/// `https://` on huggingface.co, hf.co or a subdomain (a trailing dot is
/// the same host).
fn hugging_face_origin(origin: &str) -> bool {
    let Some(host) = origin.strip_prefix("https://") else {
        return false;
    };
    let host = host.trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    n >= 2
        && matches!(
            (labels[n - 2], labels[n - 1]),
            ("huggingface", "co") | ("hf", "co")
        )
        && labels.iter().all(|l| !l.is_empty() && !l.contains(':'))
}

/// Addresses made of the pieces parsers disagree on: schemes with and
/// without slashes, backslashes, tabs, credentials, trusted names as
/// prefixes and suffixes, numeric and IPv6 hosts, look-alike Unicode.
fn address_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("http:"),
        Just("https:"),
        Just("HTTPS:"),
        Just("//"),
        Just("/"),
        Just("\\"),
        Just("\t"),
        Just("\n"),
        Just("\u{1}"),
        Just(" "),
        Just("%5C"),
        Just("%2F"),
        Just("%2E"),
        Just("@"),
        Just("user:pw@"),
        Just("huggingface.co"),
        Just("hf.co"),
        Just("cdn.hf.co"),
        Just("127.0.0.1"),
        Just("localhost"),
        Just("2130706433"),
        Just("0x7f.1"),
        Just("[::1]"),
        Just(":8080"),
        Just(":9999"),
        Just(":443"),
        Just("evil.example"),
        Just("раураl.com"),
        Just("ｅｘａｍｐｌｅ"),
        Just("."),
        Just(".."),
        Just("?a=1&b"),
        Just("#frag"),
        Just("f.parquet"),
    ];
    prop_oneof![
        proptest::collection::vec(piece, 1..8).prop_map(|p| p.concat()),
        "\\PC{0,40}",
    ]
}

/// Runs last in name order (with `--test-threads=1`): prints what the
/// decoding targets saw inside the Parquet/Arrow crates.
#[test]
fn zz_report_upstream_panics() {
    report_upstream("decoding fuzz");
}

/// Query strings: free Unicode, and strings built from the codec's own
/// delimiters and known keys, so the parser sees its edge cases often.
fn query_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("q"),
        Just("sdk"),
        Just("tag"),
        Just("author"),
        Just("likes"),
        Just("created"),
        Just("dev"),
        Just("sort"),
        Just("view"),
        Just("embed"),
        Just("data"),
        Just("stage"),
        Just("model"),
        Just("x"),
    ];
    let value = prop_oneof![
        "\\PC{0,12}",
        "[%0-9A-Fa-f,.&=#+ -]{0,12}",
        "[0-9]{0,4}-[0-9]{0,2}-[0-9]{0,2}\\.\\.[0-9-]{0,10}"
    ];
    prop_oneof![
        "\\PC{0,64}",
        proptest::collection::vec((key, value), 0..6).prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        }),
    ]
}
