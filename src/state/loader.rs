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
use crate::browser::engine::{self, Engine, Failure, Payloads};
use crate::browser::fetch::ProseSource;
use crate::browser::{cache, fetch, page, perf, visibility};
use crate::data::saved::SavedTable;
use crate::data::{Field, SpacesTable};
use crate::protocol::{Reply, Request, TableReport};
use crate::url::source::DataSource;
use crate::url::view_state::View;

thread_local! {
    /// The generation of the newest load.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
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
        .and_then(|(place, held)| Some(ProseSource::new(place, cache::file_from_bundle(&held)?)));
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
        engines: report.engines,
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
        // The cards near the screen are known, their aggregates computed
        // and their charts drawn.
        if visibility::unreported() == 0 && perf::parts_pending() == 0 && perf::draws_pending() == 0
        {
            break;
        }
        page::yield_to_browser().await;
    }
    perf::end("spaces:first-render");
    // A view without charts: a chart drawn later is no first chart.
    if perf::draws_pending() == 0 {
        perf::forget_first_chart();
    }
    // What the next visit needs, saved now that the first view is drawn
    // (not sooner, so saving does not compete with it): the download the
    // worker bundled, then the table, a column per task.
    if let (Some(validator), false) = (report.validator, report.restored) {
        let last_modified = report.last_modified;
        let to_save = Arc::clone(&loaded);
        let warnings = saved.warnings;
        spawn_local(async move {
            if let Some(bundle) = &payloads.to_cache {
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
/// column per task, with the load's report and the other payloads. A
/// saved copy that does not read back whole, or that is not what this
/// file decodes to, is refused and the engine decodes instead. Progress
/// goes to `state`; the engine's peak memory to `engine_memory`.
async fn table_from_engine(
    engine: &mut Engine,
    url: &str,
    generation: Generation,
    state: RwSignal<LoadState>,
    engine_memory: &Cell<u64>,
) -> Result<(SavedTable, TableReport, Payloads), String> {
    let stale = || "a newer load replaced this one".to_string();
    let progress = |reply: &Reply| {
        if generation.is_stale() {
            return;
        }
        match reply {
            Reply::Fetching(progress) => state.set(LoadState::Fetching(*progress)),
            Reply::Decoding { done, total } => state.set(LoadState::Decoding {
                done: *done,
                total: *total,
            }),
            Reply::Mark(mark) => {
                perf::measure_from(&mark.name, mark.start_epoch_ms, Some(mark.duration_ms));
            }
            _ => {}
        }
    };
    let mut request = Request::Load { url: url.into() };
    loop {
        let asked = engine.ask(&request, None, &progress).await;
        if generation.is_stale() {
            return Err(stale());
        }
        let decoding = matches!(state.get_untracked(), LoadState::Decoding { .. });
        let (report, mut payloads) =
            match asked.map_err(|f| engine_failure(f, engine_memory.get(), decoding))? {
                (Reply::Table(report), payloads) => (*report, payloads),
                _ => return Err("The app's engine answered something else than a table.".into()),
            };
        engine_memory.set(engine_memory.get().max(report.engine_memory));
        if !report.restored {
            // A fresh decode: nothing more is asked of the worker.
            engine.terminate();
        }
        let parts = payloads.saved_format().await?;
        let read = cache::restore_table(parts).await;
        if generation.is_stale() {
            return Err(stale());
        }
        let why_not = match read {
            Ok(mut saved) if !report.restored => {
                if let Some(prose) = payloads.prose.take() {
                    page::yield_to_browser().await;
                    put_prose_apart(&mut saved.table, prose).await?;
                }
                return Ok((saved, report, payloads));
            }
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
        request = Request::Decode;
    }
}

/// Puts in the titles and descriptions the engine decoded apart from the
/// table (`parts`, the saved prose format). Its own handover: it always
/// reads back.
async fn put_prose_apart(table: &mut SpacesTable, parts: js_sys::Array) -> Result<(), String> {
    let parts = engine::views(&parts);
    let broken = |why: String| format!("The decoded table could not be read ({why}).");
    let prose = cache::restore_prose(parts)
        .await
        .map_err(|refused| broken(refused.to_string()))?;
    table
        .set_prose(prose)
        .map_err(|_| broken("its titles do not match its rows".into()))
}

/// What the visitor reads when the engine gave no answer. `memory` is the
/// engine's last known peak; `decoding` says it was reading the file.
fn engine_failure(failure: Failure, memory: u64, decoding: bool) -> String {
    match failure {
        Failure::NotStarted(detail) => no_engine(&detail),
        Failure::Failed(message) => message,
        Failure::Panicked { message, decoding } => crash::describe(&message, decoding),
        Failure::Stopped(detail) => crash::describe_trap(&detail, memory as f64, decoding),
        Failure::Unreadable(why) => format!("The page could not understand its engine: {why}."),
    }
}

/// Why the app cannot load anything: its worker did not start.
fn no_engine(detail: &str) -> String {
    format!(
        "The app's engine could not start ({detail}). Spaces Ship reads the dataset in a Web Worker: \
         it needs a browser with Web Workers and WebAssembly, and a page that allows its own \
         worker script (Content-Security-Policy worker-src 'self')."
    )
}

fn fail(state: RwSignal<LoadState>, message: String) {
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
        let outcome = prose_from_engine(&source, &loaded, &current).await;
        perf::end("spaces:prose");
        if !current() {
            return;
        }
        match outcome {
            Ok((fetched, to_cache)) => {
                app.prose.set(ProseState::Ready {
                    fetched: Some(fetched),
                });
                if let Some(bundle) = to_cache {
                    spawn_local(async move {
                        let validator = source.validator.as_deref();
                        let modified = source.last_modified.as_deref();
                        let url = &source.cache_url;
                        cache::store_bundle(url, Part::Prose, &bundle, validator, modified).await;
                    });
                }
            }
            Err(message) => {
                page::console_warn(&format!("Spaces Ship: {message}"));
                app.prose.set(ProseState::Failed(message));
            }
        }
    });
}

/// Has a worker of its own fetch (or read from the cache) and decode the
/// prose, reads it back and puts it in the table; returns the bytes
/// downloaded and, when they came from the network, the download to save.
async fn prose_from_engine(
    source: &ProseSource,
    loaded: &Loaded,
    current: &dyn Fn() -> bool,
) -> Result<(u64, Option<web_sys::Blob>), String> {
    let failed = |why: String| format!("Titles and descriptions could not be loaded: {why}");
    let stale = || failed("a newer load replaced this one".into());
    let mut engine = Engine::start().map_err(|why| failed(no_engine(&why)))?;
    let held = cache::bundle_buffer(&source.held);
    let asked = engine
        .ask(&Request::Prose(source.place()), Some(held), &|_| {})
        .await;
    if !current() {
        return Err(stale());
    }
    let (fetched, mut payloads) = match asked.map_err(|f| failed(engine_failure(f, 0, true)))? {
        (Reply::Prose { fetched }, payloads) => (fetched, payloads),
        _ => return Err(failed("the engine answered something else".into())),
    };
    // Its work is done: its memory goes.
    engine.terminate();
    let parts = payloads.saved_format().await.map_err(failed)?;
    let prose = cache::restore_prose(parts)
        .await
        .map_err(|refused| failed(refused.to_string()))?;
    loaded.table.set_prose(prose).map_err(|_| {
        failed("the file changed on the server since it was loaded; reload the page to read the new one".into())
    })?;
    Ok((fetched, payloads.to_cache))
}
