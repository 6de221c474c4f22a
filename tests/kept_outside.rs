//! A file kept outside this program's memory (the browser keeps a download
//! in JavaScript's, `browser::js_bytes`) decodes to the same table as one
//! held here, and only the pages being read are copied in, never the file.
#![cfg(not(target_arch = "wasm32"))]

use std::any::Any;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

use bytes::Bytes;
use parquet::file::reader::ChunkReader;
use spaces_ship::data::sparse::{
    column_ranges, merge_gap, read_footer, BundleLayout, Footer, Held, Outside, SparseFile,
    FOOTER_GUESS,
};
use spaces_ship::data::{
    decode_beside_apart, decode_whole_beside_apart, shape::Phase, SpacesDecoder,
};
use std::io::Read;

/// Bytes "elsewhere" that count what is copied out of them.
#[derive(Default)]
struct Counted {
    bytes: Vec<u8>,
    largest_copy: AtomicU64,
    copied: AtomicU64,
}

impl std::fmt::Debug for Counted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Counted({} bytes)", self.bytes.len())
    }
}

impl Outside for Counted {
    fn byte_len(&self) -> u64 {
        self.bytes.len() as u64
    }
    fn copy_to(&self, from: u64, into: &mut [u8]) {
        let from = from as usize;
        into.copy_from_slice(&self.bytes[from..from + into.len()]);
        self.largest_copy.fetch_max(into.len() as u64, Relaxed);
        self.copied.fetch_add(into.len() as u64, Relaxed);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn counted(bytes: &[u8]) -> Arc<Counted> {
    Arc::new(Counted {
        bytes: bytes.to_vec(),
        ..Counted::default()
    })
}

#[test]
fn every_fixture_decodes_the_same_kept_outside_and_copies_pages_not_the_file() {
    let mut decoded = 0;
    for entry in std::fs::read_dir("tests/fixtures").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "parquet") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let outside = counted(&bytes);
        // A damaged page can make the Parquet reader itself panic (the
        // app then reports a crash): it must do so either way.
        let kept = catch_unwind(AssertUnwindSafe(|| {
            decode_whole_beside_apart(SparseFile::whole_held(Held::away(outside.clone())))
        }));
        let here = catch_unwind(AssertUnwindSafe(|| {
            decode_beside_apart(Bytes::from(bytes.clone()))
        }));
        let name = path.display();
        let kept = match (kept, here) {
            (Ok(Ok(kept)), Ok(Ok(here))) => {
                assert_eq!(kept, here, "{name}");
                decoded += 1;
                true
            }
            (Ok(Err(kept)), Ok(Err(here))) => {
                assert_eq!(kept.to_string(), here.to_string(), "{name}");
                false
            }
            (Err(_), Err(_)) => false,
            (kept, here) => panic!(
                "{name}: kept outside {:?}, here {:?}",
                kept.is_ok(),
                here.is_ok()
            ),
        };
        // A file of many pages is never copied in whole.
        if kept && bytes.len() > 256 * 1024 {
            let largest = outside.largest_copy.load(Relaxed);
            assert!(
                largest < bytes.len() as u64 / 2,
                "{name}: a copy of {largest} bytes from a file of {}",
                bytes.len()
            );
        }
    }
    assert!(decoded >= 10, "only {decoded} fixtures decoded");
}

#[test]
fn a_fetch_by_ranges_kept_outside_decodes_the_same() {
    for fixture in [
        "spaces-5k-pandas",
        "spaces-5k-hub-api",
        "spaces-5k-zstd-small-rg",
    ] {
        let bytes =
            Bytes::from(std::fs::read(format!("tests/fixtures/{fixture}.parquet")).unwrap());
        let len = bytes.len() as u64;
        // As the browser: a four-byte probe, the tail, then every planned
        // range, each response an array of its own.
        let part = |range: Range<u64>| {
            Held::away(counted(&bytes[range.start as usize..range.end as usize]))
        };
        let mut file = SparseFile::new(len);
        file.insert_held(0, part(0..4));
        file.insert_held(
            len - FOOTER_GUESS.min(len),
            part(len - FOOTER_GUESS.min(len)..len),
        );
        let Footer::Parsed(metadata) = read_footer(&file).unwrap() else {
            panic!("{fixture}: the footer fits the guess");
        };
        for range in file.missing(&column_ranges(&metadata, len, merge_gap(len), Phase::All)) {
            file.insert_held(range.start, part(range));
        }
        let mut decoder = SpacesDecoder::from_sparse(file).unwrap();
        while decoder.step().unwrap() {}
        let (table, _) = decoder.finish();
        let (whole, _) = spaces_ship::data::decode_spaces(bytes.clone()).unwrap();
        assert_eq!(table, whole, "{fixture}");
    }
}

#[test]
fn parts_kept_outside_are_never_joined_and_read_across_their_edges() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let mut file = SparseFile::new(10_000);
    let outside = counted(&bytes[1_000..6_000]);
    file.insert_held(1_000, Held::away(outside.clone()));
    // Here, touching it on the left, overlapping it on the right.
    file.insert(500, Bytes::copy_from_slice(&bytes[500..1_000]));
    file.insert(5_500, Bytes::copy_from_slice(&bytes[5_500..7_000]));
    assert_eq!(file.parts().count(), 3, "nothing joined into a copy");
    assert_eq!(outside.copied.load(Relaxed), 0, "nothing copied in yet");
    assert_eq!(
        file.missing(&[0..500, 500..10_000]),
        vec![0..500, 7_000..10_000]
    );
    assert_eq!(file.held_bytes(), 6_500);
    // Across both edges, at once and through a reader.
    assert_eq!(file.get_bytes(900, 5_200).unwrap(), &bytes[900..6_100]);
    let mut read = Vec::new();
    file.get_read(900).unwrap().read_to_end(&mut read).unwrap();
    assert_eq!(read, &bytes[900..7_000]);
    assert!(file.get_bytes(6_900, 200).is_err(), "7000.. is not held");
    assert!(file.get_read(7_000).is_err());
    // Kept copies into this memory; shared stays outside.
    let wanted = [1_200..1_250, 1_250..1_300];
    let kept = file.keep(&wanted);
    assert!(kept.parts().all(|p| matches!(p, Held::Here(_))));
    let shared = file.share(&wanted);
    assert!(matches!(shared.parts().next(), Some(Held::Away { .. })));
    assert_eq!(kept, shared);
}

#[test]
fn a_bundle_kept_outside_reads_back_and_a_cut_one_is_refused() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(3_000).collect();
    let mut file = SparseFile::new(5_000);
    file.insert(0, Bytes::copy_from_slice(&bytes[..100]));
    file.insert_held(1_000, Held::away(counted(&bytes[1_000..3_000])));
    let bundle = file.to_bundle();
    let outside = counted(&bundle);
    let read = SparseFile::from_bundle_held(Held::away(outside.clone())).unwrap();
    // The first 20 bytes, then the header (and its two parts' places).
    assert_eq!(
        outside.copied.load(Relaxed),
        20 + (20 + 2 * 16),
        "the header is read, the parts stay where they are"
    );
    assert_eq!(read, file);
    // Its layout alone says where each part lies, and which ends the file
    // (none here: the file's last 2,000 bytes were never held).
    let layout = BundleLayout::read(&bundle, bundle.len() as u64).unwrap();
    let header = 20 + 2 * 16;
    assert_eq!(BundleLayout::header_len(&bundle[..20]), Some(header));
    assert_eq!(
        layout.parts,
        vec![
            (0, header..header + 100),
            (1_000, header + 100..header + 2_100)
        ]
    );
    assert_eq!(layout.last_part(), None);
    assert_eq!(
        BundleLayout::read(&bundle[..bundle.len() - 1], bundle.len() as u64 - 1),
        None
    );
    let mut ended = file.clone();
    ended.insert(4_000, Bytes::from(vec![7u8; 1_000]));
    let ended_bundle = ended.to_bundle();
    let layout = BundleLayout::read(&ended_bundle, ended_bundle.len() as u64).unwrap();
    assert_eq!(layout.last_part().map(|(start, _)| *start), Some(4_000));
    let cut = counted(&bundle[..bundle.len() - 1]);
    assert_eq!(SparseFile::from_bundle_held(Held::away(cut)), None);
    assert_eq!(SparseFile::from_bundle(Bytes::from(bundle)), Some(file));
}
