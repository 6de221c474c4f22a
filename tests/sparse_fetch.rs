//! Reading only the footer and the app's column chunks (what the browser
//! fetches with range requests) decodes to the same table as the whole file.
#![cfg(not(target_arch = "wasm32"))]

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use proptest::prelude::*;
use spaces_ship::data::shape::Phase;
use spaces_ship::data::sparse::{
    column_ranges, merge_gap, read_footer, Footer, Held, Outside, SparseFile, FOOTER_GUESS,
};
use spaces_ship::data::{decode_prose, decode_spaces, SpacesDecoder, SpacesTable};
use spaces_ship::synth::{generate_spaces, write_parquet, WriteOptions};

/// Plays the fetch layer: tail first, more tail if the footer asks, then
/// the planned ranges. Returns the file and the ranges requested.
fn fetch_like_the_browser(file: &Bytes, guess: u64, gap: u64) -> (SparseFile, Vec<Range<u64>>) {
    let len = file.len() as u64;
    let mut sparse = SparseFile::new(len);
    let mut requests = Vec::new();
    let mut tail = guess.min(len);
    let metadata = loop {
        let range = len - tail..len;
        for missing in sparse.missing(std::slice::from_ref(&range)) {
            sparse.insert(
                missing.start,
                file.slice(missing.start as usize..missing.end as usize),
            );
            requests.push(missing);
        }
        match read_footer(&sparse).unwrap() {
            Footer::Parsed(metadata) => break metadata,
            Footer::NeedTail(needed) => {
                assert!(needed > tail, "asks for more than it has");
                tail = needed;
            }
        }
    };
    let wanted = column_ranges(&metadata, len, gap, Phase::Eager);
    for range in sparse.missing(&wanted) {
        sparse.insert(
            range.start,
            file.slice(range.start as usize..range.end as usize),
        );
        requests.push(range);
    }
    (sparse, requests)
}

fn decode_sparse(sparse: SparseFile) -> SpacesTable {
    decode_sparse_decoder(SpacesDecoder::from_sparse(sparse).unwrap())
}

/// The prose of a file whose eager fetch left it out, as the browser gets
/// it when Search first needs titles: the footer and any prose bytes the
/// eager fetch held, then the missing prose ranges. Returns the file and
/// the ranges fetched.
fn fetch_prose(file: &Bytes, eager: &SparseFile) -> (SparseFile, Vec<Range<u64>>) {
    let len = file.len() as u64;
    let metadata = match read_footer(eager).unwrap() {
        Footer::Parsed(metadata) => metadata,
        Footer::NeedTail(_) => panic!("the eager fetch holds the footer"),
    };
    let ranges = column_ranges(&metadata, len, merge_gap(len), Phase::Prose);
    let mut prose = eager.keep(&ranges);
    let missing = prose.missing(&ranges);
    for range in &missing {
        prose.insert(
            range.start,
            file.slice(range.start as usize..range.end as usize),
        );
    }
    (prose, missing)
}

#[test]
fn prose_apart_is_fetched_later_and_pairs_with_the_same_rows() {
    use spaces_ship::data::slim::write_slim;
    use spaces_ship::synth::hub::{write_hub_parquet, HubShape};
    let rows = generate_spaces(3_000, 5);
    let struct_card = Bytes::from(write_hub_parquet(
        &rows,
        HubShape {
            runtime_json: false,
            card_json: false,
        },
    ));
    let json_card = Bytes::from(write_hub_parquet(
        &rows,
        HubShape {
            runtime_json: false,
            card_json: true,
        },
    ));
    let (struct_table, _) = decode_spaces(struct_card.clone()).unwrap();
    assert!(struct_table.has_prose() && struct_table.has_descriptions());
    let mut slim = Vec::new();
    write_slim(&struct_table, "test", &mut slim).unwrap();
    let slim = Bytes::from(slim);
    for (what, file) in [("struct card", &struct_card), ("slim", &slim)] {
        let (whole, _) = decode_spaces(file.clone()).unwrap();
        // No merging and only the footer from the tail: in a file this
        // small, the first 64 KiB or the gap rule would bring the prose
        // chunks with their neighbours (which are then read at once).
        let (eager, _) = fetch_like_the_browser(file, 64, 0);
        let mut decoder = SpacesDecoder::from_sparse(eager.clone()).unwrap();
        assert!(decoder.prose_deferred(), "{what}");
        while decoder.step().unwrap() {}
        let (table, _) = decoder.finish();
        assert!(!table.has_prose(), "{what}");
        assert_eq!(table.title(0), "", "{what}: no prose until it is in");
        let (prose_file, prose_ranges) = fetch_prose(file, &eager);
        // The first fetch left every prose byte out.
        assert!(!prose_ranges.is_empty(), "{what}");
        assert_eq!(eager.missing(&prose_ranges), prose_ranges, "{what}");
        let prose = decode_prose(prose_file).unwrap();
        table.set_prose(prose).unwrap();
        assert_eq!(
            table, whole,
            "{what}: eager then prose equals the whole file"
        );
        // Prose of another file (other rows) is refused.
        let other = decode_spaces(Bytes::from(write_hub_parquet(
            &rows[..10],
            HubShape {
                runtime_json: false,
                card_json: false,
            },
        )))
        .unwrap()
        .0;
        let (eager_again, _) = fetch_like_the_browser(file, 64, 0);
        let fresh = decode_sparse(eager_again);
        assert!(fresh.set_prose(other.prose.into_inner().unwrap()).is_err());
    }
    // JSON text holds the prose with the card's other fields: read at once.
    let (eager, _) =
        fetch_like_the_browser(&json_card, FOOTER_GUESS, merge_gap(json_card.len() as u64));
    let decoder = SpacesDecoder::from_sparse(eager).unwrap();
    assert!(!decoder.prose_deferred());
    assert_eq!(decode_sparse_decoder(decoder), struct_table);
}

fn decode_sparse_decoder(mut decoder: SpacesDecoder) -> SpacesTable {
    while decoder.step().unwrap() {}
    decoder.finish().0
}

#[test]
fn only_the_used_columns_are_fetched_and_they_decode_the_same() {
    let rows = generate_spaces(4_000, 21);
    let options = WriteOptions {
        row_group_rows: 1_500,
        ..WriteOptions::default()
    };
    let file = Bytes::from(write_parquet(&rows, &options));
    let (whole, _) = decode_spaces(file.clone()).unwrap();
    for (guess, gap) in [
        (FOOTER_GUESS, merge_gap(file.len() as u64)),
        (64, 0),
        (8, 1024),
    ] {
        let (sparse, requests) = fetch_like_the_browser(&file, guess, gap);
        let held = sparse.held_bytes();
        assert!(held < file.len() as u64, "{held} of {}", file.len());
        let requested: u64 = requests.iter().map(|r| r.end - r.start).sum();
        assert_eq!(requested, held, "nothing is fetched twice");
        assert_eq!(decode_sparse(sparse), whole, "guess {guess}, gap {gap}");
    }
    // Without merging, the skipped columns (subdomain, host, readme_size,
    // python_version, colours) are never fetched.
    let (sparse, _) = fetch_like_the_browser(&file, FOOTER_GUESS, 0);
    let fraction = sparse.held_bytes() as f64 / file.len() as f64;
    assert!(fraction < 0.8, "fetched {fraction:.2} of the file");
}

#[test]
fn a_range_that_was_not_fetched_is_an_error_not_a_panic() {
    let file = Bytes::from(write_parquet(
        &generate_spaces(500, 2),
        &WriteOptions::default(),
    ));
    let (complete, requests) = fetch_like_the_browser(&file, FOOTER_GUESS, 0);
    // Rebuild without the last range fetched (a column chunk).
    let mut partial = SparseFile::new(file.len() as u64);
    for range in requests
        .iter()
        .filter(|r| **r != requests[requests.len() - 1])
    {
        partial.insert(
            range.start,
            file.slice(range.start as usize..range.end as usize),
        );
    }
    assert_ne!(partial, complete);
    let result = SpacesDecoder::from_sparse(partial).and_then(|mut decoder| {
        while decoder.step()? {}
        Ok(decoder.finish())
    });
    let error = result.unwrap_err().to_string();
    assert!(
        error.contains("not downloaded") || error.contains("damaged"),
        "{error}"
    );
}

#[test]
fn a_tail_that_is_not_parquet_is_said_so() {
    let mut sparse = SparseFile::new(100);
    sparse.insert(60, Bytes::from(vec![b'x'; 40]));
    let error = read_footer(&sparse).unwrap_err().to_string();
    assert!(error.contains("PAR1"), "{error}");
    // With Parquet's marker at the start, the file was cut short.
    sparse.insert(0, Bytes::from_static(b"PAR1"));
    let error = read_footer(&sparse).unwrap_err().to_string();
    assert!(
        error.contains("damaged or truncated") && error.contains("cut short"),
        "{error}"
    );
}

#[test]
fn bundles_round_trip_and_reject_other_bytes() {
    let file = Bytes::from(write_parquet(
        &generate_spaces(300, 4),
        &WriteOptions::default(),
    ));
    let (sparse, _) = fetch_like_the_browser(&file, 1024, 0);
    let bundle = Bytes::from(sparse.to_bundle());
    assert_eq!(SparseFile::from_bundle(bundle.clone()), Some(sparse));
    assert_eq!(
        SparseFile::from_bundle(bundle.slice(..bundle.len() - 1)),
        None
    );
    assert_eq!(SparseFile::from_bundle(file), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Inserting arbitrary, overlapping pieces holds exactly what a naive
    /// byte map holds.
    #[test]
    fn inserts_agree_with_a_byte_map(pieces in proptest::collection::vec((0u64..200, 0usize..60), 0..12)) {
        let source: Vec<u8> = (0..=255u8).cycle().take(200).collect();
        let mut sparse = SparseFile::new(200);
        let mut naive = [false; 200];
        for (start, length) in pieces {
            let end = (start as usize + length).min(200);
            sparse.insert(start, Bytes::copy_from_slice(&source[start as usize..end]));
            naive[start as usize..end].iter_mut().for_each(|b| *b = true);
        }
        prop_assert_eq!(sparse.held_bytes(), naive.iter().filter(|b| **b).count() as u64);
        let gaps = sparse.missing(std::slice::from_ref(&(0..200)));
        for (i, held) in naive.iter().enumerate() {
            let in_gap = gaps.iter().any(|g| g.contains(&(i as u64)));
            prop_assert_eq!(*held, !in_gap, "byte {}", i);
        }
        use parquet::file::reader::ChunkReader;
        for (i, held) in naive.iter().enumerate() {
            let got = sparse.get_bytes(i as u64, 1);
            prop_assert_eq!(got.is_ok(), *held);
            if let Ok(b) = got { prop_assert_eq!(b[0], source[i]); }
        }
    }

    #[test]
    fn arbitrary_bundles_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut framed = b"SSB1".to_vec();
        framed.extend_from_slice(&bytes);
        let _ = SparseFile::from_bundle(Bytes::from(framed));
        let _ = SparseFile::from_bundle(Bytes::from(bytes));
    }
}

/// The fixtures pyarrow wrote like upstream (all 23 columns): the browser
/// fetches well under 70% of each.
#[test]
fn upstream_style_fixtures_need_under_70_percent_of_their_bytes() {
    for name in [
        "pandas",
        "pandas3",
        "duckdb",
        "polars",
        "zstd-small-rg",
        "license-list",
    ] {
        let path = format!(
            "{}/tests/fixtures/spaces-5k-{name}.parquet",
            env!("CARGO_MANIFEST_DIR")
        );
        let file = Bytes::from(std::fs::read(path).unwrap());
        let (whole, _) = decode_spaces(file.clone()).unwrap();
        let (sparse, requests) =
            fetch_like_the_browser(&file, FOOTER_GUESS, merge_gap(file.len() as u64));
        let fraction = sparse.held_bytes() as f64 / file.len() as f64;
        println!(
            "{name}: {:.1}% in {} requests",
            fraction * 100.0,
            requests.len()
        );
        assert!(fraction < 0.7, "{name}: {fraction:.2}");
        assert_eq!(decode_sparse(sparse), whole, "{name}");
    }
}

/// Bytes kept outside this program's memory, as the browser keeps a
/// download's.
#[derive(Debug)]
struct Browser(Bytes);

impl Outside for Browser {
    fn byte_len(&self) -> u64 {
        self.0.len() as u64
    }
    fn copy_to(&self, from: u64, into: &mut [u8]) {
        into.copy_from_slice(&self.0[from as usize..from as usize + into.len()]);
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A revisit reads only the parts of the cached download that hold the
/// footer (`browser::cache::Bundle::footer`): the part that ends the file
/// and, for a footer longer than the first request's guess, those before
/// it. (The 2.5M-row Hub file's 70 kB footer outgrew the 64 kB guess, and
/// its revisits decoded the file again.)
#[test]
fn a_footer_longer_than_the_guess_is_read_whole_from_the_cached_parts() {
    use spaces_ship::data::sparse::BundleLayout;
    use spaces_ship::data::FooterFacts;
    let file = Bytes::from(write_parquet(
        &generate_spaces(2_000, 4),
        &WriteOptions::default(),
    ));
    // The browser's download: a guess of the last 64 bytes, then the rest
    // of the footer, each kept in a buffer of its own (outside wasm
    // memory, never joined), as a 70 kB footer comes after a 64 kB guess.
    let len = file.len() as u64;
    let footer_start = SparseFile::whole(file.clone()).footer_start().unwrap();
    let mut sparse = SparseFile::new(len);
    for range in [len - 64..len, footer_start..len - 64] {
        let part = Browser(file.slice(range.start as usize..range.end as usize));
        sparse.insert_held(range.start, Held::away(Arc::new(part)));
    }
    let bundle = sparse.to_bundle();
    let layout = BundleLayout::read(&bundle, bundle.len() as u64).unwrap();
    let read = |file: &mut SparseFile, (start, within): &(u64, Range<u64>)| {
        let bytes = bundle[within.start as usize..within.end as usize].to_vec();
        file.insert(*start, Bytes::from(bytes));
    };
    let last = layout.last_part().unwrap();
    let mut footer = SparseFile::new(file.len() as u64);
    read(&mut footer, last);
    assert!(
        FooterFacts::of_sparse_beside_apart(&footer).is_err(),
        "the last part alone holds the whole footer: the test shows nothing"
    );
    assert_eq!(footer.footer_start(), Some(footer_start));
    let before: Vec<_> = layout.parts_within(footer_start..last.0).collect();
    assert!(!before.is_empty());
    for part in before {
        read(&mut footer, part);
    }
    let facts = FooterFacts::of_sparse_beside_apart(&footer).unwrap();
    let decoder = SpacesDecoder::from_sparse_beside_apart(sparse).unwrap();
    assert_eq!(facts, decoder.facts());
    assert_eq!(facts.total_rows(), 2_000);
    // Parts wholly before or after a range are not within it.
    assert_eq!(layout.parts_within(0..0).count(), 0);
    assert_eq!(layout.parts_within(file.len() as u64..u64::MAX).count(), 0);
}

/// A revisit checks its saved table against the footer alone
/// ([`FooterFacts`]): what it learns must be what a decoder of the same
/// bytes learns, whether only the footer or the eager ranges are in.
#[test]
fn the_footer_alone_tells_what_a_decoder_would() {
    use spaces_ship::data::FooterFacts;
    use spaces_ship::synth::hub::{write_hub_parquet, HubShape};
    let rows = generate_spaces(2_000, 9);
    let hub = |card_json| {
        Bytes::from(write_hub_parquet(
            &rows,
            HubShape {
                runtime_json: false,
                card_json,
            },
        ))
    };
    let upstream = Bytes::from(write_parquet(&rows, &WriteOptions::default()));
    for (what, file) in [
        ("json card", hub(true)),
        ("struct card", hub(false)),
        ("upstream", upstream),
    ] {
        for (fetched, gap) in [("footer only", None), ("eager ranges", Some(0))] {
            let sparse = match gap {
                None => fetch_like_the_browser(&file, 64, 0).0.keep(&[]),
                Some(gap) => fetch_like_the_browser(&file, 64, gap).0,
            };
            let facts = FooterFacts::of_sparse_beside_apart(&sparse).unwrap();
            let decoder = SpacesDecoder::from_sparse_beside_apart(sparse).unwrap();
            assert_eq!(facts, decoder.facts(), "{what}, {fetched}");
            assert_eq!(facts.total_rows(), 2_000, "{what}, {fetched}");
        }
    }
    // The struct card keeps its prose in chunks of its own: left for later
    // when only the footer is in.
    let footer = fetch_like_the_browser(&hub(false), 64, 0).0.keep(&[]);
    let facts = FooterFacts::of_sparse_beside_apart(&footer).unwrap();
    assert!(facts.prose_deferred() && !facts.deferred_ranges().is_empty());
    // A damaged footer is refused as the decoder refuses it.
    let mut damaged = hub(true).to_vec();
    let end = damaged.len() - 8;
    damaged[end - 32..end].fill(0xff);
    let sparse = SparseFile::whole(Bytes::from(damaged));
    assert_eq!(
        FooterFacts::of_sparse_beside_apart(&sparse)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        SpacesDecoder::from_sparse_beside_apart(sparse)
            .map(|_| ())
            .map_err(|e| e.to_string()),
    );
    assert!(
        FooterFacts::of_sparse_beside_apart(&SparseFile::whole(Bytes::from_static(
            b"PAR1 no footer PAR1"
        )))
        .is_err()
    );
}
