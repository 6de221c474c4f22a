//! Loading: the engine's worker fetches and decodes the file (or finds
//! this browser's saved table) off the page's thread and hands over the
//! table in the saved format, which the page reads a column per task;
//! then the views get it. Each load has a generation and a worker of its
//! own: a retry starts a new one, and an older load that is still running
//! stops its worker at its next step without writing anything.

use std::cell::Cell;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::crash;
use super::load::{LoadInfo, LoadState, Loaded, ProseState};
use super::AppState;
use crate::browser::cache::Part;
use crate::browser::engine::{Engine, Incoming, Payloads};
use crate::browser::fetch::ProseSource;
use crate::browser::{cache, fetch, page, perf, visibility};
use crate::data::saved::SavedTable;
use crate::data::sparse::SparseFile;
use crate::data::Field;
use crate::data::SpacesDecoder;
use crate::protocol::{ProseWhere, Reply, Request, TableReport};
use crate::url::source::DataSource;
use crate::url::view_state::View;
use bytes::Bytes;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The generation of the newest load.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    /// Set while a file is being decoded: the Parquet crate still panics on
    /// some damaged data pages, and the visitor should hear that the file
    /// is at fault.
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// Whether a file is being decoded right now (for the panic screen).
pub fn is_decoding() -> bool {
    DECODING.with(Cell::get)
}

fn set_decoding(decoding: bool) {
    DECODING.with(|d| d.set(decoding));
}

/// Starts loading `source`; a load already running becomes stale.
pub fn start(app: AppState, source: DataSource) {
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    spawn_local(load(source, Generation(generation), app));
}

/// The generation a load belongs to.
#[derive(Clone, Copy)]
struct Generation(u64);

impl Generation {
    /// A newer load has started: this one must not write anything.
    fn is_stale(self) -> bool {
        GENERATION.with(Cell::get) != self.0
    }
}

async fn load(source: DataSource, generation: Generation, app: AppState) {
    let (state, table, info) = (app.load, app.loaded, app.info);
    table.set(None);
    info.set(None);
    app.prose.set(ProseState::Ready { fetched: None });
    state.set(LoadState::Fetching(fetch::Progress::default()));
    let url = page::resolve_url(source.url());
    let mut engine = match Engine::start() {
        Ok(engine) => engine,
        Err(why) => return fail(state, no_engine(&why)),
    };
    let engine_memory = Cell::new(0);
    let outcome = table_from_engine(&mut engine, &url, generation, state, &engine_memory).await;
    if generation.is_stale() {
        return;
    }
    let (saved, report, mut payloads) = match outcome {
        Ok(received) => received,
        Err(message) => return fail(state, message),
    };
    // The worker's memory goes before the page's grows further.
    drop(engine);
    let decode_ms =
        perf::measure_from("spaces:decode", report.decode_start_epoch_ms, None).unwrap_or_default();
    let prose_source = report
        .prose
        .filter(|_| saved.table.prose.get().is_none())
        .zip(payloads.held.take())
        .and_then(|(place, held)| prose_source(place, &held));
    page::yield_to_browser().await;
    if generation.is_stale() {
        return;
    }

    perf::start("spaces:first-render");
    info.set(Some(LoadInfo {
        transferred: report.transferred,
        file_size: report.file_size,
        transfer: report.transfer,
        fetch_ms: report.fetch_ms,
        decode_ms,
        restored: report.restored,
        last_modified: report.last_modified.clone(),
        warnings: saved.warnings.clone(),
        engine_memory: engine_memory.get(),
    }));
    let loaded = Arc::new(Loaded {
        table: saved.table,
        index: Default::default(),
        orders: Default::default(),
        prose_source,
    });
    if loaded.prose_source.is_some() {
        app.prose.set(ProseState::Deferred);
    }
    perf::await_first_chart();
    table.set(Some(Arc::clone(&loaded)));
    state.set(LoadState::Ready);
    // The page renders on the signal change, then each chart draws in its
    // own task: first render ends when none is left (or the view has none).
    page::yield_to_browser().await;
    for _ in 0..200 {
        // The cards near the screen are known, and their charts drawn.
        if visibility::unreported() == 0 && perf::draws_pending() == 0 {
            break;
        }
        page::yield_to_browser().await;
    }
    perf::end("spaces:first-render");
    // A view without charts: a chart drawn later is no first chart.
    if perf::draws_pending() == 0 {
        perf::forget_first_chart();
    }
    // The first view is drawn: the worker saves what the next visit needs
    // (after a decode), then closes itself. Not terminated, and not told
    // sooner, so saving does not compete with that first view.
    // What the next visit needs, saved now that the first view is drawn:
    // the download, then the table, a column per task.
    if let (Some(validator), false) = (report.validator, report.restored) {
        let last_modified = report.last_modified;
        let to_save = Arc::clone(&loaded);
        let warnings = saved.warnings;
        spawn_local(async move {
            if let Some(bundle) = &payloads.save_columns {
                let (validator, modified) = (Some(validator.as_str()), last_modified.as_deref());
                cache::store_bundle(&url, Part::Columns, bundle, validator, modified).await;
            }
            page::yield_to_browser().await;
            if !generation.is_stale() {
                cache::save_table(&url, &to_save.table, &warnings, &validator).await;
            }
        });
    }

    // The Search view's facet index, a field per task while the page is
    // idle: opening Search then finds it built (a million rows take about
    // 160 ms in all, too long for one task and for a click to wait on).
    // (The results order is not built ahead: on a million rows it is one
    // task of a few hundred ms, which a click could land behind. Opening
    // Search builds it.)
    spawn_local(async move {
        for field in Field::ALL {
            page::yield_to_browser().await;
            loaded.index.facets().prepare(&loaded.table, field);
        }
    });
}

/// The decoded table from the engine: its saved-format bytes read back a
/// column per task, with the load's report and the bytes a prose fetch
/// reuses. A saved copy that does not read back whole, or that is not
/// what this file decodes to, is refused and the engine decodes instead.
/// Progress goes to `state`; the engine's peak memory to `engine_memory`.
async fn table_from_engine(
    engine: &mut Engine,
    url: &str,
    generation: Generation,
    state: RwSignal<LoadState>,
    engine_memory: &Cell<u64>,
) -> Result<(SavedTable, TableReport, Payloads), String> {
    let stale = || "a newer load replaced this one".to_string();
    let mut started = false;
    loop {
        let (report, mut payloads) = loop {
            let incoming = if started {
                engine.next().await
            } else {
                // A worker whose script loads but hangs says nothing (a
                // failure to load is an error event): give it a while.
                let timeout = std::pin::pin!(page::sleep(ENGINE_START_TIMEOUT_MS));
                match futures::future::select(std::pin::pin!(engine.next()), timeout).await {
                    futures::future::Either::Left((incoming, _)) => incoming,
                    futures::future::Either::Right(_) => {
                        return Err(no_engine(&format!(
                            "it did not answer within {} seconds",
                            ENGINE_START_TIMEOUT_MS / 1000
                        )))
                    }
                }
            };
            let incoming = incoming.ok_or_else(stale)?;
            if generation.is_stale() {
                return Err(stale());
            }
            match incoming {
                Incoming::Reply(reply, payloads) => match reply {
                    Reply::Started => {
                        started = true;
                        engine.send(&Request::Load { url: url.into() });
                    }
                    Reply::Fetching(progress) => state.set(LoadState::Fetching(progress)),
                    Reply::Decoding { done, total } => {
                        state.set(LoadState::Decoding { done, total })
                    }
                    Reply::Mark(mark) => {
                        perf::measure_from(&mark.name, mark.start_epoch_ms, Some(mark.duration_ms));
                    }
                    Reply::Table(report) => break (*report, payloads),
                    Reply::Failed { message } => return Err(message),
                    Reply::Panicked { message, decoding } => {
                        return Err(crash::describe(&message, decoding))
                    }
                },
                Incoming::Stopped(detail) if !started => return Err(no_engine(&detail)),
                Incoming::Stopped(detail) => {
                    let memory = engine_memory.get() as f64;
                    let decoding = matches!(state.get_untracked(), LoadState::Decoding { .. });
                    return Err(crash::describe_trap(&detail, memory, decoding));
                }
                Incoming::Unreadable(why) => return Err(format!("The app's engine {why}.")),
            }
        };
        engine_memory.set(engine_memory.get().max(report.engine_memory));
        if !report.restored {
            // A fresh decode: nothing more is asked of the worker.
            engine.terminate();
        }
        let parts = match (payloads.table.take(), payloads.table_parts.take()) {
            (_, Some(parts)) => parts.iter().map(|p| js_sys::Uint8Array::new(&p)).collect(),
            (Some(blob), None) => {
                let bytes = JsFuture::from(blob.array_buffer()).await.map_err(|_| {
                    "the saved table could not be read from this browser's cache".to_string()
                })?;
                vec![js_sys::Uint8Array::new(&bytes)]
            }
            (None, None) => return Err("the engine sent no table".into()),
        };
        let read = cache::restore_table(parts).await;
        if generation.is_stale() {
            return Err(stale());
        }
        let why_not = match read {
            Ok(saved) if !report.restored => return Ok((saved, report, payloads)),
            Ok(saved) => {
                let holds = saved.table.len() == report.file_rows
                    && (saved.table.prose.get().is_some() || report.prose_deferred);
                if holds {
                    return Ok((saved, report, payloads));
                }
                "it is not what this file decodes to".to_string()
            }
            Err(refused) if report.restored => refused.to_string(),
            // The engine's own decode always reads back: a broken handover.
            Err(refused) => {
                return Err(format!("The decoded table could not be read ({refused})."))
            }
        };
        page::console_warn(&format!(
            "Spaces Ship: the saved table was not used because {why_not}; it is decoded again."
        ));
        engine.send(&Request::Decode);
    }
}

/// What a later prose fetch needs, from the engine's report and the bytes
/// it already held.
fn prose_source(place: ProseWhere, held: &js_sys::ArrayBuffer) -> Option<ProseSource> {
    let held = SparseFile::from_bundle(Bytes::from(js_sys::Uint8Array::new(held).to_vec()))?;
    Some(ProseSource {
        bytes: held
            .missing(&place.ranges)
            .iter()
            .map(|r| r.end - r.start)
            .sum(),
        held,
        url: place.url,
        cache_url: place.cache_url,
        file_len: place.file_len,
        ranges: place.ranges,
        validator: place.validator,
        last_modified: place.last_modified,
    })
}

/// How long the engine may take to start: its WebAssembly is about 1 MB
/// gzipped, which a slow mobile link fetches in well under this.
const ENGINE_START_TIMEOUT_MS: i32 = 60_000;

/// Why the app cannot load anything: its worker did not start.
fn no_engine(detail: &str) -> String {
    format!(
        "The app's engine could not start ({detail}). Spaces Ship reads the dataset in a Web Worker: \
         it needs a browser with Web Workers and WebAssembly, and a page that allows its own \
         worker script (Content-Security-Policy worker-src 'self')."
    )
}

fn fail(state: RwSignal<LoadState>, message: String) {
    set_decoding(false);
    page::console_warn(&format!("Spaces Ship: {message}"));
    state.set(LoadState::Failed(message));
}

/// Fetches the titles and descriptions a load left out, once Search needs
/// them: the Search view, a text query, or the search box taking focus.
pub fn fetch_prose_when_needed(app: AppState) {
    Effect::new(move |_| {
        // Also re-checked when a load leaves prose for later.
        app.prose.track();
        let searching = app.view.get() == View::Search || app.filters.with(|f| !f.q.is_empty());
        if searching {
            want_prose(app, false);
        }
    });
}

/// Starts fetching the prose if it was left out and is not on its way.
/// `retry` (a visitor's action) also tries again after a failure; the
/// Effect does not, or a failure would retry itself forever.
pub fn want_prose(app: AppState, retry: bool) {
    match app.prose.get_untracked() {
        ProseState::Deferred => {}
        ProseState::Failed(_) if retry => {}
        _ => return,
    }
    let Some(loaded) = app.loaded.get_untracked() else {
        return;
    };
    let Some(source) = loaded.prose_source.clone() else {
        return;
    };
    app.prose.set(ProseState::Fetching);
    spawn_local(async move {
        // A new load replaced this table: its work stops and its state is
        // not ours to write.
        let mine = Arc::clone(&loaded);
        let current = move || {
            app.loaded
                .with_untracked(|c| c.as_ref().is_some_and(|c| Arc::ptr_eq(c, &mine)))
        };
        perf::start("spaces:prose");
        let outcome = fetch_and_decode_prose(&source, &loaded, &current).await;
        perf::end("spaces:prose");
        if !current() {
            return;
        }
        match outcome {
            Ok((fetched, file)) => {
                app.prose.set(ProseState::Ready {
                    fetched: Some(fetched),
                });
                if let Some(file) = file {
                    spawn_local(async move { fetch::cache_prose(&source, &file).await });
                }
            }
            Err(message) => {
                page::console_warn(&format!("Spaces Ship: {message}"));
                app.prose.set(ProseState::Failed(message));
            }
        }
    });
}

/// Downloads (or reads from the cache) and decodes the prose, a batch per
/// task, and puts it in the table; returns the bytes downloaded and, when
/// they came from the network, the file to cache.
async fn fetch_and_decode_prose(
    source: &ProseSource,
    loaded: &Loaded,
    current: &dyn Fn() -> bool,
) -> Result<(u64, Option<SparseFile>), String> {
    let failed = |why: String| format!("Titles and descriptions could not be loaded: {why}");
    let stale = || failed("a newer load replaced this one".into());
    let (file, fetched) = fetch::fetch_prose(source).await.map_err(failed)?;
    if !current() {
        return Err(stale());
    }
    let to_cache = (fetched > 0).then(|| file.clone());
    set_decoding(true);
    let decoded = async {
        let mut decoder = SpacesDecoder::for_prose(file).map_err(|e| failed(e.to_string()))?;
        while decoder.step().map_err(|e| failed(e.to_string()))? {
            page::yield_to_browser().await;
            if !current() {
                return Err(stale());
            }
        }
        Ok(decoder.finish_prose())
    }
    .await;
    // A new load's decode owns the flag from here.
    if current() {
        set_decoding(false);
    }
    let prose = decoded?;
    loaded.table.set_prose(prose).map_err(|_| {
        failed("the file changed on the server since it was loaded; reload the page to read the new one".into())
    })?;
    Ok((fetched, to_cache))
}
