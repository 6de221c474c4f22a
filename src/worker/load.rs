//! One load in the engine: fetch, then either read this browser's saved
//! copy of the decoded table or decode the file; the table then stays in
//! the engine (`session`), which saves it for the next visit.

use std::cell::{Cell, RefCell};

use super::apart::{Apart, SecondEngine};
use super::session::{self, ProseLater, ToSave};
use super::{post, set_decoding, Attachments};
use crate::browser::cache;
use crate::browser::fetch::{self, Download, Fetched, ProseSource};
use crate::browser::{page, perf};
use crate::data::saved::SavedTable;
use crate::data::sparse::SparseFile;
use crate::data::{put_apart, FooterFacts, SpacesDecoder, SpacesTable};
use crate::protocol::{
    Mark, Progress, ProseWhere, Reply, SecondEngineMemory, TableReport, Transfer,
};
use crate::query::{Dataset, TableFacts};

/// A file fetched, with what its footer says of its decode.
struct Checked {
    url: String,
    download: Download,
    facts: FooterFacts,
    fetch_ms: f64,
}

/// A file fetched, with its decoder ready.
struct Offered {
    checked: Checked,
    decoder: SpacesDecoder,
    /// The download, saved for the next visit as a cache bundle once the
    /// first view is answered (none when it came from the cache).
    columns: Option<SparseFile>,
    /// A second engine, started when the footer showed the decode needs it.
    second: Option<SecondEngine>,
}

/// How often the download and the decode report their progress to the
/// page.
const PROGRESS_EVERY_MS: f64 = 100.0;

/// Loads the file at `url` for request `seq`.
pub async fn load(url: String, seq: u64) {
    let send = |reply: Reply| post(seq, &reply, &Attachments::default());
    let second = RefCell::new(None);
    let on_footer = |metadata: &_| *second.borrow_mut() = SecondEngine::for_footer(metadata);
    let fetch_start = perf::epoch_now();
    // As the decode's: a few reports a second (each redraws the page),
    // and always the one that ends the download.
    let last_progress = Cell::new(f64::NEG_INFINITY);
    let progress = |p: Progress| {
        let now = perf::epoch_now();
        let ended = p.total.is_some_and(|total| p.received >= total);
        if ended || now - last_progress.get() >= PROGRESS_EVERY_MS {
            last_progress.set(now);
            send(Reply::Fetching(p));
        }
    };
    // The saved table (if any) is looked up while the file is checked; it
    // is read only if the file proves unchanged. (Read during the check,
    // it held up the cached columns' lookup behind it and was no faster
    // locally; a changed file would have paid for a restore.)
    let (fetched, saved_entry) = futures::join!(
        fetch::fetch_dataset(&url, &progress, &on_footer),
        cache::find_saved_table(&url)
    );
    let fetch_ms = perf::epoch_now() - fetch_start;
    post_mark(seq, "spaces:fetch", fetch_start, fetch_ms);
    let mut download = match fetched {
        Ok(download) => download,
        Err(message) => return send(Reply::Failed { message }),
    };
    let from_cache = matches!(download.transfer, Transfer::Cached { .. });
    // An unchanged file seen before: its decoded table, if saved and
    // whole, checked against the file's footer alone (the cached columns
    // are read only for a decode). Anything else is decoded afresh.
    let saved = saved_entry
        .filter(|saved| from_cache && download.validator.as_deref() == Some(saved.validator()));
    if let Some(entry) = saved {
        let footer = match &download.fetched {
            Fetched::Cached(bundle) => bundle.footer().await,
            _ => None,
        };
        // The footer alone checks a saved copy: no decoder is built.
        let checked = footer.and_then(|file| {
            let download = Download {
                fetched: Fetched::Sparse(file),
                ..download.clone()
            };
            check(&url, download, fetch_ms)
                .map_err(|why| {
                    page::console_warn(&format!(
                        "Spaces Ship: the saved table was not checked ({why}); the file is decoded again."
                    ))
                })
                .ok()
        });
        if let Some(checked) = checked {
            let start = perf::epoch_now();
            match restore(entry, seq)
                .await
                .and_then(|saved| checked.holds(saved))
            {
                Ok(saved) => {
                    let mut report = checked.report(true, start);
                    report.warnings = saved.warnings;
                    let prose = checked.prose_source().map(ProseLater::Fetch);
                    return hold(
                        seq,
                        saved.table,
                        report,
                        prose,
                        None,
                        SecondEngineMemory::default(),
                    );
                }
                Err(why) => page::console_warn(&format!(
                    "Spaces Ship: the saved table was not used because {why}; it is decoded again."
                )),
            }
        }
    }
    if let Err(message) = download.read_cached().await {
        return send(Reply::Failed { message });
    }
    // The download's own arrays (outside wasm memory), kept for the
    // cache: bundled into a Blob once the first view is answered. (Bundled
    // here, the copy held up the decode by ~25 ms at 1M rows.)
    let columns = (!from_cache).then(|| download.to_sparse());
    match offer(&url, download, columns, fetch_ms, second.into_inner()) {
        Ok(offered) => decode(offered, seq).await,
        Err(message) => send(Reply::Failed { message }),
    }
}

/// The file of `download` with its decoder ready (reading the footer can
/// meet damaged data too: the error says so).
fn offer(
    url: &str,
    download: Download,
    columns: Option<SparseFile>,
    fetch_ms: f64,
    second: Option<SecondEngine>,
) -> Result<Offered, String> {
    set_decoding(true);
    let decoder = match &download.fetched {
        Fetched::Whole(file) => SpacesDecoder::whole_beside_apart(file.clone()),
        Fetched::Sparse(file) => SpacesDecoder::from_sparse_beside_apart(file.clone()),
        Fetched::Cached(_) => {
            set_decoding(false);
            return Err(UNREAD_CACHE.into());
        }
    };
    set_decoding(false);
    let decoder = decoder.map_err(|error| error.to_string())?;
    let facts = decoder.facts();
    Ok(Offered {
        checked: Checked {
            url: url.to_string(),
            download,
            facts,
            fetch_ms,
        },
        decoder,
        columns,
        second,
    })
}

/// The file of `download` (its footer, at least) with what a decode of it
/// would read, as [`offer`] would find it.
fn check(url: &str, download: Download, fetch_ms: f64) -> Result<Checked, String> {
    let Fetched::Sparse(file) = &download.fetched else {
        return Err(UNREAD_CACHE.into());
    };
    set_decoding(true);
    let facts = FooterFacts::of_sparse_beside_apart(file);
    set_decoding(false);
    Ok(Checked {
        url: url.to_string(),
        download,
        facts: facts.map_err(|error| error.to_string())?,
        fetch_ms,
    })
}

const UNREAD_CACHE: &str = "The saved copy of the file was not read before its decode.";

/// The saved table of `entry`, if it reads back whole. Marks its steps
/// for request `seq`: reading the cache (when it comes apart) and reading
/// the columns.
async fn restore(entry: cache::SavedEntry, seq: u64) -> Result<SavedTable, String> {
    let start = perf::epoch_now();
    let (table, read_ms) = entry.restore().await?;
    // Bytes read before the restore began (Cache Storage) are marked
    // apart; a file is read as it is restored.
    let restore_start = start + read_ms.unwrap_or(0.0);
    if let Some(read_ms) = read_ms {
        post_mark(seq, "spaces:saved-read", start, read_ms);
    }
    post_mark(
        seq,
        "spaces:saved-restore",
        restore_start,
        perf::epoch_now() - restore_start,
    );
    Ok(table)
}

/// Puts a span the engine timed on the page's timeline, for request `seq`.
fn post_mark(seq: u64, name: &str, start_epoch_ms: f64, duration_ms: f64) {
    let mark = Mark {
        name: name.into(),
        start_epoch_ms,
        duration_ms,
    };
    post(seq, &Reply::Mark(mark), &Attachments::default());
}

/// Decodes the file of `offered` and holds the table for request `seq`.
async fn decode(mut offered: Offered, seq: u64) {
    let send = |reply: Reply| post(seq, &reply, &Attachments::default());
    let decode_start = perf::epoch_now();
    let total = offered.decoder.total_rows();
    // Started first, so that it decodes while this engine decodes the rest.
    let second = offered.second.take();
    let apart = offered.decoder.leaves_apart().then(|| {
        // Not started yet when the footer came with the whole file.
        let second = second.or_else(SecondEngine::start);
        let chunks = offered.decoder.deferred_ranges();
        Apart::start(second, offered.checked.download.to_sparse().share(chunks))
    });
    // What comes after the decode is read now, so that the decoder holds
    // the download alone and lets go of it as it reads.
    let mut report = offered.checked.report(false, decode_start);
    let prose = offered.checked.prose_source();
    let mut to_save = offered.to_save();
    offered.checked.download.fetched = Fetched::Sparse(SparseFile::default());
    set_decoding(true);
    let mut last_progress = f64::NEG_INFINITY;
    // The page ends a load it no longer wants by terminating the worker:
    // no yielding between steps for it, only while a second engine starts.
    loop {
        match offered.decoder.step() {
            Ok(true) => {
                // Each one redraws the page's progress: a few a second is
                // plenty, and the page's work takes a core from the decode.
                let now = perf::epoch_now();
                if now - last_progress >= PROGRESS_EVERY_MS {
                    last_progress = now;
                    send(Reply::Decoding {
                        done: offered.decoder.decoded_rows(),
                        total,
                    });
                }
                if apart.as_ref().is_some_and(Apart::starting) {
                    page::yield_to_browser().await;
                }
            }
            Ok(false) => break,
            Err(error) => {
                set_decoding(false);
                return send(Reply::Failed {
                    message: error.to_string(),
                });
            }
        }
    }
    let (mut table, mut decoded) = offered.decoder.finish();
    set_decoding(false);
    let mut second_memory = SecondEngineMemory::default();
    let mut prose_to_come = None;
    if let Some(apart) = apart {
        let decoded_apart = apart.finish().await;
        // When the columns apart were in (the rest waits for them or not).
        post_mark(
            seq,
            "spaces:engine-apart",
            decode_start,
            perf::epoch_now() - decode_start,
        );
        let joined = decoded_apart.and_then(|apart| {
            second_memory = apart.memory;
            prose_to_come = apart.prose;
            put_apart(&mut table, &mut decoded, apart.columns).map_err(|error| error.to_string())
        });
        if let Err(message) = joined {
            return send(Reply::Failed { message });
        }
    }
    post_mark(
        seq,
        "spaces:engine-decode",
        decode_start,
        perf::epoch_now() - decode_start,
    );
    report.warnings = decoded.warnings();
    // Columns apart decoded here report no memory of their own.
    report.engines = 1 + u8::from(second_memory.peak > 0);
    if let Some(to_save) = &mut to_save {
        to_save.warnings.clone_from(&report.warnings);
    }
    // The titles the second engine sent as it went are joined later.
    let later = match prose_to_come {
        Some(parts) => Some(ProseLater::Parts(parts)),
        None => prose.map(ProseLater::Fetch),
    };
    hold(seq, table, report, later, to_save, second_memory);
}

/// Keeps `table` for the page's questions, tells the page it is in, and
/// saves what the next visit needs once the first view is answered.
fn hold(
    seq: u64,
    table: SpacesTable,
    mut report: TableReport,
    prose: Option<ProseLater>,
    to_save: Option<ToSave>,
    second_memory: SecondEngineMemory,
) {
    // A saved copy may hold the prose already: nothing to fetch then.
    let prose = prose.filter(|_| table.prose.get().is_none());
    report.prose_bytes = prose.as_ref().map(ProseLater::bytes);
    report.facts = TableFacts::of(&table);
    session::install(Dataset::new(table), prose, second_memory, to_save);
    // Both engines' peak together (`SecondEngineMemory`).
    report.engine_memory = session::memory();
    post(
        seq,
        &Reply::Loaded(Box::new(report)),
        &Attachments::default(),
    );
}

impl Checked {
    /// `saved` if it is what this file decodes to.
    fn holds(&self, saved: SavedTable) -> Result<SavedTable, String> {
        let holds = saved.table.len() == self.facts.total_rows()
            && (saved.table.prose.get().is_some() || self.facts.prose_deferred());
        match holds {
            true => Ok(saved),
            false => Err("it is not what this file decodes to".into()),
        }
    }

    /// The panel's report, and what the page needs to check a saved copy
    /// and to fetch the prose later (the decode's warnings are added once
    /// it ends).
    fn report(&self, restored: bool, decode_start: f64) -> TableReport {
        let download = &self.download;
        TableReport {
            transferred: download.transferred,
            file_size: download.file_size,
            transfer: download.transfer.clone(),
            fetch_ms: self.fetch_ms,
            decode_start_epoch_ms: decode_start,
            restored,
            last_modified: download.last_modified.clone(),
            warnings: Vec::new(),
            prose_bytes: None,
            engine_memory: perf::wasm_memory_bytes(),
            engines: 1,
            facts: TableFacts::default(),
        }
    }

    /// Where the prose the decode leaves out is, with the footer and
    /// whatever prose bytes the ranges fetched already hold; none when
    /// nothing is left.
    fn prose_source(&self) -> Option<ProseSource> {
        let Fetched::Sparse(file) = &self.download.fetched else {
            return None;
        };
        if !self.facts.prose_deferred() {
            return None;
        }
        let download = &self.download;
        let place = ProseWhere {
            url: download.direct_url.clone(),
            cache_url: self.url.clone(),
            file_len: download.file_size,
            ranges: self.facts.deferred_ranges().to_vec(),
            validator: download.validator.clone(),
            last_modified: download.last_modified.clone(),
        };
        Some(ProseSource::new(
            place,
            file.keep(self.facts.deferred_ranges()),
        ))
    }
}

impl Offered {
    /// What saving a fresh decode for the next visit needs (nothing when
    /// the server names no version to file it under).
    fn to_save(&self) -> Option<ToSave> {
        Some(ToSave::new(
            self.checked.url.clone(),
            self.columns.clone(),
            self.checked.download.validator.clone()?,
            self.checked.download.last_modified.clone(),
            self.checked.facts.prose_deferred(),
        ))
    }
}
