//! Heap bytes per Space natively, peaks included: decode a file, then
//! build the facet and text indexes as the app does.
//! `cargo run --release --example peak_memory -- FILE`. The browser's
//! figure (wasm memory, which never shrinks) is `bench/browser.mjs`'s.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

use spaces_ship::data::sparse::{Held, Outside, SparseFile};
use spaces_ship::data::{
    decode_apart_handing_on_prose, put_apart, ApartColumns, DecodeReport, ProseSize, SpacesDecoder,
    PROSE_PART_BYTES,
};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the allocator may do it: the new block before the old
        // one is freed.
        let live = LIVE.fetch_add(new_size, Relaxed) + new_size;
        PEAK.fetch_max(live, Relaxed);
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        LIVE.fetch_sub(layout.size(), Relaxed);
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The file, kept apart as the browser keeps a download.
#[derive(Debug)]
struct Download(Vec<u8>);

impl Outside for Download {
    fn byte_len(&self) -> u64 {
        self.0.len() as u64
    }
    fn copy_to(&self, from: u64, into: &mut [u8]) {
        let from = from as usize;
        into.copy_from_slice(&self.0[from..from + into.len()]);
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: peak_memory FILE");
    // The browser keeps the download in JavaScript's memory while the
    // engine decodes, copying in the pages it reads: so does this (the
    // file is read before the count starts).
    let bytes = std::fs::read(&path).expect("reads the file");
    let file_bytes = bytes.len();
    // Kept to the end: every figure is then counted above it.
    let download = Arc::new(Download(bytes));
    let file = SparseFile::whole_held(Held::away(download.clone()));
    // A split file's columns apart, decoded first as the second engine
    // decodes them (in a memory of its own: its figures are its own).
    let apart = decode_apart_counted(&download);
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    // Step by step as the engine decodes, noting what is held between steps.
    let mut decoder = SpacesDecoder::whole_beside_apart(file).expect("opens");
    let mut between_steps = 0;
    while decoder.step().expect("decodes") {
        between_steps = between_steps.max(LIVE.load(Relaxed));
    }
    let (mut table, mut report) = decoder.finish();
    let own_decode = (LIVE.load(Relaxed) - base, PEAK.load(Relaxed) - base);
    if let Some(apart) = apart {
        put_apart(&mut table, &mut report, apart).expect("the columns apart fit");
        println!(
            "this engine's decode: kept {:.1} MB, peak {:.1} MB; with the columns apart put in: {:.1} MB",
            own_decode.0 as f64 / 1e6,
            own_decode.1 as f64 / 1e6,
            (LIVE.load(Relaxed) - base) as f64 / 1e6
        );
    }
    let decoded = LIVE.load(Relaxed);
    let decode_peak = PEAK.load(Relaxed);
    let index = spaces_ship::search::SearchIndex::build(&table);
    for field in spaces_ship::data::Field::ALL {
        index.facets().prepare(&table, field);
    }
    let built = LIVE.load(Relaxed);
    let peak = PEAK.load(Relaxed);
    let rows = table.len().max(1) as f64;
    let per_row = |b: usize| b.saturating_sub(base) as f64 / rows;
    println!(
        "{rows} rows, file {:.1} MB ({:.0} B/row)",
        file_bytes as f64 / 1e6,
        file_bytes as f64 / rows
    );
    println!(
        "table kept: {:.0} B/row; peak while decoding {:.0} B/row ({:.0} between steps)",
        per_row(decoded),
        per_row(decode_peak),
        per_row(between_steps)
    );
    println!(
        "table and indexes kept: {:.0} B/row; peak overall {:.0} B/row",
        per_row(built),
        per_row(peak)
    );
    let parts = table.heap_bytes_by_column();
    for (name, bytes) in parts {
        println!("  {name}: {:.1} B/row", bytes as f64 / rows);
    }
    drop(index);
    drop(download);
}

/// The columns a split file leaves to a second engine, decoded with the
/// figures of that engine's heap printed; `None` for a file not split.
fn decode_apart_counted(download: &Arc<Download>) -> Option<(ApartColumns, DecodeReport)> {
    let file = SparseFile::whole_held(Held::away(download.clone()));
    let decoder = SpacesDecoder::whole_beside_apart(file).expect("opens");
    if !decoder.leaves_apart() {
        return None;
    }
    drop(decoder);
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let file = SparseFile::whole_held(Held::away(download.clone()));
    // Its titles and descriptions are handed on as they come (copied out
    // of its memory), and their sizes noted.
    let mut prose = ProseSize::default();
    let (columns, report, _) = decode_apart_handing_on_prose(file, PROSE_PART_BYTES, |part| {
        prose = prose + part.size();
    })
    .expect("decodes");
    println!(
        "second engine: kept {:.1} MB, peak {:.1} MB; handed on {:.1} MB of text for {} rows",
        (LIVE.load(Relaxed) - base) as f64 / 1e6,
        (PEAK.load(Relaxed) - base) as f64 / 1e6,
        (prose.title_bytes + prose.description_bytes) as f64 / 1e6,
        prose.rows
    );
    Some((columns, report))
}
