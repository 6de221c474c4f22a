//! One load in the engine: fetch, then either offer this browser's saved
//! copy of the decoded table or decode and send the table, with what the
//! next visit needs for the page to save.

use std::cell::RefCell;

use super::apart::{Apart, SecondEngine};
use super::{post, set_decoding, Attachments, SavedBytes, OFFERED};
use crate::browser::fetch::{self, Download, Fetched, ProseSource};
use crate::browser::{cache, page, perf};
use crate::data::sparse::SparseFile;
use crate::data::{put_card, SpacesDecoder};
use crate::protocol::{Mark, Progress, ProseWhere, Reply, TableReport, Transfer};

/// A load whose saved copy went to the page, kept until the page says
/// whether it holds ([`super::Request::Decode`]) or not.
pub struct Offered {
    url: String,
    download: Download,
    decoder: SpacesDecoder,
    /// The bytes fetched, when they were ranges: the prose the decode
    /// leaves out is fetched later around them.
    sparse: Option<SparseFile>,
    /// The download as a cache bundle, for the page to save for the next
    /// visit (none when it came from the cache).
    columns: Option<web_sys::Blob>,
    fetch_ms: f64,
    /// A second engine, started when the footer showed the decode needs it.
    second: Option<SecondEngine>,
}

/// How often the decode reports its progress to the page.
const PROGRESS_EVERY_MS: f64 = 100.0;

/// Loads the file at `url` for request `seq`.
pub async fn load(url: String, seq: u64) {
    let send = |reply: Reply| post(seq, &reply, &Attachments::default());
    let second = RefCell::new(None);
    let on_footer = |metadata: &_| *second.borrow_mut() = SecondEngine::for_footer(metadata);
    let fetch_start = perf::epoch_now();
    let progress = |p: Progress| send(Reply::Fetching(p));
    // The saved table (if any) is looked up while the file is checked; it
    // is offered only if the file proves unchanged.
    let (fetched, saved_entry) = futures::join!(
        fetch::fetch_dataset(&url, &progress, &on_footer),
        cache::find_saved_table(&url)
    );
    let fetch_ms = perf::epoch_now() - fetch_start;
    send(Reply::Mark(Mark {
        name: "spaces:fetch".into(),
        start_epoch_ms: fetch_start,
        duration_ms: fetch_ms,
    }));
    let download = match fetched {
        Ok(download) => download,
        Err(message) => return send(Reply::Failed { message }),
    };
    let from_cache = matches!(download.transfer, Transfer::Cached { .. });
    // Copied out of wasm memory now, while the decode has not started.
    let columns = match from_cache {
        true => None,
        false => cache::bundle_blob(&download.to_sparse()).await.ok(),
    };
    let sparse = match &download.fetched {
        Fetched::Sparse(file) => Some(file.clone()),
        Fetched::Whole(_) => None,
    };
    // Reading the footer can meet damaged data too.
    set_decoding(true);
    let decoder = match &download.fetched {
        Fetched::Whole(bytes) => SpacesDecoder::beside_card_json(bytes.clone()),
        Fetched::Sparse(file) => SpacesDecoder::from_sparse_beside_card_json(file.clone()),
    };
    set_decoding(false);
    let decoder = match decoder {
        Ok(decoder) => decoder,
        Err(error) => {
            return send(Reply::Failed {
                message: error.to_string(),
            })
        }
    };
    let offered = Offered {
        url,
        download,
        decoder,
        sparse,
        columns,
        fetch_ms,
        second: second.into_inner(),
    };
    // An unchanged file seen before: its decoded table, if saved.
    let saved = saved_entry.filter(|saved| {
        from_cache && offered.download.validator.as_deref() == Some(saved.validator.as_str())
    });
    if let Some(entry) = saved {
        let decode_start = perf::epoch_now();
        if let Some(blob) = entry.blob().await {
            let report = offered.report(true, decode_start);
            let attachments = Attachments {
                saved: Some(SavedBytes::Saved(blob)),
                held: offered.held_prose_bytes(),
                ..Attachments::default()
            };
            post(seq, &Reply::Table(Box::new(report)), &attachments);
            OFFERED.with(|o| *o.borrow_mut() = Some(offered));
            return;
        }
    }
    decode(offered, seq).await;
}

/// Decodes the file of `offered` and sends the table for request `seq`,
/// with the download and the table as copies for the page to save.
pub async fn decode(mut offered: Offered, seq: u64) {
    let send = |reply: Reply| post(seq, &reply, &Attachments::default());
    let decode_start = perf::epoch_now();
    let total = offered.decoder.total_rows();
    // Started first, so that it decodes while this engine decodes the rest.
    let second = offered.second.take();
    let apart = offered.decoder.card_json_apart().then(|| {
        // Not started yet when the footer came with the whole file.
        let second = second.or_else(SecondEngine::start);
        let chunks = offered.decoder.deferred_ranges();
        Apart::start(second, offered.download.to_sparse().share(chunks))
    });
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
    // What the prose fetch needs is read before the decoder is used up.
    let mut report = offered.report(false, decode_start);
    let held = offered.held_prose_bytes();
    let Offered {
        decoder, columns, ..
    } = offered;
    let (mut table, mut decoded) = decoder.finish();
    set_decoding(false);
    let mut second_engine_memory = 0;
    let mut prose_to_come = None;
    if let Some(apart) = apart {
        let card = apart.finish().await;
        // When the front matter was in (the rest waits for it or not).
        send(Reply::Mark(Mark {
            name: "spaces:engine-front-matter".into(),
            start_epoch_ms: decode_start,
            duration_ms: perf::epoch_now() - decode_start,
        }));
        let joined = card.and_then(|card| {
            second_engine_memory = card.engine_memory;
            prose_to_come = card.prose;
            put_card(&mut table, &mut decoded, card.card).map_err(|error| error.to_string())
        });
        if let Err(message) = joined {
            return send(Reply::Failed { message });
        }
    }
    send(Reply::Mark(Mark {
        name: "spaces:engine-decode".into(),
        start_epoch_ms: decode_start,
        duration_ms: perf::epoch_now() - decode_start,
    }));
    report.warnings = decoded.warnings();
    // Both engines' peaks: they may have coincided.
    report.engine_memory = perf::wasm_memory_bytes() + second_engine_memory;
    // A front matter decoded here reports no memory of its own.
    report.engines = 1 + u8::from(second_engine_memory > 0);
    let parts = cache::table_parts(&table, &report.warnings);
    drop(table);
    // The titles the second engine wrote out meanwhile, for the page.
    let prose_apart = match prose_to_come {
        Some(prose) => match prose.parts().await {
            Ok(parts) => Some(parts),
            Err(message) => return send(Reply::Failed { message }),
        },
        None => None,
    };
    let attachments = Attachments {
        saved: Some(SavedBytes::Parts(parts)),
        held,
        prose: prose_apart,
        to_cache: columns,
    };
    post(seq, &Reply::Table(Box::new(report)), &attachments);
}

impl Offered {
    /// The panel's report, and what the page needs to check a saved copy
    /// and to fetch the prose later (the decode's warnings are added once
    /// it ends).
    fn report(&self, restored: bool, decode_start: f64) -> TableReport {
        let download = &self.download;
        let prose_deferred = self.decoder.prose_deferred();
        let prose = self
            .sparse
            .as_ref()
            .filter(|_| prose_deferred)
            .map(|_| ProseWhere {
                url: download.direct_url.clone(),
                cache_url: self.url.clone(),
                file_len: download.file_size,
                ranges: self.decoder.deferred_ranges().to_vec(),
                validator: download.validator.clone(),
                last_modified: download.last_modified.clone(),
            });
        TableReport {
            transferred: download.transferred,
            file_size: download.file_size,
            transfer: download.transfer.clone(),
            fetch_ms: self.fetch_ms,
            decode_start_epoch_ms: decode_start,
            restored,
            file_rows: self.decoder.total_rows(),
            prose_deferred,
            last_modified: download.last_modified.clone(),
            validator: download.validator.clone(),
            warnings: Vec::new(),
            prose,
            engine_memory: perf::wasm_memory_bytes(),
            engines: 1,
        }
    }

    /// The footer and whatever prose bytes are already here, for a later
    /// prose fetch (a `SparseFile` bundle); none when nothing is deferred.
    fn held_prose_bytes(&self) -> Option<js_sys::ArrayBuffer> {
        let file = self
            .sparse
            .as_ref()
            .filter(|_| self.decoder.prose_deferred())?;
        Some(cache::bundle_buffer(
            &file.keep(self.decoder.deferred_ranges()),
        ))
    }
}

/// Fetches (cache first) and decodes the prose a load left for later, and
/// sends it for request `seq`, with the download for the page to save.
pub async fn prose(place: ProseWhere, held: Option<js_sys::ArrayBuffer>, seq: u64) {
    let send = |reply: Reply| post(seq, &reply, &Attachments::default());
    let Some(held) = held.as_ref().and_then(cache::file_from_bundle) else {
        return send(Reply::Failed {
            message: "the page sent no footer to plan the fetch from".into(),
        });
    };
    let source = ProseSource::new(place, held);
    let (file, fetched) = match fetch::fetch_prose(&source).await {
        Ok(got) => got,
        Err(message) => return send(Reply::Failed { message }),
    };
    let to_cache = match fetched {
        0 => None,
        _ => cache::bundle_blob(&file).await.ok(),
    };
    set_decoding(true);
    let decoded = SpacesDecoder::for_prose(file).and_then(|mut decoder| {
        while decoder.step()? {}
        Ok(decoder.finish_prose())
    });
    set_decoding(false);
    match decoded {
        Ok(prose) => {
            let attachments = Attachments {
                saved: Some(SavedBytes::Parts(cache::prose_parts(&prose))),
                to_cache,
                ..Attachments::default()
            };
            post(seq, &Reply::Prose { fetched }, &attachments);
        }
        Err(error) => send(Reply::Failed {
            message: error.to_string(),
        }),
    }
}
